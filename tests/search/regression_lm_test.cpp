// Levenberg-Marquardt (heuristic): residuals and Jacobian of the model graph,
// and a multistart that finds the global fit of small problems.
#include <cerval/search/regression_lm.hpp>

#include <catch2/catch.hpp>

#include <cmath>

using namespace cerval;

TEST_CASE("floating-point residuals and Jacobian of the model", "[regression]") {
  const auto rs = search::parse_regression_spec(R"(variables a in [0, 10]; k in [0, 2];
regression inputs x; output y; model a*exp(-k*x);
data x, y:
  0, 2;
  1, 1;
)",
                                                "t.spec");
  const search::FloatResiduals model(rs);
  std::vector<double> r, J;
  REQUIRE(model.evaluate({2.0, 0.5}, r, &J));
  // r_i = y_i - a exp(-k x_i); dr/da = -exp(-k x), dr/dk = a x exp(-k x).
  CHECK(std::fabs(r[0] - 0.0) < 1e-15);
  CHECK(std::fabs(r[1] - (1 - 2 * std::exp(-0.5))) < 1e-15);
  CHECK(std::fabs(J[2] + std::exp(-0.5)) < 1e-15);
  CHECK(std::fabs(J[3] - 2 * std::exp(-0.5)) < 1e-15);
  CHECK(std::fabs(model.model_at({2.0, 0.5}, {2.0}) - 2 * std::exp(-1.0)) < 1e-15);
}

TEST_CASE("multistart Levenberg-Marquardt finds the generating parameters", "[regression]") {
  // y = 3 exp(-0.7 x), rounded to 6 digits.
  const auto rs = search::parse_regression_spec(R"(variables a in [0.1, 100]; k in [0.001, 10];
regression inputs x; output y; model a*exp(-k*x);
data x, y:
  0, 3;
  1, 1.48976;
  2, 0.739791;
  3, 0.367369;
  4, 0.182430;
)",
                                                "t.spec");
  const auto r = search::levenberg_marquardt(rs);
  REQUIRE(r.point.size() == 2);
  CHECK(std::fabs(r.point[0] - 3) < 1e-4);
  CHECK(std::fabs(r.point[1] - 0.7) < 1e-4);
  CHECK(r.loss < 1e-10);
  CHECK(!r.local_optima.empty());
}
