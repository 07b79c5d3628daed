#pragma once
// MpInterval: a closed interval of reals whose endpoints are MPFR numbers of a
// run-time precision (in bits), an RAII wrapper around MPFI's `mpfi_t`.
//
// Contract (for every function in this header, as for Interval): the result
// contains f(x) for every real x in the input intervals at which f is
// defined; an empty result means no input point is in f's domain. Endpoints
// are rounded outward by MPFR/MPFI (correct directed rounding at the result
// precision); nothing goes through libm or the FPU rounding mode.
//
// Precision is explicit and never global state: every value carries its own
// precision; a unary function returns its argument's precision and a binary
// one max(prec(a), prec(b)). We wrap `mpfi_t` directly rather than
// Boost.Multiprecision's `mpfi_float` because Boost's variable-precision type
// keeps its current precision in thread-global state (the default precision
// used by every newly created value), which a verified evaluator must not
// depend on.
//
// Semantics match Interval exactly, so that one templated evaluator can use
// both (MPFI's own conventions differ and are adapted here):
//  - functions restrict their input to their domain: sqrt([-1, 4]) = [0, 2],
//    log([0, x]) has lower endpoint -inf, asin/acos clip to [-1, 1],
//    pow(x, y) uses x >= 0 only (0^y = 0 for y > 0);
//  - the empty interval propagates through every function;
//  - division by an interval holding zero returns the hull over the nonzero
//    divisors (entire when 0 is interior), by [0, 0] it returns empty, and
//    [0, 0] divided by anything nonempty except [0, 0] is [0, 0] (MPFI would
//    return entire for both, and NaN for [0, 0] / [0, 0]);
//  - tan over a pole is entire; sin and cos of an unbounded interval are
//    [-1, 1]; x^0 = 1.
//
// Representation: lower <= upper, endpoints may be infinite (lower is never
// +inf, upper never -inf), and the empty interval has NaN endpoints (MPFI
// treats left > right as empty, but its functions do not propagate that, so
// every function here tests for emptiness first). A user-built interval is
// always validated: MpInterval(2, 1, prec) throws. Precision must lie in
// [2, MPFR_PREC_MAX]; otherwise constructors throw std::invalid_argument.
//
// Thread safety: distinct objects may be used from distinct threads. MPFR's
// exponent range (thread-local state in MPFR) is read, never changed; an
// endpoint beyond it is rounded outward (to 0 or the largest MPFR number,
// or to +-inf), which keeps the enclosure valid.
#include <mpfi.h>
#include <mpfr.h>

#include <cerval/numeric/interval.hpp>
#include <cerval/numeric/rational.hpp>

#include <iosfwd>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace cerval::numeric {

class MpInterval;
namespace detail {
// Mutable access to the wrapped mpfi_t, for src/numeric/mp_interval.cpp only.
struct MpIntervalAccess;
}  // namespace detail

class MpInterval {
 public:
  // Smallest precision accepted (MPFR allows 1; 2 keeps every MPFI routine in
  // its tested range).
  static constexpr mpfr_prec_t kMinPrecision = 2;

  // [0, 0] at `prec` bits.
  explicit MpInterval(mpfr_prec_t prec);
  // A double is not a precision: MpInterval(1.0) would silently mean [0, 0]
  // at 1 bit. Build points with MpInterval(v, v, prec) or make_point.
  template <class T>
    requires std::is_floating_point_v<T>
  explicit MpInterval(T) = delete;
  // The smallest interval at `prec` bits containing [lo, hi] (exact when prec
  // >= 53). Throws std::invalid_argument when lo > hi, a NaN is given, or
  // lo = +inf / hi = -inf.
  MpInterval(double lo, double hi, mpfr_prec_t prec);
  // The smallest interval at `prec` bits containing [lo, hi] for MPFR
  // numbers of any precision; validated like the double constructor.
  MpInterval(mpfr_srcptr lo, mpfr_srcptr hi, mpfr_prec_t prec);
  // The smallest interval at `prec` bits containing x (empty stays empty).
  MpInterval(const Interval& x, mpfr_prec_t prec);

  // The tightest enclosure of the exact rational q, or of [lo, hi] (throws
  // std::invalid_argument when lo > hi).
  static MpInterval enclose(const Rational& q, mpfr_prec_t prec);
  static MpInterval enclose(const Rational& lo, const Rational& hi, mpfr_prec_t prec);
  // The tightest enclosure of a decimal literal (exact: "0.1" is 1/10).
  // Throws std::invalid_argument when `text` is not a decimal literal.
  static MpInterval from_decimal(std::string_view text, mpfr_prec_t prec);
  static MpInterval pi(mpfr_prec_t prec);
  static MpInterval empty(mpfr_prec_t prec);
  static MpInterval entire(mpfr_prec_t prec);

  MpInterval(const MpInterval& other);
  // The moved-from object may only be destroyed or assigned to.
  MpInterval(MpInterval&& other) noexcept;
  // Assignment takes the precision of the source (value semantics).
  MpInterval& operator=(const MpInterval& other);
  MpInterval& operator=(MpInterval&& other) noexcept;
  ~MpInterval();

  mpfr_prec_t precision() const noexcept { return mpfi_get_prec(v_); }

  bool is_empty() const noexcept;
  bool is_point() const noexcept;
  bool is_bounded() const noexcept;
  // Exact membership tests (false for empty and for NaN).
  bool contains(const Rational& q) const;
  bool contains(double v) const noexcept;
  bool contains(const MpInterval& y) const noexcept;  // y is a subset (empty is a subset of all)
  bool contains_zero() const noexcept { return contains(0.0); }
  // Certain comparisons: true only if the relation holds for every point
  // (false for empty and for NaN c).
  bool certainly_ge(double c) const noexcept;
  bool certainly_gt(double c) const noexcept;
  bool certainly_le(double c) const noexcept;
  bool certainly_lt(double c) const noexcept;

  // The endpoints rounded outward to binary64 (NaN for empty).
  double lower_down() const noexcept;
  double upper_up() const noexcept;
  // The tightest binary64 interval containing this one.
  Interval to_interval() const;
  // The exact endpoints. Throw std::domain_error for an empty interval or an
  // infinite endpoint.
  Rational lower_rational() const;
  Rational upper_rational() const;
  // Exact (lower + upper) / 2. Throws std::domain_error unless bounded and
  // nonempty.
  Rational midpoint_rational() const;
  // upper - lower rounded up to binary64 (+inf for unbounded; 0 for empty).
  double width() const noexcept;

  // Read-only access to the MPFI value and its endpoints (NaN for empty).
  mpfi_srcptr get() const noexcept { return v_; }
  mpfr_srcptr lower_mpfr() const noexcept { return &v_->left; }
  mpfr_srcptr upper_mpfr() const noexcept { return &v_->right; }

  MpInterval& operator+=(const MpInterval& y);
  MpInterval& operator-=(const MpInterval& y);
  MpInterval& operator*=(const MpInterval& y);
  MpInterval& operator/=(const MpInterval& y);

  // Exact equality of the endpoint pairs, whatever the precisions (two
  // empties are equal).
  friend bool operator==(const MpInterval& a, const MpInterval& b) noexcept;

 private:
  friend struct detail::MpIntervalAccess;

  mpfi_t v_;
};

MpInterval operator+(const MpInterval& a, const MpInterval& b);
MpInterval operator-(const MpInterval& a, const MpInterval& b);
MpInterval operator*(const MpInterval& a, const MpInterval& b);
// Division by an interval holding zero returns the hull of the result over
// the nonzero divisors (possibly entire); by [0, 0] it returns empty.
MpInterval operator/(const MpInterval& a, const MpInterval& b);
MpInterval operator-(const MpInterval& a);

// Set operations (precision max of the two; endpoints rounded outward when a
// source endpoint does not fit the result precision).
MpInterval hull(const MpInterval& a, const MpInterval& b);
MpInterval intersect(const MpInterval& a, const MpInterval& b);
// Splits a bounded nonempty interval at a point m near its center into
// [lower, m] and [m, upper] (m exactly representable at the precision).
std::pair<MpInterval, MpInterval> bisect(const MpInterval& x);

// Generic-code helpers, as for Interval (interval.hpp): the endpoints as
// degenerate intervals, [a.lower, b.upper], a point and the entire line at
// the precision of `like`.
MpInterval lower_endpoint(const MpInterval& x);
MpInterval upper_endpoint(const MpInterval& x);
MpInterval join_bounds(const MpInterval& a, const MpInterval& b);
MpInterval make_point(const MpInterval& like, double v);
MpInterval entire_like(const MpInterval& like);

MpInterval sqr(const MpInterval& x);
MpInterval sqrt(const MpInterval& x);
// x^n for an integer n (x^0 = 1; negative n through division).
MpInterval pow(const MpInterval& x, long n);
// x^y = exp(y log x) on x > 0; where y > 0 also at x = 0 (0^y = 0).
MpInterval pow(const MpInterval& x, const MpInterval& y);
MpInterval exp(const MpInterval& x);
MpInterval log(const MpInterval& x);
MpInterval sin(const MpInterval& x);
MpInterval cos(const MpInterval& x);
MpInterval tan(const MpInterval& x);
MpInterval asin(const MpInterval& x);
MpInterval acos(const MpInterval& x);
MpInterval atan(const MpInterval& x);
MpInterval sinh(const MpInterval& x);
MpInterval cosh(const MpInterval& x);
MpInterval tanh(const MpInterval& x);
MpInterval abs(const MpInterval& x);
MpInterval min(const MpInterval& a, const MpInterval& b);
MpInterval max(const MpInterval& a, const MpInterval& b);

// "[lo, hi]" in decimal rounded outward, with enough significant digits to
// show the width (at most what the precision carries); "[empty]" for empty.
std::string to_string(const MpInterval& x);
std::ostream& operator<<(std::ostream& os, const MpInterval& x);

}  // namespace cerval::numeric
