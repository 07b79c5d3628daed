#pragma once
// Levenberg-Marquardt from several starts: the fast, uncertified local fit
// that gives `cerval fit` its first upper bound on the minimum loss.
//
// Nothing here is rigorous: residuals and Jacobians are evaluated in binary64
// with libm (forward-mode differentiation of the model graph). The point it
// returns is only a candidate; the branch and bound accepts it as an
// incumbent after evaluating the loss there with interval arithmetic
// (SearchOptions::start_points), so a wrong point can cost time, never
// soundness.
//
// Algorithm: Levenberg-Marquardt on r_i(p) = sqrt(w_i) (y_i - m_i(p)) with
// Marquardt's diagonal scaling (Moré, "The Levenberg-Marquardt algorithm:
// implementation and theory", 1978), steps projected onto the parameter box;
// starts at the box centre and at points of a Halton sequence in the box
// (log-spaced in coordinates whose box is positive and spans more than a
// decade).
#include <cerval/search/regression_spec.hpp>

#include <cstddef>
#include <vector>

namespace cerval::search {

// The model's residuals and Jacobian in binary64 (heuristic).
class FloatResiduals {
 public:
  explicit FloatResiduals(const RegressionSpec& rs);
  std::size_t parameters() const { return p_; }
  std::size_t rows() const { return y_.size(); }
  // r (size rows) and, when J is not null, the Jacobian dr/dp (rows x
  // parameters, row-major). False when a value is not finite.
  bool evaluate(const std::vector<double>& params, std::vector<double>& r, std::vector<double>* J) const;
  // Sum of squares of r (or max |r| for LossKind::MaxAbs); +inf when undefined.
  double loss(const std::vector<double>& params) const;
  // The model at arbitrary inputs (plots); NaN where undefined.
  double model_at(const std::vector<double>& params, const std::vector<double>& inputs) const;
  // Inputs and observed values of row i as doubles.
  const std::vector<double>& inputs(std::size_t i) const { return x_[i]; }
  double observed(std::size_t i) const { return y_[i]; }

 private:
  bool model_row(const std::vector<double>& params, const std::vector<double>& x, double& value,
                 std::vector<double>* gradient, std::vector<double>& val, std::vector<double>& grad) const;
  const RegressionSpec* rs_;
  std::size_t p_;
  std::vector<expr::NodeId> nodes_;       // model graph nodes the model needs, in order
  std::vector<double> constants_;         // per model-graph node (constants), midpoints
  std::vector<std::vector<double>> x_;    // inputs per row
  std::vector<double> y_;                 // observed
  std::vector<double> sqrt_w_;            // sqrt of the weights (1 when unweighted)
};

struct LevenbergMarquardtResult {
  std::vector<double> point;   // best point found (inside the box); empty if none
  double loss = 0;             // its floating-point loss (heuristic)
  std::size_t starts = 0;
  std::size_t iterations = 0;  // summed over starts
  double time_s = 0;
  std::vector<std::vector<double>> local_optima;  // distinct end points, best first
};

struct LevenbergMarquardtOptions {
  std::size_t starts = 24;
  // Parameters that enter the model linearly (linear_parameters). When some
  // parameters do not, the starts are screened by variable projection
  // (Golub & Pereyra, "The differentiation of pseudo-inverses and nonlinear
  // least squares problems whose variables separate", 1973): `screened`
  // Halton points in the other parameters, each with the linear ones set to
  // their least-squares optimum (clamped to the box), and the best `starts`
  // of them start Levenberg-Marquardt. A multimodal loss in a few nonlinear
  // parameters (NIST ENSO's two periods) is sampled far more densely so.
  std::vector<std::size_t> linear;
  std::size_t screened = 512;
  std::size_t max_iterations = 200;  // per start
  double time_limit_s = 5;
};

LevenbergMarquardtResult levenberg_marquardt(const RegressionSpec& rs, const LevenbergMarquardtOptions& options = {});

}  // namespace cerval::search
