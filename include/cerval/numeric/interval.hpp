#pragma once
// Interval: a closed interval of reals with binary64 endpoints.
//
// Contract (for every function in this header): the result contains f(x) for
// every real x in the input intervals at which f is defined; an empty result
// means no input point is in f's domain. Basic arithmetic is Boost.Interval
// driven by cerval's own rounding policy (detail/directed_rounding.hpp), which
// is correct under any FPU rounding mode and never changes it.
// Transcendental functions are enclosed with MPFI/MPFR (correct directed
// rounding at 53 bits), except exp (|x| <= 700), sin and cos (|x| <= 2^20),
// which are evaluated in binary64 interval arithmetic from constants
// enclosed once through MPFR (a few ulps wide); never with libm. Domains
// are not checked here: functions restrict their input to the domain
// (sqrt([-1, 4]) = [0, 2]); the expression evaluator (expr/decoration.hpp)
// reports where a function is not defined on the whole input, in the
// manner of IEEE 1788 decorations.
//
// Representation: lower <= upper, endpoints may be infinite (an unbounded
// interval), and the empty interval has NaN endpoints. A user-built interval
// is always validated: Interval(2, 1) throws, it never becomes empty silently.
#include <boost/numeric/interval.hpp>

#include <cerval/numeric/detail/directed_rounding.hpp>
#include <cerval/numeric/rational.hpp>

#include <iosfwd>
#include <string>

namespace cerval::numeric {

namespace detail {

// Boost.Interval rounding policy backed by the error-free directed operations.
struct EftRounding {
  double add_down(double a, double b) { return detail::add_down(a, b); }
  double add_up(double a, double b) { return detail::add_up(a, b); }
  double sub_down(double a, double b) { return detail::sub_down(a, b); }
  double sub_up(double a, double b) { return detail::sub_up(a, b); }
  double mul_down(double a, double b) { return detail::mul_down(a, b); }
  double mul_up(double a, double b) { return detail::mul_up(a, b); }
  double div_down(double a, double b) { return detail::div_down(a, b); }
  double div_up(double a, double b) { return detail::div_up(a, b); }
  double sqrt_down(double a) { return detail::sqrt_down(a); }
  double sqrt_up(double a) { return detail::sqrt_up(a); }
  double median(double a, double b) { return a / 2 + b / 2; }
  double int_down(double a) { return std::floor(a); }
  double int_up(double a) { return std::ceil(a); }
  template <class U> double conv_down(const U& v) { return static_cast<double>(v); }
  template <class U> double conv_up(const U& v) { return static_cast<double>(v); }
  double force_rounding(double x) { return x; }
  void init() {}
  // Boost's rounded_transc interface is deliberately absent: transcendental
  // functions go through MPFI or cerval's own binary64 enclosures
  // (interval.cpp), never Boost's libm wrappers.
};

using BoostPolicies = boost::numeric::interval_lib::policies<
    EftRounding, boost::numeric::interval_lib::checking_base<double>>;
using BoostInterval = boost::numeric::interval<double, BoostPolicies>;

}  // namespace detail

class Interval {
 public:
  // [0, 0].
  Interval() noexcept : x_(0.0, 0.0, true) {}
  // The degenerate interval [v, v]: v is taken as the exact real it encodes.
  // Throws std::invalid_argument for NaN.
  explicit Interval(double v);
  // [lo, hi]. Throws std::invalid_argument when lo > hi, a NaN is given, or
  // lo = +inf / hi = -inf.
  Interval(double lo, double hi);

  static Interval empty() noexcept;
  static Interval entire() noexcept;
  // The tightest binary64 interval containing the exact rational q / [lo, hi].
  static Interval enclose(const Rational& q);
  static Interval enclose(const Rational& lo, const Rational& hi);
  // The tightest enclosure of a decimal literal (exact: "0.1" is 1/10).
  // Throws std::invalid_argument when `text` is not a decimal literal.
  static Interval from_decimal(std::string_view text);
  // An enclosure of pi.
  static Interval pi();

  double lower() const noexcept { return x_.lower(); }
  double upper() const noexcept { return x_.upper(); }
  bool is_empty() const noexcept { return !(x_.lower() <= x_.upper()); }
  bool is_point() const noexcept { return x_.lower() == x_.upper(); }
  bool is_bounded() const noexcept;
  bool contains(double v) const noexcept { return x_.lower() <= v && v <= x_.upper(); }
  bool contains(const Interval& y) const noexcept;  // y is a subset (empty is a subset of all)
  bool contains_zero() const noexcept { return contains(0.0); }
  // Width rounded up (+inf for unbounded; 0 for empty).
  double width() const noexcept;
  // A double inside the interval near its center (0 for entire, a finite
  // double for half-unbounded intervals). Precondition: not empty.
  double midpoint() const noexcept;
  // max |x| over the interval (rounded up, exact here) and min |x|.
  double mag() const noexcept;
  double mig() const noexcept;
  // Certain comparisons: true only if the relation holds for every point.
  bool certainly_ge(double c) const noexcept { return !is_empty() && lower() >= c; }
  bool certainly_gt(double c) const noexcept { return !is_empty() && lower() > c; }
  bool certainly_le(double c) const noexcept { return !is_empty() && upper() <= c; }
  bool certainly_lt(double c) const noexcept { return !is_empty() && upper() < c; }

  Interval& operator+=(const Interval& y) { x_ += y.x_; return *this; }
  Interval& operator-=(const Interval& y) { x_ -= y.x_; return *this; }
  Interval& operator*=(const Interval& y) { x_ *= y.x_; return *this; }
  Interval& operator/=(const Interval& y) { x_ = (*this / y).x_; return *this; }

  friend Interval operator+(const Interval& a, const Interval& b) { return Interval(a.x_ + b.x_); }
  friend Interval operator-(const Interval& a, const Interval& b) { return Interval(a.x_ - b.x_); }
  friend Interval operator*(const Interval& a, const Interval& b) { return Interval(a.x_ * b.x_); }
  // Division by an interval holding zero returns the hull of the result over
  // the nonzero divisors (possibly entire); by [0, 0] it returns empty.
  friend Interval operator/(const Interval& a, const Interval& b);
  friend Interval operator-(const Interval& a) { return Interval(-a.x_); }

  // Exact equality of the endpoint pairs (two empties are equal).
  friend bool operator==(const Interval& a, const Interval& b) noexcept;

  const detail::BoostInterval& boost() const noexcept { return x_; }
  explicit Interval(const detail::BoostInterval& x) noexcept : x_(x) {}

 private:
  detail::BoostInterval x_;
};

Interval hull(const Interval& a, const Interval& b) noexcept;
Interval intersect(const Interval& a, const Interval& b) noexcept;
// [x.lower, x.lower] and [x.upper, x.upper] (for finite endpoints; an infinite
// endpoint gives the unbounded interval on that side).
Interval lower_endpoint(const Interval& x);
Interval upper_endpoint(const Interval& x);
// [a.lower, b.upper]: joins a lower bound taken from a and an upper bound from
// b. Precondition: a.lower <= b.upper.
Interval join_bounds(const Interval& a, const Interval& b);
// The point v as an interval of the same kind as `like` (same precision for
// MpInterval); generic code builds its constants with this.
inline Interval make_point(const Interval& /*like*/, double v) { return Interval(v); }
// The entire real line as an interval of the same kind as `like`.
inline Interval entire_like(const Interval& /*like*/) { return Interval::entire(); }
// Splits at the midpoint into two halves that share it.
std::pair<Interval, Interval> bisect(const Interval& x);

Interval sqr(const Interval& x);
Interval sqrt(const Interval& x);
// x^n for an integer n (x^0 = 1; negative n through division).
Interval pow(const Interval& x, long n);
// x^y = exp(y log x) on x > 0; where y > 0 also at x = 0 (0^y = 0).
Interval pow(const Interval& x, const Interval& y);
Interval exp(const Interval& x);
Interval log(const Interval& x);
Interval sin(const Interval& x);
Interval cos(const Interval& x);
Interval tan(const Interval& x);
Interval asin(const Interval& x);
Interval acos(const Interval& x);
Interval atan(const Interval& x);
Interval sinh(const Interval& x);
Interval cosh(const Interval& x);
Interval tanh(const Interval& x);
Interval abs(const Interval& x);
Interval min(const Interval& a, const Interval& b);
Interval max(const Interval& a, const Interval& b);

// "[lo, hi]" with 17 significant digits, rounded outward.
std::string to_string(const Interval& x);
std::ostream& operator<<(std::ostream& os, const Interval& x);

}  // namespace cerval::numeric
