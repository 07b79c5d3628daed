#pragma once
// The rational-residual form: a lower bound of a least-squares loss whose
// model is a ratio of affine functions of the variables (NIST Kirby2,
// Hahn1, Thurber: polynomial over polynomial in the input, linear in every
// parameter above and below the fraction bar).
//
// Theorem. Let f = sum_i c_i (y_i - N_i / D_i)^2 with constants c_i >= 0 and
// y_i, and N_i, D_i affine in the variables p. On a box B where no D_i
// vanishes, put L_i = y_i D_i - N_i (affine) and take any w_i with
// 0 <= w_i <= 1 / max_B D_i^2. Then for every p in B
//     f(p) = sum_i c_i L_i(p)^2 / D_i(p)^2 >= q(p) := sum_i c_i w_i L_i(p)^2,
// q is a convex quadratic, so for any point z, q(p) >= q(z) + grad q(z).(p - z)
// (the tangent plane lies below a convex function), and the minimum of the
// right side over B is attained coordinate by coordinate at an end of B.
// The bound is tight when D varies little over B relative to its size and z
// is near the minimiser of q over B; the interval forms lose everything
// there when the columns of the model are nearly collinear (Kirby2's
// numerator 1, x, x^2 over x in [9.65, 371]), since they bound each residual
// over the whole box.
//
// Clamps. The whitened regression clamps parameters into their ranges
// (min(b, e), max(b, e)); N and D are affine in the variables only where
// the clamps are inactive. A clamp may be active on the box when the
// constraints keep it inactive at every point the bound must cover (a
// constraint e <= b, or e >= b): the bound then holds at the points of the
// box that satisfy the constraints, which is what a leaf of a minimum
// certificate shows. There the loss equals the same expression with the
// clamps removed, whose numerators and denominators are affine everywhere,
// and the theorem applies to it with D's range taken from the clamped
// expression (equal at those points). The expansion point must keep every
// clamp strictly inactive, so that derivatives there are the unclamped ones.
//
// Soundness does not depend on z (the search finds it in floating point;
// the certificate states it as the leaf's `center`). The form applies only
// where f has exactly this structure (rational_loss), which the
// checker re-derives from the expression.
#include <cerval/expr/autodiff.hpp>
#include <cerval/expr/eval.hpp>
#include <cerval/expr/forms.hpp>
#include <cerval/expr/least_squares_form.hpp>
#include <cerval/expr/spec.hpp>

#include <optional>
#include <vector>

namespace cerval::expr {

// One term c (y - N / D)^2 (or c (N / D - y)^2) of the loss; `weight` is c's
// node, absent for c = 1.
struct RationalResidual {
  std::optional<NodeId> weight;
  NodeId target;                // y: free of the variables
  bool target_negated = false;  // the residual is N / D + t, read as (-t) - N / D
  NodeId numerator;    // N: affine in the variables (or free of them)
  NodeId denominator;  // D: likewise
};

// f's terms, and the clamps min(b, e) and max(b, e) (b free of the
// variables) inside its numerators and denominators: the form applies on a
// box where every clamp is inactive (e <= b for min, e >= b for max, over
// the whole box), where each of them is its argument e. (The whitening of
// the regression clamps parameters to their ranges: inactive on the
// feasible set.)
struct Clamp {
  Op op;            // Min or Max
  NodeId bound;     // b
  NodeId argument;  // e
};
struct RationalLoss {
  std::vector<RationalResidual> terms;
  std::vector<Clamp> clamps;
};

// f's structure when f is a sum (Add nodes) of terms c * sqr(r), sqr(r) * c
// or sqr(r) (also r^2), c free of the variables, r = y - N / D, N / D - y,
// N / D + t or t + N / D (then y = -t) with y and t free of the variables and N, D affine in them up to clamps: built
// from variables and variable-free nodes by +, -, negation, products and
// quotients by variable-free nodes, and clamps of such; nullopt when any
// term has another shape.
std::optional<RationalLoss> rational_loss(const ExprGraph& g, NodeId f);

// The form: f over `box` enclosed as [max(lower, natural lower), natural
// upper] with `lower` the tangent-plane bound of the theorem at z =
// `center` (a point of the box); the natural enclosure alone where a clamp
// not kept inactive (`kept_inactive[k]` false, see clamps_kept_inactive)
// may be active on the box, a clamp may be active at z, a denominator's
// enclosure holds 0 or a weight's is not certainly >= 0. `loss` must be
// rational_loss(g, f).
template <class I>
FormBound<I> rational_form(const ExprGraph& g, NodeId f, const RationalLoss& loss,
                           const std::vector<bool>& kept_inactive, const std::vector<I>& box,
                           const std::vector<double>& center, const NumberFactory<I>& factory = {}) {
  Evaluator<I> over_box(g, factory);
  over_box.evaluate_until(box, f);
  const FormBound<I> natural{over_box.value(f), over_box.decoration(f)};
  if (natural.enclosure.is_empty() || center.size() != box.size() || kept_inactive.size() != loss.clamps.size())
    return natural;
  auto inactive = [](const Clamp& clamp, const I& bound, const I& argument, bool strictly) {
    if (bound.is_empty() || argument.is_empty()) return false;
    const double b_lo = detail::lower_double(bound), b_hi = detail::upper_double(bound);
    const double e_lo = detail::lower_double(argument), e_hi = detail::upper_double(argument);
    if (clamp.op == Op::Min) return strictly ? e_hi < b_lo : e_hi <= b_lo;
    return strictly ? e_lo > b_hi : e_lo >= b_hi;
  };
  for (std::size_t c = 0; c < loss.clamps.size(); ++c)
    if (!kept_inactive[c] &&
        !inactive(loss.clamps[c], over_box.value(loss.clamps[c].bound), over_box.value(loss.clamps[c].argument), false))
      return natural;
  const std::vector<RationalResidual>& terms = loss.terms;
  const std::size_t n = box.size();
  std::vector<Dual<I>> seeded;
  seeded.reserve(n);
  for (std::size_t j = 0; j < n; ++j) seeded.push_back(Dual<I>::variable(make_point(box[j], center[j]), j, n));
  Evaluator<Dual<I>> at_center(g, NumberFactory<Dual<I>>{factory});
  at_center.evaluate_until(seeded, f);
  for (const Clamp& clamp : loss.clamps)
    if (!inactive(clamp, at_center.value(clamp.bound).value, at_center.value(clamp.argument).value, true))
      return natural;
  const I zero = make_point(natural.enclosure, 0.0), one = make_point(natural.enclosure, 1.0);
  I q = zero;
  std::vector<I> gradient(n, zero);
  for (const RationalResidual& t : terms) {
    const I& d_box = over_box.value(t.denominator);
    if (d_box.is_empty() || !(d_box.certainly_gt(0.0) || d_box.certainly_lt(0.0))) return natural;
    // c w with w <= 1 / max D^2 over the box, as a point.
    const double max_d2 = detail::upper_double(sqr(d_box));
    I cw = make_point(d_box, detail::lower_double(one / make_point(d_box, max_d2)));
    if (t.weight) {
      const I& c = over_box.value(*t.weight);
      if (c.is_empty() || !c.certainly_ge(0.0)) return natural;
      cw = make_point(d_box, detail::lower_double(c * cw));
    }
    const Dual<I>& target = at_center.value(t.target);
    const I y_value = t.target_negated ? -target.value : target.value;
    const Dual<I>& num = at_center.value(t.numerator);
    const Dual<I>& den = at_center.value(t.denominator);
    const I l = y_value * den.value - num.value;
    q = q + cw * sqr(l);
    const I slope = make_point(d_box, 2.0) * cw * l;
    for (std::size_t j = 0; j < n; ++j)
      gradient[j] =
          gradient[j] + slope * (y_value * detail::at(den.grad, j, den.value) - detail::at(num.grad, j, num.value));
  }
  I tangent = q;
  for (std::size_t j = 0; j < n; ++j) tangent = tangent + gradient[j] * (box[j] - make_point(box[j], center[j]));
  if (tangent.is_empty()) return natural;
  const double lower = detail::lower_double(tangent);
  if (!(lower > detail::lower_double(natural.enclosure)) || !(lower <= detail::upper_double(natural.enclosure)))
    return natural;
  return {join_bounds(make_point(natural.enclosure, lower), natural.enclosure), natural.decoration};
}

// A point of `box` near the minimiser of q over it (binary64, heuristic: an
// active-set iteration on q's normal equations), for the form's expansion
// point; the box's midpoint where q cannot be set up.
std::vector<double> rational_form_center(const ExprGraph& g, NodeId f, const RationalLoss& loss,
                                         const std::vector<numeric::Interval>& box);

// A constraint `expr relation bound` of a spec, exactly.
struct ConstraintBound {
  NodeId expr;
  Relation relation;
  numeric::Rational bound;
};

// Per clamp of `loss`: whether one of `constraints` keeps it inactive,
// decided exactly: b a point constant, and a constraint e <= c (or < c) with
// c <= b for min(b, e), e >= c (or > c) with c >= b for max(b, e). An outer
// clamp max(b, min(b', e)) with b' >= b is kept inactive by e >= c >= b
// (likewise with min and max exchanged).
std::vector<bool> clamps_kept_inactive(const ExprGraph& g, const RationalLoss& loss,
                                       const std::vector<ConstraintBound>& constraints);

}  // namespace cerval::expr
