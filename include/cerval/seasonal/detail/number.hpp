#pragma once
// Internal helpers of the seasonal engine: the few operations its generic
// code needs that Interval and MpInterval spell differently. Not public API.
#include <cerval/numeric/interval.hpp>
#include <cerval/numeric/mp_interval.hpp>
#include <cerval/numeric/rational.hpp>

#include <mpfr.h>

namespace cerval::seasonal::detail {

// Endpoints rounded outward to binary64.
inline double upper_double(const numeric::Interval& x) { return x.upper(); }
inline double upper_double(const numeric::MpInterval& x) { return x.upper_up(); }
inline double lower_double(const numeric::Interval& x) { return x.lower(); }
inline double lower_double(const numeric::MpInterval& x) { return x.lower_down(); }

// Bits of precision of the arithmetic of x.
inline long precision_bits(const numeric::Interval&) { return 53; }
inline long precision_bits(const numeric::MpInterval& x) { return static_cast<long>(x.precision()); }

// The tightest enclosure of q at the precision of `like`.
inline numeric::Interval enclose(const numeric::Rational& q, const numeric::Interval&) {
  return numeric::Interval::enclose(q);
}
inline numeric::MpInterval enclose(const numeric::Rational& q, const numeric::MpInterval& like) {
  return numeric::MpInterval::enclose(q, like.precision());
}
inline numeric::Interval enclose(const numeric::Rational& lo, const numeric::Rational& hi, const numeric::Interval&) {
  return numeric::Interval::enclose(lo, hi);
}
inline numeric::MpInterval enclose(const numeric::Rational& lo, const numeric::Rational& hi,
                                   const numeric::MpInterval& like) {
  return numeric::MpInterval::enclose(lo, hi, like.precision());
}

// A point near the centre of a bounded nonempty x (a heuristic value: used
// for approximate Perron vectors, never as an enclosure).
inline numeric::Interval center_point(const numeric::Interval& x) { return numeric::Interval(x.midpoint()); }
inline numeric::MpInterval center_point(const numeric::MpInterval& x) {
  mpfr_t m;
  mpfr_init2(m, x.precision());
  mpfr_add(m, x.lower_mpfr(), x.upper_mpfr(), MPFR_RNDN);
  mpfr_div_2ui(m, m, 1, MPFR_RNDN);
  numeric::MpInterval r(m, m, x.precision());
  mpfr_clear(m);
  return r;
}

}  // namespace cerval::seasonal::detail
