#include <cerval/numeric/interval.hpp>

#include <mpfi.h>
#include <mpfr.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <ostream>
#include <stdexcept>

namespace cerval::numeric {

namespace {

using detail::BoostInterval;
using detail::kInf;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Scratch MPFI values at 53 bits, one set per thread (no shared state).
struct MpfiScratch {
  mpfi_t in, out;
  MpfiScratch() {
    mpfi_init2(in, 53);
    mpfi_init2(out, 53);
  }
  ~MpfiScratch() {
    mpfi_clear(in);
    mpfi_clear(out);
  }
  MpfiScratch(const MpfiScratch&) = delete;
  MpfiScratch& operator=(const MpfiScratch&) = delete;
};

MpfiScratch& scratch() {
  thread_local MpfiScratch s;
  return s;
}

Interval from_mpfi(mpfi_srcptr v) {
  if (mpfr_nan_p(&v->left) || mpfr_nan_p(&v->right)) return Interval::entire();
  const double lo = mpfr_get_d(&v->left, MPFR_RNDD);
  const double hi = mpfr_get_d(&v->right, MPFR_RNDU);
  return Interval(BoostInterval(lo, hi, true));
}

// f applied through MPFI to a nonempty input (endpoints are exact in 53 bits).
Interval through_mpfi(int (*f)(mpfi_ptr, mpfi_srcptr), const Interval& x) {
  MpfiScratch& s = scratch();
  mpfi_interv_d(s.in, x.lower(), x.upper());
  f(s.out, s.in);
  return from_mpfi(s.out);
}

// Scratch for constants computed once with directed rounding: down <= x <= up
// at 256 bits, and `part`, 32 bits, to split a constant into parts exact in
// binary64 and an enclosed tail.
struct ConstantScratch {
  mpfr_t down, up, part;
  ConstantScratch() {
    mpfr_inits2(256, down, up, static_cast<mpfr_ptr>(nullptr));
    mpfr_init2(part, 32);
  }
  ~ConstantScratch() { mpfr_clears(down, up, part, static_cast<mpfr_ptr>(nullptr)); }
  ConstantScratch(const ConstantScratch&) = delete;
  ConstantScratch& operator=(const ConstantScratch&) = delete;
  // [down, up] rounded outward to binary64.
  Interval enclosure() const {
    return Interval(BoostInterval(mpfr_get_d(down, MPFR_RNDD), mpfr_get_d(up, MPFR_RNDU), true));
  }
};

// exp of a double, enclosed in binary64 arithmetic (no libm): exp(x) =
// 2^q 2^(j/32) exp(t), N = 32 q + j the integer nearest x / (ln 2 / 32) and
// t = x - N (ln 2 / 32), |t| <= m := 0.011 (checked; ln 2 / 64 = 0.01083).
// exp(t) = 1 + t + t^2 h(t) with, by Taylor's theorem with the Lagrange
// remainder, h(t) = sum_{i=2..6} t^(i-2) / i! + (t^5 / 7!) e^xi, xi between
// 0 and t. h is evaluated by Horner in plain binary64 (any rounding mode is
// faithful: each operation's relative error is below u = 2^-52) with
// coefficients c_i = 1/i! rounded to nearest (i = 2..7), and the computed h~
// satisfies |h - h~| <= delta = 4e-15, the sum of (1) the coefficients'
// rounding, 2^-53 sum_i |t|^(i-2) / i! <= 6e-17; (2) the remainder's
// |t^5 / 7! (e^xi - 1)| <= m^5 / 7! (e^m - 1) <= 4e-19; (3) Horner's rounding
// error, gamma_10 sum_i c_i |t|^(i-2) <= 2.3e-15 * 0.51 (Higham, Accuracy and
// Stability of Numerical Algorithms, 2002, eq. 5.3). t^2 h contributes at most
// 1.3e-4 delta: far below an ulp of the result. The rest (t, t^2 [h~ -
// delta, h~ + delta], 1 + ..., times 2^(j/32)) is rounded outward, and the
// scaling by 2^q is exact for |x| <= 700. The constants (2^(j/32), ln 2 / 32
// as a 32-bit head plus an enclosed tail) are enclosed once through MPFR
// with directed rounding. The result is a few ulps wide (MPFI's is one ulp)
// and is computed about ten times faster.
struct ExpConstants {
  Interval two_pow_j32[32];
  double ln2_32_head;  // 32 significant bits: N * head is exact for |N| < 2^21
  Interval ln2_32_tail;
  double taylor[8];  // 1/i! rounded to nearest (i >= 2 used)
  ExpConstants() {
    ConstantScratch mp;
    for (int j = 0; j < 32; ++j) {
      mpfr_set_d(mp.down, j / 32.0, MPFR_RNDN);  // exact
      mpfr_exp2(mp.up, mp.down, MPFR_RNDU);
      mpfr_exp2(mp.down, mp.down, MPFR_RNDD);
      two_pow_j32[j] = mp.enclosure();
    }
    mpfr_const_log2(mp.down, MPFR_RNDD);
    mpfr_const_log2(mp.up, MPFR_RNDU);
    mpfr_div_2ui(mp.down, mp.down, 5, MPFR_RNDD);  // exact
    mpfr_div_2ui(mp.up, mp.up, 5, MPFR_RNDU);
    mpfr_set(mp.part, mp.down, MPFR_RNDN);
    ln2_32_head = mpfr_get_d(mp.part, MPFR_RNDN);  // exact: 32 bits
    mpfr_sub(mp.down, mp.down, mp.part, MPFR_RNDD);
    mpfr_sub(mp.up, mp.up, mp.part, MPFR_RNDU);
    ln2_32_tail = mp.enclosure();
    mpfr_set_ui(mp.down, 1, MPFR_RNDN);
    for (unsigned long i = 0; i < 8; ++i) {
      if (i > 0) mpfr_div_ui(mp.down, mp.down, i, MPFR_RNDN);  // 256 bits: rounding to double below is to nearest
      taylor[i] = mpfr_get_d(mp.down, MPFR_RNDN);
    }
  }
};

const ExpConstants& exp_constants() {
  static const ExpConstants c;
  return c;
}

// Beyond this, exp(x) leaves the normal range of binary64 (MPFI handles it).
constexpr double kExpFastLimit = 700.0;

// A lower (upper) bound of exp(x); nullopt outside the binary64 path.
std::optional<double> fast_exp_bound(double x, bool upper) {
  if (!(std::fabs(x) <= kExpFastLimit)) return std::nullopt;
  const ExpConstants& c = exp_constants();
  const double n = std::nearbyint(x / c.ln2_32_head);
  if (!(std::fabs(n) < 0x1p21)) return std::nullopt;
  const Interval r = (Interval(x) - Interval(n * c.ln2_32_head)) - Interval(n) * c.ln2_32_tail;
  if (!(r.mag() <= 0.011)) return std::nullopt;
  // exp is increasing: its lower bound over r at r's lower end, and so on.
  const double t = upper ? r.upper() : r.lower();
  double h = c.taylor[7];
  for (int i = 6; i >= 2; --i) h = h * t + c.taylor[i];
  constexpr double delta = 4e-15;
  const double t2 = upper ? detail::mul_up(t, t) : detail::mul_down(t, t);
  const double quadratic =
      upper ? detail::mul_up(t2, detail::add_up(h, delta)) : detail::mul_down(t2, detail::sub_down(h, delta));
  const double p = upper ? detail::add_up(1.0, detail::add_up(t, quadratic))
                         : detail::add_down(1.0, detail::add_down(t, quadratic));
  const double q = std::floor(n / 32);
  const auto j = static_cast<std::size_t>(n - 32.0 * q);
  // p near 1 and 2^(j/32) in [1, 2): the product lies in [0.98, 2.03], and
  // the scaling by 2^q is exact (normal range for |x| <= 700).
  const double e = upper ? detail::mul_up(c.two_pow_j32[j].upper(), p) : detail::mul_down(c.two_pow_j32[j].lower(), p);
  return std::ldexp(e, static_cast<int>(q));
}

// sin and cos of a double, enclosed in binary64 interval arithmetic (no
// libm): for |x| <= 2^20, x = k (pi/2) + t with k an integer, so that sin(x)
// = sin(t), cos(t), -sin(t), -cos(t) for k mod 4 = 0, 1, 2, 3, and cos(x) =
// sin(x + pi/2) (k + 1 in place of k). The reduction is Cody and Waite's
// (Software Manual for the Elementary Functions, 1980): pi/2 = h1 + h2 + h3
// with h1, h2 doubles of 32 significant bits (k h1 and k h2 are exact
// products for |k| < 2^21, checked) and h3 enclosed; r, the intersection of
// (x - k h1) - (k h2 + k [h3]) and ((x - k h1) - k h2) - k [h3], rounded
// outward, contains t. k is the integer nearest x / h1; any integer would do
// for containment, this one makes t small (x - k h1 is then exact, by
// Sterbenz's lemma, and r a few ulps of t wide, also where t is tiny, plus
// |k| 2^-116 from [h3]). By Taylor's theorem with the Lagrange remainder,
// for every real t, with s = t^2,
//   sin(t) = t + t s (sum_{i=1..8} (-1)^i s^(i-1) / (2i+1)! + g s^8),  g = sin^(19)(xi) / 19!,
//   cos(t) = sum_{i=0..8} (-1)^i s^i / (2i)! + g' s^9,                 g' = cos^(18)(xi) / 18!,
// xi between 0 and t (the Taylor polynomials of degree 17 and 16 are also
// those of degree 18 and 17: the next coefficient is zero), so |g| <= 1/19!
// and |g'| <= 1/18!. The check S <= m = 0.6185 on S = sqr(r) (|t| <= 0.7864,
// pi/4 + 1e-3; the nearest k gives |t| <= pi/4 + 2e-4, h1 being within
// 2^-32 of pi/2) bounds g s and g' s by [-m, m] / 19! and [-m, m] / 18!,
// which are added to the top coefficients. The polynomials are evaluated by
// Horner's rule in Interval arithmetic over r and S, with the coefficients
// 1/n! enclosed once through MPFR with directed rounding: every operation
// rounds outward, so the result contains the exact value for every t in r,
// in any FPU rounding mode. The remainder is below 8.6e-20 |t| / 0.7864
// (sin) and 2.1e-18 (cos, where cos(t) >= 0.7), under 0.02 ulp of the
// result; the rounding of the reduction and of Horner's rule leaves the
// result at most 4 ulps wide on random points (MPFI's is one ulp), in about
// a ninth of MPFI's time. Intersected with [-1, 1].
struct TrigConstants {
  double half_pi_head;  // 32 significant bits
  double half_pi_mid;   // 32 significant bits
  Interval half_pi_tail;
  Interval half_pi;
  static constexpr double kSquareLimit = 0.6185;  // bound on t^2 = s
  Interval sin_taylor[9];  // (-1)^i / (2i+1)!, i = 0..8 (0 unused), the last plus [-m, m] / 19!
  Interval cos_taylor[9];  // (-1)^i / (2i)!, i = 0..8, the last plus [-m, m] / 18!
  TrigConstants() {
    ConstantScratch mp;
    mpfr_const_pi(mp.down, MPFR_RNDD);
    mpfr_const_pi(mp.up, MPFR_RNDU);
    mpfr_div_2ui(mp.down, mp.down, 1, MPFR_RNDD);  // exact
    mpfr_div_2ui(mp.up, mp.up, 1, MPFR_RNDU);
    half_pi = mp.enclosure();
    // down <= pi/2 <= up throughout: the same 32-bit parts come off both.
    mpfr_set(mp.part, mp.down, MPFR_RNDN);
    half_pi_head = mpfr_get_d(mp.part, MPFR_RNDN);  // exact: 32 bits
    mpfr_sub(mp.down, mp.down, mp.part, MPFR_RNDD);
    mpfr_sub(mp.up, mp.up, mp.part, MPFR_RNDU);
    mpfr_set(mp.part, mp.down, MPFR_RNDN);
    half_pi_mid = mpfr_get_d(mp.part, MPFR_RNDN);  // exact: 32 bits, about 2^-33
    mpfr_sub(mp.down, mp.down, mp.part, MPFR_RNDD);
    mpfr_sub(mp.up, mp.up, mp.part, MPFR_RNDU);
    half_pi_tail = mp.enclosure();
    // down <= 1/n! <= up.
    mpfr_set_ui(mp.down, 1, MPFR_RNDN);
    mpfr_set_ui(mp.up, 1, MPFR_RNDN);
    for (unsigned long n = 0; n <= 19; ++n) {
      if (n > 0) {
        mpfr_div_ui(mp.down, mp.down, n, MPFR_RNDD);
        mpfr_div_ui(mp.up, mp.up, n, MPFR_RNDU);
      }
      if (n <= 17) {
        const Interval inverse_factorial = mp.enclosure();
        const std::size_t i = n / 2;
        (n % 2 == 1 ? sin_taylor : cos_taylor)[i] = i % 2 == 0 ? inverse_factorial : -inverse_factorial;
      } else {
        // m / n! rounded up: the remainder's range over s <= m.
        mpfr_mul_d(mp.part, mp.up, kSquareLimit, MPFR_RNDU);  // part has 32 bits: still an upper bound
        const double e = mpfr_get_d(mp.part, MPFR_RNDU);
        (n == 19 ? sin_taylor : cos_taylor)[8] += Interval(-e, e);
      }
    }
  }
};

const TrigConstants& trig_constants() {
  static const TrigConstants c;
  return c;
}

// Beyond this, sin and cos go through MPFI (its argument reduction is exact
// at any magnitude); within it, |k| < 2^20.
constexpr double kTrigFastLimit = 0x1p20;

// An enclosure of sin(x + shift pi/2) (shift 0: sin x; 1: cos x); nullopt
// outside the binary64 path.
std::optional<Interval> fast_sin_shifted(double x, int shift) {
  if (!(std::fabs(x) <= kTrigFastLimit)) return std::nullopt;
  const TrigConstants& c = trig_constants();
  const auto ki = static_cast<std::int64_t>(std::round(x / c.half_pi_head));
  const auto k = static_cast<double>(ki);
  if (!(std::fabs(k) < 0x1p21)) return std::nullopt;
  // Both contain t: the first rounds once at the scale of t, after an
  // absolute error of up to |k| 2^-65 in k h2 + k [h3] (tighter in general),
  // the second twice at the scale of t (tighter where t is tiny).
  const Interval y = Interval(x) - Interval(k * c.half_pi_head);
  const Interval k_mid(k * c.half_pi_mid);  // exact
  const Interval k_tail = Interval(k) * c.half_pi_tail;
  const Interval r = intersect(y - (k_mid + k_tail), (y - k_mid) - k_tail);
  const Interval s = sqr(r);
  if (!(s.upper() <= TrigConstants::kSquareLimit)) return std::nullopt;
  const std::int64_t quadrant = (ki + shift) & 3;  // k + shift mod 4, also for negative k
  const Interval* taylor = quadrant % 2 == 0 ? c.sin_taylor : c.cos_taylor;
  Interval v = taylor[8];
  for (int i = 7; i >= 1; --i) v = v * s + taylor[i];
  // sin as t + t (s (...)): r's width enters once, not scaled by (...)'s.
  v = quadrant % 2 == 0 ? r + r * (v * s) : v * s + taylor[0];
  if (quadrant >= 2) v = -v;
  return intersect(v, Interval(BoostInterval(-1.0, 1.0, true)));
}

// sin(x + shift pi/2) over an interval: the binary64 path when both ends
// lie within its range, else MPFI's f (sin or cos).
Interval sin_shifted(const Interval& x, int shift, int (*f)(mpfi_ptr, mpfi_srcptr)) {
  const double a = x.lower(), b = x.upper();
  const std::optional<Interval> at_a = fast_sin_shifted(a, shift);
  if (!at_a) return through_mpfi(f, x);
  if (a == b) return *at_a;
  const std::optional<Interval> at_b = fast_sin_shifted(b, shift);
  if (!at_b) return through_mpfi(f, x);
  // The range over [a, b] is the hull of the values at a and b and at the
  // critical points inside: y = n pi/2 with n + shift = 1 (value 1) or 3
  // (value -1) mod 4. Such a y in [a, b] has q_lo <= a / (pi/2) <= n <= b /
  // (pi/2) <= q_hi, so every n in [q_lo, q_hi] is tried (a superset is sound).
  const TrigConstants& c = trig_constants();
  const double q_lo = (Interval(a) / c.half_pi).lower();
  const double q_hi = (Interval(b) / c.half_pi).upper();
  if (q_hi - q_lo >= 4) return Interval(BoostInterval(-1.0, 1.0, true));
  Interval range = hull(*at_a, *at_b);
  // q_lo, q_hi lie within 2^20: the integers between are exact.
  for (double n = std::ceil(q_lo); n <= q_hi; ++n) {
    const std::int64_t residue = (static_cast<std::int64_t>(n) + shift) & 3;
    if (residue == 1) range = hull(range, Interval(1.0));
    if (residue == 3) range = hull(range, Interval(-1.0));
  }
  return range;
}

bool has_infinite_endpoint(const Interval& x) {
  return std::isinf(x.lower()) || std::isinf(x.upper());
}

}  // namespace

Interval::Interval(double v) : x_(v, v, true) {
  if (std::isnan(v)) throw std::invalid_argument("interval point is NaN");
  if (std::isinf(v)) throw std::invalid_argument("interval point is infinite");
}

Interval::Interval(double lo, double hi) : x_(lo, hi, true) {
  if (std::isnan(lo) || std::isnan(hi)) throw std::invalid_argument("interval endpoint is NaN");
  if (lo > hi) throw std::invalid_argument("interval lower endpoint exceeds upper endpoint");
  if (lo == kInf || hi == -kInf) throw std::invalid_argument("interval has no real point");
}

Interval Interval::empty() noexcept { return Interval(BoostInterval(kNaN, kNaN, true)); }
Interval Interval::entire() noexcept { return Interval(BoostInterval(-kInf, kInf, true)); }

Interval Interval::enclose(const Rational& q) {
  return Interval(BoostInterval(to_double_down(q), to_double_up(q), true));
}

Interval Interval::enclose(const Rational& lo, const Rational& hi) {
  if (lo > hi) throw std::invalid_argument("interval lower endpoint exceeds upper endpoint");
  return Interval(BoostInterval(to_double_down(lo), to_double_up(hi), true));
}

Interval Interval::from_decimal(std::string_view text) {
  const auto q = parse_decimal(text);
  if (!q) throw std::invalid_argument("not a decimal literal: " + std::string(text));
  return enclose(*q);
}

Interval Interval::pi() {
  MpfiScratch& s = scratch();
  mpfi_const_pi(s.out);
  return from_mpfi(s.out);
}

bool Interval::is_bounded() const noexcept {
  return !is_empty() && std::isfinite(lower()) && std::isfinite(upper());
}

bool Interval::contains(const Interval& y) const noexcept {
  if (y.is_empty()) return true;
  if (is_empty()) return false;
  return lower() <= y.lower() && y.upper() <= upper();
}

double Interval::width() const noexcept {
  if (is_empty()) return 0.0;
  return detail::sub_up(upper(), lower());
}

double Interval::midpoint() const noexcept {
  const double lo = lower(), hi = upper();
  if (lo == -kInf && hi == kInf) return 0.0;
  if (lo == -kInf) return hi > 0 ? -detail::kMaxFinite : (hi == 0 ? -1.0 : std::max(-detail::kMaxFinite, 2 * hi - 1));
  if (hi == kInf) return lo < 0 ? detail::kMaxFinite : (lo == 0 ? 1.0 : std::min(detail::kMaxFinite, 2 * lo + 1));
  const double m = lo / 2 + hi / 2;  // no overflow; within [lo, hi] after clamping
  return std::clamp(m, lo, hi);
}

double Interval::mag() const noexcept {
  if (is_empty()) return kNaN;
  return std::max(std::fabs(lower()), std::fabs(upper()));
}

double Interval::mig() const noexcept {
  if (is_empty()) return kNaN;
  if (contains_zero()) return 0.0;
  return std::min(std::fabs(lower()), std::fabs(upper()));
}

Interval operator/(const Interval& a, const Interval& b) { return Interval(a.x_ / b.x_); }

bool operator==(const Interval& a, const Interval& b) noexcept {
  if (a.is_empty() || b.is_empty()) return a.is_empty() && b.is_empty();
  return a.lower() == b.lower() && a.upper() == b.upper();
}

Interval hull(const Interval& a, const Interval& b) noexcept {
  if (a.is_empty()) return b;
  if (b.is_empty()) return a;
  return Interval(BoostInterval(std::min(a.lower(), b.lower()), std::max(a.upper(), b.upper()), true));
}

Interval intersect(const Interval& a, const Interval& b) noexcept {
  if (a.is_empty() || b.is_empty()) return Interval::empty();
  const double lo = std::max(a.lower(), b.lower());
  const double hi = std::min(a.upper(), b.upper());
  if (lo > hi) return Interval::empty();
  return Interval(BoostInterval(lo, hi, true));
}

Interval lower_endpoint(const Interval& x) {
  if (x.is_empty()) return x;
  return std::isinf(x.lower()) ? Interval(x.lower(), x.upper()) : Interval(x.lower());
}

Interval upper_endpoint(const Interval& x) {
  if (x.is_empty()) return x;
  return std::isinf(x.upper()) ? Interval(x.lower(), x.upper()) : Interval(x.upper());
}

Interval join_bounds(const Interval& a, const Interval& b) {
  if (a.is_empty() || b.is_empty()) return Interval::empty();
  return Interval(a.lower(), b.upper());
}

std::pair<Interval, Interval> bisect(const Interval& x) {
  const double m = x.midpoint();
  return {Interval(x.lower(), m), Interval(m, x.upper())};
}

Interval sqr(const Interval& x) { return Interval(boost::numeric::square(x.boost())); }

Interval sqrt(const Interval& x) { return Interval(boost::numeric::sqrt(x.boost())); }

Interval pow(const Interval& x, long n) {
  if (x.is_empty()) return x;
  if (n == 0) return Interval(1.0);
  if (n == 1) return x;
  if (n == 2) return sqr(x);
  if (n < 0) {
    // 1 / x^|n|; n = LONG_MIN cannot be negated, and then |x|^n is 0, 1 or inf.
    if (n == std::numeric_limits<long>::min()) return Interval(1.0) / pow(sqr(x), -(n / 2));
    return Interval(1.0) / pow(x, -n);
  }
  if (n > std::numeric_limits<int>::max()) {
    // Boost's pow takes an int exponent: x^n = (x^2)^(n/2) * x^(n%2).
    return (n % 2 == 0) ? pow(sqr(x), n / 2) : pow(sqr(x), n / 2) * x;
  }
  return Interval(boost::numeric::pow(x.boost(), static_cast<int>(n)));
}

Interval pow(const Interval& x, const Interval& y) {
  if (x.is_empty() || y.is_empty()) return Interval::empty();
  const Interval base = intersect(x, Interval(0.0, kInf));
  if (base.is_empty()) return base;
  if (base.upper() == 0) return y.upper() > 0 ? Interval(0.0) : Interval::empty();
  // log(base) has lower endpoint -inf when base reaches 0, and exp(-inf) = 0
  // gives 0^y = 0 for y > 0; with y reaching 0 the product is unbounded, which
  // is a valid (if wide) enclosure.
  return exp(y * log(base));
}

Interval exp(const Interval& x) {
  if (x.is_empty()) return x;
  // Each end on its own: beyond the binary64 path's range, the bounds that
  // underflow (exp(-746) < 2^-1074) and overflow (exp(710) > max) give,
  // and MPFI at the point in between.
  auto bound = [](double end, bool upper) {
    if (end <= -746.0) return upper ? std::numeric_limits<double>::denorm_min() : 0.0;
    if (end >= 710.0) return upper ? kInf : detail::kMaxFinite;
    if (const std::optional<double> b = fast_exp_bound(end, upper)) return *b;
    const Interval at = through_mpfi(mpfi_exp, Interval(end));
    return upper ? at.upper() : at.lower();
  };
  return Interval(BoostInterval(std::max(0.0, bound(x.lower(), false)), bound(x.upper(), true), true));
}

Interval log(const Interval& x) {
  const Interval d = intersect(x, Interval(0.0, kInf));
  if (d.is_empty() || d.upper() == 0) return Interval::empty();
  if (d.lower() == 0) {
    // log over [0, +inf] is entire (Interval(+inf) is not a valid point).
    if (d.upper() == kInf) return Interval::entire();
    const Interval right = through_mpfi(mpfi_log, Interval(d.upper()));
    return Interval(-kInf, right.upper());
  }
  return through_mpfi(mpfi_log, d);
}

Interval sin(const Interval& x) {
  if (x.is_empty()) return x;
  if (has_infinite_endpoint(x)) return Interval(-1.0, 1.0);
  return sin_shifted(x, 0, mpfi_sin);
}

Interval cos(const Interval& x) {
  if (x.is_empty()) return x;
  if (has_infinite_endpoint(x)) return Interval(-1.0, 1.0);
  return sin_shifted(x, 1, mpfi_cos);
}

Interval tan(const Interval& x) {
  if (x.is_empty()) return x;
  if (has_infinite_endpoint(x)) return Interval::entire();
  return through_mpfi(mpfi_tan, x);
}

Interval asin(const Interval& x) {
  const Interval d = intersect(x, Interval(-1.0, 1.0));
  if (d.is_empty()) return d;
  return through_mpfi(mpfi_asin, d);
}

Interval acos(const Interval& x) {
  const Interval d = intersect(x, Interval(-1.0, 1.0));
  if (d.is_empty()) return d;
  return through_mpfi(mpfi_acos, d);
}

Interval atan(const Interval& x) {
  if (x.is_empty()) return x;
  return through_mpfi(mpfi_atan, x);
}

Interval sinh(const Interval& x) {
  if (x.is_empty()) return x;
  return through_mpfi(mpfi_sinh, x);
}

Interval cosh(const Interval& x) {
  if (x.is_empty()) return x;
  return through_mpfi(mpfi_cosh, x);
}

Interval tanh(const Interval& x) {
  if (x.is_empty()) return x;
  return through_mpfi(mpfi_tanh, x);
}

Interval abs(const Interval& x) { return Interval(boost::numeric::abs(x.boost())); }

Interval min(const Interval& a, const Interval& b) {
  if (a.is_empty() || b.is_empty()) return Interval::empty();
  return Interval(boost::numeric::min(a.boost(), b.boost()));
}

Interval max(const Interval& a, const Interval& b) {
  if (a.is_empty() || b.is_empty()) return Interval::empty();
  return Interval(boost::numeric::max(a.boost(), b.boost()));
}

std::string to_string(const Interval& x) {
  if (x.is_empty()) return "[empty]";
  auto endpoint = [](double v, bool down) -> std::string {
    if (std::isinf(v)) return v < 0 ? "-oo" : "+oo";
    return down ? to_decimal_down(to_rational(v), 17) : to_decimal_up(to_rational(v), 17);
  };
  return "[" + endpoint(x.lower(), true) + ", " + endpoint(x.upper(), false) + "]";
}

std::ostream& operator<<(std::ostream& os, const Interval& x) { return os << to_string(x); }

}  // namespace cerval::numeric
