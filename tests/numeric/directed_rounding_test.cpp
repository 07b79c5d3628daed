// Tests of include/cerval/numeric/detail/directed_rounding.hpp. The header
// claims `op_down(a, b) <= a op b <= op_up(a, b)` exactly, with the bounds
// one ulp from the exact value at most, WHATEVER the FPU rounding mode: every
// check here runs under all four IEEE modes and is decided exactly against
// MPFR (which does not use the FPU for these operations).
#include <cerval/numeric/detail/directed_rounding.hpp>

#include "containment.hpp"

#include <bit>

using cerval::numeric::detail::add_down;
using cerval::numeric::detail::add_up;
using cerval::numeric::detail::div_down;
using cerval::numeric::detail::div_up;
using cerval::numeric::detail::mul_down;
using cerval::numeric::detail::mul_up;
using cerval::numeric::detail::next_down;
using cerval::numeric::detail::next_up;
using cerval::numeric::detail::sqrt_down;
using cerval::numeric::detail::sqrt_up;
using cerval::numeric::detail::sub_down;
using cerval::numeric::detail::sub_up;
using namespace cerval::test;

namespace {

enum class Op { Add, Sub, Mul, Div, Sqrt };

const char* op_name(Op op) {
  switch (op) {
    case Op::Add: return "add";
    case Op::Sub: return "sub";
    case Op::Mul: return "mul";
    case Op::Div: return "div";
    case Op::Sqrt: return "sqrt";
  }
  return "?";
}

// The exact result rounded down and up to binary64, by MPFR: rounding to 53
// bits (unbounded exponent) and then to a double in the same direction is the
// correct directed rounding onto the double grid, subnormals and overflow
// included, since every double is a 53-bit number.
std::pair<double, double> exact_bracket(Op op, double a, double b) {
  Mpfr x(53, a), y(53, b), r(53);
  auto rounded = [&](mpfr_rnd_t rnd) {
    switch (op) {
      case Op::Add: mpfr_add(r, x, y, rnd); break;
      case Op::Sub: mpfr_sub(r, x, y, rnd); break;
      case Op::Mul: mpfr_mul(r, x, y, rnd); break;
      case Op::Div: mpfr_div(r, x, y, rnd); break;
      case Op::Sqrt: mpfr_sqrt(r, x, rnd); break;
    }
    return mpfr_get_d(r, rnd);
  };
  return {rounded(MPFR_RNDD), rounded(MPFR_RNDU)};
}

std::pair<double, double> directed(Op op, double a, double b) {
  switch (op) {
    case Op::Add: return {add_down(a, b), add_up(a, b)};
    case Op::Sub: return {sub_down(a, b), sub_up(a, b)};
    case Op::Mul: return {mul_down(a, b), mul_up(a, b)};
    case Op::Div: return {div_down(a, b), div_up(a, b)};
    case Op::Sqrt: return {sqrt_down(a), sqrt_up(a)};
  }
  return {0, 0};
}

// Random operands: arbitrary bit patterns, values near 1, subnormals, values
// near the overflow threshold, small integers, powers of two, and values
// around the 2^-960 underflow guard of the header.
double random_operand(Rng& rng) {
  const double s = rng.sign();
  switch (rng.integer(0, 8)) {
    case 0:
      return from_order_key(std::uniform_int_distribution<std::int64_t>(order_key(-kMax), order_key(kMax))(rng.engine()));
    case 1: return s * (1 + static_cast<double>(rng.integer(-8, 8)) * 0x1p-52);
    case 2: return s * from_order_key(rng.integer(0, order_key(kMinNormal) + 4));
    case 3: return s * from_order_key(order_key(kMax) - rng.integer(0, 8));
    case 4: return static_cast<double>(rng.integer(-1000, 1000));
    case 5: return s * std::ldexp(1.0, static_cast<int>(rng.integer(-1074, 1023)));
    case 6: return s * std::ldexp(1 + rng.unit(), static_cast<int>(rng.integer(-1000, -900)));
    case 7: return s * std::ldexp(1 + rng.unit(), static_cast<int>(rng.integer(500, 520)));
    default: return s * rng.log_uniform(1e-10, 1e10);
  }
}

// Second operands related to the first: cancellation, exact halves, products
// and quotients at the edges of the range.
double related_operand(Rng& rng, Op op, double a) {
  switch (rng.integer(0, 5)) {
    case 0: return -a;
    case 1: return -a * (1 + static_cast<double>(rng.integer(-4, 4)) * 0x1p-52);
    case 2: return a;
    case 3: return op == Op::Div ? a * std::ldexp(1.0, static_cast<int>(rng.integer(-60, 60)))
                                 : kMax / (a == 0 ? 1 : std::fabs(a)) * (1 + rng.unit() * 0x1p-50);
    case 4: return std::ldexp(1 + rng.unit(), -1022) / (a == 0 ? 1 : a);
    default: return std::nextafter(a, rng.chance(0.5) ? kInf : -kInf);
  }
}

struct Stats {
  long checked = 0;
  long failed = 0;
  std::string failures;
  void fail(const std::string& s) {
    if (++failed <= 8) failures += s + "\n";
  }
};

void check_one(Op op, double a, double b, Stats& st) {
  if (!std::isfinite(a) || !std::isfinite(b)) return;  // conventions: tested separately
  if (op == Op::Div && b == 0) return;  // precondition b != 0
  if (op == Op::Sqrt && (a < 0 || std::isnan(a))) return;  // precondition a >= 0
  const auto [rd, ru] = exact_bracket(op, a, b);
  const auto [down, up] = directed(op, a, b);
  ++st.checked;
  const std::string what = std::string(op_name(op)) + "(" + hex(a) + ", " + hex(b) + "): down " + hex(down) +
                           " up " + hex(up) + " exact in [" + hex(rd) + ", " + hex(ru) + "]";
  // Soundness: down <= exact <= up (for doubles, down <= exact iff down <= RD(exact)).
  if (!(down <= rd) || !(up >= ru)) {
    st.fail("UNSOUND " + what);
    return;
  }
  // Quality: at most one ulp beyond the tightest bound...
  if (down < std::nextafter(rd, -kInf) || up > std::nextafter(ru, kInf)) st.fail("LOOSE " + what);
  // ...and exactly the tightest bound away from the underflow guard and the
  // overflow threshold, where the error term is representable.
  const double tiny = 0x1p-960;
  bool regular = std::fabs(rd) < kMax && std::fabs(ru) < kMax;
  if (op == Op::Mul || op == Op::Div) regular = regular && std::fabs(rd) >= tiny && std::fabs(ru) >= tiny;
  if (op == Op::Div || op == Op::Sqrt) regular = regular && std::fabs(a) >= tiny;
  if (op == Op::Mul && (a == 0 || b == 0)) regular = true;
  if (regular && (down != rd || up != ru)) st.fail("NOT TIGHT " + what);
}

}  // namespace

TEST_CASE("directed rounding: down <= exact <= up for random and adversarial operands, in every rounding mode",
          "[directed_rounding]") {
  for (const auto& mode : kRoundingModes) {
    for (Op op : {Op::Add, Op::Sub, Op::Mul, Op::Div, Op::Sqrt}) {
      Rng rng(std::string("directed ") + op_name(op) + mode.name);
      Stats st;
      {
        RoundingModeGuard guard(mode.mode);
        for (int i = 0; i < iterations(3000); ++i) {
          const double a = op == Op::Sqrt ? std::fabs(random_operand(rng)) : random_operand(rng);
          const double b = rng.chance(0.3) ? related_operand(rng, op, a) : random_operand(rng);
          check_one(op, a, b, st);
          check_one(op, b, a, st);
        }
      }
      INFO(op_name(op) << " in " << mode.name << " seed=" << rng.seed() << " checked=" << st.checked << "\n"
                       << st.failures);
      CHECK(st.failed == 0);
    }
  }
}

TEST_CASE("directed rounding: hand-picked edge cases, in every rounding mode", "[directed_rounding]") {
  const std::vector<double> edges = {0.0,
                                     -0.0,
                                     1.0,
                                     -1.0,
                                     3.0,
                                     0.1,
                                     1.0 / 3,
                                     kMinSub,
                                     -kMinSub,
                                     3 * kMinSub,
                                     kMinNormal,
                                     std::nextafter(kMinNormal, 0.0),
                                     0x1p-960,
                                     std::nextafter(0x1p-960, 0.0),
                                     0x1.fffffffffffffp-961,
                                     0x1p-537,
                                     0x1p-511,
                                     kMax,
                                     -kMax,
                                     std::nextafter(kMax, 0.0),
                                     0x1p1023,
                                     0x1p512,
                                     0x1.fffffffffffffp511,
                                     1 + 0x1p-52,
                                     1 - 0x1p-53,
                                     0x1p53,
                                     0x1p53 + 2,
                                     9007199254740993.0,
                                     1e308,
                                     -1e-308,
                                     4.0,
                                     2.0};
  for (const auto& mode : kRoundingModes) {
    Stats st;
    {
      RoundingModeGuard guard(mode.mode);
      for (Op op : {Op::Add, Op::Sub, Op::Mul, Op::Div, Op::Sqrt})
        for (double a : edges)
          for (double b : edges) check_one(op, a, b, st);
    }
    INFO(mode.name << " checked=" << st.checked << "\n" << st.failures);
    CHECK(st.failed == 0);
  }
}

TEST_CASE("directed rounding: exact results stay exact, in every rounding mode", "[directed_rounding]") {
  for (const auto& mode : kRoundingModes) {
    INFO(mode.name);
    RoundingModeGuard guard(mode.mode);
    CHECK(add_down(1, 2) == 3);
    CHECK(add_up(1, 2) == 3);
    CHECK(add_down(0.5, 0.25) == 0.75);
    CHECK(sub_down(1, 1) == 0);
    CHECK(sub_up(1, 1) == 0);
    CHECK(mul_down(3, 7) == 21);
    CHECK(mul_up(3, 7) == 21);
    CHECK(div_down(1, 4) == 0.25);
    CHECK(div_up(1, 4) == 0.25);
    CHECK(div_down(-9, 3) == -3);
    CHECK(sqrt_down(9) == 3);
    CHECK(sqrt_up(9) == 3);
    CHECK(add_down(kMinSub, kMinSub) == 2 * kMinSub);  // subnormal sums are exact
    CHECK(add_up(kMinSub, kMinSub) == 2 * kMinSub);
    // Inexact: the two bounds are adjacent.
    CHECK(add_up(1, 0x1p-60) == std::nextafter(1.0, 2.0));
    CHECK(add_down(1, 0x1p-60) == 1);
    CHECK(add_down(1, -0x1p-60) == std::nextafter(1.0, 0.0));
    CHECK(div_down(1, 3) < div_up(1, 3));
    CHECK(std::nextafter(div_down(1, 3), 1.0) == div_up(1, 3));
  }
}

TEST_CASE("directed rounding: next_up and next_down agree with std::nextafter", "[directed_rounding]") {
  std::vector<double> values = {0.0, -0.0, kMinSub, -kMinSub, kMinNormal, -kMinNormal, kMax, -kMax, kInf, -kInf, 1.0,
                                -1.0, 0x1p-1022 - 0x1p-1074, std::nextafter(1.0, 2.0)};
  Rng rng("next_up");
  for (int i = 0; i < 2000; ++i) values.push_back(rng.sign() * rng.log_uniform(1e-320, 1e308));
  for (const double x : values) {
    INFO(hex(x));
    CHECK(std::bit_cast<std::uint64_t>(next_up(x)) == std::bit_cast<std::uint64_t>(std::nextafter(x, kInf)));
    CHECK(std::bit_cast<std::uint64_t>(next_down(x)) == std::bit_cast<std::uint64_t>(std::nextafter(x, -kInf)));
  }
  CHECK(std::isnan(next_up(std::numeric_limits<double>::quiet_NaN())));
  CHECK(std::isnan(next_down(std::numeric_limits<double>::quiet_NaN())));
}

TEST_CASE("directed rounding: infinities, zeros and NaN follow the endpoint conventions", "[directed_rounding]") {
  for (const auto& mode : kRoundingModes) {
    INFO(mode.name);
    RoundingModeGuard guard(mode.mode);
    CHECK(add_down(kInf, 1) == kInf);
    CHECK(add_up(-kInf, 1) == -kInf);
    CHECK(add_down(-kInf, -kInf) == -kInf);
    CHECK(std::isnan(add_down(kInf, -kInf)));
    CHECK(mul_down(0, kInf) == 0);  // 0 * inf := 0 for endpoints
    CHECK(mul_up(-kInf, 0) == 0);
    CHECK(mul_up(-0.0, kInf) == 0);
    CHECK(mul_down(kInf, -2) == -kInf);
    CHECK(mul_up(kInf, kInf) == kInf);
    CHECK(div_down(1, kInf) == 0);
    CHECK(div_up(-1, kInf) == 0);
    CHECK(div_down(kInf, 2) == kInf);
    CHECK(div_down(0, -3) == 0);
    CHECK(sqrt_down(0) == 0);
    CHECK(sqrt_up(kInf) == kInf);
    CHECK(std::isnan(add_up(std::nan(""), 1)));
    CHECK(std::isnan(mul_down(std::nan(""), 2)));
    // Overflow: the bound on the finite side is DBL_MAX (in directed modes
    // the header may step one ulp further, which is still sound), the other
    // infinite.
    auto is_or_below = [](double x, double tight) { return x == tight || x == next_down(tight); };
    auto is_or_above = [](double x, double tight) { return x == tight || x == next_up(tight); };
    const bool nearest = mode.mode == FE_TONEAREST;
    CHECK(is_or_below(add_down(kMax, kMax), kMax));
    CHECK(add_up(kMax, kMax) == kInf);
    CHECK(mul_down(-kMax, 2) == -kInf);
    CHECK(is_or_above(mul_up(-kMax, 2), -kMax));
    CHECK(is_or_below(div_down(kMax, 0.5), kMax));
    CHECK(div_up(kMax, 0.5) == kInf);
    if (nearest) {
      CHECK(add_down(kMax, kMax) == kMax);
      CHECK(mul_up(-kMax, 2) == -kMax);
    }
    // Underflow: never across zero to the wrong side; at most one ulp beyond
    // the tightest bound.
    CHECK(mul_down(kMinSub, 0.5) == 0);
    CHECK(is_or_above(mul_up(kMinSub, 0.5), kMinSub));
    CHECK(mul_up(-kMinSub, 0.5) == 0);
    CHECK(is_or_below(mul_down(-kMinSub, 0.5), -kMinSub));
    CHECK(div_down(kMinSub, 3) == 0);
    CHECK(is_or_above(div_up(kMinSub, 3), kMinSub));
    CHECK(div_up(-kMinSub, 3) == 0);
    if (nearest) CHECK(mul_up(kMinSub, 0.5) == kMinSub);
    CHECK(next_up(kMax) == kInf);
    CHECK(next_down(-kMax) == -kInf);
  }
}
