#include <cerval/search/regression_transform.hpp>

#include <cerval/expr/affine_form.hpp>
#include <cerval/expr/builder.hpp>
#include <cerval/expr/parser.hpp>
#include <cerval/expr/quadratic.hpp>
#include <cerval/numeric/float_matrix.hpp>

#include <algorithm>
#include <cmath>

namespace cerval::search {

using expr::NodeId;
using expr::Op;
using numeric::Rational;

namespace {

// x rounded to `bits` significant bits (exact in binary64).
double round_bits(double x, int bits) {
  if (x == 0 || !std::isfinite(x)) return x;
  int e = 0;
  std::frexp(x, &e);
  return std::ldexp(std::nearbyint(std::ldexp(x, bits - e)), e - bits);
}

}  // namespace

std::vector<NodeId> substitute(const expr::ExprGraph& source, const std::vector<NodeId>& roots,
                               expr::ExprGraph& target, const std::vector<NodeId>& replacement) {
  if (roots.empty()) return {};
  const std::vector<bool> needed = source.reachable(roots);
  const NodeId last = static_cast<NodeId>(needed.size() - 1);
  std::vector<NodeId> map(last + 1, 0);
  for (NodeId id = 0; id <= last; ++id) {
    if (!needed[id]) continue;
    const expr::Node& n = source.node(id);
    map[id] = n.op == Op::Variable ? replacement.at(static_cast<std::size_t>(n.integer))
                                   : expr::copy_node(source, id, target, map);
  }
  std::vector<NodeId> images;
  for (NodeId root : roots) images.push_back(map[root]);
  return images;
}

std::vector<double> Preconditioned::to_u(const std::vector<double>& p) const {
  // Back substitution with M, upper triangular in the order `order` (floating point).
  const std::size_t n = shift.size();
  std::vector<double> u(n, 0.0);
  for (std::size_t a = n; a-- > 0;) {
    const std::size_t i = order[a];
    double v = p[i] - numeric::to_double_down(shift[i]);
    for (std::size_t b = a + 1; b < n; ++b) v -= numeric::to_double_down(matrix[i * n + order[b]]) * u[order[b]];
    u[i] = v / numeric::to_double_down(matrix[i * n + i]);
  }
  return u;
}

std::vector<double> Preconditioned::to_p(const std::vector<double>& u) const {
  const std::size_t n = shift.size();
  std::vector<double> p(n);
  for (std::size_t i = 0; i < n; ++i) {
    // Exact in rationals, then rounded to nearest.
    Rational v = shift[i];
    for (std::size_t k = 0; k < n; ++k)
      if (matrix[i * n + k] != 0) v += matrix[i * n + k] * numeric::to_rational(u[k]);
    const double down = numeric::to_double_down(v), up = numeric::to_double_up(v);
    p[i] = numeric::to_rational(up) - v < v - numeric::to_rational(down) ? up : down;
  }
  return p;
}

std::vector<std::size_t> linear_parameters(const RegressionSpec& rs) {
  std::vector<std::size_t> linear;
  for (std::size_t j = 0; j < rs.parameter_count(); ++j) {
    linear.push_back(j);
    if (!expr::is_convex_quadratic_in(rs.spec.graph, rs.loss_node, linear)) linear.pop_back();
  }
  return linear;
}

std::optional<Preconditioned> precondition(const RegressionSpec& rs, const std::vector<double>& at,
                                           const std::vector<double>& gauss_newton, PreconditionMode mode,
                                           const std::vector<std::size_t>& projected) {
  const bool diagonal = mode == PreconditionMode::Diagonal;
  const std::size_t n = rs.parameter_count();
  if (at.size() != n || gauss_newton.size() != n * n || n == 0) return std::nullopt;
  for (const auto& d : rs.spec.variables)
    if (!d.lower || !d.upper || d.inner_lower || d.inner_upper) return std::nullopt;
  // The order: projected parameters first, so that M (upper triangular in
  // this order) never lets a later parameter depend on a projected u.
  Preconditioned pc;
  std::vector<bool> first(n, false);
  for (std::size_t j : projected) {
    if (j >= n) return std::nullopt;
    first[j] = true;
  }
  for (std::size_t j = 0; j < n; ++j)
    if (first[j]) pc.order.push_back(j);
  for (std::size_t j = 0; j < n; ++j)
    if (!first[j]) pc.order.push_back(j);
  const std::vector<std::size_t>& order = pc.order;
  std::vector<double> jtj(n * n);  // permuted
  for (std::size_t a = 0; a < n; ++a)
    for (std::size_t b = 0; b < n; ++b) jtj[a * n + b] = gauss_newton[order[a] * n + order[b]];
  // Cholesky J^T J = R^T R (floating point).
  double scale = 0;
  for (std::size_t i = 0; i < n; ++i) scale = std::max(scale, std::fabs(jtj[i * n + i]));
  if (!(scale > 0) || !std::isfinite(scale)) return std::nullopt;
  std::vector<double> R(n * n, 0.0);
  if (diagonal) {
    for (std::size_t i = 0; i < n; ++i) {
      if (!(jtj[i * n + i] > 1e-300)) return std::nullopt;
      R[i * n + i] = std::sqrt(jtj[i * n + i]);
    }
  }
  if (!diagonal) {
    // R = L^T, every pivot above 1e-13 of its diagonal entry (regular enough to whiten by).
    const std::vector<double> lower = numeric::cholesky_lower(jtj, n, 1e-13);
    if (lower.empty()) return std::nullopt;
    for (std::size_t i = 0; i < n; ++i) {
      if (!(lower[i * n + i] > 1e-150)) return std::nullopt;
      for (std::size_t j = i; j < n; ++j) R[i * n + j] = lower[j * n + i];
    }
  }
  // M = R^-1 (upper triangular), rounded to 24 bits; c = the optimum, 30 bits.
  std::vector<double> M(n * n, 0.0);
  for (std::size_t j = 0; j < n; ++j) {
    // Column j of R^-1: solve R x = e_j.
    for (std::size_t i = j + 1; i-- > 0;) {
      double v = i == j ? 1.0 : 0.0;
      for (std::size_t k = i + 1; k <= j; ++k) v -= R[i * n + k] * M[k * n + j];
      M[i * n + j] = v / R[i * n + i];
    }
  }
  // The projected block is whitened too. The search splits it only where
  // Krawczyk's test fails; where it succeeds, the test encloses the optimum
  // beta^(theta) in a box about |C| times wider than the gradient's
  // enclosure, C the inverse of the block's Hessian. With nearly collinear
  // linear columns (Kirby2's numerator 1, x, x^2) a Jacobi-scaled block has
  // condition number ~10^3, and the enclosure came out 10^3 to 10^4 times
  // wider than the range of beta^ it had to hold; whitened, the block's
  // Hessian is ~2 I at the optimum. Its coupling to theta,
  // -R_bb^-1 R_bt R_tt^-1, moves beta with its conditional optimum
  // -H_bb^-1 H_bt (theta - c).
  for (std::size_t i = 0; i < n; ++i) {
    const double c = round_bits(at[i], 30);
    if (!std::isfinite(c)) return std::nullopt;
    pc.shift.push_back(numeric::to_rational(c));
  }
  std::vector<Rational> Mq(n * n);  // permuted, exact
  pc.matrix.assign(n * n, Rational(0));
  for (std::size_t i = 0; i < n * n; ++i) {
    const double m = round_bits(M[i], 24);
    if (!std::isfinite(m)) return std::nullopt;
    if (i / n == i % n && m == 0) return std::nullopt;
    Mq[i] = numeric::to_rational(m);
    pc.matrix[order[i / n] * n + order[i % n]] = Mq[i];
  }
  // N = M^-1 exactly (upper triangular, rational back substitution; permuted).
  std::vector<Rational> N(n * n, Rational(0));
  for (std::size_t j = 0; j < n; ++j)
    for (std::size_t i = j + 1; i-- > 0;) {
      Rational v = i == j ? Rational(1) : Rational(0);
      for (std::size_t k = i + 1; k <= j; ++k) v -= Mq[i * n + k] * N[k * n + j];
      N[i * n + j] = v / Mq[i * n + i];
    }
  // The u box: exact hull of N (P - c), variable u_j for parameter j.
  expr::Spec& s = pc.spec;
  s.file = rs.spec.file;
  std::vector<expr::VariableDomain> domains(n);
  for (std::size_t a = 0; a < n; ++a) {
    Rational lo = 0, hi = 0;
    for (std::size_t b = a; b < n; ++b) {
      const std::size_t j = order[b];
      const Rational x = N[a * n + b] * (*rs.spec.variables[j].lower - pc.shift[j]);
      const Rational y = N[a * n + b] * (*rs.spec.variables[j].upper - pc.shift[j]);
      lo += x < y ? x : y;
      hi += x < y ? y : x;
    }
    expr::VariableDomain& d = domains[order[a]];
    d.name = "u_" + rs.spec.variables[order[a]].name;
    d.lower = lo;
    d.upper = hi;
    d.where = rs.spec.variables[order[a]].where;
  }
  // The loss and constraints at p(u) are built in `staged`, then rewritten
  // into s.graph in affine normal form (expr/affine_form.hpp): each
  // parameter is an affine combination of the u's, and an affine function of
  // the parameters (a denominator 1 + b5 x + b6 x^2 + b7 x^3) evaluated as
  // written over a u box adds up the widths of contributions that cancel.
  expr::ExprGraph staged;
  for (std::size_t j = 0; j < n; ++j) {
    staged.add_variable(domains[j].name);
    s.graph.add_variable(domains[j].name);
    s.variables.push_back(domains[j]);
  }
  // p_j(u) = c_j + sum_k M_jk u_k.
  expr::TokenStream no_tokens("", "<preconditioning>");
  const expr::SymbolTable no_symbols;
  expr::ExpressionParser out(no_tokens, staged, no_symbols);
  pc.parameters.assign(n, 0);
  for (std::size_t a = 0; a < n; ++a) {
    const std::size_t j = order[a];
    NodeId e = staged.constant(pc.shift[j]);
    for (std::size_t b = a; b < n; ++b)
      e = out.arithmetic(Op::Add, e,
                         out.arithmetic(Op::Mul, staged.constant(Mq[a * n + b]), staged.variable(order[b])));
    pc.parameters[j] = e;
  }
  // The loss reads clamp(p_j(u), P_lo_j, P_hi_j) = max(P_lo_j, min(P_hi_j, p_j(u))):
  // the identity on the feasible set (p(u) in P), so the minimum there is
  // unchanged, while on the rest of the u box the loss is evaluated at points
  // of P: defined wherever the model is defined on P, and never wider than
  // the model over P (the wrapping of p(u) over large u boxes is cut off).
  // Rows of M with an off-diagonal entry: only there does p_j(u) leave P_j.
  std::vector<bool> coupled(n, false);
  for (std::size_t j = 0; j < n; ++j)
    for (std::size_t k = 0; k < n; ++k) coupled[j] = coupled[j] || (k != j && pc.matrix[j * n + k] != 0);
  std::vector<NodeId> clamped;
  for (std::size_t j = 0; j < n; ++j) {
    const auto& d = rs.spec.variables[j];
    NodeId e = pc.parameters[j];
    // Projected parameters enter the model linearly, which is defined for
    // every value: no clamp (it would break the loss's convexity in them).
    if (mode == PreconditionMode::WhitenClamped && coupled[j] && !first[j]) {
      e = staged.binary(Op::Min, staged.constant(*d.upper), e);
      e = staged.binary(Op::Max, staged.constant(*d.lower), e);
    }
    clamped.push_back(e);
  }
  std::vector<NodeId> roots{rs.loss_node};
  for (const auto& c : rs.spec.constraints) roots.push_back(c.expr);
  std::vector<NodeId> images = substitute(rs.spec.graph, roots, staged, clamped);
  images.insert(images.end(), pc.parameters.begin(), pc.parameters.end());
  images = expr::collect_affine(staged, images, s.graph);
  pc.parameters.assign(images.end() - static_cast<std::ptrdiff_t>(n), images.end());
  pc.loss = images[0];
  s.objective = expr::Objective{expr::Sense::Minimize, pc.loss, rs.spec.objective ? rs.spec.objective->text : "loss",
                                rs.where};
  // Row j of the parameter box, where M has off-diagonal entries in row j
  // (otherwise the u_j range maps exactly onto P_j: the last row in the
  // order, the projected rows of a diagonal block, every row of a diagonal M).
  for (std::size_t j = 0; j < n && !diagonal; ++j) {
    if (!coupled[j]) continue;
    const auto& d = rs.spec.variables[j];
    const std::string text = d.name + " in [" + d.lower->str() + ", " + d.upper->str() + "]";
    s.constraints.push_back({pc.parameters[j], expr::Relation::GreaterEqual, *d.lower, text, d.where});
    s.constraints.push_back({pc.parameters[j], expr::Relation::LessEqual, *d.upper, text, d.where});
  }
  for (std::size_t k = 0; k < rs.spec.constraints.size(); ++k) {
    expr::Comparison c = rs.spec.constraints[k];
    c.expr = images[k + 1];
    s.constraints.push_back(c);
  }
  return pc;
}

}  // namespace cerval::search
