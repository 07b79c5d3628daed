#pragma once
// Bounds a function over one box of a search: HC4 contraction with the
// constraints (and an optional cut-off on f), then the best of the bounding
// forms of expr/forms.hpp for the side the search needs. The result names the
// form and its parameters, so the box can become a certificate leaf that the
// checker re-proves with the same forms.
#include <cerval/expr/contractor.hpp>
#include <cerval/expr/forms.hpp>
#include <cerval/expr/lagrangian.hpp>
#include <cerval/expr/least_squares_form.hpp>
#include <cerval/expr/rational_form.hpp>
#include <cerval/search/problem.hpp>
#include <cerval/search/proof_tree.hpp>

#include <memory>
#include <optional>
#include <vector>

namespace cerval::search {

using numeric::Interval;
using Box = std::vector<Interval>;

enum class Side { Lower, Upper };

struct FaceBound;

struct BoxBound {
  bool infeasible = false;  // contraction or a constraint proved no feasible point in the box
  bool contracted = false;  // HC4 was applied (the certificate leaf must say so)
  std::optional<double> cutoff;  // the cut-off the contraction used (none where f is not defined on the whole box)
  Box box;                  // the contracted box
  Interval enclosure;       // f over box, from `form`
  expr::Form form = expr::Form::Natural;
  std::vector<double> center;  // expansion point, for centred forms
  expr::Decoration decoration = expr::Decoration::trv;
  std::vector<Interval> gradient;  // enclosure of grad f over box (entire where unknown)
  bool certainly_feasible = false; // every constraint holds at every point of box
  // Non-empty when `enclosure` bounds the Lagrangian with these multipliers
  // (one per constraint) rather than f: a bound of f at feasible points only.
  std::vector<double> multipliers;
  // Variable projection: the ranges of the projected variables that replaced
  // theirs in the tree box (branch_and_bound.hpp), one per projected
  // variable (an empty interval: not projected on this box); empty: none.
  std::vector<Interval> projection;
  // With a projection: the bounds of the faces where the constrained minimum
  // in the projected variables lies when the unconstrained one is not
  // feasible (ProofNode::boundary); `enclosure` then bounds the box with every
  // constraint, and its lower end is the least over it and the faces.
  std::vector<FaceBound> boundary;
};

// The bound of one face (ProofFace).
struct FaceBound {
  int constraint = -1;
  int variable = -1;
  bool upper = false;
  BoxBound bound;
};

// Comparisons as exact constraint bounds, in order.
std::vector<expr::ConstraintBound> exact_constraints(const std::vector<expr::Comparison>& comparisons);

class BoxBounder {
 public:
  // `inner_targets[j]`: a value enclosure of constraint j inside it proves the
  // constraint (problem.hpp, inner_target); used to accept witness points.
  BoxBounder(const expr::ExprGraph& graph, expr::NodeId f, std::vector<expr::ContractorConstraint> constraints,
             std::vector<Interval> inner_targets);
  // f on the spec's feasible set (its constraints, equalities relaxed by eps_h).
  BoxBounder(const expr::Spec& spec, expr::NodeId f, const std::optional<numeric::Rational>& eps_h)
      : BoxBounder(spec.graph, f, contractor_constraints(spec, eps_h), inner_targets(spec, eps_h)) {
    set_exact_constraints(exact_constraints(spec.constraints));
  }

  // The constraints exactly (a subset of the spec's: those the bounder
  // contracts with): the rational form uses them to see clamps that the
  // constraints keep inactive (expr/rational_form.hpp).
  void set_exact_constraints(const std::vector<expr::ConstraintBound>& constraints);

  // Bounds f on `tree_box` for `side`. With a cutoff, points where f is beyond
  // the cutoff (f > cutoff for Side::Lower, f < cutoff for Side::Upper) are
  // contracted away as well: the search does not need them. `try_taylor`
  // adds the second-order form (costlier; for tight claims).
  BoxBound bound(const Box& tree_box, Side side, std::optional<double> cutoff, bool try_taylor) const;

  // Multipliers for Lagrangian bounds (expr/lagrangian.hpp), one per
  // constraint of `terms`; bound() then also tries the second-order and
  // mean-value forms of L = f + sum_k l_k (g_k - b_k) on boxes that are not
  // certainly feasible, and keeps whichever bound is better. Multipliers of
  // the wrong sign for `side` are set to 0. An empty vector switches it off.
  void set_multipliers(const std::vector<expr::ConstraintTerm>& terms, std::vector<double> multipliers, Side side,
                       bool equalities_relaxed);
  const std::vector<double>& multipliers() const { return multipliers_; }

  // Rigorous check that `point` satisfies every constraint: its enclosure at
  // the point lies in the constraint's inner target.
  bool point_feasible(const std::vector<double>& point) const;
  // Enclosure of f at a point.
  Interval value_at(const std::vector<double>& point) const;

  const expr::ExprGraph& graph() const { return *graph_; }
  expr::NodeId objective() const { return f_; }
  const std::vector<expr::ContractorConstraint>& constraints() const { return constraints_; }

 private:
  const expr::ExprGraph* graph_;
  expr::NodeId f_;
  std::vector<expr::ContractorConstraint> constraints_;
  std::vector<Interval> inner_targets_;
  expr::NodeId last_constraint_node_ = 0;
  // A private copy of the graph holding the Lagrangian node.
  std::shared_ptr<expr::ExprGraph> lagrangian_graph_;
  expr::NodeId lagrangian_ = 0;
  std::vector<double> multipliers_;
  // f's terms when it is a sum of squares (the Gauss-Newton form applies),
  // else none.
  std::optional<std::vector<expr::SquaredTerm>> squares_;
  // f's terms when it is a least-squares loss of a rational model (the
  // rational form applies), else none.
  std::optional<expr::RationalLoss> rational_;
  std::vector<bool> rational_kept_inactive_;  // per clamp of rational_: kept inactive by constraints_
};

// KKT multipliers at a point x (floating point, heuristic): the least-squares
// solution l of grad f(x) + sum_k l_k grad g_k(x) = 0 over the constraints
// active at x (equalities, and inequalities with |g_k(x) - b_k| small),
// others 0. Coordinates where x sits on a bound of `domain` are left out of
// the equations: there the bound itself carries a multiplier, and the
// Lagrangian is only ever bounded inside the domain. Empty when the
// gradients cannot be computed.
std::vector<double> estimate_multipliers(const expr::ExprGraph& graph, expr::NodeId f,
                                         const std::vector<expr::ConstraintTerm>& terms, const std::vector<double>& x,
                                         const Box& domain);

// The constraints of a spec as Lagrangian terms, in order.
std::vector<expr::ConstraintTerm> constraint_terms(const expr::Spec& spec);

// The binary64 number with the fewest significant bits in [a, b] (0 when the
// interval holds 0). Precondition: a <= b, both finite.
double simplest_dyadic(double a, double b);

// A split for bisection: the coordinate with the largest smear |g_i| w_i over
// the contracted box, split at the contracted box's midpoint, among
// coordinates where that point lies strictly inside the tree box (so both
// children are proper) and the contracted box is wider than `resolution[i]`
// (and than binary64 resolution). Returns false when no coordinate can be
// split: the box is as small as the search goes.
bool choose_split(const Box& tree_box, const BoxBound& bound, const std::vector<double>& resolution, int& variable,
                  double& point);
// The default resolution: 1e-12 of each coordinate's width in the root box,
// and at most 1e-9.
std::vector<double> default_resolution(const Box& root_box);

// Records on leaf `node` how its box was settled (form, contraction, cut-off,
// projection and the faces' bounds).
void record_leaf(ProofTree& tree, std::uint32_t node, const BoxBound& bound, LeafKind kind);

// Turns leaf `node` into a split of `tree_box` at `point` in `variable`;
// returns the ids and boxes of the lower and upper children.
struct Children {
  std::uint32_t lower_id, upper_id;
  Box lower, upper;
};
Children split_node(ProofTree& tree, std::uint32_t node, Box tree_box, int variable, double point);

// Contraction target that removes the points a cut-off excludes.
Interval cutoff_target(Side side, double cutoff);

}  // namespace cerval::search
