// Lagrangian bounds (include/cerval/expr/lagrangian.hpp): the sign rules
// and the expression built.
#include <cerval/expr/eval.hpp>
#include <cerval/expr/lagrangian.hpp>
#include <cerval/expr/parser.hpp>

#include <catch2/catch.hpp>

using namespace cerval;
using expr::Relation;

TEST_CASE("multiplier signs keep the Lagrangian on the safe side", "[lagrangian]") {
  // Bounds from below (minimisation, f >= c claims).
  CHECK(expr::multiplier_admissible(0.5, Relation::LessEqual, true, false));
  CHECK_FALSE(expr::multiplier_admissible(-0.5, Relation::LessEqual, true, false));
  CHECK(expr::multiplier_admissible(-0.5, Relation::GreaterEqual, true, false));
  CHECK_FALSE(expr::multiplier_admissible(0.5, Relation::Greater, true, false));
  CHECK(expr::multiplier_admissible(-3, Relation::Equal, true, false));
  CHECK(expr::multiplier_admissible(3, Relation::Equal, true, false));
  // Relaxed equalities |g - b| <= eps_h: only 0.
  CHECK_FALSE(expr::multiplier_admissible(3, Relation::Equal, true, true));
  CHECK(expr::multiplier_admissible(0, Relation::Equal, true, true));
  // Bounds from above (f <= c claims): reversed.
  CHECK(expr::multiplier_admissible(-0.5, Relation::LessEqual, false, false));
  CHECK_FALSE(expr::multiplier_admissible(0.5, Relation::Less, false, false));
  CHECK(expr::multiplier_admissible(0.5, Relation::GreaterEqual, false, false));
  CHECK_FALSE(expr::multiplier_admissible(std::nan(""), Relation::Equal, true, false));
}

TEST_CASE("the Lagrangian equals f plus the weighted slacks, exactly", "[lagrangian]") {
  expr::Spec s = expr::parse_spec("variables x; y; minimize x + y; constraints x^2 + y^2 <= 2; x - y = 0.1;", "l");
  std::vector<expr::ConstraintTerm> terms;
  for (const auto& c : s.constraints) terms.push_back({c.expr, c.relation, c.bound});
  const expr::NodeId l = expr::add_lagrangian(s.graph, s.objective->expr, terms, {-0.5, 0.0});
  // Zero multipliers leave the term out; the rest is f - (x^2 + y^2 - 2)/2.
  CHECK(s.graph.to_string(l) == "x + y + (-1/2) * (x^2 + y^2 - 2)");
  // At (1, 1) it is exactly 2; the feasible maximum of x + y.
  const std::vector<numeric::Interval> at{numeric::Interval(1.0), numeric::Interval(1.0)};
  const auto v = expr::evaluate<numeric::Interval>(s.graph, l, at);
  CHECK(v.value.lower() == 2);
  CHECK(v.value.upper() == 2);
  // All-zero multipliers give f itself.
  CHECK(expr::add_lagrangian(s.graph, s.objective->expr, terms, {0.0, 0.0}) == s.objective->expr);
}
