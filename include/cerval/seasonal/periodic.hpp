#pragma once
// The positive periodic solution of a persistent seasonal system, computed
// NUMERICALLY (not certified): classical Runge-Kutta of order 4 with fixed
// steps in binary64 for the period map Phi (unfavourable season on
// [0, theta T), favourable on [theta T, T)), iterated from a few initial
// states, then Newton's method on Phi(x) = x with a finite-difference
// Jacobian (steps with h L <= 1/4 for a Lipschitz estimate L, at most 4000
// per season). Under the theorem's hypotheses and rho(theta) > 1 this periodic
// solution exists, is unique and attracts every nonzero nonnegative
// solution; the numbers here only illustrate it: nothing in this header is
// an enclosure.
#include <cerval/seasonal/spec.hpp>

#include <string>
#include <vector>

namespace cerval::seasonal {

struct ConvergenceRun {
  std::vector<double> initial;
  std::vector<int> periods;        // after how many periods ...
  std::vector<double> distance;    // ... the max-norm distance to the periodic point
};

struct PeriodicSolution {
  bool converged = false;
  double theta = 0;
  std::vector<double> at_start;    // x(nT): start of the unfavourable season
  std::vector<double> at_switch;   // x(nT + theta T): start of the favourable season
  double residual = 0;             // |Phi(x) - x| (max norm)
  int steps_per_period = 0;
  std::vector<ConvergenceRun> runs;
  std::string detail;
};

// Precondition: theta in [0, 1]. Never throws on divergence: converged = false.
PeriodicSolution periodic_solution(const SeasonalSpec& spec, double theta);

// Samples of one period of the solution from x0 (for plots): (t, x(t)).
std::vector<std::pair<double, std::vector<double>>> sample_period(const SeasonalSpec& spec, double theta,
                                                                   const std::vector<double>& x0, int samples);

}  // namespace cerval::seasonal
