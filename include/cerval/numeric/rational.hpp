#pragma once
// Exact rational numbers (GMP through Boost.Multiprecision) and exact parsing
// of decimal literals.
//
// Guarantee: parse_decimal("0.1") is exactly 1/10; nothing goes through a
// double. Conversions to binary64 name their rounding direction.
#include <boost/multiprecision/gmp.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace cerval::numeric {

using Rational = boost::multiprecision::mpq_rational;
using Integer = boost::multiprecision::mpz_int;

// Parses a decimal literal: optional sign, digits with an optional point, an
// optional exponent (`1.5e-3`, `2E10`), or a hexadecimal float (`0x1.8p-3`).
// Returns nullopt when the text is not such a literal. Exact.
std::optional<Rational> parse_decimal(std::string_view text);

// The largest double <= q and the smallest double >= q (+-inf beyond the
// finite range). Exact directed conversions.
double to_double_down(const Rational& q);
double to_double_up(const Rational& q);

// Exact rational value of a finite double.
Rational to_rational(double x);

// Decimal string of q with `digits` significant digits, rounded down (towards
// -inf) or up (towards +inf): the printed number bounds q safely.
std::string to_decimal_down(const Rational& q, int digits);
std::string to_decimal_up(const Rational& q, int digits);

// Exact text form "p/q" (or "p" when q = 1) that parse_rational reads back.
std::string to_string(const Rational& q);
std::optional<Rational> parse_rational(std::string_view text);

}  // namespace cerval::numeric
