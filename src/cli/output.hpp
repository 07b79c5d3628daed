#pragma once
// Printing bounds for people and for JSON: decimal strings rounded in the
// safe direction (a lower bound down, an upper bound up), so a reader can
// trust every printed digit.
#include <cerval/numeric/interval.hpp>
#include <cerval/numeric/mp_interval.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <vector>
#include <string>

namespace cerval::cli {

// Significant digits that show an enclosure computed at `bits` of precision.
inline int decimal_digits_for(long bits) {
  return std::max(17, static_cast<int>(std::ceil(static_cast<double>(bits) * 0.30102999566398120)) + 2);
}

inline std::string format_lower(double lower, int digits) {
  if (std::isinf(lower)) return lower < 0 ? "-oo" : "+oo";
  return numeric::to_decimal_down(numeric::to_rational(lower), digits);
}
inline std::string format_upper(double upper, int digits) {
  if (std::isinf(upper)) return upper < 0 ? "-oo" : "+oo";
  return numeric::to_decimal_up(numeric::to_rational(upper), digits);
}
inline std::string format_lower(const numeric::Interval& x, int digits) {
  return x.is_empty() ? "empty" : format_lower(x.lower(), digits);
}
inline std::string format_upper(const numeric::Interval& x, int digits) {
  return x.is_empty() ? "empty" : format_upper(x.upper(), digits);
}
inline std::string format_lower(const numeric::MpInterval& x, int digits) {
  if (x.is_empty()) return "empty";
  if (mpfr_inf_p(x.lower_mpfr())) return "-oo";
  return numeric::to_decimal_down(x.lower_rational(), digits);
}
inline std::string format_upper(const numeric::MpInterval& x, int digits) {
  if (x.is_empty()) return "empty";
  if (mpfr_inf_p(x.upper_mpfr())) return "+oo";
  return numeric::to_decimal_up(x.upper_rational(), digits);
}

// A double that is a point (not a bound), printed so that it reads back to the
// same double (17 significant digits).
std::string format_exact(double x);
// [[lower, upper], ...] with outward decimal strings.
nlohmann::json box_to_json(const std::vector<numeric::Interval>& box);

}  // namespace cerval::cli
