#pragma once
// Building expressions by computing: a scalar type whose arithmetic appends
// nodes to an ExprGraph, so that a numerical scheme templated on its scalar
// type (stefan/scheme.hpp) can be unrolled into one expression DAG over the
// graph's variables, and then bounded, searched and certified like any
// expression of a spec.
//
// Guarantees:
//   - exactness: rational point constants are combined exactly (`1/3 + 1/6`
//     is the constant 1/2), never rounded; a value that is not a rational
//     (exp(1/10), pi) stays a node and is enclosed when evaluated;
//   - the nodes are the ones the spec-language parser builds for the printed
//     text (both fold constants through fold_arithmetic and friends below), so
//     ExprGraph::to_string / to_shared_text of a built node parses back to the
//     identical node (hash-consing);
//   - the DAG shares subexpressions: a value used twice is one node, so an
//     unrolled scheme is linear in size, not exponential (print it with
//     ExprGraph::to_shared_text, not to_string).
//   - definedness is preserved: nothing is simplified away that could be
//     undefined (x * 0 stays a node; only x + 0, x - 0, x * 1, x / 1, 1 * x,
//     0 + x are simplified, which hold wherever x is defined).
#include <cerval/expr/expr.hpp>

#include <cstdint>
#include <optional>
#include <vector>

namespace cerval::expr {

// The rational value of a point-constant node, if it is one.
std::optional<Rational> point_constant(const ExprGraph& graph, NodeId id);

// The folding constructors shared by the parser and GraphScalar: exact
// rational arithmetic when every operand is a rational point constant,
// otherwise the plain graph node (a division by the constant 0 is kept as a
// node: evaluation reports it undefined).
NodeId fold_negate(ExprGraph& graph, NodeId a);
NodeId fold_arithmetic(ExprGraph& graph, Op op, NodeId a, NodeId b);  // Add, Sub, Mul, Div
NodeId fold_pow_int(ExprGraph& graph, NodeId base, std::int64_t exponent);

// Node `id` of `source` rebuilt in `target` with the operands' images
// image[operand] (nodes of `target`), through the folding constructors; a
// variable becomes the variable of the same index, a real power with an
// integer exponent an integer power (as the parser builds it).
NodeId copy_node(const ExprGraph& source, NodeId id, ExprGraph& target, const std::vector<NodeId>& image);

// A value of an expression under construction: a node of a graph, or a
// detached exact constant (no graph yet: what a generic algorithm makes from
// a Rational without knowing the graph, see stefan::SchemeConstant).
// Arithmetic with other GraphScalars (of the same graph), Rationals and
// integers appends (hash-consed, folded) nodes; a detached constant is put
// into the graph of the other operand, and two detached constants combine
// exactly (a detached division by 0 throws std::domain_error). A
// default-constructed GraphScalar is the detached constant 0.
class GraphScalar {
 public:
  GraphScalar() = default;
  GraphScalar(ExprGraph& graph, NodeId id) : graph_(&graph), id_(id) {}
  // The detached exact constant q.
  explicit GraphScalar(const Rational& q) : detached_(q) {}
  // The exact constant q in `graph`.
  static GraphScalar constant(ExprGraph& graph, const Rational& q) { return {graph, graph.constant(q)}; }
  // Variable i of the graph (declared with add_variable).
  static GraphScalar variable(ExprGraph& graph, std::size_t i) { return {graph, graph.variable(i)}; }

  // The graph and node; a detached constant has neither (id() throws std::logic_error).
  ExprGraph& graph() const { return *graph_; }
  NodeId id() const;
  bool has_graph() const { return graph_ != nullptr; }
  // The node of this value in `graph` (a detached constant is added to it;
  // std::invalid_argument for a node of another graph).
  NodeId id_in(ExprGraph& graph) const;
  // The exact value when this is a rational point constant.
  std::optional<Rational> value() const { return graph_ ? point_constant(*graph_, id_) : std::optional(detached_); }

  GraphScalar& operator+=(const GraphScalar& b) { return *this = *this + b; }
  GraphScalar& operator-=(const GraphScalar& b) { return *this = *this - b; }
  GraphScalar& operator*=(const GraphScalar& b) { return *this = *this * b; }
  GraphScalar& operator/=(const GraphScalar& b) { return *this = *this / b; }

  friend GraphScalar operator+(const GraphScalar& a, const GraphScalar& b) { return binary(Op::Add, a, b); }
  friend GraphScalar operator-(const GraphScalar& a, const GraphScalar& b) { return binary(Op::Sub, a, b); }
  friend GraphScalar operator*(const GraphScalar& a, const GraphScalar& b) { return binary(Op::Mul, a, b); }
  friend GraphScalar operator/(const GraphScalar& a, const GraphScalar& b) { return binary(Op::Div, a, b); }
  friend GraphScalar operator-(const GraphScalar& a) {
    return a.graph_ ? GraphScalar(*a.graph_, fold_negate(*a.graph_, a.id_)) : GraphScalar(Rational(-a.detached_));
  }

  // Mixed arithmetic with exact rationals (and integers, through Rational).
  friend GraphScalar operator+(const GraphScalar& a, const Rational& q) { return a + GraphScalar(q); }
  friend GraphScalar operator+(const Rational& q, const GraphScalar& b) { return GraphScalar(q) + b; }
  friend GraphScalar operator-(const GraphScalar& a, const Rational& q) { return a - GraphScalar(q); }
  friend GraphScalar operator-(const Rational& q, const GraphScalar& b) { return GraphScalar(q) - b; }
  friend GraphScalar operator*(const GraphScalar& a, const Rational& q) { return a * GraphScalar(q); }
  friend GraphScalar operator*(const Rational& q, const GraphScalar& b) { return GraphScalar(q) * b; }
  friend GraphScalar operator/(const GraphScalar& a, const Rational& q) { return a / GraphScalar(q); }
  friend GraphScalar operator/(const Rational& q, const GraphScalar& b) { return GraphScalar(q) / b; }
  friend GraphScalar operator+(const GraphScalar& a, long q) { return a + Rational(q); }
  friend GraphScalar operator+(long q, const GraphScalar& b) { return Rational(q) + b; }
  friend GraphScalar operator-(const GraphScalar& a, long q) { return a - Rational(q); }
  friend GraphScalar operator-(long q, const GraphScalar& b) { return Rational(q) - b; }
  friend GraphScalar operator*(const GraphScalar& a, long q) { return a * Rational(q); }
  friend GraphScalar operator*(long q, const GraphScalar& b) { return Rational(q) * b; }
  friend GraphScalar operator/(const GraphScalar& a, long q) { return a / Rational(q); }
  friend GraphScalar operator/(long q, const GraphScalar& b) { return Rational(q) / b; }

  // The functions of the language, as nodes (found by argument-dependent lookup).
  // Functions of a detached constant need a graph: std::logic_error.
  friend GraphScalar sqr(const GraphScalar& a) { return a.unary(Op::Sqr); }
  friend GraphScalar sqrt(const GraphScalar& a) { return a.unary(Op::Sqrt); }
  friend GraphScalar exp(const GraphScalar& a) { return a.unary(Op::Exp); }
  friend GraphScalar log(const GraphScalar& a) { return a.unary(Op::Log); }
  friend GraphScalar sin(const GraphScalar& a) { return a.unary(Op::Sin); }
  friend GraphScalar cos(const GraphScalar& a) { return a.unary(Op::Cos); }
  friend GraphScalar abs(const GraphScalar& a) { return a.unary(Op::Abs); }
  friend GraphScalar pow(const GraphScalar& a, std::int64_t n) { return {*a.graph_, fold_pow_int(*a.graph_, a.id(), n)}; }

 private:
  static GraphScalar binary(Op op, const GraphScalar& a, const GraphScalar& b);
  GraphScalar unary(Op op) const { return {*graph_, graph_->unary(op, id())}; }

  ExprGraph* graph_ = nullptr;
  NodeId id_ = 0;
  Rational detached_;  // the value when graph_ is null
};

}  // namespace cerval::expr
