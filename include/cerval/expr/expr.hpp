#pragma once
// Expression DAG: the one representation of every function cerval evaluates.
//
// An ExprGraph owns a list of nodes in topological order (every operand has a
// smaller id than the node using it), so a single forward pass evaluates all
// expressions of a problem at once (objective, constraints, claims share
// subexpressions). Construction hash-conses: building the same operation on
// the same operands twice returns the same node.
//
// Constants are exact: a rational point, or an interval with rational
// endpoints (Minibex `c in [0.57, 0.58]`), or pi. No double is ever stored as
// a "constant" here.
#include <cerval/expr/decoration.hpp>
#include <cerval/numeric/interval.hpp>
#include <cerval/numeric/rational.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace cerval::expr {

using numeric::Rational;

using NodeId = std::uint32_t;

enum class Op : std::uint8_t {
  Constant,  // constants()[index]
  Pi,
  Variable,  // variable index
  Add, Sub, Mul, Div,
  Neg, Sqr, Sqrt, Exp, Log, Sin, Cos, Tan, Asin, Acos, Atan, Sinh, Cosh, Tanh, Abs,
  Min, Max,
  PowInt,  // lhs ^ integer (stored in `integer`)
  Pow,     // lhs ^ rhs, real exponent: exp(rhs * log(lhs))
};

// Name used in the spec language ("exp", "+", ...).
const char* op_name(Op op);
bool is_unary(Op op);
bool is_binary(Op op);

struct ConstantValue {
  Rational lower;
  Rational upper;  // == lower for a point constant
  bool is_point() const { return lower == upper; }
};

struct Node {
  Op op;
  NodeId lhs = 0;         // first operand (unary and binary ops)
  NodeId rhs = 0;         // second operand (binary ops)
  std::int64_t integer = 0;  // exponent of PowInt; index of Constant / Variable
  friend bool operator==(const Node&, const Node&) = default;
};

class ExprGraph {
 public:
  NodeId constant(const Rational& value);
  NodeId constant(const Rational& lower, const Rational& upper);  // throws if lower > upper
  NodeId pi();
  // Variable i must have been declared with add_variable.
  NodeId variable(std::size_t index);
  NodeId unary(Op op, NodeId operand);
  NodeId binary(Op op, NodeId lhs, NodeId rhs);
  NodeId pow_int(NodeId base, std::int64_t exponent);

  // Declares a scalar variable and returns its index.
  std::size_t add_variable(std::string name);
  std::size_t variable_count() const { return variable_names_.size(); }
  const std::string& variable_name(std::size_t i) const { return variable_names_[i]; }
  // Index of a variable by name, or -1.
  long find_variable(const std::string& name) const;

  std::size_t size() const { return nodes_.size(); }
  const Node& node(NodeId id) const { return nodes_[id]; }
  const std::vector<Node>& nodes() const { return nodes_; }
  const ConstantValue& constant_value(std::size_t index) const { return constants_[index]; }
  std::size_t constant_count() const { return constants_.size(); }

  // True when the node is built from constants only (no variable below it).
  bool is_constant(NodeId id) const { return !depends_on_variable_[id]; }
  // The nodes the roots are built from, the roots included: flags indexed
  // by node id, up to the largest root (empty for no roots).
  std::vector<bool> reachable(const std::vector<NodeId>& roots) const;

  // Variables the node depends on (sorted, no duplicates).
  std::vector<std::size_t> variables_of(NodeId id) const;

  // Spec-language text of the expression rooted at `id`; parse_expression
  // reads it back to an equal graph (constants printed exactly as p/q).
  std::string to_string(NodeId id) const;

  // Number of nodes of the expression rooted at `id` unfolded into a tree
  // (what to_string prints), saturating at 2^62: exponential in the depth
  // for a DAG that shares subexpressions (an unrolled numerical scheme).
  std::uint64_t tree_size(NodeId id) const;

  // Text of several expressions that share subexpressions, linear in the
  // size of the DAG: every operation node used more than once below `roots`
  // (or heading an unshared subtree deeper than 200) is named and defined
  // once, before its first use. NamedExpressionParser (parser.hpp) reads the
  // definitions, then the roots, back to the identical nodes.
  struct SharedText {
    std::vector<std::pair<std::string, std::string>> definitions;  // name, text (may use earlier names)
    std::vector<std::string> roots;                                // one text per root
  };
  SharedText to_shared_text(const std::vector<NodeId>& roots) const;

  // The binary64 enclosure of a node built from constants only (is_constant),
  // with its decoration, as the binary64 evaluator (eval.hpp) computed it the
  // first time: a cache, so that data-only subexpressions (log(y_i) of a
  // transformed output, cos(2 pi x_i / 12) of a periodic model) and the
  // rounding of rational constants cost one evaluation per graph, not one
  // per pass. Not part of the graph's value.
  struct FoldedConstant {
    numeric::Interval value;
    Decoration decoration;
  };
  const std::optional<FoldedConstant>& folded(NodeId id) const {
    static const std::optional<FoldedConstant> none;
    return id < folded_.size() ? folded_[id] : none;
  }
  void fold(NodeId id, const numeric::Interval& value, Decoration decoration) const {
    if (folded_.size() <= id) folded_.resize(nodes_.size());
    folded_[id] = FoldedConstant{value, decoration};
  }

 private:
  NodeId add(const Node& n);
  struct NodeHash {
    std::size_t operator()(const Node& n) const noexcept;
  };
  std::vector<Node> nodes_;
  std::vector<bool> depends_on_variable_;
  std::vector<ConstantValue> constants_;
  std::vector<std::string> variable_names_;
  std::unordered_map<Node, NodeId, NodeHash> index_;
  mutable std::vector<std::optional<FoldedConstant>> folded_;
};

}  // namespace cerval::expr
