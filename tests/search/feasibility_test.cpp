// Feasible boxes for equality constraints (include/cerval/search/feasibility.hpp)
// and their certificates: accepted when Krawczyk's test holds, rejected when
// the box is moved off the solution.
#include <cerval/cert/checker.hpp>
#include <cerval/expr/parser.hpp>
#include <cerval/search/certificate_export.hpp>
#include <cerval/search/feasibility.hpp>

#include <catch2/catch.hpp>

using namespace cerval;

TEST_CASE("a feasible box is proven near a candidate on the circle", "[feasibility]") {
  expr::Spec spec = expr::parse_spec(
      "variables x in [-3, 3]; y in [-3, 3]; minimize x + y; constraints x^2 + y^2 = 2; x <= 0;", "circle");
  const search::FeasibilityProver prover(spec, spec.objective->expr, std::nullopt);
  REQUIRE(prover.needed());
  // A rough candidate: Newton brings it onto the circle first.
  const auto proven = prover.prove_near({-0.9, -1.2});
  REQUIRE(proven);
  // The box is tiny, holds a point of the circle and satisfies x <= 0 throughout.
  const auto& box = proven->box;
  CHECK(box[0].upper() <= 0);
  const numeric::Interval r2 = box[0] * box[0] + box[1] * box[1];
  CHECK(r2.lower() <= 2);
  CHECK(r2.upper() >= 2);
  // A candidate violating x <= 0 is first moved onto the feasible set.
  const auto restored = prover.prove_near({1.0, 1.0});
  REQUIRE(restored);
  CHECK(restored->box[0].upper() <= 0);
  // Contradictory constraints: never a feasible box.
  expr::Spec contradictory = expr::parse_spec(
      "variables x in [-3, 3]; y in [-3, 3]; minimize x; constraints x^2 + y^2 = 2; x >= 2;", "none");
  const search::FeasibilityProver none(contradictory, contradictory.objective->expr, std::nullopt);
  CHECK_FALSE(none.prove_near({1.0, 1.0}));
  CHECK_FALSE(none.prove_near({2.5, 0.0}));
  // With eps_h the equality is an inequality: nothing to prove.
  CHECK_FALSE(search::FeasibilityProver(spec, spec.objective->expr, numeric::Rational(1, 1000)).needed());
}

TEST_CASE("a minimum certificate with a box witness is checked by Krawczyk's test", "[feasibility]") {
  expr::Spec spec = expr::parse_spec("variables x in [0, 2]; minimize x; constraints x^2 = 2;", "sqrt2");
  search::SearchOptions so;
  const auto r = search::minimize(spec, spec.objective->expr, so);
  REQUIRE(r.status == search::SearchStatus::Success);
  REQUIRE(r.witness_box);
  std::string why;
  auto c = search::minimum_certificate(spec, spec.objective->expr, r, so, why);
  REQUIRE(c);
  REQUIRE(c->witness->is_box());
  const auto accepted = cert::check(*c);
  INFO(accepted.reason);
  CHECK(accepted.valid);

  // The same box shifted off sqrt 2: Krawczyk fails, the witness is rejected.
  cert::Certificate moved = *c;
  const double width = moved.witness->box_upper[0] - moved.witness->box_lower[0];
  moved.witness->box_lower[0] += 2 * width;
  moved.witness->box_upper[0] += 2 * width;
  moved.witness->point[0] = moved.witness->box_lower[0];
  const auto rejected = cert::check(moved);
  CHECK_FALSE(rejected.valid);
  CHECK(rejected.reason.find("Krawczyk") != std::string::npos);

  // A point witness cannot claim an irrational equality.
  cert::Certificate point = *c;
  point.witness->box_lower.clear();
  point.witness->box_upper.clear();
  CHECK_FALSE(cert::check(point).valid);
}
