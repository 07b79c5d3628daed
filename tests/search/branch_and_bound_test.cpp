// Certified minimisation against closed-form minima (references/search.md):
// the certified enclosure must contain the exact minimum, the witness must be
// feasible and inside the domain, and the status must be the proven one.
#include <cerval/expr/parser.hpp>
#include <cerval/cert/checker.hpp>
#include <cerval/search/branch_and_bound.hpp>
#include <cerval/search/certificate_export.hpp>

#include <catch2/catch.hpp>

using namespace cerval;

namespace {

search::MinimizationResult run(expr::Spec& spec, search::SearchOptions so = {}) {
  const bool maximize = spec.objective->sense == expr::Sense::Maximize;
  const expr::NodeId f = maximize ? spec.graph.unary(expr::Op::Neg, spec.objective->expr) : spec.objective->expr;
  if (so.timeout_s == 0) so.timeout_s = 60;
  return search::minimize(spec, f, so);
}

// The enclosure [lower, upper] contains the exact rational q.
bool encloses(const search::MinimizationResult& r, const numeric::Rational& q) {
  return numeric::to_rational(r.lower) <= q && q <= numeric::to_rational(r.upper);
}

struct Case {
  const char* name;
  const char* spec;
  const char* minimum;  // exact
};

}  // namespace

TEST_CASE("branch and bound certifies closed-form minima", "[search]") {
  const Case cases[] = {
      {"booth", "variables x in [-10,10]; y in [-10,10]; minimize (x + 2*y - 7)^2 + (2*x + y - 5)^2;", "0"},
      {"matyas", "variables x in [-10,10]; y in [-10,10]; minimize 0.26*(x^2 + y^2) - 0.48*x*y;", "0"},
      {"three-hump camel", "variables x in [-5,5]; y in [-5,5]; minimize 2*x^2 - 1.05*x^4 + x^6/6 + x*y + y^2;", "0"},
      {"beale",
       "variables x in [-4.5,4.5]; y in [-4.5,4.5];"
       "minimize (1.5 - x + x*y)^2 + (2.25 - x + x*y^2)^2 + (2.625 - x + x*y^3)^2;",
       "0"},
      {"himmelblau", "variables x in [-5,5]; y in [-5,5]; minimize (x^2 + y - 11)^2 + (x + y^2 - 7)^2;", "0"},
      {"rosenbrock", "variables x in [-5,10]; y in [-5,10]; minimize 100*(y - x^2)^2 + (1 - x)^2;", "0"},
      {"rastrigin 2", "variables x in [-5.12,5.12]; y in [-5.12,5.12];"
                      "minimize 20 + x^2 - 10*cos(2*pi*x) + y^2 - 10*cos(2*pi*y);", "0"},
      {"easom", "variables x in [-100,100]; y in [-100,100];"
                "minimize -cos(x)*cos(y)*exp(-((x - pi)^2 + (y - pi)^2));", "-1"},
      {"shifted parabola", "variables x in [0.1, 3]; minimize (x - 1/3)^2 + 7/10;", "7/10"},
  };
  for (const Case& c : cases) {
    SECTION(c.name) {
      expr::Spec spec = expr::parse_spec(c.spec, c.name);
      const auto r = run(spec);
      CHECK(r.status == search::SearchStatus::Success);
      CHECK(encloses(r, *numeric::parse_rational(c.minimum)));
      REQUIRE(r.witness);
      CHECK(search::in_exact_domain(spec, *r.witness));
      CHECK(r.upper - r.lower <= 1e-9 * std::max(1.0, std::fabs(r.upper)));
    }
  }
}

TEST_CASE("maximisation is certified as the minimum of the negation", "[search]") {
  expr::Spec spec = expr::parse_spec("variables x in [0, 3]; maximize x*exp(-x);", "max");
  const auto r = run(spec);
  REQUIRE(r.status == search::SearchStatus::Success);
  // max x e^-x = 1/e at x = 1: the minimum of -x e^-x is -1/e.
  const numeric::Interval minus_inv_e = -numeric::exp(numeric::Interval(-1.0));
  CHECK(r.lower <= minus_inv_e.upper());
  CHECK(minus_inv_e.lower() <= r.upper);
}

TEST_CASE("constrained minimum with a feasible witness", "[search]") {
  expr::Spec spec = expr::parse_spec(
      "variables x in [-3, 3]; y in [-3, 3]; minimize x + y; constraints x^2 + y^2 <= 2;", "disk");
  const auto r = run(spec);
  CHECK(r.status == search::SearchStatus::Success);
  CHECK(encloses(r, numeric::Rational(-2)));
}

TEST_CASE("infeasible constraints are proven infeasible", "[search]") {
  expr::Spec spec = expr::parse_spec(
      "variables x in [-1, 1]; y in [-1, 1]; minimize x; constraints x^2 + y^2 >= 3;", "empty");
  const auto r = run(spec);
  CHECK(r.status == search::SearchStatus::Infeasible);
  CHECK_FALSE(r.witness);
}

TEST_CASE("equality constraints: feasibility proven by Krawczyk boxes, never by an unproven point", "[search]") {
  // x^2 = 2 has only irrational solutions: no double satisfies it exactly.
  expr::Spec spec = expr::parse_spec("variables x in [0, 2]; minimize x; constraints x^2 = 2;", "eq");
  search::SearchOptions so;
  so.max_boxes = 20000;
  const auto r = run(spec, so);
  REQUIRE(r.status == search::SearchStatus::Success);
  REQUIRE(r.witness_box);  // the witness is a box proven to hold sqrt(2)
  const numeric::Rational sqrt2_lo = *numeric::parse_decimal("1.41421356237309504880");
  const numeric::Rational sqrt2_hi = *numeric::parse_decimal("1.41421356237309504881");
  CHECK(numeric::to_rational(r.witness_box->at(0).lower()) < sqrt2_lo);
  CHECK(numeric::to_rational(r.witness_box->at(0).upper()) > sqrt2_hi);
  CHECK(numeric::to_rational(r.lower) <= sqrt2_lo);
  CHECK(numeric::to_rational(r.upper) >= sqrt2_hi);

  // An equality with no solution near any candidate: no witness at all.
  expr::Spec none = expr::parse_spec("variables x in [0, 2]; minimize x; constraints x^2 = -1;", "none");
  const auto empty = run(none, so);
  CHECK_FALSE(empty.witness);
  CHECK(empty.status == search::SearchStatus::Infeasible);
  // With an explicit relaxation the relaxed problem is solved and certified.
  so.eps_h = numeric::Rational(1, 1000000);
  const auto relaxed = run(spec, so);
  CHECK(relaxed.status == search::SearchStatus::Success);
  REQUIRE(relaxed.witness);
  // sqrt(2 - 1e-6) <= x*: the relaxed minimum lies below sqrt 2.
  CHECK(relaxed.lower <= std::sqrt(2.0));
}

TEST_CASE("a timeout ends the search cleanly with status timeout", "[search]") {
  expr::Spec spec = expr::parse_spec(
      // Styblinski-Tang in 6 variables: 2^6 local minima, minimisers irrational.
      "variables x[6] in [-5, 5];"
      "minimize (x(1)^4 - 16*x(1)^2 + 5*x(1)) + (x(2)^4 - 16*x(2)^2 + 5*x(2)) + (x(3)^4 - 16*x(3)^2 + 5*x(3))"
      " + (x(4)^4 - 16*x(4)^2 + 5*x(4)) + (x(5)^4 - 16*x(5)^2 + 5*x(5)) + (x(6)^4 - 16*x(6)^2 + 5*x(6));",
      "styblinski_tang6");
  search::SearchOptions so;
  so.max_boxes = 300;
  const auto r = run(spec, so);
  CHECK(r.status == search::SearchStatus::Timeout);
  CHECK(r.lower <= 6 * -78.332331);  // still a valid enclosure of f* = 6 * (-78.33233140754...)
}

TEST_CASE("a witness lies in the declared domain when its bounds are irrational", "[search]") {
  // The searched box is [0, pi] rounded outward; the witness must not be one
  // of the rationals just above pi, or -x would undercut the true minimum -pi.
  expr::Spec spec = expr::parse_spec("variables x in [0, pi]; minimize -x;", "irrational_bound");
  const auto r = run(spec);
  REQUIRE(r.status == search::SearchStatus::Success);
  REQUIRE(r.witness);
  const numeric::Rational x = numeric::to_rational(r.witness->at(0));
  CHECK(x <= *numeric::parse_decimal("3.14159265358979323846"));  // x <= pi
  CHECK(r.lower <= -3.14159265358979323846);
  CHECK(numeric::to_rational(r.upper) >= -*numeric::parse_decimal("3.14159265358979323846"));
}

TEST_CASE("unbounded domains end with a result, never a hang", "[search]") {
  // From IBEX's exinfinity2: one variable in [-oo, +oo], bounded by a constraint.
  expr::Spec spec = expr::parse_spec(
      "variables x1 in [-oo, +oo]; x2 in [-1e8, 1e8]; minimize 12*x1^2 + 6*x2^2; constraints x1 >= -1e8;", "inf");
  search::SearchOptions so;
  so.timeout_s = 5;
  const auto r = run(spec, so);
  CHECK(encloses(r, numeric::Rational(0)));
  CHECK(r.status == search::SearchStatus::Success);
}

TEST_CASE("an ill-conditioned quadratic in 6 variables closes in a handful of boxes", "[search]") {
  // Trid 6: minimum -50 at x_i = i (7 - i); its tridiagonal Hessian defeats
  // Gershgorin's row bounds, not the Newton bound of the quadratic model.
  expr::Spec spec = expr::parse_spec(
      "variables x[6] in [-36, 36];"
      "minimize (x(1)-1)^2 + (x(2)-1)^2 + (x(3)-1)^2 + (x(4)-1)^2 + (x(5)-1)^2 + (x(6)-1)^2"
      " - x(2)*x(1) - x(3)*x(2) - x(4)*x(3) - x(5)*x(4) - x(6)*x(5);",
      "trid6");
  const auto r = run(spec);
  REQUIRE(r.status == search::SearchStatus::Success);
  CHECK(encloses(r, numeric::Rational(-50)));
  CHECK(r.boxes_processed <= 100);
}

TEST_CASE("huge domains: no overflow in the second-order bounds", "[search]") {
  // IBEX's ex8_1_6bis: variables in [-1e100, 1e100] (once an internal error:
  // the Hessian's radius overflowed in the Newton bound). f* = -10.0860...
  expr::Spec spec = expr::parse_spec(
      "variables x1 in [-1.e100,1.e100]; x2 in [-1.e100,1.e100];"
      "minimize (-1/(0.1 + (x1 - 4)^2 + (x2 - 4)^2)) - 1/(0.2 + (x1 - 1)^2 + (x2 - 1)^2)"
      " - 1/(0.2 + (x1 - 8)^2 + (x2 - 8)^2);"
      "constraints x1 >= -1.e8; x2 >= -1.e8;",
      "ex8_1_6bis");
  search::SearchOptions so;
  so.timeout_s = 20;
  const auto r = run(spec, so);
  CHECK(r.status == search::SearchStatus::Success);
  CHECK(r.lower <= -10.086);
  CHECK(r.upper >= -10.087);
}

TEST_CASE("boxes whose enclosure is not proven defined are split until it is, for the certificate", "[search]") {
  // x^2 - 2x + 2 >= 1 everywhere, but its natural enclosure on a wide box
  // holds 0, so the division is not proven defined there; those boxes have
  // lower bounds (x + [0, oo)) far above the minimum near x = -1.
  const auto spec = expr::parse_spec("variables x in [-1, 3]; minimize x + sqr(1/(x*x - 2*x + 2));", "t");
  search::SearchOptions so;
  so.eps_abs = 1e-9;
  const auto r = search::minimize(spec, spec.objective->expr, so);
  REQUIRE(r.status == search::SearchStatus::Success);
  CHECK(r.lower <= -1 + 1.0 / 25);
  CHECK(r.upper >= -1 + 1.0 / 25 - 1e-12);
  std::string why;
  const auto c = search::minimum_certificate(spec, spec.objective->expr, r, so, why);
  INFO(why);
  REQUIRE(c);
  const cert::CheckResult check = cert::check(*c);
  INFO(check.reason);
  CHECK(check.valid);
}

TEST_CASE("a function undefined on a region ends without a certificate, within bounded extra work", "[search]") {
  const auto spec = expr::parse_spec("variables x in [-1, 1], y in [-1, 1]; minimize x + sqrt(y);", "t");
  search::SearchOptions so;
  so.eps_abs = 1e-6;
  const auto r = search::minimize(spec, spec.objective->expr, so);
  CHECK(r.boxes_processed < 100000);
  std::string why;
  CHECK(!search::minimum_certificate(spec, spec.objective->expr, r, so, why));
}

TEST_CASE("unconstrained search discards interior boxes without stationary points, and the checker agrees",
          "[search]") {
  // Six-hump camel: six stationary points besides the two global minimisers.
  expr::Spec spec = expr::parse_spec(
      "variables x in [-3, 3]; y in [-2, 2];\n"
      "minimize 4*x^2 - 2.1*x^4 + x^6/3 + x*y - 4*y^2 + 4*y^4;\n",
      "camel.spec");
  search::SearchOptions so;
  so.record_tree = true;
  const search::MinimizationResult r = run(spec, so);
  REQUIRE(r.status == search::SearchStatus::Success);
  // f* = -1.0316284534898774... (two minimisers, +-(0.0898420, -0.7126564)).
  CHECK(numeric::to_rational(r.lower) <= numeric::Rational(-10316284534, 10000000000));
  CHECK(numeric::Rational(-10316284535, 10000000000) <= numeric::to_rational(r.upper));
  CHECK(r.boxes_without_stationary_point > 0);
  std::string why;
  const auto c = search::minimum_certificate(spec, spec.objective->expr, r, so, why);
  REQUIRE(c);
  const cert::CheckResult check = cert::check(*c);
  INFO(check.reason);
  CHECK(check.valid);
}
