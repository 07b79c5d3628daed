#pragma once
// A search problem read from a spec: the function to bound, the feasible set
// (box and constraints) and the options every search shares.
#include <cerval/expr/contractor.hpp>
#include <cerval/expr/spec.hpp>

#include <optional>
#include <string>
#include <vector>

namespace cerval::search {

struct SearchOptions {
  double eps_abs = 1e-9;        // stop when upper - lower <= max(eps_abs, eps_rel * |upper|)
  double eps_rel = 1e-9;
  double timeout_s = 0;         // 0: no limit
  std::size_t max_boxes = 50'000'000;
  std::optional<numeric::Rational> eps_h;  // relax equality constraints to |h - b| <= eps_h
  bool progress = false;        // progress lines on stderr (after the first second)
  bool record_tree = true;      // keep the subdivision for a certificate
  // Points tried as incumbents before the search starts, each accepted only
  // after the rigorous domain, feasibility and value checks (e.g. local optima
  // of a regression found by Levenberg-Marquardt).
  std::vector<std::vector<double>> start_points;
  // Variable projection (minimisation only): indices of variables beta in
  // which the objective is a convex quadratic (expr/quadratic.hpp; ignored
  // when it is not), e.g. the amplitudes of a least-squares fit. On a box
  // theta x B the branch and bound then bounds f on theta x E instead, E an
  // enclosure of the minimisers in beta over all of R^k proven by Krawczyk's
  // test, and splits theta only: min over theta x B of f >= min over
  // theta x E (branch_and_bound.hpp).
  std::vector<std::size_t> projected;
};

// The contractor constraints of a spec (equalities widened by eps_h when given).
std::vector<expr::ContractorConstraint> contractor_constraints(const expr::Spec& spec,
                                                               const std::optional<numeric::Rational>& eps_h);

// A target T such that a value enclosure inside T proves the relation for
// every value of the enclosure (the inner counterpart of relation_target:
// `<= 0.1` gives [-oo, largest double <= 1/10]).
numeric::Interval inner_target(expr::Relation relation, const numeric::Rational& bound,
                               const std::optional<numeric::Rational>& eps_h);
// Inner targets of all constraints of a spec, in order.
std::vector<numeric::Interval> inner_targets(const expr::Spec& spec, const std::optional<numeric::Rational>& eps_h);

// True when the point (exact doubles) lies in the exact rational domain.
bool in_exact_domain(const expr::Spec& spec, const std::vector<double>& point);

// True when the domain (the rational box the search covers, `lower` and
// `upper` of each variable) is bounded and the closed box lies in its
// interior: lower_i < box_i.lower() and box_i.upper() < upper_i, exactly.
bool strictly_inside_bounded_domain(const expr::Spec& spec, const std::vector<numeric::Interval>& box);

}  // namespace cerval::search
