#pragma once
// Affine normal form: every subexpression that is an affine function of the
// variables (and of clamps min(b, e), max(b, e)) rebuilt as
//     c + a_1 t_1 + ... + a_k t_k,
// one term per distinct atom t (a variable or a clamp), with exact rational
// coefficients (the "collect linear terms" rewrite of computer algebra).
//
// Why: interval evaluation of an expression is exact (up to rounding) when
// every variable occurs once, and overestimates when a variable reaches the
// result along several paths whose contributions cancel. The Gauss-Newton
// whitening of a regression (search/regression_transform.hpp) writes every
// parameter as p_j = c_j + sum_k M_jk u_k, so a denominator
// 1 + b5 x + b6 x^2 + b7 x^3 (NIST Hahn1) reaches each u_k through three
// parameters whose contributions nearly cancel (that is what whitening a
// thin valley means): evaluated as written, its enclosure over a small u box
// is orders of magnitude wider than its range, and so are the residuals',
// the gradients' and the Hessians' enclosures built on it. In normal form it
// is 1 + c5 x + c6 x^2 + c7 x^3 + sum_k (M_5k x + M_6k x^2 + M_7k x^3) u_k:
// every u_k once, the enclosure is the range.
//
// Guarantee: each image is the same real function as its root, wherever the
// root is defined (an algebraic identity: only +, -, negation, products and
// quotients by nonzero rational point constants are regrouped, and these are
// defined everywhere, so definedness is unchanged too). Nodes that are not
// affine are copied with their operands rewritten. The nodes are built with
// the parser's folding constructors (builder.hpp), so the images' text reads
// back to the identical nodes.
#include <cerval/expr/expr.hpp>

#include <vector>

namespace cerval::expr {

// The images of `roots` (nodes of `source`) in `target`, which must declare
// the same variables in the same order as `source`.
std::vector<NodeId> collect_affine(const ExprGraph& source, const std::vector<NodeId>& roots, ExprGraph& target);

}  // namespace cerval::expr
