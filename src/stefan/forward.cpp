#include <cerval/stefan/forward.hpp>

#include <cerval/expr/autodiff.hpp>
#include <cerval/expr/eval.hpp>
#include <cerval/numeric/mp_interval.hpp>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <chrono>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <type_traits>

namespace cerval::stefan {

using numeric::Interval;
using numeric::Rational;

namespace detail {

// Forward-mode jet with N fixed directions (value and N partial
// derivatives): the mean-value and uniqueness enclosures of forward.hpp.
// Only +, -, *, / are needed by the theta-step. `constant` marks a jet whose
// derivatives are exactly zero (the scheme's constants, the guess of the
// residual form): the arithmetic then skips the derivative products (false
// is always safe; the derivatives are kept as zeros either way).
template <class I, int N>
struct Jet {
  I v;
  std::array<I, N> d;
  bool constant = false;
};

template <class I, int N>
Jet<I, N> operator+(const Jet<I, N>& a, const Jet<I, N>& b) {
  if (a.constant) return {a.v + b.v, b.d, b.constant};
  if (b.constant) return {a.v + b.v, a.d, false};
  Jet<I, N> r{a.v + b.v, {}, false};
  for (int k = 0; k < N; ++k) r.d[k] = a.d[k] + b.d[k];
  return r;
}
template <class I, int N>
Jet<I, N> operator-(const Jet<I, N>& a) {
  if (a.constant) return {-a.v, a.d, true};
  Jet<I, N> r{-a.v, {}, false};
  for (int k = 0; k < N; ++k) r.d[k] = -a.d[k];
  return r;
}
template <class I, int N>
Jet<I, N> operator-(const Jet<I, N>& a, const Jet<I, N>& b) {
  if (b.constant) return {a.v - b.v, a.d, a.constant};
  Jet<I, N> r{a.v - b.v, {}, false};
  if (a.constant)
    for (int k = 0; k < N; ++k) r.d[k] = -b.d[k];
  else
    for (int k = 0; k < N; ++k) r.d[k] = a.d[k] - b.d[k];
  return r;
}
template <class I, int N>
Jet<I, N> operator*(const Jet<I, N>& a, const Jet<I, N>& b) {
  if (a.constant && b.constant) return {a.v * b.v, a.d, true};
  Jet<I, N> r{a.v * b.v, {}, false};
  if (a.constant)
    for (int k = 0; k < N; ++k) r.d[k] = a.v * b.d[k];
  else if (b.constant)
    for (int k = 0; k < N; ++k) r.d[k] = a.d[k] * b.v;
  else
    for (int k = 0; k < N; ++k) r.d[k] = a.d[k] * b.v + a.v * b.d[k];
  return r;
}
template <class I, int N>
Jet<I, N> operator/(const Jet<I, N>& a, const Jet<I, N>& b) {
  const I q = a.v / b.v;
  if (b.constant) {
    if (a.constant) return {q, a.d, true};
    Jet<I, N> r{q, {}, false};
    for (int k = 0; k < N; ++k) r.d[k] = a.d[k] / b.v;
    return r;
  }
  Jet<I, N> r{q, {}, false};
  if (a.constant)
    for (int k = 0; k < N; ++k) r.d[k] = -(q * b.d[k]) / b.v;
  else
    for (int k = 0; k < N; ++k) r.d[k] = (a.d[k] - q * b.d[k]) / b.v;
  return r;
}

}  // namespace detail

template <class I, int N>
struct SchemeConstant<detail::Jet<I, N>> {
  static detail::Jet<I, N> make(const Rational& q) {
    detail::Jet<I, N> r{SchemeConstant<I>::make(q), {}, true};
    r.d.fill(SchemeConstant<I>::make(0));
    return r;
  }
};

template <class I, int N>
struct SchemeRatio<detail::Jet<I, N>> {
  static detail::Jet<I, N> make(long p, long q) {
    detail::Jet<I, N> r{SchemeRatio<I>::make(p, q), {}, true};
    r.d.fill(SchemeRatio<I>::make(0, 1));
    return r;
  }
};

namespace {

using J2 = detail::Jet<Interval, 2>;
using D1 = detail::Jet<double, 1>;

// A T from an interval enclosure (double: its midpoint, not certified).
template <class T>
T lift(const Interval& x);
template <>
double lift<double>(const Interval& x) { return x.midpoint(); }
template <>
Interval lift<Interval>(const Interval& x) { return x; }
template <>
J2 lift<J2>(const Interval& x) { return {x, {Interval(0.0), Interval(0.0)}, true}; }
template <>
D1 lift<D1>(const Interval& x) { return {x.midpoint(), {0.0}, true}; }

template <class T>
struct Evaluation {
  std::vector<T> z;
  T r;
};

// The data of one time level: its exact time, g or q, chi and mu enclosed.
struct LevelData {
  Rational t;
  Interval left, chi, mu;
};

// A certified coefficient evaluation that failed (undefined, or a not
// certified positive): the step stops there.
struct FieldFailure {
  std::string what;
  bool a_not_positive = false;  // a <= 0 proven
};

// The problem's constants enclosed once, and the expression coefficients.
struct Setup {
  Interval a, b, c, f, gamma, chi, mu;
  Rational theta, tau, t0;
  LeftCondition left;
  std::shared_ptr<const ForwardField> field;
  bool var_a = false, var_b = false, var_c = false, var_f = false;  // coefficients that vary with x or t
  std::function<Interval(const Rational&)> chi_value, mu_value, left_value;

  bool variable() const { return var_a || var_b || var_c || var_f; }

  LevelData level_data(const Rational& t) const {
    return {t, left_value(t), chi_value ? chi_value(t) : chi, mu_value ? mu_value(t) : mu};
  }

  // Values at x = xi_i s, t of the variable coefficients, i = 0..m, into lv.
  // Interval types: every evaluation defined on its box and a > 0 certified,
  // else FieldFailure.
  template <class T>
  void fill_field(LandauLevel<T>& lv, std::size_t m, const Rational& t) const;

  template <class T>
  LandauScheme<T> scheme() const {
    return {lift<T>(a), lift<T>(b), lift<T>(c), lift<T>(f), lift<T>(gamma), theta, tau, left, RightCondition::Dirichlet};
  }
  template <class T>
  LandauLevel<T> level(const T& s, const LevelData& d, std::size_t m) const {
    LandauLevel<T> lv{s, lift<T>(d.left), lift<T>(d.mu), lift<T>(d.chi), {}, {}, {}, {}};
    if (variable()) fill_field(lv, m, d.t);
    return lv;
  }

  // The step and the front residual; with `guess` (an approximation of
  // z^{j+1}) in residual form (landau_theta_step_near: the same equations).
  template <class T>
  Evaluation<T> evaluate(const std::vector<T>& z_old, const T& s_old, const T& s_new, const LevelData& d0,
                         const LevelData& d1, const std::vector<double>* guess = nullptr,
                         std::vector<T>* pivots = nullptr) const {
    return evaluate_from(z_old, level(s_old, d0, z_old.size() - 1), s_new, d1, guess, pivots);
  }
  // The same with the old level built (Newton reuses it across iterations).
  template <class T>
  Evaluation<T> evaluate_from(const std::vector<T>& z_old, const LandauLevel<T>& l0, const T& s_new,
                              const LevelData& d1, const std::vector<double>* guess = nullptr,
                              std::vector<T>* pivots = nullptr) const {
    const LandauScheme<T> sc = scheme<T>();
    const std::size_t m = z_old.size() - 1;
    const LandauLevel<T> l1 = level(s_new, d1, m);
    std::vector<T> w;
    if (guess)
      for (double x : *guess) w.push_back(lift<T>(Interval(x)));
    Evaluation<T> e{guess ? landau_theta_step_near(sc, z_old, w, l0, l1, pivots) : landau_theta_step(sc, z_old, l0, l1),
                    T{}};
    e.r = landau_front_residual(sc, z_old, e.z, l0, l1);
    return e;
  }
};

// The coefficient values at one node: value enclosures (Interval), or value
// and x-derivative enclosures (Dual) for the jets.
struct NodeValues {
  Interval a, b, c, f;     // values
  Interval da, db, dc, df; // d/dx (jets only)
};

// The evaluator of the field's graph in Interval or Dual<Interval> (one per
// level fill: its constants are enclosed once).
template <bool Derivative>
using FieldEvaluator = expr::Evaluator<std::conditional_t<Derivative, expr::Dual<Interval>, Interval>>;

template <bool Derivative>
NodeValues eval_node(const Setup& su, FieldEvaluator<Derivative>& ev, const Interval& x, const Interval& t,
                     bool certify, std::size_t i, std::size_t m) {
  const ForwardField& F = *su.field;
  NodeValues out;
  auto check = [&](expr::Decoration d, const Interval& v, const char* name, bool positive) {
    if (!certify) return;
    const std::string where = std::string(name) + "(x, t) at xi = " + std::to_string(i) + "/" + std::to_string(m);
    if (!expr::is_defined_everywhere(d)) throw FieldFailure{"the coefficient " + where + " is not proven defined", false};
    if (positive && !v.certainly_gt(0.0))
      throw FieldFailure{"the diffusivity " + where + " is not certified positive", v.certainly_le(0.0)};
  };
  if constexpr (Derivative) {
    using D = expr::Dual<Interval>;
    std::vector<D> vars(2);
    vars[su.field->t_var] = D(t);
    vars[su.field->x_var] = D::variable(x, su.field->x_var, 2);
    ev.evaluate(vars);
    auto grab = [&](bool var, expr::NodeId id, const Interval& constant, Interval& v, Interval& dv, const char* name,
                    bool positive) {
      if (!var) {
        v = constant;
        dv = Interval(0.0);
        return;
      }
      const D& r = ev.value(id);
      v = r.value;
      dv = su.field->x_var < r.grad.size() ? r.grad[su.field->x_var] : Interval(0.0);
      check(ev.decoration(id), v, name, positive);
      if (certify && !dv.is_bounded())
        throw FieldFailure{std::string("the x-derivative of ") + name + " is not bounded", false};
    };
    grab(su.var_a, F.a, su.a, out.a, out.da, "a", true);
    grab(su.var_b, F.b, su.b, out.b, out.db, "b", false);
    grab(su.var_c, F.c, su.c, out.c, out.dc, "c", false);
    grab(su.var_f, F.f, su.f, out.f, out.df, "f", false);
  } else {
    std::vector<Interval> vars(2);
    vars[su.field->t_var] = t;
    vars[su.field->x_var] = x;
    ev.evaluate(vars);
    auto grab = [&](bool var, expr::NodeId id, const Interval& constant, Interval& v, const char* name, bool positive) {
      if (!var) {
        v = constant;
        return;
      }
      v = ev.value(id);
      check(ev.decoration(id), v, name, positive);
    };
    grab(su.var_a, F.a, su.a, out.a, "a", true);
    grab(su.var_b, F.b, su.b, out.b, "b", false);
    grab(su.var_c, F.c, su.c, out.c, "c", false);
    grab(su.var_f, F.f, su.f, out.f, "f", false);
  }
  return out;
}

template <class T>
void assign_field(const Setup& su, LandauLevel<T>& lv, std::size_t m, const std::vector<T>& a, const std::vector<T>& b,
                  const std::vector<T>& c, const std::vector<T>& f) {
  (void)m;
  if (su.var_a) lv.a = a;
  if (su.var_b) lv.b = b;
  if (su.var_c) lv.c = c;
  if (su.var_f) lv.source = f;
}

template <>
void Setup::fill_field<double>(LandauLevel<double>& lv, std::size_t m, const Rational& t) const {
  const Interval ti = Interval::enclose(t);
  FieldEvaluator<false> ev(field->graph);
  std::vector<double> a, b, c, f;
  for (std::size_t i = 0; i <= m; ++i) {
    const double x = static_cast<double>(i) / static_cast<double>(m) * lv.s;
    const NodeValues v = eval_node<false>(*this, ev, Interval(x), ti, false, i, m);
    a.push_back(v.a.midpoint()), b.push_back(v.b.midpoint()), c.push_back(v.c.midpoint()), f.push_back(v.f.midpoint());
  }
  assign_field(*this, lv, m, a, b, c, f);
}

template <>
void Setup::fill_field<Interval>(LandauLevel<Interval>& lv, std::size_t m, const Rational& t) const {
  const Interval ti = Interval::enclose(t);
  FieldEvaluator<false> ev(field->graph);
  std::vector<Interval> a, b, c, f;
  for (std::size_t i = 0; i <= m; ++i) {
    const Interval x = SchemeRatio<Interval>::make(static_cast<long>(i), static_cast<long>(m)) * lv.s;
    const NodeValues v = eval_node<false>(*this, ev, x, ti, true, i, m);
    a.push_back(v.a), b.push_back(v.b), c.push_back(v.c), f.push_back(v.f);
  }
  assign_field(*this, lv, m, a, b, c, f);
}

// Jets: d coef / d dir = coef_x(x, t) xi_i ds/d dir (chain rule through x = xi_i s).
template <class I, int N>
void fill_jets(const Setup& su, LandauLevel<detail::Jet<I, N>>& lv, std::size_t m, const Rational& t) {
  using JT = detail::Jet<I, N>;
  constexpr bool certified = std::is_same_v<I, Interval>;
  const Interval ti = Interval::enclose(t);
  FieldEvaluator<true> ev(su.field->graph);
  std::vector<JT> a, b, c, f;
  for (std::size_t i = 0; i <= m; ++i) {
    const I xi = SchemeRatio<I>::make(static_cast<long>(i), static_cast<long>(m));
    Interval x;
    if constexpr (certified) x = xi * lv.s.v;
    else x = Interval(xi * lv.s.v);
    const NodeValues v = eval_node<true>(su, ev, x, ti, certified, i, m);
    auto jet = [&](const Interval& value, const Interval& dx) {
      JT r;
      if constexpr (certified) {
        r.v = value;
        const Interval g = dx * xi;
        for (int k = 0; k < N; ++k) r.d[k] = g * lv.s.d[k];
      } else {
        r.v = value.midpoint();
        const double g = dx.midpoint() * xi;
        for (int k = 0; k < N; ++k) r.d[k] = g * lv.s.d[k];
      }
      return r;
    };
    a.push_back(jet(v.a, v.da)), b.push_back(jet(v.b, v.db)), c.push_back(jet(v.c, v.dc)), f.push_back(jet(v.f, v.df));
  }
  assign_field(su, lv, m, a, b, c, f);
}

template <>
void Setup::fill_field<J2>(LandauLevel<J2>& lv, std::size_t m, const Rational& t) const { fill_jets(*this, lv, m, t); }
template <>
void Setup::fill_field<D1>(LandauLevel<D1>& lv, std::size_t m, const Rational& t) const { fill_jets(*this, lv, m, t); }

Setup make_setup(const ForwardProblem& p, const ForwardGrid& g, const Rational& tau) {
  Setup su{Interval::enclose(p.a),   Interval::enclose(p.b),     Interval::enclose(p.c),
           Interval::enclose(p.f),   Interval::enclose(p.gamma), Interval::enclose(p.chi),
           Interval::enclose(p.mu),  g.theta,                    tau,
           p.t0,                     p.left,                     p.field,
           false,                    false,                      false,
           false,                    p.chi_value,                p.mu_value,
           p.left_value};
  if (p.field) {
    const ForwardField& F = *p.field;
    if (F.graph.variable_count() != 2 || F.t_var > 1 || F.x_var > 1 || F.t_var == F.x_var)
      throw std::invalid_argument("the coefficient expressions must be in the variables t and x only");
    // Constant nodes once (128-bit enclosure, rounded outward), the others per node.
    auto constant = [&](expr::NodeId id, bool& var, Interval& value, const char* name) {
      var = !F.graph.is_constant(id);
      if (var) return;
      std::vector<numeric::MpInterval> none(2, numeric::MpInterval::enclose(Rational(0), 128));
      const auto e = expr::evaluate<numeric::MpInterval>(F.graph, id, none, {128});
      if (!expr::is_defined_everywhere(e.decoration))
        throw std::invalid_argument(std::string("the coefficient ") + name + " is not defined");
      value = Interval(e.value.lower_down(), e.value.upper_up());
    };
    constant(F.a, su.var_a, su.a, "a");
    constant(F.b, su.var_b, su.b, "b");
    constant(F.c, su.var_c, su.c, "c");
    constant(F.f, su.var_f, su.f, "f");
    if (!su.var_a && !su.a.certainly_gt(0.0)) throw std::invalid_argument("the diffusivity a must be positive");
  }
  return su;
}

void validate(const ForwardProblem& p, const ForwardGrid& g) {
  if (g.m < 2) throw std::invalid_argument("the grid needs at least 2 space intervals");
  if (g.n < 1) throw std::invalid_argument("the grid needs at least 1 time step");
  if (g.theta < Rational(1, 2) || g.theta > 1) throw std::invalid_argument("theta must lie in [1/2, 1]");
  if (p.t0 >= p.final_time) throw std::invalid_argument("the start time must be before the final time");
  if (!p.field && p.a <= 0) throw std::invalid_argument("the diffusivity a must be positive");
  if (p.gamma <= 0) throw std::invalid_argument("the latent heat gamma must be positive");
  if (!p.left_value || !p.initial_front || !p.initial_profile) throw std::invalid_argument("incomplete problem data");
}

// Newton on the double front residual from `sigma`; returns the root and
// the derivative there (NaN when it does not converge).
std::pair<double, double> newton(const Setup& su, const std::vector<double>& z, double s_old, double sigma,
                                 const LevelData& l0, const LevelData& l1) {
  std::vector<D1> zj;
  zj.reserve(z.size());
  for (double x : z) zj.push_back({x, {0.0}});
  const D1 so{s_old, {0.0}};
  const LandauLevel<D1> level0 = su.level(so, l0, z.size() - 1);
  double deriv = std::numeric_limits<double>::quiet_NaN();
  // Quadratic convergence: once a step is below 1e-12 relative, one more
  // step reaches rounding level (the certification tolerates that).
  bool close = false;
  for (int it = 0; it < 30; ++it) {
    const auto e = su.evaluate_from<D1>(zj, level0, D1{sigma, {1.0}}, l1);
    deriv = e.r.d[0];
    const double step = e.r.v / deriv;
    if (!std::isfinite(step)) return {std::numeric_limits<double>::quiet_NaN(), deriv};
    sigma -= step;
    if (close || std::abs(step) <= 4 * std::numeric_limits<double>::epsilon() * std::abs(sigma)) return {sigma, deriv};
    close = std::abs(step) <= 1e-12 * std::abs(sigma);
  }
  return {sigma, deriv};
}

// Initial guess of s_{j+1}: the old-level Stefan velocity.
double first_guess(const Setup& su, const std::vector<double>& z, double s_old, double s_prev, const LevelData& l0) {
  if (s_prev > 0) return s_old + (s_old - s_prev);
  const LandauLevel<double> lv = su.level(s_old, l0, z.size() - 1);
  const double a = lv.a.empty() ? su.a.midpoint() : lv.a.back();
  const double v = (lv.chi - a * landau_right_slope(z) / s_old) / su.gamma.midpoint();
  return s_old + su.tau.convert_to<double>() * v;
}

struct State {
  double s_hat = 0;
  Interval P;  // s - s_hat
  std::vector<double> z_hat, v;
  std::vector<Interval> R;
};

// Enclosure of z at a state (box form).
std::vector<Interval> profile_box(const State& st) {
  std::vector<Interval> z(st.z_hat.size());
  for (std::size_t i = 0; i < z.size(); ++i) z[i] = Interval(st.z_hat[i]) + Interval(st.v[i]) * st.P + st.R[i];
  return z;
}

Interval trapezoid(const std::vector<Interval>& z, bool first_moment) {
  const std::size_t m = z.size() - 1;
  Interval sum(0.0);
  for (std::size_t i = 0; i <= m; ++i) {
    Interval w = (i == 0 || i == m) ? Interval(0.5) : Interval(1.0);
    if (first_moment) w = w * Interval::enclose(Rational(static_cast<long>(i), static_cast<long>(m)));
    sum = sum + w * z[i];
  }
  return sum / Interval(static_cast<double>(m));
}

}  // namespace

ForwardSolution solve_forward(const ForwardProblem& p, const ForwardGrid& g) {
  validate(p, g);
  const auto start = std::chrono::steady_clock::now();
  ForwardSolution out;
  out.m = g.m;
  out.n = g.n;
  out.theta = g.theta;
  out.tau = (p.final_time - p.t0) / g.n;
  const Setup su = make_setup(p, g, out.tau);
  const std::size_t m = static_cast<std::size_t>(g.m);

  State st;
  const Interval S0 = p.initial_front();
  if (!S0.certainly_gt(0.0)) throw std::invalid_argument("the initial front must be positive");
  const std::vector<Interval> Z0 = p.initial_profile(g.m);
  if (Z0.size() != m + 1) throw std::invalid_argument("the initial profile has the wrong size");
  st.s_hat = S0.midpoint();
  st.P = S0 - Interval(st.s_hat);
  st.v.assign(m + 1, 0.0);
  for (const auto& z : Z0) {
    st.z_hat.push_back(z.midpoint());
    st.R.push_back(z - Interval(z.midpoint()));
  }
  out.front.push_back(S0);
  out.front_approx.push_back(st.s_hat);
  for (const auto& z : Z0)
    if (!z.certainly_ge(0.0)) out.nonnegative_certified = false;

  LevelData left_old = su.level_data(p.t0);
  Interval flux_integral(0.0);  // trapezoid of g or q over the steps done
  double s_prev = -1;
  double centred_extra = 0;  // |r_mid| - |h0.r| of the last step: the first bracket's allowance for the p-term
  for (int j = 0; j < g.n; ++j) try {
    const Rational t1 = p.t0 + out.tau * (j + 1);
    const LevelData left_new = su.level_data(t1);
    // 1. Root in double.
    const auto [sigma, drds] =
        newton(su, st.z_hat, st.s_hat, first_guess(su, st.z_hat, st.s_hat, s_prev, left_old), left_old, left_new);
    if (!std::isfinite(sigma) || !(sigma > 0) || !(drds > 0)) {
      out.failure = "step " + std::to_string(j + 1) + ": Newton did not converge to a positive front";
      break;
    }
    // The front is parametrised as s_{j+1} = sigma + k p + e, p = s_j - ŝ_j,
    // with k ~ d s_{j+1} / d s_j (double): the bracket E of e is then narrow
    // (it carries only the effect of the box R), and the direction v' below
    // absorbs the effect of p on z^{j+1}, so that p does not leak into R'.
    std::vector<Interval> z_center(m + 1);
    std::vector<Interval> z_all = profile_box(st);
    for (std::size_t i = 0; i <= m; ++i) z_center[i] = Interval(st.z_hat[i]) + st.R[i];
    const Interval s_hat_i(st.s_hat);
    const Interval S_old = s_hat_i + st.P;
    State nx;
    nx.s_hat = sigma;
    double k = 0;
    std::vector<double> phi_sigma, phi_p;  // d z^{j+1} / d s_{j+1} and along (v, 1) at fixed s_{j+1}
    {
      std::vector<D1> zd, zv;
      for (std::size_t i = 0; i <= m; ++i) {
        zd.push_back({st.z_hat[i], {0.0}});
        zv.push_back({st.z_hat[i], {st.v[i]}});
      }
      const auto es = su.evaluate<D1>(zd, D1{st.s_hat, {0.0}}, D1{sigma, {1.0}}, left_old, left_new);
      const auto ep = su.evaluate<D1>(zv, D1{st.s_hat, {1.0}}, D1{sigma, {0.0}}, left_old, left_new);
      k = -ep.r.d[0] / es.r.d[0];
      if (!std::isfinite(k)) k = 1;
      for (std::size_t i = 0; i <= m; ++i) {
        nx.z_hat.push_back(es.z[i].v);
        phi_sigma.push_back(es.z[i].d[0]);
        phi_p.push_back(ep.z[i].d[0]);
      }
    }
    const Interval K(k);
    nx.P = Interval(0.0);
    for (std::size_t i = 0; i <= m; ++i)
      nx.v.push_back(std::abs(k) >= 0.1 ? phi_sigma[i] + phi_p[i] / k : phi_sigma[i]);
    // 2. h0: z^{j+1} and r at s_{j+1} = sigma, s_j = ŝ_j over the box of rho
    // (the centre of the mean-value forms below).
    const auto h0 = su.evaluate<Interval>(z_center, s_hat_i, Interval(sigma), left_old, left_new, &nx.z_hat);
    // 3. One evaluation in jets over the whole box, for a bracket
    // E = [-delta, delta] of e (s_{j+1} = sigma + k p + e):
    //    z in z_all (derivative v along p), s_j in S_old, s_{j+1} in Sigma = sigma + K P + E,
    //    d[0] along p (dz = v, ds_j = 1, ds_{j+1} = k), d[1] along e (ds_{j+1} = 1).
    //  - r(sigma + k p; state) in r_mid = h0.r + d[0] r P (centred form in p; the box
    //    of d[0] contains the segments from p = 0);
    //  - D = d[1] r encloses dr/ds_{j+1} over Sigma and every state;
    //  - the Thomas pivots (values over the box) exclude 0: every matrix is
    //    regular, r is smooth there.
    // Existence and uniqueness (a one-dimensional interval Newton test): D > 0
    // and delta lower(D) > |r_mid| give, for each state, r(-delta) <= r(0) -
    // delta lower(D) < 0 < r(0) + delta lower(D) <= r(delta) by the mean-value
    // theorem, hence exactly one root with e in E. A tight delta matters: a
    // factor 2 here would double the front width at every step.
    double delta = 1.02 * (h0.r.mag() + centred_extra) / drds + 16 * std::numeric_limits<double>::epsilon() * sigma;
    bool certified_step = false;
    std::string why = "no certified sign change of the front residual";
    Interval E, Sigma;
    std::vector<J2> z2(m + 1);
    for (std::size_t i = 0; i <= m; ++i) z2[i] = {z_all[i], {Interval(st.v[i]), Interval(0.0)}};
    Evaluation<J2> e2;
    for (int attempt = 0; attempt < 8 && !certified_step; ++attempt) {
      E = Interval(-delta, delta);
      Sigma = Interval(sigma) + K * st.P + E;
      if (!Sigma.certainly_gt(0.0)) break;
      std::vector<J2> pivots;
      e2 = su.evaluate<J2>(z2, J2{S_old, {Interval(1.0), Interval(0.0)}}, J2{Sigma, {K, Interval(1.0)}}, left_old,
                           left_new, &nx.z_hat, &pivots);
      bool bounded = e2.r.v.is_bounded() && e2.r.d[0].is_bounded() && e2.r.d[1].is_bounded();
      for (const auto& x : e2.z) bounded = bounded && x.v.is_bounded() && x.d[0].is_bounded() && x.d[1].is_bounded();
      for (const auto& piv : pivots) bounded = bounded && piv.v.is_bounded() && !piv.v.contains_zero();
      const Interval D = e2.r.d[1];
      if (!bounded || !D.certainly_gt(0.0)) {
        why = "the derivative of the front residual is not certified positive";
        delta *= 2;
        continue;
      }
      const Interval r_mid = h0.r + e2.r.d[0] * st.P;
      certified_step = (Interval(delta) * Interval(D.lower())).certainly_gt(r_mid.mag());
      if (!certified_step) delta = std::max(1.5 * delta, 1.02 * r_mid.mag() / D.lower());
      centred_extra = std::max(0.0, r_mid.mag() - h0.r.mag());
    }
    if (!certified_step) {
      out.failure = "step " + std::to_string(j + 1) + ": " + why;
      break;
    }
    // 4. The new state: z^{j+1} - ẑ' - v' (s_{j+1} - sigma) in R', by the
    // mean-value theorem in (p, e) over P x E.
    nx.P = Sigma - Interval(sigma);
    nx.R.resize(m + 1);
    for (std::size_t i = 0; i <= m; ++i) {
      const Interval vi(nx.v[i]);
      nx.R[i] = (h0.z[i] - Interval(nx.z_hat[i])) + (e2.z[i].d[0] - vi * K) * st.P + (e2.z[i].d[1] - vi) * E;
    }
    // Verdict data.
    if (!(Sigma - S_old).certainly_ge(0.0)) out.front_increase_certified = false;
    if ((Sigma - S_old).certainly_lt(0.0)) out.front_decrease_found = true;
    const auto z_new = profile_box(nx);
    for (const auto& z : z_new) {
      if (!z.certainly_ge(0.0)) out.nonnegative_certified = false;
      if (z.certainly_lt(0.0)) out.negative_found = true;
    }
    flux_integral = flux_integral + Interval::enclose(out.tau) * (left_old.left + left_new.left) * Interval(0.5);
    out.front.push_back(Sigma);
    out.front_approx.push_back(sigma);
    out.max_front_width = std::max(out.max_front_width, Sigma.width());
    s_prev = st.s_hat;
    st = std::move(nx);
    left_old = left_new;
    ++out.steps;
  } catch (const FieldFailure& e) {
    out.failure = "step " + std::to_string(j + 1) + ": " + e.what;
    out.coefficient_not_positive = e.a_not_positive;
    break;
  }
  out.certified = out.steps == g.n;
  out.profile = profile_box(st);
  out.profile_approx = st.z_hat;
  for (const auto& z : out.profile) out.max_profile_width = std::max(out.max_profile_width, z.width());
  if (out.certified && !p.field && !p.chi_value && !p.mu_value && p.b == 0 && p.c == 0 && p.f == 0 && p.mu == 0 &&
      p.chi == 0) {
    const Interval gam = su.gamma;
    const Interval Sn = out.front.back();
    if (p.left == LeftCondition::Flux) {
      out.identity_residual = gam * Sn + Sn * trapezoid(out.profile, false) - gam * S0 - S0 * trapezoid(Z0, false) -
                              flux_integral;
    } else {
      const Interval half(0.5);
      out.identity_residual = half * gam * sqr(Sn) + sqr(Sn) * trapezoid(out.profile, true) - half * gam * sqr(S0) -
                              sqr(S0) * trapezoid(Z0, true) - su.a * flux_integral;
    }
  } else {
    out.identity_residual = Interval::entire();
  }
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

ForwardApproximation solve_forward_double(const ForwardProblem& p, const ForwardGrid& g) {
  validate(p, g);
  const auto start = std::chrono::steady_clock::now();
  const Rational tau = (p.final_time - p.t0) / g.n;
  const Setup su = make_setup(p, g, tau);
  ForwardApproximation out;
  double s = p.initial_front().midpoint();
  std::vector<double> z;
  for (const auto& x : p.initial_profile(g.m)) z.push_back(x.midpoint());
  out.front.push_back(s);
  LevelData left_old = su.level_data(p.t0);
  double s_prev = -1;
  for (int j = 0; j < g.n; ++j) {
    const LevelData left_new = su.level_data(p.t0 + tau * (j + 1));
    const double sigma = newton(su, z, s, first_guess(su, z, s, s_prev, left_old), left_old, left_new).first;
    z = su.evaluate<double>(z, s, sigma, left_old, left_new).z;
    s_prev = s;
    s = sigma;
    out.front.push_back(s);
    left_old = left_new;
  }
  out.profile = z;
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

}  // namespace cerval::stefan
