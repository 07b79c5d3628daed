#include <catch2/catch.hpp>

#include <cerval/seasonal/monodromy.hpp>

using cerval::numeric::Interval;
using cerval::numeric::MpInterval;
using cerval::numeric::Rational;
using namespace cerval::seasonal;

namespace {

MpInterval mp(double v) { return MpInterval(v, v, 400); }

SeasonalSpec scalar(const std::string& period) {
  return parse_seasonal_spec("variables\n x in [0, 1];\nseasonal\n period " + period +
                                 ";\n season unfavourable\n x' = -0.5*x - x^2;\n season favourable\n"
                                 " x' = x*(1 - x);\nend\n",
                             "scalar.spec");
}

SeasonalSpec commuting(const std::string& period) {
  return parse_seasonal_spec("variables\n x in [0, 1];\n y in [0, 1];\nseasonal\n period " + period +
                                 ";\n season unfavourable\n x' = -2*x + 2*y - x*(x + y);\n"
                                 " y' = x - 2*y - y*(x + y);\n season favourable\n x' = -x + 2*y - x*(x + y);\n"
                                 " y' = x - y - y*(x + y);\nend\n",
                             "commuting.spec");
}

}  // namespace

TEST_CASE("linearisation at 0 by interval AD") {
  const auto lin = linearise(commuting("2"));
  CHECK(lin.favourable(0, 0) == Interval(-1.0));
  CHECK(lin.favourable(0, 1) == Interval(2.0));
  CHECK(lin.unfavourable(1, 1) == Interval(-2.0));
  CHECK(lin.period == Interval(2.0));
  CHECK(is_metzler(lin));
}

TEST_CASE("scalar rho(theta) = exp(T[(1 - theta) - theta/2]) is enclosed") {
  for (const char* T : {"1", "3", "0.5"}) {
    const SeasonalSpec s = scalar(T);
    const MpInterval t = MpInterval::enclose(*cerval::numeric::parse_decimal(T), 400);
    for (double theta : {0.0, 0.25, 0.5, 2.0 / 3.0, 1.0}) {
      const MpInterval ref = exp(t * (mp(1) - mp(theta) * mp(1.5)));
      CHECK(MpInterval(spectral_radius(linearise(s), Interval(theta)), 400).contains(ref));
      const MpInterval r = spectral_radius(linearise(s, 200), MpInterval(theta, theta, 200));
      CHECK(r.contains(ref));
      CHECK(r.width() < 1e-50);
    }
    // theta as an interval: contains rho at every member.
    const Interval range = spectral_radius(linearise(s), Interval(0.25, 0.5));
    for (double theta : {0.25, 0.3, 0.5})
      CHECK(MpInterval(range, 400).contains(exp(t * (mp(1) - mp(theta) * mp(1.5)))));
  }
}

TEST_CASE("commuting rho(theta) = exp(T(sqrt2 - 1 - theta)) is enclosed") {
  for (double T : {0.5, 2.0, 5.0}) {
    const SeasonalSpec s = commuting(std::to_string(T));
    for (double theta : {0.0, 0.4, 0.75}) {
      const MpInterval ref = exp(mp(T) * (sqrt(mp(2)) - mp(1) - mp(theta)));
      CHECK(MpInterval(spectral_radius(linearise(s), Interval(theta)), 400).contains(ref));
      CHECK(spectral_radius(linearise(s, 256), MpInterval(theta, theta, 256)).contains(ref));
    }
  }
}

TEST_CASE("dM/dtheta is entrywise <= 0 when A_u <= A_f") {
  const auto lin = linearise(commuting("2"));
  const auto d = monodromy_derivative(lin, Interval(0.0, 1.0));
  for (const Interval& v : d.a) CHECK(v.certainly_le(0.0));
}
