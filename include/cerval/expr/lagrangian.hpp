#pragma once
// Lagrangian bounds: a weak-duality argument that bounds f on the feasible
// points of a box even where the box straddles the constraints.
//
// For constraints g_k rel_k b_k and multipliers l_k, let
//     L(x) = f(x) + sum_k l_k (g_k(x) - b_k).
// At a feasible point every term l_k (g_k - b_k) is <= 0 when
//     l_k >= 0 for `<=`/`<`, l_k <= 0 for `>=`/`>`, l_k of any sign for `=`
// (g_k = b_k exactly; with a relaxation |g_k - b_k| <= eps_h only l_k = 0),
// so L <= f there, and a lower bound of L over the box is a lower bound of f
// over its feasible points (Side::Lower: minimisation, `f >= c` claims). For
// upper bounds (`f <= c` claims) the signs are reversed and L >= f. With the
// KKT multipliers of a constrained minimiser, L is stationary there, so
// second-order forms of L bound f* with an error quadratic in the box width
// instead of linear: the cure for the cluster effect on active constraints.
#include <cerval/expr/expr.hpp>
#include <cerval/expr/spec.hpp>
#include <cerval/numeric/rational.hpp>

#include <optional>
#include <vector>

namespace cerval::expr {

struct ConstraintTerm {
  NodeId expr;
  Relation relation;
  Rational bound;
};

// True when multiplier l for a constraint with `relation` keeps L on the safe
// side of f at feasible points: `lower_side` for bounds from below.
bool multiplier_admissible(double l, Relation relation, bool lower_side, bool equalities_relaxed);

// Adds L = f + sum_k l_k (g_k - b_k) to the graph (terms with l_k = 0 are
// left out; multipliers enter as exact constants). Precondition:
// multipliers.size() == constraints.size().
NodeId add_lagrangian(ExprGraph& graph, NodeId f, const std::vector<ConstraintTerm>& constraints,
                      const std::vector<double>& multipliers);

}  // namespace cerval::expr
