#include <cerval/expr/quadratic.hpp>

#include <algorithm>

namespace cerval::expr {

namespace {

// A constant node whose every value is >= 0 (strict: > 0).
bool nonnegative_constant(const ExprGraph& g, NodeId id, bool strict) {
  const Node& n = g.node(id);
  if (n.op == Op::Pi) return true;
  if (n.op != Op::Constant) return false;
  const ConstantValue& c = g.constant_value(static_cast<std::size_t>(n.integer));
  return strict ? c.lower > 0 : c.lower >= 0;
}

}  // namespace

std::vector<Dependence> classify_dependence(const ExprGraph& graph, NodeId root, const std::vector<bool>& beta) {
  using D = Dependence;
  std::vector<D> c(root + 1, D::Free);
  for (NodeId id = 0; id <= root; ++id) {
    const Node& n = graph.node(id);
    D a = D::Free, b = D::Free;
    if (is_unary(n.op) || is_binary(n.op)) a = c[n.lhs];
    if (is_binary(n.op)) b = c[n.rhs];
    const D larger = std::max(a, b);
    D r = D::Other;
    switch (n.op) {
      case Op::Constant: case Op::Pi: r = D::Free; break;
      case Op::Variable: {
        const auto i = static_cast<std::size_t>(n.integer);
        r = i < beta.size() && beta[i] ? D::Affine : D::Free;
        break;
      }
      case Op::Add: r = larger; break;
      case Op::Sub: r = b <= D::Affine ? larger : D::Other; break;
      case Op::Neg: r = a <= D::Affine ? a : D::Other; break;
      case Op::Mul:
        if (a == D::Free && b == D::Free) r = D::Free;
        else if ((a == D::Free && b == D::Affine) || (a == D::Affine && b == D::Free)) r = D::Affine;
        else if (a == D::Affine && n.lhs == n.rhs) r = D::ConvexQuadratic;
        else if (a == D::ConvexQuadratic && nonnegative_constant(graph, n.rhs, false)) r = D::ConvexQuadratic;
        else if (b == D::ConvexQuadratic && nonnegative_constant(graph, n.lhs, false)) r = D::ConvexQuadratic;
        break;
      case Op::Div:
        if (b == D::Free && a <= D::Affine) r = a;
        else if (a == D::ConvexQuadratic && nonnegative_constant(graph, n.rhs, true)) r = D::ConvexQuadratic;
        break;
      case Op::Sqr: r = a == D::Free ? D::Free : a == D::Affine ? D::ConvexQuadratic : D::Other; break;
      case Op::PowInt:
        if (a == D::Free) r = D::Free;
        else if (a == D::Affine && n.integer == 2) r = D::ConvexQuadratic;
        else if (a <= D::Affine && n.integer == 1) r = a;
        break;
      default: r = larger == D::Free ? D::Free : D::Other; break;
    }
    c[id] = r;
  }
  return c;
}

namespace {
std::vector<bool> flags(const ExprGraph& graph, const std::vector<std::size_t>& beta) {
  std::vector<bool> f(graph.variable_count(), false);
  for (std::size_t i : beta)
    if (i < f.size()) f[i] = true;
  return f;
}
}  // namespace

bool is_convex_quadratic_in(const ExprGraph& graph, NodeId f, const std::vector<std::size_t>& beta) {
  return classify_dependence(graph, f, flags(graph, beta))[f] <= Dependence::ConvexQuadratic;
}

bool is_free_of(const ExprGraph& graph, NodeId f, const std::vector<std::size_t>& beta) {
  return classify_dependence(graph, f, flags(graph, beta))[f] == Dependence::Free;
}

}  // namespace cerval::expr
