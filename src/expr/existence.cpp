// Krawczyk's existence test (existence.hpp).
#include <cerval/expr/autodiff.hpp>
#include <cerval/expr/eval.hpp>
#include <cerval/expr/existence.hpp>
#include <cerval/numeric/float_matrix.hpp>

#include <cmath>
#include <set>

namespace cerval::expr {

using numeric::Interval;

bool krawczyk_proves_zero(const ExprGraph& graph, const std::vector<Equation>& equations,
                          const std::vector<Interval>& box, const std::vector<std::size_t>& unknowns) {
  const std::size_t m = equations.size();
  if (m == 0 || unknowns.size() != m || box.size() != graph.variable_count()) return false;
  if (std::set<std::size_t>(unknowns.begin(), unknowns.end()).size() != m) return false;
  for (std::size_t u : unknowns)
    if (u >= box.size() || !box[u].is_bounded() || !(box[u].lower() < box[u].upper())) return false;
  for (const Interval& x : box)
    if (x.is_empty() || !x.is_bounded()) return false;

  // y: the midpoint of X in the unknowns (exactly representable, inside X).
  std::vector<Interval> at_y = box;
  std::vector<double> y(m);
  for (std::size_t k = 0; k < m; ++k) {
    y[k] = box[unknowns[k]].midpoint();
    if (!(box[unknowns[k]].lower() <= y[k] && y[k] <= box[unknowns[k]].upper())) return false;
    at_y[unknowns[k]] = Interval(y[k]);
  }

  // Jacobian enclosure S over X (derivatives in the unknowns only) and F(y).
  std::vector<Dual<Interval>> seeded;
  seeded.reserve(box.size());
  for (std::size_t j = 0; j < box.size(); ++j) seeded.emplace_back(box[j]);
  for (std::size_t k = 0; k < m; ++k) seeded[unknowns[k]] = Dual<Interval>::variable(box[unknowns[k]], k, m);
  Evaluator<Dual<Interval>> ad(graph);
  ad.evaluate(seeded);
  Evaluator<Interval> point(graph);
  point.evaluate(at_y);
  std::vector<Interval> s(m * m);
  std::vector<Interval> fy(m);
  for (std::size_t i = 0; i < m; ++i) {
    const NodeId h = equations[i].expr;
    // Continuity on X is what the mean-value inclusion needs.
    if (!is_defined_everywhere(ad.decoration(h)) || !is_defined_everywhere(point.decoration(h))) return false;
    const Dual<Interval>& d = ad.value(h);
    for (std::size_t k = 0; k < m; ++k) {
      s[i * m + k] = detail::at(d.grad, k, d.value);
      if (!s[i * m + k].is_bounded()) return false;
    }
    fy[i] = point.value(h) - numeric::Interval::enclose(equations[i].value);
    if (fy[i].is_empty() || !fy[i].is_bounded()) return false;
  }

  std::vector<double> mid(m * m);
  for (std::size_t i = 0; i < m * m; ++i) mid[i] = s[i].midpoint();
  const std::vector<double> c = numeric::approximate_inverse(mid, m);
  if (c.empty()) return false;

  for (std::size_t i = 0; i < m; ++i) {
    Interval k = Interval(y[i]);
    for (std::size_t l = 0; l < m; ++l) k = k - Interval(c[i * m + l]) * fy[l];
    for (std::size_t j = 0; j < m; ++j) {
      Interval entry = Interval(i == j ? 1.0 : 0.0);
      for (std::size_t l = 0; l < m; ++l) entry = entry - Interval(c[i * m + l]) * s[l * m + j];
      k = k + entry * (box[unknowns[j]] - Interval(y[j]));
    }
    const Interval& x = box[unknowns[i]];
    if (k.is_empty() || !(k.lower() > x.lower() && k.upper() < x.upper())) return false;
  }
  return true;
}

namespace {

// True when the expression below f uses an operation that is not
// differentiable everywhere on its domain (abs, min, max).
bool uses_nonsmooth_operation(const ExprGraph& graph, NodeId f) {
  std::vector<bool> seen(graph.size(), false);
  std::vector<NodeId> stack{f};
  seen[f] = true;
  while (!stack.empty()) {
    const Node& n = graph.node(stack.back());
    stack.pop_back();
    if (n.op == Op::Abs || n.op == Op::Min || n.op == Op::Max) return true;
    const NodeId operands[2] = {n.lhs, n.rhs};
    const int count = is_binary(n.op) ? 2 : is_unary(n.op) || n.op == Op::PowInt ? 1 : 0;
    for (int k = 0; k < count; ++k)
      if (!seen[operands[k]]) {
        seen[operands[k]] = true;
        stack.push_back(operands[k]);
      }
  }
  return false;
}

}  // namespace

bool krawczyk_excludes_stationary_point(const ExprGraph& graph, NodeId f, const std::vector<Interval>& box) {
  const std::size_t n = box.size();
  if (n == 0 || n != graph.variable_count() || f >= graph.size()) return false;
  for (const Interval& x : box)
    if (x.is_empty() || !x.is_bounded()) return false;
  if (uses_nonsmooth_operation(graph, f)) return false;

  // Gradient and Hessian enclosures over X: f is C^2 on X when they are
  // bounded and f is defined everywhere on X.
  std::vector<HessianDual<Interval>> seeded;
  seeded.reserve(n);
  for (std::size_t j = 0; j < n; ++j) seeded.push_back(HessianDual<Interval>::variable(box[j], j, n));
  Evaluator<HessianDual<Interval>> over_box(graph);
  over_box.evaluate_until(seeded, f);
  if (!is_defined_everywhere(over_box.decoration(f))) return false;
  const HessianDual<Interval>& d = over_box.value(f);
  std::vector<Interval> s(n * n);
  bool component_excludes = false;
  for (std::size_t i = 0; i < n; ++i) {
    const Interval g = detail::at(d.grad, i, d.value);
    if (g.is_empty() || !g.is_bounded()) return false;
    component_excludes = component_excludes || !g.contains(0.0);
    for (std::size_t j = 0; j < n; ++j) {
      s[i * n + j] = d.hessian(i, j, n);
      if (s[i * n + j].is_empty() || !s[i * n + j].is_bounded()) return false;
    }
  }
  if (component_excludes) return true;

  // grad f at the midpoint y (exactly representable, inside X).
  std::vector<double> y(n);
  std::vector<Dual<Interval>> at_y;
  at_y.reserve(n);
  for (std::size_t j = 0; j < n; ++j) {
    y[j] = box[j].midpoint();
    if (!(box[j].lower() <= y[j] && y[j] <= box[j].upper())) return false;
    at_y.push_back(Dual<Interval>::variable(Interval(y[j]), j, n));
  }
  Evaluator<Dual<Interval>> point(graph);
  point.evaluate_until(at_y, f);
  if (!is_defined_everywhere(point.decoration(f))) return false;
  std::vector<Interval> fy(n);
  for (std::size_t i = 0; i < n; ++i) {
    fy[i] = detail::at(point.value(f).grad, i, point.value(f).value);
    if (fy[i].is_empty() || !fy[i].is_bounded()) return false;
  }

  std::vector<double> mid(n * n);
  for (std::size_t i = 0; i < n * n; ++i) mid[i] = s[i].midpoint();
  const std::vector<double> c = numeric::approximate_inverse(mid, n);
  if (c.empty()) return false;
  for (std::size_t i = 0; i < n; ++i) {
    Interval k = Interval(y[i]);
    for (std::size_t l = 0; l < n; ++l) k = k - Interval(c[i * n + l]) * fy[l];
    for (std::size_t j = 0; j < n; ++j) {
      Interval entry = Interval(i == j ? 1.0 : 0.0);
      for (std::size_t l = 0; l < n; ++l) entry = entry - Interval(c[i * n + l]) * s[l * n + j];
      k = k + entry * (box[j] - Interval(y[j]));
    }
    // Every zero in X lies in K(X): a coordinate where K misses X excludes one.
    if (!k.is_empty() && (k.upper() < box[i].lower() || k.lower() > box[i].upper())) return true;
  }
  return false;
}

}  // namespace cerval::expr
