#pragma once
// How an expression depends on a chosen set of its variables (say beta, the
// others theta): not at all, affinely, or as a convex quadratic. A structural
// (syntactic) classification of the DAG, exact and conservative: `Other` is
// always a safe answer.
//
// Guarantee: if classify_dependence(graph, f, beta)[f] is ConvexQuadratic (or
// less), then for every theta at which all the beta-free subexpressions of f
// are defined, beta -> f(theta, beta) is defined on all of R^k and is a
// polynomial of degree <= 2 with positive semidefinite Hessian, i.e. a convex
// quadratic. Rules: a beta variable is Affine; nodes without beta are Free;
// sums keep the larger class; a difference or negation of a ConvexQuadratic
// is Other (concave); a product is Affine when one factor is Free and the
// other Affine, ConvexQuadratic for a nonnegative constant times a
// ConvexQuadratic or an Affine node times itself; sqr(a) and a^2 of an
// Affine a are ConvexQuadratic; a quotient by a Free node keeps Free and
// Affine, and a ConvexQuadratic divided by a positive constant stays one;
// every other function of a beta-dependent node is Other.
//
// Use: variable projection in the branch and bound (search/branch_and_bound.hpp):
// for a convex quadratic in beta, a stationary point in beta is the minimum
// over all beta (cert/checker.cpp re-checks the classification).
#include <cerval/expr/expr.hpp>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace cerval::expr {

enum class Dependence : std::uint8_t { Free, Affine, ConvexQuadratic, Other };

// The class of every node 0..root (indexed by NodeId) with respect to the
// variables flagged in `beta` (beta[i] true for variable i; shorter vectors
// mean false).
std::vector<Dependence> classify_dependence(const ExprGraph& graph, NodeId root, const std::vector<bool>& beta);

// f is a convex quadratic (or affine, or free) in the variables `beta`
// (indices) in the sense above.
bool is_convex_quadratic_in(const ExprGraph& graph, NodeId f, const std::vector<std::size_t>& beta);

// f does not depend on any variable of `beta` (indices).
bool is_free_of(const ExprGraph& graph, NodeId f, const std::vector<std::size_t>& beta);

}  // namespace cerval::expr
