// Krawczyk's existence test (existence.hpp).
#include <cerval/expr/autodiff.hpp>
#include <cerval/expr/eval.hpp>
#include <cerval/expr/existence.hpp>
#include <cerval/expr/quadratic.hpp>
#include <cerval/numeric/float_matrix.hpp>

#include <cmath>
#include <set>

namespace cerval::expr {

using numeric::Interval;

namespace {
// C: an approximate inverse of mid(S); empty when singular or not finite.
std::vector<double> preconditioner(const std::vector<Interval>& s, std::size_t m) {
  std::vector<double> mid(m * m);
  for (std::size_t i = 0; i < m * m; ++i) mid[i] = s[i].midpoint();
  return numeric::approximate_inverse(mid, m);
}

// (C v)_i, v an interval vector.
Interval preconditioned(const std::vector<double>& c, const std::vector<Interval>& v, std::size_t i) {
  Interval sum(0.0);
  for (std::size_t l = 0; l < v.size(); ++l) sum = sum + Interval(c[i * v.size() + l]) * v[l];
  return sum;
}

// I - C S (m x m, row-major).
std::vector<Interval> contraction_matrix(const std::vector<double>& c, const std::vector<Interval>& s,
                                         std::size_t m) {
  std::vector<Interval> a(m * m);
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t j = 0; j < m; ++j) {
      Interval entry = Interval(i == j ? 1.0 : 0.0);
      for (std::size_t l = 0; l < m; ++l) entry = entry - Interval(c[i * m + l]) * s[l * m + j];
      a[i * m + j] = entry;
    }
  return a;
}

// The radii r of the smallest box y + [-r, r] that Krawczyk's operator maps
// into itself when S stays the same: r = (I - A)^-1 |C F(y)| with A =
// |I - C S| entrywise (then |C F(y)| + A r = r). A nonnegative solution
// exists iff the spectral radius of A is below 1 (Perron-Frobenius); empty
// when the floating-point solve says it is not (heuristic: only the choice
// of the next candidate box depends on it). `cfy` (an enclosure of C F(y))
// empty: r for |C F(y)| = (1, ..., 1), a test of the spectral radius alone.
// `contraction` is I - C S (contraction_matrix).
std::vector<double> invariant_radii(const std::vector<Interval>& contraction, std::size_t m,
                                    const std::vector<Interval>& cfy) {
  std::vector<double> i_minus_a(m * m), r(m, 1.0);
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t j = 0; j < m; ++j)
      i_minus_a[i * m + j] = (i == j ? 1.0 : 0.0) - contraction[i * m + j].mag();
    if (!cfy.empty()) r[i] = cfy[i].mag();
  }
  if (!numeric::solve_in_place(std::move(i_minus_a), r, m)) return {};
  for (double ri : r)
    if (!(ri >= 0.0) || !std::isfinite(ri)) return {};
  return r;
}

// Krawczyk's operator in the unknowns: K_i = y_i - (C F(y))_i + ((I - C S)(X - y))_i
// with C an approximate inverse of mid(S) (its accuracy never affects the
// conclusions drawn from K); `contraction` is I - C S (contraction_matrix),
// `cfy` an enclosure of C F(y).
std::vector<Interval> krawczyk_operator(const std::vector<Interval>& contraction, const std::vector<double>& y,
                                        const std::vector<Interval>& cfy, const std::vector<Interval>& x) {
  const std::size_t m = y.size();
  std::vector<Interval> k(m);
  for (std::size_t i = 0; i < m; ++i) {
    Interval ki = Interval(y[i]) - cfy[i];
    for (std::size_t j = 0; j < m; ++j) ki = ki + contraction[i * m + j] * (x[j] - Interval(y[j]));
    k[i] = ki;
  }
  return k;
}

// The same with C computed from S; empty when C cannot be computed.
std::vector<Interval> krawczyk_operator(const std::vector<double>& y, const std::vector<Interval>& fy,
                                        const std::vector<Interval>& s, const std::vector<Interval>& x) {
  const std::vector<double> c = preconditioner(s, y.size());
  if (c.empty()) return {};
  std::vector<Interval> cfy(y.size());
  for (std::size_t i = 0; i < y.size(); ++i) cfy[i] = preconditioned(c, fy, i);
  return krawczyk_operator(contraction_matrix(c, s, y.size()), y, cfy, x);
}

// K inside the interior of X, coordinate by coordinate.
bool strictly_inside(const std::vector<Interval>& k, const std::vector<Interval>& x) {
  if (k.size() != x.size()) return false;
  for (std::size_t i = 0; i < k.size(); ++i)
    if (k[i].is_empty() || !(k[i].lower() > x[i].lower() && k[i].upper() < x[i].upper())) return false;
  return true;
}

// True when a subexpression of f that depends on a variable flagged in
// `variables` uses an operation that is not differentiable everywhere on
// its domain (abs, min, max).
bool uses_nonsmooth_operation(const ExprGraph& graph, NodeId f, const std::vector<bool>& variables) {
  const std::vector<Dependence> dependence = classify_dependence(graph, f, variables);
  for (NodeId id = 0; id <= f; ++id) {
    const Op op = graph.node(id).op;
    if ((op == Op::Abs || op == Op::Min || op == Op::Max) && dependence[id] != Dependence::Free) return true;
  }
  return false;
}

// Derivatives of f in the unknowns U (the other variables T over their box
// ranges): the gradient and the U x U Hessian block over the box, and the
// gradient with the unknowns at y. False unless f is C^2 in U on the box
// (defined everywhere, bounded enclosures, no nonsmooth operation on U).
// Where T varies and f is C^2 in it, also the ingredients of the mean-value
// form of F(t) = grad_U f(t, y) in t about the centre c of T: F(c), the
// mixed block d_t F over the box (m x n, zero in the unknowns' columns) and
// T - c (n entries, zero for the unknowns); empty otherwise.
struct PartialDerivatives {
  std::vector<Interval> gradient_over_box, hessian, gradient_at_y;
  std::vector<Interval> gradient_at_centre, mixed, offsets;
};

// The gradient and the Hessian block in U over the box; false unless f is
// C^2 in U on the box.
bool partial_hessian_block(const ExprGraph& graph, NodeId f, const std::vector<Interval>& box,
                           const std::vector<std::size_t>& unknowns, PartialDerivatives& out) {
  const std::size_t n = box.size(), m = unknowns.size();
  if (m == 0 || n != graph.variable_count() || f >= graph.size()) return false;
  std::vector<bool> flagged(n, false);
  for (std::size_t u : unknowns) {
    if (u >= n || flagged[u]) return false;
    flagged[u] = true;
  }
  for (const Interval& x : box)
    if (x.is_empty() || !x.is_bounded()) return false;
  if (uses_nonsmooth_operation(graph, f, flagged)) return false;

  std::vector<HessianDual<Interval>> seeded;
  seeded.reserve(n);
  for (std::size_t j = 0; j < n; ++j) seeded.emplace_back(box[j]);
  for (std::size_t k = 0; k < m; ++k) seeded[unknowns[k]] = HessianDual<Interval>::variable(box[unknowns[k]], k, m);
  Evaluator<HessianDual<Interval>> over_box(graph);
  over_box.evaluate_until(seeded, f);
  if (!is_defined_everywhere(over_box.decoration(f))) return false;
  const HessianDual<Interval>& d = over_box.value(f);
  out.gradient_over_box.assign(m, Interval());
  out.hessian.assign(m * m, Interval());
  for (std::size_t i = 0; i < m; ++i) {
    out.gradient_over_box[i] = detail::at(d.grad, i, d.value);
    if (out.gradient_over_box[i].is_empty() || !out.gradient_over_box[i].is_bounded()) return false;
    for (std::size_t j = 0; j < m; ++j) {
      out.hessian[i * m + j] = d.hessian(i, j, m);
      if (out.hessian[i * m + j].is_empty() || !out.hessian[i * m + j].is_bounded()) return false;
    }
  }
  return true;
}

// grad_U f with the unknowns at y, the other variables over their box ranges.
bool partial_gradient_at(const ExprGraph& graph, NodeId f, const std::vector<Interval>& box,
                         const std::vector<std::size_t>& unknowns, const std::vector<double>& y,
                         PartialDerivatives& out) {
  const std::size_t n = box.size(), m = unknowns.size();
  if (y.size() != m) return false;
  // grad_U f at y over the other variables' ranges: the natural enclosure,
  // intersected with the mean-value form in the other variables around
  // their midpoints c (F(t, y) in F(c, y) + d_t F(T, y) (T - c), the mixed
  // second derivatives enclosed over the box; bounded only where f is C^2
  // in them, automatic differentiation returns an unbounded Hessian at a
  // kink). Near a stationary point in U the natural enclosure of a sum of
  // many terms loses their cancellation; the centred form keeps it. Where
  // every other variable is fixed (a point) the natural enclosure is all
  // there is, and one pass of first derivatives in U gives it.
  std::vector<bool> is_unknown(n, false);
  std::vector<std::size_t> unknown_position(n, 0);
  for (std::size_t k = 0; k < m; ++k) {
    is_unknown[unknowns[k]] = true;
    unknown_position[unknowns[k]] = k;
  }
  bool others_vary = false;
  std::vector<double> centre(n);
  for (std::size_t j = 0; j < n; ++j) {
    centre[j] = is_unknown[j] ? y[unknown_position[j]] : box[j].midpoint();
    if (is_unknown[j]) continue;
    if (!(box[j].lower() <= centre[j] && centre[j] <= box[j].upper())) return false;
    others_vary = others_vary || box[j].lower() < box[j].upper();
  }
  out.gradient_at_y.assign(m, Interval());
  if (!others_vary) {
    std::vector<Dual<Interval>> at_y;
    at_y.reserve(n);
    for (std::size_t j = 0; j < n; ++j)
      at_y.push_back(is_unknown[j] ? Dual<Interval>::variable(Interval(centre[j]), unknown_position[j], m)
                                   : Dual<Interval>(box[j]));
    Evaluator<Dual<Interval>> point(graph);
    point.evaluate_until(at_y, f);
    if (!is_defined_everywhere(point.decoration(f))) return false;
    for (std::size_t i = 0; i < m; ++i) {
      out.gradient_at_y[i] = detail::at(point.value(f).grad, i, point.value(f).value);
      if (out.gradient_at_y[i].is_empty() || !out.gradient_at_y[i].is_bounded()) return false;
    }
    return true;
  }
  std::vector<HessianDual<Interval>> at_y;
  std::vector<Dual<Interval>> at_centre;
  at_y.reserve(n);
  at_centre.reserve(n);
  for (std::size_t j = 0; j < n; ++j) {
    at_y.push_back(HessianDual<Interval>::variable(is_unknown[j] ? Interval(centre[j]) : box[j], j, n));
    at_centre.push_back(Dual<Interval>::variable(Interval(centre[j]), j, n));
  }
  Evaluator<HessianDual<Interval>> point(graph);
  point.evaluate_until(at_y, f);
  if (!is_defined_everywhere(point.decoration(f))) return false;
  Evaluator<Dual<Interval>> centred(graph);
  centred.evaluate_until(at_centre, f);
  const bool centre_defined = is_defined_everywhere(centred.decoration(f));
  const HessianDual<Interval>& hy = point.value(f);
  bool centred_form = centre_defined;
  if (centred_form) {
    out.gradient_at_centre.assign(m, Interval());
    out.mixed.assign(m * n, Interval(0.0));
    out.offsets.assign(n, Interval(0.0));
    for (std::size_t t = 0; t < n; ++t)
      if (!is_unknown[t]) out.offsets[t] = box[t] - Interval(centre[t]);
  }
  for (std::size_t i = 0; i < m; ++i) {
    const std::size_t u = unknowns[i];
    Interval natural = detail::at(hy.grad, u, hy.value);
    if (natural.is_empty() || !natural.is_bounded()) return false;
    if (centred_form) {
      const Interval at_centre = detail::at(centred.value(f).grad, u, centred.value(f).value);
      Interval mean_value = at_centre;
      for (std::size_t t = 0; t < n; ++t)
        if (!is_unknown[t]) {
          const Interval mixed = hy.hessian(u, t, n);
          out.mixed[i * n + t] = mixed;
          mean_value = mean_value + mixed * out.offsets[t];
        }
      if (!mean_value.is_empty() && mean_value.is_bounded()) {
        out.gradient_at_centre[i] = at_centre;
        const Interval both = numeric::intersect(natural, mean_value);
        if (!both.is_empty()) natural = both;
      } else {
        centred_form = false;
      }
    }
    out.gradient_at_y[i] = natural;
  }
  if (!centred_form) {
    out.gradient_at_centre.clear();
    out.mixed.clear();
    out.offsets.clear();
  }
  return true;
}

bool partial_derivatives(const ExprGraph& graph, NodeId f, const std::vector<Interval>& box,
                         const std::vector<std::size_t>& unknowns, const std::vector<double>& y,
                         PartialDerivatives& out) {
  return partial_hessian_block(graph, f, box, unknowns, out) && partial_gradient_at(graph, f, box, unknowns, y, out);
}

// An enclosure of C F(t, y) over t in T: C times the enclosure of F, met
// with the mean-value form preconditioned as a whole,
//     C F(t, y) in C F(c, y) + (C d_t F(T, y)) (T - c),
// which holds since C v, for v = d_t F(xi) (t - c) with each row of d_t F(xi)
// in the enclosure's row, lies in the interval matrix product C d_t F(T, y)
// times T - c. Multiplying C into the mixed block first keeps the
// correlation of F's components that moving t creates (one direction per
// coordinate of t): near a solution curve beta(t), C d_t F ~ -d beta / d t,
// small where the coordinates follow that curve, while C times F's
// componentwise enclosure adds up their widths.
std::vector<Interval> preconditioned_gradient(const std::vector<double>& c, const PartialDerivatives& d) {
  const std::size_t m = d.gradient_at_y.size();
  std::vector<Interval> cfy(m);
  for (std::size_t i = 0; i < m; ++i) cfy[i] = preconditioned(c, d.gradient_at_y, i);
  if (d.gradient_at_centre.size() != m || d.offsets.empty()) return cfy;
  const std::size_t n = d.offsets.size();
  for (std::size_t i = 0; i < m; ++i) {
    Interval centred = preconditioned(c, d.gradient_at_centre, i);
    for (std::size_t t = 0; t < n; ++t) {
      if (d.offsets[t] == Interval(0.0)) continue;
      Interval row(0.0);
      for (std::size_t l = 0; l < m; ++l) row = row + Interval(c[i * m + l]) * d.mixed[l * n + t];
      centred = centred + row * d.offsets[t];
    }
    const Interval both = numeric::intersect(cfy[i], centred);
    if (!both.is_empty()) cfy[i] = both;
  }
  return cfy;
}

// The midpoints of the unknowns' ranges (exactly representable, inside them).
bool unknown_midpoints(const std::vector<Interval>& box, const std::vector<std::size_t>& unknowns,
                       std::vector<double>& y) {
  y.assign(unknowns.size(), 0.0);
  for (std::size_t k = 0; k < unknowns.size(); ++k) {
    if (unknowns[k] >= box.size()) return false;
    const Interval& x = box[unknowns[k]];
    y[k] = x.midpoint();
    if (!(x.lower() <= y[k] && y[k] <= x.upper())) return false;
  }
  return true;
}

std::vector<Interval> unknown_ranges(const std::vector<Interval>& box, const std::vector<std::size_t>& unknowns) {
  std::vector<Interval> x;
  for (std::size_t u : unknowns) x.push_back(box[u]);
  return x;
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

  return strictly_inside(krawczyk_operator(y, fy, s, unknown_ranges(box, unknowns)), unknown_ranges(box, unknowns));
}

bool krawczyk_excludes_stationary_point(const ExprGraph& graph, NodeId f, const std::vector<Interval>& box) {
  std::vector<std::size_t> all(box.size());
  for (std::size_t j = 0; j < all.size(); ++j) all[j] = j;
  std::vector<double> y;
  PartialDerivatives d;
  if (!unknown_midpoints(box, all, y) || !partial_derivatives(graph, f, box, all, y, d)) return false;
  // A gradient component whose enclosure misses 0 suffices on its own.
  for (const Interval& g : d.gradient_over_box)
    if (!g.contains(0.0)) return true;
  // Every zero in X lies in K(X): a coordinate where K misses X excludes one.
  const std::vector<Interval> k = krawczyk_operator(y, d.gradient_at_y, d.hessian, box);
  for (std::size_t i = 0; i < k.size(); ++i)
    if (!k[i].is_empty() && (k[i].upper() < box[i].lower() || k[i].lower() > box[i].upper())) return true;
  return false;
}

bool krawczyk_proves_partial_stationary_point(const ExprGraph& graph, NodeId f, const std::vector<Interval>& box,
                                              const std::vector<std::size_t>& unknowns) {
  std::vector<double> y;
  PartialDerivatives d;
  if (!unknown_midpoints(box, unknowns, y) || !partial_derivatives(graph, f, box, unknowns, y, d)) return false;
  for (std::size_t u : unknowns)
    if (!(box[u].lower() < box[u].upper())) return false;
  const std::vector<Interval> x = unknown_ranges(box, unknowns);
  const std::vector<double> c = preconditioner(d.hessian, unknowns.size());
  if (c.empty()) return false;
  return strictly_inside(
      krawczyk_operator(contraction_matrix(c, d.hessian, unknowns.size()), y, preconditioned_gradient(c, d), x), x);
}

std::optional<std::vector<Interval>> partial_stationary_point_enclosure(const ExprGraph& graph, NodeId f,
                                                                        const std::vector<Interval>& box,
                                                                        const std::vector<std::size_t>& unknowns,
                                                                        const std::vector<double>& guess) {
  const std::size_t m = unknowns.size();
  if (guess.size() != m || box.size() != graph.variable_count()) return std::nullopt;
  for (double g : guess)
    if (!std::isfinite(g)) return std::nullopt;
  // Newton step in U from the guess, the other variables at their centres.
  std::vector<Interval> at = box;
  std::vector<bool> unknown(box.size(), false);
  for (std::size_t k = 0; k < m; ++k) {
    if (unknowns[k] >= box.size()) return std::nullopt;
    unknown[unknowns[k]] = true;
    at[unknowns[k]] = Interval(guess[k]);
  }
  for (std::size_t j = 0; j < at.size(); ++j) {
    if (unknown[j]) continue;
    if (!at[j].is_bounded() || at[j].is_empty()) return std::nullopt;
    at[j] = Interval(at[j].midpoint());
  }
  PartialDerivatives d;
  if (!partial_derivatives(graph, f, at, unknowns, guess, d)) return std::nullopt;
  std::vector<double> h(m * m), step(m);
  for (std::size_t i = 0; i < m; ++i) {
    step[i] = -d.gradient_at_y[i].midpoint();
    for (std::size_t j = 0; j < m; ++j) h[i * m + j] = d.hessian[i * m + j].midpoint();
  }
  if (!numeric::solve_in_place(h, step, m)) return std::nullopt;
  std::vector<Interval> x(m);
  for (std::size_t k = 0; k < m; ++k) {
    x[k] = Interval(guess[k] + step[k]);
    if (!x[k].is_bounded()) return std::nullopt;
  }
  // Epsilon-inflation (Rump 1983): X <- K(X~), X~ = X widened by 10% and a
  // few ulps, until K(X~) lies in the interior of X~ (or a few rounds fail).
  // Two shortcuts, heuristic like the rest of the search for X: where
  // A = |I - C S| has spectral radius >= 1, no box of the form y + [-r, r]
  // is mapped into itself, and widening X only widens S, so the search stops
  // before the costlier F(y); otherwise the next X is y + [-r, r] with r the
  // invariant radii (invariant_radii), which for f quadratic in U (S then
  // independent of X) succeeds in the next round.
  std::vector<Interval> candidate = box;
  for (int round = 0; round < 8; ++round) {
    for (std::size_t k = 0; k < m; ++k) {
      const double w = x[k].width(), c = std::fabs(x[k].midpoint());
      const double pad = 0.1 * w + 1e-14 * c + 1e-300;
      candidate[unknowns[k]] = Interval(x[k].lower() - pad, x[k].upper() + pad);
      if (!candidate[unknowns[k]].is_bounded()) return std::nullopt;
    }
    std::vector<double> y;
    PartialDerivatives dc;
    if (!unknown_midpoints(candidate, unknowns, y) || !partial_hessian_block(graph, f, candidate, unknowns, dc))
      return std::nullopt;
    const std::vector<double> c = preconditioner(dc.hessian, m);
    if (c.empty()) return std::nullopt;
    const std::vector<Interval> contraction = contraction_matrix(c, dc.hessian, m);
    if (invariant_radii(contraction, m, {}).empty()) return std::nullopt;
    if (!partial_gradient_at(graph, f, candidate, unknowns, y, dc)) return std::nullopt;
    const std::vector<Interval> widened = unknown_ranges(candidate, unknowns);
    const std::vector<Interval> cfy = preconditioned_gradient(c, dc);
    const std::vector<Interval> k = krawczyk_operator(contraction, y, cfy, widened);
    if (strictly_inside(k, widened)) return candidate;
    const std::vector<double> r = invariant_radii(contraction, m, cfy);
    for (std::size_t i = 0; i < m; ++i) {
      if (k[i].is_empty() || !k[i].is_bounded()) return std::nullopt;
      // Diverging iterates (I - C S not contracting): give up early.
      if (round > 0 && k[i].width() > 4 * widened[i].width()) return std::nullopt;
      x[i] = r.empty() ? k[i] : numeric::hull(k[i], Interval(y[i] - r[i], y[i] + r[i]));
    }
  }
  return std::nullopt;
}

}  // namespace cerval::expr
