#include <catch2/catch.hpp>

#include <cerval/seasonal/threshold.hpp>

using cerval::numeric::MpInterval;
using cerval::numeric::Rational;
using namespace cerval::seasonal;

namespace {

SeasonalSpec scalar(const std::string& period, const std::string& ru, const std::string& rf,
                    const std::string& extra = "") {
  return parse_seasonal_spec("variables\n x in [0, 1];\nseasonal\n period " + period +
                                 ";\n season unfavourable\n x' = (" + ru + ")*x - x^2;\n season favourable\n"
                                 " x' = (" + rf + ")*x - x^2;\n" + extra + "end\n",
                             "scalar.spec");
}

SeasonalSpec commuting(const std::string& period) {
  return parse_seasonal_spec("variables\n x in [0, 1];\n y in [0, 1];\nseasonal\n period " + period +
                                 ";\n season unfavourable\n x' = -2*x + 2*y - x*(x + y);\n"
                                 " y' = x - 2*y - y*(x + y);\n season favourable\n x' = -x + 2*y - x*(x + y);\n"
                                 " y' = x - y - y*(x + y);\nend\n",
                             "commuting.spec");
}

ThresholdResult run(const SeasonalSpec& s, int digits) {
  ThresholdOptions o;
  o.digits = digits;
  return find_threshold(s, o);
}

bool contains(const ThresholdResult& r, const MpInterval& ref) {
  return r.lower <= ref.lower_rational() && ref.upper_rational() <= r.upper;
}

}  // namespace

TEST_CASE("scalar closed form: theta* = r_f / (r_f - r_u) = 2/3 for every T") {
  for (const char* T : {"0.5", "1", "3", "10"}) {
    const ThresholdResult r = run(scalar(T, "-0.5", "1"), 30);
    REQUIRE(r.status == ThresholdStatus::Crossing);
    CHECK(r.unique);
    CHECK(r.lower <= Rational(2, 3));
    CHECK(Rational(2, 3) <= r.upper);
    CHECK(r.digits_reached >= 30);
  }
  // Another rational threshold: r_u = -3, r_f = 1/2 gives 1/7.
  const ThresholdResult r = run(scalar("2", "-3", "1/2"), 20);
  REQUIRE(r.status == ThresholdStatus::Crossing);
  CHECK(r.lower <= Rational(1, 7));
  CHECK(Rational(1, 7) <= r.upper);
}

TEST_CASE("commuting closed form: theta* = sqrt(2) - 1 for every T") {
  const MpInterval ref = sqrt(MpInterval(2, 2, 500)) - MpInterval(1, 1, 500);
  for (const char* T : {"0.5", "2", "5"}) {
    const ThresholdResult r = run(commuting(T), 40);
    REQUIRE(r.status == ThresholdStatus::Crossing);
    CHECK(r.unique);
    CHECK(contains(r, ref));
    CHECK(r.digits_reached >= 40);
  }
  const ThresholdResult r = run(commuting("1"), 60);
  CHECK(contains(r, ref));
  CHECK(r.digits_reached >= 60);
}

TEST_CASE("always persistence, always extinction and a refuted threshold property") {
  CHECK(run(scalar("1", "0.1", "1"), 10).status == ThresholdStatus::AlwaysPersistence);
  CHECK(run(scalar("1", "-1", "-0.1"), 10).status == ThresholdStatus::AlwaysExtinction);
  // The unfavourable season is the better one: rho < 1 at theta = 0, > 1 at theta = 1.
  const ThresholdResult r = run(scalar("1", "1", "-1"), 10);
  CHECK(r.status == ThresholdStatus::MultipleCrossings);
  REQUIRE(r.witness);
  CHECK(r.witness->first.rho.certainly_lt(1.0));
  CHECK(r.witness->second.rho.certainly_gt(1.0));
  CHECK(r.witness->first.upper <= r.witness->second.lower);
}

TEST_CASE("classification at a point and over an interval of theta") {
  const SeasonalSpec s = scalar("3", "-0.5", "1");
  const auto at = [&](Rational lo, Rational hi) {
    ThetaRequest q{lo, hi, "theta", {}};
    return classify(s, q, 20);
  };
  // rho(theta) = exp(3 (1 - 3 theta / 2)).
  const Classification half = at(Rational(1, 2), Rational(1, 2));
  CHECK(half.outcome == Outcome::Persistence);
  CHECK(half.rho.contains(exp(MpInterval(0.75, 0.75, 300))));
  CHECK(at(Rational(3, 4), Rational(3, 4)).outcome == Outcome::Extinction);
  const Classification low = at(Rational(1, 2), Rational(3, 5));
  CHECK(low.outcome == Outcome::Persistence);
  CHECK(low.rho.contains(exp(MpInterval(0.75, 0.75, 300))));
  CHECK(at(Rational(7, 10), Rational(1)).outcome == Outcome::Extinction);
  CHECK(at(Rational(3, 5), Rational(7, 10)).outcome == Outcome::Mixed);
}

TEST_CASE("three state variables: theta* is enclosed and unique") {
  // A_u = A_f - I with A_f = -I + C, C the cyclic matrix with C^3 = 6 I: the seasons commute and
  // rho(M) = exp(T (6^(1/3) - 1 - theta)), so theta* = 6^(1/3) - 1.
  const SeasonalSpec s = parse_seasonal_spec(
      "variables\n E in [0, 1];\n L in [0, 1];\n A in [0, 1];\nseasonal\n period 4;\n"
      " season unfavourable\n E' = 6*A - 2*E - E^2;\n L' = E - 2*L - L^2;\n A' = L - 2*A - A^2;\n"
      " season favourable\n E' = 6*A - E - E^2;\n L' = E - L - L^2;\n A' = L - A - A^2;\nend\n",
      "three.spec");
  const MpInterval a = pow(MpInterval(6, 6, 400), MpInterval::enclose(Rational(1, 3), 400));
  const MpInterval ref = a - MpInterval(1, 1, 400);
  const ThresholdResult r = run(s, 30);
  REQUIRE(r.status == ThresholdStatus::Crossing);
  CHECK(r.unique);
  CHECK(contains(r, ref));
  CHECK(r.digits_reached >= 30);
}
