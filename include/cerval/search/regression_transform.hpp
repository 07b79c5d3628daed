#pragma once
// Gauss-Newton preconditioning of a regression: the search runs in whitened
// parameters u, p = c + M u, where M ~ R^-1 for the Cholesky factor R of
// J^T J at the Levenberg-Marquardt optimum (J the Jacobian of the residuals).
// Near the optimum the loss is then ~ L* + |u - u*|^2: round sublevel sets
// instead of thin diagonal valleys, which is what lets the second-order
// bounds of the branch and bound close the gap in few boxes (Misra1a: 15x
// fewer boxes than in the original parameters).
//
// Exactness: c and M are exact rationals (binary64 values rounded to a few
// bits, then taken exactly) and M is upper triangular (after a permutation
// of the parameters) with nonzero diagonal,
// hence invertible, so p -> u is a bijection. The search box in u is the exact
// rational hull of M^-1 (P - c) for the parameter box P, and the constraints
// P_lo_j <= c_j + (M u)_j <= P_hi_j (plus the spec's own constraints,
// rewritten in u) cut it back to exactly the preimage of P. So
//     min over that feasible set of L(c + M u) = min over P of L(p),
// Where the loss is undefined somewhere on the u box (a denominator
// b2 + b3 x that vanishes outside P), the loss reads each parameter clamped
// to its box, max(P_lo, min(P_hi, p_j(u))): nothing changes on the feasible
// set, and the loss is defined on the rest of the u box (boxes straddling the
// boundary of the feasible set can then be decided). So
// a minimum certificate of the transformed spec (which `cerval check`
// re-proves) certifies the minimum of the original problem; the map (c, M)
// is stated in the certificate's constraints for a reader to verify.
//
// The transformed loss is written in affine normal form
// (expr/affine_form.hpp): every subexpression affine in the u's (each
// parameter, a numerator b1 + b2 x + b3 x^2, a denominator, an exponent
// -b2 x) is c + sum_k a_k u_k with exact rational coefficients, the same
// function regrouped. Whitening makes the parameters' contributions to such
// a combination cancel; evaluated as written, its enclosure over a small u
// box (and its derivatives', and Krawczyk's enclosure of the projected
// optimum built on them) would be orders of magnitude wider than its range
// (NIST Hahn1: 100 times, which kept it from being certified).
#include <cerval/search/regression_spec.hpp>

#include <optional>
#include <vector>

namespace cerval::search {

struct Preconditioned {
  expr::Spec spec;                     // variables u_j, objective: the loss at p(u), constraints as above
  expr::NodeId loss = 0;
  std::vector<numeric::Rational> shift;   // c
  std::vector<numeric::Rational> matrix;  // M, row-major, upper triangular in the order `order`
  // A permutation of the parameters: M[order[a]][order[b]] == 0 for b < a.
  std::vector<std::size_t> order;
  std::vector<expr::NodeId> parameters;   // p_j(u) = c_j + (M u)_j as nodes of spec.graph
  // Floating-point maps (heuristics: starting points, reporting).
  std::vector<double> to_u(const std::vector<double>& p) const;
  std::vector<double> to_p(const std::vector<double>& u) const;
};

enum class PreconditionMode {
  Whiten,         // p = c + M u, M ~ R^-1
  WhitenClamped,  // the same, the loss reading max(P_lo, min(P_hi, p_j(u))) (see above)
  Diagonal,       // M = diag(1/sqrt((J^T J)_jj)) (Jacobi scaling): the u box is exactly the image of P, no constraints
};

// The transformed problem, or nullopt when it does not apply (a parameter
// with an infinite bound, J^T J not numerically positive definite, or a
// non-finite value). `at` is the LM optimum, `jtj` the matrix J^T J there
// (row-major).
//
// `projected` (parameters that enter the model linearly, see
// linear_parameters) come first in the order: then no other parameter
// depends on their u, so the loss stays a convex quadratic in those u
// (variable projection, SearchOptions::projected); their block is
// whitened by the Cholesky factor of J_b^T J_b, and the block of the
// others by the Cholesky factor of the Schur complement
// J_t^T J_t - J_t^T J_b (J_b^T J_b)^-1 J_b^T J_t: the Gauss-Newton Hessian
// of the loss with the projected parameters at their optimum, which is what
// the variable projection search sees. A row of M without off-diagonal
// entries maps the u range exactly onto the parameter's range: it needs
// neither the box constraint nor the clamp.
std::optional<Preconditioned> precondition(const RegressionSpec& rs, const std::vector<double>& at,
                                           const std::vector<double>& jtj,
                                           PreconditionMode mode = PreconditionMode::Whiten,
                                           const std::vector<std::size_t>& projected = {});

// The parameters in which the loss is a convex quadratic (expr/quadratic.hpp):
// for a sum of squares, those that enter the model linearly (amplitudes,
// offsets, numerator coefficients), chosen greedily in parameter order so
// that the loss is a convex quadratic in all of them jointly. Empty for
// other losses.
std::vector<std::size_t> linear_parameters(const RegressionSpec& rs);

// A copy of the nodes `roots` of `source` into `target` with variable i
// replaced by replacement[i], built through the parser's folding
// constructors (so the copies' text reads back to the same nodes). Returns
// the images of the roots.
std::vector<expr::NodeId> substitute(const expr::ExprGraph& source, const std::vector<expr::NodeId>& roots,
                                     expr::ExprGraph& target, const std::vector<expr::NodeId>& replacement);

}  // namespace cerval::search
