#pragma once
// The Gauss-Newton form: a second-order lower bound of a sum of squares
// f = sum_i c_i r_i(p)^2 (a least-squares loss, c_i >= 0 constants),
// through the residuals' linearisation.
//
// Theorem. Let the residuals r_i be Lipschitz on a box B, z a point of B,
// and J_i an interval vector enclosing the (Clarke generalised) gradient of
// r_i over B. By the mean-value theorem (Lebourg's form for Clarke
// gradients), for every p in B, with d = p - z,
//     r_i(p) in r_i(z) + J_i . d.
// Pick any reals m_i and rows a_i (here the midpoints of r_i(z) and J_i) and
// put
//     e_i = |r_i(z) - m_i| + sum_j |J_ij - a_ij| max_{p in B} |p_j - z_j|,
// an upper bound of |r_i(p) - (m_i + a_i . d)| on B. With the norm
// ||v||_c = sqrt(sum_i c_i v_i^2), the triangle inequality gives
//     sqrt(f(p)) >= sqrt(Q(d)) - ||e||_c,   Q(d) = sum_i c_i (m_i + a_i . d)^2.
// Q is a convex quadratic, so Q(d) >= Q(0) + grad Q(0) . d (the tangent
// plane at z), whose minimum over B is attained coordinate by coordinate at
// an end of B. Hence, with q the minimum of that plane over B,
//     f(p) >= (max(0, sqrt(max(q, 0)) - ||e||_c))^2   for every p in B.
// The gap to the minimum of f over B is about 2 sqrt(f) ||e||_c plus Q's
// own linearisation error: second order in the box's width (J's width is
// first order, times the box's), so boxes near a regular minimum are proven
// without the cluster of tiny boxes first-order forms leave there. The
// plane is tight when z minimises Q over B (then grad Q(0) points into the
// box on its active faces and vanishes on the free ones);
// least_squares_form_center finds such a z in floating point. Soundness
// depends on neither z nor the choice of m and a.
//
// This is the Gauss-Newton structure J^T J of least squares used as a
// bounding form: the second derivatives of the residuals enter only through
// the widths of J over the box, never through an interval Hessian of f.
#include <cerval/expr/autodiff.hpp>
#include <cerval/expr/eval.hpp>
#include <cerval/expr/forms.hpp>

#include <cmath>
#include <optional>
#include <vector>

namespace cerval::expr {

// One term c r^2 of a sum of squares; `weight` is c's node (free of the
// variables), absent for c = 1.
struct SquaredTerm {
  std::optional<NodeId> weight;
  NodeId residual;
};

// f's terms when f is a sum (Add nodes) of terms c * sqr(r), sqr(r) * c or
// sqr(r) (also r^2) with c free of the variables; nullopt when any term has
// another shape.
std::optional<std::vector<SquaredTerm>> squared_terms(const ExprGraph& g, NodeId f);

namespace detail {

// A double inside (or next to) the enclosure x: its midpoint, or an end
// when x is unbounded on the other side.
template <class I>
double representative(const I& x) {
  const double lo = lower_double(x), hi = upper_double(x);
  if (std::isfinite(lo) && std::isfinite(hi)) return lo + (hi - lo) / 2;
  return std::isfinite(lo) ? lo : std::isfinite(hi) ? hi : 0.0;
}

}  // namespace detail

// The form, with the residuals' values and gradients over `box` taken from
// `over_box` (an evaluation of the graph up to f in Dual<I> over the box,
// seeded with one derivative per coordinate): f over the box enclosed as
// [max(lower, natural lower), natural upper] with `lower` the bound of the
// theorem at z = `center` (a point of the box). The natural enclosure alone
// where a weight is not certainly >= 0, a residual or a derivative
// enclosure is empty or unbounded, or the box is unbounded. `terms` must be
// squared_terms(g, f).
template <class I>
FormBound<I> least_squares_form(const ExprGraph& g, NodeId f, const std::vector<SquaredTerm>& terms,
                                const Evaluator<Dual<I>>& over_box, const std::vector<I>& box,
                                const std::vector<double>& center, const NumberFactory<I>& factory = {}) {
  const FormBound<I> natural{over_box.value(f).value, over_box.decoration(f)};
  const std::size_t n = box.size();
  if (natural.enclosure.is_empty() || center.size() != n) return natural;
  const I zero = make_point(natural.enclosure, 0.0);
  std::vector<I> offset(n, zero);  // B - z
  std::vector<I> reach(n, zero);   // max |p_j - z_j| over B, as a point
  for (std::size_t j = 0; j < n; ++j) {
    if (!std::isfinite(center[j]) || !detail::is_bounded_interval(box[j])) return natural;
    offset[j] = box[j] - make_point(box[j], center[j]);
    reach[j] = make_point(box[j], detail::upper_double(abs(offset[j])));
    if (!detail::is_bounded_interval(reach[j])) return natural;
  }
  Evaluator<I> at_center(g, factory);
  at_center.evaluate_until(detail::degenerate_box(center, box), f);
  I q = zero;
  std::vector<I> slope(n, zero);
  I error_norm2 = zero;
  for (const SquaredTerm& t : terms) {
    I c = make_point(zero, 1.0);
    if (t.weight) {
      c = over_box.value(*t.weight).value;
      if (c.is_empty() || !c.certainly_ge(0.0)) return natural;
    }
    const I& r = at_center.value(t.residual);
    if (!detail::is_bounded_interval(r)) return natural;
    const I m = make_point(r, detail::representative(r));
    I e = abs(r - m);
    const Dual<I>& over = over_box.value(t.residual);
    const I two_c_m = make_point(r, 2.0) * c * m;
    for (std::size_t j = 0; j < n; ++j) {
      const I jacobian = detail::at(over.grad, j, over.value);
      if (!detail::is_bounded_interval(jacobian)) return natural;
      const I a = make_point(jacobian, detail::representative(jacobian));
      e = e + abs(jacobian - a) * reach[j];
      slope[j] = slope[j] + two_c_m * a;
    }
    q = q + c * sqr(m);
    error_norm2 = error_norm2 + c * sqr(make_point(e, detail::upper_double(e)));
  }
  I plane = q;
  for (std::size_t j = 0; j < n; ++j) plane = plane + slope[j] * offset[j];
  if (plane.is_empty() || error_norm2.is_empty()) return natural;
  const double plane_lower = std::max(0.0, detail::lower_double(plane));
  const I root = sqrt(make_point(plane, plane_lower)) - sqrt(error_norm2);
  const double root_lower = detail::lower_double(root);
  if (!(root_lower > 0)) return natural;
  const double lower = detail::lower_double(sqr(make_point(root, root_lower)));
  if (!(lower > detail::lower_double(natural.enclosure)) || !(lower <= detail::upper_double(natural.enclosure)))
    return natural;
  return {join_bounds(make_point(natural.enclosure, lower), natural.enclosure), natural.decoration};
}

// The same, evaluating the residuals' gradients over the box itself.
template <class I>
FormBound<I> least_squares_form(const ExprGraph& g, NodeId f, const std::vector<SquaredTerm>& terms,
                                const std::vector<I>& box, const std::vector<double>& center,
                                const NumberFactory<I>& factory = {}) {
  return least_squares_form(g, f, terms, gradient_pass(g, f, box, factory), box, center, factory);
}

// `z` (a point of `box`) moved to the minimiser over the box of
// sum_i weights[i] (offsets[i] + rows_i . (p - z))^2 that
// numeric::least_squares_on_box finds, clamped into the box: the expansion
// point of this form and of the rational form.
std::vector<double> linearised_minimiser(const std::vector<numeric::Interval>& box, std::vector<double> z,
                                         const std::vector<double>& weights, const std::vector<double>& offsets,
                                         const std::vector<double>& rows);

// A point of `box` near the minimiser over the box of the linearised loss
// sum_i c_i (r_i(m) + a_i . (p - m))^2 (m = default_center(box), a_i the
// midpoints of the residuals' gradient enclosures in `over_box`), for the
// form's expansion point: binary64, heuristic (linearised_minimiser); m
// where the linearisation cannot be set up. The point found, z, is then
// improved once by minimising the loss relinearised at z,
// sum_i c_i (r_i(z) + a_i . (p - z))^2: the form's plane is built from
// r(z). `at_midpoint` is the graph evaluated at m up to the loss (the
// residuals r_i(m)).
std::vector<double> least_squares_form_center(const ExprGraph& g, NodeId f, const std::vector<SquaredTerm>& terms,
                                              const Evaluator<Dual<numeric::Interval>>& over_box,
                                              const Evaluator<numeric::Interval>& at_midpoint,
                                              const std::vector<numeric::Interval>& box);

// The same, evaluating the graph at m itself.
std::vector<double> least_squares_form_center(const ExprGraph& g, NodeId f, const std::vector<SquaredTerm>& terms,
                                              const Evaluator<Dual<numeric::Interval>>& over_box,
                                              const std::vector<numeric::Interval>& box);

}  // namespace cerval::expr
