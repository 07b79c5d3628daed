// Convergence, radius bounds, divergence and evaluation (convergence.hpp).
#include <cerval/series/convergence.hpp>

#include <cerval/numeric/interval.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

namespace cerval::series {

using numeric::Integer;
using numeric::Interval;
using numeric::MpInterval;

const char* decision_name(Decision d) {
  switch (d) {
    case Decision::Proven: return "proven";
    case Decision::Refuted: return "refuted";
    case Decision::Unknown: return "unknown";
  }
  return "?";
}

const char* verdict_name(SeriesVerdict v) {
  switch (v) {
    case SeriesVerdict::Converges: return "converges";
    case SeriesVerdict::Diverges: return "diverges";
    case SeriesVerdict::Unknown: return "unknown";
  }
  return "?";
}

namespace detail {

// Closed rational interval [lo, hi] (exact arithmetic).
struct RI {
  Rational lo, hi;
};
RI ri_add(const RI& a, const RI& b) { return {a.lo + b.lo, a.hi + b.hi}; }
RI ri_mul(const RI& a, const RI& b) {
  const Rational p[4] = {a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi};
  return {*std::min_element(p, p + 4), *std::max_element(p, p + 4)};
}
// Horner over an interval, with interval coefficients.
RI ri_poly(const std::vector<RI>& p, const RI& u) {
  RI r{0, 0};
  for (std::size_t i = p.size(); i-- > 0;) r = ri_add(ri_mul(r, u), p[i]);
  return r;
}
RI ri_point(const Rational& v) { return {v, v}; }
// The exact endpoints of a bounded enclosure; nullopt when unbounded or empty.
std::optional<RI> ri_of(const MpInterval& x) {
  if (x.is_empty() || !x.is_bounded()) return std::nullopt;
  return RI{x.lower_rational(), x.upper_rational()};
}
Rational pow10(int e) {
  Integer p = 1;
  for (int i = 0; i < e; ++i) p *= 10;
  return Rational(p);
}
Rational mag(const RI& a) { return std::max(abs(a.lo), abs(a.hi)); }
Rational mig(const RI& a) {
  if (a.lo <= 0 && a.hi >= 0) return 0;
  return std::min(abs(a.lo), abs(a.hi));
}
Rational rpow(const Rational& b, long e) {
  Rational r = 1;
  for (long i = 0; i < e; ++i) r *= b;
  return r;
}

// Precision of the enclosures of an irrational q in the bounds below.
constexpr mpfr_prec_t kQPrecision = 128;

// [lo^N, hi^N] for 0 <= lo <= hi: exact for a point (rational q), otherwise
// an MPFI enclosure rounded outward (bounded size for large N).
RI pow_bounds(const RI& base, std::size_t N) {
  if (base.lo == base.hi) {
    const Rational v = rpow(base.lo, static_cast<long>(N));
    return {v, v};
  }
  const MpInterval p = numeric::pow(MpInterval::enclose(base.lo, base.hi, kQPrecision), static_cast<long>(N));
  return {p.lower_rational(), p.upper_rational()};
}

// |q| compared with 1: +1 when |q| > 1 is proven, -1 when |q| < 1 is proven,
// 0 when q's enclosure does not decide (an interval constant around 1).
int q_side(const Equation& eq) {
  if (eq.q_rational()) return abs(eq.q) > 1 ? 1 : -1;
  const MpInterval a = numeric::abs(eq.q_enclosure(256));
  if (a.certainly_gt(1.0)) return 1;
  if (a.certainly_lt(1.0)) return -1;
  return 0;
}

// |q| as a rational interval (a point when q is rational).
RI abs_q(const Equation& eq) {
  if (eq.q_rational()) return ri_point(abs(eq.q));
  const MpInterval a = numeric::abs(eq.q_enclosure(kQPrecision));
  return {a.lower_rational(), a.upper_rational()};
}

// The exact value of c_k when known (exact data, or a point enclosure).
std::optional<Rational> exact_coefficient(const FormalSolution& sol, std::size_t k) {
  if (sol.exact()) return sol.coefficients()[k];
  const MpInterval v = sol.coefficient(k, std::max<mpfr_prec_t>(sol.precision(), 2));
  if (!v.is_point() || !v.is_bounded()) return std::nullopt;
  return v.lower_rational();
}
std::vector<Rational> poly_mul(const std::vector<Rational>& a, const std::vector<Rational>& b) {
  std::vector<Rational> r(a.size() + b.size() - 1, Rational(0));
  for (std::size_t i = 0; i < a.size(); ++i)
    for (std::size_t j = 0; j < b.size(); ++j) r[i + j] += a[i] * b[j];
  return r;
}

// Shape of a linear recurrence P_0(m) c_m + sum_{i=1..s} P_i(m-i) c_{m-i} = -b_{m+e0}:
// P_i(m - i) = G(m)^{d_i} p_i(u) with u -> 0 as m -> oo.
struct Shape {
  enum class Var { InverseM, QInverse, QPower } var = Var::InverseM;  // u = 1/m, q^-m, q^m
  RI absq;  // |q| (a point when q is rational)
  int s = 0;
  std::vector<bool> present;
  std::vector<int> d;
  std::vector<std::vector<RI>> p;  // points for rational data
  std::size_t homogeneous_from = 0;  // b_{m+e0} = 0 for m >= this

  RI u_range(std::size_t N) const {
    switch (var) {
      case Var::InverseM: return {0, Rational(1) / Rational(static_cast<long>(N))};
      case Var::QInverse: {
        const Rational e = 1 / pow_bounds(absq, N).lo;
        return {-e, e};
      }
      case Var::QPower: {
        const Rational e = pow_bounds(absq, N).hi;
        return {-e, e};
      }
    }
    return {0, 0};
  }
  // G(N) = |G(m)| at m = N, and |G(m)| >= G(N) for m >= N.
  Rational g_at(std::size_t N) const {
    switch (var) {
      case Var::InverseM: return Rational(static_cast<long>(N));
      case Var::QInverse: return pow_bounds(absq, N).lo;
      case Var::QPower: return 1 / pow_bounds(absq, N).hi;
    }
    return 1;
  }
  std::string g_name() const { return var == Var::InverseM ? "m" : "|q|^m"; }
};

std::optional<Shape> make_shape(const FormalSolution& sol) {
  const Equation& eq = sol.equation();
  if (!eq.linear() || eq.type == EquationType::Mahler) return std::nullopt;
  // a_j as rational intervals: points for rational coefficients, else
  // enclosures (an entry is absent only as the point 0).
  std::vector<std::vector<RI>> a;
  std::size_t b_size = 0;
  if (eq.rational_coefficients()) {
    for (const auto& row : eq.linear_coefficients()) {
      a.emplace_back();
      for (const Rational& v : row) a.back().push_back(ri_point(v));
    }
    b_size = eq.inhomogeneous_part().size();
  } else {
    for (const auto& row : eq.linear_coefficient_enclosures(kQPrecision)) {
      a.emplace_back();
      for (const MpInterval& v : row) {
        auto r = ri_of(v);
        if (!r) return std::nullopt;
        a.back().push_back(*r);
      }
    }
    b_size = eq.inhomogeneous_enclosure(kQPrecision).size();
  }
  auto is_zero = [](const RI& v) { return v.lo == 0 && v.hi == 0; };
  const auto e0 = static_cast<std::size_t>(sol.e0());
  Shape sh;
  if (eq.type == EquationType::QDifference) {
    const int side = q_side(eq);
    if (side == 0) return std::nullopt;
    sh.absq = abs_q(eq);
    sh.var = side > 0 ? Shape::Var::QInverse : Shape::Var::QPower;
  }
  // alpha / q^e: exact for rational q and alpha, else a rational interval.
  auto over_q_power = [&](const RI& alpha, long e) -> std::optional<RI> {
    if (eq.q_rational()) return ri_mul(alpha, ri_point(Rational(1) / rpow(eq.q, e)));
    if (is_zero(alpha)) return ri_point(Rational(0));
    const MpInterval qe = numeric::pow(eq.q_enclosure(kQPrecision), e);
    if (qe.contains_zero()) return std::nullopt;
    return ri_of(MpInterval::enclose(alpha.lo, alpha.hi, kQPrecision) / qe);
  };
  std::size_t top = 0;
  for (const auto& v : a)
    for (std::size_t i = 0; i < v.size(); ++i)
      if (!is_zero(v[i])) top = std::max(top, i);
  sh.s = static_cast<int>(top - e0);
  sh.homogeneous_from = b_size > e0 ? b_size - e0 : 0;
  for (int i = 0; i <= sh.s; ++i) {
    std::vector<RI> alpha(a.size(), ri_point(Rational(0)));
    int hi = -1, lo = -1;
    for (std::size_t j = 0; j < a.size(); ++j) {
      const std::size_t idx = e0 + static_cast<std::size_t>(i);
      if (idx < a[j].size()) alpha[j] = a[j][idx];
      if (!is_zero(alpha[j])) {
        hi = static_cast<int>(j);
        if (lo < 0) lo = static_cast<int>(j);
      }
    }
    sh.present.push_back(hi >= 0);
    std::vector<RI> poly;
    int di = 0;
    if (hi >= 0) {
      switch (sh.var) {
        case Shape::Var::InverseM: {
          di = hi;
          poly.assign(static_cast<std::size_t>(hi) + 1, ri_point(Rational(0)));
          for (int j = 0; j <= hi; ++j) {
            if (is_zero(alpha[static_cast<std::size_t>(j)])) continue;
            // alpha_j u^{hi-j} (1 - i u)^j
            std::vector<Rational> t{Rational(1)};
            for (int r = 0; r < j; ++r) t = poly_mul(t, {Rational(1), Rational(-i)});
            for (std::size_t k = 0; k < t.size(); ++k)
              poly[static_cast<std::size_t>(hi - j) + k] =
                  ri_add(poly[static_cast<std::size_t>(hi - j) + k], ri_mul(alpha[static_cast<std::size_t>(j)], ri_point(t[k])));
          }
          break;
        }
        case Shape::Var::QInverse:
          di = hi;
          poly.assign(static_cast<std::size_t>(hi) + 1, ri_point(Rational(0)));
          for (int j = 0; j <= hi; ++j) {
            auto v = over_q_power(alpha[static_cast<std::size_t>(j)], static_cast<long>(i) * j);
            if (!v) return std::nullopt;
            poly[static_cast<std::size_t>(hi - j)] = *v;
          }
          break;
        case Shape::Var::QPower:
          di = -lo;
          poly.assign(static_cast<std::size_t>(hi - lo) + 1, ri_point(Rational(0)));
          for (int j = lo; j <= hi; ++j) {
            auto v = over_q_power(alpha[static_cast<std::size_t>(j)], static_cast<long>(i) * j);
            if (!v) return std::nullopt;
            poly[static_cast<std::size_t>(j - lo)] = *v;
          }
          break;
      }
    }
    sh.d.push_back(di);
    sh.p.push_back(std::move(poly));
  }
  return sh;
}

// Largest dyadic rho (40 bits after the point) with sum B_i rho^i <= 1;
// nullopt when every B_i is 0.
std::optional<Rational> majorant_root(const std::vector<Rational>& B) {
  if (std::all_of(B.begin(), B.end(), [](const Rational& x) { return x == 0; })) return std::nullopt;
  auto S = [&](const Rational& r) {
    Rational s = 0, pw = 1;
    for (std::size_t i = 1; i < B.size(); ++i) {
      pw *= r;
      s += B[i] * pw;
    }
    return s;
  };
  Rational lo = 0, hi = 1;
  while (S(hi) <= 1) {
    lo = hi;
    hi *= 2;
  }
  const Rational eps = Rational(1) / Rational(Integer(1) << 40);
  while (hi - lo > eps * hi) {
    Rational mid = (lo + hi) / 2;
    // keep dyadic with bounded size
    if (S(mid) <= 1) lo = mid; else hi = mid;
  }
  return lo;
}

MpInterval upper_power(const Rational& base, std::size_t k, long prec) {
  return numeric::pow(MpInterval::enclose(base, prec), static_cast<long>(k));
}

// M = max_{from <= k < N} |c_k| rho^k (an enclosure whose upper end bounds it;
// |c_k| bounded above by its enclosure when the coefficients are not exact).
MpInterval max_scaled(const FormalSolution& sol, std::size_t from, std::size_t N, const Rational& rho) {
  const long prec = 128;
  MpInterval M = MpInterval::enclose(Rational(0), prec);
  const MpInterval r = MpInterval::enclose(rho, prec);
  MpInterval pw = numeric::pow(r, static_cast<long>(from));
  for (std::size_t k = from; k < N; ++k) {
    if (!sol.certainly_zero(k)) {
      MpInterval v = MpInterval::enclose(sol.magnitude_upper(k), prec) * pw;
      if (M.upper_rational() < v.upper_rational()) M = numeric::upper_endpoint(v);
    }
    pw *= r;
  }
  return numeric::upper_endpoint(M);
}

struct RecurrenceBound {
  std::optional<Rational> rho;  // nullopt: every B_i = 0 at this N
  std::vector<Rational> B;
  std::size_t N = 0;
};

// B_i at N (requires d_i <= d_0 for present i); nullopt when P_0 may vanish.
std::optional<RecurrenceBound> recurrence_bound(const Shape& sh, std::size_t N) {
  const RI u = sh.u_range(N);
  const Rational m0 = mig(ri_poly(sh.p[0], u));
  if (m0 == 0) return std::nullopt;
  RecurrenceBound rb;
  rb.N = N;
  rb.B.assign(static_cast<std::size_t>(sh.s) + 1, Rational(0));
  const Rational G = sh.g_at(N);
  for (int i = 1; i <= sh.s; ++i) {
    if (!sh.present[static_cast<std::size_t>(i)]) continue;
    const int g = sh.d[static_cast<std::size_t>(i)] - sh.d[0];
    if (g > 0) return std::nullopt;
    rb.B[static_cast<std::size_t>(i)] = mag(ri_poly(sh.p[static_cast<std::size_t>(i)], u)) / m0 / rpow(G, -g);
  }
  rb.rho = majorant_root(rb.B);
  return rb;
}

std::size_t base_N(const FormalSolution& sol, const Shape& sh) {
  return std::max({sol.given(), static_cast<std::size_t>(sh.s), sh.homogeneous_from, std::size_t{1}});
}

// --- divergence of recurrences with three or more terms ---------------------
//
// When the first predecessor dominates: g = d_1 - d_0 > 0 and
// d_i - d_0 <= g i for every present i >= 2 (its slope is the largest), with
// R(k) = theta G(k)^g the induction hypothesis |c_k| >= R(k) |c_(k-1)| for
// N-s < k < m gives |c_(m-i)| <= |c_(m-1)| / prod_{j<i} R(m-j), so
//   |c_m| >= |c_(m-1)| (|P_1/P_0| - sum_{i>=2} |P_i/P_0| / prod_{j<i} R(m-j)).
// With G(m-j) >= gamma_j G(m) (gamma_j = 1 - j/N for G = m, |q|^-j or |q|^j
// for G = |q|^(+-m)), |P_i/P_0| <= G(m)^(d_i-d_0) mag p_i / mig p_0 and
// G(m) >= G(N) >= 1, the bracket is at least G(m)^g (L_1 - sum E_i) with
// L_1 = mig p_1 / mag p_0 and E_i = mag p_i / mig p_0 / (theta^(i-1)
// prod_{j<i} gamma_j^g) G(N)^(d_i - d_0 - g i). If L_1 - sum E_i >= theta the
// induction goes on; it starts from the computed c_(N-s) .. c_(N-1)
// (|c_k| >= theta G(k)^g |c_(k-1)| there, c_(N-1) != 0). The same sums give
// |c_m| <= U G(m)^g |c_(m-1)|, U = mag p_1 / mig p_0 + sum E_i: radius 0 and
// Gevrey (q-Gevrey) order exactly g.

struct DominantDivergence {
  std::size_t N = 0;
  int g = 0;
  Rational theta, U;
};

std::optional<DominantDivergence> dominant_divergence(FormalSolution& sol, const Shape& sh) {
  if (sh.s < 2 || !sh.present[1]) return std::nullopt;
  const int g = sh.d[1] - sh.d[0];
  if (g <= 0) return std::nullopt;
  for (int i = 2; i <= sh.s; ++i)
    if (sh.present[static_cast<std::size_t>(i)] && sh.d[static_cast<std::size_t>(i)] - sh.d[0] > g * i) return std::nullopt;
  // gamma_j for j < s: G(m - j) >= gamma_j G(m) for m >= N.
  auto gamma = [&](int j, std::size_t N) -> Rational {
    switch (sh.var) {
      case Shape::Var::InverseM: return 1 - Rational(j) / Rational(static_cast<long>(N));
      case Shape::Var::QInverse: return 1 / pow_bounds(sh.absq, static_cast<std::size_t>(j)).hi;
      case Shape::Var::QPower: return pow_bounds(sh.absq, static_cast<std::size_t>(j)).lo;
    }
    return 0;
  };
  // An upper bound of G(k)^g.
  auto g_upper = [&](std::size_t k) -> Rational {
    switch (sh.var) {
      case Shape::Var::InverseM: return rpow(Rational(static_cast<long>(k)), g);
      case Shape::Var::QInverse: return pow_bounds(sh.absq, k * static_cast<std::size_t>(g)).hi;
      case Shape::Var::QPower: return 1 / pow_bounds(sh.absq, k * static_cast<std::size_t>(g)).lo;
    }
    return 0;
  };
  std::size_t N = std::max<std::size_t>(base_N(sol, sh), 2 * static_cast<std::size_t>(sh.s) + 2);
  for (int tries = 0; tries < 8; ++tries, N *= 2) {
    const RI u = sh.u_range(N);
    const Rational m0 = mig(ri_poly(sh.p[0], u));
    if (m0 == 0) continue;
    const Rational M0 = mag(ri_poly(sh.p[0], u));
    const Rational L1 = mig(ri_poly(sh.p[1], u)) / M0;
    if (L1 == 0) continue;
    const Rational G = sh.g_at(N);
    if (G < 1) continue;
    for (const Rational& fraction : {Rational(1, 2), Rational(1, 4), Rational(3, 4), Rational(1, 8)}) {
      const Rational theta = L1 * fraction;
      Rational E = 0;
      bool ok = true;
      for (int i = 2; i <= sh.s && ok; ++i) {
        if (!sh.present[static_cast<std::size_t>(i)]) continue;
        Rational den = rpow(theta, i - 1);
        for (int j = 1; j < i; ++j) {
          const Rational gj = gamma(j, N);
          if (gj <= 0) ok = false;
          den *= rpow(gj, g);
        }
        if (!ok) break;
        const int e = sh.d[static_cast<std::size_t>(i)] - sh.d[0] - g * i;  // <= 0
        E += mag(ri_poly(sh.p[static_cast<std::size_t>(i)], u)) / m0 / den / rpow(G, -e);
      }
      if (!ok || L1 - E < theta) continue;
      // The start: c_(N-1) != 0 and |c_k| >= theta G(k)^g |c_(k-1)| for N-s < k < N.
      sol.extend(N);
      if (!sol.certainly_nonzero(N - 1)) break;
      bool start = true;
      for (std::size_t k = N - static_cast<std::size_t>(sh.s) + 1; k < N && start; ++k) {
        const MpInterval ck = sol.coefficient(k, 128), prev = sol.coefficient(k - 1, 128);
        const Rational lower = ck.contains_zero() ? Rational(0) : mig(RI{ck.lower_rational(), ck.upper_rational()});
        start = lower >= theta * g_upper(k) * sol.magnitude_upper(k - 1);
      }
      if (!start) continue;
      DominantDivergence dv;
      dv.N = N;
      dv.g = g;
      dv.theta = theta;
      dv.U = mag(ri_poly(sh.p[1], u)) / m0 + E;
      return dv;
    }
  }
  return std::nullopt;
}

// --- explicit first-order equations y' = f(x, y) --------------------------

struct Explicit {
  // F(x, Y) = sum coef x^a Y^b (absolute values), Y0 = |c_0|.
  std::vector<std::tuple<double, double, int, int>> terms;  // (coef lo, coef hi, a, b)
  double y0_lo = 0, y0_hi = 0;
  bool depends_on_x = false;
  int max_b = 0;
};

std::optional<Explicit> make_explicit(const FormalSolution& sol) {
  const Equation& eq = sol.equation();
  if (eq.type != EquationType::Differential || eq.order != 1 || eq.linear()) return std::nullopt;
  if (sol.size() == 0) return std::nullopt;
  const Term* lead = nullptr;
  for (const Term& t : eq.terms)
    if (t.powers[1] > 0) {
      if (lead || t.powers[1] != 1 || t.powers[0] != 0 || t.x_power != 0) return std::nullopt;
      lead = &t;
    }
  if (!lead) return std::nullopt;
  Explicit e;
  // |coefficient / lead| enclosed (exact rationals rounded outward to binary64,
  // or the enclosures of irrational coefficients)
  const MpInterval lc = eq.coefficient_enclosure(*lead, 128);
  if (lc.contains_zero()) return std::nullopt;
  for (const Term& t : eq.terms) {
    if (&t == lead) continue;
    if (t.x_power < 1) return std::nullopt;
    const MpInterval c = numeric::abs(eq.coefficient_enclosure(t, 128) / lc);
    if (!c.is_bounded()) return std::nullopt;
    e.terms.emplace_back(c.lower_down(), c.upper_up(), t.x_power - 1, t.powers[0]);
    if (t.x_power > 1) e.depends_on_x = true;
    e.max_b = std::max(e.max_b, t.powers[0]);
  }
  const MpInterval y0 = numeric::abs(sol.coefficient(0, 128));
  if (!y0.is_bounded()) return std::nullopt;
  e.y0_lo = y0.lower_down();
  e.y0_hi = y0.upper_up();
  return e;
}

Interval explicit_F(const Explicit& e, const Interval& R, const Interval& Y) {
  Interval s(0.0);
  for (const auto& [lo, hi, a, b] : e.terms) {
    Interval t(lo, hi);
    for (int i = 0; i < a; ++i) t = t * R;
    for (int i = 0; i < b; ++i) t = t * Y;
    s = s + t;
  }
  return s;
}

// Lower Riemann sums of int_{Y0}^{Y} dY / F(R, Y) on a fixed grid (F is
// increasing in Y >= 0). Calls visit(Y_upper_of_cell, cumulative_lower) and
// stops when it returns false. Returns the total lower sum.
template <class Visit>
double explicit_integral(const Explicit& e, double R, Visit visit) {
  const Interval Ri(R);
  double y = e.y0_hi;  // the majorant starts at Y0 <= y0_hi; start the integral at y0_hi (smaller integral)
  double total = 0;
  for (int i = 0; i < 40000 && y < 1e12; ++i) {
    const double h = std::max(1e-4, y * 2e-3);
    const double y1 = y + h;
    const Interval cell = Interval(y1) - Interval(y);
    const Interval F = explicit_F(e, Ri, Interval(y1));
    if (!(F.lower() > 0)) return total;
    const Interval piece = cell / F;
    total = (Interval(total) + Interval(piece.lower())).lower();
    if (!visit(y1, total)) return total;
    y = y1;
  }
  return total;
}

struct ExplicitRadius {
  double R = 0;       // the R of the comparison equation
  double T = 0;       // certified radius lower bound
};

ExplicitRadius explicit_radius(const Explicit& e) {
  if (!e.depends_on_x) {
    const double I = explicit_integral(e, 1.0, [](double, double) { return true; });
    return {I, I};
  }
  double lo = 0, hi = 1e6;
  for (int it = 0; it < 60; ++it) {
    const double mid = 0.5 * (lo + hi);
    const double I = explicit_integral(e, mid, [](double, double) { return true; });
    if (I >= mid) lo = mid; else hi = mid;
  }
  return {lo, lo};  // at R = lo, I(R) >= R, so min(R, I(R)) = R
}

std::optional<CoefficientBound> explicit_bound(const Explicit& e, const ExplicitRadius& er, const Rational& r) {
  const double rd = numeric::to_double_up(r);
  if (!(rd < er.T) || rd > er.R) return std::nullopt;
  double Z = -1;
  explicit_integral(e, er.R, [&](double y1, double cum) {
    if (cum >= rd) {
      Z = y1;
      return false;
    }
    return true;
  });
  if (Z < 0) return std::nullopt;
  CoefficientBound b;
  b.rho = r;
  b.M = MpInterval::enclose(numeric::to_rational(Z), 128);
  b.from = 0;
  b.method = "Cauchy majorant Y' = |f|(R, Y) with R = " + std::to_string(er.R);
  return b;
}

// --- nearest nonzero root of the leading coefficient ----------------------
//
// A lower bound L on the moduli of the roots of p (p(0) != 0): the reversed
// polynomial has the reciprocal roots; after k Graeffe steps (roots raised to
// the power 2^k) Cauchy's bound R (|a_d| R^d > sum_{i<d} |a_i| R^i) bounds
// their moduli, so every root of p has modulus >= R^(-1/2^k). nullopt when p
// is constant (no roots).
std::optional<Rational> root_modulus_lower(std::vector<Rational> p) {
  while (!p.empty() && p.back() == 0) p.pop_back();
  if (p.size() <= 1) return std::nullopt;
  std::vector<Rational> r(p.rbegin(), p.rend());  // reversed; leading = p(0) != 0
  const int steps = 6;
  for (int k = 0; k < steps; ++k) {
    // q(x^2) = p(x) p(-x) (up to sign)
    std::vector<Rational> minus = r;
    for (std::size_t i = 1; i < minus.size(); i += 2) minus[i] = -minus[i];
    const std::vector<Rational> prod = poly_mul(r, minus);
    std::vector<Rational> q;
    for (std::size_t i = 0; i < prod.size(); i += 2) q.push_back(prod[i]);
    // keep the numbers small: divide by the leading coefficient (roots unchanged)
    const Rational lead = q.back();
    for (auto& v : q) v /= lead;
    r = std::move(q);
  }
  const std::size_t d = r.size() - 1;
  auto exceeds = [&](const Rational& x) {
    Rational rest = 0, pw = 1;
    for (std::size_t i = 0; i < d; ++i) {
      rest += abs(r[i]) * pw;
      pw *= x;
    }
    return abs(r[d]) * pw > rest;
  };
  Rational lo = 0, hi = 1;
  while (!exceeds(hi)) {
    lo = hi;
    hi *= 2;
  }
  for (int it = 0; it < 40; ++it) {
    const Rational mid = (lo + hi) / 2;
    if (exceeds(mid)) hi = mid; else lo = mid;
  }
  // every root modulus of p >= hi^(-1/2^steps)
  const long prec = 128;
  const MpInterval bound = numeric::exp(-numeric::log(MpInterval::enclose(hi, prec)) /
                                        MpInterval::enclose(Rational(1 << steps), prec));
  const Rational L = bound.lower_rational();
  if (L <= 0) return std::nullopt;
  return L;
}

// --- differential equations of any order: the weighted Malgrange reduction ---
//
// Theorem (a quantitative form of Malgrange's majorant proof, "Sur le theoreme
// de Maillet", 1989; Gontsov-Goryuchkina arXiv:2412.00778, Section 2): let
// F(x, y, delta y, ..., delta^n y) = 0 (normal form, delta = x d/dx) have the
// formal solution y = sum c_k x^k, let a_j = dF/d(delta^j y) along it, e0 the
// least order of the a_j and alpha_j = a_j[e0], with alpha_n != 0
// (Malgrange's condition). Split y = phi + t at K0 > e0 (the Malgrange
// reduction y = phi_K0 + x^K0 u): phi = sum_{k<K0} c_k x^k (exact), t the
// tail. Exactly,
//   F(phi + t) = F(phi) + sum_j A_j(x) delta^j t
//              + sum_{|i|>=2} G_i(x) prod_j (delta^j t)^(i_j),
// A_j = dF/d(delta^j y) at phi (polynomials; A_j = a_j mod x^K0, so A_j[a] = 0
// for a < e0 and A_j[e0] = alpha_j, both checked exactly on the solver's
// linearisation). The coefficient of x^(k+e0), k >= K0, of F(y) = 0 reads
//   Ind(k) c_k = -[x^(k+e0)] (F(phi) + sum_j At_j delta^j t + sum G_i ...),
// Ind(k) = sum_j alpha_j k^j, At_j = A_j - alpha_j x^e0 (only powers > e0), and
// the right side involves c_m with m < k only (m = k + e0 - a for At_j x^a,
// a > e0; m <= k + e0 - K0 < k in the products, which have >= 2 factors of
// order >= K0). For k >= K0, |Ind(k)| >= eps k^n with
// eps = |alpha_n| - sum_{j<n} |alpha_j| K0^(j-n) > 0.
// Weighted l1 norm: S_N = sum_{K0<=m<N} m^n |c_m| r^m. Then the majorant of
// delta^j t_N (t truncated below N) at r is sum m^j |c_m| r^m <= K0^(j-n) S_N,
// and summing |Ind(k) c_k| r^k over K0 <= k <= N (every such coefficient
// involves t_N only):
//   eps r^e0 S_(N+1) <= Phi(S_N),  Phi(B) = |F(phi)|_hi(r) + sum_j |At_j|(r) K0^(j-n) B
//                                    + sum_{|i|>=2} |G_i|(r) prod_j (K0^(j-n) B)^(i_j),
// |P|(r) = sum_m |P_m| r^m, |F(phi)|_hi keeping the powers m >= K0 + e0 only.
// Phi increases in B, so Phi(B) <= eps r^e0 B gives S_N <= B for every N by
// induction (S_K0 = 0): sum_{k>=K0} k^n |c_k| r^k <= B, the radius is >= r and
// |c_k| <= (B / K0^n) r^-k for k >= K0. The |P|(r) are upper bounds from
// outward MPFI (the coefficients of F(phi), A_j, G_i enclosed from the exact
// c_k, or from their enclosures when the equation has irrational
// coefficients, at 256 bits; Horner at r in MPFI, upper endpoint); eps (from
// enclosures of the alpha_j: min |alpha_n| - sum max |alpha_j| K0^(j-n)), B
// and the comparison are exact rationals. n = 0 (algebraic F(x, y) = 0,
// alpha_0 = dF/dy(0, c_0) != 0) and n = 1 (Briot-Bouquet alpha delta y =
// h(x, y)) are the same check with weights 1 and k. The bound is tight up to
// the absolute values: K0^(j-n) makes the terms of lower derivatives small,
// while a non-constant coefficient of delta^n t (y y'' = y'^2: At_2 = phi - 1)
// limits r by |At_n|(r) < eps r^e0; multiplying the identity first by a
// polynomial Q ~ x^e0 / A_n with Q(0) != 0 (exact rational coefficients;
// Q F(y) = 0 has the same solution) removes that limit (`normalise`).

struct WeightedReduction {
  int n = 0;
  int e0 = 0;
  std::size_t K0 = 0;
  Rational eps;                  // |Ind(k)| >= eps k^n for k >= K0
  std::vector<MpInterval> f0;    // |[x^m] F(phi)| (upper ends as points), 0 below x^(K0+e0)
  struct Monomial {
    std::vector<int> i;           // powers of delta^j t
    std::vector<MpInterval> g;    // |[x^m] G_i| (|At_j| for a linear one)
  };
  std::vector<Monomial> monomials;
};

constexpr mpfr_prec_t kReductionPrecision = 256;

using MpPoly = std::vector<MpInterval>;

MpPoly mp_poly_mul(const MpPoly& a, const MpPoly& b) {
  if (a.empty() || b.empty()) return {};
  MpPoly c(a.size() + b.size() - 1, MpInterval(kReductionPrecision));
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].is_point() && a[i].contains_zero()) continue;
    for (std::size_t j = 0; j < b.size(); ++j) c[i + j] += a[i] * b[j];
  }
  return c;
}

// [|v|_hi, |v|_hi]: a point >= |v|.
MpInterval magnitude_point(const MpInterval& v) {
  const MpInterval a = numeric::abs(v);
  return upper_endpoint(a);
}

// An upper bound of sum_m p[m] r^m for p[m] >= 0 (outward MPFI Horner).
Rational poly_upper(const MpPoly& p, const Rational& r) {
  if (p.empty()) return 0;
  const MpInterval x = MpInterval::enclose(r, kReductionPrecision);
  MpInterval s(kReductionPrecision);
  for (std::size_t m = p.size(); m-- > 0;) s = s * x + p[m];
  return s.upper_rational();
}

// normalise: multiply by Q ~ x^e0 / A_n first (see below); nullopt when A_n
// is constant (no gain).
std::optional<WeightedReduction> make_weighted_reduction(FormalSolution& sol, bool normalise) {
  const Equation& eq = sol.equation();
  if (eq.type != EquationType::Differential || eq.linear()) return std::nullopt;
  const int n = eq.order;
  const int e0 = sol.e0();
  if (e0 < 0) return std::nullopt;
  const auto nn = static_cast<std::size_t>(n) + 1;
  // alpha_j and the vanishing below x^e0 from the solver's linearisation:
  // exact for rational data, else enclosures (0 only as the point 0).
  sol.extend(static_cast<std::size_t>(e0) + 2);
  std::vector<RI> alpha(nn, ri_point(Rational(0)));
  {
    std::vector<std::vector<RI>> lin;
    if (sol.exact()) {
      for (const auto& row : sol.linearisation(static_cast<std::size_t>(e0) + 1)) {
        lin.emplace_back();
        for (const Rational& v : row) lin.back().push_back(ri_point(v));
      }
    } else {
      for (const auto& row : sol.linearisation_enclosure(static_cast<std::size_t>(e0) + 1, kReductionPrecision)) {
        lin.emplace_back();
        for (const MpInterval& v : row) {
          auto r = ri_of(v);
          if (!r) return std::nullopt;
          lin.back().push_back(*r);
        }
      }
    }
    for (std::size_t j = 0; j < nn; ++j) {
      for (int a = 0; a < e0; ++a)
        if (static_cast<std::size_t>(a) < lin[j].size() && mag(lin[j][static_cast<std::size_t>(a)]) != 0) return std::nullopt;
      if (static_cast<std::size_t>(e0) < lin[j].size()) alpha[j] = lin[j][static_cast<std::size_t>(e0)];
    }
  }
  const Rational lead = mig(alpha[static_cast<std::size_t>(n)]);
  if (lead == 0) return std::nullopt;  // Malgrange's condition fails (or is undecided)
  // K0: >= 128 (256 for n >= 2), beyond e0, doubled until eps >= min|alpha_n| / 8
  // (Ind(k) with a large root needs a large K0, and the exact coefficients up
  // to K0 cost O(K0^2) products of growing rationals).
  std::size_t K0 = std::max<std::size_t>(n >= 2 ? 256 : 128, static_cast<std::size_t>(e0) + 1);
  Rational eps;
  for (;; K0 *= 2) {
    if (K0 > 4096) return std::nullopt;
    eps = lead;
    for (int j = 0; j < n; ++j) eps -= mag(alpha[static_cast<std::size_t>(j)]) / rpow(Rational(static_cast<long>(K0)), n - j);
    if (eps * 8 >= lead) break;
  }
  sol.extend(K0);
  // Phi_j = delta^j phi (enclosures of the c_k, exact data enclosed tightly).
  std::vector<MpPoly> Phi(nn, MpPoly(K0, MpInterval(kReductionPrecision)));
  for (std::size_t k = 0; k < K0; ++k) {
    const MpInterval ck = sol.coefficient(k, kReductionPrecision);
    if (!ck.is_bounded()) return std::nullopt;
    MpInterval w = ck;
    for (std::size_t j = 0; j < nn; ++j) {
      Phi[j][k] = w;
      w *= MpInterval::enclose(Rational(static_cast<long>(k)), kReductionPrecision);
    }
  }
  std::map<std::pair<std::size_t, int>, MpPoly> powers;  // Phi_j^e
  auto power = [&](std::size_t j, int e) -> const MpPoly& {
    auto it = powers.find({j, e});
    if (it != powers.end()) return it->second;
    MpPoly p{MpInterval::enclose(Rational(1), kReductionPrecision)};
    for (int i = 0; i < e; ++i) p = mp_poly_mul(p, Phi[j]);
    return powers.emplace(std::make_pair(j, e), std::move(p)).first->second;
  };
  std::map<std::vector<int>, MpPoly> G;
  for (const Term& t : eq.terms) {
    std::vector<int> i(nn, 0);
    // every 0 <= i_j <= p_j
    for (;;) {
      MpPoly p{eq.coefficient_enclosure(t, kReductionPrecision)};
      for (std::size_t j = 0; j < nn; ++j) {
        const int pj = t.powers[j];
        if (pj == 0) continue;
        Rational binom = 1;
        for (int b = 0; b < i[j]; ++b) binom = binom * (pj - b) / (b + 1);
        p = mp_poly_mul(p, power(j, pj - i[j]));
        for (auto& v : p) v *= MpInterval::enclose(binom, kReductionPrecision);
      }
      MpPoly& acc = G[i];
      const auto shift = static_cast<std::size_t>(t.x_power);
      if (acc.size() < p.size() + shift) acc.resize(p.size() + shift, MpInterval(kReductionPrecision));
      for (std::size_t m = 0; m < p.size(); ++m) acc[m + shift] += p[m];
      std::size_t j = 0;
      while (j < nn && i[j] == t.powers[j]) i[j++] = 0;
      if (j == nn) break;
      ++i[j];
    }
  }
  WeightedReduction red;
  red.n = n;
  red.e0 = e0;
  red.K0 = K0;
  red.eps = eps;
  if (normalise) {
    // Multiply the identity by Q = a truncation (degree D) of 1 / (A_n / x^e0)
    // with exact rational coefficients (midpoints of the MPFI inverse): Q F(y)
    // = 0 has the same coefficient identities, with alpha_j -> Q(0) alpha_j
    // (A_j has no power below x^e0) and Q A_n = Q(0) alpha_n x^e0 + (powers
    // > e0 + D only, up to rounding of Q), which removes the limit
    // |A_n - alpha_n x^e0|(r) < eps r^e0 of a non-constant leading coefficient.
    std::vector<int> unit_n(nn, 0);
    unit_n[static_cast<std::size_t>(n)] = 1;
    const MpPoly& An = G[unit_n];
    const std::size_t D = std::min<std::size_t>(K0 / 2, 128);
    if (An.size() <= static_cast<std::size_t>(e0) + 1) return std::nullopt;  // constant: nothing to normalise
    const MpInterval a0 = An[static_cast<std::size_t>(e0)];
    if (a0.contains_zero()) return std::nullopt;
    MpPoly inv;
    for (std::size_t m = 0; m <= D; ++m) {
      MpInterval v = m == 0 ? MpInterval::enclose(Rational(1), kReductionPrecision) : MpInterval(kReductionPrecision);
      for (std::size_t i = 1; i <= m && static_cast<std::size_t>(e0) + i < An.size(); ++i) v -= An[static_cast<std::size_t>(e0) + i] * inv[m - i];
      inv.push_back(v / a0);
    }
    MpPoly Q;  // enclosures of the exact rational coefficients of Q
    for (const MpInterval& v : inv) Q.push_back(MpInterval::enclose(v.midpoint_rational(), kReductionPrecision));
    const Rational q0 = abs(inv[0].midpoint_rational());  // |Q(0)|, exactly
    if (q0 == 0) return std::nullopt;
    for (auto& [i, p] : G) p = mp_poly_mul(p, Q);
    red.eps = eps * q0;
  }
  for (auto& [i, p] : G) {
    int deg = 0;
    for (int v : i) deg += v;
    // F(phi): only the powers >= K0 + e0 enter; A_j: only the powers > e0.
    const std::size_t below = deg == 0 ? K0 + static_cast<std::size_t>(e0) : deg == 1 ? static_cast<std::size_t>(e0) + 1 : 0;
    bool any = false;
    for (std::size_t m = 0; m < p.size(); ++m) {
      p[m] = m < below ? MpInterval(kReductionPrecision) : magnitude_point(p[m]);
      if (!p[m].is_bounded()) return std::nullopt;
      if (!(p[m].is_point() && p[m].contains_zero())) any = true;
    }
    if (deg == 0) red.f0 = std::move(p);
    else if (any) red.monomials.push_back({i, std::move(p)});
  }
  return red;
}

// The majorant at r: Phi(B) = C[0] + sum_t C[t+1] B^deg_t (upper bounds).
struct WeightedAt {
  Rational f0;
  std::vector<Rational> coef;  // |G_i|(r) prod_j K0^((j-n) i_j)
  std::vector<int> deg;
  Rational rhs;                // eps r^e0
};

WeightedAt weighted_at(const WeightedReduction& red, const Rational& r) {
  WeightedAt w;
  w.f0 = poly_upper(red.f0, r);
  const Rational K0(static_cast<long>(red.K0));
  for (const auto& mono : red.monomials) {
    Rational v = poly_upper(mono.g, r);
    int deg = 0;
    for (std::size_t j = 0; j < mono.i.size(); ++j) {
      deg += mono.i[j];
      v /= rpow(K0, static_cast<long>(red.n - static_cast<int>(j)) * mono.i[j]);
    }
    w.coef.push_back(v);
    w.deg.push_back(deg);
  }
  w.rhs = red.eps * rpow(r, red.e0);
  return w;
}

bool weighted_holds(const WeightedAt& w, const Rational& B) {
  Rational total = w.f0;
  for (std::size_t t = 0; t < w.coef.size(); ++t) total += w.coef[t] * rpow(B, w.deg[t]);
  return total <= w.rhs * B;
}

// A B > 0 with Phi(B) <= eps r^e0 B, or nullopt. Phi(B)/B is convex in B > 0:
// its minimum is located in binary64 on log2 B, then a dyadic B near it is
// checked exactly.
std::optional<Rational> weighted_B(const WeightedReduction& red, const Rational& r) {
  const WeightedAt w = weighted_at(red, r);
  if (w.f0 == 0) {
    // Phi(B) = linear + higher: any small B works when the linear part is < rhs.
    for (int e = 0; e <= 200; e += 8) {
      const Rational B = Rational(1) / Rational(Integer(1) << e);
      if (weighted_holds(w, B)) return B;
    }
    return std::nullopt;
  }
  const double lf0 = std::log2(std::max(1e-300, numeric::to_double_up(w.f0)));
  auto h = [&](double lb) {  // log2 of Phi(B)/B, in binary64 (only to locate)
    double s = std::exp2(lf0 - lb);
    for (std::size_t t = 0; t < w.coef.size(); ++t) s += numeric::to_double_up(w.coef[t]) * std::exp2(lb * (w.deg[t] - 1));
    return s;
  };
  double lo = -300, hi = 300;  // B in [2^-300, 2^300]; an overflow to inf only loses a certificate
  for (int it = 0; it < 200; ++it) {
    const double m1 = lo + (hi - lo) / 3, m2 = hi - (hi - lo) / 3;
    if (h(m1) <= h(m2)) hi = m2; else lo = m1;
  }
  const double lb = 0.5 * (lo + hi);
  for (double d : {0.0, 0.25, -0.25, 1.0, -1.0}) {
    // B = 2^(e/16), rounded to a dyadic (exactly checked, so any B will do)
    const auto e = static_cast<long>(std::floor((lb + d) * 16));
    const long whole = e >= 0 ? e / 16 : -((-e + 15) / 16);
    const long frac = e - whole * 16;
    const Rational B = (whole >= 0 ? Rational(Integer(1) << whole) : Rational(1) / Rational(Integer(1) << -whole)) *
                       numeric::to_rational(std::exp2(static_cast<double>(frac) / 16));
    if (B > 0 && weighted_holds(w, B)) return B;
  }
  return std::nullopt;
}

std::optional<CoefficientBound> weighted_bound(const WeightedReduction& red, const Rational& r) {
  auto B = weighted_B(red, r);
  if (!B) return std::nullopt;
  CoefficientBound cb;
  cb.rho = r;
  cb.M = MpInterval::enclose(*B / rpow(Rational(static_cast<long>(red.K0)), red.n), 128);
  cb.from = red.K0;
  cb.method = "weighted Malgrange reduction majorant (y = phi_" + std::to_string(red.K0) + " + x^" +
              std::to_string(red.K0) + " u, weight k^" + std::to_string(red.n) + ")";
  return cb;
}

// The largest dyadic r (about 24 bits) found with a certificate.
std::optional<Rational> weighted_radius(const WeightedReduction& red) {
  Rational lo = 0, hi = 1;
  while (weighted_B(red, hi) && hi < 1000000) {
    lo = hi;
    hi *= 2;
  }
  for (int it = 0; it < 24; ++it) {
    const Rational mid = (lo + hi) / 2;
    if (weighted_B(red, mid)) lo = mid; else hi = mid;
  }
  if (lo == 0) return std::nullopt;
  return lo;
}

// --- q-difference (|q| < 1) and Mahler equations, also nonlinear -----------
//
// With y = c_0 + yh (T^j y = c_0 + T^j yh), F expanded exactly as
// sum F_{a,i} x^a prod_j (T^j yh)^{i_j}, alpha_j = F_{0,e_j}: for k >= 1,
// Ind(k) c_k = -[x^k] R with R = F minus the terms alpha_j T^j yh that carry
// c_k (all j for q-difference, j = 0 for Mahler), and [x^k] R involves
// c_1..c_{k-1} only. For k >= K0, |Ind(k)| >= eps (q: |alpha_0| -
// sum_{j>=1} |alpha_j| |q|^(j K0); Mahler: |alpha_0|). At x = r (r <= 1 for
// Mahler) the majorant of T^j yh is at most P_j(r) + B when
// sum_{k>=K0} |c_k| r^k <= B, because |q|^(jk) <= |q|^(j K0) and
// r^(d^j k) <= r^k r^((d^j - 1) K0) for k >= K0. So
// Rh(r, P_0 + B, P_1 + B, ...) - L(r) <= eps B (L: the part below x^K0,
// computed exactly from the known coefficients) proves
// sum_{k>=K0} |c_k| r^k <= B by induction on partial sums.

struct FunctionalReduction {
  std::vector<std::pair<int, std::vector<int>>> keys;  // (a, i) of Rh
  std::vector<Rational> coef;                           // |F_{a,i}| / 1
  Rational eps;
  std::size_t K0 = 64;
  std::vector<Rational> absc;
  EquationType type = EquationType::Mahler;
  Rational absq;
  std::vector<long long> dpow;
  std::vector<Rational> low;  // [x^k] Rh(x, Yh_0(x), ...), k < K0
  int order = 0;
};

std::optional<FunctionalReduction> make_functional_reduction(FormalSolution& sol) {
  const Equation& eq = sol.equation();
  if (eq.type == EquationType::Differential) return std::nullopt;
  if (eq.type == EquationType::QDifference && q_side(eq) >= 0) return std::nullopt;
  sol.extend(64);
  // c_0 and the coefficients as rational intervals (points for exact data).
  RI c0;
  if (const auto exact_c0 = exact_coefficient(sol, 0)) {
    c0 = ri_point(*exact_c0);
  } else {
    const auto v = ri_of(sol.coefficient(0, kQPrecision));
    if (!v) return std::nullopt;
    c0 = *v;
  }
  auto ri_pow = [](const RI& b, int e) {
    RI r = ri_point(Rational(1));
    for (int i = 0; i < e; ++i) r = ri_mul(r, b);
    return r;
  };
  auto is_zero = [](const RI& v) { return v.lo == 0 && v.hi == 0; };
  const auto n = static_cast<std::size_t>(eq.order) + 1;
  std::map<std::pair<int, std::vector<int>>, RI> F;
  for (const Term& t : eq.terms) {
    // coef x^a prod_j (c0 + h_j)^{p_j}
    RI coef = ri_point(t.coefficient);
    if (!t.constants.empty()) {
      const auto v = ri_of(eq.coefficient_enclosure(t, kQPrecision));
      if (!v) return std::nullopt;
      coef = *v;
    }
    std::map<std::vector<int>, RI> acc{{std::vector<int>(n, 0), coef}};
    for (std::size_t j = 0; j < n; ++j) {
      const int p = t.powers[j];
      if (p == 0) continue;
      std::map<std::vector<int>, RI> next;
      Rational binom = 1;
      for (int i = 0; i <= p; ++i) {
        const RI w = ri_mul(ri_point(binom), ri_pow(c0, p - i));
        if (!is_zero(w))
          for (const auto& [key, v] : acc) {
            auto k2 = key;
            k2[j] += i;
            auto it = next.find(k2);
            if (it == next.end()) next.emplace(k2, ri_mul(v, w));
            else it->second = ri_add(it->second, ri_mul(v, w));
          }
        binom = binom * (p - i) / (i + 1);
      }
      acc = std::move(next);
    }
    for (const auto& [key, v] : acc) {
      auto it = F.find({t.x_power, key});
      if (it == F.end()) F.emplace(std::make_pair(t.x_power, key), v);
      else it->second = ri_add(it->second, v);
    }
  }
  auto unit = [&](std::size_t j) {
    std::vector<int> e(n, 0);
    e[j] = 1;
    return std::make_pair(0, e);
  };
  // F(0, c_0) = 0 (c_0 solves the equation at x^0): a point not 0 is a contradiction
  if (F.count({0, std::vector<int>(n, 0)}) && mig(F[{0, std::vector<int>(n, 0)}]) != 0) return std::nullopt;
  FunctionalReduction red;
  red.type = eq.type;
  red.order = eq.order;
  // An upper bound of |q| (exact when rational): every use below is in a majorant.
  if (eq.type == EquationType::QDifference) red.absq = abs_q(eq).hi;
  red.dpow.assign(n, 1);
  for (std::size_t j = 1; j < n; ++j) red.dpow[j] = red.dpow[j - 1] * eq.d;
  const Rational alpha0 = F.count(unit(0)) ? mig(F[unit(0)]) : Rational(0);
  if (alpha0 == 0) return std::nullopt;
  red.eps = alpha0;
  if (eq.type == EquationType::QDifference)
    for (std::size_t j = 1; j < n; ++j)
      if (F.count(unit(j))) red.eps -= mag(F[unit(j)]) * rpow(red.absq, static_cast<long>(j * red.K0));
  if (red.eps <= 0) return std::nullopt;
  for (const auto& [key, v] : F) {
    if (is_zero(v) || (key.first == 0 && std::all_of(key.second.begin(), key.second.end(), [](int i) { return i == 0; }))) continue;
    bool excluded = false;
    for (std::size_t j = 0; j < n; ++j)
      if (key == unit(j) && (j == 0 || eq.type == EquationType::QDifference)) excluded = true;
    if (excluded) continue;
    red.keys.push_back(key);
    red.coef.push_back(mag(v));
  }
  for (std::size_t k = 0; k < red.K0; ++k) red.absc.push_back(k == 0 ? Rational(0) : sol.magnitude_upper(k));
  // Low part: the majorant atom series truncated at x^K0, multiplied out.
  const std::size_t K0 = red.K0;
  std::vector<std::vector<Rational>> atom(n, std::vector<Rational>(K0, Rational(0)));
  for (std::size_t j = 0; j < n; ++j)
    for (std::size_t k = 1; k < K0; ++k) {
      if (red.type == EquationType::QDifference) {
        atom[j][k] = red.absc[k] * rpow(red.absq, static_cast<long>(j * k));
      } else {
        const auto idx = k * static_cast<std::size_t>(red.dpow[j]);
        if (idx < K0) atom[j][idx] = red.absc[k];
      }
    }
  red.low.assign(K0, Rational(0));
  for (std::size_t t = 0; t < red.keys.size(); ++t) {
    std::vector<Rational> prod(K0, Rational(0));
    if (static_cast<std::size_t>(red.keys[t].first) >= K0) continue;
    prod[static_cast<std::size_t>(red.keys[t].first)] = red.coef[t];
    for (std::size_t j = 0; j < n; ++j)
      for (int r = 0; r < red.keys[t].second[j]; ++r) {
        std::vector<Rational> next(K0, Rational(0));
        for (std::size_t u = 0; u < K0; ++u) {
          if (prod[u] == 0) continue;
          for (std::size_t v = 1; u + v < K0; ++v)
            if (atom[j][v] != 0) next[u + v] += prod[u] * atom[j][v];
        }
        prod = std::move(next);
      }
    for (std::size_t u = 0; u < K0; ++u) red.low[u] += prod[u];
  }
  return red;
}

bool functional_holds(const FunctionalReduction& red, const Rational& r, const Rational& B) {
  if (red.type == EquationType::Mahler && r >= 1) return false;
  const auto n = static_cast<std::size_t>(red.order) + 1;
  // Tail of T^j yh at r: sum_{k>=K0} |c_k| w_jk r^k <= B * (|q|^j)^K0 (q) or
  // B * r^((d^j - 1) K0) (Mahler, r <= 1).
  std::vector<Rational> Y(n, B);
  for (std::size_t j = 1; j < n; ++j)
    Y[j] = B * (red.type == EquationType::QDifference ? rpow(red.absq, static_cast<long>(j * red.K0))
                                                       : rpow(r, static_cast<long>((red.dpow[j] - 1) * static_cast<long long>(red.K0))));
  for (std::size_t j = 0; j < n; ++j) {
    const Rational rj = red.type == EquationType::QDifference ? rpow(red.absq, static_cast<long>(j)) * r
                                                              : rpow(r, static_cast<long>(red.dpow[j]));
    Rational pw = 1;
    for (std::size_t k = 1; k < red.K0; ++k) {
      pw *= rj;
      Y[j] += red.absc[k] * pw;
    }
  }
  Rational total = 0;
  for (std::size_t t = 0; t < red.keys.size(); ++t) {
    Rational v = red.coef[t] * rpow(r, red.keys[t].first);
    for (std::size_t j = 0; j < n; ++j) v *= rpow(Y[j], red.keys[t].second[j]);
    total += v;
  }
  Rational low = 0, pw = 1;
  for (std::size_t k = 0; k < red.K0; ++k) {
    low += red.low[k] * pw;
    pw *= r;
  }
  return total - low <= red.eps * B;
}

std::optional<Rational> functional_B(const FunctionalReduction& red, const Rational& r) {
  for (int e = -40; e <= 40; ++e) {
    const Rational B = e >= 0 ? Rational(Integer(1) << e) : Rational(1) / Rational(Integer(1) << -e);
    if (functional_holds(red, r, B)) return B;
  }
  return std::nullopt;
}

std::optional<Rational> functional_radius(const FunctionalReduction& red) {
  Rational lo = 0, hi = 1;
  if (red.type == EquationType::QDifference)
    while (functional_B(red, hi) && hi < 1000000) {
      lo = hi;
      hi *= 2;
    }
  for (int it = 0; it < 20; ++it) {
    const Rational mid = (lo + hi) / 2;
    if (functional_B(red, mid)) lo = mid; else hi = mid;
  }
  if (lo == 0) return std::nullopt;
  return lo;
}

std::optional<CoefficientBound> functional_bound(const FunctionalReduction& red, const Rational& r) {
  auto B = functional_B(red, r);
  if (!B) return std::nullopt;
  CoefficientBound cb;
  cb.rho = r;
  cb.M = MpInterval::enclose(*B, 128);
  cb.from = red.K0;
  cb.method = "weighted l1 contraction (K0 = " + std::to_string(red.K0) + ")";
  return cb;
}

// --- linear Mahler equations ----------------------------------------------

std::optional<CoefficientBound> mahler_bound(FormalSolution& sol) {
  const Equation& eq = sol.equation();
  if (eq.type != EquationType::Mahler || !eq.linear() || !eq.rational_coefficients()) return std::nullopt;
  const auto a = eq.linear_coefficients();
  const auto b = eq.inhomogeneous_part();
  const auto e0 = static_cast<std::size_t>(sol.e0());
  if (a[0].size() <= e0 || a[0][e0] == 0) return std::nullopt;
  const Rational alpha = abs(a[0][e0]);
  std::vector<Rational> B{Rational(0)};
  for (std::size_t i = e0 + 1; i < a[0].size(); ++i) B.push_back(abs(a[0][i]) / alpha);
  Rational AM = 0;
  for (std::size_t j = 1; j < a.size(); ++j)
    for (const Rational& v : a[j]) AM += abs(v) / alpha;
  const Rational cap = 1 - Rational(1) / 256;
  Rational rho = cap;
  if (auto root = majorant_root(B)) rho = std::min<Rational>(cap, *root * cap);
  Rational S0 = 0, pw = 1;
  for (std::size_t i = 1; i < B.size(); ++i) {
    pw *= rho;
    S0 += B[i] * pw;
  }
  if (S0 >= 1) return std::nullopt;
  std::size_t N = std::max<std::size_t>({b.size() > e0 ? b.size() - e0 : 0, e0 + 1, 8, B.size()});
  for (int tries = 0; tries < 16; ++tries, N *= 2) {
    const auto Nl = static_cast<long>(N);
    const long E = Nl - (Nl + static_cast<long>(e0) + eq.d - 1) / eq.d;  // floor(N - (N+e0)/d)
    if (E <= 0) continue;
    MpInterval t = MpInterval::enclose(AM, 128) * numeric::pow(MpInterval::enclose(rho, 128), E) +
                   MpInterval::enclose(S0, 128);
    if (!(t.upper_rational() <= 1)) continue;
    sol.extend(N);
    CoefficientBound cb;
    cb.rho = rho;
    cb.M = max_scaled(sol, 0, N, rho);
    cb.from = 0;
    cb.method = "Mahler majorant (induction from N = " + std::to_string(N) + ")";
    return cb;
  }
  return std::nullopt;
}

// --- Newton polygon -----------------------------------------------------------

// From the orders ord[j] of the a_j (-1: a_j = 0 as far as known, -2:
// undecided by enclosures, which leaves no prediction). q_side as q_side().
NewtonPolygon newton_polygon(const std::vector<int>& ord, EquationType type, int q_side_value) {
  NewtonPolygon np;
  bool undecided = false;
  for (std::size_t j = 0; j < ord.size(); ++j) {
    if (ord[j] >= 0) np.points.emplace_back(static_cast<int>(j), ord[j]);
    if (ord[j] == -2) undecided = true;
  }
  // Lower convex hull (points sorted by j).
  for (const auto& p : np.points) {
    while (np.hull.size() >= 2) {
      const auto& A = np.hull[np.hull.size() - 2];
      const auto& Bp = np.hull.back();
      const long cross = static_cast<long>(Bp.first - A.first) * (p.second - A.second) -
                         static_cast<long>(Bp.second - A.second) * (p.first - A.first);
      if (cross <= 0) np.hull.pop_back(); else break;
    }
    np.hull.push_back(p);
  }
  for (std::size_t k = 1; k < np.hull.size(); ++k)
    np.slopes.push_back(Rational(np.hull[k].second - np.hull[k - 1].second) / Rational(np.hull[k].first - np.hull[k - 1].first));
  std::optional<Rational> best;
  const bool mirror = type == EquationType::QDifference && q_side_value < 0;
  if (type != EquationType::Mahler && !undecided && !(type == EquationType::QDifference && q_side_value == 0))
    for (const Rational& k : np.slopes) {
      const Rational kk = mirror ? -k : k;
      if (kk > 0 && (!best || kk < *best)) best = kk;
    }
  if (best) np.predicted_gevrey = 1 / *best;
  return np;
}

// First index < size of a nonzero entry, or -1.
int order_of(const std::vector<Rational>& v) {
  for (std::size_t i = 0; i < v.size(); ++i)
    if (v[i] != 0) return static_cast<int>(i);
  return -1;
}

}  // namespace detail

using namespace detail;

namespace {

Analysis analyse_impl(FormalSolution& sol, const AnalysisOptions& options) {
  const Equation& eq = sol.equation();
  Analysis an;
  const bool linear = eq.linear();
  const auto n = static_cast<std::size_t>(eq.order);
  std::size_t T = 0;
  std::vector<std::vector<Rational>> a;  // exact linearisation (rational data, or linear equations)
  std::vector<int> ord(n + 1);           // -1: a_j = 0 (below x^T), -2: undecided by enclosures
  std::vector<int> ord_at_least(n + 1, 0);  // ord = -2: the coefficients below this are the point 0
  std::vector<RI> ind;                   // a_j[e0]
  const auto e0 = static_cast<std::size_t>(sol.e0());
  if ((linear && eq.rational_coefficients()) || sol.exact()) {
    if (linear) {
      a = eq.linear_coefficients();
    } else {
      sol.extend(std::max(options.check_terms, sol.given()));
      T = sol.size();
      a = sol.linearisation(T);
    }
    for (std::size_t j = 0; j <= n; ++j) {
      ord[j] = order_of(a[j]);
      ind.push_back(ri_point(e0 < a[j].size() ? a[j][e0] : Rational(0)));
    }
  } else {
    // Nonlinear with an irrational q, or irrational coefficients: the
    // linearisation as enclosures; an entry is 0 only as the point [0, 0] and
    // nonzero only if it excludes 0. (A linear equation's a_j are polynomials:
    // every coefficient is below T.)
    std::size_t top_x = 0;
    for (const Term& t : eq.terms) top_x = std::max(top_x, static_cast<std::size_t>(t.x_power) + 1);
    sol.extend(std::max({options.check_terms, sol.given(), top_x}));
    T = sol.size();
    const auto ae = sol.linearisation_enclosure(T, std::max<mpfr_prec_t>(sol.precision(), 64));
    for (std::size_t j = 0; j <= n; ++j) {
      ord[j] = -1;
      for (std::size_t i = 0; i < ae[j].size(); ++i) {
        if (!ae[j][i].contains_zero() && !ae[j][i].is_empty()) {
          ord[j] = static_cast<int>(i);
          break;
        }
        if (!(ae[j][i].is_point() && ae[j][i].contains_zero())) {
          ord[j] = -2;
          ord_at_least[j] = static_cast<int>(i);
          break;
        }
      }
      auto v = e0 < ae[j].size() ? ri_of(ae[j][e0]) : std::optional<RI>(ri_point(Rational(0)));
      if (!v) throw Undecided("a coefficient of the linearisation is unbounded");
      ind.push_back(*v);
    }
  }
  auto ord_text = [&](std::size_t j) {
    if (ord[j] == -2) return std::string("undecided (an enclosure holds 0)");
    return ord[j] >= 0 ? std::to_string(ord[j]) : (linear ? std::string("oo (a_j = 0)") : ">= " + std::to_string(T));
  };
  const int side = eq.type == EquationType::QDifference ? q_side(eq) : 0;
  an.polygon = newton_polygon(ord, eq.type, side);

  // The order condition: ord a_p <= ord a_j for all j (p = n or 0).
  auto order_condition = [&](std::size_t p, const std::string& name) {
    Hypothesis h;
    h.statement = "ord " + name + " <= ord a_j for all j";
    if (ord[p] == -2) {
      h.decision = Decision::Unknown;
      h.detail = "ord " + name + " is " + ord_text(p);
      return h;
    }
    if (ord[p] < 0) {
      h.decision = linear ? Decision::Refuted : Decision::Unknown;
      h.detail = name + (linear ? " = 0" : " has no nonzero coefficient below x^" + std::to_string(T));
      return h;
    }
    h.decision = Decision::Proven;
    std::string orders;
    bool undecided = false;
    for (std::size_t j = 0; j <= n; ++j) {
      orders += (j ? ", " : "") + std::string("ord a_") + std::to_string(j) + " = " + ord_text(j);
      if (ord[j] >= 0 && ord[j] < ord[p]) h.decision = Decision::Refuted;
      // undecided, but ord a_j >= ord_at_least[j] >= ord a_p is enough
      if (ord[j] == -2 && ord_at_least[j] < ord[p]) undecided = true;
    }
    if (undecided && h.decision == Decision::Proven) h.decision = Decision::Unknown;
    h.detail = orders;
    return h;
  };
  // Non-resonance: Ind(k) != 0 for every k >= K (roots bounded exactly).
  auto non_resonance = [&]() {
    Hypothesis h;
    h.statement = "non-resonance: Ind(k) != 0 for all k >= " + std::to_string(sol.given());
    long limit = 0;
    auto is_zero = [](const RI& v) { return v.lo == 0 && v.hi == 0; };
    if (eq.type == EquationType::Mahler) {
      h.decision = ind[0].lo == ind[0].hi ? (ind[0].lo != 0 ? Decision::Proven : Decision::Refuted)
                                          : (mig(ind[0]) > 0 ? Decision::Proven : Decision::Unknown);
      h.detail = "Ind(k) = " + numeric::to_string(ind[0].lo) + " for k >= 1";
      return h;
    }
    int hi = -1, lo = -1;
    for (std::size_t j = 0; j <= n; ++j) {
      if (is_zero(ind[j])) continue;
      if (mig(ind[j]) == 0) {
        h.decision = Decision::Unknown;
        h.detail = "the indicial coefficient a_" + std::to_string(j) + "[e0] is undecided (its enclosure holds 0)";
        return h;
      }
      hi = static_cast<int>(j);
      if (lo < 0) lo = static_cast<int>(j);
    }
    if (hi == lo) {
      // A monomial: differential k^hi (zero only at k = 0 when hi > 0); q: never zero (q != 0).
      h.decision = (eq.type == EquationType::Differential && hi > 0 && sol.given() == 0) ? Decision::Refuted : Decision::Proven;
      if (eq.type == EquationType::QDifference && !eq.q_rational() && hi > 0 && eq.q_enclosure(64).contains_zero())
        h.decision = Decision::Unknown;
      h.detail = "Ind is a monomial";
      return h;
    }
    Rational cauchy = 0;
    for (int j = lo; j < hi; ++j) cauchy = std::max<Rational>(cauchy, mag(ind[static_cast<std::size_t>(j)]) / mig(ind[static_cast<std::size_t>(hi)]));
    cauchy += 1;
    Rational lower = 0;
    for (int j = lo + 1; j <= hi; ++j) lower = std::max<Rational>(lower, mag(ind[static_cast<std::size_t>(j)]) / mig(ind[static_cast<std::size_t>(lo)]));
    lower = 1 / (lower + 1);
    if (eq.type == EquationType::Differential) {
      if (cauchy > 1000000) {
        h.decision = Decision::Unknown;
        h.detail = "root bound too large";
        return h;
      }
      limit = static_cast<long>(numeric::to_double_up(cauchy)) + 1;
    } else if (eq.q_rational()) {
      // |q^k| must lie in [lower, cauchy]
      const Rational aq = abs(eq.q);
      Rational pw = 1;
      long k = 0;
      while (k < 100000 && (aq > 1 ? pw <= cauchy : pw >= lower)) {
        pw *= aq;
        ++k;
      }
      limit = k;
    } else {
      // the same with an enclosure of |q|^k
      if (side == 0) {
        h.decision = Decision::Unknown;
        h.detail = "|q| is not separated from 1, so the roots of Ind are not bounded";
        return h;
      }
      const MpInterval aq = numeric::abs(eq.q_enclosure(kQPrecision));
      MpInterval pw = MpInterval::enclose(Rational(1), kQPrecision);
      long k = 0;
      while (k < 100000 && (side > 0 ? pw.lower_rational() <= cauchy : pw.upper_rational() >= lower)) {
        pw *= aq;
        ++k;
      }
      limit = k;
    }
    for (long k = static_cast<long>(sol.given()); k <= limit; ++k) {
      if (sol.exact()) {
        if (sol.indicial(static_cast<std::size_t>(k)) != 0) continue;
      } else {
        const MpInterval v = sol.indicial_enclosure(static_cast<std::size_t>(k), std::max<mpfr_prec_t>(sol.precision(), 64));
        if (!v.contains_zero()) continue;
        if (!v.is_point()) {
          h.decision = Decision::Unknown;
          h.detail = "Ind(" + std::to_string(k) + ") encloses 0: " + numeric::to_string(v);
          return h;
        }
      }
      h.decision = Decision::Refuted;
      h.detail = "Ind(" + std::to_string(k) + ") = 0";
      return h;
    }
    h.decision = Decision::Proven;
    h.detail = "every integer root is below " + std::to_string(sol.given()) + " (checked k <= " + std::to_string(limit) + ")";
    return h;
  };

  switch (eq.type) {
    case EquationType::Differential: {
      an.theorem = "Malgrange's theorem for differential equations (Gontsov-Goryuchkina, arXiv:2412.00778)";
      Hypothesis h1;
      h1.statement = "a_n != 0 (n = " + std::to_string(n) + ")";
      h1.decision = ord[n] >= 0 ? Decision::Proven : (linear ? Decision::Refuted : Decision::Unknown);
      h1.detail = "ord a_n = " + ord_text(n);
      an.hypotheses.push_back(h1);
      an.hypotheses.push_back(order_condition(n, "a_n"));
      break;
    }
    case EquationType::QDifference: {
      const bool big = side > 0;
      an.theorem = std::string("convergence theorem for q-difference equations with ") +
                   (side == 0 ? "|q| != 1" : big ? "|q| > 1" : "|q| < 1") + " (Bezivin; Gontsov-Goryuchkina, arXiv:2412.00778)";
      Hypothesis h1;
      h1.statement = "|q| != 1";
      h1.decision = side == 0 ? Decision::Unknown : Decision::Proven;
      h1.detail = "q = " + eq.q_text();
      if (!eq.q_rational()) {
        const MpInterval aq = numeric::abs(eq.q_enclosure(64));
        h1.detail += ", |q| in " + numeric::to_string(aq) + (side == 0 ? " (the enclosure holds 1)" : "");
      }
      an.hypotheses.push_back(h1);
      if (side != 0) an.hypotheses.push_back(big ? order_condition(n, "a_n") : order_condition(0, "a_0"));
      break;
    }
    case EquationType::Mahler: {
      an.theorem = "convergence theorem for Mahler equations (Gontsov-Goryuchkina, arXiv:2412.00778)";
      Hypothesis h1;
      h1.statement = "a_0 != 0";
      h1.decision = ord[0] >= 0 ? Decision::Proven : (linear ? Decision::Refuted : Decision::Unknown);
      h1.detail = "ord a_0 = " + ord_text(0);
      an.hypotheses.push_back(h1);
      break;
    }
  }
  an.hypotheses.push_back(non_resonance());

  bool all = true, refuted = false;
  for (const auto& h : an.hypotheses) {
    if (h.decision != Decision::Proven) all = false;
    if (h.decision == Decision::Refuted) refuted = true;
  }

  const auto shape = make_shape(sol);
  // A polynomial solution: s consecutive zeros where the recurrence is
  // homogeneous and P_0 never vanishes again.
  if (shape) {
    std::size_t N = base_N(sol, *shape);
    for (int tries = 0; tries < 20; ++tries, N *= 2) {
      if (mig(ri_poly(shape->p[0], shape->u_range(N))) == 0) continue;
      sol.extend(N);
      bool zeros = true;
      for (std::size_t k = N - static_cast<std::size_t>(shape->s); k < N; ++k) zeros = zeros && sol.certainly_zero(k);
      if (zeros) {
        std::size_t deg = 0;
        for (std::size_t k = 0; k < N; ++k)
          if (!sol.certainly_zero(k)) deg = k;
        an.polynomial = true;
        an.polynomial_degree = deg;
        an.infinite_radius = true;
        an.verdict = SeriesVerdict::Converges;
        an.reason = "the solution is a polynomial of degree " + std::to_string(deg) + ": c_n = 0 for n >= " +
                    std::to_string(deg + 1) + " (proven: " +
                    (shape->s > 0 ? "c_" + std::to_string(N - static_cast<std::size_t>(shape->s)) + " .. c_" +
                                        std::to_string(N - 1) + " vanish, "
                                  : std::string()) +
                    "the recurrence is homogeneous and P_0(m) != 0 for m >= " + std::to_string(N) + ")";
        CoefficientBound cb;
        cb.rho = 1;
        cb.M = MpInterval::enclose(Rational(0), 128);
        cb.from = deg + 1;
        cb.method = "polynomial";
        an.bound = cb;
        return an;
      }
      break;
    }
  }

  if (all) {
    an.verdict = SeriesVerdict::Converges;
    an.reason = "every hypothesis of the theorem is proven";
    if (shape) {
      std::size_t N = std::max<std::size_t>(base_N(sol, *shape), eq.type == EquationType::Differential ? 512 : 64);
      for (int tries = 0; tries < 20; ++tries, N *= 2) {
        auto rb = recurrence_bound(*shape, N);
        if (!rb) continue;
        bool infinite = true;
        for (int i = 1; i <= shape->s; ++i)
          if (shape->present[static_cast<std::size_t>(i)] && shape->d[static_cast<std::size_t>(i)] == shape->d[0]) infinite = false;
        an.infinite_radius = infinite;
        if (rb->rho) {
          sol.extend(N);
          CoefficientBound cb;
          cb.rho = *rb->rho;
          cb.from = N - static_cast<std::size_t>(shape->s);
          cb.M = max_scaled(sol, cb.from, N, cb.rho);
          cb.method = "recurrence majorant (N = " + std::to_string(N) + ")";
          an.bound = cb;
          if (!infinite) an.radius_lower = cb.rho;
        }
        break;
      }
      if (eq.type == EquationType::Differential && !an.infinite_radius && !a.empty()) {
        // Fuchs: at a regular singular point (Malgrange's condition for a
        // linear equation) the power series solution converges up to the
        // nearest nonzero root of the leading coefficient a_n.
        std::vector<Rational> lead(a[n].begin() + ord[n], a[n].end());
        if (auto L = root_modulus_lower(lead)) {
          if (!an.radius_lower || *L > *an.radius_lower) {
            an.radius_lower = *L;
            an.reason += "; radius from Fuchs' theorem: the nearest nonzero root of a_n has modulus >= " +
                         numeric::to_decimal_down(*L, 8) + " (Graeffe + Cauchy bound); the coefficient and tail bounds use rho";
          }
        }
      }
    } else if (auto mb = mahler_bound(sol)) {
      an.radius_lower = mb->rho;
      an.bound = mb;
    } else if (eq.type == EquationType::Differential) {
      // Nonlinear: the explicit Cauchy majorant (y' = f(x, y)) and the
      // weighted Malgrange reduction (any order); the larger certified radius.
      if (auto ex = make_explicit(sol)) {
        const ExplicitRadius er = explicit_radius(*ex);
        if (er.T > 0) {
          const Rational T = numeric::to_rational(er.T);
          an.radius_lower = T;
          an.bound = explicit_bound(*ex, er, T * Rational(9, 10));
        }
      }
      for (bool normalise : {false, true})
        if (auto wr = make_weighted_reduction(sol, normalise)) {
          if (auto r = weighted_radius(*wr); r && (!an.radius_lower || *r > *an.radius_lower)) {
            an.radius_lower = *r;
            an.bound = weighted_bound(*wr, *r);
          }
        }
    } else if (auto fr = make_functional_reduction(sol)) {
      if (auto r = functional_radius(*fr)) {
        an.radius_lower = *r;
        an.bound = functional_bound(*fr, *r);
      }
    }
    if (!an.radius_lower && !an.infinite_radius)
      an.reason += "; no radius bound is implemented for this kind of equation (the convergence itself is proven)";
    return an;
  }

  if (refuted && shape && shape->s >= 1) {
    // Certified divergence when the homogeneous recurrence has two terms:
    // P_0(m) c_m = -P_s(m-s) c_{m-s} (every P_i with 0 < i < s absent).
    const int st = shape->s;
    bool two_term = true;
    for (int i = 1; i < st; ++i) two_term = two_term && !shape->present[static_cast<std::size_t>(i)];
    const int g = shape->d[static_cast<std::size_t>(st)] - shape->d[0];
    if (two_term && g > 0) {
      std::size_t N = base_N(sol, *shape);
      for (int tries = 0; tries < 20; ++tries, N *= 2) {
        const RI u = shape->u_range(N);
        const Rational m0 = mig(ri_poly(shape->p[0], u));
        const Rational L = mig(ri_poly(shape->p[static_cast<std::size_t>(st)], u)) / mag(ri_poly(shape->p[0], u));
        if (L == 0 || m0 == 0) continue;
        const Rational U = mag(ri_poly(shape->p[static_cast<std::size_t>(st)], u)) / m0;
        sol.extend(N);
        std::size_t r = N;
        for (std::size_t k = N - static_cast<std::size_t>(st); k < N; ++k)
          if (sol.certainly_nonzero(k)) r = k;
        if (r == N) break;  // s zeros: the series is a polynomial (handled above)
        const std::string gpow = g == 1 ? shape->g_name() : "(" + shape->g_name() + ")^" + std::to_string(g);
        const std::string c_m = "c_(m-" + std::to_string(st) + ")";
        an.verdict = SeriesVerdict::Diverges;
        an.gevrey = Rational(g) / Rational(st);
        an.radius_lower = Rational(0);
        an.gevrey_detail = "for m >= " + std::to_string(N) + ": " + numeric::to_decimal_down(L, 6) + " * " + gpow +
                           " <= |c_m / " + c_m + "| <= " + numeric::to_decimal_up(U, 6) + " * " + gpow + ", and c_" +
                           std::to_string(r) + " != 0";
        an.reason = std::string("radius 0: |c_n| grows faster than any geometric sequence (") +
                    (eq.type == EquationType::Differential ? "Gevrey" : "q-Gevrey") + " order " +
                    numeric::to_string(*an.gevrey) + ", certified)";
        return an;
      }
    }
  }
  if (refuted && shape && shape->s >= 2) {
    if (auto dv = dominant_divergence(sol, *shape)) {
      const int g = dv->g;
      const std::string gpow = g == 1 ? shape->g_name() : "(" + shape->g_name() + ")^" + std::to_string(g);
      an.verdict = SeriesVerdict::Diverges;
      an.gevrey = Rational(g);
      an.radius_lower = Rational(0);
      an.gevrey_detail = "for m >= " + std::to_string(dv->N) + ": " + numeric::to_decimal_down(dv->theta, 6) + " * " + gpow +
                         " <= |c_m / c_(m-1)| <= " + numeric::to_decimal_up(dv->U, 6) + " * " + gpow +
                         " (induction on the " + std::to_string(shape->s + 1) + "-term recurrence, c_" +
                         std::to_string(dv->N - 1) + " != 0)";
      an.reason = std::string("radius 0: |c_n| grows faster than any geometric sequence (") +
                  (eq.type == EquationType::Differential ? "Gevrey" : "q-Gevrey") + " order " + numeric::to_string(*an.gevrey) +
                  ", certified)";
      return an;
    }
  }
  an.verdict = SeriesVerdict::Unknown;
  an.reason = refuted ? "the theorem's hypothesis fails; divergence is not certified for this equation"
                      : "a hypothesis could not be decided";
  if (an.polygon.predicted_gevrey)
    an.reason += " (the Newton polygon predicts " + std::string(eq.type == EquationType::QDifference ? "q-Gevrey" : "Gevrey") +
                 " order " + numeric::to_string(*an.polygon.predicted_gevrey) + ")";
  return an;
}

}  // namespace

Analysis analyse(FormalSolution& sol, const AnalysisOptions& options) {
  try {
    return analyse_impl(sol, options);
  } catch (const Undecided& e) {
    Analysis an;
    an.theorem = "convergence theorem for " + std::string(equation_type_name(sol.equation().type)) + " equations";
    an.verdict = SeriesVerdict::Unknown;
    an.reason = std::string("undecided by enclosures: ") + e.what();
    return an;
  }
}

std::optional<CoefficientBound> coefficient_bound_beyond(FormalSolution& sol, const Analysis& an, const Rational& at_least) {
  if (an.bound && an.bound->rho > at_least) return an.bound;
  if (an.polynomial) {
    CoefficientBound cb = *an.bound;
    cb.rho = at_least * 2 + 1;
    return cb;
  }
  if (an.verdict != SeriesVerdict::Converges) return std::nullopt;
  if (an.infinite_radius) {
    const auto shape = make_shape(sol);
    if (!shape) return std::nullopt;
    std::size_t N = std::max<std::size_t>(base_N(sol, *shape), 16);
    for (int tries = 0; tries < 24; ++tries, N *= 2) {
      auto rb = recurrence_bound(*shape, N);
      if (!rb || (rb->rho && *rb->rho <= at_least)) continue;
      const Rational rho = rb->rho ? std::min<Rational>(*rb->rho, at_least * 2 + 1) : at_least * 2 + 1;
      sol.extend(N);
      CoefficientBound cb;
      cb.rho = rho;
      cb.from = N - static_cast<std::size_t>(shape->s);
      cb.M = max_scaled(sol, cb.from, N, rho);
      cb.method = "recurrence majorant (N = " + std::to_string(N) + ")";
      return cb;
    }
    return std::nullopt;
  }
  if (auto ex = make_explicit(sol)) {
    const ExplicitRadius er = explicit_radius(*ex);
    const Rational T = numeric::to_rational(er.T);
    // a radius between at_least and the explicit bound
    if (at_least < T)
      if (auto cb = explicit_bound(*ex, er, (at_least + T * 3) / 4)) return cb;
  }
  for (bool normalise : {false, true})
    if (auto wr = make_weighted_reduction(sol, normalise)) {
      const auto r = weighted_radius(*wr);
      if (r && *r > at_least)
        if (auto cb = weighted_bound(*wr, (at_least + *r) / 2)) return cb;
    }
  if (auto fr = make_functional_reduction(sol)) {
    if (!an.radius_lower || *an.radius_lower <= at_least) return std::nullopt;
    return functional_bound(*fr, (at_least + *an.radius_lower) / 2);
  }
  return std::nullopt;
}

std::optional<ValueEnclosure> evaluate_sum(FormalSolution& sol, const Analysis& an, const Rational& X, int digits,
                                           std::size_t max_terms) {
  const int p = sol.equation().ramification;
  const Rational mu = sol.equation().exponent;
  const long prec = 128 + static_cast<long>(digits * 4);
  // y = X^mu * z(t), t = X^(1/p): real powers of negative X only for integer exponents.
  if (X < 0 && (p % 2 == 0 || denominator(mu) != 1)) return std::nullopt;
  if (X == 0 && mu < 0) return std::nullopt;
  std::optional<ValueEnclosure> v;
  if (p == 1) {
    v = evaluate_sum_at(sol, an, MpInterval::enclose(X, prec), digits, max_terms);
  } else {
    const MpInterval ax = MpInterval::enclose(abs(X), prec);
    MpInterval t = X == 0 ? ax : numeric::exp(numeric::log(ax) / MpInterval::enclose(Rational(p), prec));
    if (X < 0) t = -t;
    v = evaluate_sum_at(sol, an, t, digits, max_terms);
  }
  if (!v || mu == 0) return v;
  MpInterval factor(prec);
  if (denominator(mu) == 1) {
    Rational f = 1;
    const long e = static_cast<long>(numerator(Rational(abs(mu))));
    for (long i = 0; i < e; ++i) f *= X;
    factor = MpInterval::enclose(mu > 0 ? f : Rational(1 / f), prec);
  } else {
    factor = X == 0 ? MpInterval::enclose(Rational(0), prec)
                    : numeric::exp(numeric::log(MpInterval::enclose(X, prec)) * MpInterval::enclose(mu, prec));
  }
  v->value = v->value * factor;
  v->tail = v->tail * factor;
  v->met_digits = v->value.upper_rational() - v->value.lower_rational() <= Rational(1) / pow10(digits);
  return v;
}

namespace detail {
std::optional<ValueEnclosure> evaluate_sum_at_impl(FormalSolution& sol, const Analysis& an, const MpInterval& X, int digits,
                                                   std::size_t max_terms);
}  // namespace detail

std::optional<ValueEnclosure> evaluate_sum_at(FormalSolution& sol, const Analysis& an, const MpInterval& X, int digits,
                                              std::size_t max_terms) {
  try {
    return detail::evaluate_sum_at_impl(sol, an, X, digits, max_terms);
  } catch (const Undecided&) {
    return std::nullopt;
  }
}

namespace detail {

std::optional<ValueEnclosure> evaluate_sum_at_impl(FormalSolution& sol, const Analysis& an, const MpInterval& X, int digits,
                                                   std::size_t max_terms) {
  const Rational ax = std::max<Rational>(abs(X.lower_rational()), abs(X.upper_rational()));
  auto cb = coefficient_bound_beyond(sol, an, ax);
  if (!cb) return std::nullopt;
  const long prec0 = static_cast<long>(std::ceil(digits * 3.3219280948873623)) + 64;
  // theta = |X| / rho < 1; tail(N) = M theta^N / (1 - theta) for N >= from.
  const MpInterval theta = MpInterval::enclose(ax / cb->rho, 128);
  const MpInterval one = MpInterval::enclose(Rational(1), 128);
  const MpInterval target = MpInterval::enclose(Rational(1) / (Rational(4) * pow10(digits)), 128);
  std::size_t N = std::max<std::size_t>(cb->from, 1);
  auto tail_at = [&](std::size_t n) {
    if (ax == 0) return MpInterval::enclose(Rational(0), 128);
    return cb->M * numeric::pow(theta, static_cast<long>(n)) / (one - theta);
  };
  {
    const double lt = std::log(numeric::to_double_up(theta.upper_rational()));
    long ex = 0;
    const double mant = mpfr_get_d_2exp(&ex, cb->M.upper_mpfr(), MPFR_RNDU);
    const double lm = mant > 0 ? std::log(mant) + static_cast<double>(ex) * std::log(2.0) : -700.0;
    const double need = std::log(0.25) - digits * std::log(10.0) - lm + std::log(std::max(1e-300, 1 - std::exp(lt)));
    if (ax != 0 && lt < 0) {
      const double est = need / lt;
      if (est > static_cast<double>(N)) N = static_cast<std::size_t>(std::min(est + 2, 1e9));
    }
  }
  while (N <= max_terms && !(tail_at(N).upper_rational() <= target.lower_rational())) N = N + N / 8 + 1;
  if (N > max_terms) return std::nullopt;
  sol.extend(N);
  const Rational limit = Rational(1) / pow10(digits);
  // Enclosed coefficients (irrational q) are recomputed at the evaluation
  // precision plus the bits their recurrence may lose over N terms.
  long guard = 32;
  for (std::size_t m = N; m > 0; m /= 2) guard += 2;
  ValueEnclosure ve;
  for (long prec = prec0; prec <= prec0 * 8; prec *= 2) {
    if (!sol.exact()) sol.raise_precision(static_cast<mpfr_prec_t>(prec + guard));
    MpInterval x(prec);
    x = X;
    MpInterval s = MpInterval::enclose(Rational(0), prec);
    for (std::size_t k = N; k-- > 0;) s = s * x + sol.coefficient(k, prec);
    const MpInterval t = tail_at(N);
    const Rational tu = t.upper_rational();
    MpInterval tail = MpInterval::enclose(-tu, tu, prec);
    ve.value = s + tail;
    ve.tail = tail;
    ve.terms = N;
    ve.met_digits = ve.value.upper_rational() - ve.value.lower_rational() <= limit;
    if (ve.met_digits) break;
  }
  return ve;
}

}  // namespace detail

}  // namespace cerval::series
