// The theorem's delta-net search and the branch and bound agree.
#include <cerval/expr/parser.hpp>
#include <cerval/search/branch_and_bound.hpp>
#include <cerval/search/exhaustive.hpp>

#include <catch2/catch.hpp>

using namespace cerval;

TEST_CASE("exhaustive search and branch and bound agree on small problems", "[exhaustive]") {
  const char* problems[] = {
      "variables x in [-2, 2]; minimize (x - 1/3)^2 + 1;",
      "variables x in [-1, 1]; y in [-1, 1]; minimize x^2 + x*y + y^2 + sin(3*x);",
      "variables x in [0, 4]; minimize x*sin(x) + cos(2*x);",
  };
  for (const char* text : problems) {
    expr::Spec spec = expr::parse_spec(text, "small");
    search::SearchOptions so;
    so.eps_abs = 1e-2;  // the delta-net grows like (L w / eps)^n: keep it near 10^6 points
    so.max_boxes = 5'000'000;
    const auto net = search::exhaustive_minimize(spec, spec.objective->expr, so);
    REQUIRE(net.completed);
    CHECK(net.upper - net.lower <= 2e-2);
    const auto bnb = search::minimize(spec, spec.objective->expr, so);
    REQUIRE(bnb.status == search::SearchStatus::Success);
    // Both enclose the same f*: the enclosures intersect.
    CHECK(net.lower <= bnb.upper);
    CHECK(bnb.lower <= net.upper);
    // And the branch and bound needed far fewer evaluations.
    CHECK(static_cast<double>(bnb.boxes_processed) < net.net_points);
  }
}

TEST_CASE("exhaustive search refuses what is not a compact box", "[exhaustive]") {
  expr::Spec constrained = expr::parse_spec("variables x in [0, 1]; minimize x; constraints x >= 1/2;", "c");
  CHECK_FALSE(search::exhaustive_minimize(constrained, constrained.objective->expr, {}).completed);
  expr::Spec unbounded = expr::parse_spec("variables x in [0, oo]; minimize x;", "u");
  CHECK_FALSE(search::exhaustive_minimize(unbounded, unbounded.objective->expr, {}).completed);
}
