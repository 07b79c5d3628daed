// The perturbation bound for the minimiser of a sum of squares in the
// variables its residuals are affine in (include/cerval/expr/partial_minimiser.hpp):
// the enclosure holds the minimiser at every sampled value of the other
// variables (solved directly from the normal equations), it is proven by
// the test the checker runs, it succeeds on an ill-conditioned block where
// Krawczyk's test fails, and it refuses what the theorem does not cover.
#include <cerval/expr/existence.hpp>
#include <cerval/expr/partial_minimiser.hpp>
#include <cerval/expr/parser.hpp>

#include <catch2/catch.hpp>

#include "expr/reference.hpp"

#include <cmath>
#include <random>
#include <sstream>
#include <string>

using namespace cerval;
using namespace cerval::test_expr;

namespace {

// sum_i (y_i - sum_j amplitude_j exp(-rate_j x_i))^2 over the variables
// amplitudes then rates, with y from a sum of exponentials with the given
// amplitudes and rates at x = 0, step, 2 step, ...
struct ExponentialFit {
  std::vector<double> x, y;
  Parsed loss;
};

ExponentialFit exponential_fit(const std::vector<double>& amplitudes, const std::vector<double>& rates, int rows,
                               double step) {
  ExponentialFit fit;
  const std::size_t k = amplitudes.size();
  std::vector<std::string> names;
  for (std::size_t j = 0; j < k; ++j) names.push_back("a" + std::to_string(j));
  for (std::size_t j = 0; j < k; ++j) names.push_back("t" + std::to_string(j));
  std::ostringstream text;
  text.precision(17);
  for (int i = 0; i < rows; ++i) {
    const double x = step * i;
    double y = 0;
    for (std::size_t j = 0; j < k; ++j) y += amplitudes[j] * std::exp(-rates[j] * x);
    y = std::round(y * 1e5) / 1e5;  // data to five digits, as NIST's Lanczos3
    fit.x.push_back(x);
    fit.y.push_back(y);
    text << (i ? " + " : "") << "(" << y;
    for (std::size_t j = 0; j < k; ++j) text << " - a" << j << "*exp(-t" << j << "*" << x << ")";
    text << ")^2";
  }
  fit.loss = parse_over(names, text.str());
  return fit;
}

// The least-squares amplitudes for the given rates (normal equations,
// Gaussian elimination in long double; its error is far below the margins
// under test).
std::vector<double> optimal_amplitudes(const ExponentialFit& fit, const std::vector<double>& rates) {
  const std::size_t k = rates.size();
  std::vector<std::vector<long double>> a(k, std::vector<long double>(k + 1, 0));
  for (std::size_t i = 0; i < fit.x.size(); ++i) {
    std::vector<long double> column(k);
    for (std::size_t j = 0; j < k; ++j) column[j] = std::exp(-static_cast<long double>(rates[j]) * fit.x[i]);
    for (std::size_t p = 0; p < k; ++p) {
      for (std::size_t q = 0; q < k; ++q) a[p][q] += column[p] * column[q];
      a[p][k] += column[p] * fit.y[i];
    }
  }
  for (std::size_t c = 0; c < k; ++c)
    for (std::size_t r = 0; r < k; ++r) {
      if (r == c) continue;
      const long double factor = a[r][c] / a[c][c];
      for (std::size_t q = c; q <= k; ++q) a[r][q] -= factor * a[c][q];
    }
  std::vector<double> beta(k);
  for (std::size_t j = 0; j < k; ++j) beta[j] = static_cast<double>(a[j][k] / a[j][j]);
  return beta;
}

// The first sampled rate vector of the box whose optimal amplitudes the
// enclosure misses; empty when there is none.
std::vector<double> rates_outside(const ExponentialFit& fit, const std::vector<Interval>& e, int samples) {
  std::mt19937 gen(7);
  const std::size_t k = e.size() / 2;
  for (int s = 0; s < samples; ++s) {
    std::vector<double> rates;
    for (std::size_t j = 0; j < k; ++j) rates.push_back(point_in(gen, e[k + j]));
    const std::vector<double> beta = optimal_amplitudes(fit, rates);
    for (std::size_t j = 0; j < k; ++j)
      if (!e[j].contains(beta[j])) return rates;
  }
  return {};
}

}  // namespace

TEST_CASE("the perturbation bound encloses a two-exponential fit's amplitudes for every rate of a box",
          "[partial_minimiser][containment]") {
  const ExponentialFit fit = exponential_fit({1.5, 0.7}, {1.0, 3.0}, 9, 0.25);
  const std::vector<Interval> box{Interval(-100, 100), Interval(-100, 100), Interval(0.9, 1.0), Interval(2.8, 3.1)};
  const auto e = expr::partial_minimiser_enclosure(fit.loss.g, fit.loss.f, box, {0, 1}, {0.0, 0.0});
  REQUIRE(e);
  CHECK(e->at(2) == box[2]);
  CHECK(e->at(3) == box[3]);
  CHECK(rates_outside(fit, *e, 200).empty());
  CHECK(expr::perturbation_proves_partial_minimiser(fit.loss.g, fit.loss.f, *e, {0, 1}));
  // The amplitudes move by about 0.2 over the box (the first-order part
  // b~ alone spans that); the enclosure adds a second-order radius.
  CHECK(e->at(0).width() < 1);
  CHECK(e->at(1).width() < 1);
  // Ranges that miss the minimiser at some rates are not proven.
  const std::vector<double> beta = optimal_amplitudes(fit, {0.9, 2.8});
  std::vector<Interval> missing = *e;
  missing[0] = Interval(beta[0] + 1e-3, e->at(0).upper());
  CHECK_FALSE(expr::perturbation_proves_partial_minimiser(fit.loss.g, fit.loss.f, missing, {0, 1}));
}

TEST_CASE("the perturbation bound succeeds on an ill-conditioned block where Krawczyk's test fails",
          "[partial_minimiser][containment]") {
  // NIST Lanczos3's model and data, far from its minimum: three exponentials
  // whose columns over x in [0, 1.15] are nearly collinear. Over this box of
  // rates the Hessian block's entries vary by a few percent, which its
  // inverse amplifies past 1: Krawczyk's test, taking them as independent,
  // fails, while the optimal amplitudes move by less than 0.02.
  const ExponentialFit fit = exponential_fit({0.0951, 0.8607, 1.5576}, {1.0, 3.0, 5.0}, 24, 0.05);
  std::vector<Interval> box{Interval(0.0087, 0.87),       Interval(0.08, 8.7),          Interval(0.15, 15),
                            Interval(0.1875, 0.21875),    Interval(2.4375, 2.453125),   Interval(4.125, 4.1328125)};
  const std::vector<double> guess{0.063, 0.028, 2.407};
  CHECK_FALSE(expr::partial_stationary_point_enclosure(fit.loss.g, fit.loss.f, box, {0, 1, 2}, guess));
  const auto e = expr::partial_minimiser_enclosure(fit.loss.g, fit.loss.f, box, {0, 1, 2}, guess);
  REQUIRE(e);
  CHECK(rates_outside(fit, *e, 200).empty());
  for (std::size_t j = 0; j < 3; ++j) CHECK(e->at(j).width() < 0.1);
  CHECK(expr::perturbation_proves_partial_minimiser(fit.loss.g, fit.loss.f, *e, {0, 1, 2}));
}

TEST_CASE("the perturbation bound refuses what its theorem does not cover", "[partial_minimiser]") {
  const std::vector<Interval> box{Interval(-1, 1), Interval(-1, 1), Interval(0, 1)};
  for (const char* text : {
           "(a + b - t)^2",                        // singular: a + b is all the data determine
           "(1 - a^2*t)^2 + (2 - b)^2",            // a residual not affine in a
           "(1 - a*t)^2 + (2 - b)^2 - t",          // not a sum of squares
           "(1 - a*t)^2 + (2 - b)^2 + exp(a)",     // not a sum of squares either
       }) {
    INFO(text);
    const Parsed p = parse_over({"a", "b", "t"}, text);
    CHECK_FALSE(expr::partial_minimiser_enclosure(p.g, p.f, box, {0, 1}, {0.0, 0.0}));
    CHECK_FALSE(expr::perturbation_proves_partial_minimiser(p.g, p.f, box, {0, 1}));
  }
  // Defined on the box and regular, but the minimiser (1/t, 2) leaves every
  // bounded range as t nears 0.
  const Parsed p = parse_over({"a", "b", "t"}, "(1 - a*t)^2 + (2 - b)^2");
  CHECK_FALSE(expr::partial_minimiser_enclosure(p.g, p.f, box, {0, 1}, {0.0, 0.0}));
  const auto e = expr::partial_minimiser_enclosure(p.g, p.f, {box[0], box[1], Interval(0.5, 1)}, {0, 1}, {0.0, 0.0});
  REQUIRE(e);
  CHECK(e->at(0).contains(Interval(1, 2)));
  CHECK(e->at(1).contains(2.0));
}
