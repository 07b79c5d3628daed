#pragma once
// Directed rounding of the basic binary64 operations by error-free
// transformations.
//
// Guarantee: for finite or infinite doubles a, b, `add_down(a, b) <= a + b <=
// add_up(a, b)` in exact real arithmetic (likewise sub, mul, div, sqrt), with
// the bound at most one ulp away from the exact value, and this holds WHATEVER
// rounding mode the FPU is currently in. The computation never changes the
// rounding mode and never trusts it: the operation is done once in the current
// mode (any IEEE mode is a faithful rounding), then the exact error term is
// computed (it is representable for a faithful rounding; Boldo & Daumas,
// "Representable correcting terms for possibly underflowing floating point
// operations", ARITH 2003; for Fast2Sum under directed rounding, Boldo,
// Graillat & Muller, ACM TOMS 2017) and its sign says on which side of the
// exact value the computed result lies. Where the error term is not exactly
// representable (results in the subnormal range, overflow) the result is
// stepped outward by one ulp unconditionally, which is always safe.
//
// Conventions for interval endpoints: 0 * inf = 0 (an endpoint at infinity
// stands for unbounded real values; a zero factor makes them vanish); NaN
// input gives NaN (the caller treats NaN endpoints as the empty interval).
//
// Preconditions: compiled without FMA contraction and without fast-math
// (CMakeLists.txt sets -ffp-contract=off -fno-fast-math).
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

namespace cerval::numeric::detail {

inline constexpr double kInf = std::numeric_limits<double>::infinity();
inline constexpr double kMaxFinite = std::numeric_limits<double>::max();
// Below this magnitude a product or quotient may have lost bits to gradual
// underflow, so its error term is not guaranteed representable.
inline constexpr double kUnderflowGuard = 0x1p-960;

// The next double towards +inf / -inf (exact; no rounding involved): the
// neighbour in the order of binary64 encodings, as std::nextafter(x, +-inf)
// but inline (+-0 -> +-denorm_min, max -> inf, NaN and the infinity in the
// direction of the step unchanged).
inline double next_up(double x) noexcept {
  if (std::isnan(x) || x == kInf) return x;
  if (x == 0) return std::numeric_limits<double>::denorm_min();
  std::uint64_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  bits = x > 0 ? bits + 1 : bits - 1;
  std::memcpy(&x, &bits, sizeof bits);
  return x;
}
inline double next_down(double x) noexcept { return -next_up(-x); }

// Sign of the exact a + b - s for s = fl(a + b) in any faithful rounding:
// Fast2Sum with |big| >= |small|; z = s - big and small - z are exact.
inline double sum_error(double a, double b, double s) noexcept {
  const double big = std::fabs(a) >= std::fabs(b) ? a : b;
  const double small = std::fabs(a) >= std::fabs(b) ? b : a;
  const double z = s - big;
  return small - z;
}

// Common handling when the computed result s is not finite or at the edge of
// the finite range, where error terms may overflow. Returns true and sets
// `out` if it handled the case.
inline bool overflow_down(double s, double& out) noexcept {
  if (std::isnan(s)) { out = s; return true; }
  if (s == kInf) { out = kMaxFinite; return true; }        // exact value finite (inputs finite)
  if (s == -kInf || s == -kMaxFinite) { out = -kInf; return true; }
  if (s == kMaxFinite) { out = next_down(kMaxFinite); return true; }
  return false;
}
inline bool overflow_up(double s, double& out) noexcept {
  if (std::isnan(s)) { out = s; return true; }
  if (s == -kInf) { out = -kMaxFinite; return true; }
  if (s == kInf || s == kMaxFinite) { out = kInf; return true; }
  if (s == -kMaxFinite) { out = next_up(-kMaxFinite); return true; }
  return false;
}

// Outward step for a result in the underflow range whose exact value has a
// known sign: never crosses zero to the wrong side.
inline double tiny_down(double r, bool exact_positive) noexcept {
  const double d = next_down(r);
  return exact_positive && d < 0 ? 0.0 : d;
}
inline double tiny_up(double r, bool exact_positive) noexcept {
  const double u = next_up(r);
  return !exact_positive && u > 0 ? 0.0 : u;
}

inline double add_down(double a, double b) noexcept {
  const double s = a + b;
  if (!std::isfinite(a) || !std::isfinite(b)) return s;  // inf + finite is exact; inf - inf is NaN
  double r;
  if (overflow_down(s, r)) return r;
  return sum_error(a, b, s) < 0 ? next_down(s) : s;
}
inline double add_up(double a, double b) noexcept {
  const double s = a + b;
  if (!std::isfinite(a) || !std::isfinite(b)) return s;
  double r;
  if (overflow_up(s, r)) return r;
  return sum_error(a, b, s) > 0 ? next_up(s) : s;
}
inline double sub_down(double a, double b) noexcept { return add_down(a, -b); }
inline double sub_up(double a, double b) noexcept { return add_up(a, -b); }

inline double mul_down(double a, double b) noexcept {
  if (a == 0 || b == 0) return 0.0;  // includes 0 * inf := 0
  const double p = a * b;
  if (!std::isfinite(a) || !std::isfinite(b)) return p;
  double r;
  if (overflow_down(p, r)) return r;
  if (std::fabs(p) < kUnderflowGuard) return tiny_down(p, (a < 0) == (b < 0));
  const double e = std::fma(a, b, -p);  // exact: a*b - p is representable
  return e < 0 ? next_down(p) : p;
}
inline double mul_up(double a, double b) noexcept {
  if (a == 0 || b == 0) return 0.0;
  const double p = a * b;
  if (!std::isfinite(a) || !std::isfinite(b)) return p;
  double r;
  if (overflow_up(p, r)) return r;
  if (std::fabs(p) < kUnderflowGuard) return tiny_up(p, (a < 0) == (b < 0));
  const double e = std::fma(a, b, -p);
  return e > 0 ? next_up(p) : p;
}

// Precondition: b != 0 (interval division excludes zero divisors first).
inline double div_down(double a, double b) noexcept {
  if (a == 0) return 0.0;
  const double q = a / b;
  if (!std::isfinite(a) || !std::isfinite(b)) return q;  // inf/finite, finite/inf exact; inf/inf NaN
  double r;
  if (overflow_down(q, r)) return r;
  if (std::fabs(q) < kUnderflowGuard || std::fabs(a) < kUnderflowGuard)
    return tiny_down(q, (a < 0) == (b < 0));
  // a/b - q = rem/b with rem = a - q*b exact.
  const double rem = std::fma(-q, b, a);
  const bool exact_below_q = (rem < 0) != (b < 0) && rem != 0;
  return exact_below_q ? next_down(q) : q;
}
inline double div_up(double a, double b) noexcept {
  if (a == 0) return 0.0;
  const double q = a / b;
  if (!std::isfinite(a) || !std::isfinite(b)) return q;
  double r;
  if (overflow_up(q, r)) return r;
  if (std::fabs(q) < kUnderflowGuard || std::fabs(a) < kUnderflowGuard)
    return tiny_up(q, (a < 0) == (b < 0));
  const double rem = std::fma(-q, b, a);
  const bool exact_above_q = (rem > 0) == (b > 0) && rem != 0;
  return exact_above_q ? next_up(q) : q;
}

// Precondition: a >= 0.
inline double sqrt_down(double a) noexcept {
  if (a == 0 || a == kInf) return a;
  const double s = std::sqrt(a);
  if (a < kUnderflowGuard) return next_down(s) < 0 ? 0.0 : next_down(s);
  const double rem = std::fma(-s, s, a);  // a - s^2, exact
  return rem < 0 ? next_down(s) : s;
}
inline double sqrt_up(double a) noexcept {
  if (a == 0 || a == kInf) return a;
  const double s = std::sqrt(a);
  if (a < kUnderflowGuard) return next_up(s);
  const double rem = std::fma(-s, s, a);
  return rem > 0 ? next_up(s) : s;
}

}  // namespace cerval::numeric::detail
