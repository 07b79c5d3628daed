#include <catch2/catch.hpp>

#include <cerval/seasonal/periodic.hpp>

#include <cmath>

using namespace cerval::seasonal;

// The periodic solution is numerical (not an enclosure), so it is compared
// with the closed form with a tolerance. For x' = r x - x^2, y = 1/x solves
// y' = -r y + 1: y(t) = e^{-rt} y0 + (1 - e^{-rt}) / r, an affine map.
TEST_CASE("numerical periodic solution of the scalar logistic model matches the closed form") {
  const SeasonalSpec s = parse_seasonal_spec(
      "variables\n x in [0, 1];\nseasonal\n period 3;\n season unfavourable\n x' = -0.5*x - x^2;\n"
      " season favourable\n x' = x - x^2;\nend\n",
      "p.spec");
  const double theta = 0.5, T = 3;
  auto affine = [](double r, double t) { return std::make_pair(std::exp(-r * t), (1 - std::exp(-r * t)) / r); };
  const auto [au, bu] = affine(-0.5, theta * T);
  const auto [af, bf] = affine(1.0, (1 - theta) * T);
  const double ystar = (af * bu + bf) / (1 - af * au);
  const PeriodicSolution p = periodic_solution(s, theta);
  REQUIRE(p.converged);
  CHECK(std::abs(p.at_start[0] - 1 / ystar) < 1e-6);
  CHECK(std::abs(p.at_switch[0] - 1 / (au * ystar + bu)) < 1e-6);
  // Every run approaches it.
  for (const auto& run : p.runs) CHECK(run.distance.back() < 1e-6);
}
