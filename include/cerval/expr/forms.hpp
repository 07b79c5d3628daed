#pragma once
// Bounding forms: enclosures of f over a box, each valid on its own, used by
// the search to prove bounds and by the certificate checker to re-prove them
// (the same code, in Interval for speed or MpInterval at a stated precision).
//
// Guarantee of every form: if f is defined (and, for the forms that use
// derivatives, locally Lipschitz; all of cerval's functions are where they
// are defined) on the whole box, the returned interval contains f(x) for every
// x in the box. The caller must check definedness (`decoration`); each form
// reports it.
//
//   natural      the natural interval extension (Moore).
//   mean_value   f(c) + sum_i g_i(B) (x_i - c_i): mean-value theorem (Lebourg's
//                form for Clarke gradients), c a point of the box.
//   taylor2      f(c) + grad f(c).(x - c) + 1/2 (x - c)^T H(B) (x - c):
//                Taylor's theorem with the Lagrange remainder.
//   monotone     where g_i(B) has a certain sign, f is monotone in x_i on the
//                box, so its bounds are attained on the corresponding face:
//                the lower bound is the natural extension on the face that
//                minimises in those coordinates, the upper bound likewise.
//   rational     a lower bound of a sum of squared residuals of a rational
//                model with affine numerator and denominator, through a
//                convex quadratic below it (expr/rational_form.hpp).
//   gauss_newton a lower bound of a sum of squares through the residuals'
//                linearisation over the box (expr/least_squares_form.hpp).
#include <cerval/expr/autodiff.hpp>
#include <cerval/expr/eval.hpp>
#include <cerval/numeric/float_matrix.hpp>
#include <cerval/numeric/mp_interval.hpp>

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

namespace cerval::expr {

enum class Form { Natural, MeanValue, Taylor2, Monotone, Rational, GaussNewton };
const char* to_string(Form f);
// The forms expanded about a point (a leaf's `center`).
inline bool is_centred(Form f) {
  return f == Form::MeanValue || f == Form::Taylor2 || f == Form::Rational || f == Form::GaussNewton;
}
// Throws std::invalid_argument for an unknown name.
Form form_from_string(const std::string& name);

template <class I>
struct FormBound {
  I enclosure;
  Decoration decoration;  // definedness of f on the whole box
};

// The default expansion point of the centred forms: the midpoint of every
// coordinate, as a double computed identically everywhere (Interval::midpoint
// of the binary64 box). Search and checker must agree on it.
std::vector<double> default_center(const std::vector<numeric::Interval>& box);

template <class I>
FormBound<I> natural_form(const ExprGraph& g, NodeId f, const std::vector<I>& box,
                          const NumberFactory<I>& factory = {}) {
  const auto e = evaluate<I>(g, f, box, factory);
  return {e.value, e.decoration};
}

namespace detail {
template <class I>
std::vector<I> degenerate_box(const std::vector<double>& c, const std::vector<I>& like) {
  std::vector<I> r;
  r.reserve(c.size());
  for (std::size_t i = 0; i < c.size(); ++i) r.push_back(make_point(like[i], c[i]));
  return r;
}
}  // namespace detail

// The mean-value enclosure from its ingredients: f(c) + sum_i g_i (B_i - c_i),
// met with the natural enclosure. `gradient` encloses grad f over the box
// (entries past its end are zero); `f_at_center` encloses f(c).
template <class I>
I mean_value_enclosure(const I& f_at_center, const std::vector<I>& gradient, const I& natural,
                       const std::vector<I>& box, const std::vector<double>& center) {
  I result = f_at_center;
  for (std::size_t i = 0; i < box.size(); ++i)
    result = result + detail::at(gradient, i, natural) * (box[i] - make_point(box[i], center[i]));
  // An empty derivative enclosure means no derivative exists on the box (f is
  // defined but not differentiable there: sqrt(x) on [0, 0], asin(x) on
  // [1, 1]): the form carries no information, the natural enclosure stands.
  if (result.is_empty()) return natural;
  return intersect(result, natural);
}

// The graph up to f over `box` in first-order automatic differentiation,
// one derivative per coordinate: every node's enclosure and gradient
// enclosure over the box.
template <class I>
Evaluator<Dual<I>> gradient_pass(const ExprGraph& g, NodeId f, const std::vector<I>& box,
                                 const NumberFactory<I>& factory = {}) {
  const std::size_t n = box.size();
  std::vector<Dual<I>> seeded;
  seeded.reserve(n);
  for (std::size_t i = 0; i < n; ++i) seeded.push_back(Dual<I>::variable(box[i], i, n));
  Evaluator<Dual<I>> ad(g, NumberFactory<Dual<I>>{factory});
  ad.evaluate_until(seeded, f);
  return ad;
}

template <class I>
FormBound<I> mean_value_form(const ExprGraph& g, NodeId f, const std::vector<I>& box,
                             const std::vector<double>& center, const NumberFactory<I>& factory = {}) {
  const Evaluator<Dual<I>> ad = gradient_pass(g, f, box, factory);
  const Dual<I>& d = ad.value(f);
  const auto at_center = evaluate<I>(g, f, detail::degenerate_box(center, box), factory);
  return {mean_value_enclosure(at_center.value, d.grad, d.value, box, center), ad.decoration(f)};
}

namespace detail {
// Bounds of min and max over delta in [a, b] of g delta + (k/2) delta^2 for
// every g in G, where k is a curvature bound given as a point interval (a
// lower bound for the minimum, an upper bound for the maximum).
// Exact case analysis: the extreme of a quadratic on an interval is at an
// endpoint or at the stationary point -g/k, where its value is -g^2/(2k).
template <class I>
I quadratic_extreme(const I& G, const I& k, const I& delta, bool minimum) {
  const I a = lower_endpoint(delta), b = upper_endpoint(delta);
  const I half = make_point(G, 0.5);
  const I at_a = G * a + half * k * sqr(a);
  const I at_b = G * b + half * k * sqr(b);
  I result = minimum ? min(at_a, at_b) : max(at_a, at_b);
  const bool has_stationary = minimum ? k.certainly_gt(0.0) : k.certainly_lt(0.0);
  if (has_stationary && !intersect(-G / k, delta).is_empty()) {
    const I at_stationary = -(sqr(G) / (make_point(G, 2.0) * k));
    result = minimum ? min(result, at_stationary) : max(result, at_stationary);
  }
  return result;
}

// Endpoints as doubles rounded outward, for either interval type.
inline double lower_double(const numeric::Interval& x) { return x.lower(); }
inline double upper_double(const numeric::Interval& x) { return x.upper(); }
inline double lower_double(const numeric::MpInterval& x) { return x.lower_down(); }
inline double upper_double(const numeric::MpInterval& x) { return x.upper_up(); }

// Eigenvalues of a symmetric matrix (row-major, floating point) by cyclic
// Jacobi rotations: an estimate only (see certified_curvature).
std::vector<double> symmetric_eigenvalues(std::vector<double> a, std::size_t n);

// True when every symmetric matrix in the interval matrix `a` (row-major,
// symmetric enclosure) is positive definite: the interval Cholesky
// decomposition runs with every pivot certainly positive (Alefeld & Mayer,
// "The Cholesky method for interval data", Linear Algebra Appl. 194, 1993).
template <class I>
bool interval_cholesky_succeeds(std::vector<I> a, std::size_t n) {
  for (std::size_t k = 0; k < n; ++k) {
    I pivot = a[k * n + k];
    for (std::size_t j = 0; j < k; ++j) pivot = pivot - sqr(a[k * n + j]);
    if (!pivot.certainly_gt(0.0)) return false;
    const I root = sqrt(pivot);
    a[k * n + k] = root;
    for (std::size_t i = k + 1; i < n; ++i) {
      I v = a[i * n + k];
      for (std::size_t j = 0; j < k; ++j) v = v - a[i * n + j] * a[k * n + j];
      a[i * n + k] = v / root;
    }
  }
  return true;
}

// A uniform curvature bound for every symmetric H in the interval Hessian
// `h` (row-major, symmetric): sigma with d^T H d >= sigma |d|^2 (lower) or
// <= sigma |d|^2 (upper) for all d, certified by interval Cholesky of
// H - sigma I (or sigma I - H). The candidate sigma comes from the
// eigenvalues of the midpoint matrix, moved out by the enclosure's radius;
// nullopt when the certification fails.
template <class I>
std::optional<double> certified_curvature(const std::vector<I>& h, std::size_t n, bool lower) {
  std::vector<double> mid(n * n);
  double spread = 0, scale = 0;
  for (std::size_t i = 0; i < n * n; ++i) {
    if (!h[i].is_bounded() || h[i].is_empty()) return std::nullopt;
    const double lo = lower_double(h[i]), hi = upper_double(h[i]);
    mid[i] = lo / 2 + hi / 2;
    scale = std::max(scale, std::fabs(mid[i]));
    spread = std::max(spread, hi - lo);
  }
  const std::vector<double> eigen = symmetric_eigenvalues(mid, n);
  if (eigen.empty()) return std::nullopt;
  const double extreme = lower ? *std::min_element(eigen.begin(), eigen.end())
                               : *std::max_element(eigen.begin(), eigen.end());
  const double margin = static_cast<double>(n) * spread + 1e-9 * scale + 1e-300;
  const double sigma = lower ? extreme - margin : extreme + margin;
  if (!std::isfinite(sigma)) return std::nullopt;
  std::vector<I> shifted;  // (no default constructor for MpInterval)
  shifted.reserve(n * n);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) {
      const I diagonal = make_point(h[0], i == j ? sigma : 0.0);
      shifted.push_back(lower ? h[i * n + j] - diagonal : diagonal - h[i * n + j]);
    }
  if (!interval_cholesky_succeeds(std::move(shifted), n)) return std::nullopt;
  return sigma;
}

// A lower bound, valid for every g in `g` and every symmetric H in `h`, of
//     min over all d in R^n of  g.d + 1/2 d^T H d
// when that minimum exists: with A = mid(h) - rho I, rho >= ||H - mid(h)||_2
// (Frobenius norm of the radii), every H satisfies d^T H d >= d^T A d; if A
// is certified positive definite with lambda_min(A) >= sigma > 0, then for
// any d~ (a floating-point solution of A d = -g) the minimum of
// g.d + 1/2 d^T A d is q(d~) - 1/2 r^T A^{-1} r >= q(d~) - |r|^2 / (2 sigma)
// with r = A d~ + g. Exact for quadratics up to rounding: the bound that
// removes the cluster effect around a nondegenerate minimiser in any
// dimension. nullopt when A is not certified positive definite.
template <class I>
std::optional<I> newton_quadratic_bound(const std::vector<I>& g, const std::vector<I>& h, std::size_t n) {
  const I zero = make_point(h[0], 0.0);
  std::vector<double> mid(n * n);
  I radius_norm = zero;
  for (std::size_t i = 0; i < n * n; ++i) {
    if (!h[i].is_bounded() || h[i].is_empty()) return std::nullopt;
    mid[i] = lower_double(h[i]) / 2 + upper_double(h[i]) / 2;
    if (!std::isfinite(mid[i])) return std::nullopt;
    const I radius = upper_endpoint(abs(h[i] - make_point(h[i], mid[i])));
    radius_norm = radius_norm + sqr(radius);
  }
  const double rho = upper_double(sqrt(radius_norm));
  if (!std::isfinite(rho)) return std::nullopt;
  std::vector<I> a;
  a.reserve(n * n);
  std::vector<double> a_mid(n * n);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) {
      a.push_back(i == j ? make_point(h[0], mid[i * n + j]) - make_point(h[0], rho) : make_point(h[0], mid[i * n + j]));
      a_mid[i * n + j] = lower_double(a.back()) / 2 + upper_double(a.back()) / 2;
    }
  const auto sigma = certified_curvature(a, n, true);
  if (!sigma || !(*sigma > 0) || !std::isfinite(2 * *sigma)) return std::nullopt;
  std::vector<double> step(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (!g[i].is_bounded() || g[i].is_empty()) return std::nullopt;
    step[i] = -(lower_double(g[i]) / 2 + upper_double(g[i]) / 2);
  }
  if (!numeric::solve_in_place(a_mid, step, n)) return std::nullopt;
  I q = zero, residual_norm = zero;
  for (std::size_t i = 0; i < n; ++i) {
    const I di = make_point(h[0], step[i]);
    I row = g[i];
    for (std::size_t j = 0; j < n; ++j) row = row + a[i * n + j] * make_point(h[0], step[j]);
    residual_norm = residual_norm + sqr(row);
    // g.d + 1/2 d^T A d = sum_i d_i (g_i + 1/2 (A d)_i)
    q = q + di * (g[i] + make_point(h[0], 0.5) * (row - g[i]));
  }
  return q - residual_norm / make_point(h[0], 2 * *sigma);
}
}  // namespace detail

// Second-order form (Taylor's theorem with the Lagrange remainder): for x in
// the box, f(x) = f(c) + g(c).d + 1/2 d^T H d with d = x - c and H a Hessian
// at a point of the box, so H lies in the interval Hessian H(B). Bounding
// d^T H d by Gershgorin (|d_i d_j| <= (d_i^2 + d_j^2)/2) with the rows
// mu_i = h_ii.lower - sum_{j != i} |h_ij| and nu_i = h_ii.upper + sum |h_ij|
// gives separable one-dimensional quadratics, each bounded exactly on its
// interval:  f(x) >= f(c) + sum_i min_{d_i} (g_i d_i + mu_i d_i^2 / 2)  and
// likewise above with nu_i. Alternatively a uniform curvature sigma certified
// for the whole (symmetrised) Hessian enclosure by interval Cholesky
// (detail::certified_curvature) bounds d^T H d >= sigma |d|^2, again
// separable; each side keeps the better of the two totals. Tight near a
// nondegenerate minimiser, where it removes the cluster effect of
// first-order forms; the uniform bound matters where Gershgorin's rows lose
// the curvature to the off-diagonal terms (tridiagonal Hessians).
template <class I>
FormBound<I> taylor2_form(const ExprGraph& g, NodeId f, const std::vector<I>& box,
                          const std::vector<double>& center, const NumberFactory<I>& factory = {}) {
  const std::size_t n = box.size();
  std::vector<HessianDual<I>> seeded;
  for (std::size_t i = 0; i < n; ++i) seeded.push_back(HessianDual<I>::variable(box[i], i, n));
  Evaluator<HessianDual<I>> over_box(g, NumberFactory<HessianDual<I>>{factory});
  over_box.evaluate_until(seeded, f);
  const HessianDual<I>& h = over_box.value(f);
  const std::vector<I> c = detail::degenerate_box(center, box);
  std::vector<Dual<I>> seeded_center;
  for (std::size_t i = 0; i < n; ++i) seeded_center.push_back(Dual<I>::variable(c[i], i, n));
  Evaluator<Dual<I>> at_center(g, NumberFactory<Dual<I>>{factory});
  at_center.evaluate_until(seeded_center, f);
  const Dual<I>& d = at_center.value(f);
  I low = d.value, high = d.value;
  for (std::size_t i = 0; i < n; ++i) {
    I off_diagonal = make_point(h.value, 0.0);
    for (std::size_t j = 0; j < n; ++j)
      if (j != i) off_diagonal = off_diagonal + upper_endpoint(abs(h.hessian(i, j, n)));
    const I hii = h.hessian(i, i, n);
    const I mu = lower_endpoint(lower_endpoint(hii) - off_diagonal);
    const I nu = upper_endpoint(upper_endpoint(hii) + off_diagonal);
    const I delta = box[i] - c[i];
    const I gi = detail::at(d.grad, i, d.value);
    low = low + detail::quadratic_extreme(gi, mu, delta, true);
    high = high + detail::quadratic_extreme(gi, nu, delta, false);
  }
  if (n >= 2) {
    // The symmetrised Hessian enclosure: h_ij and h_ji both enclose the same
    // mixed partial derivative of a C2 function.
    std::vector<I> sym;
    sym.reserve(n * n);
    bool usable = true;
    for (std::size_t i = 0; i < n && usable; ++i)
      for (std::size_t j = 0; j < n && usable; ++j) {
        sym.push_back(intersect(h.hessian(i, j, n), h.hessian(j, i, n)));
        usable = !sym.back().is_empty();
      }
    for (const bool lower : {true, false}) {
      const auto sigma = usable ? detail::certified_curvature(sym, n, lower) : std::nullopt;
      if (!sigma) continue;
      I total = d.value;
      const I k = make_point(h.value, *sigma);
      for (std::size_t i = 0; i < n; ++i)
        total = total + detail::quadratic_extreme(detail::at(d.grad, i, d.value), k, box[i] - c[i], lower);
      if (lower && !total.is_empty() && detail::lower_double(total) > detail::lower_double(low)) low = total;
      if (!lower && !total.is_empty() && detail::upper_double(total) < detail::upper_double(high)) high = total;
    }
    // The unconstrained minimum of the quadratic model (and, with g and H
    // negated, the maximum): valid on the box since the box is in R^n.
    if (usable) {
      std::vector<I> gradient, negated_gradient, negated_hessian;
      for (std::size_t i = 0; i < n; ++i) {
        gradient.push_back(detail::at(d.grad, i, d.value));
        negated_gradient.push_back(-gradient.back());
      }
      for (const I& x : sym) negated_hessian.push_back(-x);
      if (const auto q = detail::newton_quadratic_bound(gradient, sym, n)) {
        const I total = d.value + *q;
        if (detail::lower_double(total) > detail::lower_double(low)) low = total;
      }
      if (const auto q = detail::newton_quadratic_bound(negated_gradient, negated_hessian, n)) {
        const I total = d.value - *q;
        if (detail::upper_double(total) < detail::upper_double(high)) high = total;
      }
    }
  }
  // An empty side means an empty derivative enclosure (f not differentiable
  // on the box, see mean_value_enclosure): that side falls back to the
  // natural extension.
  if (low.is_empty()) low = h.value;
  if (high.is_empty()) high = h.value;
  // Both the form and the natural extension (the Hessian pass's value part)
  // enclose f: keep the meet.
  const I form = join_bounds(low, high);
  const Decoration dec = worst(over_box.decoration(f), at_center.decoration(f));
  return {intersect(form, h.value), dec};
}

template <class I>
FormBound<I> monotone_form(const ExprGraph& g, NodeId f, const std::vector<I>& box,
                           const NumberFactory<I>& factory = {}) {
  const std::size_t n = box.size();
  std::vector<Dual<I>> seeded;
  for (std::size_t i = 0; i < n; ++i) seeded.push_back(Dual<I>::variable(box[i], i, n));
  Evaluator<Dual<I>> ad(g, NumberFactory<Dual<I>>{factory});
  ad.evaluate_until(seeded, f);
  const Dual<I>& d = ad.value(f);
  // Monotonicity says nothing where f is not defined on the whole box (x^-1
  // on [-1, 1] has a negative derivative, yet f(-1) < f(1)): the faces need
  // not even be ordered there.
  if (!is_defined_everywhere(ad.decoration(f))) return {d.value, ad.decoration(f)};
  std::vector<I> low_face = box, high_face = box;
  for (std::size_t i = 0; i < n; ++i) {
    const I gi = detail::at(d.grad, i, d.value);
    if (gi.certainly_ge(0.0)) {  // nondecreasing in x_i
      low_face[i] = lower_endpoint(box[i]);
      high_face[i] = upper_endpoint(box[i]);
    } else if (gi.certainly_le(0.0)) {
      low_face[i] = upper_endpoint(box[i]);
      high_face[i] = lower_endpoint(box[i]);
    }
  }
  const auto lo = evaluate<I>(g, f, low_face, factory);
  const auto hi = evaluate<I>(g, f, high_face, factory);
  if (lo.value.is_empty() || hi.value.is_empty()) return {d.value, ad.decoration(f)};
  return {intersect(d.value, join_bounds(lo.value, hi.value)), ad.decoration(f)};
}

}  // namespace cerval::expr
