#include <cerval/search/regression_transform.hpp>

#include <cerval/expr/parser.hpp>

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
  const NodeId last = *std::max_element(roots.begin(), roots.end());
  std::vector<bool> needed(last + 1, false);
  for (NodeId r : roots) needed[r] = true;
  for (NodeId id = last + 1; id-- > 0;) {
    if (!needed[id]) continue;
    const expr::Node& n = source.node(id);
    if (expr::is_unary(n.op) || n.op == Op::PowInt) needed[n.lhs] = true;
    if (expr::is_binary(n.op)) needed[n.lhs] = needed[n.rhs] = true;
  }
  expr::TokenStream no_tokens("", "<substitution>");
  const expr::SymbolTable no_symbols;
  expr::ExpressionParser out(no_tokens, target, no_symbols);
  std::vector<NodeId> map(last + 1, 0);
  for (NodeId id = 0; id <= last; ++id) {
    if (!needed[id]) continue;
    const expr::Node& n = source.node(id);
    NodeId r = 0;
    switch (n.op) {
      case Op::Constant: {
        const auto& c = source.constant_value(static_cast<std::size_t>(n.integer));
        r = c.is_point() ? target.constant(c.lower) : target.constant(c.lower, c.upper);
        break;
      }
      case Op::Pi: r = target.pi(); break;
      case Op::Variable: r = replacement.at(static_cast<std::size_t>(n.integer)); break;
      case Op::Add: case Op::Sub: case Op::Mul: case Op::Div: r = out.arithmetic(n.op, map[n.lhs], map[n.rhs]); break;
      case Op::Neg: r = out.negate(map[n.lhs]); break;
      case Op::PowInt: r = out.pow_int(map[n.lhs], n.integer); break;
      case Op::Pow: r = out.power(map[n.lhs], map[n.rhs], expr::Token{}); break;
      case Op::Min: case Op::Max: r = target.binary(n.op, map[n.lhs], map[n.rhs]); break;
      default: r = target.unary(n.op, map[n.lhs]); break;
    }
    map[id] = r;
  }
  std::vector<NodeId> images;
  for (NodeId root : roots) images.push_back(map[root]);
  return images;
}

std::vector<double> Preconditioned::to_u(const std::vector<double>& p) const {
  // Back substitution with the upper triangular M (floating point).
  const std::size_t n = shift.size();
  std::vector<double> u(n, 0.0);
  for (std::size_t i = n; i-- > 0;) {
    double v = p[i] - numeric::to_double_down(shift[i]);
    for (std::size_t k = i + 1; k < n; ++k) v -= numeric::to_double_down(matrix[i * n + k]) * u[k];
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
    for (std::size_t k = i; k < n; ++k) v += matrix[i * n + k] * numeric::to_rational(u[k]);
    const double down = numeric::to_double_down(v), up = numeric::to_double_up(v);
    p[i] = numeric::to_rational(up) - v < v - numeric::to_rational(down) ? up : down;
  }
  return p;
}

std::optional<Preconditioned> precondition(const RegressionSpec& rs, const std::vector<double>& at,
                                           const std::vector<double>& jtj, PreconditionMode mode) {
  const bool diagonal = mode == PreconditionMode::Diagonal;
  const std::size_t n = rs.parameter_count();
  if (at.size() != n || jtj.size() != n * n || n == 0) return std::nullopt;
  for (const auto& d : rs.spec.variables)
    if (!d.lower || !d.upper || d.inner_lower || d.inner_upper) return std::nullopt;
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
  for (std::size_t i = 0; i < n && !diagonal; ++i) {
    double d = jtj[i * n + i];
    for (std::size_t k = 0; k < i; ++k) d -= R[k * n + i] * R[k * n + i];
    if (!(d > 1e-13 * jtj[i * n + i]) || !(d > 1e-300)) return std::nullopt;
    R[i * n + i] = std::sqrt(d);
    for (std::size_t j = i + 1; j < n; ++j) {
      double v = jtj[i * n + j];
      for (std::size_t k = 0; k < i; ++k) v -= R[k * n + i] * R[k * n + j];
      R[i * n + j] = v / R[i * n + i];
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
  Preconditioned pc;
  for (std::size_t i = 0; i < n; ++i) {
    const double c = round_bits(at[i], 30);
    if (!std::isfinite(c)) return std::nullopt;
    pc.shift.push_back(numeric::to_rational(c));
  }
  for (std::size_t i = 0; i < n * n; ++i) {
    const double m = round_bits(M[i], 24);
    if (!std::isfinite(m)) return std::nullopt;
    if (i / n == i % n && m == 0) return std::nullopt;
    pc.matrix.push_back(numeric::to_rational(m));
  }
  // N = M^-1 exactly (upper triangular, rational back substitution).
  std::vector<Rational> N(n * n, Rational(0));
  for (std::size_t j = 0; j < n; ++j)
    for (std::size_t i = j + 1; i-- > 0;) {
      Rational v = i == j ? Rational(1) : Rational(0);
      for (std::size_t k = i + 1; k <= j; ++k) v -= pc.matrix[i * n + k] * N[k * n + j];
      N[i * n + j] = v / pc.matrix[i * n + i];
    }
  // The u box: exact hull of N (P - c).
  expr::Spec& s = pc.spec;
  s.file = rs.spec.file;
  for (std::size_t i = 0; i < n; ++i) {
    Rational lo = 0, hi = 0;
    for (std::size_t j = i; j < n; ++j) {
      const Rational a = N[i * n + j] * (*rs.spec.variables[j].lower - pc.shift[j]);
      const Rational b = N[i * n + j] * (*rs.spec.variables[j].upper - pc.shift[j]);
      lo += a < b ? a : b;
      hi += a < b ? b : a;
    }
    expr::VariableDomain d;
    d.name = "u_" + rs.spec.variables[i].name;
    d.lower = lo;
    d.upper = hi;
    d.where = rs.spec.variables[i].where;
    s.graph.add_variable(d.name);
    s.variables.push_back(d);
  }
  // p_j(u) = c_j + sum_k M_jk u_k.
  expr::TokenStream no_tokens("", "<preconditioning>");
  const expr::SymbolTable no_symbols;
  expr::ExpressionParser out(no_tokens, s.graph, no_symbols);
  for (std::size_t j = 0; j < n; ++j) {
    NodeId e = s.graph.constant(pc.shift[j]);
    for (std::size_t k = j; k < n; ++k)
      e = out.arithmetic(Op::Add, e, out.arithmetic(Op::Mul, s.graph.constant(pc.matrix[j * n + k]), s.graph.variable(k)));
    pc.parameters.push_back(e);
  }
  // The loss reads clamp(p_j(u), P_lo_j, P_hi_j) = max(P_lo_j, min(P_hi_j, p_j(u))):
  // the identity on the feasible set (p(u) in P), so the minimum there is
  // unchanged, while on the rest of the u box the loss is evaluated at points
  // of P: defined wherever the model is defined on P, and never wider than
  // the model over P (the wrapping of p(u) over large u boxes is cut off).
  std::vector<NodeId> clamped;
  for (std::size_t j = 0; j < n; ++j) {
    const auto& d = rs.spec.variables[j];
    NodeId e = pc.parameters[j];
    if (mode == PreconditionMode::WhitenClamped) {
      e = s.graph.binary(Op::Min, s.graph.constant(*d.upper), e);
      e = s.graph.binary(Op::Max, s.graph.constant(*d.lower), e);
    }
    clamped.push_back(e);
  }
  std::vector<NodeId> roots{rs.loss_node};
  for (const auto& c : rs.spec.constraints) roots.push_back(c.expr);
  const std::vector<NodeId> images = substitute(rs.spec.graph, roots, s.graph, clamped);
  pc.loss = images[0];
  s.objective = expr::Objective{expr::Sense::Minimize, pc.loss, rs.spec.objective ? rs.spec.objective->text : "loss",
                                rs.where};
  // Row j of the parameter box (the last row is the u_n box itself: exact;
  // with a diagonal M every row is).
  for (std::size_t j = 0; j + 1 < n && !diagonal; ++j) {
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
