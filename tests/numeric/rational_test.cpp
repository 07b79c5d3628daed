// Tests of include/cerval/numeric/rational.hpp: exact decimal and hexadecimal
// parsing, directed conversions to binary64, decimal printing rounded down
// and up, and exact conversion of doubles.
#include <cerval/numeric/rational.hpp>

#include "containment.hpp"

using namespace cerval::numeric;
using namespace cerval::test;

namespace {

Rational q(long n, long d = 1) { return Rational(n, d); }

Rational pow10(long e) {
  const Rational ten = Rational(Integer(pow(Integer(10), static_cast<unsigned>(e < 0 ? -e : e))));
  return e < 0 ? Rational(1 / ten) : ten;
}

// A random rational: ratio of random integers, scaled by a random power of
// two (so that some land outside the double range or among subnormals).
Rational random_rational(Rng& rng) {
  Integer n = rng.integer(1, 1L << 62), d = rng.integer(1, 1L << 62);
  if (rng.chance(0.3)) n = n * Integer(rng.integer(1, 1L << 62)) + rng.integer(0, 1000);
  Rational r(n, d);
  const long e = rng.integer(-1100, 1100);
  Rational scale(Integer(1) << static_cast<unsigned>(e < 0 ? -e : e));
  r = e < 0 ? Rational(r / scale) : Rational(r * scale);
  return rng.chance(0.5) ? Rational(-r) : r;
}

}  // namespace

TEST_CASE("parse_decimal is exact", "[rational]") {
  CHECK(parse_decimal("0.1") == q(1, 10));
  CHECK(parse_decimal("1e-3") == q(1, 1000));
  CHECK(parse_decimal("1.5E+2") == q(150));
  CHECK(parse_decimal("-0.0") == q(0));
  CHECK(parse_decimal(".5") == q(1, 2));
  CHECK(parse_decimal("5.") == q(5));
  CHECK(parse_decimal("+2") == q(2));
  CHECK(parse_decimal("-12.375") == q(-99, 8));
  CHECK(parse_decimal("0x1.8p1") == q(3));
  CHECK(parse_decimal("0X1P-2") == q(1, 4));
  CHECK(parse_decimal("-0x.8p0") == q(-1, 2));
  CHECK(parse_decimal("0xA.Bp4") == q(171));
  CHECK(parse_decimal("0x1.fffffffffffffp1023") == to_rational(kMax));
  CHECK(parse_decimal("0x1p-1074") == to_rational(kMinSub));
  CHECK(parse_decimal("123456789012345678901234567890") == Rational(Integer("123456789012345678901234567890")));
  CHECK(parse_decimal("1e400") == pow10(400));
  CHECK(parse_decimal("2.5e-400") == q(5, 2) * pow10(-400));
  CHECK(parse_decimal("0.000000000000000000000000000001") == pow10(-30));
  CHECK(parse_decimal("1e10000").has_value());
  // The double nearest to 0.1 is not 1/10.
  CHECK(*parse_decimal("0.1") != to_rational(0.1));
}

TEST_CASE("parse_decimal rejects what is not a literal", "[rational]") {
  for (const char* bad : {"1..2", "e5", "1e", "", "0x1.8", ".", "-", "+", "1e+", "0x", "0xp1", "1.2.3", " 1", "1 ",
                          "abc", "1e5x", "--1", "+-1", "0x1.8p", "1,5", "inf", "nan", "-inf", "0x1g", "1e1.5", "1e--5",
                          "0x1.8e3", "1f", "e", "E", "0b101"}) {
    INFO("'" << bad << "'");
    CHECK_FALSE(parse_decimal(bad).has_value());
  }
  // Exponents beyond 10000 are rejected rather than expanded.
  CHECK_FALSE(parse_decimal("1e10001").has_value());
  CHECK_FALSE(parse_decimal("1e99999999999999999999").has_value());
}

TEST_CASE("to_double_down and to_double_up bracket the rational and are adjacent or equal", "[rational]") {
  Rng rng("rational directed conversion");
  auto check = [](const Rational& r) {
    const double lo = to_double_down(r), hi = to_double_up(r);
    INFO(r.str() << " -> [" << hex(lo) << ", " << hex(hi) << "]");
    REQUIRE_FALSE(std::isnan(lo));
    REQUIRE_FALSE(std::isnan(hi));
    CHECK((lo == -kInf || to_rational(lo) <= r));
    CHECK((hi == kInf || r <= to_rational(hi)));
    if (lo == hi) {
      CHECK(to_rational(lo) == r);
    } else {
      CHECK(std::nextafter(lo, kInf) == hi);
    }
  };
  for (int i = 0; i < iterations(2000); ++i) check(random_rational(rng));
  for (int i = 0; i < iterations(500); ++i) {
    const double d = from_order_key(std::uniform_int_distribution<std::int64_t>(order_key(-kMax), order_key(kMax))(rng.engine()));
    check(to_rational(d));
    CHECK(to_double_down(to_rational(d)) == d);
    CHECK(to_double_up(to_rational(d)) == d);
  }
  check(q(0));
  check(q(1, 3));
  check(q(-1, 3));
  check(pow10(400));
  check(-pow10(400));
  check(pow10(-400));
  check(-pow10(-400));
  CHECK(to_double_down(pow10(400)) == kMax);
  CHECK(to_double_up(pow10(400)) == kInf);
  CHECK(to_double_down(-pow10(400)) == -kInf);
  CHECK(to_double_up(-pow10(400)) == -kMax);
  CHECK(to_double_down(pow10(-400)) == 0);
  CHECK(to_double_up(pow10(-400)) == kMinSub);
  CHECK(to_double_down(-pow10(-400)) == -kMinSub);
  CHECK(to_double_down(q(1, 10)) == 0.09999999999999999167);
  CHECK(to_double_up(q(1, 10)) == 0.1);
  // Halfway between two subnormals, and between DBL_MAX and the next binade.
  check(to_rational(kMinSub) * 3 / 2);
  check(to_rational(kMax) + to_rational(std::ldexp(1.0, 970)));
}

TEST_CASE("to_decimal_down and to_decimal_up bound the value and parse back", "[rational]") {
  Rng rng("rational decimal printing");
  for (int i = 0; i < iterations(1000); ++i) {
    const Rational r = rng.chance(0.5) ? random_rational(rng) : to_rational(rng.sign() * rng.log_uniform(1e-20, 1e20));
    const int digits = static_cast<int>(rng.integer(1, 25));
    const std::string down = to_decimal_down(r, digits), up = to_decimal_up(r, digits);
    INFO(r.str() << " with " << digits << " digits: " << down << " .. " << up);
    const auto d = parse_decimal(down), u = parse_decimal(up);
    REQUIRE(d.has_value());
    REQUIRE(u.has_value());
    CHECK(*d <= r);
    CHECK(r <= *u);
    // At most `digits` significant digits, and one unit in the last place apart.
    std::string mantissa;  // the digits, without sign, point and exponent
    for (char c : down.substr(0, down.find('e')))
      if (c >= '0' && c <= '9') mantissa += c;
    mantissa.erase(0, mantissa.find_first_not_of('0'));
    mantissa.erase(mantissa.find_last_not_of('0') + 1);
    CHECK(mantissa.size() <= static_cast<std::size_t>(digits));
    const Rational magnitude = r < 0 ? Rational(-r) : r;
    long e = 0;  // floor(log10 |r|), by comparison
    while (pow10(e + 1) <= magnitude) ++e;
    while (pow10(e) > magnitude) --e;
    CHECK(*u - *d <= pow10(e - digits + 1));
  }
  CHECK(to_decimal_down(q(1, 3), 5) == "0.33333");
  CHECK(to_decimal_up(q(1, 3), 5) == "0.33334");
  CHECK(to_decimal_down(q(-1, 3), 5) == "-0.33334");
  CHECK(to_decimal_up(q(-1, 3), 5) == "-0.33333");
  CHECK(to_decimal_down(q(1, 8), 10) == "0.125");
  CHECK(to_decimal_up(q(1, 8), 10) == "0.125");
  CHECK(to_decimal_up(q(0), 3) == "0");
  CHECK(to_decimal_up(q(99999, 10000), 2) == "10");
  CHECK(to_decimal_down(pow10(30), 3) == "1e30");
  CHECK(to_decimal_up(pow10(-30) * 3, 3) == "3e-30");
}

TEST_CASE("to_rational(double) is exact", "[rational]") {
  Rng rng("rational from double");
  for (int i = 0; i < iterations(2000); ++i) {
    const double d = from_order_key(std::uniform_int_distribution<std::int64_t>(order_key(-kMax), order_key(kMax))(rng.engine()));
    Mpfr x(53, d);
    INFO(hex(d));
    CHECK(mpfr_cmp_q(x, to_rational(d).backend().data()) == 0);
  }
  CHECK(to_rational(0.1) == Rational(3602879701896397, 36028797018963968));
  CHECK(to_rational(-0.0) == 0);
  CHECK(to_rational(kMinSub) == 1 / Rational(Integer(1) << 1074));
  CHECK(to_rational(kMax) == Rational((Integer(1) << 1024) - (Integer(1) << 971)));
  CHECK(to_rational(-3.5) == q(-7, 2));
}

TEST_CASE("to_string and parse_rational round-trip exactly", "[rational]") {
  Rng rng("rational text");
  for (int i = 0; i < iterations(500); ++i) {
    const Rational r = random_rational(rng);
    CHECK(parse_rational(to_string(r)) == r);
  }
  CHECK(to_string(q(5)) == "5");
  CHECK(to_string(q(-7, 2)) == "-7/2");
  CHECK(parse_rational("1/3") == q(1, 3));
  CHECK(parse_rational("0.5/3") == q(1, 6));
  CHECK(parse_rational("2.5") == q(5, 2));
  CHECK_FALSE(parse_rational("1/0").has_value());
  CHECK_FALSE(parse_rational("a/b").has_value());
  CHECK_FALSE(parse_rational("1/").has_value());
  CHECK_FALSE(parse_rational("/2").has_value());
}
