#include <cerval/numeric/interval.hpp>

#include <mpfi.h>
#include <mpfr.h>

#include <algorithm>
#include <cmath>
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
    mpfr_t down, up, head;
    mpfr_inits2(256, down, up, static_cast<mpfr_ptr>(nullptr));
    mpfr_init2(head, 32);
    auto enclosure = [&] {
      return Interval(BoostInterval(mpfr_get_d(down, MPFR_RNDD), mpfr_get_d(up, MPFR_RNDU), true));
    };
    for (int j = 0; j < 32; ++j) {
      mpfr_set_d(down, j / 32.0, MPFR_RNDN);  // exact
      mpfr_exp2(up, down, MPFR_RNDU);
      mpfr_exp2(down, down, MPFR_RNDD);
      two_pow_j32[j] = enclosure();
    }
    mpfr_const_log2(down, MPFR_RNDD);
    mpfr_const_log2(up, MPFR_RNDU);
    mpfr_div_2ui(down, down, 5, MPFR_RNDD);  // exact
    mpfr_div_2ui(up, up, 5, MPFR_RNDU);
    mpfr_set(head, down, MPFR_RNDN);
    ln2_32_head = mpfr_get_d(head, MPFR_RNDN);  // exact: 32 bits
    mpfr_sub(down, down, head, MPFR_RNDD);
    mpfr_sub(up, up, head, MPFR_RNDU);
    ln2_32_tail = enclosure();
    mpfr_set_ui(down, 1, MPFR_RNDN);
    for (unsigned long i = 0; i < 8; ++i) {
      if (i > 0) mpfr_div_ui(down, down, i, MPFR_RNDN);  // 256 bits: rounding to double below is to nearest
      taylor[i] = mpfr_get_d(down, MPFR_RNDN);
    }
    mpfr_clears(down, up, head, static_cast<mpfr_ptr>(nullptr));
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
  return through_mpfi(mpfi_sin, x);
}

Interval cos(const Interval& x) {
  if (x.is_empty()) return x;
  if (has_infinite_endpoint(x)) return Interval(-1.0, 1.0);
  return through_mpfi(mpfi_cos, x);
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
