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

namespace {

// The text of one node and its binding strength.
struct Piece {
  std::string text;
  int prec = 5;
};

std::string wrap(const Piece& p, int needed) { return p.prec < needed ? "(" + p.text + ")" : p.text; }

// Text of node n from the pieces of its operands (a: lhs, b: rhs).
Piece node_piece(const ExprGraph& g, const Node& n, const Piece* a, const Piece* b) {
  Piece r;
  switch (n.op) {
    case Op::Constant: {
      const ConstantValue& c = g.constant_value(static_cast<std::size_t>(n.integer));
      if (c.is_point()) {
        r.text = rational_text(c.lower);
        const bool simple = c.lower >= 0 && denominator(c.lower) == 1;
        r.prec = simple ? 5 : (c.lower < 0 ? 1 : 2);
      } else {
        r.text = "[" + rational_text(c.lower) + ", " + rational_text(c.upper) + "]";
      }
      break;
    }
    case Op::Pi: r.text = "pi"; break;
    case Op::Variable: r.text = g.variable_name(static_cast<std::size_t>(n.integer)); break;
    case Op::Add: case Op::Sub: case Op::Mul: case Op::Div: {
      const int p = precedence(n.op);
      // The parser is left-associative, so an equal-precedence right operand
      // is parenthesised to come back as the same tree.
      r.text = wrap(*a, p) + " " + op_name(n.op) + " " + wrap(*b, p + 1);
      r.prec = p;
      break;
    }
    case Op::Neg:
      r.text = "-" + wrap(*a, 4);
      r.prec = 3;
      break;
    case Op::PowInt:
      r.text = wrap(*a, 5) + "^" + (n.integer < 0 ? "(" + std::to_string(n.integer) + ")" : std::to_string(n.integer));
      r.prec = 4;
      break;
    case Op::Pow:
      r.text = wrap(*a, 5) + "^" + wrap(*b, 5);
      r.prec = 4;
      break;
    case Op::Min: case Op::Max:
      r.text = std::string(op_name(n.op)) + "(" + a->text + ", " + b->text + ")";
      break;
    default:
      r.text = std::string(op_name(n.op)) + "(" + a->text + ")";
      break;
  }
  return r;
}

bool is_leaf_op(Op op) { return op == Op::Constant || op == Op::Pi || op == Op::Variable; }

}  // namespace

std::string ExprGraph::to_string(NodeId id) const {
  // Each reachable node's text and precedence, built bottom-up once.
  std::vector<bool> reached(id + 1, false);
  reached[id] = true;
  for (NodeId k = id + 1; k-- > 0;) {
    if (!reached[k]) continue;
    const Node& n = nodes_[k];
    if (is_unary(n.op) || is_binary(n.op)) reached[n.lhs] = true;
    if (is_binary(n.op)) reached[n.rhs] = true;
  }
  std::vector<Piece> pieces(id + 1);
  for (NodeId k = 0; k <= id; ++k) {
    if (!reached[k]) continue;
    const Node& n = nodes_[k];
    pieces[k] = node_piece(*this, n, &pieces[n.lhs], &pieces[n.rhs]);
  }
  return pieces[id].text;
}

std::uint64_t ExprGraph::tree_size(NodeId id) const {
  constexpr std::uint64_t kCap = std::uint64_t{1} << 62;
  std::vector<std::uint64_t> size(id + 1, 1);
  for (NodeId k = 0; k <= id; ++k) {
    const Node& n = nodes_[k];
    std::uint64_t s = 1;
    if (is_unary(n.op) || is_binary(n.op)) s += size[n.lhs];
    if (is_binary(n.op)) s += size[n.rhs];
    size[k] = std::min(s, kCap);
  }
  return size[id];
}

ExprGraph::SharedText ExprGraph::to_shared_text(const std::vector<NodeId>& roots) const {
  SharedText out;
  if (roots.empty()) return out;
  const NodeId top = *std::max_element(roots.begin(), roots.end());
  // Uses of each node by reachable nodes (and by the roots themselves).
  std::vector<std::uint32_t> uses(top + 1, 0);
  std::vector<bool> reached(top + 1, false);
  for (NodeId r : roots) reached[r] = true;
  for (NodeId k = top + 1; k-- > 0;) {
    if (!reached[k]) continue;
    const Node& n = nodes_[k];
    if (is_unary(n.op) || is_binary(n.op)) {
      reached[n.lhs] = true;
      ++uses[n.lhs];
    }
    if (is_binary(n.op)) {
      reached[n.rhs] = true;
      ++uses[n.rhs];
    }
  }
  for (NodeId r : roots) ++uses[r];
  // A prefix no variable name can be confused with: "d", else "d_", "d__", ...
  std::string prefix = "d";
  auto clashes = [&](const std::string& p) {
    for (const std::string& v : variable_names_) {
      if (v.size() <= p.size() || v.compare(0, p.size(), p) != 0) continue;
      if (std::all_of(v.begin() + static_cast<std::ptrdiff_t>(p.size()), v.end(),
                      [](char c) { return c >= '0' && c <= '9'; }))
        return true;
    }
    return false;
  };
  while (clashes(prefix)) prefix += "_";
  constexpr int kMaxHeight = 200;
  std::vector<Piece> pieces(top + 1);
  std::vector<int> height(top + 1, 0);  // of the unnamed tree printed for the node
  for (NodeId k = 0; k <= top; ++k) {
    if (!reached[k]) continue;
    const Node& n = nodes_[k];
    pieces[k] = node_piece(*this, n, &pieces[n.lhs], &pieces[n.rhs]);
    int h = 0;
    if (is_unary(n.op) || is_binary(n.op)) h = std::max(h, height[n.lhs] + 1);
    if (is_binary(n.op)) h = std::max(h, height[n.rhs] + 1);
    height[k] = h;
    if (!is_leaf_op(n.op) && (uses[k] > 1 || h > kMaxHeight)) {
      std::string name = prefix + std::to_string(out.definitions.size());
      out.definitions.emplace_back(name, std::move(pieces[k].text));
      pieces[k] = Piece{std::move(name), 5};
      height[k] = 0;
    }
    // An operand used only here is not needed any more.
    if ((is_unary(n.op) || is_binary(n.op)) && uses[n.lhs] == 1 && !is_leaf_op(nodes_[n.lhs].op))
      std::string().swap(pieces[n.lhs].text);
    if (is_binary(n.op) && uses[n.rhs] == 1 && !is_leaf_op(nodes_[n.rhs].op) && n.rhs != n.lhs)
      std::string().swap(pieces[n.rhs].text);
  }
  for (NodeId r : roots) out.roots.push_back(pieces[r].text);
  return out;
}

std::vector<bool> ExprGraph::reachable(const std::vector<NodeId>& roots) const {
  if (roots.empty()) return {};
  const NodeId last = *std::max_element(roots.begin(), roots.end());
  std::vector<bool> reached(last + 1, false);
  for (NodeId r : roots) reached.at(r) = true;
  for (NodeId id = last + 1; id-- > 0;) {
    if (!reached[id]) continue;
    const Node& n = nodes_.at(id);
    if (is_unary(n.op) || n.op == Op::PowInt) reached[n.lhs] = true;
    if (is_binary(n.op)) reached[n.lhs] = reached[n.rhs] = true;
  }
  return reached;
}

}  // namespace cerval::expr
