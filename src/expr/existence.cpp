// Krawczyk's existence test (existence.hpp).
#include <cerval/expr/autodiff.hpp>
#include <cerval/expr/eval.hpp>
#include <cerval/expr/existence.hpp>

#include <cmath>
#include <set>

namespace cerval::expr {

namespace {

using numeric::Interval;

// Approximate inverse of a square matrix (row-major) by Gauss-Jordan
// elimination with partial pivoting, in floating point. Empty when singular
// or not finite. Only the success of the test depends on its accuracy.
std::vector<double> approximate_inverse(std::vector<double> a, std::size_t m) {
  std::vector<double> inv(m * m, 0.0);
  for (std::size_t i = 0; i < m; ++i) inv[i * m + i] = 1.0;
  for (std::size_t col = 0; col < m; ++col) {
    std::size_t pivot = col;
    for (std::size_t r = col + 1; r < m; ++r)
      if (std::fabs(a[r * m + col]) > std::fabs(a[pivot * m + col])) pivot = r;
    const double p = a[pivot * m + col];
    if (p == 0 || !std::isfinite(p)) return {};
    if (pivot != col)
      for (std::size_t k = 0; k < m; ++k) {
        std::swap(a[pivot * m + k], a[col * m + k]);
        std::swap(inv[pivot * m + k], inv[col * m + k]);
      }
    for (std::size_t k = 0; k < m; ++k) {
      a[col * m + k] /= p;
      inv[col * m + k] /= p;
    }
    for (std::size_t r = 0; r < m; ++r) {
      if (r == col) continue;
      const double factor = a[r * m + col];
      if (factor == 0) continue;
      for (std::size_t k = 0; k < m; ++k) {
        a[r * m + k] -= factor * a[col * m + k];
        inv[r * m + k] -= factor * inv[col * m + k];
      }
    }
  }
  for (double v : inv)
    if (!std::isfinite(v)) return {};
  return inv;
}

}  // namespace

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
  const std::vector<double> c = approximate_inverse(mid, m);
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
