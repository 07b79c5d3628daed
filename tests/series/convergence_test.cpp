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
  // Three terms, and the criterion fails, but the solution is x/(1+x) (c_m = (-1)^(m+1)): never called divergent.
  auto t = run("equation x^2*y' + x^3*y' + y = x;");
  CHECK(t.an.verdict == SeriesVerdict::Unknown);
  for (std::size_t m = 1; m < 10; ++m) CHECK(t.sol->coefficients()[m] == (m % 2 ? 1 : -1));
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
  CHECK_THROWS_WITH(parse_series_spec("series ramification 2; equation y = 1 + x*y(-2*x);", "t.spec"),
                    Catch::Contains("no real 2-th root"));
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

namespace {
// A spec with a constants section before the series section.
Case run_with(const std::string& constants, const std::string& body, std::size_t terms = 10) {
  Case c;
  c.spec = parse_series_spec("constants\n" + constants + "\nseries\n" + body, "t.spec");
  c.sol = std::make_unique<FormalSolution>(c.spec.equation, c.spec.coefficients);
  c.sol->extend(terms);
  c.an = analyse(*c.sol);
  return c;
}
// sqrt(2)^e at `prec` bits, independently of the solver.
MpInterval sqrt2_power(long e, long prec) {
  return cerval::numeric::pow(cerval::numeric::sqrt(MpInterval::enclose(Rational(2), prec)), e);
}
const char* decision_of(const cerval::series::Analysis& an, const std::string& statement) {
  for (const auto& h : an.hypotheses)
    if (h.statement == statement) return cerval::series::decision_name(h.decision);
  return "absent";
}
}  // namespace

TEST_CASE("convergence: q = sqrt(2), y(q x) - y = x y: c_n = prod 1/(q^k - 1) enclosed, entire") {
  auto c = run_with("q = sqrt(2);", "equation y(q*x) - y = x*y; coefficients 1;", 400);
  REQUIRE(!c.sol->exact());
  CHECK(c.spec.equation.q_text() == "sqrt(2)");
  MpInterval truth = MpInterval::enclose(Rational(1), 1000);
  const MpInterval one = MpInterval::enclose(Rational(1), 1000);
  for (std::size_t n = 0; n < 400; ++n) {
    if (n > 0) truth = truth / (sqrt2_power(static_cast<long>(n), 1000) - one);
    const MpInterval v = c.sol->coefficient(n, c.sol->precision());
    REQUIRE(v.contains(truth));
    CHECK(c.sol->certainly_nonzero(n));
  }
  // widths: relative width of c_399 below 2^-64 at the default 128 bits
  const MpInterval last = c.sol->coefficient(399, 128);  // about 2^-39800: compare exactly
  CHECK(last.upper_rational() - last.lower_rational() <=
        abs(last.lower_rational()) / Rational(cerval::numeric::Integer(1) << 64));
  CHECK(c.an.verdict == SeriesVerdict::Converges);
  CHECK(std::string(decision_of(c.an, "|q| != 1")) == "proven");
  CHECK(std::string(decision_of(c.an, "ord a_n <= ord a_j for all j")) == "proven");
  CHECK(c.an.infinite_radius);
  // the sum at 3 against the closed form summed independently (terms decay like 3 q^-n: tail < 2 * last term)
  auto v = evaluate_sum(*c.sol, c.an, Rational(3), 30);
  REQUIRE(v);
  CHECK(v->met_digits);
  MpInterval sum = MpInterval::enclose(Rational(0), 1000), term = MpInterval::enclose(Rational(1), 1000);
  for (long n = 0; n < 120; ++n) {
    if (n > 0) term = term * MpInterval::enclose(Rational(3), 1000) / (sqrt2_power(n, 1000) - one);
    sum += term;
  }
  const Rational t = term.upper_rational() * 2;
  CHECK(v->value.contains(sum + MpInterval::enclose(Rational(0), t, 1000)));
}

TEST_CASE("convergence: q = sqrt(2) diverges (q-Gevrey 1), q = 1/sqrt(2) converges; closed form q^(n(n-1)/2)") {
  auto big = run_with("q = sqrt(2);", "equation y = 1 + x*y(q*x);", 60);
  for (long n = 0; n < 60; ++n) REQUIRE(big.sol->coefficient(static_cast<std::size_t>(n), 128).contains(sqrt2_power(n * (n - 1) / 2, 1000)));
  CHECK(big.an.verdict == SeriesVerdict::Diverges);
  REQUIRE(big.an.gevrey);
  CHECK(*big.an.gevrey == 1);
  CHECK(*big.an.radius_lower == 0);
  CHECK(std::string(decision_of(big.an, "|q| != 1")) == "proven");

  auto small = run_with("q = 1/sqrt(2);", "equation y = 1 + x*y(q*x); coefficients 1;", 60);
  for (long n = 0; n < 60; ++n)
    REQUIRE(small.sol->coefficient(static_cast<std::size_t>(n), 128).contains(sqrt2_power(-n * (n - 1) / 2, 1000)));
  CHECK(small.an.verdict == SeriesVerdict::Converges);
  CHECK(std::string(decision_of(small.an, "|q| != 1")) == "proven");
  CHECK(std::string(decision_of(small.an, "ord a_0 <= ord a_j for all j")) == "proven");
  CHECK(small.an.infinite_radius);
  REQUIRE(small.an.polygon.predicted_gevrey == std::nullopt);
  // sum_n 2^(-n(n-1)/4) at x = 1: 80 terms leave less than 2^-1500
  auto v = evaluate_sum(*small.sol, small.an, Rational(1), 40);
  REQUIRE(v);
  CHECK(v->met_digits);
  MpInterval sum = MpInterval::enclose(Rational(0), 2000);
  for (long n = 0; n < 80; ++n) sum += sqrt2_power(-n * (n - 1) / 2, 2000);
  CHECK(v->value.contains(sum + MpInterval::enclose(Rational(0), Rational(1) / Rational(cerval::numeric::Integer(1) << 1500), 2000)));
}

TEST_CASE("convergence: q = 1/sqrt(2), y(q x) - y = x y has radius 1 (majorant with interval data)") {
  auto c = run_with("q = sqrt(2)/2;", "equation y(q*x) - y = x*y; coefficients 1;", 100);
  CHECK(c.an.verdict == SeriesVerdict::Converges);
  check_radius(c, MpInterval::enclose(Rational(1), 256));
  // c_n = prod 1/(q^k - 1) = (-1)^n prod 1/(1 - q^k), |c_n| increases to a limit below 40
  auto v = evaluate_sum(*c.sol, c.an, Rational(1, 2), 25);
  REQUIRE(v);
  CHECK(v->met_digits);
  const MpInterval one = MpInterval::enclose(Rational(1), 1000);
  MpInterval sum = MpInterval::enclose(Rational(0), 1000), term = one;
  for (long n = 0; n < 400; ++n) {
    if (n > 0) term = term * MpInterval::enclose(Rational(1, 2), 1000) / (sqrt2_power(-n, 1000) - one);
    sum += term;
  }
  // |c_n| 2^-n <= 40 * 2^-n: the tail after 400 terms is below 80 * 2^-400
  const Rational t = Rational(80) / Rational(cerval::numeric::Integer(1) << 400);
  CHECK(v->value.contains(sum + MpInterval::enclose(-t, t, 1000)));
}

TEST_CASE("convergence: an interval q that straddles 1 leaves every verdict unknown; q = pi/2 and 2^(1/3) work") {
  auto s = run_with("q in [0.9, 1.1];", "equation y = 1 + x*y(q*x);");
  CHECK(s.an.verdict == SeriesVerdict::Unknown);
  CHECK(std::string(decision_of(s.an, "|q| != 1")) == "unknown");
  CHECK(!s.an.radius_lower);
  CHECK(!s.an.gevrey);
  // the coefficients hold for every q in the interval: c_2 = q in [0.9, 1.1]
  CHECK(s.sol->coefficient(2, 128).contains(Rational(9, 10)));
  CHECK(s.sol->coefficient(2, 128).contains(Rational(11, 10)));
  // Ind(k) = q^k - 1 encloses 0: the coefficient is undecided, never guessed
  auto r = parse_series_spec("constants q in [0.9, 1.1];\nseries\nequation y(q*x) - y = x*y; coefficients 1;", "t.spec");
  FormalSolution sol(r.equation, r.coefficients);
  CHECK_THROWS_AS(sol.extend(3), cerval::series::Undecided);
  // an interval strictly above 1 decides |q| > 1
  auto above = run_with("q in [1.9, 2.1];", "equation y = 1 + x*y(q*x);");
  CHECK(above.an.verdict == SeriesVerdict::Diverges);
  auto p = run_with("q = pi/2;", "equation y = 1 + x*y(q*x);", 30);
  CHECK(p.an.verdict == SeriesVerdict::Diverges);
  const MpInterval halfpi = MpInterval::pi(1000) / MpInterval::enclose(Rational(2), 1000);
  CHECK(p.sol->coefficient(5, 128).contains(cerval::numeric::pow(halfpi, 10)));
  // Ind(k) = q^(3k) - 2 q^k - 1 = 0 only for q^k = -1 or the golden ratio: never at an integer k
  auto cube = run_with("q = 2^(1/3);", "equation y(q^3*x) = 2*y(q*x) + y + x*y + 1;", 30);
  CHECK(cube.spec.equation.order == 3);
  CHECK(cube.an.verdict == SeriesVerdict::Converges);
  CHECK(std::string(decision_of(cube.an, "non-resonance: Ind(k) != 0 for all k >= 0")) == "proven");
  CHECK(cube.an.infinite_radius);
  CHECK(cube.sol->coefficient(0, 128).contains(Rational(-1, 2)));
}

TEST_CASE("convergence: certified divergence of a three-term recurrence, (1 + x) times Euler's series") {
  // z = (1 + x) E, E = sum (-1)^n n! x^(n+1) (x^2 E' + E = x): z_m = (-1)^(m-1) (m-2) (m-2)! for m >= 2,
  // recurrence c_m = -m c_(m-1) - (m-3) c_(m-2).
  auto z = run("equation x^2*y' + x^3*y' + (1 + x - x^2)*y = x + 2*x^2 + x^3;");
  z.sol->extend(40);
  CHECK(z.sol->coefficients()[1] == 1);
  Rational f = 1;  // (m-2)!
  for (std::size_t m = 2; m < 40; ++m) {
    if (m > 2) f *= static_cast<long>(m - 2);
    CHECK(z.sol->coefficients()[m] == Rational(m % 2 ? 1 : -1) * Rational(static_cast<long>(m) - 2) * f);
  }
  CHECK(z.an.verdict == SeriesVerdict::Diverges);
  REQUIRE(z.an.gevrey);
  CHECK(*z.an.gevrey == 1);
  CHECK(*z.an.radius_lower == 0);
  CHECK(z.an.gevrey_detail.find("3-term") != std::string::npos);
  // q-difference, three terms, irrational q: c_m = q^(m-1) c_(m-1) + c_(m-2), q-Gevrey order 1
  auto q = run_with("q = sqrt(2);", "equation y = 1 + x*y(q*x) + x^2*y;");
  CHECK(q.an.verdict == SeriesVerdict::Diverges);
  REQUIRE(q.an.gevrey);
  CHECK(*q.an.gevrey == 1);
  // c_m = c_(m-1) - (m-3) c_(m-2): the growing term is not the first predecessor; not certified, never guessed
  auto h = run("equation x^3*y' + (1 - x - x^2)*y = x;");
  CHECK(h.an.verdict == SeriesVerdict::Unknown);
  REQUIRE(h.an.polygon.predicted_gevrey);
  CHECK(*h.an.polygon.predicted_gevrey == Rational(1, 2));
}

TEST_CASE("convergence: nonlinear q-difference equation with q = 1/sqrt(2) (contraction on enclosures)") {
  auto c = run_with("q = 1/sqrt(2);", "equation y = 1 + x*y(q*x)^2; coefficients 1;", 64);
  REQUIRE(!c.sol->exact());
  CHECK(c.an.verdict == SeriesVerdict::Converges);
  CHECK(std::string(decision_of(c.an, "|q| != 1")) == "proven");
  REQUIRE(c.an.radius_lower);
  CHECK(*c.an.radius_lower > Rational(1, 2));
  // c_1 = 1, c_2 = 2q, c_3 = q^2 (1 + 4q)... : c_2 against the closed form
  CHECK(c.sol->coefficient(2, 128).contains(MpInterval::enclose(Rational(2), 1000) * sqrt2_power(-1, 1000)));
  // the enclosed sums satisfy the equation: S(1/4) and 1 + S(q/4)^2 / 4 must meet
  auto s = evaluate_sum(*c.sol, c.an, Rational(1, 4), 30);
  const MpInterval qx = sqrt2_power(-1, 400) * MpInterval::enclose(Rational(1, 4), 400);
  auto t = cerval::series::evaluate_sum_at(*c.sol, c.an, qx, 30);
  REQUIRE(s);
  REQUIRE(t);
  CHECK(s->met_digits);
  const MpInterval rhs = MpInterval::enclose(Rational(1), 400) + MpInterval::enclose(Rational(1, 4), 400) * cerval::numeric::sqr(t->value);
  CHECK(!cerval::numeric::intersect(s->value, rhs).is_empty());
}

TEST_CASE("convergence: Puiseux q-difference series whose q^(1/p) is irrational (enclosed real root)") {
  // q^(1/p) irrational: the real root is enclosed. y = 1 + x y(q x) in t = x^(1/2): c_(2n) = q^(n(n-1)/2), c_(2n+1) = 0
  for (const char* c : {"q = 2;", "q = sqrt(3);"}) {
    auto r = run_with(c, "ramification 2; equation y = 1 + x*y(q*x); coefficients 1;", 40);
    REQUIRE(!r.spec.equation.q_rational());
    const MpInterval qv = std::string(c) == "q = 2;" ? MpInterval::enclose(Rational(2), 1000)
                                                     : cerval::numeric::sqrt(MpInterval::enclose(Rational(3), 1000));
    for (long k = 0; k < 40; ++k) {
      const MpInterval v = r.sol->coefficient(static_cast<std::size_t>(k), 128);
      if (k % 2) CHECK(r.sol->certainly_zero(static_cast<std::size_t>(k)));
      else CHECK(v.contains(cerval::numeric::pow(qv, (k / 2) * (k / 2 - 1) / 2)));
    }
    CHECK(r.an.verdict == SeriesVerdict::Diverges);
  }
}

TEST_CASE("convergence: nonlinear equations of order >= 2 get a radius from the weighted Malgrange reduction") {
  using cerval::numeric::log;
  const MpInterval one = MpInterval::enclose(Rational(1), 256);
  auto at400 = [](const Rational& v) { return MpInterval::enclose(v, 400); };
  // y'' = 2 y y', y(0) = 0, y'(0) = 1: y = tan x, radius pi/2
  auto t = run("equation y'' = 2*y*y'; coefficients 0, 1;");
  CHECK(t.an.verdict == SeriesVerdict::Converges);
  check_radius(t, MpInterval::pi(256) / MpInterval::enclose(Rational(2), 256));
  auto tv = evaluate_sum(*t.sol, t.an, Rational(1, 2), 30);
  REQUIRE(tv);
  CHECK(tv->met_digits);
  CHECK(tv->value.contains(cerval::numeric::tan(at400(Rational(1, 2)))));
  // y'' = y'^2, y(0) = 0, y'(0) = 1: y = -log(1 - x), radius 1
  auto l = run("equation y'' = y'^2; coefficients 0, 1;");
  CHECK(l.an.verdict == SeriesVerdict::Converges);
  for (std::size_t k = 1; k < 10; ++k) CHECK(l.sol->coefficients()[k] == Rational(1, static_cast<long>(k)));
  check_radius(l, one);
  auto lv = evaluate_sum(*l.sol, l.an, Rational(1, 2), 30);
  REQUIRE(lv);
  CHECK(lv->met_digits);
  CHECK(lv->value.contains(log(at400(Rational(2)))));
  auto lw = evaluate_sum(*l.sol, l.an, Rational(-3, 4), 20);
  REQUIRE(lw);
  CHECK(lw->value.contains(-log(at400(Rational(7, 4)))));
  // y'' = 2 y^3, y(0) = y'(0) = 1: y = 1/(1 - x)
  auto c = run("equation y'' = 2*y^3; coefficients 1, 1;");
  CHECK(c.an.verdict == SeriesVerdict::Converges);
  for (std::size_t k = 0; k < 10; ++k) CHECK(c.sol->coefficients()[k] == 1);
  check_radius(c, one);
  auto cv = evaluate_sum(*c.sol, c.an, Rational(-3, 4), 25);
  REQUIRE(cv);
  CHECK(cv->value.contains(Rational(4, 7)));
  // y'' = 6 y^2, y(0) = 1, y'(0) = 2: y = 1/(1 - x)^2 (a degenerate Weierstrass function)
  auto w = run("equation y'' = 6*y^2; coefficients 1, 2;");
  CHECK(w.an.verdict == SeriesVerdict::Converges);
  for (std::size_t k = 0; k < 10; ++k) CHECK(w.sol->coefficients()[k] == static_cast<long>(k) + 1);
  check_radius(w, one);
  auto wv = evaluate_sum(*w.sol, w.an, Rational(1, 2), 25);
  REQUIRE(wv);
  CHECK(wv->value.contains(Rational(4)));
  // Lane-Emden of index 5, x y'' + 2 y' + x y^5 = 0, y(0) = 1: y = (1 + x^2/3)^(-1/2), radius sqrt(3)
  auto le = run("equation x*y'' + 2*y' + x*y^5 = 0; coefficients 1;");
  CHECK(le.an.verdict == SeriesVerdict::Converges);
  check_radius(le, cerval::numeric::sqrt(MpInterval::enclose(Rational(3), 256)));
  auto lev = evaluate_sum(*le.sol, le.an, Rational(1), 25);
  REQUIRE(lev);
  CHECK(lev->value.contains(cerval::numeric::sqrt(at400(Rational(3))) / at400(Rational(2))));
  CHECK(evaluate_sum(*le.sol, le.an, Rational(21, 23), 25)->value.contains(Rational(23, 26)));
  // third order: y''' = 2 y'^3, y = -log(1 - x), radius 1
  auto o = run("equation y''' = 2*y'^3; coefficients 0, 1, 1/2;");
  CHECK(o.an.verdict == SeriesVerdict::Converges);
  check_radius(o, one);
  // y y'' = y'^2, y(0) = y'(0) = 1: y = e^x (radius oo). The coefficient of
  // delta^2 t is phi, not a constant: alone the majorant stops near
  // sum_{k>=1} r^k / k! = 1 (r = log 2); normalised by Q ~ 1/phi it goes far beyond.
  auto e = run("equation y*y'' = y'^2; coefficients 1, 1;");
  CHECK(e.an.verdict == SeriesVerdict::Converges);
  REQUIRE(e.an.radius_lower);
  CHECK(*e.an.radius_lower > 10);
  auto ev = evaluate_sum(*e.sol, e.an, Rational(3), 25);
  REQUIRE(ev);
  CHECK(ev->met_digits);
  CHECK(ev->value.contains(cerval::numeric::exp(at400(Rational(3)))));
  // y y'' = 2 y'^2, y(0) = y'(0) = 1: y = 1/(1 - x), radius 1 (without the normalisation: 1/2)
  auto g = run("equation y*y'' = 2*y'^2; coefficients 1, 1;");
  CHECK(g.an.verdict == SeriesVerdict::Converges);
  check_radius(g, one);
  auto gv = evaluate_sum(*g.sol, g.an, Rational(3, 4), 20);
  REQUIRE(gv);
  CHECK(gv->value.contains(Rational(4)));
}

TEST_CASE("convergence: a nonlinear second-order equation without Malgrange's condition gets no radius") {
  // x^3 y'' + y = x + y^2: a_2 = x has a larger order than a_0 = 1 - 2y
  auto u = run("equation x^3*y'' + y = x + y^2; coefficients 0;");
  CHECK(u.an.verdict != SeriesVerdict::Converges);
  CHECK(!(u.an.radius_lower && *u.an.radius_lower > 0));
}

TEST_CASE("convergence: irrational coefficients of the equation (a = sqrt(2)) run on enclosures") {
  using cerval::numeric::exp;
  using cerval::numeric::log;
  using cerval::numeric::sqrt;
  const MpInterval s2 = sqrt(MpInterval::enclose(Rational(2), 400));
  // y' = a y: e^(a x), entire; e^(sqrt 2) enclosed
  auto e = run_with("a = sqrt(2);", "equation y' = a*y; coefficients 1;");
  REQUIRE(!e.sol->exact());
  CHECK(e.an.verdict == SeriesVerdict::Converges);
  CHECK(e.an.infinite_radius);
  auto ev = evaluate_sum(*e.sol, e.an, Rational(1), 30);
  REQUIRE(ev);
  CHECK(ev->met_digits);
  CHECK(ev->value.contains(exp(s2)));
  // (1 - a x) y' = y: y = (1 - a x)^(-1/a), radius 1/sqrt(2)
  auto p = run_with("a = sqrt(2);", "equation (1 - a*x)*y' = y; coefficients 1;");
  CHECK(p.an.verdict == SeriesVerdict::Converges);
  check_radius(p, MpInterval::enclose(Rational(1), 256) / sqrt(MpInterval::enclose(Rational(2), 256)));
  auto pv = evaluate_sum(*p.sol, p.an, Rational(1, 2), 20);
  REQUIRE(pv);
  const MpInterval half = MpInterval::enclose(Rational(1, 2), 400), one = MpInterval::enclose(Rational(1), 400);
  CHECK(pv->value.contains(exp(-log(one - s2 * half) / s2)));
  // x^2 y' + a y = x: Euler's series scaled, diverges with Gevrey order 1 (certified on enclosures)
  auto d = run_with("a = sqrt(2);", "equation x^2*y' + a*y = x;");
  CHECK(d.an.verdict == SeriesVerdict::Diverges);
  REQUIRE(d.an.gevrey);
  CHECK(*d.an.gevrey == 1);
  // y' = 1 + a y^2: y = tan(b x)/b with b = 2^(1/4), radius pi/(2 b) (explicit majorant on enclosures)
  auto t = run_with("a = sqrt(2);", "equation y' = 1 + a*y^2; coefficients 0;");
  CHECK(t.an.verdict == SeriesVerdict::Converges);
  const MpInterval b = sqrt(sqrt(MpInterval::enclose(Rational(2), 256)));
  check_radius(t, MpInterval::pi(256) / (MpInterval::enclose(Rational(2), 256) * b));
  auto tv = evaluate_sum(*t.sol, t.an, Rational(1, 2), 20);
  REQUIRE(tv);
  const MpInterval b4 = sqrt(s2);
  CHECK(tv->value.contains(cerval::numeric::tan(b4 * half) / b4));
  // nonlinear q-difference and Mahler equations (weighted l1 contraction on enclosures):
  // y = 1 + a x y(x/2)^2 is y_1(a x) for the rational equation y_1 = 1 + x y_1(x/2)^2
  auto qa = run_with("a = sqrt(2);", "equation y = 1 + a*x*y(x/2)^2; coefficients 1;");
  CHECK(qa.an.verdict == SeriesVerdict::Converges);
  REQUIRE(qa.an.radius_lower);
  CHECK(*qa.an.radius_lower > 9);
  auto q1 = run("equation y = 1 + x*y(x/2)^2; coefficients 1;");
  auto qav = evaluate_sum(*qa.sol, qa.an, Rational(1), 20);
  auto q1v = cerval::series::evaluate_sum_at(*q1.sol, q1.an, sqrt(MpInterval::enclose(Rational(2), 300)), 20);
  REQUIRE(qav);
  REQUIRE(q1v);
  CHECK(!cerval::numeric::intersect(qav->value, q1v->value).is_empty());  // both contain y_1(sqrt 2)
  auto ma = run_with("a = sqrt(2);", "equation y = a*x + y(x^2)^2/2; coefficients 0;");
  CHECK(ma.an.verdict == SeriesVerdict::Converges);
  REQUIRE(ma.an.radius_lower);
  CHECK(*ma.an.radius_lower > Rational(9, 10));
  CHECK(*ma.an.radius_lower < 1);
  // a^2 - 2 = 0 only algebraically: ord a_0 is undecided, but ord a_1 = 0 is the least possible, so
  // Malgrange's condition is proven; y = x^2/2 + ... (y' = x up to the undecided term)
  auto z = run_with("a = sqrt(2);", "equation y' = a^2*y - 2*y + x; coefficients 0;");
  CHECK(std::string(decision_of(z.an, "ord a_n <= ord a_j for all j")) == "proven");
  CHECK(z.an.verdict == SeriesVerdict::Converges);
  // y'' = 2 a y y', y(0) = 0, y'(0) = 1: the same function (y' = 1 + a y^2), weighted reduction on enclosures
  auto w = run_with("a = sqrt(2);", "equation y'' = 2*a*y*y'; coefficients 0, 1;");
  CHECK(w.an.verdict == SeriesVerdict::Converges);
  check_radius(w, MpInterval::pi(256) / (MpInterval::enclose(Rational(2), 256) * b));
  auto wv = evaluate_sum(*w.sol, w.an, Rational(1, 2), 20);
  REQUIRE(wv);
  CHECK(wv->value.contains(cerval::numeric::tan(b4 * half) / b4));
}
