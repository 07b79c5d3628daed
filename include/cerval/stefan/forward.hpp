#pragma once
// The forward (direct) one-phase Stefan problem on the Landau grid, with the
// exact solution of the discrete equations enclosed.
//
// Discrete problem (stefan/scheme.hpp for the equations): given s_0 and z^0,
// for j = 0..n-1 find (s_{j+1}, z^{j+1}) with
//   z^{j+1} = landau_theta_step(z^j; s_j, s_{j+1})   (Dirichlet u(s) = mu at xi = 1)
//   landau_front_residual(z^j, z^{j+1}; s_j, s_{j+1}) = 0   (theta-weighted Stefan condition).
//
// Certification of one step (src/stefan/forward.cpp). The set of possible
// exact states at level j is kept in the affine-in-s form
//   s_j in ŝ_j + P_j,   z^j - ẑ^j - v^j (s_j - ŝ_j) in R^j   (componentwise),
// with ŝ_j, ẑ^j, v^j floating-point and P_j, R^j intervals. (The plain box
// form loses the correlation between s and z: the Stefan condition divides
// z differences by h, and the box widths then grow exponentially.)
//  1. A root ŝ_{j+1} of the residual is found in double (Newton), with
//     ẑ^{j+1} the double step there and k ~ d s_{j+1} / d s_j (double; any
//     value is sound). The new front is written s_{j+1} = ŝ_{j+1} + k p + e,
//     p = s_j - ŝ_j.
//  2. Every step of the discrete equations is evaluated in residual form
//     around ẑ^{j+1} (landau_theta_step_near): z^{j+1} = w + M^{-1}(rhs - M w)
//     with w = ẑ^{j+1}, M w grouped by differences. This is M^{-1} rhs exactly.
//  3. One evaluation in two-direction jets over the box (z^j over its
//     enclosure, s_j in ŝ_j + P_j, s_{j+1} in Sigma = ŝ_{j+1} + k P_j + E,
//     E = [-delta, delta]; directions p and e) gives: the centred form
//     r(ŝ_{j+1} + k p) in r_mid = r_0 + (dr/dp) P_j (r_0 over the box of R^j at
//     p = e = 0); D, an enclosure of dr/ds_{j+1} over the box; the Thomas
//     pivots over the box. If no pivot enclosure holds 0 (every matrix is
//     regular, r smooth), D > 0 and delta lower(D) > |r_mid|, then for each
//     state r(-delta) < 0 < r(delta) (mean-value theorem) and r is strictly
//     increasing: exactly one s_{j+1} with e in E (a one-dimensional interval
//     Newton test). delta starts at 1.02 |r_mid| / r'(ŝ) (tight: a factor 2
//     would double the front width at every step) and grows if the test fails.
//  4. The new state: v^{j+1} the derivative of z^{j+1} along s_{j+1} = ŝ + k p
//     (double: the direction that absorbs p), and by the mean-value theorem in
//     (p, e) over P_j x E,
//       R^{j+1} = (z_0 - ẑ^{j+1}) + (dz/dp - v k) P_j + (dz/de - v) E,
//     with z_0 the step at p = e = 0 over the box of R^j (the same evaluation
//     as r_0) and the derivatives from the jets of 3.
// If a check fails the solution stops there with `certified = false` and the
// reason: nothing past that step is claimed.
//
// Why the widths stay small (a theorem about the computation, not needed for
// its rigor). For the implicit scheme with cell Peclet numbers
// |b + xi sdot| h s / (2a) <= 1 and c <= 0, M = I - tau L is a strictly
// diagonally dominant Z-matrix (a nonsingular M-matrix): M^{-1} >= 0 and
// ||M^{-1}||_inf <= 1 / min_i (diag_i - sum |offdiag_i|) <= 1 / (1 - tau max c) <= 1
// (the discrete maximum principle). In its Thomas factorisation every
// multiplier and every back-substitution coefficient has a fixed sign
// (-sub_r / den_r >= 0, -sup_r / den_r >= 0), so interval forward and back
// substitution with a point matrix propagate radii exactly by
// U^{-1} L^{-1} = M^{-1} >= 0: rad z <= M^{-1} rad(rhs - M w), and the
// max-norm radius of R does not grow through the linear step. The widths of
// the matrix entries (from the enclosures of s_j, s_{j+1}; A ~ a/(h s)^2 is
// about 10^6 at m = 1000) multiply only the correction z - w in residual form
// (in the direct form they multiplied z itself, which stopped the
// certification of m = n = 1000 at step 631). What remains per step is the
// rounding of the residual, the second-order mean-value terms, and the front
// coupling (dz/de - v) E with E ~ (tau / h) |D R|: additive, so the widths
// grow about linearly in the number of steps (measured: R from 1e-16 to
// 3e-12 in 1000 steps at m = 1000).
//
// Interval arithmetic propagates R through (I - tau theta L)^{-1}(I + tau (1 - theta) L)
// entrywise in absolute value; for Crank-Nicolson |I + tau/2 L| has row sums
// 4 A tau/2 - 1 > 1 when the mesh ratio a tau / (s^2 h^2) > 1 (CN is not a
// max-norm contraction there), so the enclosure widths grow geometrically
// and the solve stops (unknown); the implicit scheme (theta = 1) has no such
// restriction.
#include <cerval/expr/expr.hpp>
#include <cerval/numeric/interval.hpp>
#include <cerval/numeric/rational.hpp>
#include <cerval/stefan/scheme.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace cerval::stefan {

// Coefficients as expressions in t and x: a(x, t), b, c and the source f,
// nodes of `graph` whose variables are t (index t_var) and x (x_var) only.
// At a node of level k they are evaluated by the one evaluator
// (expr/eval.hpp) at x = xi_i s_k, t = t_k, with s_k an enclosure (interval
// arithmetic) or a jet (forward-mode derivatives along s_k: the x-derivative
// from expr::Dual times xi_i ds_k). Every certified evaluation must be defined
// on its box (decoration dac or better) and a must be certified positive there;
// otherwise the solve stops (unknown), and `coefficient_not_positive` says
// when a <= 0 was proven at some node. A constant node is evaluated once.
struct ForwardField {
  expr::ExprGraph graph;
  std::size_t t_var = 0, x_var = 1;
  expr::NodeId a = 0, b = 0, c = 0, f = 0;
};

// u_t = a u_xx + b u_x + c u - f on 0 < x < s(t), t0 < t <= T, u(s, t) = mu,
// a u_x(s, t) + gamma s' = chi, Dirichlet u(0, t) = g(t) or flux -a u_x(0, t) = q(t).
struct ForwardProblem {
  numeric::Rational a = 1, b = 0, c = 0, f = 0, gamma = 1, chi = 0, mu = 0;
  // When set, a, b, c, f are these expressions in (x, t) (the constants above are ignored).
  std::shared_ptr<const ForwardField> field;
  // When set, chi(t) and mu(t) enclosed at exact times (replace the constants chi, mu).
  std::function<numeric::Interval(const numeric::Rational& t)> chi_value, mu_value;
  LeftCondition left = LeftCondition::Dirichlet;
  numeric::Rational t0 = 0, final_time = 1;
  // Enclosure of g(t) or q(t) at an exact time.
  std::function<numeric::Interval(const numeric::Rational& t)> left_value;
  // Enclosure of s(t0) > 0, and of z(xi_i, t0) = u(xi_i s(t0), t0), i = 0..m.
  std::function<numeric::Interval()> initial_front;
  std::function<std::vector<numeric::Interval>(int m)> initial_profile;
};

struct ForwardGrid {
  int m = 8;                      // space intervals (>= 2)
  int n = 8;                      // time steps (>= 1)
  numeric::Rational theta = 1;    // 1 implicit, 1/2 Crank-Nicolson
};

struct ForwardSolution {
  int m = 0, n = 0;
  numeric::Rational theta, tau;
  bool certified = false;  // every step certified (else `failure` says where)
  int steps = 0;           // steps certified
  std::string failure;
  bool coefficient_not_positive = false;  // a(x, t) <= 0 proven at some node (the data are invalid)
  std::vector<numeric::Interval> front;  // s_j enclosures, j = 0..steps
  std::vector<double> front_approx;      // the floating-point iterates ŝ_j
  std::vector<numeric::Interval> profile;  // z^{steps} enclosure, m + 1 values
  std::vector<double> profile_approx;
  // Maximum-principle facts on the discrete solution, over the steps done:
  bool front_increase_certified = true;   // s_{j+1} > s_j - 0 certified at every step (all points of the enclosures)
  bool front_decrease_found = false;      // some step with s_{j+1} < s_j for all points
  bool nonnegative_certified = true;      // every z^j_i enclosure >= 0
  bool negative_found = false;            // some z^j_i enclosure < 0
  // Identities (meaningful when b = c = f = mu = chi = 0; see forward.cpp):
  // flux problem: gamma s + int_0^s u - (gamma s0 + int phi + int q dt);
  // Dirichlet problem: gamma s^2/2 + int_0^s x u - (gamma s0^2/2 + int x phi + a int g dt),
  // the integrals by the trapezoid rule on the grid (space and time).
  numeric::Interval identity_residual;
  double max_profile_width = 0;  // largest width of the final z enclosure
  double max_front_width = 0;    // largest width of an s_j enclosure
  double seconds = 0;
};

// The certified forward solve (header comment). Throws std::invalid_argument
// on bad grid or problem data (m < 2, n < 1, t0 >= T, theta outside [1/2, 1]).
ForwardSolution solve_forward(const ForwardProblem& problem, const ForwardGrid& grid);

// The same discrete equations in plain double (Newton on the front residual,
// no certification): the baseline of the benchmark. Returns s_n and z^n.
struct ForwardApproximation {
  std::vector<double> front;    // s_j, j = 0..n
  std::vector<double> profile;  // z^n
  double seconds = 0;
};
ForwardApproximation solve_forward_double(const ForwardProblem& problem, const ForwardGrid& grid);

}  // namespace cerval::stefan
