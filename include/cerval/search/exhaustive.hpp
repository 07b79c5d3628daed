#pragma once
// The searchability theorem's own algorithm (Ghica & Waugh Ambridge 2020):
// minimise f over a delta-net of the box, with delta from a certified modulus
// of continuity.
//
// A Lipschitz bound in the sup norm, L = sum_i sup_B |df/dx_i|, is certified
// by interval automatic differentiation over the whole box B. The net puts
// m_i equally spaced centres in coordinate i; every point of B lies within
// d_i of a centre in coordinate i (d_i computed from the actual binary64
// centres, rounded up), hence
//     min_c f(c) - sum_i sup|df/dx_i| d_i  <=  f*  <=  min_c f(c),
// which gives the eps-guarantee of the theorem once sum_i sup|df/dx_i| d_i <= eps.
// Only unconstrained problems (the box is the searchable space).
#include <cerval/search/problem.hpp>

#include <optional>
#include <string>
#include <vector>

namespace cerval::search {

struct ExhaustiveResult {
  bool completed = false;       // false when the net exceeds options.max_boxes points
  std::string reason;           // why not completed
  double lower = -std::numeric_limits<double>::infinity();
  double upper = std::numeric_limits<double>::infinity();
  std::optional<std::vector<double>> witness;
  double lipschitz = 0;         // certified sum_i sup |df/dx_i| (rounded up)
  double net_points = 0;        // a-priori number of evaluations
  std::vector<std::size_t> points_per_variable;
  double time_s = 0;
};

// Grid sizes for accuracy eps: m_i = ceil(w_i * L / (2 eps)) (at least 1).
std::vector<double> exhaustive_grid(const expr::Spec& spec, expr::NodeId f, double eps, double& lipschitz);

// The a-priori number of evaluations for the search's eps as text ("1.2e+14";
// "unbounded" when f has no finite Lipschitz bound on the box).
std::string exhaustive_cost_text(const expr::Spec& spec, expr::NodeId f, const SearchOptions& options);

ExhaustiveResult exhaustive_minimize(const expr::Spec& spec, expr::NodeId f, const SearchOptions& options);

}  // namespace cerval::search
