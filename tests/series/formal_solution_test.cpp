#include <catch2/catch.hpp>

#include <cerval/expr/diagnostics.hpp>
#include <cerval/series/equation.hpp>
#include <cerval/series/formal_solution.hpp>

#include <chrono>

using cerval::expr::InputError;
using cerval::series::FormalSolution;
using cerval::series::parse_series_spec;
using cerval::series::Rational;

namespace {
cerval::series::SeriesSpec spec(const std::string& body) { return parse_series_spec("series\n" + body, "t.spec"); }
}  // namespace

TEST_CASE("formal solution: exp, 1/(1-x) and Euler's series are exact") {
  auto e = spec("equation y' = y; coefficients 1;");
  FormalSolution s(e.equation, e.coefficients);
  s.extend(60);
  Rational f = 1;
  for (std::size_t n = 0; n < 60; ++n) {
    if (n > 0) f /= static_cast<long>(n);
    CHECK(s.coefficients()[n] == f);
  }
  auto euler = spec("equation x^2*y' + y = x;");
  FormalSolution t(euler.equation, euler.coefficients);
  t.extend(30);
  CHECK(t.coefficients()[0] == 0);
  Rational fact = 1;
  for (std::size_t n = 0; n + 1 < 30; ++n) {
    if (n > 0) fact *= static_cast<long>(n);
    CHECK(t.coefficients()[n + 1] == ((n % 2) ? -fact : fact));
  }
}

TEST_CASE("formal solution: 10,000 terms of a linear recurrence in well under a second") {
  auto g = spec("equation (1 - x)*y' = y; coefficients 1;");
  FormalSolution s(g.equation, g.coefficients);
  const auto t0 = std::chrono::steady_clock::now();
  s.extend(10000);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  CHECK(seconds < 0.5);
  for (const auto& c : s.coefficients()) REQUIRE(c == 1);
  auto a = spec("equation (1 + x^2)*y' = 1; coefficients 0;");
  FormalSolution t(a.equation, a.coefficients);
  t.extend(10000);
  CHECK(t.coefficients()[9999] == Rational(-1, 9999));
  CHECK(t.coefficients()[9998] == 0);
}

TEST_CASE("formal solution: tan, Mahler series and Thue-Morse") {
  auto tn = spec("equation y' = 1 + y^2; coefficients 0;");
  FormalSolution s(tn.equation, tn.coefficients);
  s.extend(12);
  CHECK(s.coefficients()[1] == 1);
  CHECK(s.coefficients()[3] == Rational(1, 3));
  CHECK(s.coefficients()[5] == Rational(2, 15));
  CHECK(s.coefficients()[7] == Rational(17, 315));
  CHECK(s.coefficients()[11] == Rational(1382, 155925));
  auto m = spec("equation y = x + y(x^2); coefficients 0;");
  FormalSolution t(m.equation, m.coefficients);
  t.extend(300);
  for (std::size_t n = 1; n < 300; ++n) CHECK(t.coefficients()[n] == (((n & (n - 1)) == 0) ? 1 : 0));
  auto tm = spec("unknown T(x); equation T(x) = (1 - x)*T(x^2); coefficients 1;");
  FormalSolution u(tm.equation, tm.coefficients);
  u.extend(256);
  for (std::size_t n = 0; n < 256; ++n) CHECK(u.coefficients()[n] == ((__builtin_popcountll(n) % 2) ? -1 : 1));
  auto q = spec("equation y = 1 + x*y(2*x);");
  FormalSolution v(q.equation, q.coefficients);
  v.extend(20);
  for (std::size_t n = 0; n < 20; ++n) CHECK(v.coefficients()[n] == Rational(cerval::numeric::Integer(1) << (n * (n - 1) / 2)));
}

TEST_CASE("formal solution: resonances, missing data and contradictions are errors") {
  auto r = spec("equation x*y' = y;");
  FormalSolution s(r.equation, r.coefficients);
  CHECK_THROWS_WITH(s.extend(3), Catch::Contains("c_1 is not determined"));
  auto r2 = spec("equation x*y' = y; coefficients 0, 5;");
  FormalSolution t(r2.equation, r2.coefficients);
  t.extend(10);
  CHECK(t.coefficients()[1] == 5);
  CHECK(t.coefficients()[2] == 0);
  auto log = spec("equation x*y' - y = x; coefficients 0;");
  FormalSolution u(log.equation, log.coefficients);
  CHECK_THROWS_WITH(u.extend(3), Catch::Contains("no formal power series solution"));
  auto bad = spec("equation y' = y; coefficients 1, 2;");
  CHECK_THROWS_WITH(FormalSolution(bad.equation, bad.coefficients), Catch::Contains("t.spec:2:10: error: the given coefficients do not satisfy"));
  auto nl = spec("equation y' = y^2;");
  CHECK_THROWS_WITH(FormalSolution(nl.equation, nl.coefficients), Catch::Contains("needs its leading coefficients"));
}

namespace {
cerval::series::SeriesSpec spec_with(const std::string& constants, const std::string& body) {
  return parse_series_spec("constants\n" + constants + "\nseries\n" + body, "t.spec");
}
}  // namespace

TEST_CASE("formal solution: the interval instantiation of the recurrence agrees with the exact one") {
  // q = sqrt(1/4) is not folded to a rational: the same recurrence runs on enclosures.
  for (const char* body : {"equation y = 1 + x*y(q*x) + x^2*y(q^2*x);", "equation y = 1 + x*y(q*x)^2; coefficients 1;",
                           "equation y(q*x) - y = x*y + x^3; coefficients 1;"}) {
    auto e = spec_with("q = 1/2;", body);
    auto i = spec_with("q = sqrt(1/4);", body);
    REQUIRE(!i.equation.q_rational());
    FormalSolution exact(e.equation, e.coefficients), enclosed(i.equation, i.coefficients);
    REQUIRE(exact.exact());
    REQUIRE(!enclosed.exact());
    exact.extend(40);
    enclosed.extend(40);
    for (std::size_t n = 0; n < 40; ++n) {
      REQUIRE(enclosed.coefficient(n, 128).contains(exact.coefficients()[n]));
      CHECK(enclosed.certainly_zero(n) == (exact.coefficients()[n] == 0));
      CHECK(enclosed.magnitude_upper(n) >= abs(exact.coefficients()[n]));
    }
  }
}

TEST_CASE("formal solution: 10,000 enclosed terms with q = 1/sqrt(2); raising the precision narrows them") {
  auto s = spec_with("q = 1/sqrt(2);", "equation y(q*x) - y = x*y; coefficients 1;");
  FormalSolution sol(s.equation, s.coefficients);
  const auto t0 = std::chrono::steady_clock::now();
  sol.extend(10000);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  CHECK(seconds < 1.0);
  CHECK(sol.precision() == 128);
  const auto w128 = sol.coefficient(9999, 128);
  CHECK(w128.width() < 1e-25);
  sol.raise_precision(512);
  CHECK(sol.precision() == 512);
  CHECK(sol.size() == 10000);
  const auto w512 = sol.coefficient(9999, 512);
  CHECK(w128.contains(w512));
  CHECK(w512.width() < 1e-130);
  CHECK_THROWS_AS(sol.coefficients(), std::logic_error);
}

TEST_CASE("formal solution: undecided divisions with an interval q are reported, not guessed") {
  auto s = spec_with("q in [0.9, 1.1];", "equation y(q*x) - y = x*y; coefficients 1;");
  FormalSolution sol(s.equation, s.coefficients);
  CHECK_THROWS_WITH(sol.extend(2), Catch::Contains("Ind(1)") && Catch::Contains("encloses 0"));
}
