// The rational-residual form (rational_form.hpp): the loss's structure and
// the floating-point expansion point.
#include <cerval/expr/rational_form.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>

namespace cerval::expr {

namespace {

// Per node: free of the variables, affine in them up to clamps (the rules of
// rational_loss), or neither.
enum class Shape : std::uint8_t { Free, Affine, Other };

std::vector<Shape> classify_shapes(const ExprGraph& g, NodeId root) {
  std::vector<Shape> shape(root + 1, Shape::Other);
  auto both_free = [&](const Node& n) { return shape[n.lhs] == Shape::Free && shape[n.rhs] == Shape::Free; };
  auto at_most_affine = [&](NodeId id) { return shape[id] != Shape::Other; };
  for (NodeId id = 0; id <= root; ++id) {
    const Node& n = g.node(id);
    switch (n.op) {
      case Op::Constant:
      case Op::Pi:
        shape[id] = Shape::Free;
        break;
      case Op::Variable:
        shape[id] = Shape::Affine;
        break;
      case Op::Add:
      case Op::Sub:
        shape[id] = both_free(n)                                       ? Shape::Free
                    : (at_most_affine(n.lhs) && at_most_affine(n.rhs)) ? Shape::Affine
                                                                       : Shape::Other;
        break;
      case Op::Mul:  // a variable-free factor
      case Op::Min:  // clamps by a variable-free bound
      case Op::Max:
        shape[id] = both_free(n) ? Shape::Free
                    : ((shape[n.lhs] == Shape::Free && at_most_affine(n.rhs)) ||
                       (shape[n.rhs] == Shape::Free && at_most_affine(n.lhs)))
                        ? Shape::Affine
                        : Shape::Other;
        break;
      case Op::Div:
        shape[id] = both_free(n)                                             ? Shape::Free
                    : (shape[n.rhs] == Shape::Free && at_most_affine(n.lhs)) ? Shape::Affine
                                                                             : Shape::Other;
        break;
      case Op::Neg:
        shape[id] = shape[n.lhs];
        break;
      default:
        // Any other operation of variable-free operands stays free.
        shape[id] = (is_unary(n.op) ? shape[n.lhs] == Shape::Free : is_binary(n.op) && both_free(n)) ? Shape::Free
                                                                                                     : Shape::Other;
        break;
    }
  }
  return shape;
}

// The clamps below `id` (each once, in `seen`).
void collect_clamps(const ExprGraph& g, NodeId id, const std::vector<Shape>& shape, std::vector<bool>& seen,
                    std::vector<Clamp>& clamps) {
  std::vector<NodeId> pending{id};
  while (!pending.empty()) {
    const NodeId at = pending.back();
    pending.pop_back();
    if (seen[at] || shape[at] == Shape::Free) continue;
    seen[at] = true;
    const Node& n = g.node(at);
    if (n.op == Op::Min || n.op == Op::Max) {
      const bool bound_first = shape[n.lhs] == Shape::Free;
      clamps.push_back({n.op, bound_first ? n.lhs : n.rhs, bound_first ? n.rhs : n.lhs});
    }
    if (is_unary(n.op) || is_binary(n.op)) pending.push_back(n.lhs);
    if (is_binary(n.op)) pending.push_back(n.rhs);
  }
}

}  // namespace

std::optional<RationalLoss> rational_loss(const ExprGraph& g, NodeId f) {
  if (f >= g.size()) return std::nullopt;
  const std::vector<Shape> shape = classify_shapes(g, f);
  const std::optional<std::vector<SquaredTerm>> squares = squared_terms(g, f);
  if (!squares) return std::nullopt;
  RationalLoss loss;
  std::vector<bool> seen(f + 1, false);
  for (const SquaredTerm& square : *squares) {
    RationalResidual term{};
    term.weight = square.weight;
    const Node& r = g.node(square.residual);
    if (r.op != Op::Sub && r.op != Op::Add) return std::nullopt;
    term.target_negated = r.op == Op::Add;
    const bool quotient_first = g.node(r.lhs).op == Op::Div && shape[r.rhs] == Shape::Free;
    const bool quotient_second = g.node(r.rhs).op == Op::Div && shape[r.lhs] == Shape::Free;
    if (!quotient_first && !quotient_second) return std::nullopt;
    const Node& quotient = g.node(quotient_first ? r.lhs : r.rhs);
    if (shape[quotient.lhs] == Shape::Other || shape[quotient.rhs] == Shape::Other) return std::nullopt;
    term.target = quotient_first ? r.rhs : r.lhs;
    term.numerator = quotient.lhs;
    term.denominator = quotient.rhs;
    collect_clamps(g, term.numerator, shape, seen, loss.clamps);
    collect_clamps(g, term.denominator, shape, seen, loss.clamps);
    loss.terms.push_back(term);
  }
  return loss;
}

std::vector<double> rational_form_center(const ExprGraph& g, NodeId f, const RationalLoss& loss,
                                         const std::vector<numeric::Interval>& box) {
  using numeric::Interval;
  const std::size_t n = box.size();
  std::vector<double> z = default_center(box);
  // q(z + d) = sum_i k_i (l_i + a_i . d)^2 in binary64, from the values and
  // gradients at the midpoint (L is affine: exact up to rounding).
  Evaluator<Interval> over_box(g);
  over_box.evaluate_until(box, f);
  std::vector<Dual<Interval>> seeded;
  for (std::size_t j = 0; j < n; ++j) seeded.push_back(Dual<Interval>::variable(Interval(z[j]), j, n));
  Evaluator<Dual<Interval>> at(g);
  at.evaluate_until(seeded, f);
  std::vector<double> k, l, a;
  for (const RationalResidual& t : loss.terms) {
    const Interval d2 = sqr(over_box.value(t.denominator));
    const double c = t.weight ? over_box.value(*t.weight).midpoint() : 1.0;
    if (d2.is_empty() || !(d2.upper() > 0) || !std::isfinite(d2.upper())) return z;
    k.push_back(c / d2.upper());
    const double y = (t.target_negated ? -1.0 : 1.0) * at.value(t.target).value.midpoint();
    const auto& num = at.value(t.numerator);
    const auto& den = at.value(t.denominator);
    l.push_back(y * den.value.midpoint() - num.value.midpoint());
    for (std::size_t j = 0; j < n; ++j)
      a.push_back(y * detail::at(den.grad, j, den.value).midpoint() - detail::at(num.grad, j, num.value).midpoint());
  }
  return linearised_minimiser(box, std::move(z), k, l, a);
}

std::vector<bool> clamps_kept_inactive(const ExprGraph& g, const RationalLoss& loss,
                                       const std::vector<ConstraintBound>& constraints) {
  auto point_constant = [&](NodeId id) -> std::optional<numeric::Rational> {
    const Node& n = g.node(id);
    if (n.op != Op::Constant) return std::nullopt;
    const ConstantValue& v = g.constant_value(static_cast<std::size_t>(n.integer));
    if (!v.is_point()) return std::nullopt;
    return v.lower;
  };
  std::vector<bool> kept;
  for (const Clamp& clamp : loss.clamps) {
    const std::optional<numeric::Rational> b = point_constant(clamp.bound);
    NodeId argument = clamp.argument;
    bool admissible = b.has_value();
    const Node& inside = g.node(clamp.argument);
    if (admissible && (inside.op == Op::Min || inside.op == Op::Max) && inside.op != clamp.op) {
      // max(b, min(b', e)) >= b iff e >= b, given b' >= b.
      const bool bound_first = point_constant(inside.lhs).has_value();
      const std::optional<numeric::Rational> b_inner = point_constant(bound_first ? inside.lhs : inside.rhs);
      admissible = b_inner && (clamp.op == Op::Max ? *b_inner >= *b : *b_inner <= *b);
      argument = bound_first ? inside.rhs : inside.lhs;
    }
    bool found = false;
    for (const ConstraintBound& c : constraints) {
      if (!admissible || c.expr != argument) continue;
      const bool below = c.relation == Relation::LessEqual || c.relation == Relation::Less;
      const bool above = c.relation == Relation::GreaterEqual || c.relation == Relation::Greater;
      found = found || (clamp.op == Op::Min ? below && c.bound <= *b : above && c.bound >= *b);
    }
    kept.push_back(found);
  }
  return kept;
}

}  // namespace cerval::expr
