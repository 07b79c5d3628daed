#include <cerval/expr/expr.hpp>

#include <algorithm>
#include <stdexcept>

namespace cerval::expr {

const char* op_name(Op op) {
  switch (op) {
    case Op::Constant: return "constant";
    case Op::Pi: return "pi";
    case Op::Variable: return "variable";
    case Op::Add: return "+";
    case Op::Sub: return "-";
    case Op::Mul: return "*";
    case Op::Div: return "/";
    case Op::Neg: return "-";
    case Op::Sqr: return "sqr";
    case Op::Sqrt: return "sqrt";
    case Op::Exp: return "exp";
    case Op::Log: return "ln";
    case Op::Sin: return "sin";
    case Op::Cos: return "cos";
    case Op::Tan: return "tan";
    case Op::Asin: return "asin";
    case Op::Acos: return "acos";
    case Op::Atan: return "atan";
    case Op::Sinh: return "sinh";
    case Op::Cosh: return "cosh";
    case Op::Tanh: return "tanh";
    case Op::Abs: return "abs";
    case Op::Min: return "min";
    case Op::Max: return "max";
    case Op::PowInt: return "^";
    case Op::Pow: return "^";
  }
  return "?";
}

bool is_binary(Op op) {
  switch (op) {
    case Op::Add: case Op::Sub: case Op::Mul: case Op::Div: case Op::Min: case Op::Max: case Op::Pow:
      return true;
    default:
      return false;
  }
}

bool is_unary(Op op) {
  return !is_binary(op) && op != Op::Constant && op != Op::Pi && op != Op::Variable;
}

std::size_t ExprGraph::NodeHash::operator()(const Node& n) const noexcept {
  std::size_t h = static_cast<std::size_t>(n.op);
  h = h * 1000003u ^ n.lhs;
  h = h * 1000003u ^ n.rhs;
  h = h * 1000003u ^ static_cast<std::size_t>(n.integer);
  return h;
}

NodeId ExprGraph::add(const Node& n) {
  if (auto it = index_.find(n); it != index_.end()) return it->second;
  const auto id = static_cast<NodeId>(nodes_.size());
  nodes_.push_back(n);
  bool depends = n.op == Op::Variable;
  if (is_unary(n.op) || is_binary(n.op)) depends = depends || depends_on_variable_[n.lhs];
  if (is_binary(n.op)) depends = depends || depends_on_variable_[n.rhs];
  depends_on_variable_.push_back(depends);
  index_.emplace(n, id);
  return id;
}

NodeId ExprGraph::constant(const Rational& value) { return constant(value, value); }

NodeId ExprGraph::constant(const Rational& lower, const Rational& upper) {
  if (lower > upper) throw std::invalid_argument("constant interval with lower > upper");
  std::size_t index = constants_.size();
  for (std::size_t i = 0; i < constants_.size(); ++i) {
    if (constants_[i].lower == lower && constants_[i].upper == upper) {
      index = i;
      break;
    }
  }
  if (index == constants_.size()) constants_.push_back({lower, upper});
  return add(Node{Op::Constant, 0, 0, static_cast<std::int64_t>(index)});
}

NodeId ExprGraph::pi() { return add(Node{Op::Pi, 0, 0, 0}); }

NodeId ExprGraph::variable(std::size_t index) {
  if (index >= variable_names_.size()) throw std::out_of_range("undeclared variable index");
  return add(Node{Op::Variable, 0, 0, static_cast<std::int64_t>(index)});
}

NodeId ExprGraph::unary(Op op, NodeId operand) {
  if (!is_unary(op)) throw std::invalid_argument(std::string("not a unary operation: ") + op_name(op));
  if (op == Op::PowInt) throw std::invalid_argument("use pow_int for integer powers");
  if (operand >= nodes_.size()) throw std::out_of_range("operand id");
  return add(Node{op, operand, 0, 0});
}

NodeId ExprGraph::binary(Op op, NodeId lhs, NodeId rhs) {
  if (!is_binary(op)) throw std::invalid_argument(std::string("not a binary operation: ") + op_name(op));
  if (lhs >= nodes_.size() || rhs >= nodes_.size()) throw std::out_of_range("operand id");
  return add(Node{op, lhs, rhs, 0});
}

NodeId ExprGraph::pow_int(NodeId base, std::int64_t exponent) {
  if (base >= nodes_.size()) throw std::out_of_range("operand id");
  return add(Node{Op::PowInt, base, 0, exponent});
}

std::size_t ExprGraph::add_variable(std::string name) {
  if (find_variable(name) >= 0) throw std::invalid_argument("variable declared twice: " + name);
  variable_names_.push_back(std::move(name));
  return variable_names_.size() - 1;
}

long ExprGraph::find_variable(const std::string& name) const {
  for (std::size_t i = 0; i < variable_names_.size(); ++i)
    if (variable_names_[i] == name) return static_cast<long>(i);
  return -1;
}

std::vector<std::size_t> ExprGraph::variables_of(NodeId id) const {
  std::vector<bool> reached(id + 1, false);
  reached[id] = true;
  std::vector<std::size_t> result;
  for (NodeId k = id + 1; k-- > 0;) {
    if (!reached[k]) continue;
    const Node& n = nodes_[k];
    if (n.op == Op::Variable) result.push_back(static_cast<std::size_t>(n.integer));
    if (is_unary(n.op) || is_binary(n.op)) reached[n.lhs] = true;
    if (is_binary(n.op)) reached[n.rhs] = true;
  }
  std::sort(result.begin(), result.end());
  result.erase(std::unique(result.begin(), result.end()), result.end());
  return result;
}

namespace {

// Binding strength for printing with the fewest parentheses that still parse
// back to the same tree: sums 1, products 2, unary minus 3, powers 4, atoms 5.
int precedence(Op op) {
  switch (op) {
    case Op::Add: case Op::Sub: return 1;
    case Op::Mul: case Op::Div: return 2;
    case Op::Neg: return 3;
    case Op::PowInt: case Op::Pow: return 4;
    default: return 5;
  }
}

std::string rational_text(const Rational& q) {
  // p/q prints as a division of integers; a negative value needs parentheses
  // wherever it appears, so callers treat it as a sum-level expression.
  return numeric::to_string(q);
}

}  // namespace

std::string ExprGraph::to_string(NodeId id) const {
  // Each node's text and its precedence, built bottom-up once.
  std::vector<std::string> text(id + 1);
  std::vector<int> prec(id + 1, 5);
  auto wrap = [&](NodeId k, int needed) {
    return prec[k] < needed ? "(" + text[k] + ")" : text[k];
  };
  for (NodeId k = 0; k <= id; ++k) {
    const Node& n = nodes_[k];
    switch (n.op) {
      case Op::Constant: {
        const ConstantValue& c = constants_[static_cast<std::size_t>(n.integer)];
        if (c.is_point()) {
          text[k] = rational_text(c.lower);
          const bool simple = c.lower >= 0 && denominator(c.lower) == 1;
          prec[k] = simple ? 5 : (c.lower < 0 ? 1 : 2);
        } else {
          text[k] = "[" + rational_text(c.lower) + ", " + rational_text(c.upper) + "]";
          prec[k] = 5;
        }
        break;
      }
      case Op::Pi: text[k] = "pi"; break;
      case Op::Variable: text[k] = variable_names_[static_cast<std::size_t>(n.integer)]; break;
      case Op::Add: case Op::Sub: case Op::Mul: case Op::Div: {
        const int p = precedence(n.op);
        // The parser is left-associative, so an equal-precedence right operand
        // is parenthesised to come back as the same tree.
        text[k] = wrap(n.lhs, p) + " " + op_name(n.op) + " " + wrap(n.rhs, p + 1);
        prec[k] = p;
        break;
      }
      case Op::Neg:
        text[k] = "-" + wrap(n.lhs, 4);
        prec[k] = 3;
        break;
      case Op::PowInt:
        text[k] = wrap(n.lhs, 5) + "^" + (n.integer < 0 ? "(" + std::to_string(n.integer) + ")" : std::to_string(n.integer));
        prec[k] = 4;
        break;
      case Op::Pow:
        text[k] = wrap(n.lhs, 5) + "^" + wrap(n.rhs, 5);
        prec[k] = 4;
        break;
      case Op::Min: case Op::Max:
        text[k] = std::string(op_name(n.op)) + "(" + text[n.lhs] + ", " + text[n.rhs] + ")";
        break;
      default:
        text[k] = std::string(op_name(n.op)) + "(" + text[n.lhs] + ")";
        break;
    }
  }
  return text[id];
}

}  // namespace cerval::expr
