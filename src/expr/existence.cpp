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

}  // namespace cerval::expr
