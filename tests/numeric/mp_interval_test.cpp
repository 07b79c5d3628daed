// Tests of include/cerval/numeric/mp_interval.hpp: containment of the MPFR
// value computed at 4x the precision at random exact points (53, 128 and 256
// bits), the semantics shared with Interval, agreement with Interval,
// precision handling, conversions and tightness.
#include <cerval/numeric/mp_interval.hpp>

#include "containment.hpp"

#include <sstream>

using namespace cerval::numeric;
using namespace cerval::test;

namespace {

mpfr_prec_t any_precision() { return GENERATE(as<mpfr_prec_t>{}, 53, 128, 256); }

}  // namespace

TEST_CASE("MpInterval: unary functions contain the MPFR value at random points", "[mp_interval][containment]") {
  const mpfr_prec_t prec = any_precision();
  for (const auto& c : unary_cases<MpInterval>()) {
    Rng rng(std::string("mp unary ") + c.name + std::to_string(prec));
    Tally tally;
    check_unary(rng, c, prec, iterations(200), 4, tally);
    tally.verify(std::string(c.name) + " at " + std::to_string(prec) + " bits", rng.seed());
  }
}

TEST_CASE("MpInterval: binary operations contain the MPFR value at random points", "[mp_interval][containment]") {
  const mpfr_prec_t prec = any_precision();
  for (const auto& c : binary_cases<MpInterval>()) {
    Rng rng(std::string("mp binary ") + c.name + std::to_string(prec));
    Tally tally;
    check_binary(rng, c, prec, iterations(250), 4, tally);
    tally.verify(std::string(c.name) + " at " + std::to_string(prec) + " bits", rng.seed());
  }
}

TEST_CASE("MpInterval: pow(x, n) contains the MPFR value at random points", "[mp_interval][containment]") {
  const mpfr_prec_t prec = any_precision();
  Rng rng("mp pow n " + std::to_string(prec));
  Tally tally;
  check_integer_power<MpInterval>(rng, prec, iterations(300), 4, tally);
  tally.verify("pow(x, n) at " + std::to_string(prec) + " bits", rng.seed());
}

TEST_CASE("MpInterval: documented semantics (the same as Interval's)", "[mp_interval]") {
  const mpfr_prec_t prec = any_precision();
  INFO(prec << " bits");
  check_documented_semantics<MpInterval>(prec);
}

TEST_CASE("MpInterval: empty and unbounded inputs to every function", "[mp_interval]") {
  const mpfr_prec_t prec = any_precision();
  INFO(prec << " bits");
  check_empty_and_unbounded<MpInterval>(prec);
}

TEST_CASE("MpInterval: agrees with Interval on emptiness and overlaps it, at 53 bits", "[mp_interval]") {
  // Both enclose the same set of values, so where one is empty the other must
  // be, and otherwise they must intersect.
  Rng rng("mp agrees with interval");
  Mpfr alo(53), ahi(53), blo(53), bhi(53);
  auto agree = [](const Interval& i, const MpInterval& m) {
    if (i.is_empty() || m.is_empty()) return i.is_empty() && m.is_empty();
    return !intersect(i, m.to_interval()).is_empty();
  };
  const auto mp_unary = unary_cases<MpInterval>();
  const auto iv_unary = unary_cases<Interval>();
  const auto mp_binary = binary_cases<MpInterval>();
  const auto iv_binary = binary_cases<Interval>();
  for (int n = 0; n < iterations(200); ++n) {
    for (std::size_t k = 0; k < mp_unary.size(); ++k) {
      random_box(rng, mp_unary[k].specials, alo, ahi);
      const Interval a = Traits<Interval>::make(alo.get(), ahi.get(), 53);
      const MpInterval m(alo.get(), ahi.get(), 53);
      INFO(mp_unary[k].name << " of " << Traits<Interval>::describe(a));
      CHECK(agree(iv_unary[k].f(a), mp_unary[k].f(m)));
    }
    for (std::size_t k = 0; k < mp_binary.size(); ++k) {
      random_box(rng, mp_binary[k].specials, alo, ahi);
      random_box(rng, mp_binary[k].specials, blo, bhi);
      const Interval a = Traits<Interval>::make(alo.get(), ahi.get(), 53);
      const Interval b = Traits<Interval>::make(blo.get(), bhi.get(), 53);
      const MpInterval ma(alo.get(), ahi.get(), 53), mb(blo.get(), bhi.get(), 53);
      INFO(mp_binary[k].name << " of " << Traits<Interval>::describe(a) << ", " << Traits<Interval>::describe(b));
      CHECK(agree(iv_binary[k].f(a, b), mp_binary[k].f(ma, mb)));
    }
    const long e = rng.integer(-5, 5);
    random_box(rng, {0.0}, alo, ahi);
    const Interval a = Traits<Interval>::make(alo.get(), ahi.get(), 53);
    INFO("pow(" << Traits<Interval>::describe(a) << ", " << e << ")");
    CHECK(agree(pow(a, e), pow(MpInterval(alo.get(), ahi.get(), 53), e)));
  }
}

TEST_CASE("MpInterval: widths within 2^-240 relative at 256 bits for well-conditioned inputs", "[mp_interval]") {
  Rng rng("mp tightness");
  const mpfr_prec_t prec = 256;
  struct F {
    const char* name;
    MpInterval (*f)(const MpInterval&);
    double lo, hi;
  };
  const std::vector<F> functions = {
      {"exp", [](const MpInterval& x) { return exp(x); }, -700, 700},
      {"log", [](const MpInterval& x) { return log(x); }, 1e-300, 0.5},
      {"log", [](const MpInterval& x) { return log(x); }, 2, 1e300},
      {"sin", [](const MpInterval& x) { return sin(x); }, 0.1, 3},
      {"cos", [](const MpInterval& x) { return cos(x); }, -1.5, 1.5},
      {"tan", [](const MpInterval& x) { return tan(x); }, 0.01, 1.5},
      {"asin", [](const MpInterval& x) { return asin(x); }, 0.01, 0.99},
      {"acos", [](const MpInterval& x) { return acos(x); }, -0.99, 0.99},
      {"atan", [](const MpInterval& x) { return atan(x); }, 1e-10, 1e10},
      {"sinh", [](const MpInterval& x) { return sinh(x); }, 0.01, 700},
      {"cosh", [](const MpInterval& x) { return cosh(x); }, -700, 700},
      {"tanh", [](const MpInterval& x) { return tanh(x); }, 0.01, 20},
      {"sqrt", [](const MpInterval& x) { return sqrt(x); }, 1e-300, 1e300},
      {"sqr", [](const MpInterval& x) { return sqr(x); }, -1e150, 1e150},
      {"pow7", [](const MpInterval& x) { return pow(x, 7); }, 1e-40, 1e40},
      {"pow-3", [](const MpInterval& x) { return pow(x, -3); }, 1e-40, 1e40},
  };
  Mpfr lo(prec), hi(prec), x(prec), w(prec), bound(prec);
  auto relative_width_ok = [&](const MpInterval& r) {
    if (r.is_empty() || !r.is_bounded()) return false;
    mpfr_sub(w, r.upper_mpfr(), r.lower_mpfr(), MPFR_RNDU);
    mpfr_abs(bound, r.lower_mpfr(), MPFR_RNDN);
    mpfr_mul_2si(bound, bound, -240, MPFR_RNDN);
    return mpfr_cmp(w, bound) <= 0;
  };
  for (const F& f : functions) {
    mpfr_set_d(lo, f.lo, MPFR_RNDN);
    mpfr_set_d(hi, f.hi, MPFR_RNDN);
    for (int i = 0; i < iterations(50); ++i) {
      random_point(rng, lo, hi, x);
      const MpInterval in(x.get(), x.get(), prec);
      const MpInterval r = f.f(in);
      INFO(f.name << "(" << str(x) << ") = " << to_string(r));
      CHECK(relative_width_ok(r));
    }
  }
  for (int i = 0; i < iterations(100); ++i) {
    mpfr_set_d(lo, 1e-100, MPFR_RNDN);
    mpfr_set_d(hi, 1e100, MPFR_RNDN);
    random_point(rng, lo, hi, x);
    const MpInterval a(x.get(), x.get(), prec);
    random_point(rng, lo, hi, x);
    const MpInterval b(x.get(), x.get(), prec);
    INFO(to_string(a) << " op " << to_string(b));
    CHECK(relative_width_ok(a + b));
    CHECK(relative_width_ok(a * b));
    CHECK(relative_width_ok(a / b));
    CHECK(relative_width_ok(pow(a, b / MpInterval(1e100, 1e100, prec))));
  }
}

TEST_CASE("MpInterval: sin and cos of huge arguments contain the value MPFR computes at 2000 bits", "[mp_interval]") {
  const mpfr_prec_t prec = any_precision();
  for (double x : {1e22, -1e22, 1e300, 6381956970095103.0 * 0x1p797, kMax}) {
    const MpInterval in(x, x, prec);
    Mpfr ref(2000), point(53, x);
    mpfr_sin(ref, point, MPFR_RNDN);
    INFO(prec << " bits, x = " << hex(x) << ": sin " << str(ref) << " in " << to_string(sin(in)));
    CHECK(Traits<MpInterval>::encloses(sin(in), ref));
    mpfr_cos(ref, point, MPFR_RNDN);
    CHECK(Traits<MpInterval>::encloses(cos(in), ref));
    CHECK(sin(in).width() < std::ldexp(1.0, 3 - static_cast<int>(prec)));
  }
}

TEST_CASE("MpInterval: precision is explicit and propagates", "[mp_interval]") {
  const MpInterval a(1, 2, 64), b(3, 4, 200);
  CHECK(a.precision() == 64);
  CHECK((a + b).precision() == 200);
  CHECK((b - a).precision() == 200);
  CHECK((a * b).precision() == 200);
  CHECK((a / b).precision() == 200);
  CHECK(min(a, b).precision() == 200);
  CHECK(hull(a, b).precision() == 200);
  CHECK(intersect(a, b).precision() == 200);
  CHECK(pow(a, b).precision() == 200);
  CHECK(exp(a).precision() == 64);
  CHECK(pow(a, 3).precision() == 64);
  CHECK(pow(a, -3).precision() == 64);
  CHECK(pow(a, 0).precision() == 64);
  CHECK((-a).precision() == 64);
  CHECK(MpInterval::pi(300).precision() == 300);
  CHECK(MpInterval::empty(70).precision() == 70);
  CHECK_THROWS_AS(MpInterval(1), std::invalid_argument);
  CHECK_THROWS_AS(MpInterval(0), std::invalid_argument);
  CHECK_THROWS_AS(MpInterval(1, 2, -5), std::invalid_argument);
  CHECK_NOTHROW(MpInterval(MpInterval::kMinPrecision));

  SECTION("copy, move and assignment carry value and precision") {
    MpInterval c = b;
    CHECK(c == b);
    CHECK(c.precision() == 200);
    c = a;
    CHECK(c == a);
    CHECK(c.precision() == 64);
    MpInterval d = std::move(c);
    CHECK(d == a);
    c = b;  // a moved-from object may be assigned
    CHECK(c == b);
    MpInterval e(std::move(d));
    d = std::move(e);  // moved-from target, move assignment
    CHECK(d == a);
    d = d;  // self-assignment
    CHECK(d == a);
    d = std::move(d);
    CHECK(d == a);
    std::vector<MpInterval> v;
    for (int i = 0; i < 50; ++i) v.push_back(MpInterval(i, i + 1, 80 + i));  // reallocation moves
    CHECK(v[49] == MpInterval(49, 50, 53));
    CHECK(v[49].precision() == 129);
  }
}

TEST_CASE("MpInterval: intervals built on released limbs carry only their own value", "[mp_interval]") {
  // Released limbs are reused by the next interval of the same precision
  // (mp_interval.cpp, LimbPool): whatever the last owner left must never
  // show through. Fill the pool with wide, empty and entire intervals at
  // several precisions (more than it keeps), then build every kind of
  // interval at those precisions and compare with fresh expectations.
  const std::vector<mpfr_prec_t> precisions{2, 53, 64, 200, 53, 2, 300, 64};
  for (int round = 0; round < 3; ++round) {
    {
      std::vector<MpInterval> garbage;
      for (int i = 0; i < 70000; ++i) {
        const mpfr_prec_t prec = precisions[static_cast<std::size_t>(i) % precisions.size()];
        garbage.push_back(i % 3 == 0   ? MpInterval::empty(prec)
                          : i % 3 == 1 ? MpInterval::entire(prec)
                                       : MpInterval(-1e300, 1e300, prec));
      }
    }  // all released here
    for (const mpfr_prec_t prec : precisions) {
      const MpInterval zero(prec);
      CHECK(zero.is_point());
      CHECK(zero.to_interval().lower() == 0);
      CHECK(zero.precision() == prec);
      const MpInterval point(0.5, 0.5, prec);
      CHECK(point.is_point());
      CHECK(point.to_interval().upper() == 0.5);
      const MpInterval from_interval(Interval(1, 2), prec);
      CHECK(from_interval == MpInterval(1, 2, prec));
      CHECK(MpInterval(Interval::empty(), prec).is_empty());
      const MpInterval copy = point;
      CHECK(copy == point);
      CHECK(copy.precision() == prec);
      MpInterval assigned(53);
      assigned = MpInterval(3, 4, prec);
      CHECK(assigned == MpInterval(3, 4, prec));
      CHECK(assigned.precision() == prec);
      const Rational third = Rational(1) / Rational(3);
      CHECK(MpInterval::enclose(third, prec).contains(third));
      CHECK(!MpInterval::enclose(third, prec).contains(Rational(1) / Rational(2)));
    }
  }
}

TEST_CASE("MpInterval: construction and conversions are exact or outward", "[mp_interval]") {
  SECTION("doubles at a precision below 53 round outward") {
    const MpInterval x(0.3, 0.3, 2);
    CHECK(x.contains(0.3));
    CHECK(x.lower_rational() == Rational(1, 4));
    CHECK(x.upper_rational() == Rational(3, 8));
    CHECK(MpInterval(0.3, 0.3, 53).is_point());
    CHECK(MpInterval(Interval(0.1, 0.3), 53).to_interval() == Interval(0.1, 0.3));
    CHECK(MpInterval(Interval::empty(), 53).is_empty());
    CHECK(MpInterval(Interval::entire(), 53) == MpInterval::entire(53));
  }
  SECTION("rationals and decimals") {
    for (mpfr_prec_t p : {2, 53, 128, 256, 1000}) {
      INFO(p << " bits");
      const MpInterval third = MpInterval::enclose(Rational(1, 3), p);
      CHECK(third.contains(Rational(1, 3)));
      CHECK_FALSE(third.is_point());
      Mpfr next(p);
      mpfr_set(next, third.lower_mpfr(), MPFR_RNDN);
      mpfr_nextabove(next);
      CHECK(mpfr_equal_p(next, third.upper_mpfr()));  // tightest
      CHECK(MpInterval::from_decimal("0.1", p).contains(Rational(1, 10)));
      CHECK(MpInterval::from_decimal("-1.5e-300", p).contains(Rational(-3, 2) / Rational(Integer(pow(Integer(10), 300)))));
      CHECK(MpInterval::from_decimal("0.5", p).is_point());
      CHECK(MpInterval::enclose(Rational(1, 7), Rational(2, 7), p).contains(Rational(1, 7)));
      CHECK(MpInterval::enclose(Rational(1, 7), Rational(2, 7), p).contains(Rational(2, 7)));
    }
    CHECK_THROWS_AS(MpInterval::from_decimal("abc", 53), std::invalid_argument);
    CHECK_THROWS_AS(MpInterval::enclose(Rational(2), Rational(1), 53), std::invalid_argument);
  }
  SECTION("mpfr endpoints are validated and rounded outward") {
    Mpfr a(200), b(200);
    mpfr_set_ui(a, 1, MPFR_RNDN);
    mpfr_div_ui(a, a, 3, MPFR_RNDD);
    mpfr_set(b, a, MPFR_RNDN);
    const MpInterval x(a.get(), b.get(), 53);
    CHECK(mpfr_cmp(x.lower_mpfr(), a) < 0);
    CHECK(mpfr_cmp(x.upper_mpfr(), a) > 0);
    CHECK_THROWS_AS(MpInterval(a.get(), Mpfr(200, 0.0).get(), 53), std::invalid_argument);
    Mpfr nan(53);
    mpfr_set_nan(nan);
    CHECK_THROWS_AS(MpInterval(nan.get(), a.get(), 53), std::invalid_argument);
  }
  SECTION("pi") {
    for (mpfr_prec_t p : {2, 53, 256, 1000}) {
      Mpfr ref(4 * p);
      mpfr_const_pi(ref, MPFR_RNDN);
      CHECK(Traits<MpInterval>::encloses(MpInterval::pi(p), ref));
    }
  }
  SECTION("exact endpoints, midpoint, width") {
    const MpInterval x = MpInterval::from_decimal("0.1", 128);
    CHECK(x.lower_rational() < Rational(1, 10));
    CHECK(Rational(1, 10) < x.upper_rational());
    CHECK(x.contains(x.midpoint_rational()));
    CHECK(x.midpoint_rational() == (x.lower_rational() + x.upper_rational()) / 2);
    CHECK(to_rational(x.width()) >= x.upper_rational() - x.lower_rational());
    CHECK(x.width() > 0);
    CHECK(MpInterval(1, 3, 53).width() == 2);
    CHECK(MpInterval(0, kInf, 53).width() == kInf);
    CHECK(MpInterval::empty(53).width() == 0);
    CHECK(MpInterval(0.0, 0.0, 53).lower_rational() == 0);
    CHECK_THROWS_AS(MpInterval(0, kInf, 53).upper_rational(), std::domain_error);
    CHECK_THROWS_AS(MpInterval::empty(53).lower_rational(), std::domain_error);
    CHECK_THROWS_AS(MpInterval(0, kInf, 53).midpoint_rational(), std::domain_error);
    // Endpoints with MPFR exponents far beyond the double range.
    const MpInterval big = exp(MpInterval(1e6, 1e6, 64));
    CHECK(big.is_bounded());
    CHECK(big.to_interval() == Interval(kMax, kInf));
    CHECK(big.lower_down() == kMax);
    CHECK(big.upper_up() == kInf);
    const MpInterval small = exp(MpInterval(-1e6, -1e6, 64));
    CHECK(small.to_interval() == Interval(0, kMinSub));
    CHECK(small.certainly_gt(0));
  }
  SECTION("to_interval is outward") {
    const MpInterval x = MpInterval::enclose(Rational(1, 3), 256);
    const Interval i = x.to_interval();
    CHECK(Traits<Interval>::contains(i, x.lower_rational()));
    CHECK(Traits<Interval>::contains(i, x.upper_rational()));
    CHECK(i == Interval::enclose(Rational(1, 3)));
    CHECK(MpInterval::empty(53).to_interval().is_empty());
    CHECK(std::isnan(MpInterval::empty(53).lower_down()));
  }
  SECTION("bisect") {
    const MpInterval x = MpInterval::enclose(Rational(1, 3), Rational(2, 3), 100);
    const auto [lo, hi] = bisect(x);
    CHECK(mpfr_equal_p(lo.upper_mpfr(), hi.lower_mpfr()));
    CHECK(hull(lo, hi) == x);
    CHECK(lo.precision() == 100);
    const auto [a, b] = bisect(MpInterval(0, kInf, 53));
    CHECK(mpfr_equal_p(a.upper_mpfr(), b.lower_mpfr()));
    CHECK(hull(a, b) == MpInterval(0, kInf, 53));
    CHECK(a.is_bounded());
    const auto [c, d] = bisect(MpInterval::entire(53));
    CHECK(c == MpInterval(-kInf, 0, 53));
    CHECK(d == MpInterval(0, kInf, 53));
    CHECK_THROWS_AS(bisect(MpInterval::empty(53)), std::domain_error);
  }
  SECTION("queries") {
    CHECK(MpInterval(53).is_point());
    CHECK(MpInterval(53).contains(0.0));
    CHECK(MpInterval(1, 2, 53).contains(Rational(3, 2)));
    CHECK_FALSE(MpInterval(1, 2, 53).contains(Rational(5, 2)));
    CHECK_FALSE(MpInterval::empty(53).contains(Rational(0)));
    CHECK(MpInterval::entire(53).contains(Rational(-7, 3)));
    CHECK(MpInterval(1, 2, 53) == MpInterval(1, 2, 300));
    CHECK_FALSE(MpInterval(1, 2, 53) == MpInterval(1, 3, 53));
    CHECK(MpInterval::empty(53) == MpInterval::empty(60));
    CHECK_FALSE(MpInterval::empty(53) == MpInterval(53));
  }
}

TEST_CASE("MpInterval: to_string rounds outward and shows the width", "[mp_interval]") {
  CHECK(to_string(MpInterval::empty(53)) == "[empty]");
  CHECK(to_string(MpInterval::entire(53)) == "[-oo, +oo]");
  CHECK(to_string(MpInterval(1, 2, 53)) == "[1, 2]");
  CHECK(to_string(MpInterval(-0.5, 0, 53)) == "[-0.5, 0]");
  std::ostringstream os;
  os << MpInterval(1, kInf, 100);
  CHECK(os.str() == "[1, +oo]");
  Rng rng("mp to_string");
  for (int i = 0; i < iterations(200); ++i) {
    const mpfr_prec_t p = rng.pick(std::vector<mpfr_prec_t>{20, 53, 128, 256});
    const double a = rng.sign() * rng.log_uniform(1e-300, 1e300);
    const double e = rng.sign() * rng.log_uniform(1e-300, 700);
    const MpInterval x = rng.chance(0.5) ? MpInterval::enclose(to_rational(a) / 3, p) : exp(MpInterval(e, e, p));
    const std::string s = to_string(x);
    INFO(s << " at " << p << " bits");
    const auto comma = s.find(", ");
    REQUIRE(comma != std::string::npos);
    const auto lo = parse_decimal(s.substr(1, comma - 1));
    const auto hi = parse_decimal(s.substr(comma + 2, s.size() - comma - 3));
    if (!x.is_bounded()) continue;
    REQUIRE(lo.has_value());
    REQUIRE(hi.has_value());
    CHECK(*lo <= x.lower_rational());
    CHECK(x.upper_rational() <= *hi);
    if (!x.is_point()) CHECK(*lo < *hi);  // enough digits to show a nonzero width
  }
  // A thin 256-bit interval is printed with about 77 digits.
  const std::string thin = to_string(MpInterval::enclose(Rational(1, 3), 256));
  CHECK(thin.size() > 140);
  CHECK(thin.size() < 180);
}
