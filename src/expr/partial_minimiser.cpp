// The perturbation bound for the minimiser of a sum of squares in the
// variables its residuals are affine in (partial_minimiser.hpp).
#include <cerval/expr/autodiff.hpp>
#include <cerval/expr/eval.hpp>
#include <cerval/expr/forms.hpp>
#include <cerval/expr/least_squares_form.hpp>
#include <cerval/expr/partial_minimiser.hpp>
#include <cerval/expr/quadratic.hpp>
#include <cerval/numeric/float_matrix.hpp>

#include <algorithm>
#include <cmath>

namespace cerval::expr {

using numeric::Interval;

namespace {

bool bounded(const Interval& x) { return !x.is_empty() && x.is_bounded(); }

// H^-1 v for the k x k floating-point matrix h (row-major); empty when singular.
std::vector<double> solve(const std::vector<double>& h, std::vector<double> v, std::size_t k) {
  if (!numeric::solve_in_place(h, v, k)) return {};
  for (double x : v)
    if (!std::isfinite(x)) return {};
  return v;
}

// A rigorous lower bound s > 0 of the smallest eigenvalue of every
// symmetric matrix in `gram` (k x k), or 0: the floating-point estimate
// scaled down until the interval Cholesky factorisation of gram - s I
// succeeds (detail::interval_cholesky_succeeds, forms.hpp).
double smallest_eigenvalue_lower(const std::vector<Interval>& gram, std::size_t k) {
  std::vector<double> mid(k * k);
  for (std::size_t i = 0; i < k * k; ++i) mid[i] = gram[i].midpoint();
  const std::vector<double> eig = detail::symmetric_eigenvalues(mid, k);
  if (eig.empty()) return 0;
  const double estimate = *std::min_element(eig.begin(), eig.end());
  if (!(estimate > 0) || !std::isfinite(estimate)) return 0;
  for (const double fraction : {0.99, 0.9, 0.5, 0.1}) {
    const double s = fraction * estimate;
    std::vector<Interval> shifted = gram;
    for (std::size_t i = 0; i < k; ++i) shifted[i * k + i] = shifted[i * k + i] - Interval(s);
    if (detail::interval_cholesky_succeeds(std::move(shifted), k)) return s;
  }
  return 0;
}

// The ranges of the unknowns that hold the minimiser (theorem in the header), the
// Newton step to b0 taken from `start`; empty when the bound does not apply.
std::vector<Interval> perturbation_ranges(const ExprGraph& graph, NodeId f, const std::vector<Interval>& box,
                                          const std::vector<std::size_t>& unknowns, const std::vector<double>& start) {
  const std::size_t n = box.size(), k = unknowns.size();
  if (k == 0 || start.size() != k || n != graph.variable_count() || f >= graph.size()) return {};
  std::vector<bool> is_unknown(n, false);
  std::vector<std::size_t> position(n, 0);
  for (std::size_t l = 0; l < k; ++l) {
    if (unknowns[l] >= n || is_unknown[unknowns[l]] || !std::isfinite(start[l])) return {};
    is_unknown[unknowns[l]] = true;
    position[unknowns[l]] = l;
  }
  const auto terms = squared_terms(graph, f);
  if (!terms) return {};
  const std::vector<Dependence> dependence = classify_dependence(graph, f, is_unknown);
  for (const SquaredTerm& t : *terms) {
    if (dependence[t.residual] != Dependence::Free && dependence[t.residual] != Dependence::Affine) return {};
    if (t.weight && dependence[*t.weight] != Dependence::Free) return {};
  }
  std::vector<double> centre(n);
  for (std::size_t j = 0; j < n; ++j) {
    if (is_unknown[j]) continue;
    if (!bounded(box[j])) return {};
    centre[j] = box[j].midpoint();
  }

  // b0: a Newton step in the unknowns from `start` at the centre of theta.
  std::vector<double> b0(k);
  {
    std::vector<HessianDual<Interval>> seeded;
    seeded.reserve(n);
    for (std::size_t j = 0; j < n; ++j)
      seeded.push_back(is_unknown[j] ? HessianDual<Interval>::variable(Interval(start[position[j]]), position[j], k)
                                     : HessianDual<Interval>(Interval(centre[j])));
    Evaluator<HessianDual<Interval>> at_start(graph);
    at_start.evaluate_until(seeded, f);
    if (!is_defined_everywhere(at_start.decoration(f))) return {};
    const HessianDual<Interval>& d = at_start.value(f);
    std::vector<double> h(k * k), g(k);
    for (std::size_t l = 0; l < k; ++l) {
      g[l] = detail::at(d.grad, l, d.value).midpoint();
      for (std::size_t m = 0; m < k; ++m) h[l * k + m] = d.hessian(l, m, k).midpoint();
    }
    const std::vector<double> step = solve(h, g, k);
    if (step.empty()) return {};
    for (std::size_t l = 0; l < k; ++l) b0[l] = start[l] - step[l];
  }
  for (std::size_t l = 0; l < k; ++l) centre[unknowns[l]] = b0[l];

  // At (tc, b0): g(tc), the residuals' slopes abar_i, and D = -H^-1 d_t grad_b f.
  std::vector<HessianDual<Interval>> seeded;
  seeded.reserve(n);
  for (std::size_t j = 0; j < n; ++j) seeded.push_back(HessianDual<Interval>::variable(Interval(centre[j]), j, n));
  Evaluator<HessianDual<Interval>> at_centre(graph);
  at_centre.evaluate_until(seeded, f);
  if (!is_defined_everywhere(at_centre.decoration(f))) return {};
  const HessianDual<Interval>& dc = at_centre.value(f);
  std::vector<Interval> g_centre(k);
  std::vector<double> h(k * k);
  for (std::size_t l = 0; l < k; ++l) {
    g_centre[l] = detail::at(dc.grad, unknowns[l], dc.value);
    if (!bounded(g_centre[l])) return {};
    for (std::size_t m = 0; m < k; ++m) h[l * k + m] = dc.hessian(unknowns[l], unknowns[m], n).midpoint();
  }
  std::vector<double> slope(k * n, 0.0);  // D, k x n, zero in the unknowns' columns and where theta is a point
  for (std::size_t t = 0; t < n; ++t) {
    if (is_unknown[t] || box[t].is_point()) continue;
    std::vector<double> column(k);
    for (std::size_t l = 0; l < k; ++l) column[l] = -dc.hessian(unknowns[l], t, n).midpoint();
    const std::vector<double> dt = solve(h, column, k);
    if (dt.empty()) return {};
    for (std::size_t l = 0; l < k; ++l) slope[l * n + t] = dt[l];
  }
  std::vector<double> abar(terms->size() * k);
  for (std::size_t i = 0; i < terms->size(); ++i) {
    const HessianDual<Interval>& r = at_centre.value((*terms)[i].residual);
    for (std::size_t l = 0; l < k; ++l) abar[i * k + l] = detail::at(r.grad, unknowns[l], r.value).midpoint();
  }

  // B~ = b0 + D (T - tc), and the derivatives over T x B~.
  std::vector<Interval> offsets(n, Interval(0.0));
  for (std::size_t t = 0; t < n; ++t)
    if (!is_unknown[t]) offsets[t] = box[t] - Interval(centre[t]);
  std::vector<Interval> sheared(k), over_box = box;
  for (std::size_t l = 0; l < k; ++l) {
    Interval b = Interval(b0[l]);
    for (std::size_t t = 0; t < n; ++t)
      if (slope[l * n + t] != 0.0) b = b + Interval(slope[l * n + t]) * offsets[t];
    if (!bounded(b)) return {};
    sheared[l] = b;
    over_box[unknowns[l]] = b;
  }
  for (std::size_t j = 0; j < n; ++j) seeded[j] = HessianDual<Interval>::variable(over_box[j], j, n);
  Evaluator<HessianDual<Interval>> over(graph);
  over.evaluate_until(seeded, f);
  if (!is_defined_everywhere(over.decoration(f))) return {};
  const HessianDual<Interval>& dv = over.value(f);

  // The whitening K ~ L^-1 for L L^T = Abar^T C Abar (floating point; any K
  // is sound, sigma > 0 proves it invertible): b = b~ + K^T w turns H(t) (b - b~) = -g(t) into
  // M(t) w = -h(t) with M = (C^1/2 A K^T)^T (C^1/2 A K^T) and h = K g / 2,
  // so |w|_2 <= |h|_2 / sigma_w^2, sigma_w = sqrt(s_w) - eps_w as in the
  // header for the whitened slopes K a_i, and |b_l - b~_l| <= |K e_l|_2 |w|_2.
  std::vector<double> gram_mid(k * k, 0.0);
  for (std::size_t i = 0; i < terms->size(); ++i) {
    const SquaredTerm& term = (*terms)[i];
    const double c = term.weight ? over.value(*term.weight).value.midpoint() : 1.0;
    for (std::size_t l = 0; l < k; ++l)
      for (std::size_t m = 0; m < k; ++m) gram_mid[l * k + m] += c * abar[i * k + l] * abar[i * k + m];
  }
  const std::vector<double> factor = numeric::cholesky_lower(gram_mid, k);
  if (factor.empty()) return {};
  const std::vector<double> whiten = numeric::approximate_inverse(factor, k);
  if (whiten.empty()) return {};
  auto whitened = [&](const std::vector<Interval>& v, std::size_t m) {
    Interval sum(0.0);
    for (std::size_t l = 0; l < k; ++l) sum = sum + Interval(whiten[m * k + l]) * v[l];
    return sum;
  };

  // |h(t)|_2 over T: the mean-value form of h(t) = K grad_b f(t, b~(t)) / 2
  // about tc, K multiplied into the derivative first (it keeps the
  // correlation of g's components as t moves), met with K times the
  // natural enclosure of grad_b f over T x B~.
  std::vector<Interval> natural(k), chained(k * n, Interval(0.0));
  for (std::size_t l = 0; l < k; ++l) {
    const std::size_t u = unknowns[l];
    natural[l] = detail::at(dv.grad, u, dv.value);
    if (!bounded(natural[l])) return {};
    for (std::size_t t = 0; t < n; ++t) {
      if (is_unknown[t] || offsets[t] == Interval(0.0)) continue;
      Interval j = dv.hessian(u, t, n);
      for (std::size_t m = 0; m < k; ++m)
        if (slope[m * n + t] != 0.0) j = j + dv.hessian(u, unknowns[m], n) * Interval(slope[m * n + t]);
      chained[l * n + t] = j;
    }
  }
  Interval h_norm2(0.0);
  for (std::size_t m = 0; m < k; ++m) {
    Interval mean_value = whitened(g_centre, m);
    for (std::size_t t = 0; t < n; ++t) {
      if (is_unknown[t] || offsets[t] == Interval(0.0)) continue;
      Interval row(0.0);
      for (std::size_t l = 0; l < k; ++l) row = row + Interval(whiten[m * k + l]) * chained[l * n + t];
      mean_value = mean_value + row * offsets[t];
    }
    if (!bounded(mean_value)) return {};
    const Interval both = numeric::intersect(whitened(natural, m), mean_value);
    const Interval h = (both.is_empty() ? mean_value : both) / Interval(2.0);
    h_norm2 = h_norm2 + sqr(Interval(h.mag()));
  }

  // s_w from K Abar^T C Abar K^T, eps_w from the whitened slopes over T.
  std::vector<Interval> gram(k * k, Interval(0.0));
  Interval eps2(0.0);
  std::vector<Interval> bar(k), deviation(k), whitened_bar(k);
  for (std::size_t i = 0; i < terms->size(); ++i) {
    const SquaredTerm& term = (*terms)[i];
    const Interval c = term.weight ? over.value(*term.weight).value : Interval(1.0);
    if (!bounded(c) || !c.certainly_ge(0.0)) return {};
    const HessianDual<Interval>& r = over.value(term.residual);
    for (std::size_t l = 0; l < k; ++l) {
      const Interval a = detail::at(r.grad, unknowns[l], r.value);
      if (!bounded(a)) return {};
      bar[l] = Interval(abar[i * k + l]);
      deviation[l] = a - bar[l];
    }
    for (std::size_t m = 0; m < k; ++m) whitened_bar[m] = whitened(bar, m);
    Interval deviation2(0.0);
    for (std::size_t m = 0; m < k; ++m) {
      deviation2 = deviation2 + sqr(Interval(whitened(deviation, m).mag()));
      for (std::size_t q = 0; q <= m; ++q) {
        const Interval e = c * (whitened_bar[m] * whitened_bar[q]);
        gram[m * k + q] = gram[m * k + q] + e;
        if (q != m) gram[q * k + m] = gram[q * k + m] + e;
      }
    }
    eps2 = eps2 + c * deviation2;
  }
  const double s = smallest_eigenvalue_lower(gram, k);
  if (!(s > 0)) return {};
  const Interval sigma = sqrt(Interval(s)) - sqrt(Interval(eps2.upper()));
  if (!(sigma.lower() > 0)) return {};
  const Interval w_norm = sqrt(Interval(h_norm2.upper())) / sqr(Interval(sigma.lower()));
  if (!bounded(w_norm)) return {};
  std::vector<Interval> ranges(k);
  for (std::size_t l = 0; l < k; ++l) {
    Interval column2(0.0);
    for (std::size_t m = 0; m < k; ++m) column2 = column2 + sqr(Interval(whiten[m * k + l]));
    const double radius = (sqrt(Interval(column2.upper())) * Interval(w_norm.upper())).upper();
    if (!std::isfinite(radius)) return {};
    ranges[l] = sheared[l] + Interval(-radius, radius);
  }
  return ranges;
}

}  // namespace

bool perturbation_proves_partial_minimiser(const ExprGraph& graph, NodeId f, const std::vector<Interval>& box,
                                           const std::vector<std::size_t>& unknowns) {
  std::vector<double> start;
  for (std::size_t u : unknowns) {
    if (u >= box.size() || !bounded(box[u])) return false;
    start.push_back(box[u].midpoint());
  }
  const std::vector<Interval> ranges = perturbation_ranges(graph, f, box, unknowns, start);
  if (ranges.size() != unknowns.size()) return false;
  for (std::size_t l = 0; l < unknowns.size(); ++l)
    if (!box[unknowns[l]].contains(ranges[l])) return false;
  return true;
}

std::optional<std::vector<Interval>> partial_minimiser_enclosure(const ExprGraph& graph, NodeId f,
                                                                 const std::vector<Interval>& box,
                                                                 const std::vector<std::size_t>& unknowns,
                                                                 const std::vector<double>& guess) {
  const std::vector<Interval> ranges = perturbation_ranges(graph, f, box, unknowns, guess);
  if (ranges.size() != unknowns.size()) return std::nullopt;
  // A margin for the recomputation from the ranges' midpoints (b0 and D then
  // differ by rounding only).
  std::vector<Interval> candidate = box;
  for (std::size_t l = 0; l < unknowns.size(); ++l) {
    const double pad = 0.05 * ranges[l].width() + 1e-12 * std::fabs(ranges[l].midpoint()) + 1e-300;
    candidate[unknowns[l]] = Interval(ranges[l].lower() - pad, ranges[l].upper() + pad);
    if (!bounded(candidate[unknowns[l]])) return std::nullopt;
  }
  if (!perturbation_proves_partial_minimiser(graph, f, candidate, unknowns)) return std::nullopt;
  return candidate;
}

}  // namespace cerval::expr
