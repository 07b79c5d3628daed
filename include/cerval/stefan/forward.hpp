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
//  1. A root ŝ_{j+1} of the residual is found in double (Newton), and
//     k ~ d s_{j+1} / d s_j (double; any value is sound).
//  2. Existence: with s_{j+1} = ŝ_{j+1} + k p + e, p = s_j - ŝ_j, the
//     residual is enclosed at the two points e = -delta, +delta for all
//     states of level j (centred form in p), and r(-delta) < 0 < r(+delta)
//     is certified: for each state there is a root with e in
//     E = [-delta, delta], so s_{j+1} in Sigma = ŝ_{j+1} + k P_j + E.
//  3. Uniqueness in Sigma and continuity: the Thomas pivots enclosed over
//     the box (landau_theta_pivots) exclude 0, so every tridiagonal matrix
//     is regular and r is smooth there; the derivative dr/ds_{j+1} is
//     enclosed over Sigma x (all states) by forward-mode differentiation
//     and certified positive. Hence for each state of level j there is
//     exactly one s_{j+1} in Sigma.
//  4. The new state: ẑ^{j+1} the double step at ŝ_{j+1}, v^{j+1} the
//     derivative of z^{j+1} along s_{j+1} = ŝ + k p (double: the direction
//     that absorbs p), R^{j+1} the mean-value enclosure of
//     z^{j+1} - ẑ^{j+1} - v^{j+1}(s_{j+1} - ŝ_{j+1}) over p in P_j, rho in
//     R^j, e in E.
// If a check fails the solution stops there with `certified = false` and the
// reason: nothing past that step is claimed.
//
// Interval arithmetic propagates R through (I - tau theta L)^{-1}(I + tau (1 - theta) L)
// entrywise in absolute value; for Crank-Nicolson this is bounded only when
// the mesh ratio a tau / (s^2 h^2) <= 1 (otherwise the enclosure widths grow
// geometrically, and the solution reports wide but still valid enclosures).
// The implicit scheme (theta = 1) has no such restriction.
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
