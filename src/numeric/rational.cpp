#include <cerval/numeric/rational.hpp>

#include <mpfr.h>

#include <cctype>
#include <cmath>
#include <cstdint>

namespace cerval::numeric {

namespace {

// Decimal and binary exponents beyond this are rejected rather than expanded
// into enormous integers (10^10000 is already far outside binary64).
constexpr long kMaxExponent = 10000;

Integer pow_integer(unsigned base, unsigned long e) {
  Integer r;
  mpz_ui_pow_ui(r.backend().data(), base, e);
  return r;
}

Rational scale(Rational q, unsigned base, long e) {
  if (e >= 0) return q * Rational(pow_integer(base, static_cast<unsigned long>(e)));
  return q / Rational(pow_integer(base, static_cast<unsigned long>(-e)));
}

int digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return 99;
}

// floor(log10(q)) for q > 0.
long floor_log10(const Rational& q) {
  const long bits = static_cast<long>(mpz_sizeinbase(numerator(q).backend().data(), 2)) -
                    static_cast<long>(mpz_sizeinbase(denominator(q).backend().data(), 2));
  long e = static_cast<long>(std::floor(static_cast<double>(bits) * 0.30102999566398120));
  while (scale(Rational(1), 10, e) > q) --e;
  while (scale(Rational(1), 10, e + 1) <= q) ++e;
  return e;
}

Integer floor_integer(const Rational& q) {
  Integer r;
  mpz_fdiv_q(r.backend().data(), numerator(q).backend().data(), denominator(q).backend().data());
  return r;
}

Integer ceil_integer(const Rational& q) {
  Integer r;
  mpz_cdiv_q(r.backend().data(), numerator(q).backend().data(), denominator(q).backend().data());
  return r;
}

// Decimal text of q > 0 with `digits` significant digits, rounded toward zero
// (up == false) or away from zero (up == true).
std::string positive_decimal(const Rational& q, int digits, bool up) {
  const long e = floor_log10(q);
  const long shift = digits - 1 - e;
  const Rational scaled = scale(q, 10, shift);
  const Integer n = up ? ceil_integer(scaled) : floor_integer(scaled);
  std::string s = n.str();
  long exponent = static_cast<long>(s.size()) - 1 - shift;  // value = s[0].s[1..] * 10^exponent
  while (s.size() > 1 && s.back() == '0') s.pop_back();
  if (exponent >= 0 && exponent < 17) {
    if (static_cast<long>(s.size()) <= exponent + 1) return s + std::string(exponent + 1 - s.size(), '0');
    return s.substr(0, exponent + 1) + "." + s.substr(exponent + 1);
  }
  if (exponent < 0 && exponent >= -5) return "0." + std::string(-exponent - 1, '0') + s;
  std::string mantissa = s.substr(0, 1);
  if (s.size() > 1) mantissa += "." + s.substr(1);
  return mantissa + "e" + std::to_string(exponent);
}

double to_double_directed(const Rational& q, mpfr_rnd_t rnd) {
  mpfr_t v;
  mpfr_init2(v, 53);
  mpfr_set_q(v, q.backend().data(), rnd);
  const double d = mpfr_get_d(v, rnd);
  mpfr_clear(v);
  return d;
}

}  // namespace

std::optional<Rational> parse_decimal(std::string_view text) {
  std::size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
  const bool hex = i + 1 < text.size() && text[i] == '0' && (text[i + 1] == 'x' || text[i + 1] == 'X');
  if (hex) i += 2;
  const unsigned base = hex ? 16 : 10;
  Integer mantissa = 0;
  long fraction_digits = 0;
  bool any_digit = false, seen_point = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '.' && !seen_point) {
      seen_point = true;
      continue;
    }
    const int d = digit_value(c);
    if (d >= static_cast<int>(base)) break;
    mantissa = mantissa * base + d;
    any_digit = true;
    if (seen_point) ++fraction_digits;
  }
  if (!any_digit) return std::nullopt;
  long exponent = 0;
  const char exp_char = hex ? 'p' : 'e';
  if (i < text.size() && std::tolower(static_cast<unsigned char>(text[i])) == exp_char) {
    ++i;
    bool exp_negative = false;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) exp_negative = text[i++] == '-';
    bool exp_digit = false;
    for (; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i) {
      exponent = exponent * 10 + (text[i] - '0');
      exp_digit = true;
      if (exponent > kMaxExponent * 4) return std::nullopt;
    }
    if (!exp_digit) return std::nullopt;
    if (exp_negative) exponent = -exponent;
  } else if (hex) {
    return std::nullopt;  // a hexadecimal float needs its binary exponent
  }
  if (i != text.size()) return std::nullopt;
  Rational q(mantissa);
  if (hex) {
    q = scale(q, 2, exponent - 4 * fraction_digits);
  } else {
    if (exponent > kMaxExponent || exponent < -kMaxExponent) return std::nullopt;
    q = scale(q, 10, exponent - fraction_digits);
  }
  return negative ? Rational(-q) : q;
}

double to_double_down(const Rational& q) { return to_double_directed(q, MPFR_RNDD); }
double to_double_up(const Rational& q) { return to_double_directed(q, MPFR_RNDU); }

Rational to_rational(double x) {
  if (x == 0) return Rational(0);
  int e = 0;
  const double m = std::frexp(x, &e);  // x = m * 2^e, 0.5 <= |m| < 1
  const auto integer_mantissa = static_cast<std::int64_t>(std::ldexp(m, 53));  // exact
  return scale(Rational(integer_mantissa), 2, e - 53);
}

std::string to_decimal_down(const Rational& q, int digits) {
  if (q == 0) return "0";
  if (q > 0) return positive_decimal(q, digits, false);
  return "-" + positive_decimal(-q, digits, true);
}

std::string to_decimal_up(const Rational& q, int digits) {
  if (q == 0) return "0";
  if (q > 0) return positive_decimal(q, digits, true);
  return "-" + positive_decimal(-q, digits, false);
}

std::string to_string(const Rational& q) { return q.str(); }

std::optional<Rational> parse_rational(std::string_view text) {
  const auto slash = text.find('/');
  if (slash == std::string_view::npos) return parse_decimal(text);
  const auto num = parse_decimal(text.substr(0, slash));
  const auto den = parse_decimal(text.substr(slash + 1));
  if (!num || !den || *den == 0) return std::nullopt;
  return *num / *den;
}

}  // namespace cerval::numeric
