#include <catch2/catch.hpp>

#include <cerval/expr/diagnostics.hpp>
#include <cerval/series/equation.hpp>

#include <string>

using cerval::expr::InputError;
using cerval::series::EquationType;
using cerval::series::parse_series_spec;
using cerval::series::Rational;

namespace {
std::string error_of(const std::string& text) {
  try {
    parse_series_spec(text, "t.spec");
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}
}  // namespace

TEST_CASE("equation: derivatives become delta operators in the normal form") {
  auto s = parse_series_spec("series\n  equation x^2*y' + y = x;\n  terms 8;\nend\n", "t.spec");
  CHECK(s.equation.type == EquationType::Differential);
  CHECK(s.equation.order == 1);
  CHECK(s.equation.linear());
  CHECK(s.equation.normal_form() == "y - x + x*(delta y) = 0");
  CHECK(s.terms == 8);
  // y'' = x^-2 (delta^2 - delta) y
  auto t = parse_series_spec("series equation y'' + y = 0; coefficients 1, 0;", "t.spec");
  CHECK(t.equation.order == 2);
  CHECK(t.equation.normal_form() == "-(delta y) + (delta^2 y) + x^2*y = 0");
  CHECK(t.coefficients.size() == 2);
  auto u = parse_series_spec("series equation delta^2 y - 2 delta y = x;", "t.spec");
  CHECK(u.equation.normal_form() == "-2*(delta y) + (delta^2 y) - x = 0");
}

TEST_CASE("equation: q-difference and Mahler operators") {
  auto q = parse_series_spec("constants q = 1/2;\nseries\n  equation y = 1 + x*y(q*x) + y(q^2*x);\n  at 0.5;\n", "t.spec");
  CHECK(q.equation.type == EquationType::QDifference);
  CHECK(q.equation.q == Rational(1, 2));
  CHECK(q.equation.order == 2);
  CHECK(*q.at == Rational(1, 2));
  auto m = parse_series_spec("series unknown T(z); equation T(z) = (1 - z)*T(z^2) + T(z^4);", "t.spec");
  CHECK(m.equation.type == EquationType::Mahler);
  CHECK(m.equation.d == 2);
  CHECK(m.equation.order == 2);
  CHECK(m.unknown == "T");
  CHECK(!m.equation.linear() == false);
  auto n = parse_series_spec("series equation y' = 1 + y^2; coefficients 0;", "t.spec");
  CHECK(!n.equation.linear());
}

TEST_CASE("equation: malformed and unsupported equations are rejected at their location") {
  CHECK(error_of("series\n  equation y' = sin(y);\n") == "t.spec:2:17: error: 'sin' is not allowed: the equation must be a polynomial in x, y and operators on y");
  CHECK(error_of("series\n  equation y' = y/x;\n").find("t.spec:2:19: error: division by a non-constant") == 0);
  CHECK(error_of("series\n  equation y' = y(2*x);\n").find("t.spec:2:12: error: equations mixing") == 0);
  CHECK(error_of("series\n  equation y'(2*x) = y;\n").find("t.spec:2:14: error: derivatives of y at a transformed") == 0);
  CHECK(error_of("series\n  equation y = y(-x);\n").find("t.spec:2:18: error: y(-x): |q| = 1") == 0);
  CHECK(error_of("series\n  equation y = y(2*x^2);\n").find("t.spec:2:18: error: unsupported argument") == 0);
  CHECK(error_of("series\n  equation y = y(2*x) + y(3*x);\n").find("t.spec:2:25: error: the q-shifts") == 0);
  CHECK(error_of("series\n  equation y = z;\n").find("t.spec:2:16: error: unknown name 'z'") == 0);
  CHECK(error_of("series\n  equation y = 'a;\n").find("t.spec:2:16: error:") == 0);
  CHECK(error_of("series\n  terms 5;\n").find("t.spec:3:1: error: the series section needs an 'equation'") == 0);
  CHECK(error_of("series\n  equation y = x;\n  foo 3;\n").find("t.spec:3:3: error: unknown statement 'foo'") == 0);
  CHECK(error_of("series\n  equation x = x;\n").find("t.spec:2:12: error: the equation is identically zero") == 0);
  CHECK(error_of("series\n  equation x = 1;\n").find("t.spec:2:12: error: the equation does not involve y") == 0);
  CHECK(error_of("constants a = sqrt(2);\nseries\n  equation y' = y/a;\n").find("error: division by the irrational constant 'a'") != std::string::npos);
  CHECK(error_of("constants a = sqrt(2);\nseries\n  exponent 1/2;\n  equation x*y' = a*y;\n").find("irrational coefficients are not supported") != std::string::npos);
  CHECK(error_of("variables x in [0,1];\n").find("t.spec:1:1: error: no 'series' section") == 0);
}

TEST_CASE("equation: an irrational q is kept as its constant expression and enclosed") {
  auto s = parse_series_spec("constants q = sqrt(2);\nseries\n  equation y = 1 + x*y(q*x) + y(q^2*x)/3;\n", "t.spec");
  CHECK(s.equation.type == EquationType::QDifference);
  CHECK(!s.equation.q_rational());
  CHECK(s.equation.order == 2);
  CHECK(s.equation.q_text() == "sqrt(2)");
  const auto q = s.equation.q_enclosure(200);
  CHECK(q.contains(cerval::numeric::sqrt(cerval::numeric::MpInterval::enclose(Rational(2), 400))));
  CHECK(q.width() < 1e-55);
  // only even powers: T = q^2
  auto e = parse_series_spec("constants q = pi;\nseries\n  equation y = 1 + x*y(q^2*x) + x*y(q^4*x);\n", "t.spec");
  CHECK(e.equation.order == 2);
  CHECK(e.equation.q_text() == "(pi)^2");
  CHECK(e.equation.q_enclosure(100).contains(cerval::numeric::sqr(cerval::numeric::MpInterval::pi(300))));
  // interval constants are accepted (every verdict then holds for all q in the interval)
  auto i = parse_series_spec("constants q in [0.9, 1.1];\nseries\n  equation y = 1 + x*y(q*x);\n", "t.spec");
  CHECK(i.equation.q_enclosure(64).contains(Rational(1)));
  const std::string c = "constants q = sqrt(2);\nseries\n  ";
  CHECK(error_of(c + "equation y = y(q*x) + y(2*x);\n").find("t.spec:3:12: error: the q-shifts must all be") == 0);
  CHECK(error_of(c + "equation y = y(2*q*x);\n").find("t.spec:3:18: error: unsupported argument of y: with an irrational") == 0);
  CHECK(error_of(c + "equation y = y(q*x^2);\n").find("t.spec:3:18: error: unsupported argument") == 0);
  CHECK(error_of(c + "equation y = 1 + x*y(x/q);\n").find("t.spec:3:26: error: division by the irrational constant 'q': define its inverse") == 0);
  auto r = parse_series_spec("constants q = sqrt(2);\nseries\n  ramification 2;\n  equation y = x*y(q*x);\n", "t.spec");
  CHECK(r.equation.q_text() == "(sqrt(2))^(1/2)");  // q^(1/p) in t = x^(1/p)
  CHECK(r.equation.q_enclosure(100).contains(
      cerval::numeric::sqrt(cerval::numeric::sqrt(cerval::numeric::MpInterval::enclose(Rational(2), 300)))));
  CHECK(error_of("constants q = -sqrt(2);\nseries\n  ramification 2;\n  equation y = x*y(q*x);\n").find("q < 0 has no real root of even order") != std::string::npos);
  CHECK(error_of("constants q = sqrt(2);\nseries\n  exponent 1;\n  equation y = x*y(q*x);\n").find("t.spec:3:12: error: leading exponents") == 0);
}

TEST_CASE("equation: irrational constants as coefficients are kept as expressions and enclosed") {
  auto s = parse_series_spec("constants a = sqrt(2);\nseries\n  equation y' = a*y + a^2*x;\n", "t.spec");
  CHECK(!s.equation.rational_coefficients());
  CHECK(s.equation.q_rational());
  CHECK(!s.equation.exact_data());
  REQUIRE(s.equation.constants.size() == 1);
  CHECK(s.equation.normal_form() == "(delta y) - a*x*y - a^2*x^2 = 0");
  const auto two = cerval::numeric::MpInterval::enclose(Rational(2), 200);
  for (const auto& t : s.equation.terms)
    if (t.degree() == 0) CHECK(s.equation.coefficient_enclosure(t, 200).contains(-two));  // -a^2 = -2
  CHECK_THROWS_AS(s.equation.linear_coefficients(), std::logic_error);
  const auto a = s.equation.linear_coefficient_enclosures(200);
  REQUIRE(a.size() == 2);
  CHECK(a[0][1].contains(-cerval::numeric::sqrt(two)));
  CHECK(a[1][0].contains(Rational(1)));
  // a constant used only as the shift q is no coefficient
  auto q = parse_series_spec("constants q = sqrt(2);\nseries\n  equation y = 1 + x*y(q*x);\n", "t.spec");
  CHECK(q.equation.rational_coefficients());
}
