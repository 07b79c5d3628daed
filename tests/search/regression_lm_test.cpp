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

TEST_CASE("variable projection screens the starts of a multimodal fit in its nonlinear parameter", "[regression]") {
  // y = 2.5 cos(7.3 x) + 0.4 sin(7.3 x) (12 decimals): the loss in w has a
  // local minimum near every multiple of the sampling's resolution, the
  // amplitudes enter linearly. Two Levenberg-Marquardt starts, chosen among
  // 512 values of w each with its least-squares amplitudes, find w = 7.3.
  const auto rs = search::parse_regression_spec(R"(variables a in [-5, 5]; b in [-5, 5]; w in [0.1, 12];
regression inputs x; output y; model a*cos(w*x) + b*sin(w*x);
data x, y:
  0.0, 2.500000000000;
  0.25, -0.241541337863;
  0.5, -2.378516903672;
  0.75, 1.437815237323;
  1.0, 1.655368441704;
  1.25, -2.270381975757;
  1.5, -0.513480950718;
  1.75, 2.528636965774;
  2.0, -0.758295759674;
  2.25, -2.147252488763;
  2.5, 1.838255336120;
  2.75, 1.222702877302;
  3.0, -2.453213143085;
  3.25, 0.011139458799;
  3.5, 2.447610557795;
  3.75, -1.242163977402;
  4.0, -1.822864800167;
  4.25, 2.158972926423;
  4.5, 0.737010435401;
  4.75, -2.529651960127;
  5.0, 0.535276765898;
  5.25, 2.260434775652;
  5.5, -1.672161317515;
  5.75, -1.419422068641;
  6.0, 2.386058944398;
  6.25, 0.219354903531;
  6.5, -2.496383384559;
  6.75, 1.036199884154;
  7.0, 1.975227165689;
  7.25, -2.029639409502;
  7.5, -0.954421029246;
  7.75, 2.509664993773;
  8.0, -0.307813737219;
  8.25, -2.354850226991;
  8.5, 1.492184493355;
  8.75, 1.604356774611;
  9.0, -2.299094939073;
  9.25, -0.448028112937;
  9.5, 2.524430456724;
  9.75, -0.821632935811;
  10.0, -2.111190578323;
)",
                                                "separable.spec");
  search::LevenbergMarquardtOptions options;
  options.starts = 2;
  options.linear = {0, 1};
  const auto lm = search::levenberg_marquardt(rs, options);
  REQUIRE(lm.point.size() == 3);
  CHECK(std::fabs(lm.point[2] - 7.3) < 1e-8);
  CHECK(std::fabs(lm.point[0] - 2.5) < 1e-8);
  CHECK(lm.loss < 1e-18);
  CHECK(lm.starts == 2);
}
