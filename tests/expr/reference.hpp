#pragma once
// Helpers shared by the expr tests: seeded random points, high-precision
// reference values (MPFI at 256 bits or more, whose enclosure of the exact
// value is far narrower than any binary64 enclosure under test), and exact
// containment checks. Never a tolerance: an enclosure must contain the whole
// reference enclosure of the true value.
#include <cerval/expr/eval.hpp>
#include <cerval/expr/parser.hpp>
#include <cerval/numeric/interval.hpp>
#include <cerval/numeric/mp_interval.hpp>
#include <cerval/numeric/rational.hpp>

#include <algorithm>
#include <cmath>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace cerval::test_expr {

using numeric::Interval;
using numeric::MpInterval;
using numeric::Rational;

inline constexpr mpfr_prec_t kRefPrec = 256;

// A double in [lo, hi]: uniform, or one of the endpoints now and then.
inline double uniform_in(std::mt19937& gen, double lo, double hi) {
  const int pick = std::uniform_int_distribution<int>(0, 19)(gen);
  if (pick == 0) return lo;
  if (pick == 1) return hi;
  const double u = std::uniform_real_distribution<double>(0.0, 1.0)(gen);
  return std::clamp(lo + (hi - lo) * u, lo, hi);
}

// A random subinterval of [lo, hi] with double endpoints.
inline Interval sub_interval(std::mt19937& gen, double lo, double hi) {
  double a = uniform_in(gen, lo, hi), b = uniform_in(gen, lo, hi);
  if (a > b) std::swap(a, b);
  return Interval(a, b);
}

// A random double inside x (bounded, nonempty).
inline double point_in(std::mt19937& gen, const Interval& x) { return uniform_in(gen, x.lower(), x.upper()); }

// A random rational p/q in [lo, hi] with a denominator that is not a power
// of two (so that it is not a double).
inline Rational rational_in(std::mt19937& gen, long lo, long hi) {
  const long q = 2 * std::uniform_int_distribution<long>(1, 500)(gen) + 1;
  const long p = std::uniform_int_distribution<long>(lo * q, hi * q)(gen);
  return Rational(p, q);
}

inline MpInterval ref_point(double x, mpfr_prec_t prec = kRefPrec) { return MpInterval(x, x, prec); }

// True when the enclosure contains the whole reference enclosure.
inline bool encloses(const Interval& e, const MpInterval& ref) {
  return MpInterval(e, ref.precision()).contains(ref);
}
inline bool encloses(const MpInterval& e, const MpInterval& ref) { return e.contains(ref); }

// The reference is useful only when it is far narrower than what it checks.
inline bool is_tight(const MpInterval& ref) {
  if (ref.is_empty() || !ref.is_bounded()) return false;
  const double scale = std::max({1.0, std::fabs(ref.lower_down()), std::fabs(ref.upper_up())});
  return ref.width() <= 1e-60 * scale;
}

template <class T>
std::string text(const T& x) {
  std::ostringstream os;
  os << x;
  return os.str();
}

inline std::string hex(double d) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%a", d);
  return buf;
}

// The value of node `id` at an exact point, enclosed at `prec` bits.
inline expr::Enclosure<MpInterval> mp_value(const expr::ExprGraph& g, expr::NodeId id,
                                           const std::vector<MpInterval>& point, long prec = kRefPrec) {
  return expr::evaluate<MpInterval>(g, id, point, expr::NumberFactory<MpInterval>{prec});
}

inline std::vector<MpInterval> ref_box(const std::vector<double>& point, mpfr_prec_t prec = kRefPrec) {
  std::vector<MpInterval> r;
  for (double x : point) r.push_back(ref_point(x, prec));
  return r;
}

inline std::vector<MpInterval> to_mp(const std::vector<Interval>& box, mpfr_prec_t prec) {
  std::vector<MpInterval> r;
  for (const Interval& x : box) r.emplace_back(x, prec);
  return r;
}

// The first of `count` random points of `box` (a bounded box) where an
// enclosure of f over the box, `e` or `mp`, misses f's reference value,
// as hexadecimal text; nullopt when there is none.
inline std::optional<std::string> point_outside(std::mt19937& gen, const expr::ExprGraph& g, expr::NodeId f,
                                                const std::vector<Interval>& box, const Interval& e,
                                                const MpInterval& mp, int count) {
  for (int k = 0; k < count; ++k) {
    std::vector<double> p;
    for (const Interval& x : box) p.push_back(point_in(gen, x));
    const MpInterval ref = mp_value(g, f, ref_box(p)).value;
    if (!encloses(e, ref) || !encloses(mp, ref)) {
      std::string where;
      for (double x : p) where += (where.empty() ? "" : " ") + hex(x);
      return where;
    }
  }
  return std::nullopt;
}

// An expression over the named variables, parsed into a graph of its own.
struct Parsed {
  expr::ExprGraph g;
  expr::NodeId f = 0;
};
inline Parsed parse_over(const std::vector<std::string>& variables, const std::string& text) {
  Parsed r;
  for (const auto& v : variables) r.g.add_variable(v);
  r.f = expr::parse_expression(text, r.g);
  return r;
}

}  // namespace cerval::test_expr
