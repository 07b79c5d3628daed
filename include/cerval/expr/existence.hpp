#pragma once
// Existence of solutions of equation systems: Krawczyk's test.
//
// Theorem (Krawczyk 1969; Moore 1977; Neumaier, "Interval methods for systems
// of equations", 1990, Thm 5.1.7): let F: R^m -> R^m be Lipschitz on a box X
// with F(x) - F(y) in S (x - y) for all x in X, where the interval matrix S
// encloses the (generalised) Jacobian of F over X; let y be in X and C any
// real m x m matrix. If
//     K(X) = y - C F(y) + (I - C S)(X - y)  is inside the interior of X,
// then F has a zero in X (and it is unique when S is the Jacobian enclosure).
//
// Here F collects equality constraints h_k(x) = b_k of a spec, as functions
// of `unknowns` (m of the n variables); the other variables keep the values
// of the box, which may be degenerate (fixed) or not (then the conclusion
// holds for every value of them). F(y) and S are evaluated rigorously
// (binary64 intervals, automatic differentiation over X); C is an
// approximate inverse of mid(S) computed in floating point: its accuracy
// affects only whether the test succeeds, never the conclusion.
#include <cerval/expr/expr.hpp>
#include <cerval/numeric/interval.hpp>
#include <cerval/numeric/rational.hpp>

#include <cstddef>
#include <optional>
#include <vector>

namespace cerval::expr {

struct Equation {
  NodeId expr;              // h(x) = value
  numeric::Rational value;  // exact right-hand side
};

// True when Krawczyk's test proves that the equations have a common zero in
// `box` (a zero x with x_j in box[j] for every variable j). The equations
// must be as many as the unknowns, which index variables of the box. Every
// h_k must be defined and continuous on the whole box (checked: otherwise
// false).
bool krawczyk_proves_zero(const ExprGraph& graph, const std::vector<Equation>& equations,
                          const std::vector<numeric::Interval>& box, const std::vector<std::size_t>& unknowns);

// Krawczyk's exclusion test for stationary points. Theorem (Krawczyk 1969;
// Neumaier 1990, Thm 5.1.7 (i)): under the hypotheses above, every zero of F
// in X lies in K(X); so K(X) disjoint from X proves that F has no zero in X.
// Here F = grad f and S encloses the Hessian of f over X (forward-mode
// automatic differentiation), over all n variables of the graph.
//
// True when the gradient of f has no zero in `box` (a bounded box over all
// the graph's variables), with f continuously differentiable on the box:
// f must use neither abs, min nor max (points where f may not be
// differentiable), be defined on the whole box, and have bounded gradient
// and Hessian enclosures there (so no elementary function is evaluated at a
// point of its domain where it is not differentiable, such as sqrt at 0).
// A gradient component whose enclosure misses 0 suffices on its own.
bool krawczyk_excludes_stationary_point(const ExprGraph& graph, NodeId f, const std::vector<numeric::Interval>& box);

// Krawczyk's existence test for stationary points in some of the variables.
// F = grad_U f, the gradient in the variables `unknowns` (U) only, with S the
// enclosure of its Jacobian (the Hessian block U x U of f) over X; y is the
// midpoint of X in the unknowns. The other variables keep the ranges of the
// box: K(X) inside the interior of X proves, for every value of them in the
// box, a zero of grad_U f in X (Neumaier 1990, Thm 5.1.7 applied to
// beta -> grad_U f(theta, beta) with theta fixed; F(theta, y) and the
// Jacobian enclosures are taken over all theta at once).
//
// True when the test succeeds on a bounded `box` over all the graph's
// variables, with f defined on the whole box, with bounded gradient and
// Hessian enclosures in U there, and with no abs, min or max applied to a
// subexpression that depends on U (f is C^2 in U for every fixed value of
// the other variables).
bool krawczyk_proves_partial_stationary_point(const ExprGraph& graph, NodeId f,
                                              const std::vector<numeric::Interval>& box,
                                              const std::vector<std::size_t>& unknowns);

// A box on which the test above succeeds: `box` with its U coordinates
// replaced by a small box around the stationary point in U nearest `guess`
// (one coordinate per unknown), found by a Newton step at the centre of the
// other coordinates and epsilon-inflation of Krawczyk's operator
// (Rump 1983). nullopt when the test cannot be made to succeed (the Hessian
// block not provably regular over the box, f not defined, ...). Heuristic
// search, rigorous result: the returned box passes
// krawczyk_proves_partial_stationary_point itself.
std::optional<std::vector<numeric::Interval>> partial_stationary_point_enclosure(
    const ExprGraph& graph, NodeId f, const std::vector<numeric::Interval>& box,
    const std::vector<std::size_t>& unknowns, const std::vector<double>& guess);

}  // namespace cerval::expr
