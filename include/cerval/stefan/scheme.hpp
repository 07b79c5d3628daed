#pragma once
// The linear Landau front-fixing theta-step of the one-phase Stefan problem,
// generic in the scalar type.
//
// Problem (docs/stefan.md): u_t = a u_xx + b u_x + c u - f on 0 < x < s(t),
// with a > 0, b, c, f constants of the scheme or, per time level, values at
// the nodes (coefficients that are functions of x and t: a_i^k = a(xi_i s_k,
// t_k), likewise b, c and the source f; LandauLevel). Landau's
// change of variables xi = x / s(t) in [0, 1], z(xi, t) = u(xi s(t), t) gives
//
//   z_t = a z_xixi / s^2 + (b + xi s') / s z_xi + c z - f.
//
// Boundary conditions: at x = 0 either Dirichlet u = g, or flux -a u_x = q;
// at xi = 1 either Dirichlet u(s, t) = mu, or the Stefan condition
// a u_x(s, t) + gamma s'(t) = chi used as a Neumann condition (s known).
//
// Grid: xi_i = i h, h = 1/m, i = 0..m (m = z.size() - 1 >= 2); one step
// t_j -> t_{j+1} = t_j + tau; s_j = s(t_j) and s_{j+1} are given (the free
// boundary is a control, as in Abdulla's formulation) and
//   sdot = (s_{j+1} - s_j) / tau
// is used at both time levels. For a level k in {j, j+1} let
//   A_{k,i} = a_i^k / (h^2 s_k^2),   B_{k,i} = (b_i^k + xi_i sdot) / (2 h s_k),
//   (Lambda_k z)_i = A_{k,i} (z_{i+1} - 2 z_i + z_{i-1}) + B_{k,i} (z_{i+1} - z_{i-1}) + c_i^k z_i
// (a_i^k = a for a constant coefficient; the equation is in non-divergence
// form, (a u_x)_x = a u_xx + a_x u_x is the user's b = a_x).
// The discrete equations solved for z^{j+1} (theta in [0, 1]; theta = 1 the
// first-order implicit scheme, theta = 1/2 Crank-Nicolson) are, at every node
// i whose value is not prescribed,
//   z_i^{j+1} - z_i^j = tau theta (Lambda_{j+1} z^{j+1})_i + tau (1 - theta) (Lambda_j z^j)_i
//                       - tau (theta f_i^{j+1} + (1 - theta) f_i^j),
// with the boundary nodes:
//  - Dirichlet at 0:   z_0^{j+1} = g^{j+1} (prescribed);
//  - flux at 0:        the equation at i = 0 with the ghost value
//                      z_{-1}^k = z_1^k + 2 h s_k q^k / a_0^k (central difference of
//                      -a z_xi(0) / s_k = q^k), at both levels;
//  - Dirichlet at 1:   z_m^{j+1} = mu^{j+1} (prescribed);
//  - Stefan at 1:      the equation at i = m with the ghost value
//                      z_{m+1}^k = z_{m-1}^k + 2 h s_k (chi^k - gamma sdot) / a_m^k
//                      (central difference of a z_xi(1) / s_k + gamma sdot = chi^k).
// The equations form a tridiagonal system, solved by the Thomas algorithm
// (no pivoting). At the old level the values z_0^j and z_m^j are those of
// z_old (for Dirichlet conditions they are the old prescribed values).
//
// The forward (direct) problem determines s_{j+1} too: with Dirichlet
// u(s) = mu at xi = 1, the theta-weighted discrete Stefan condition
//   gamma (s_{j+1} - s_j) = tau theta (chi^{j+1} - a_m^{j+1} D z^{j+1} / s_{j+1})
//                         + tau (1 - theta) (chi^j - a_m^j D z^j / s_j),
//   D z = (3 z_m - 4 z_{m-1} + z_{m-2}) / (2 h)   (one-sided, second order),
// is the scalar equation landau_front_residual(...) = 0 in s_{j+1}, coupled
// to z^{j+1} = landau_theta_step(...) (stefan/forward.hpp certifies it).
//
// Scalar type T: only T + T, T - T, T * T, T / T, unary minus, copies and
// constants made by SchemeConstant<T>::make(q) are used; no comparison or
// branch on a T value and no function of T (sqrt, exp, ...). Instantiated
// (src/stefan/scheme.cpp) for double (rounded to nearest: not certified),
// numeric::Interval (every result contains the exact result of the discrete
// equations for every point of the inputs, provided no pivot enclosure
// contains 0: check with landau_theta_pivots) and
// expr::Dual<numeric::Interval> (value and derivative enclosures). Another
// scalar type (an expression DAG, for instance) specialises SchemeConstant.
//
// Preconditions (not checked on T values, since T cannot be compared):
// a > 0, s_k > 0, gamma given when the right condition is Stefan; the
// matrix is then an M-matrix when the cell Peclet numbers
// |b + xi sdot| h s_k / (2 a) <= 1 and 1 + tau theta (2 A - c) > 0 hold,
// so the Thomas algorithm is stable.
#include <cerval/expr/autodiff.hpp>
#include <cerval/numeric/interval.hpp>
#include <cerval/numeric/rational.hpp>

#include <cstddef>
#include <stdexcept>
#include <vector>

namespace cerval::stefan {

// Exact constants as T: the one hook a scalar type specialises (partial
// specialisation allowed: it is a class template).
template <class T>
struct SchemeConstant;

template <>
struct SchemeConstant<double> {
  static double make(const numeric::Rational& q) { return q.convert_to<double>(); }  // nearest (not certified)
};
template <>
struct SchemeConstant<numeric::Interval> {
  static numeric::Interval make(const numeric::Rational& q) { return numeric::Interval::enclose(q); }
};
template <class I>
struct SchemeConstant<expr::Dual<I>> {
  static expr::Dual<I> make(const numeric::Rational& q) { return expr::Dual<I>(SchemeConstant<I>::make(q)); }
};

template <class T>
T scheme_constant(const numeric::Rational& q) {
  return SchemeConstant<T>::make(q);
}

// The grid constants xi_i = p / q (|p|, |q| < 2^53): by default through
// SchemeConstant; double and Interval build them without a rational (the
// Interval quotient of two exact doubles encloses p / q). Specialise for speed.
template <class T>
struct SchemeRatio {
  static T make(long p, long q) { return scheme_constant<T>(numeric::Rational(p, q)); }
};
template <>
struct SchemeRatio<double> {
  static double make(long p, long q) { return static_cast<double>(p) / static_cast<double>(q); }
};
template <>
struct SchemeRatio<numeric::Interval> {
  static numeric::Interval make(long p, long q) {
    return numeric::Interval(static_cast<double>(p)) / numeric::Interval(static_cast<double>(q));
  }
};

enum class LeftCondition { Dirichlet, Flux };     // u(0, t) = g   |  -a u_x(0, t) = q
enum class RightCondition { Dirichlet, Stefan };  // u(s, t) = mu  |  a u_x(s, t) + gamma s' = chi

// The scheme: coefficients (T: they may be unknowns of an inverse problem),
// the weight theta and the time step tau (exact).
template <class T>
struct LandauScheme {
  T a, b, c, f;   // u_t = a u_xx + b u_x + c u - f
  T gamma;        // latent heat of the Stefan condition
  numeric::Rational theta = 1;  // 1: implicit (first order), 1/2: Crank-Nicolson
  numeric::Rational tau = 1;    // time step, > 0
  LeftCondition left = LeftCondition::Dirichlet;
  RightCondition right = RightCondition::Dirichlet;
};

// Data of one time level t_k.
template <class T>
struct LandauLevel {
  T s;      // s(t_k) > 0
  T left;   // g(t_k) (Dirichlet) or q(t_k) (flux)
  T mu;     // u(s(t_k), t_k) (right Dirichlet condition)
  T chi;    // chi(t_k) of the Stefan condition
  std::vector<T> source;  // f at the nodes xi_i (size m + 1), or empty: the scheme's constant f
  // a, b, c at the nodes (a(xi_i s_k, t_k), ...; size m + 1), or empty: the scheme's constants.
  std::vector<T> a, b, c;
};

// z^{j+1} from z^j (z_old, size m + 1 >= 3) by the discrete equations of the
// header comment. Throws std::invalid_argument on a grid with m < 2 or a
// source or coefficient vector of the wrong size.
template <class T>
std::vector<T> landau_theta_step(const LandauScheme<T>& scheme, const std::vector<T>& z_old,
                                 const LandauLevel<T>& old_level, const LandauLevel<T>& new_level);

// The pivots of the Thomas algorithm for the step's matrix (m + 1 nodes):
// the matrix does not depend on z. With T = Interval, pivot enclosures that
// all exclude 0 prove the matrix regular for every point of the inputs.
template <class T>
std::vector<T> landau_theta_pivots(const LandauScheme<T>& scheme, std::size_t m, const LandauLevel<T>& old_level,
                                   const LandauLevel<T>& new_level);

// D z = (3 z_m - 4 z_{m-1} + z_{m-2}) / (2 h), h = 1/m: z_xi(1) to second order.
template <class T>
T landau_right_slope(const std::vector<T>& z);

// The theta-weighted discrete Stefan condition of the forward problem,
//   gamma (s_{j+1} - s_j) - tau theta (chi^{j+1} - a_m^{j+1} D z_new / s_{j+1})
//                         - tau (1 - theta) (chi^j - a_m^j D z_old / s_j);
// zero at the solution of the discrete forward problem.
template <class T>
T landau_front_residual(const LandauScheme<T>& scheme, const std::vector<T>& z_old, const std::vector<T>& z_new,
                        const LandauLevel<T>& old_level, const LandauLevel<T>& new_level);

// ---------------------------------------------------------------------------
// Implementation (templates: any scalar type with the operations above).

template <class T>
T landau_right_slope(const std::vector<T>& z) {
  const std::size_t m = z.size() - 1;
  if (z.size() < 3) throw std::invalid_argument("landau_right_slope: the grid needs m >= 2");
  const T half_m = scheme_constant<T>(numeric::Rational(static_cast<long>(m), 2));
  return (scheme_constant<T>(3) * z[m] - scheme_constant<T>(4) * z[m - 1] + z[m - 2]) * half_m;
}

namespace detail {
// The theta-step; when `pivots` is given, the Thomas pivots are stored there.
template <class T>
std::vector<T> landau_theta_solve(const LandauScheme<T>& sc, const std::vector<T>& z_old, const LandauLevel<T>& old_level,
                                  const LandauLevel<T>& new_level, std::vector<T>* pivots,
                                  const std::vector<T>* guess = nullptr) {
  using numeric::Rational;
  if (z_old.size() < 3) throw std::invalid_argument("landau_theta_step: the grid needs m >= 2");
  const std::size_t m = z_old.size() - 1;
  for (const auto* lv : {&old_level, &new_level})
    for (const auto* v : {&lv->source, &lv->a, &lv->b, &lv->c})
      if (!v->empty() && v->size() != m + 1)
        throw std::invalid_argument("landau_theta_step: the source and the coefficients must have m + 1 values");
  const Rational& theta = sc.theta;
  const bool explicit_part = theta != 1;  // a branch on an exact constant, not on T
  const T th = scheme_constant<T>(theta);
  const T om = scheme_constant<T>(Rational(1) - theta);
  const T tau = scheme_constant<T>(sc.tau);
  const T inv_tau = scheme_constant<T>(Rational(1) / sc.tau);
  const T one = scheme_constant<T>(1);
  const T two = scheme_constant<T>(2);
  const T mm = scheme_constant<T>(Rational(static_cast<long>(m)));                  // 1/h
  const T two_h = scheme_constant<T>(Rational(2, static_cast<long>(m)));            // 2h
  const T half_m = scheme_constant<T>(Rational(static_cast<long>(m), 2));           // 1/(2h)
  const T sdot = (new_level.s - old_level.s) * inv_tau;
  auto xi = [&](std::size_t i) { return SchemeRatio<T>::make(static_cast<long>(i), static_cast<long>(m)); };
  auto source = [&](const LandauLevel<T>& lv, std::size_t i) -> T { return lv.source.empty() ? sc.f : lv.source[i]; };
  auto a_at = [&](const LandauLevel<T>& lv, std::size_t i) -> const T& { return lv.a.empty() ? sc.a : lv.a[i]; };
  auto b_at = [&](const LandauLevel<T>& lv, std::size_t i) -> const T& { return lv.b.empty() ? sc.b : lv.b[i]; };
  auto c_at = [&](const LandauLevel<T>& lv, std::size_t i) -> const T& { return lv.c.empty() ? sc.c : lv.c[i]; };

  // Level quantities: A_{k,i} = a_i^k / (h^2 s_k^2), one value when a is constant.
  auto A_of = [&](const LandauLevel<T>& lv) {
    std::vector<T> A;
    if (lv.a.empty()) {
      A.push_back(sc.a * mm * mm / (lv.s * lv.s));
    } else {
      const T factor = mm * mm / (lv.s * lv.s);
      A.reserve(m + 1);
      for (std::size_t i = 0; i <= m; ++i) A.push_back(lv.a[i] * factor);
    }
    return A;
  };
  const std::vector<T> A_new_v = A_of(new_level);
  const std::vector<T> A_old_v = explicit_part ? A_of(old_level) : std::vector<T>{};
  auto A_new = [&](std::size_t i) -> const T& { return A_new_v.size() == 1 ? A_new_v[0] : A_new_v[i]; };
  auto A_old = [&](std::size_t i) -> const T& { return A_old_v.size() == 1 ? A_old_v[0] : A_old_v[i]; };
  auto B = [&](const LandauLevel<T>& lv, std::size_t i) { return (b_at(lv, i) + xi(i) * sdot) * half_m / lv.s; };
  // Ghost offsets: z_{-1} = z_1 + G, z_{m+1} = z_{m-1} + K.
  auto G = [&](const LandauLevel<T>& lv) { return two_h * lv.s * lv.left / a_at(lv, 0); };
  auto K = [&](const LandauLevel<T>& lv) { return two_h * lv.s * (lv.chi - sc.gamma * sdot) / a_at(lv, m); };

  // z_i^j + tau (1 - theta) (Lambda_j z^j)_i, grouped by node so that each
  // old value appears once (in interval arithmetic z_i - r z_i would double
  // the width that (1 - r) z_i has).
  auto old_part = [&](std::size_t i) -> T {
    const T w = tau * om;
    const T Bi = B(old_level, i);
    const T& Ai = A_old(i);
    const T centre = (one + w * (c_at(old_level, i) - two * Ai)) * z_old[i];
    if (i == 0) {
      const T g = G(old_level);
      return centre + w * (two * Ai * z_old[1] + (Ai - Bi) * g);
    }
    if (i == m) {
      const T k = K(old_level);
      return centre + w * (two * Ai * z_old[m - 1] + (Ai + Bi) * k);
    }
    return centre + w * ((Ai + Bi) * z_old[i + 1] + (Ai - Bi) * z_old[i - 1]);
  };

  const std::size_t lo = sc.left == LeftCondition::Flux ? 0 : 1;
  const std::size_t hi = sc.right == RightCondition::Stefan ? m : m - 1;
  const std::size_t n = hi - lo + 1;
  // Row r (node i = lo + r): sub[r] z_{i-1} + diag[r] z_i + sup[r] z_{i+1} = rhs[r].
  std::vector<T> sub, diag, sup, rhs;
  sub.reserve(n);
  diag.reserve(n);
  sup.reserve(n);
  rhs.reserve(n);
  const T tt = tau * th;
  if (guess && guess->size() != m + 1) throw std::invalid_argument("landau_theta_step_near: the guess must have m + 1 values");
  // Residual form: the guess w extended by the new level's boundary data
  // (w_0 = g, w_m = mu for Dirichlet conditions; ghosts w_{-1} = w_1 + G,
  // w_{m+1} = w_{m-1} + K), so that every row's M w is
  // w_i - tt (A_i (w_{i+1} - 2 w_i + w_{i-1}) + B_i (w_{i+1} - w_{i-1}) + c_i w_i).
  std::vector<T> w;
  if (guess) {
    w.reserve(m + 3);
    w.push_back(lo == 0 ? (*guess)[1] + G(new_level) : new_level.left);  // w_{-1} (unused for Dirichlet)
    for (std::size_t i = 0; i <= m; ++i) w.push_back((*guess)[i]);
    w.push_back(hi == m ? (*guess)[m - 1] + K(new_level) : new_level.mu);  // w_{m+1}
    if (lo == 1) w[1] = new_level.left;
    if (hi == m - 1) w[m + 1] = new_level.mu;
  }
  auto M_guess = [&](std::size_t i) -> T {  // (M w)_i, grouped by differences; w index shifted by 1
    const T& wl = w[i];
    const T& wc = w[i + 1];
    const T& wr = w[i + 2];
    const T second = (wr - wc) - (wc - wl);
    return wc - tt * (A_new(i) * second + B(new_level, i) * (wr - wl) + c_at(new_level, i) * wc);
  };
  const bool constant_diag = new_level.a.empty() && new_level.c.empty();
  const T diag_value = constant_diag ? one + tt * (two * A_new(0) - sc.c) : one;
  for (std::size_t i = lo; i <= hi; ++i) {
    const T Bi = B(new_level, i);
    const T& Ai = A_new(i);
    T r = (explicit_part ? old_part(i) : z_old[i]) - tau * (th * source(new_level, i) + om * source(old_level, i));
    if (guess) {  // the row for the correction z - w: boundary terms are in M w
      r = r - M_guess(i);
      if (i == 0 || (i == 1 && lo == 1)) sub.push_back(scheme_constant<T>(0));
      else if (i == m) sub.push_back(-(tt * (two * Ai)));
      else sub.push_back(-(tt * (Ai - Bi)));
      if (i == m || (i == m - 1 && hi == m - 1)) sup.push_back(scheme_constant<T>(0));
      else if (i == 0) sup.push_back(-(tt * (two * Ai)));
      else sup.push_back(-(tt * (Ai + Bi)));
      diag.push_back(constant_diag ? diag_value : one + tt * (two * Ai - c_at(new_level, i)));
      rhs.push_back(r);
      continue;
    }
    T lower = -(tt * (Ai - Bi));
    T upper = -(tt * (Ai + Bi));
    if (i == 0) {  // flux ghost: z_{-1} = z_1 + G
      upper = -(tt * (two * Ai));
      r = r + tt * (Ai - Bi) * G(new_level);
      lower = scheme_constant<T>(0);
    }
    if (i == m) {  // Stefan ghost: z_{m+1} = z_{m-1} + K
      lower = -(tt * (two * Ai));
      r = r + tt * (Ai + Bi) * K(new_level);
      upper = scheme_constant<T>(0);
    }
    if (i == 1 && lo == 1) {  // Dirichlet value at 0 moves to the right-hand side
      r = r + tt * (Ai - Bi) * new_level.left;
      lower = scheme_constant<T>(0);
    }
    if (i == m - 1 && hi == m - 1) {  // Dirichlet value at 1
      r = r + tt * (Ai + Bi) * new_level.mu;
      upper = scheme_constant<T>(0);
    }
    sub.push_back(lower);
    diag.push_back(constant_diag ? diag_value : one + tt * (two * Ai - c_at(new_level, i)));
    sup.push_back(upper);
    rhs.push_back(r);
  }
  // Thomas algorithm: forward elimination, back substitution.
  std::vector<T> cp(n), dp(n);
  if (pivots) pivots->assign(1, diag[0]);
  cp[0] = sup[0] / diag[0];
  dp[0] = rhs[0] / diag[0];
  for (std::size_t r = 1; r < n; ++r) {
    const T den = diag[r] - sub[r] * cp[r - 1];
    if (pivots) pivots->push_back(den);
    cp[r] = sup[r] / den;
    dp[r] = (rhs[r] - sub[r] * dp[r - 1]) / den;
  }
  std::vector<T> z(m + 1, scheme_constant<T>(0));
  z[lo + n - 1] = dp[n - 1];
  for (std::size_t r = n - 1; r-- > 0;) z[lo + r] = dp[r] - cp[r] * z[lo + r + 1];
  if (guess)
    for (std::size_t i = lo; i <= hi; ++i) z[i] = (*guess)[i] + z[i];
  if (lo == 1) z[0] = new_level.left;
  if (hi == m - 1) z[m] = new_level.mu;
  return z;
}
}  // namespace detail

// The same z^{j+1} as landau_theta_step, computed in residual form from a
// guess w (size m + 1, any values): z = w + M^{-1} (rhs - M w), M w grouped
// by differences (w_{i+1} - 2 w_i + w_{i-1}, ...). In exact arithmetic this
// is M^{-1} rhs whatever w is; in interval arithmetic with w close to the
// solution the widths of the matrix entries (A ~ a / (h s)^2, large)
// multiply the small correction z - w instead of z, so the enclosure stays
// narrow on fine grids. With `pivots`, the Thomas pivots (as
// landau_theta_pivots) are stored there.
template <class T>
std::vector<T> landau_theta_step_near(const LandauScheme<T>& sc, const std::vector<T>& z_old, const std::vector<T>& guess,
                                      const LandauLevel<T>& old_level, const LandauLevel<T>& new_level,
                                      std::vector<T>* pivots = nullptr) {
  return detail::landau_theta_solve(sc, z_old, old_level, new_level, pivots, &guess);
}

template <class T>
std::vector<T> landau_theta_step(const LandauScheme<T>& sc, const std::vector<T>& z_old, const LandauLevel<T>& old_level,
                                 const LandauLevel<T>& new_level) {
  return detail::landau_theta_solve(sc, z_old, old_level, new_level, static_cast<std::vector<T>*>(nullptr));
}

template <class T>
std::vector<T> landau_theta_pivots(const LandauScheme<T>& sc, std::size_t m, const LandauLevel<T>& old_level,
                                   const LandauLevel<T>& new_level) {
  std::vector<T> pivots;
  detail::landau_theta_solve(sc, std::vector<T>(m + 1, scheme_constant<T>(0)), old_level, new_level, &pivots);
  return pivots;
}

template <class T>
T landau_front_residual(const LandauScheme<T>& sc, const std::vector<T>& z_old, const std::vector<T>& z_new,
                        const LandauLevel<T>& old_level, const LandauLevel<T>& new_level) {
  const T th = scheme_constant<T>(sc.theta);
  const T om = scheme_constant<T>(numeric::Rational(1) - sc.theta);
  const T tau = scheme_constant<T>(sc.tau);
  const std::size_t m = z_new.size() - 1;
  const T& a_new = new_level.a.empty() ? sc.a : new_level.a.at(m);
  const T v_new = new_level.chi - a_new * landau_right_slope(z_new) / new_level.s;
  T r = sc.gamma * (new_level.s - old_level.s) - tau * th * v_new;
  if (sc.theta != 1) {
    const T& a_old = old_level.a.empty() ? sc.a : old_level.a.at(m);
    r = r - tau * om * (old_level.chi - a_old * landau_right_slope(z_old) / old_level.s);
  }
  return r;
}

extern template std::vector<double> landau_theta_step(const LandauScheme<double>&, const std::vector<double>&,
                                                      const LandauLevel<double>&, const LandauLevel<double>&);
extern template std::vector<numeric::Interval> landau_theta_step(const LandauScheme<numeric::Interval>&,
                                                                 const std::vector<numeric::Interval>&,
                                                                 const LandauLevel<numeric::Interval>&,
                                                                 const LandauLevel<numeric::Interval>&);
extern template std::vector<expr::Dual<numeric::Interval>> landau_theta_step(
    const LandauScheme<expr::Dual<numeric::Interval>>&, const std::vector<expr::Dual<numeric::Interval>>&,
    const LandauLevel<expr::Dual<numeric::Interval>>&, const LandauLevel<expr::Dual<numeric::Interval>>&);

}  // namespace cerval::stefan
