#include <catch2/catch.hpp>

#include <cerval/numeric/mp_interval.hpp>
#include <cerval/series/convergence.hpp>
#include <cerval/series/equation.hpp>

using cerval::numeric::MpInterval;
using cerval::series::analyse;
using cerval::series::evaluate_sum;
using cerval::series::FormalSolution;
using cerval::series::parse_series_spec;
using cerval::series::Rational;
using cerval::series::SeriesVerdict;

namespace {
struct Case {
  cerval::series::SeriesSpec spec;
  std::unique_ptr<FormalSolution> sol;
  cerval::series::Analysis an;
};
Case run(const std::string& body) {
  Case c;
  c.spec = parse_series_spec("series\n" + body, "t.spec");
  c.sol = std::make_unique<FormalSolution>(c.spec.equation, c.spec.coefficients);
  c.sol->extend(10);
  c.an = analyse(*c.sol);
  return c;
}
// The certified radius bound is a lower bound of the true radius r and within a factor 1.1 of it.
void check_radius(const Case& c, const MpInterval& r) {
  REQUIRE(c.an.radius_lower);
  CHECK(*c.an.radius_lower <= r.lower_rational());
  CHECK(*c.an.radius_lower * Rational(11, 10) >= r.upper_rational());
}
}  // namespace

TEST_CASE("convergence: atan and 1/(1-x) have radius 1; the sum of atan at 1/2 is enclosed") {
  const MpInterval one = MpInterval::enclose(Rational(1), 256);
  auto a = run("equation (1 + x^2)*y' = 1; coefficients 0;");
  CHECK(a.an.verdict == SeriesVerdict::Converges);
  check_radius(a, one);
  auto v = evaluate_sum(*a.sol, a.an, Rational(1, 2), 30);
  REQUIRE(v);
  CHECK(v->met_digits);
  CHECK(v->value.contains(cerval::numeric::atan(MpInterval::enclose(Rational(1, 2), 400))));
  auto g = run("equation (1 - x)*y' = y; coefficients 1;");
  check_radius(g, one);
  // two singularities (1 and 2): the absolute majorant alone gives 0.56; Fuchs' bound via Graeffe gives ~1
  auto two = run("equation (x - 1)*(x - 2)*y' = y; coefficients 1;");
  check_radius(two, one);
  auto w = evaluate_sum(*g.sol, g.an, Rational(-9, 10), 20);
  REQUIRE(w);
  CHECK(w->value.contains(Rational(10, 19)));
}

TEST_CASE("convergence: tan has radius pi/2 (nonlinear, Cauchy majorant); tan(1/2) is enclosed") {
  auto t = run("equation y' = 1 + y^2; coefficients 0;");
  CHECK(t.an.verdict == SeriesVerdict::Converges);
  check_radius(t, MpInterval::pi(256) / MpInterval::enclose(Rational(2), 256));
  auto v = evaluate_sum(*t.sol, t.an, Rational(1, 2), 25);
  REQUIRE(v);
  CHECK(v->met_digits);
  CHECK(v->value.contains(cerval::numeric::tan(MpInterval::enclose(Rational(1, 2), 400))));
}

TEST_CASE("convergence: e^x has infinite radius; e is enclosed") {
  auto e = run("equation y' = y; coefficients 1;");
  CHECK(e.an.verdict == SeriesVerdict::Converges);
  CHECK(e.an.infinite_radius);
  auto v = evaluate_sum(*e.sol, e.an, Rational(3), 40);
  REQUIRE(v);
  CHECK(v->met_digits);
  CHECK(v->value.contains(cerval::numeric::exp(MpInterval::enclose(Rational(3), 400))));
}

TEST_CASE("convergence: Euler's series diverges with Gevrey order 1; y = x is not called divergent") {
  auto e = run("equation x^2*y' + y = x;");
  CHECK(e.an.verdict == SeriesVerdict::Diverges);
  REQUIRE(e.an.gevrey);
  CHECK(*e.an.gevrey == 1);
  CHECK(*e.an.radius_lower == 0);
  REQUIRE(e.an.polygon.predicted_gevrey);
  CHECK(*e.an.polygon.predicted_gevrey == 1);
  auto p = run("equation x^2*y' + y = x + x^2;");
  CHECK(p.an.verdict == SeriesVerdict::Converges);
  CHECK(p.an.polynomial);
  CHECK(p.an.polynomial_degree == 1);
  auto h = run("equation x^3*y' + y = x;");  // c_n = -(n-2) c_(n-2): Gevrey order 1/2
  CHECK(h.an.verdict == SeriesVerdict::Diverges);
  REQUIRE(h.an.gevrey);
  CHECK(*h.an.gevrey == Rational(1, 2));
  CHECK(*h.an.polygon.predicted_gevrey == Rational(1, 2));
  // Three terms: divergence is not certified, and never claimed.
  auto t = run("equation x^2*y' + x^3*y' + y = x;");
  CHECK(t.an.verdict == SeriesVerdict::Unknown);
  REQUIRE(t.an.polygon.predicted_gevrey);
  CHECK(*t.an.polygon.predicted_gevrey == 1);
}

TEST_CASE("convergence: q-difference equations on each side of |q| = 1") {
  auto small = run("equation y = 1 + x*y(x/2);");
  CHECK(small.an.verdict == SeriesVerdict::Converges);
  CHECK(small.an.infinite_radius);
  auto big = run("equation y = 1 + x*y(2*x);");
  CHECK(big.an.verdict == SeriesVerdict::Diverges);
  REQUIRE(big.an.gevrey);
  CHECK(*big.an.gevrey == 1);
  // 1/(1-x) as a q-difference solution: (1 - x) y(x) = 1 has radius 1, written y(x) = 1 + x y(x)?
  auto geo = run("equation y = 1 + x*y(x/2) + x*y;");
  CHECK(geo.an.verdict == SeriesVerdict::Converges);
  REQUIRE(geo.an.radius_lower);
  CHECK(*geo.an.radius_lower <= 1);
}

TEST_CASE("convergence: Mahler series have radius 1") {
  const MpInterval one = MpInterval::enclose(Rational(1), 256);
  auto m = run("equation y = x + y(x^2); coefficients 0;");
  CHECK(m.an.verdict == SeriesVerdict::Converges);
  check_radius(m, one);
  auto v = evaluate_sum(*m.sol, m.an, Rational(1, 2), 20);
  REQUIRE(v);
  Rational partial = 0;
  for (int k = 0; k < 8; ++k) partial += Rational(1) / Rational(cerval::numeric::Integer(1) << (1 << k));
  // sum_{k>=8} 2^-2^k < 2^-255
  const MpInterval truth = MpInterval::enclose(partial, partial + Rational(1) / Rational(cerval::numeric::Integer(1) << 255), 400);
  CHECK(v->value.contains(truth));
  auto t = run("unknown T(x); equation T(x) = (1 - x)*T(x^2); coefficients 1;");
  CHECK(t.an.verdict == SeriesVerdict::Converges);
  check_radius(t, one);
}

TEST_CASE("convergence: Briot-Bouquet equations get a radius from the Malgrange reduction majorant") {
  // x y' = -y + x + y^2: true radius 3.67049... (ratio of coefficients)
  auto b = run("equation x*y' = -y + x + y^2; coefficients 0;");
  CHECK(b.an.verdict == SeriesVerdict::Converges);
  REQUIRE(b.an.radius_lower);
  CHECK(*b.an.radius_lower <= Rational(367, 100));
  CHECK(*b.an.radius_lower >= Rational(3));
  // x y' = 1 - y + x y^2, y(0) = 1: true radius 1.4457...
  auto c = run("equation x*y' = 1 - y + x*y^2; coefficients 1;");
  REQUIRE(c.an.radius_lower);
  CHECK(*c.an.radius_lower <= Rational(144, 100));
  auto v = evaluate_sum(*c.sol, c.an, Rational(1, 5), 20);
  REQUIRE(v);
  CHECK(v->met_digits);
  // the partial sum of 30 exact terms differs from the sum by less than 1e-20 (the terms decay like 0.14^n)
  CHECK(v->value.lower_rational() < Rational(1115460661658352, 1000000000000000));
  CHECK(v->value.upper_rational() > Rational(1115460661658351, 1000000000000000));
}

TEST_CASE("convergence: Puiseux series in t = x^(1/p)") {
  auto p = run("ramification 2; equation 2*x*(1 - x)*y' = (1 + x)*y; coefficients 0, 1;");
  CHECK(p.spec.equation.ramification == 2);
  CHECK(p.an.verdict == SeriesVerdict::Converges);
  for (std::size_t k = 0; k < 10; ++k) CHECK(p.sol->coefficients()[k] == (k % 2 ? 1 : 0));  // x^(1/2) / (1 - x)
  REQUIRE(p.an.radius_lower);
  CHECK(*p.an.radius_lower <= 1);  // radius in t
  CHECK(*p.an.radius_lower * Rational(11, 10) >= 1);
  auto v = evaluate_sum(*p.sol, p.an, Rational(9, 16), 30);
  REQUIRE(v);
  CHECK(v->met_digits);
  CHECK(v->value.contains(Rational(12, 7)));
  auto w = evaluate_sum(*p.sol, p.an, Rational(1, 2), 30);  // t = 2^(-1/2), y = 2^(1/2)
  REQUIRE(w);
  CHECK(w->value.contains(cerval::numeric::sqrt(MpInterval::enclose(Rational(2), 400))));
  auto a = run("ramification 2; equation y^2 = x + x^2; coefficients 0, 1;");
  CHECK(a.sol->coefficients()[3] == Rational(1, 2));
  CHECK(a.sol->coefficients()[5] == Rational(-1, 8));
  auto q = parse_series_spec("series ramification 2; equation y = 1 + x*y(4*x);", "t.spec");
  CHECK(q.equation.q == 2);
  CHECK_THROWS_WITH(parse_series_spec("series ramification 2; equation y = 1 + x*y(2*x);", "t.spec"),
                    Catch::Contains("t.spec:1:33: error: q^(1/2) is irrational"));
}

TEST_CASE("convergence: algebraic equations F(x, y) = 0 with dF/dy(0, c_0) != 0") {
  auto a = run("equation y^2 = 1 + x; coefficients 1;");  // sqrt(1 + x), radius 1
  CHECK(a.an.verdict == SeriesVerdict::Converges);
  check_radius(a, MpInterval::enclose(Rational(1), 256));
  auto v = evaluate_sum(*a.sol, a.an, Rational(1, 3), 20);
  REQUIRE(v);
  CHECK(v->value.contains(cerval::numeric::sqrt(MpInterval::enclose(Rational(4, 3), 400))));
}

TEST_CASE("convergence: nonlinear Mahler and q-difference equations (weighted l1 contraction)") {
  auto m = run("equation y = x + y(x^2)^2; coefficients 0;");
  CHECK(m.an.verdict == SeriesVerdict::Converges);
  REQUIRE(m.an.radius_lower);
  CHECK(*m.an.radius_lower < 1);  // a Mahler series with infinitely many nonzero integer coefficients has radius <= 1
  CHECK(*m.an.radius_lower > Rational(9, 10));
  auto v = evaluate_sum(*m.sol, m.an, Rational(1, 3), 20);
  REQUIRE(v);
  CHECK(v->met_digits);
  // y(1/3) = 1/3 + y(1/9)^2 with y(1/9) = 1/9 + y(1/81)^2, ...: the enclosure is consistent with the equation
  auto q = run("equation y = 1 + x*y(x/2)^2; coefficients 1;");
  CHECK(q.an.verdict == SeriesVerdict::Converges);
  REQUIRE(q.an.radius_lower);
  CHECK(*q.an.radius_lower > 1);
}

TEST_CASE("convergence: leading exponents (y = x^mu z)") {
  auto b = run("exponent 1/2; equation x^2*y'' + x*y' + (x^2 - 1/4)*y = 0; coefficients 1;");
  CHECK(b.spec.equation.exponent == Rational(1, 2));
  CHECK(b.an.verdict == SeriesVerdict::Converges);
  CHECK(b.an.infinite_radius);
  CHECK(b.sol->coefficients()[2] == Rational(-1, 6));
  CHECK(b.sol->coefficients()[4] == Rational(1, 120));
  auto v = evaluate_sum(*b.sol, b.an, Rational(1, 4), 30);
  REQUIRE(v);
  CHECK(v->met_digits);
  CHECK(v->value.contains(MpInterval::enclose(Rational(2), 400) * cerval::numeric::sin(MpInterval::enclose(Rational(1, 4), 400))));
  auto l = run("exponent -1; equation y' = y^2; coefficients -1;");
  auto w = evaluate_sum(*l.sol, l.an, Rational(1, 2), 20);
  REQUIRE(w);
  CHECK(w->value.contains(Rational(-2)));
  CHECK_THROWS_WITH(parse_series_spec("series exponent 1/2; equation y = 1 + y^2*x;", "t.spec"),
                    Catch::Contains("do not differ by integers"));
}
