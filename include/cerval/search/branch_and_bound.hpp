#pragma once
// Certified global minimisation by interval branch and bound.
//
// Theorem served (Ghica & Waugh Ambridge 2020, global optimisation on a
// searchable space): for f uniformly continuous on a compact box and every
// eps > 0 there is x0 with f(x0) <= f(x) + eps for all x. The branch and bound
// is the accelerated form of the exhaustive search of that proof: it returns
// an enclosure [lower, upper] of f* = min f over the feasible set, a witness
// point proven feasible with f(witness) <= upper, and a cover of the domain by
// leaves, each proven to satisfy f >= lower or to hold no feasible point
// (the certificate).
//
// Techniques: best-first on lower bounds; HC4 contraction with the
// constraints and the cut-off f <= upper; natural, mean-value and
// monotonicity forms (expr/forms.hpp); bisection by smear (|grad| times
// width); upper bounds at box centres refined by projected gradient steps,
// each accepted only after rigorous feasibility and value checks; with
// equality constraints, feasible boxes proven by Krawczyk's test; without
// constraints, interior boxes where Krawczyk's test excludes a zero of the
// gradient are discarded (no global minimiser is a non-stationary interior
// point).
#include <cerval/search/box_bounder.hpp>
#include <cerval/search/problem.hpp>
#include <cerval/search/proof_tree.hpp>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace cerval::search {

enum class SearchStatus {
  Success,             // upper - lower <= eps
  Infeasible,          // proven: no feasible point
  NoFeasibleFound,     // no feasible point found, infeasibility not proven
  Timeout,             // time or box budget spent
  UnreachedPrecision,  // boxes too small to split further before eps was met
};
const char* to_string(SearchStatus s);

struct MinimizationResult {
  SearchStatus status = SearchStatus::NoFeasibleFound;
  // Enclosure of the minimum of the minimised function (lower may be -inf
  // and upper +inf when unknown).
  double lower = -std::numeric_limits<double>::infinity();
  double upper = std::numeric_limits<double>::infinity();
  std::optional<std::vector<double>> witness;  // feasible point with f(witness) <= upper
  // With equality constraints: the witness is the centre of this box, which
  // Krawczyk's test proves to hold a feasible point (feasibility.hpp); f <=
  // upper on the whole box.
  std::optional<Box> witness_box;
  std::vector<Box> minimizer_boxes;  // open leaves: together they hold every global minimiser
  std::size_t boxes_processed = 0;
  // Boxes discarded because the gradient has no zero in them (unconstrained
  // problems): leaves of kind NoStationaryPoint.
  std::size_t boxes_without_stationary_point = 0;
  double time_s = 0;
  bool all_infeasible_without_cutoff = false;
  ProofTree tree;  // leaves establish f >= lower (when record_tree)
  Box root_box;
};

// Minimises `f` over the spec's variable domains subject to its constraints.
// Precondition: f is a node of spec.graph.
MinimizationResult minimize(const expr::Spec& spec, expr::NodeId f, const SearchOptions& options);

}  // namespace cerval::search
