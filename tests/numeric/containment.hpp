#pragma once
// Shared helpers for the numeric tests: a seeded generator, MPFR values with
// RAII, the FPU rounding-mode guard, and an Arb-style containment harness
// that works for Interval and MpInterval alike: random input intervals of
// many shapes (tiny, wide, huge, negative, straddling zero, unbounded, near a
// function's special points), random exact points inside them, the function
// evaluated at the point with MPFR at a higher precision, and the enclosure
// required to contain that value (compared exactly, mpfr_cmp against the
// endpoints). Never a tolerance.
//
// Environment:
//   CERVAL_TEST_ITERATIONS  multiplies every iteration count (default 1,
//                           which keeps the numeric suite to a few seconds);
//   CERVAL_TEST_SEED        replaces the fixed base seed (printed on failure).
#include <catch2/catch.hpp>

#include <cerval/numeric/interval.hpp>
#include <cerval/numeric/mp_interval.hpp>
#include <cerval/numeric/rational.hpp>

#include <mpfr.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cfenv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <random>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace cerval::test {

using numeric::Interval;
using numeric::MpInterval;
using numeric::Rational;

inline constexpr double kInf = std::numeric_limits<double>::infinity();
inline constexpr double kMax = std::numeric_limits<double>::max();
inline constexpr double kMinNormal = std::numeric_limits<double>::min();
inline constexpr double kMinSub = std::numeric_limits<double>::denorm_min();

// ---------------------------------------------------------------------------
// Iterations and seeds

inline double iteration_factor() {
  static const double factor = [] {
    const char* s = std::getenv("CERVAL_TEST_ITERATIONS");
    if (s == nullptr) return 1.0;
    char* end = nullptr;
    const double f = std::strtod(s, &end);
    return (end != s && f > 0 && std::isfinite(f)) ? f : 1.0;
  }();
  return factor;
}

inline int iterations(int base) { return std::max(1, static_cast<int>(base * iteration_factor())); }

inline std::uint64_t base_seed() {
  static const std::uint64_t seed = [] {
    const char* s = std::getenv("CERVAL_TEST_SEED");
    return s != nullptr ? std::strtoull(s, nullptr, 10) : std::uint64_t{20261128};
  }();
  return seed;
}

// A generator seeded from the base seed and a tag (the test's name), so each
// test's inputs do not depend on which other tests ran before it.
class Rng {
 public:
  explicit Rng(std::string_view tag) : seed_(base_seed() ^ fnv1a(tag)), gen_(seed_) {}

  std::uint64_t seed() const noexcept { return seed_; }
  std::mt19937_64& engine() noexcept { return gen_; }
  std::uint64_t bits() { return gen_(); }
  // Uniform in [0, 1): an integer below 2^53 times 2^-53, exact in any
  // rounding mode.
  double unit() { return static_cast<double>(bits() >> 11) * 0x1p-53; }
  long integer(long lo, long hi) { return std::uniform_int_distribution<long>(lo, hi)(gen_); }
  bool chance(double p) { return unit() < p; }
  double sign() { return chance(0.5) ? -1.0 : 1.0; }
  // 2^u with u uniform between log2(lo) and log2(hi) (lo, hi > 0); clamped
  // so that libm's rounding (any FPU mode) cannot leave [lo, hi].
  double log_uniform(double lo, double hi) {
    const double a = std::log2(lo), b = std::log2(hi);
    return std::clamp(std::exp2(a + (b - a) * unit()), lo, hi);
  }
  template <class T>
  const T& pick(const std::vector<T>& v) {
    return v[static_cast<std::size_t>(integer(0, static_cast<long>(v.size()) - 1))];
  }

 private:
  static std::uint64_t fnv1a(std::string_view s) {
    std::uint64_t h = 1469598103934665603ull;
    for (char c : s) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    return h;
  }
  std::uint64_t seed_;
  std::mt19937_64 gen_;
};

// Doubles in increasing order map to increasing integers (both zeros to 0).
inline std::int64_t order_key(double x) {
  const auto b = std::bit_cast<std::int64_t>(x);
  return b >= 0 ? b : -(b & std::numeric_limits<std::int64_t>::max());
}
inline double from_order_key(std::int64_t k) {
  return k >= 0 ? std::bit_cast<double>(k) : -std::bit_cast<double>(-k);
}

// A random double in [lo, hi] (finite, lo <= hi): an endpoint, a neighbour
// of one, uniform over the reals, or uniform over the doubles (which spreads
// over all magnitudes in between).
inline double random_double_in(Rng& rng, double lo, double hi) {
  double x = lo;
  switch (rng.integer(0, 5)) {
    case 0: x = lo; break;
    case 1: x = hi; break;
    case 2: x = std::nextafter(lo, kInf); break;
    case 3: x = std::nextafter(hi, -kInf); break;
    case 4: {
      const double u = rng.unit();
      x = lo * (1 - u) + hi * u;
      break;
    }
    default: x = from_order_key(std::uniform_int_distribution<std::int64_t>(order_key(lo), order_key(hi))(rng.engine()));
  }
  return std::clamp(x, lo, hi);
}

// ---------------------------------------------------------------------------
// MPFR helpers

class Mpfr {
 public:
  explicit Mpfr(mpfr_prec_t prec) {
    mpfr_init2(v_, prec);
    mpfr_set_zero(v_, 1);
  }
  Mpfr(mpfr_prec_t prec, double d) : Mpfr(prec) { mpfr_set_d(v_, d, MPFR_RNDN); }
  ~Mpfr() { mpfr_clear(v_); }
  Mpfr(const Mpfr&) = delete;
  Mpfr& operator=(const Mpfr&) = delete;
  mpfr_ptr get() noexcept { return v_; }
  mpfr_srcptr get() const noexcept { return v_; }
  operator mpfr_ptr() noexcept { return v_; }
  operator mpfr_srcptr() const noexcept { return v_; }

 private:
  mpfr_t v_;
};

inline std::string str(mpfr_srcptr x) {
  char* s = nullptr;
  mpfr_asprintf(&s, "%.30Rg (%Ra)", x, x);
  std::string r(s);
  mpfr_free_str(s);
  return r;
}

inline std::string hex(double d) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%a", d);
  return buf;
}

// Exact rational value of a finite MPFR number.
inline Rational to_rational(mpfr_srcptr x) {
  Rational r;
  if (mpfr_zero_p(x)) return r;
  numeric::Integer m;
  const mpfr_exp_t e = mpfr_get_z_2exp(m.backend().data(), x);
  mpq_set_z(r.backend().data(), m.backend().data());
  if (e >= 0)
    mpq_mul_2exp(r.backend().data(), r.backend().data(), static_cast<mp_bitcnt_t>(e));
  else
    mpq_div_2exp(r.backend().data(), r.backend().data(), static_cast<mp_bitcnt_t>(-e));
  return r;
}

// ---------------------------------------------------------------------------
// FPU rounding modes

class RoundingModeGuard {
 public:
  explicit RoundingModeGuard(int mode) : saved_(std::fegetround()) { REQUIRE(std::fesetround(mode) == 0); }
  ~RoundingModeGuard() { std::fesetround(saved_); }
  RoundingModeGuard(const RoundingModeGuard&) = delete;
  RoundingModeGuard& operator=(const RoundingModeGuard&) = delete;

 private:
  int saved_;
};

struct RoundingMode {
  int mode;
  const char* name;
};
inline constexpr std::array<RoundingMode, 4> kRoundingModes = {{{FE_TONEAREST, "FE_TONEAREST"},
                                                               {FE_UPWARD, "FE_UPWARD"},
                                                               {FE_DOWNWARD, "FE_DOWNWARD"},
                                                               {FE_TOWARDZERO, "FE_TOWARDZERO"}}};

// ---------------------------------------------------------------------------
// Uniform access to Interval and MpInterval

template <class I>
struct Traits;

template <>
struct Traits<Interval> {
  static Interval make(double lo, double hi, mpfr_prec_t) { return Interval(lo, hi); }
  static Interval make(mpfr_srcptr lo, mpfr_srcptr hi, mpfr_prec_t) {
    return Interval(mpfr_get_d(lo, MPFR_RNDD), mpfr_get_d(hi, MPFR_RNDU));
  }
  static Interval empty(mpfr_prec_t) { return Interval::empty(); }
  static Interval entire(mpfr_prec_t) { return Interval::entire(); }
  static Interval pi(mpfr_prec_t) { return Interval::pi(); }
  static Interval from_decimal(std::string_view s, mpfr_prec_t) { return Interval::from_decimal(s); }
  static double lower(const Interval& x) { return x.lower(); }
  static double upper(const Interval& x) { return x.upper(); }
  static bool encloses(const Interval& r, mpfr_srcptr v) {
    return !r.is_empty() && mpfr_cmp_d(v, r.lower()) >= 0 && mpfr_cmp_d(v, r.upper()) <= 0;
  }
  static bool contains(const Interval& r, const Rational& q) {
    if (r.is_empty()) return false;
    const bool lo_ok = r.lower() == -kInf || numeric::to_rational(r.lower()) <= q;
    const bool hi_ok = r.upper() == kInf || q <= numeric::to_rational(r.upper());
    return lo_ok && hi_ok;
  }
  static std::string describe(const Interval& r) {
    return r.is_empty() ? "[empty]" : "[" + hex(r.lower()) + ", " + hex(r.upper()) + "]";
  }
};

template <>
struct Traits<MpInterval> {
  static MpInterval make(double lo, double hi, mpfr_prec_t p) { return MpInterval(lo, hi, p); }
  static MpInterval make(mpfr_srcptr lo, mpfr_srcptr hi, mpfr_prec_t p) { return MpInterval(lo, hi, p); }
  static MpInterval empty(mpfr_prec_t p) { return MpInterval::empty(p); }
  static MpInterval entire(mpfr_prec_t p) { return MpInterval::entire(p); }
  static MpInterval pi(mpfr_prec_t p) { return MpInterval::pi(p); }
  static MpInterval from_decimal(std::string_view s, mpfr_prec_t p) { return MpInterval::from_decimal(s, p); }
  static double lower(const MpInterval& x) { return x.lower_down(); }
  static double upper(const MpInterval& x) { return x.upper_up(); }
  static bool encloses(const MpInterval& r, mpfr_srcptr v) {
    return !r.is_empty() && mpfr_cmp(r.lower_mpfr(), v) <= 0 && mpfr_cmp(v, r.upper_mpfr()) <= 0;
  }
  static bool contains(const MpInterval& r, const Rational& q) { return r.contains(q); }
  static std::string describe(const MpInterval& r) {
    return r.is_empty() ? "[empty]" : "[" + str(r.lower_mpfr()) + ", " + str(r.upper_mpfr()) + "]";
  }
};

// ---------------------------------------------------------------------------
// Random input intervals and points

enum class Shape { Point, Tiny, Moderate, Wide, Huge, Negative, Straddle, Special, Unbounded };

inline const char* shape_name(Shape s) {
  switch (s) {
    case Shape::Point: return "point";
    case Shape::Tiny: return "tiny";
    case Shape::Moderate: return "moderate";
    case Shape::Wide: return "wide";
    case Shape::Huge: return "huge";
    case Shape::Negative: return "negative";
    case Shape::Straddle: return "straddle";
    case Shape::Special: return "special";
    case Shape::Unbounded: return "unbounded";
  }
  return "?";
}

// Random endpoints lo <= hi at precision `prec` (the mpfr values must have
// that precision). `specials` are points where the function under test is
// delicate (poles, domain ends, overflow thresholds); Special boxes lie
// around them, from a few ulps to width 1.
inline Shape random_box(Rng& rng, const std::vector<double>& specials, mpfr_ptr lo, mpfr_ptr hi) {
  const mpfr_prec_t prec = mpfr_get_prec(lo);
  static const std::vector<Shape> plain = {Shape::Point,    Shape::Tiny,     Shape::Moderate,
                                           Shape::Wide,     Shape::Huge,     Shape::Negative,
                                           Shape::Straddle, Shape::Unbounded};
  Shape shape = plain[static_cast<std::size_t>(rng.integer(0, static_cast<long>(plain.size()) - 1))];
  if (!specials.empty() && rng.chance(0.4)) shape = Shape::Special;

  double a = 0, b = 0;
  bool perturb = true;
  switch (shape) {
    case Shape::Point:
    case Shape::Tiny: {
      const double c = rng.chance(0.2) && !specials.empty() ? rng.pick(specials) : rng.sign() * rng.log_uniform(1e-6, 1e6);
      mpfr_set_d(lo, c, MPFR_RNDN);
      if (prec > 53) {  // a point with more bits than a double
        Mpfr d(prec);
        mpfr_set_d(d, rng.unit(), MPFR_RNDN);
        mpfr_mul_d(d, d, std::fabs(c) * 0x1p-54, MPFR_RNDN);
        mpfr_add(lo, lo, d, MPFR_RNDN);
      }
      mpfr_set(hi, lo, MPFR_RNDN);
      if (shape == Shape::Tiny) {  // a few ulps up to 2^20 ulps wide
        Mpfr w(prec);
        mpfr_mul_2si(w, lo, -static_cast<long>(prec) + rng.integer(0, 20), MPFR_RNDU);
        mpfr_abs(w, w, MPFR_RNDU);
        mpfr_add(hi, hi, w, MPFR_RNDU);
      }
      return shape;
    }
    case Shape::Moderate:
      a = -10 + 20 * rng.unit();
      b = -10 + 20 * rng.unit();
      break;
    case Shape::Wide:
      a = rng.sign() * rng.log_uniform(1e-3, 1e15);
      b = rng.sign() * rng.log_uniform(1e-3, 1e15);
      break;
    case Shape::Huge:
      a = rng.sign() * rng.log_uniform(1e100, 1e300);
      b = rng.chance(0.5) ? rng.sign() * rng.log_uniform(1e100, 1e300) : rng.sign() * rng.log_uniform(1e-300, 1);
      break;
    case Shape::Negative:
      a = -rng.log_uniform(1e-8, 1e8);
      b = -rng.log_uniform(1e-8, 1e8);
      break;
    case Shape::Straddle:
      a = rng.chance(0.2) ? 0.0 : -rng.log_uniform(1e-12, 1e6);
      b = rng.chance(0.2) && a != 0 ? 0.0 : rng.log_uniform(1e-12, 1e6);
      break;
    case Shape::Special: {
      const double c = rng.pick(specials);
      // Half-widths from 2^-(prec+4) to 1 times max(|c|, 1), each side
      // sometimes zero (the box touches c).
      const double scale = std::max(std::fabs(c), 1.0);
      const double wl = rng.chance(0.3) ? 0.0 : scale * std::exp2(-(2 + (static_cast<double>(prec) + 2) * rng.unit()));
      const double wr = rng.chance(0.3) ? 0.0 : scale * std::exp2(-(2 + (static_cast<double>(prec) + 2) * rng.unit()));
      mpfr_set_d(lo, c, MPFR_RNDN);
      mpfr_set_d(hi, c, MPFR_RNDN);
      mpfr_sub_d(lo, lo, wl, MPFR_RNDD);
      mpfr_add_d(hi, hi, wr, MPFR_RNDU);
      return shape;
    }
    case Shape::Unbounded: {
      const double x = rng.chance(0.5) ? -10 + 20 * rng.unit() : rng.sign() * rng.log_uniform(1e-3, 1e300);
      switch (rng.integer(0, 2)) {
        case 0: a = -kInf; b = x; break;
        case 1: a = x; b = kInf; break;
        default: a = -kInf; b = kInf;
      }
      perturb = false;
      break;
    }
  }
  if (a > b) std::swap(a, b);
  mpfr_set_d(lo, a, MPFR_RNDD);
  mpfr_set_d(hi, b, MPFR_RNDU);
  if (perturb && prec > 53) {  // endpoints with more bits than a double, outward
    Mpfr d(prec);
    if (mpfr_number_p(lo)) {
      mpfr_set_d(d, rng.unit() * std::fabs(a) * 0x1p-54, MPFR_RNDU);
      mpfr_sub(lo, lo, d, MPFR_RNDD);
    }
    if (mpfr_number_p(hi)) {
      mpfr_set_d(d, rng.unit() * std::fabs(b) * 0x1p-54, MPFR_RNDU);
      mpfr_add(hi, hi, d, MPFR_RNDU);
    }
  }
  return shape;
}

// A random exact point of [lo, hi] at the precision of `out`: an endpoint, a
// few ulps inside one, uniform over the reals, or uniform over the doubles of
// the interval. Infinite endpoints are replaced by +-DBL_MAX.
inline void random_point(Rng& rng, mpfr_srcptr lo, mpfr_srcptr hi, mpfr_ptr out) {
  const mpfr_prec_t prec = mpfr_get_prec(out);
  Mpfr flo(prec), fhi(prec);
  if (mpfr_inf_p(lo)) {
    mpfr_set_d(flo, -kMax, MPFR_RNDN);
    mpfr_min(flo, flo, hi, MPFR_RNDD);
  } else {
    mpfr_set(flo, lo, MPFR_RNDU);  // lo has at most prec bits in the harness
  }
  if (mpfr_inf_p(hi)) {
    mpfr_set_d(fhi, kMax, MPFR_RNDN);
    mpfr_max(fhi, fhi, flo, MPFR_RNDU);
  } else {
    mpfr_set(fhi, hi, MPFR_RNDD);
  }
  switch (rng.integer(0, 5)) {
    case 0: mpfr_set(out, flo, MPFR_RNDN); break;
    case 1: mpfr_set(out, fhi, MPFR_RNDN); break;
    case 2:
      mpfr_set(out, flo, MPFR_RNDN);
      for (long k = rng.integer(1, 3); k > 0; --k) mpfr_nextabove(out);
      break;
    case 3:
      mpfr_set(out, fhi, MPFR_RNDN);
      for (long k = rng.integer(1, 3); k > 0; --k) mpfr_nextbelow(out);
      break;
    case 4: {  // flo + (fhi - flo) * u
      Mpfr t(prec + 64), u(prec + 64);
      mpfr_sub(t, fhi, flo, MPFR_RNDN);
      mpfr_set_d(u, rng.unit(), MPFR_RNDN);
      if (prec > 53) {  // more random bits than a double holds
        Mpfr low(prec + 64);
        mpfr_set_d(low, rng.unit() * 0x1p-53, MPFR_RNDN);
        mpfr_add(u, u, low, MPFR_RNDN);
      }
      mpfr_mul(t, t, u, MPFR_RNDN);
      mpfr_add(t, t, flo, MPFR_RNDN);
      mpfr_set(out, t, MPFR_RNDN);
      break;
    }
    default: {
      const double dlo = mpfr_get_d(flo, MPFR_RNDU), dhi = mpfr_get_d(fhi, MPFR_RNDD);
      if (dlo <= dhi) {
        const std::int64_t k =
            std::uniform_int_distribution<std::int64_t>(order_key(dlo), order_key(dhi))(rng.engine());
        mpfr_set_d(out, from_order_key(k), MPFR_RNDN);
      } else {
        mpfr_set(out, flo, MPFR_RNDN);
      }
    }
  }
  mpfr_max(out, out, flo, MPFR_RNDN);
  mpfr_min(out, out, fhi, MPFR_RNDN);
}

// ---------------------------------------------------------------------------
// Test cases: function, MPFR reference, domain, special points

using MpfrUnary = int (*)(mpfr_ptr, mpfr_srcptr, mpfr_rnd_t);
using MpfrBinary = int (*)(mpfr_ptr, mpfr_srcptr, mpfr_srcptr, mpfr_rnd_t);

inline bool everywhere(mpfr_srcptr) { return true; }
inline bool nonnegative(mpfr_srcptr x) { return mpfr_sgn(x) >= 0; }
inline bool positive(mpfr_srcptr x) { return mpfr_sgn(x) > 0; }
inline bool unit_ball(mpfr_srcptr x) { return mpfr_cmpabs_ui(x, 1) <= 0; }

// Odd multiples of pi/2 (poles of tan) rounded to double, a few up to 1e6.
inline std::vector<double> tan_poles() {
  std::vector<double> v;
  for (double k : {0.0, 1.0, -1.0, 2.0, -3.0, 5.0, 10.0, 1000.0, -100000.0, 1000000.0}) {
    Mpfr p(256);
    mpfr_const_pi(p, MPFR_RNDN);
    mpfr_mul_d(p, p, 2 * k + 1, MPFR_RNDN);
    mpfr_div_2ui(p, p, 1, MPFR_RNDN);
    v.push_back(mpfr_get_d(p, MPFR_RNDN));
  }
  return v;
}

inline std::vector<double> trig_extremes() {
  std::vector<double> v = tan_poles();
  for (double k : {1.0, -1.0, 2.0, 3.0, 100.0}) v.push_back(k * 3.141592653589793);
  v.insert(v.end(), {0.0, 1e22, -1e22, 1e300, 6381956970095103.0 * 0x1p797});
  return v;
}

template <class I>
struct UnaryCase {
  const char* name;
  I (*f)(const I&);
  MpfrUnary reference;
  bool (*domain)(mpfr_srcptr);
  std::vector<double> specials;
};

template <class I>
std::vector<UnaryCase<I>> unary_cases() {
  using namespace numeric;
  const std::vector<double> exp_edges = {0.0, 709.782712893384, -709.782712893384, 710.0, -745.1332191019412,
                                         -708.3964185322641, 1.0, 700.0};
  return {
      {"neg", [](const I& x) { return -x; }, mpfr_neg, everywhere, {}},
      {"sqr", [](const I& x) { return sqr(x); }, mpfr_sqr, everywhere, {0.0, 1e154, 1e-160}},
      {"sqrt", [](const I& x) { return sqrt(x); }, mpfr_sqrt, nonnegative, {0.0, 1e-300, kMinSub, 1.0}},
      {"exp", [](const I& x) { return exp(x); }, mpfr_exp, everywhere, exp_edges},
      {"log", [](const I& x) { return log(x); }, mpfr_log, positive, {0.0, 1.0, kMinSub, 1e-300, kMax}},
      {"sin", [](const I& x) { return sin(x); }, mpfr_sin, everywhere, trig_extremes()},
      {"cos", [](const I& x) { return cos(x); }, mpfr_cos, everywhere, trig_extremes()},
      {"tan", [](const I& x) { return tan(x); }, mpfr_tan, everywhere, tan_poles()},
      {"asin", [](const I& x) { return asin(x); }, mpfr_asin, unit_ball, {1.0, -1.0, 0.0, 0.5}},
      {"acos", [](const I& x) { return acos(x); }, mpfr_acos, unit_ball, {1.0, -1.0, 0.0, 0.5}},
      {"atan", [](const I& x) { return atan(x); }, mpfr_atan, everywhere, {0.0, 1e16, -1e300, 1.0}},
      {"sinh", [](const I& x) { return sinh(x); }, mpfr_sinh, everywhere, {0.0, 710.475860073943, -710.475860073943, 1e-8}},
      {"cosh", [](const I& x) { return cosh(x); }, mpfr_cosh, everywhere, {0.0, 710.475860073943, -710.475860073943}},
      {"tanh", [](const I& x) { return tanh(x); }, mpfr_tanh, everywhere, {0.0, 19.0, -19.0, 1e-9}},
      {"abs", [](const I& x) { return abs(x); }, [](mpfr_ptr r, mpfr_srcptr x, mpfr_rnd_t rnd) { return mpfr_abs(r, x, rnd); },
       everywhere, {0.0}},
  };
}

// Binary cases; `exact_bits(p)` is the reference precision that makes the
// MPFR result exact for inputs of p bits (0: not exact, use 4p).
template <class I>
struct BinaryCase {
  const char* name;
  I (*f)(const I&, const I&);
  MpfrBinary reference;
  bool (*domain)(mpfr_srcptr, mpfr_srcptr);
  mpfr_prec_t (*exact_bits)(mpfr_prec_t);
  std::vector<double> specials;
};

inline bool both_everywhere(mpfr_srcptr, mpfr_srcptr) { return true; }

template <class I>
std::vector<BinaryCase<I>> binary_cases() {
  using namespace numeric;
  // Sums of numbers whose exponents lie within the double range (plus a few
  // bits) are exact with p + 2200 bits; products with 2p.
  auto sum_bits = [](mpfr_prec_t p) -> mpfr_prec_t { return p + 2200; };
  auto product_bits = [](mpfr_prec_t p) -> mpfr_prec_t { return 2 * p; };
  auto same_bits = [](mpfr_prec_t p) -> mpfr_prec_t { return p; };
  auto inexact = [](mpfr_prec_t) -> mpfr_prec_t { return 0; };
  return {
      {"add", [](const I& a, const I& b) { return a + b; }, mpfr_add, both_everywhere, sum_bits, {0.0, 1e300, -1e300}},
      {"sub", [](const I& a, const I& b) { return a - b; }, mpfr_sub, both_everywhere, sum_bits, {0.0, 1e300}},
      {"mul", [](const I& a, const I& b) { return a * b; }, mpfr_mul, both_everywhere, product_bits, {0.0, 1e-300, 1e300}},
      {"div", [](const I& a, const I& b) { return a / b; }, mpfr_div,
       [](mpfr_srcptr, mpfr_srcptr y) { return !mpfr_zero_p(y); }, inexact, {0.0, 1e-300, -1e-300}},
      {"min", [](const I& a, const I& b) { return min(a, b); }, mpfr_min, both_everywhere, same_bits, {0.0}},
      {"max", [](const I& a, const I& b) { return max(a, b); }, mpfr_max, both_everywhere, same_bits, {0.0}},
      {"pow", [](const I& a, const I& b) { return pow(a, b); }, mpfr_pow,
       [](mpfr_srcptr x, mpfr_srcptr y) { return mpfr_sgn(x) > 0 || (mpfr_zero_p(x) && mpfr_sgn(y) > 0); }, inexact,
       {0.0, 1.0, 2.0, 0.5}},
  };
}

// ---------------------------------------------------------------------------
// The harness

struct Tally {
  long checked = 0;
  long skipped = 0;
  long failed = 0;
  std::string failures;  // the first few, in detail

  void fail(const std::string& what) {
    ++failed;
    if (failed <= 5) failures += what + "\n";
  }
  // One Catch assertion per batch (not per point): fast, and the message
  // carries everything needed to reproduce the failure.
  void verify(const std::string& context, std::uint64_t seed) const {
    INFO(context << "  seed=" << seed << "  checked=" << checked << " skipped=" << skipped << "\n" << failures);
    CHECK(failed == 0);
    CHECK(checked > 0);
  }
};

// Tests every unary case at precision `prec` (53 for Interval) with
// `boxes` random input intervals and `points` points per interval.
template <class I>
void check_unary(Rng& rng, const UnaryCase<I>& c, mpfr_prec_t prec, int boxes, int points, Tally& tally) {
  const mpfr_prec_t ref_prec = 4 * prec;
  Mpfr lo(prec), hi(prec), x(prec), ref(ref_prec);
  for (int i = 0; i < boxes; ++i) {
    const Shape shape = random_box(rng, c.specials, lo, hi);
    const I in = Traits<I>::make(lo.get(), hi.get(), prec);
    const I out = c.f(in);
    for (int j = 0; j < points; ++j) {
      random_point(rng, lo, hi, x);
      if (!c.domain(x)) {
        ++tally.skipped;
        continue;
      }
      c.reference(ref, x, MPFR_RNDN);
      ++tally.checked;
      if (mpfr_nan_p(ref) || !Traits<I>::encloses(out, ref))
        tally.fail(std::string(c.name) + " (" + shape_name(shape) + " box) of " + Traits<I>::describe(in) +
                   " = " + Traits<I>::describe(out) + " misses f(" + str(x) + ") = " + str(ref));
    }
  }
}

// a / b at the point (x, y), y != 0, lies in [lo, hi], decided exactly by
// cross-multiplication: lo <= x / y  <=>  lo * y <= x for y > 0.
inline bool quotient_in(mpfr_srcptr x, mpfr_srcptr y, mpfr_srcptr lo, mpfr_srcptr hi) {
  Mpfr t(mpfr_get_prec(lo) + mpfr_get_prec(y) + 2), u(mpfr_get_prec(hi) + mpfr_get_prec(y) + 2);
  mpfr_mul(t, lo, y, MPFR_RNDN);  // exact (infinite lo: infinite product)
  mpfr_mul(u, hi, y, MPFR_RNDN);
  if (mpfr_sgn(y) > 0) return mpfr_cmp(t, x) <= 0 && mpfr_cmp(x, u) <= 0;
  return mpfr_cmp(t, x) >= 0 && mpfr_cmp(x, u) >= 0;
}

inline bool quotient_in(mpfr_srcptr x, mpfr_srcptr y, const Interval& r) {
  if (r.is_empty()) return false;
  Mpfr lo(53, r.lower()), hi(53, r.upper());
  return quotient_in(x, y, lo, hi);
}
inline bool quotient_in(mpfr_srcptr x, mpfr_srcptr y, const MpInterval& r) {
  return !r.is_empty() && quotient_in(x, y, r.lower_mpfr(), r.upper_mpfr());
}

template <class I>
void check_binary(Rng& rng, const BinaryCase<I>& c, mpfr_prec_t prec, int boxes, int points, Tally& tally) {
  const mpfr_prec_t exact = c.exact_bits(prec);
  const mpfr_prec_t ref_prec = exact > 0 ? exact : 4 * prec;
  const bool is_division = std::string_view(c.name) == "div";
  Mpfr alo(prec), ahi(prec), blo(prec), bhi(prec), x(prec), y(prec), ref(ref_prec);
  for (int i = 0; i < boxes; ++i) {
    const Shape sa = random_box(rng, c.specials, alo, ahi);
    const Shape sb = random_box(rng, c.specials, blo, bhi);
    const I a = Traits<I>::make(alo.get(), ahi.get(), prec);
    const I b = Traits<I>::make(blo.get(), bhi.get(), prec);
    const I out = c.f(a, b);
    for (int j = 0; j < points; ++j) {
      random_point(rng, alo, ahi, x);
      random_point(rng, blo, bhi, y);
      if (!c.domain(x, y)) {
        ++tally.skipped;
        continue;
      }
      ++tally.checked;
      bool ok;
      if (is_division) {
        ok = quotient_in(x, y, out);
        mpfr_div(ref, x, y, MPFR_RNDN);  // for the message
      } else {
        c.reference(ref, x, y, MPFR_RNDN);
        ok = !mpfr_nan_p(ref) && Traits<I>::encloses(out, ref);
      }
      if (!ok)
        tally.fail(std::string(c.name) + " (" + shape_name(sa) + ", " + shape_name(sb) + ") of " +
                   Traits<I>::describe(a) + ", " + Traits<I>::describe(b) + " = " + Traits<I>::describe(out) +
                   " misses f(" + str(x) + ", " + str(y) + ") = " + str(ref));
    }
  }
}

// pow(x, n) for random integers n (small, and a few large and extreme ones).
template <class I>
void check_integer_power(Rng& rng, mpfr_prec_t prec, int boxes, int points, Tally& tally) {
  static const std::vector<double> specials = {0.0, 1.0, -1.0, 1e-10, 2.0};
  static const std::vector<long> large = {31, 32, 63, 100, -31, -32, -63, -100};
  Mpfr lo(prec), hi(prec), x(prec);
  for (int i = 0; i < boxes; ++i) {
    const Shape shape = random_box(rng, specials, lo, hi);
    const long n = rng.chance(0.85) ? rng.integer(-12, 12) : rng.pick(large);
    const I in = Traits<I>::make(lo.get(), hi.get(), prec);
    const I out = pow(in, n);
    // x^n is exact with |n| p bits; 1 / x^|n| is not dyadic unless x is a
    // power of two, and then lies at least 2^-((|n| + 1) p) relatively away
    // from any p-bit number, which the extra bits resolve.
    Mpfr ref((std::labs(n) + 2) * prec + 64);
    for (int j = 0; j < points; ++j) {
      random_point(rng, lo, hi, x);
      if (n < 0 && mpfr_zero_p(x)) {
        ++tally.skipped;
        continue;
      }
      mpfr_pow_si(ref, x, n, MPFR_RNDN);
      ++tally.checked;
      if (!Traits<I>::encloses(out, ref))
        tally.fail("pow(x, " + std::to_string(n) + ") (" + shape_name(shape) + " box) of " +
                   Traits<I>::describe(in) + " = " + Traits<I>::describe(out) + " misses " + str(x) + "^n = " +
                   str(ref));
    }
  }
}

// ---------------------------------------------------------------------------
// The documented semantics, shared by Interval and MpInterval (the two must
// agree so that one templated evaluator can use both).

template <class I>
void check_documented_semantics(mpfr_prec_t p) {
  using namespace numeric;
  using T = Traits<I>;
  auto iv = [p](double lo, double hi) { return T::make(lo, hi, p); };
  auto pt = [p](double v) { return T::make(v, v, p); };
  auto is = [](const I& x, double lo, double hi) {
    return !x.is_empty() && T::lower(x) == lo && T::upper(x) == hi;
  };
  const I empty = T::empty(p), entire = T::entire(p);

  SECTION("validation: reversed, NaN and infinite-only intervals throw") {
    CHECK_THROWS_AS(iv(2, 1), std::invalid_argument);
    CHECK_THROWS_AS(iv(std::nan(""), 1), std::invalid_argument);
    CHECK_THROWS_AS(iv(0, std::nan("")), std::invalid_argument);
    CHECK_THROWS_AS(iv(kInf, kInf), std::invalid_argument);
    CHECK_THROWS_AS(iv(-kInf, -kInf), std::invalid_argument);
    CHECK_NOTHROW(iv(-kInf, kInf));
    CHECK_THROWS_AS(T::from_decimal("1..2", p), std::invalid_argument);
  }

  SECTION("decimal literals are exact: 0.1 + 0.2 contains 3/10") {
    const I s = T::from_decimal("0.1", p) + T::from_decimal("0.2", p);
    CHECK(T::contains(s, Rational(3, 10)));
    CHECK(T::contains(T::from_decimal("0.1", p), Rational(1, 10)));
    CHECK(T::contains(T::from_decimal("-1e-3", p), Rational(-1, 1000)));
  }

  SECTION("domains are restricted, not rejected") {
    CHECK(is(sqrt(iv(-1, 4)), 0, 2));
    CHECK(sqrt(iv(-4, -1)).is_empty());
    CHECK(is(sqrt(iv(-1, 0)), 0, 0));
    const I l = log(iv(0, 2));
    CHECK(T::lower(l) == -kInf);
    CHECK(T::upper(l) < 0.7);
    CHECK(log(iv(-1, 0)).is_empty());
    CHECK(log(pt(0)).is_empty());
    CHECK(log(iv(-2, -1)).is_empty());
    CHECK(is(log(pt(1)), 0, 0));
    const I as = asin(iv(-2, 0.5));
    CHECK(T::lower(as) < -1.5707963267948966);
    CHECK(T::lower(as) >= std::nextafter(-1.5707963267948966, -kInf));  // RD(-pi/2)
    CHECK(asin(iv(1.5, 3)).is_empty());
    CHECK(is(asin(iv(1, 3)), T::lower(asin(pt(1))), T::upper(asin(pt(1)))));
    CHECK(is(acos(iv(1, 7)), 0, 0));
    CHECK(acos(iv(-7, -1.0000000000000002)).is_empty());
  }

  SECTION("division by intervals holding zero") {
    CHECK(is(iv(1, 2) / iv(-1, 2), -kInf, kInf));
    CHECK(is(iv(1, 2) / iv(0, 2), 0.5, kInf));
    CHECK(is(iv(-2, -1) / iv(0, 2), -kInf, -0.5));
    CHECK(is(iv(1, 2) / iv(-2, 0), -kInf, -0.5));
    CHECK(is(iv(-2, -1) / iv(-2, 0), 0.5, kInf));
    CHECK(T::lower(iv(0, 1) / iv(0, 1)) == 0);
    CHECK(T::upper(iv(0, 1) / iv(0, 1)) == kInf);
    CHECK(is(iv(-1, 1) / iv(0, 1), -kInf, kInf));
    CHECK((iv(1, 2) / pt(0)).is_empty());
    CHECK((pt(0) / pt(0)).is_empty());
    CHECK(is(pt(0) / iv(-1, 1), 0, 0));
    CHECK(is(pt(0) / iv(0, 2), 0, 0));
    CHECK(is(pt(0) / iv(1, 2), 0, 0));
    CHECK(is(iv(1, 2) / iv(2, 4), 0.25, 1));
    CHECK(is(pt(1) / iv(-kInf, kInf), -kInf, kInf));
    CHECK(is(iv(1, 2) / iv(1, kInf), 0, 2));
  }

  SECTION("tan over a pole is entire; trig of unbounded input") {
    CHECK(is(tan(iv(1, 2)), -kInf, kInf));
    CHECK(is(tan(iv(-2, 2)), -kInf, kInf));
    CHECK(tan(iv(-1, 1)).is_bounded());
    const double below_pole = 1.5707963267948966;  // just below pi/2
    CHECK(tan(pt(below_pole)).is_bounded());
    CHECK(T::lower(tan(pt(below_pole))) > 1.6e16);
    CHECK(is(tan(iv(below_pole, 1.5707963267948968)), -kInf, kInf));
    CHECK(is(sin(iv(0, kInf)), -1, 1));
    CHECK(is(cos(entire), -1, 1));
    CHECK(is(tan(iv(-kInf, 0)), -kInf, kInf));
  }

  SECTION("integer powers") {
    CHECK(is(pow(pt(0), 0), 1, 1));
    CHECK(is(pow(entire, 0), 1, 1));
    CHECK(is(pow(iv(2, 3), 0), 1, 1));
    CHECK(pow(empty, 0).is_empty());
    CHECK(is(pow(iv(-1, 1), -1), -kInf, kInf));
    CHECK(pow(pt(0), -1).is_empty());
    CHECK(pow(pt(0), -2).is_empty());
    CHECK(is(pow(iv(0, 2), -1), 0.5, kInf));
    CHECK(is(pow(iv(-2, 1), -2), 0.25, kInf));
    CHECK(is(pow(pt(-2), 3), -8, -8));
    CHECK(is(pow(iv(-2, 1), 2), 0, 4));
    CHECK(is(pow(iv(-3, -2), 2), 4, 9));
    CHECK(is(pow(iv(-3, 2), 3), -27, 8));
    CHECK(is(pow(pt(2), -1), 0.5, 0.5));
    CHECK(T::contains(pow(pt(2), -1074), Rational(1) / Rational(numeric::Integer(1) << 1074)));
    CHECK(T::contains(pow(pt(0.5), 1074), Rational(1) / Rational(numeric::Integer(1) << 1074)));
    CHECK(is(pow(iv(-2, 2), 1), -2, 2));
    CHECK(is(pow(entire, 2), 0, kInf));
    CHECK(is(pow(entire, 3), -kInf, kInf));
    CHECK(is(pow(entire, -2), 0, kInf));
    CHECK(is(pow(pt(-1), std::numeric_limits<long>::min()), 1, 1));
    CHECK(is(pow(pt(1), std::numeric_limits<long>::max()), 1, 1));
    CHECK(is(pow(iv(0.5, 2), std::numeric_limits<long>::min()), 0, kInf));
  }

  SECTION("real powers") {
    CHECK(is(pow(pt(0), iv(1, 2)), 0, 0));
    CHECK(pow(pt(0), iv(-1, 0)).is_empty());
    CHECK(pow(iv(-2, -1), pt(1)).is_empty());
    CHECK(T::contains(pow(pt(4), pt(0.5)), Rational(2)));
    const I r = pow(iv(0, 4), pt(0.5));
    CHECK(T::lower(r) == 0);
    CHECK(T::contains(r, Rational(2)));
    CHECK(T::contains(pow(iv(-1, 4), pt(2)), Rational(16)));
    CHECK(T::contains(pow(pt(2), iv(-1, 3)), Rational(1, 2)));
    CHECK(T::contains(pow(pt(2), iv(-1, 3)), Rational(8)));
    CHECK(pow(empty, pt(1)).is_empty());
    CHECK(pow(pt(1), empty).is_empty());
  }

  SECTION("overflow and underflow of exp") {
    const Interval big = [&] {
      if constexpr (std::is_same_v<I, Interval>) return exp(pt(710));
      else return exp(pt(710)).to_interval();
    }();
    CHECK(big.upper() == kInf);
    CHECK(big.lower() == kMax);
    const I tiny = exp(pt(-1000));
    CHECK(T::lower(tiny) >= 0);
    CHECK(T::upper(tiny) > 0);
    CHECK(T::upper(tiny) <= 1e-300);
    CHECK(is(exp(iv(-kInf, 0)), 0, 1));
    CHECK(is(exp(pt(0)), 1, 1));
  }

  SECTION("min, max, abs, hull, intersect") {
    CHECK(is(min(iv(1, 3), iv(2, 4)), 1, 3));
    CHECK(is(max(iv(1, 3), iv(2, 4)), 2, 4));
    CHECK(is(min(iv(-kInf, 3), iv(2, 4)), -kInf, 3));
    CHECK(is(abs(iv(-3, 2)), 0, 3));
    CHECK(is(abs(iv(-3, -2)), 2, 3));
    CHECK(is(abs(iv(-kInf, 1)), 0, kInf));
    CHECK(is(hull(iv(1, 2), iv(4, 5)), 1, 5));
    CHECK(is(hull(empty, iv(4, 5)), 4, 5));
    CHECK(hull(empty, empty).is_empty());
    CHECK(is(intersect(iv(1, 3), iv(2, 5)), 2, 3));
    CHECK(intersect(iv(1, 2), iv(3, 4)).is_empty());
    CHECK(is(intersect(iv(1, 2), iv(2, 4)), 2, 2));
    CHECK(intersect(iv(1, 2), empty).is_empty());
  }

  SECTION("aliasing: an operand may be the result") {
    I x = iv(-2, 3);
    x = x * x;
    CHECK(is(x, -6, 9));
    x = iv(1, 2);
    x /= x;
    CHECK(is(x, 0.5, 2));
    x = iv(1, 2);
    x -= x;
    CHECK(is(x, -1, 1));
    x = iv(1, 2);
    x += x;
    CHECK(is(x, 2, 4));
    x = iv(-2, 3);
    x *= x;
    CHECK(is(x, -6, 9));
    x = exp(x);
    CHECK(T::contains(x, Rational(1)));
  }

  SECTION("certain comparisons") {
    const I x = iv(1, 2);
    CHECK(x.certainly_ge(1));
    CHECK_FALSE(x.certainly_gt(1));
    CHECK(x.certainly_le(2));
    CHECK_FALSE(x.certainly_lt(2));
    CHECK(x.certainly_lt(2.5));
    CHECK_FALSE(empty.certainly_ge(0));
    CHECK_FALSE(empty.certainly_le(0));
    CHECK(x.contains(1.5));
    CHECK_FALSE(x.contains(std::nan("")));
    CHECK_FALSE(empty.contains(0.0));
    CHECK(iv(-1, 1).contains_zero());
    CHECK_FALSE(x.contains_zero());
    CHECK(entire.contains(x));
    CHECK(x.contains(empty));
    CHECK_FALSE(empty.contains(x));
  }
}

// Empty inputs give empty results everywhere; unbounded inputs never throw,
// never give NaN endpoints, and contain the MPFR value at sample points.
template <class I>
void check_empty_and_unbounded(mpfr_prec_t p) {
  using T = Traits<I>;
  const I empty = T::empty(p);
  const I one = T::make(1.0, 1.0, p);
  for (const auto& c : unary_cases<I>()) {
    INFO(c.name);
    CHECK(c.f(empty).is_empty());
  }
  for (const auto& c : binary_cases<I>()) {
    INFO(c.name);
    CHECK(c.f(empty, one).is_empty());
    CHECK(c.f(one, empty).is_empty());
    CHECK(c.f(empty, empty).is_empty());
  }
  CHECK(numeric::pow(empty, 3).is_empty());
  CHECK(numeric::pow(empty, -3).is_empty());

  const std::vector<std::pair<double, double>> unbounded = {
      {-kInf, kInf}, {0, kInf}, {-kInf, 0}, {1, kInf}, {-kInf, -1}, {-1, kInf}, {1e300, kInf}};
  const std::vector<double> samples = {0.0, 1.0, -1.0, 0.5, -0.5, 2.0, 1e10, -1e10, 1e300, -1e300, kMax, -kMax};
  Mpfr x(p), y(p), ref(4 * p + 2200);
  for (const auto& [lo, hi] : unbounded) {
    const I in = T::make(lo, hi, p);
    for (const auto& c : unary_cases<I>()) {
      INFO(c.name << " of [" << lo << ", " << hi << "]");
      I out = T::empty(p);
      REQUIRE_NOTHROW(out = c.f(in));
      for (double s : samples) {
        mpfr_set_d(x, s, MPFR_RNDN);
        if (!in.contains(s) || !c.domain(x)) continue;
        c.reference(ref, x, MPFR_RNDN);
        INFO("at " << s << ": " << str(ref) << " in " << T::describe(out));
        CHECK(T::encloses(out, ref));
      }
    }
    for (long n : {-3L, -2L, -1L, 0L, 1L, 2L, 3L}) {
      I out = T::empty(p);
      REQUIRE_NOTHROW(out = numeric::pow(in, n));
      for (double s : samples) {
        if (!in.contains(s) || (s == 0 && n < 0)) continue;
        mpfr_set_d(x, s, MPFR_RNDN);
        mpfr_pow_si(ref, x, n, MPFR_RNDN);
        INFO("pow(" << s << ", " << n << "): " << str(ref) << " in " << T::describe(out));
        CHECK(T::encloses(out, ref));
      }
    }
    for (const auto& [lo2, hi2] : unbounded) {
      const I in2 = T::make(lo2, hi2, p);
      for (const auto& c : binary_cases<I>()) {
        INFO(c.name << " of [" << lo << ", " << hi << "], [" << lo2 << ", " << hi2 << "]");
        I out = T::empty(p);
        REQUIRE_NOTHROW(out = c.f(in, in2));
        for (double s : samples)
          for (double t : {1.0, -1.0, 0.0, 2.0, 1e300}) {
            if (!in.contains(s) || !in2.contains(t)) continue;
            mpfr_set_d(x, s, MPFR_RNDN);
            mpfr_set_d(y, t, MPFR_RNDN);
            if (!c.domain(x, y)) continue;
            c.reference(ref, x, y, MPFR_RNDN);
            INFO("at (" << s << ", " << t << "): " << str(ref) << " in " << T::describe(out));
            CHECK(T::encloses(out, ref));
          }
      }
    }
  }
}

}  // namespace cerval::test
