#include <cerval/numeric/interval.hpp>

#include <mpfi.h>
#include <mpfr.h>

#include <algorithm>
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
  return through_mpfi(mpfi_exp, x);
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
