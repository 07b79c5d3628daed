#include <cerval/expr/builder.hpp>

#include <gmp.h>

#include <limits>
#include <stdexcept>

namespace cerval::expr {

namespace {

using numeric::Integer;

// Integer powers of rational constants are folded only below this size (bits).
constexpr std::size_t kMaxFoldedPowerBits = 1u << 16;

std::size_t bit_size(const Integer& n) { return mpz_sizeinbase(n.backend().data(), 2); }

}  // namespace

std::optional<Rational> point_constant(const ExprGraph& graph, NodeId id) {
  const Node& n = graph.node(id);
  if (n.op != Op::Constant) return std::nullopt;
  const ConstantValue& c = graph.constant_value(static_cast<std::size_t>(n.integer));
  if (!c.is_point()) return std::nullopt;
  return c.lower;
}

NodeId fold_negate(ExprGraph& graph, NodeId a) {
  if (const auto v = point_constant(graph, a)) return graph.constant(Rational(-*v));
  return graph.unary(Op::Neg, a);
}

NodeId fold_arithmetic(ExprGraph& graph, Op op, NodeId a, NodeId b) {
  const auto x = point_constant(graph, a);
  const auto y = point_constant(graph, b);
  if (x && y) {
    switch (op) {
      case Op::Add: return graph.constant(Rational(*x + *y));
      case Op::Sub: return graph.constant(Rational(*x - *y));
      case Op::Mul: return graph.constant(Rational(*x * *y));
      case Op::Div:
        if (*y != 0) return graph.constant(Rational(*x / *y));
        break;  // kept as a node: evaluation reports the division by zero
      default: break;
    }
  }
  return graph.binary(op, a, b);
}

NodeId fold_pow_int(ExprGraph& graph, NodeId base, std::int64_t exponent) {
  if (const auto v = point_constant(graph, base)) {
    if (exponent == 0) return graph.constant(Rational(1));  // x^0 = 1, as the interval power
    if (*v == 0) return exponent > 0 ? graph.constant(Rational(0)) : graph.pow_int(base, exponent);
    if (*v == 1) return graph.constant(Rational(1));
    if (*v == -1) return graph.constant(Rational(exponent % 2 == 0 ? 1 : -1));
    const std::uint64_t e = exponent < 0 ? 0 - static_cast<std::uint64_t>(exponent) : static_cast<std::uint64_t>(exponent);
    const std::size_t bits = bit_size(numerator(*v)) + bit_size(denominator(*v));
    if (e <= kMaxFoldedPowerBits / bits) {
      const auto u = static_cast<unsigned>(e);
      const Integer num = boost::multiprecision::pow(Integer(numerator(*v)), u);
      const Integer den = boost::multiprecision::pow(Integer(denominator(*v)), u);
      return graph.constant(exponent > 0 ? Rational(Rational(num) / Rational(den))
                                         : Rational(Rational(den) / Rational(num)));
    }
  }
  return graph.pow_int(base, exponent);
}

NodeId copy_node(const ExprGraph& source, NodeId id, ExprGraph& target, const std::vector<NodeId>& image) {
  const Node& n = source.node(id);
  switch (n.op) {
    case Op::Constant: {
      const auto& c = source.constant_value(static_cast<std::size_t>(n.integer));
      return c.is_point() ? target.constant(c.lower) : target.constant(c.lower, c.upper);
    }
    case Op::Pi: return target.pi();
    case Op::Variable: return target.variable(static_cast<std::size_t>(n.integer));
    case Op::Add: case Op::Sub: case Op::Mul: case Op::Div: return fold_arithmetic(target, n.op, image[n.lhs], image[n.rhs]);
    case Op::Neg: return fold_negate(target, image[n.lhs]);
    case Op::PowInt: return fold_pow_int(target, image[n.lhs], n.integer);
    case Op::Pow:
      if (const auto v = point_constant(target, image[n.rhs]); v && denominator(*v) == 1) {
        const Integer e = numerator(*v);
        if (e <= std::numeric_limits<std::int64_t>::max() && e >= std::numeric_limits<std::int64_t>::min())
          return fold_pow_int(target, image[n.lhs], static_cast<std::int64_t>(e));
      }
      return target.binary(Op::Pow, image[n.lhs], image[n.rhs]);
    case Op::Min: case Op::Max: return target.binary(n.op, image[n.lhs], image[n.rhs]);
    default: return target.unary(n.op, image[n.lhs]);
  }
}

NodeId GraphScalar::id() const {
  if (!graph_) throw std::logic_error("GraphScalar: a detached constant has no node (use id_in)");
  return id_;
}

NodeId GraphScalar::id_in(ExprGraph& graph) const {
  if (!graph_) return graph.constant(detached_);
  if (graph_ != &graph) throw std::invalid_argument("GraphScalar: a node of another expression graph");
  return id_;
}

GraphScalar GraphScalar::binary(Op op, const GraphScalar& a, const GraphScalar& b) {
  if (!a.graph_ && !b.graph_) {  // two detached constants: exact
    switch (op) {
      case Op::Add: return GraphScalar(Rational(a.detached_ + b.detached_));
      case Op::Sub: return GraphScalar(Rational(a.detached_ - b.detached_));
      case Op::Mul: return GraphScalar(Rational(a.detached_ * b.detached_));
      case Op::Div:
        if (b.detached_ == 0) throw std::domain_error("GraphScalar: division by the exact constant 0");
        return GraphScalar(Rational(a.detached_ / b.detached_));
      default: throw std::logic_error("GraphScalar: not an arithmetic operation");
    }
  }
  if (a.graph_ && b.graph_ && a.graph_ != b.graph_)
    throw std::invalid_argument("GraphScalar: operands of different expression graphs");
  ExprGraph& g = a.graph_ ? *a.graph_ : *b.graph_;
  const NodeId ia = a.id_in(g), ib = b.id_in(g);
  const GraphScalar ga(g, ia), gb(g, ib);
  // Identities that hold wherever the other operand is defined.
  const auto x = point_constant(g, ia);
  const auto y = point_constant(g, ib);
  if (!(x && y)) {
    switch (op) {
      case Op::Add:
        if (y && *y == 0) return ga;
        if (x && *x == 0) return gb;
        break;
      case Op::Sub:
        if (y && *y == 0) return ga;
        break;
      case Op::Mul:
        if (y && *y == 1) return ga;
        if (x && *x == 1) return gb;
        break;
      case Op::Div:
        if (y && *y == 1) return ga;
        break;
      default: break;
    }
  }
  return {g, fold_arithmetic(g, op, ia, ib)};
}

}  // namespace cerval::expr
