// The Gauss-Newton form (least_squares_form.hpp): the loss's terms and the
// floating-point expansion point.
#include <cerval/expr/least_squares_form.hpp>
#include <cerval/numeric/float_matrix.hpp>

#include <algorithm>
#include <utility>

namespace cerval::expr {

namespace {

// The residual r of sqr(r) or r^2; nullopt for another node.
std::optional<NodeId> squared_operand(const ExprGraph& g, NodeId id) {
  const Node& n = g.node(id);
  if (n.op == Op::Sqr || (n.op == Op::PowInt && n.integer == 2)) return n.lhs;
  return std::nullopt;
}

}  // namespace

std::optional<std::vector<SquaredTerm>> squared_terms(const ExprGraph& g, NodeId f) {
  if (f >= g.size()) return std::nullopt;
  std::vector<SquaredTerm> terms;
  std::vector<NodeId> pending{f};
  while (!pending.empty()) {
    const NodeId id = pending.back();
    pending.pop_back();
    const Node& n = g.node(id);
    if (n.op == Op::Add) {
      pending.push_back(n.rhs);
      pending.push_back(n.lhs);
      continue;
    }
    SquaredTerm term{};
    std::optional<NodeId> residual = squared_operand(g, id);
    if (!residual && n.op == Op::Mul) {
      if (g.is_constant(n.lhs) && (residual = squared_operand(g, n.rhs)))
        term.weight = n.lhs;
      else if (g.is_constant(n.rhs) && (residual = squared_operand(g, n.lhs)))
        term.weight = n.rhs;
    }
    if (!residual) return std::nullopt;
    term.residual = *residual;
    terms.push_back(term);
  }
  return terms;
}

std::vector<double> least_squares_form_center(const ExprGraph& g, NodeId f, const std::vector<SquaredTerm>& terms,
                                              const Evaluator<Dual<numeric::Interval>>& over_box,
                                              const std::vector<numeric::Interval>& box) {
  const std::vector<double> z = default_center(box);
  for (std::size_t j = 0; j < box.size(); ++j)
    if (!box[j].is_bounded() || !std::isfinite(z[j])) return z;
  Evaluator<numeric::Interval> at_midpoint(g);
  at_midpoint.evaluate_until(detail::degenerate_box(z, box), f);
  return least_squares_form_center(g, f, terms, over_box, at_midpoint, box);
}

std::vector<double> least_squares_form_center(const ExprGraph& g, NodeId f, const std::vector<SquaredTerm>& terms,
                                              const Evaluator<Dual<numeric::Interval>>& over_box,
                                              const Evaluator<numeric::Interval>& at_midpoint,
                                              const std::vector<numeric::Interval>& box) {
  using numeric::Interval;
  const std::size_t n = box.size();
  std::vector<double> z = default_center(box);
  for (std::size_t j = 0; j < n; ++j)
    if (!box[j].is_bounded() || !std::isfinite(z[j])) return z;
  std::vector<double> weights, offsets, rows;
  weights.reserve(terms.size());
  offsets.reserve(terms.size());
  rows.reserve(terms.size() * n);
  for (const SquaredTerm& t : terms) {
    weights.push_back(t.weight ? detail::representative(over_box.value(*t.weight).value) : 1.0);
    offsets.push_back(detail::representative(at_midpoint.value(t.residual)));
    const Dual<Interval>& over = over_box.value(t.residual);
    for (std::size_t j = 0; j < n; ++j) rows.push_back(detail::representative(detail::at(over.grad, j, over.value)));
  }
  for (double v : weights)
    if (!std::isfinite(v) || v < 0) return z;
  z = linearised_minimiser(box, std::move(z), weights, offsets, rows);
  // Relinearised at the point found: r_i(z) + a_i . (p - z), minimised
  // again from z. The slopes a_i are the midpoints of gradient enclosures
  // over the whole box, not the slopes at m: where the box is wide in an
  // amplitude b, a rate's column b x exp(-k x) carries b's midpoint, the
  // linearisation at m mispredicts the residuals at z, and the form, which
  // takes its plane from r(z), then has slopes that do not vanish on the
  // free coordinates (NIST MGH17 near its smallest rates: bound 0, 0.147
  // after this step, against the minimum 5.5e-5).
  Evaluator<Interval> at_z(g);
  at_z.evaluate_until(detail::degenerate_box(z, box), f);
  for (std::size_t i = 0; i < terms.size(); ++i) {
    offsets[i] = detail::representative(at_z.value(terms[i].residual));
    if (!std::isfinite(offsets[i])) return z;
  }
  return linearised_minimiser(box, std::move(z), weights, offsets, rows);
}

std::vector<double> linearised_minimiser(const std::vector<numeric::Interval>& box, std::vector<double> z,
                                         const std::vector<double>& weights, const std::vector<double>& offsets,
                                         const std::vector<double>& rows) {
  const std::size_t n = box.size();
  std::vector<double> lower(n), upper(n);
  for (std::size_t j = 0; j < n; ++j) {
    lower[j] = box[j].lower() - z[j];
    upper[j] = box[j].upper() - z[j];
  }
  const std::vector<double> d = numeric::least_squares_on_box(weights, offsets, rows, lower, upper);
  for (std::size_t j = 0; j < n; ++j) z[j] = std::clamp(z[j] + d[j], box[j].lower(), box[j].upper());
  return z;
}

}  // namespace cerval::expr
