// Lagrangian bounds (lagrangian.hpp).
#include <cerval/expr/lagrangian.hpp>

#include <cmath>

namespace cerval::expr {

bool multiplier_admissible(double l, Relation relation, bool lower_side, bool equalities_relaxed) {
  if (!std::isfinite(l)) return false;
  if (l == 0) return true;
  // The sign that makes l (g - b) <= 0 at feasible points (lower side).
  switch (relation) {
    case Relation::LessEqual:
    case Relation::Less:
      return lower_side ? l > 0 : l < 0;
    case Relation::GreaterEqual:
    case Relation::Greater:
      return lower_side ? l < 0 : l > 0;
    case Relation::Equal:
      return !equalities_relaxed;
  }
  return false;
}

NodeId add_lagrangian(ExprGraph& graph, NodeId f, const std::vector<ConstraintTerm>& constraints,
                      const std::vector<double>& multipliers) {
  NodeId sum = f;
  for (std::size_t k = 0; k < constraints.size() && k < multipliers.size(); ++k) {
    if (multipliers[k] == 0) continue;
    const NodeId slack = graph.binary(Op::Sub, constraints[k].expr, graph.constant(constraints[k].bound));
    const NodeId term = graph.binary(Op::Mul, graph.constant(numeric::to_rational(multipliers[k])), slack);
    sum = graph.binary(Op::Add, sum, term);
  }
  return sum;
}

}  // namespace cerval::expr
