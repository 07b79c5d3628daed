#pragma once
// Enclosure of the minimiser in some variables (beta, "the unknowns") of a
// sum of squares whose residuals are affine in them, for every value of the
// other variables (theta) in a box at once: a perturbation bound that keeps
// the correlation between beta^(theta) and theta. Krawczyk's test
// (existence.hpp) takes the entries of the Hessian block over the box as
// independent; where that block is ill-conditioned (the amplitudes of a sum
// of exponentials with nearly equal rates) it fails, or its enclosure is
// hundreds of times wider than the range of beta^ (NIST Lanczos3:
// [-6.2, 2.0] where beta^ moves in [0.020, 0.037]).
//
// Theorem. Let f(t, b) = sum_i c_i r_i(t, b)^2 with constants c_i >= 0 and
// residuals affine in b, r_i(t, b) = s_i(t) + a_i(t)^T b, so that
// grad_b^2 f = H(t) = 2 A(t)^T C A(t) (rows a_i, C = diag(c)). Let K be a
// real k x k matrix (a whitening), Abar a real matrix with rows abar_i,
// s > 0 with K Abar^T C Abar K^T - s I positive definite, and eps >= 0 with
// sum_i c_i |K (a_i(t) - abar_i)|^2 <= eps^2 for every t in T. By Weyl's
// inequality for singular values applied to C^1/2 A(t) K^T = C^1/2 Abar K^T
// + C^1/2 (A(t) - Abar) K^T, with the spectral norm below the Frobenius
// norm, sigma_min(C^1/2 A(t) K^T) >= sqrt(s) - eps =: sigma. If sigma > 0,
// M(t) = K A(t)^T C A(t) K^T >= sigma^2 I, so K is invertible and H(t) =
// 2 K^-1 M(t) K^-T positive definite: f(t, .) has a unique minimiser b^(t)
// over R^k. For any b~ and g(t) = grad_b f(t, b~), b^(t) = b~ + K^T w with
// M(t) w = -h(t), h = K g / 2, hence |w|_2 <= |h(t)|_2 / sigma^2 and
//     |b^_l(t) - b~_l| <= |K e_l|_2 |h(t)|_2 / sigma^2   (each coordinate l).
// Here b~(t) = b0 + D (t - tc) with tc the centre of T, b0 a Newton step to
// the minimiser at tc, D = -H^-1 d_t grad_b f there (the implicit function's
// derivative) and K ~ L^-1 for L L^T = Abar^T C Abar (all floating point;
// any values are sound), so h is small to second order over T; it is
// enclosed by the mean-value theorem with K multiplied into the derivative,
//     h(t) in h(tc) + (K (d_t grad_b f + grad_b^2 f D) / 2)(T x B~) (T - tc),
// B~ the range of b~ over T, met with K grad_b f (T x B~) / 2. So b^(t) lies
// in B~ widened by |K e_l|_2 max_T |h|_2 / sigma^2 in each coordinate.
#include <cerval/expr/expr.hpp>
#include <cerval/numeric/interval.hpp>

#include <cstddef>
#include <optional>
#include <vector>

namespace cerval::expr {

// True when the bound above proves, for every value of the other variables
// in `box` (a bounded box over all the graph's variables), that f has a
// unique minimiser over all of R^k in `unknowns` and that it lies in the
// box's ranges of the unknowns. Requires: f a sum of terms c * sqr(r)
// (least_squares_form.hpp's squared_terms) with every c a constant >= 0 and
// every r affine in the unknowns (quadratic.hpp), f defined on the whole box
// and C^2 there (bounded gradient and Hessian enclosures). b~ is built from
// the midpoints of the unknowns' ranges.
bool perturbation_proves_partial_minimiser(const ExprGraph& graph, NodeId f, const std::vector<numeric::Interval>& box,
                                           const std::vector<std::size_t>& unknowns);

// A box on which the test above succeeds: `box` with its ranges of the
// unknowns replaced by B~ widened as above (and by a small margin), the Newton
// step taken from `guess` (one value per unknown). The returned box passes
// perturbation_proves_partial_minimiser itself; nullopt when the bound does
// not apply (sigma <= 0, f not of the required shape or not defined, ...).
// The unknowns' ranges in `box` are ignored.
std::optional<std::vector<numeric::Interval>> partial_minimiser_enclosure(const ExprGraph& graph, NodeId f,
                                                                          const std::vector<numeric::Interval>& box,
                                                                          const std::vector<std::size_t>& unknowns,
                                                                          const std::vector<double>& guess);

}  // namespace cerval::expr
