#include <cerval/expr/parser.hpp>

#include <cerval/expr/builder.hpp>

#include <cerval/numeric/interval.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>

namespace cerval::expr {

using numeric::Integer;
using numeric::Interval;

namespace {

constexpr FunctionInfo kFunctions[] = {
    {"sqrt", Op::Sqrt, 1, 1}, {"exp", Op::Exp, 1, 1},   {"ln", Op::Log, 1, 1},     {"log", Op::Log, 1, 1},
    {"sin", Op::Sin, 1, 1},   {"cos", Op::Cos, 1, 1},   {"tan", Op::Tan, 1, 1},    {"asin", Op::Asin, 1, 1},
    {"acos", Op::Acos, 1, 1}, {"atan", Op::Atan, 1, 1}, {"sinh", Op::Sinh, 1, 1},  {"cosh", Op::Cosh, 1, 1},
    {"tanh", Op::Tanh, 1, 1}, {"abs", Op::Abs, 1, 1},   {"sqr", Op::Sqr, 1, 1},    {"min", Op::Min, 2, -1},
    {"max", Op::Max, 2, -1},  {"pow", Op::Pow, 2, 2},
};

// Minibex function names cerval does not implement yet: reserved, and a
// clear "not supported yet" when used.
constexpr std::string_view kUnsupportedFunctions[] = {
    "atan2", "sign", "acosh", "asinh", "atanh", "floor", "ceil", "integer", "chi", "inf", "sup", "mid", "diff", "sum",
};

bool is_unsupported_function(std::string_view name) {
  return std::find(std::begin(kUnsupportedFunctions), std::end(kUnsupportedFunctions), name) !=
         std::end(kUnsupportedFunctions);
}

// Arrays larger than this are rejected (each element is a graph variable).
constexpr std::size_t kMaxArrayElements = 100000;

std::string location_text(const SourceLocation& w) {
  return "line " + std::to_string(w.line) + ", column " + std::to_string(w.column);
}

std::string plural(long n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

std::string dims_text(const std::vector<std::size_t>& dims) {
  std::string s;
  for (std::size_t d : dims) s += "[" + std::to_string(d) + "]";
  return s;
}

std::optional<Relation> relation_of(TokenKind k) {
  switch (k) {
    case TokenKind::LessEqual: return Relation::LessEqual;
    case TokenKind::Less: return Relation::Less;
    case TokenKind::GreaterEqual: return Relation::GreaterEqual;
    case TokenKind::Greater: return Relation::Greater;
    case TokenKind::Equal: return Relation::Equal;
    default: return std::nullopt;
  }
}

Relation flipped(Relation r) {
  switch (r) {
    case Relation::LessEqual: return Relation::GreaterEqual;
    case Relation::Less: return Relation::Greater;
    case Relation::GreaterEqual: return Relation::LessEqual;
    case Relation::Greater: return Relation::Less;
    case Relation::Equal: return Relation::Equal;
  }
  return r;
}

bool is_upward(Relation r) { return r == Relation::LessEqual || r == Relation::Less; }
bool is_downward(Relation r) { return r == Relation::GreaterEqual || r == Relation::Greater; }

std::optional<std::int64_t> to_int64(const Rational& q) {
  if (denominator(q) != 1) return std::nullopt;
  const Integer n = numerator(q);
  if (n > std::numeric_limits<std::int64_t>::max() || n < std::numeric_limits<std::int64_t>::min())
    return std::nullopt;
  return static_cast<std::int64_t>(n);
}

// Interval value of one node from its operands' values; nullopt where the
// operation is not defined on the whole operand box, or the result is not a
// bounded nonempty interval.
std::optional<Interval> interval_op(const ExprGraph& g, const Node& n, const Interval& a, const Interval& b) {
  Interval r;
  switch (n.op) {
    case Op::Constant: {
      const ConstantValue& c = g.constant_value(static_cast<std::size_t>(n.integer));
      r = Interval::enclose(c.lower, c.upper);
      break;
    }
    case Op::Pi: r = Interval::pi(); break;
    case Op::Variable: return std::nullopt;
    case Op::Add: r = a + b; break;
    case Op::Sub: r = a - b; break;
    case Op::Mul: r = a * b; break;
    case Op::Div:
      if (b.contains_zero()) return std::nullopt;
      r = a / b;
      break;
    case Op::Neg: r = -a; break;
    case Op::Sqr: r = sqr(a); break;
    case Op::Sqrt:
      if (a.lower() < 0) return std::nullopt;
      r = sqrt(a);
      break;
    case Op::Exp: r = exp(a); break;
    case Op::Log:
      if (!(a.lower() > 0)) return std::nullopt;
      r = log(a);
      break;
    case Op::Sin: r = sin(a); break;
    case Op::Cos: r = cos(a); break;
    case Op::Tan: r = tan(a); break;  // an enclosed pole gives an unbounded result: rejected below
    case Op::Asin:
      if (a.lower() < -1 || a.upper() > 1) return std::nullopt;
      r = asin(a);
      break;
    case Op::Acos:
      if (a.lower() < -1 || a.upper() > 1) return std::nullopt;
      r = acos(a);
      break;
    case Op::Atan: r = atan(a); break;
    case Op::Sinh: r = sinh(a); break;
    case Op::Cosh: r = cosh(a); break;
    case Op::Tanh: r = tanh(a); break;
    case Op::Abs: r = abs(a); break;
    case Op::Min: r = min(a, b); break;
    case Op::Max: r = max(a, b); break;
    case Op::PowInt:
      if (n.integer < 0 && a.contains_zero()) return std::nullopt;
      r = pow(a, static_cast<long>(n.integer));
      break;
    case Op::Pow:
      if (!(a.lower() > 0 || (a.lower() >= 0 && b.lower() > 0))) return std::nullopt;
      r = pow(a, b);
      break;
  }
  if (r.is_empty() || !r.is_bounded()) return std::nullopt;
  return r;
}

}  // namespace

// ---------------------------------------------------------------------------
// Functions, names, symbols

const FunctionInfo* find_function(std::string_view name) {
  for (const FunctionInfo& f : kFunctions)
    if (f.name == name) return &f;
  return nullptr;
}

bool is_reserved_name(std::string_view name) {
  return find_function(name) != nullptr || name == "pi" || name == "oo" || is_unsupported_function(name);
}

std::string element_name(const std::string& base, const std::vector<std::size_t>& one_based) {
  std::string s = base + "(";
  for (std::size_t k = 0; k < one_based.size(); ++k) s += (k ? "," : "") + std::to_string(one_based[k]);
  return s + ")";
}

const Symbol* SymbolTable::find(const std::string& name) const {
  const auto it = symbols_.find(name);
  return it == symbols_.end() ? nullptr : &it->second;
}

const Symbol& SymbolTable::add(Symbol symbol) {
  if (const Symbol* old = find(symbol.name)) {
    const bool same = old->kind == symbol.kind;
    const char* old_kind = old->kind == Symbol::Kind::Constant   ? "constant"
                           : old->kind == Symbol::Kind::Variable ? "variable"
                                                                 : "definition";
    if (same)
      throw InputError(symbol.where, std::string(old_kind) + " '" + symbol.name + "' declared twice (first at " +
                                         location_text(old->where) + ")");
    throw InputError(symbol.where, "'" + symbol.name + "' is already declared as a " + old_kind + " (at " +
                                       location_text(old->where) + ")");
  }
  const std::string name = symbol.name;
  return symbols_.emplace(name, std::move(symbol)).first->second;
}

SymbolTable SymbolTable::from_graph(ExprGraph& graph) {
  SymbolTable table;
  struct Element {
    std::vector<std::size_t> index;
    std::size_t variable;
  };
  std::map<std::string, std::vector<Element>> arrays;
  std::vector<std::string> order;
  for (std::size_t i = 0; i < graph.variable_count(); ++i) {
    const std::string& name = graph.variable_name(i);
    // "base(i,j,...)" with positive decimal indices is an array element.
    const auto open = name.find('(');
    std::vector<std::size_t> index;
    bool element = open != std::string::npos && open > 0 && name.back() == ')';
    if (element) {
      std::size_t value = 0;
      bool digits = false;
      for (std::size_t k = open + 1; k < name.size(); ++k) {
        const char c = name[k];
        if (c >= '0' && c <= '9' && value < 100000000) {
          value = value * 10 + static_cast<std::size_t>(c - '0');
          digits = true;
        } else if ((c == ',' || c == ')') && digits && value >= 1) {
          index.push_back(value);
          value = 0;
          digits = false;
          if (c == ')' && k + 1 != name.size()) element = false;
        } else {
          element = false;
          break;
        }
      }
      if (index.empty() || index.size() > 3) element = false;
    }
    if (!element) {
      if (!table.find(name)) {
        Symbol s;
        s.kind = Symbol::Kind::Variable;
        s.name = name;
        s.elements = {graph.variable(i)};
        s.where = {"<graph>", 1, 1};
        table.symbols_.emplace(name, std::move(s));
      }
      continue;
    }
    const std::string base = name.substr(0, open);
    if (!arrays.count(base)) order.push_back(base);
    arrays[base].push_back({std::move(index), i});
  }
  for (const std::string& base : order) {
    if (table.find(base)) continue;  // a scalar of the same name hides the array
    const auto& elements = arrays[base];
    const std::size_t rank = elements.front().index.size();
    std::vector<std::size_t> dims(rank, 0);
    for (const Element& e : elements)
      if (e.index.size() == rank)
        for (std::size_t k = 0; k < rank; ++k) dims[k] = std::max(dims[k], e.index[k]);
    std::size_t total = 1;
    for (std::size_t d : dims) total = total > kMaxArrayElements * 10 ? total : total * d;
    if (total > kMaxArrayElements * 10) continue;  // too sparse to index densely: unreachable by name
    Symbol s;
    s.kind = Symbol::Kind::Variable;
    s.name = base;
    s.dims = dims;
    s.elements.assign(total, Symbol::kNoElement);
    s.where = {"<graph>", 1, 1};
    for (const Element& e : elements) {
      if (e.index.size() != rank) continue;
      std::size_t flat = 0;
      for (std::size_t k = 0; k < rank; ++k) flat = flat * dims[k] + (e.index[k] - 1);
      s.elements[flat] = graph.variable(e.variable);
    }
    table.symbols_.emplace(base, std::move(s));
  }
  return table;
}

// ---------------------------------------------------------------------------
// Constant evaluation

std::optional<RationalBounds> constant_bounds(const ExprGraph& graph, NodeId id) {
  if (id >= graph.size() || !graph.is_constant(id)) return std::nullopt;
  const Node& root = graph.node(id);
  if (root.op == Op::Constant) {
    const ConstantValue& c = graph.constant_value(static_cast<std::size_t>(root.integer));
    return RationalBounds{c.lower, c.upper, true};
  }
  // Forward pass over the nodes below id (operands have smaller ids).
  const std::vector<bool> reached = graph.reachable({id});
  std::vector<Interval> value(id + 1);
  for (NodeId k = 0; k <= id; ++k) {
    if (!reached[k]) continue;
    const Node& n = graph.node(k);
    const Interval a = is_unary(n.op) || is_binary(n.op) ? value[n.lhs] : Interval();
    const Interval b = is_binary(n.op) ? value[n.rhs] : Interval();
    const auto r = interval_op(graph, n, a, b);
    if (!r) return std::nullopt;
    value[k] = *r;
  }
  return RationalBounds{numeric::to_rational(value[id].lower()), numeric::to_rational(value[id].upper()), false};
}

// ---------------------------------------------------------------------------
// ExpressionParser

ExpressionParser::Nest::Nest(ExpressionParser& p, const Token& at) : parser(p) {
  if (++parser.depth_ > kMaxNesting) {
    --parser.depth_;
    throw InputError(at.where, "expression nested too deeply (more than " + std::to_string(kMaxNesting) + " levels)");
  }
}

std::optional<Rational> ExpressionParser::point_value(NodeId id) const { return point_constant(graph_, id); }

NodeId ExpressionParser::negate(NodeId a) { return fold_negate(graph_, a); }

NodeId ExpressionParser::arithmetic(Op op, NodeId a, NodeId b) { return fold_arithmetic(graph_, op, a, b); }

NodeId ExpressionParser::pow_int(NodeId base, std::int64_t exponent) { return fold_pow_int(graph_, base, exponent); }

NodeId ExpressionParser::power(NodeId base, NodeId exponent, const Token& at) {
  if (const auto v = point_value(exponent); v && denominator(*v) == 1) {
    const auto n = to_int64(*v);
    if (!n) throw InputError(at.where, "integer exponent " + v->str() + " is out of range");
    return pow_int(base, *n);
  }
  return graph_.binary(Op::Pow, base, exponent);
}

NodeId ExpressionParser::interval_constant(NodeId lo, NodeId hi, const Token& at, const std::string& text) {
  const auto a = constant_bounds(graph_, lo);
  const auto b = constant_bounds(graph_, hi);
  if (!a || !b) throw InputError(at.where, "the ends of interval " + text + " must be defined constants");
  if (a->lower > b->upper) throw InputError(at.where, "empty interval " + text);
  if (a->upper > b->lower)
    throw InputError(at.where, "cannot decide whether interval " + text +
                                   " is empty: its ends are too close; give rational ends");
  return graph_.constant(a->lower, b->upper);
}

NodeId ExpressionParser::parse_expression() {
  NodeId lhs = parse_term();
  while (true) {
    if (tokens_.accept(TokenKind::Plus)) {
      lhs = arithmetic(Op::Add, lhs, parse_term());
    } else if (tokens_.accept(TokenKind::Minus)) {
      lhs = arithmetic(Op::Sub, lhs, parse_term());
    } else {
      return lhs;
    }
  }
}

NodeId ExpressionParser::parse_term() {
  NodeId lhs = parse_unary();
  while (true) {
    if (tokens_.accept(TokenKind::Star)) {
      lhs = arithmetic(Op::Mul, lhs, parse_unary());
    } else if (tokens_.accept(TokenKind::Slash)) {
      lhs = arithmetic(Op::Div, lhs, parse_unary());
    } else {
      return lhs;
    }
  }
}

NodeId ExpressionParser::parse_unary() {
  const TokenKind k = tokens_.peek().kind;
  if (k == TokenKind::Minus || k == TokenKind::Plus) {
    Nest nest(*this, tokens_.peek());
    tokens_.next();
    const NodeId operand = parse_unary();
    return k == TokenKind::Minus ? negate(operand) : operand;
  }
  return parse_power();
}

NodeId ExpressionParser::parse_power() {
  const NodeId base = parse_primary();
  if (tokens_.peek().kind != TokenKind::Caret) return base;
  const Token caret = tokens_.next();
  const NodeId exponent = parse_exponent();
  const NodeId result = power(base, exponent, caret);
  if (tokens_.peek().kind == TokenKind::Caret)
    tokens_.fail(tokens_.peek(), "ambiguous chained '^': write (a^b)^c or a^(b^c)");
  return result;
}

NodeId ExpressionParser::parse_exponent() {
  const TokenKind k = tokens_.peek().kind;
  if (k == TokenKind::Minus || k == TokenKind::Plus) {
    Nest nest(*this, tokens_.peek());
    tokens_.next();
    const NodeId operand = parse_exponent();
    return k == TokenKind::Minus ? negate(operand) : operand;
  }
  return parse_primary();
}

NodeId ExpressionParser::parse_primary() {
  const Token& t = tokens_.peek();
  switch (t.kind) {
    case TokenKind::Number: {
      const NodeId id = graph_.constant(t.number);
      tokens_.next();
      return id;
    }
    case TokenKind::LParen: {
      Nest nest(*this, t);
      const SourceLocation open = tokens_.next().where;
      const NodeId e = parse_expression();
      tokens_.expect(TokenKind::RParen, "to close the '(' at " + location_text(open));
      return e;
    }
    case TokenKind::LBracket: {
      Nest nest(*this, t);
      const Token open = tokens_.next();
      const NodeId lo = parse_constant_expression("the lower end of an interval");
      tokens_.expect(TokenKind::Comma, "between the ends of an interval");
      const NodeId hi = parse_constant_expression("the upper end of an interval");
      tokens_.expect(TokenKind::RBracket, "to close the interval at " + location_text(open.where));
      return interval_constant(lo, hi, open, tokens_.text_since(open));
    }
    case TokenKind::Identifier: return parse_name();
    case TokenKind::Keyword: tokens_.fail(t, "expected an expression, got keyword " + t.describe());
    default: tokens_.fail(t, "expected an expression, got " + t.describe());
  }
}

NodeId ExpressionParser::parse_name() {
  const Token name = tokens_.next();
  if (const Symbol* s = symbols_.find(name.text)) return parse_symbol(name, *s);
  if (const FunctionInfo* f = find_function(name.text)) return parse_call(name, *f);
  if (name.text == "pi") return graph_.pi();
  if (name.text == "oo") tokens_.fail(name, "infinity 'oo' is only allowed as a bound of a domain");
  if (is_unsupported_function(name.text)) tokens_.fail(name, "function '" + name.text + "' is not supported yet");
  if (tokens_.peek().kind == TokenKind::LParen) tokens_.fail(name, "unknown function '" + name.text + "'");
  tokens_.fail(name, "unknown name '" + name.text + "'");
}

NodeId ExpressionParser::parse_call(const Token& name, const FunctionInfo& f) {
  if (tokens_.peek().kind != TokenKind::LParen)
    tokens_.fail(tokens_.peek(), "expected '(' after function '" + name.text + "', got " + tokens_.peek().describe());
  Nest nest(*this, tokens_.peek());
  tokens_.next();
  std::vector<NodeId> args;
  if (tokens_.peek().kind != TokenKind::RParen) {
    args.push_back(parse_expression());
    while (tokens_.accept(TokenKind::Comma)) args.push_back(parse_expression());
  }
  tokens_.expect(TokenKind::RParen, "to close the arguments of '" + name.text + "'");
  const long n = static_cast<long>(args.size());
  if (n < f.min_args || (f.max_args >= 0 && n > f.max_args)) {
    const std::string expected = f.max_args < 0 ? "at least " + plural(f.min_args, "argument")
                                                 : plural(f.min_args, "argument");
    tokens_.fail(name, "function '" + name.text + "' takes " + expected + ", got " + std::to_string(n));
  }
  switch (f.op) {
    case Op::Pow: return power(args[0], args[1], name);
    case Op::Min:
    case Op::Max: {
      NodeId acc = args[0];
      for (std::size_t k = 1; k < args.size(); ++k) acc = graph_.binary(f.op, acc, args[k]);
      return acc;
    }
    default: return graph_.unary(f.op, args[0]);
  }
}

NodeId ExpressionParser::parse_symbol(const Token& name, const Symbol& s) {
  const TokenKind k = tokens_.peek().kind;
  if (s.is_scalar()) {
    if (k == TokenKind::LParen || k == TokenKind::LBracket)
      tokens_.fail(tokens_.peek(), "'" + s.name + "' is not a vector and cannot be indexed");
    return s.elements.front();
  }
  const std::size_t rank = s.dims.size();
  const std::string shape = s.name + dims_text(s.dims);
  if (k != TokenKind::LParen && k != TokenKind::LBracket) {
    std::string how = rank == 1 ? s.name + "(i) (one-based) or " + s.name + "[i] (zero-based)"
                      : rank == 2 ? s.name + "(i,j) (one-based) or " + s.name + "[i][j] (zero-based)"
                                  : s.name + "(i,j,k) (one-based) or " + s.name + "[i][j][k] (zero-based)";
    tokens_.fail(name, "'" + s.name + "' is an array (" + shape + "): write " + how);
  }
  const bool one_based = k == TokenKind::LParen;
  std::vector<std::int64_t> index;
  std::vector<SourceLocation> index_at;
  const std::string what = "an index of '" + s.name + "'";
  if (one_based) {
    Nest nest(*this, tokens_.peek());
    tokens_.next();
    do {
      index_at.push_back(tokens_.peek().where);
      index.push_back(parse_integer_constant(what));
    } while (tokens_.accept(TokenKind::Comma));
    tokens_.expect(TokenKind::RParen, "to close the index of '" + s.name + "'");
  } else {
    while (tokens_.peek().kind == TokenKind::LBracket) {
      Nest nest(*this, tokens_.peek());
      tokens_.next();
      index_at.push_back(tokens_.peek().where);
      index.push_back(parse_integer_constant(what));
      tokens_.expect(TokenKind::RBracket, "to close the index of '" + s.name + "'");
    }
  }
  if (index.size() != rank)
    tokens_.fail(name, "'" + s.name + "' has " + plural(static_cast<long>(rank), "dimension") + " (" + shape +
                           "), got " + (index.size() == 1 ? std::string("1 index") : std::to_string(index.size()) + " indices"));
  std::size_t flat = 0;
  for (std::size_t d = 0; d < rank; ++d) {
    const std::int64_t first = one_based ? 1 : 0;
    const std::int64_t last = static_cast<std::int64_t>(s.dims[d]) - 1 + first;
    if (index[d] < first || index[d] > last)
      throw InputError(index_at[d], "index " + std::to_string(index[d]) + " out of range for '" + s.name +
                                        "' (declared " + shape + "; " + (one_based ? "one" : "zero") +
                                        "-based indices are " + std::to_string(first) + ".." + std::to_string(last) +
                                        ")");
    flat = flat * s.dims[d] + static_cast<std::size_t>(index[d] - first);
  }
  const NodeId id = s.elements[flat];
  if (id == Symbol::kNoElement) {
    std::vector<std::size_t> one(rank);
    for (std::size_t d = 0; d < rank; ++d) one[d] = static_cast<std::size_t>(index[d] + (one_based ? 0 : 1));
    tokens_.fail(name, "'" + element_name(s.name, one) + "' is not a variable of this problem");
  }
  return id;
}

NodeId ExpressionParser::parse_constant_expression(std::string_view what) {
  const Token first = tokens_.peek();
  const NodeId id = parse_expression();
  if (!graph_.is_constant(id)) {
    const auto vars = graph_.variables_of(id);
    throw InputError(first.where, std::string(what) + " must be a constant expression, but it uses variable '" +
                                      graph_.variable_name(vars.front()) + "'");
  }
  if (!constant_bounds(graph_, id))
    throw InputError(first.where, std::string(what) +
                                      " is not defined (a division by zero, a function outside its domain, or an "
                                      "overflow)");
  return id;
}

std::int64_t ExpressionParser::parse_integer_constant(std::string_view what) {
  const Token first = tokens_.peek();
  const NodeId id = parse_constant_expression(what);
  const auto v = point_value(id);
  if (!v || denominator(*v) != 1)
    throw InputError(first.where, std::string(what) + " must be an integer, got '" + tokens_.text_since(first) + "'");
  const auto n = to_int64(*v);
  if (!n) throw InputError(first.where, std::string(what) + " is out of range: " + v->str());
  return *n;
}

// ---------------------------------------------------------------------------
// Statements

std::vector<Comparison> parse_comparison_statement(ExpressionParser& parser, std::string_view what) {
  TokenStream& ts = parser.tokens();
  const Token first = ts.peek();
  std::vector<NodeId> sides{parser.parse_expression()};
  std::vector<Relation> relations;
  std::vector<Token> operators;
  while (const auto r = relation_of(ts.peek().kind)) {
    operators.push_back(ts.next());
    relations.push_back(*r);
    if (*r == Relation::Equal && ts.peek().kind == TokenKind::Equal)
      ts.fail(operators.back(), "use '=' for equality, not '=='");
    sides.push_back(parser.parse_expression());
  }
  if (relations.empty())
    ts.fail(ts.peek(), "expected a comparison ('<=', '>=', '<', '>' or '=') in " + std::string(what) + ", got " +
                           ts.peek().describe());
  if (relations.size() > 1) {
    const bool up = std::all_of(relations.begin(), relations.end(), is_upward);
    const bool down = std::all_of(relations.begin(), relations.end(), is_downward);
    if (!up && !down) {
      // Blame the first operator that breaks the direction of the first one.
      std::size_t k = 1;
      if (relations[0] != Relation::Equal)
        while (relations[k] != Relation::Equal && is_upward(relations[k]) == is_upward(relations[0])) ++k;
      if (relations[0] == Relation::Equal || relations[k] == Relation::Equal)
        ts.fail(operators[k], "'=' cannot be chained with other comparisons");
      ts.fail(operators[k],
              "a chained comparison needs inequalities in one direction, like 'a <= f <= b' or 'a >= f >= b'");
    }
  }
  const std::string text = ts.text_since(first);
  ExprGraph& g = parser.graph();
  std::vector<Comparison> result;
  for (std::size_t k = 0; k < relations.size(); ++k) {
    const NodeId lhs = sides[k];
    const NodeId rhs = sides[k + 1];
    Comparison c{lhs, relations[k], Rational(0), text, first.where};
    if (const auto b = parser.point_value(rhs)) {
      c.bound = *b;
    } else if (const auto a = parser.point_value(lhs)) {
      c.expr = rhs;
      c.relation = flipped(relations[k]);
      c.bound = *a;
    } else {
      c.expr = g.binary(Op::Sub, lhs, rhs);
    }
    result.push_back(std::move(c));
  }
  return result;
}

// ---------------------------------------------------------------------------
// SpecParser

namespace {

// Order of the core sections; extension sections come after all of them.
int section_rank(std::string_view keyword) {
  if (keyword == "constants") return 0;
  if (keyword == "variables") return 1;
  if (keyword == "parameters") return 2;
  if (keyword == "function") return 3;
  if (keyword == "minimize" || keyword == "maximize") return 4;
  if (keyword == "constraints") return 5;
  if (keyword == "prove") return 6;
  return 7;
}

std::vector<std::string> with_core_keywords(const std::vector<std::string>& extra) {
  std::vector<std::string> all = core_keywords();
  for (const std::string& k : extra) {
    std::string l = k;
    for (char& c : l)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    all.push_back(l);
  }
  return all;
}

}  // namespace

SpecParser::SpecParser(std::string_view text, std::string file_name, std::vector<std::string> extra_section_keywords)
    : section_keywords_{"constants", "variables", "parameters", "function", "minimize", "maximize", "constraints",
                        "prove"},
      tokens_(text, file_name, with_core_keywords(extra_section_keywords)),
      expressions_(tokens_, spec_.graph, symbols_) {
  spec_.file = std::move(file_name);
  for (const std::string& k : with_core_keywords(extra_section_keywords))
    if (std::find(core_keywords().begin(), core_keywords().end(), k) == core_keywords().end())
      section_keywords_.push_back(k);
}

bool SpecParser::parse_extension_section(const Token&) { return false; }

bool SpecParser::at_section_end() {
  const Token& t = tokens_.peek();
  if (t.kind == TokenKind::EndOfInput) return true;
  if (t.kind != TokenKind::Keyword) return false;
  return t.keyword == "end" ||
         std::find(section_keywords_.begin(), section_keywords_.end(), t.keyword) != section_keywords_.end();
}

void SpecParser::expect_statement_end(std::string_view context) {
  if (tokens_.accept(TokenKind::Semicolon) || at_section_end()) return;
  tokens_.fail(tokens_.peek(), "expected ';' " + std::string(context) + ", got " + tokens_.peek().describe());
}

Spec SpecParser::parse() {
  if (tokens_.peek().kind == TokenKind::EndOfInput)
    tokens_.fail(tokens_.peek(), "empty spec: expected a section such as 'variables', 'minimize' or 'prove'");
  int rank = -1;
  std::string previous;
  while (true) {
    const Token t = tokens_.peek();
    if (t.kind == TokenKind::EndOfInput) break;
    if (t.is_keyword("end")) {
      tokens_.next();
      if (tokens_.peek().kind != TokenKind::EndOfInput)
        tokens_.fail(tokens_.peek(), "unexpected " + tokens_.peek().describe() + " after 'end'");
      break;
    }
    const bool section = t.kind == TokenKind::Keyword &&
                         std::find(section_keywords_.begin(), section_keywords_.end(), t.keyword) !=
                             section_keywords_.end();
    if (!section)
      tokens_.fail(t, "expected a section ('constants', 'variables', 'minimize', 'maximize', 'constraints', "
                      "'prove') or 'end', got " +
                          t.describe());
    const int r = section_rank(t.keyword);
    if (r < rank) tokens_.fail(t, "the '" + t.keyword + "' section must come before the '" + previous + "' section");
    if (r == rank && r != 7) {
      if (r == 4) tokens_.fail(t, "only one goal ('minimize' or 'maximize') is allowed");
      tokens_.fail(t, "duplicate '" + t.keyword + "' section");
    }
    rank = r;
    previous = t.keyword;
    if (t.keyword == "constants") {
      parse_constants();
    } else if (t.keyword == "variables") {
      parse_variables();
    } else if (t.keyword == "parameters") {
      tokens_.fail(t, "'parameters' blocks are not supported yet");
    } else if (t.keyword == "function") {
      tokens_.fail(t, "'function' blocks are not supported yet");
    } else if (t.keyword == "minimize" || t.keyword == "maximize") {
      parse_goal(t.keyword == "minimize" ? Sense::Minimize : Sense::Maximize);
    } else if (t.keyword == "constraints") {
      tokens_.next();
      auto cs = parse_comparison_list("constraint");
      spec_.constraints.insert(spec_.constraints.end(), cs.begin(), cs.end());
    } else if (t.keyword == "prove") {
      tokens_.next();
      auto cs = parse_comparison_list("claim");
      spec_.claims.insert(spec_.claims.end(), cs.begin(), cs.end());
    } else if (!parse_extension_section(t)) {
      tokens_.fail(t, "the '" + t.keyword + "' section is not supported here");
    }
  }
  return std::move(spec_);
}

std::vector<Comparison> SpecParser::parse_comparison_list(std::string_view what) {
  std::vector<Comparison> result;
  while (!at_section_end()) {
    const Token& t = tokens_.peek();
    if (t.is_keyword("for")) tokens_.fail(t, "'for' loops are not supported yet");
    auto cs = parse_comparison_statement(expressions_, what);
    result.insert(result.end(), cs.begin(), cs.end());
    expect_statement_end("after " + std::string(what));
  }
  return result;
}

void SpecParser::parse_goal(Sense sense) {
  const Token keyword = tokens_.next();
  const Token first = tokens_.peek();
  if (at_section_end())
    tokens_.fail(first, "expected an expression after '" + keyword.text + "', got " + first.describe());
  const NodeId e = expressions_.parse_expression();
  spec_.objective = Objective{sense, e, tokens_.text_since(first), first.where};
  expect_statement_end("after the objective");
}

void SpecParser::check_new_name(const Token& name, Symbol::Kind kind) {
  if (is_reserved_name(name.text))
    tokens_.fail(name, "'" + name.text + "' is a reserved name (a function or constant of the language)");
  if (symbols_.find(name.text)) {
    Symbol probe;
    probe.kind = kind;
    probe.name = name.text;
    probe.where = name.where;
    symbols_.add(std::move(probe));  // throws the "declared twice" error
  }
}

std::vector<std::size_t> SpecParser::parse_dimensions(const Token& name) {
  std::vector<std::size_t> dims;
  std::size_t total = 1;
  while (tokens_.peek().kind == TokenKind::LBracket) {
    if (dims.size() == 3) tokens_.fail(tokens_.peek(), "'" + name.text + "' has more than 3 dimensions");
    tokens_.next();
    const Token first = tokens_.peek();
    const std::int64_t n = expressions_.parse_integer_constant("the size of '" + name.text + "'");
    if (n < 1)
      tokens_.fail(first, "the size of '" + name.text + "' must be at least 1, got " + std::to_string(n));
    if (static_cast<std::uint64_t>(n) > kMaxArrayElements || total * static_cast<std::size_t>(n) > kMaxArrayElements)
      tokens_.fail(first, "'" + name.text + "' is too large (at most " + std::to_string(kMaxArrayElements) +
                              " elements)");
    total *= static_cast<std::size_t>(n);
    dims.push_back(static_cast<std::size_t>(n));
    tokens_.expect(TokenKind::RBracket, "after the size of '" + name.text + "'");
  }
  return dims;
}

SpecParser::Bound SpecParser::parse_bound(const std::string& what) {
  Bound b;
  const Token& t = tokens_.peek();
  const bool sign = t.kind == TokenKind::Minus || t.kind == TokenKind::Plus;
  const Token& o = tokens_.peek(sign ? 1 : 0);
  if (o.kind == TokenKind::Identifier && o.text == "oo") {
    const bool negative = tokens_.peek().kind == TokenKind::Minus;
    if (sign) tokens_.next();
    tokens_.next();
    b.kind = negative ? Bound::Kind::MinusInfinity : Bound::Kind::PlusInfinity;
    return b;
  }
  const NodeId id = expressions_.parse_constant_expression(what);
  b.value = *constant_bounds(spec_.graph, id);  // parse_constant_expression checked it is defined
  return b;
}

SpecParser::IntervalSyntax SpecParser::parse_interval(const std::string& owner) {
  IntervalSyntax s;
  s.open = tokens_.expect(TokenKind::LBracket, "after 'in'");
  s.lower = parse_bound("the lower bound of " + owner);
  tokens_.expect(TokenKind::Comma, "between the bounds of " + owner);
  s.upper = parse_bound("the upper bound of " + owner);
  tokens_.expect(TokenKind::RBracket, "after the upper bound of " + owner);
  s.text = tokens_.text_since(s.open);
  return s;
}

void SpecParser::parse_constants() {
  tokens_.next();
  while (!at_section_end()) {
    const Token& t = tokens_.peek();
    if (t.kind != TokenKind::Identifier)
      tokens_.fail(t, "expected a constant declaration like 'c = 2.5;' or 'c in [0.5, 0.6];', got " + t.describe());
    parse_constant_declaration();
  }
}

void SpecParser::parse_constant_declaration() {
  const Token name = tokens_.next();
  check_new_name(name, Symbol::Kind::Constant);
  const std::vector<std::size_t> dims = parse_dimensions(name);
  const std::string owner = "constant '" + name.text + "'";
  NodeId value = 0;
  if (tokens_.peek().kind == TokenKind::Equal) {
    const Token eq = tokens_.next();
    if (!dims.empty())
      tokens_.fail(eq, "array constant '" + name.text + "' must be declared as '" + name.text + dims_text(dims) +
                           " in [lo, hi]' (array values like (1; 2) are not supported yet)");
    value = expressions_.parse_constant_expression("the value of " + owner);
  } else if (tokens_.accept_keyword("in")) {
    const IntervalSyntax s = parse_interval(owner);
    if (s.lower.kind != Bound::Kind::Finite || s.upper.kind != Bound::Kind::Finite)
      tokens_.fail(s.open, owner + " must have finite bounds, got " + s.text);
    if (s.lower.value.lower > s.upper.value.upper) tokens_.fail(s.open, "empty interval " + s.text + " for " + owner);
    if (s.lower.value.upper > s.upper.value.lower)
      tokens_.fail(s.open, "cannot decide whether interval " + s.text + " of " + owner +
                               " is empty: its bounds are too close; give rational bounds");
    value = spec_.graph.constant(s.lower.value.lower, s.upper.value.upper);
  } else {
    tokens_.fail(tokens_.peek(), "expected '=' or 'in' after " + owner + ", got " + tokens_.peek().describe());
  }
  Symbol s;
  s.kind = Symbol::Kind::Constant;
  s.name = name.text;
  s.dims = dims;
  std::size_t total = 1;
  for (std::size_t d : dims) total *= d;
  s.elements.assign(total, value);
  s.where = name.where;
  symbols_.add(std::move(s));
  expect_statement_end("after the declaration of " + owner);
}

void SpecParser::parse_variables() {
  tokens_.next();
  while (!at_section_end()) {
    const Token& t = tokens_.peek();
    if (t.kind != TokenKind::Identifier)
      tokens_.fail(t, "expected a variable declaration like 'x in [-1, 1];', got " + t.describe());
    const std::string name = t.text;
    parse_variable_declaration();
    if (tokens_.accept(TokenKind::Comma)) {
      if (tokens_.peek().kind != TokenKind::Identifier)
        tokens_.fail(tokens_.peek(), "expected a variable name after ',', got " + tokens_.peek().describe());
      continue;
    }
    expect_statement_end("after the declaration of variable '" + name + "'");
  }
}

void SpecParser::parse_variable_declaration() {
  const Token name = tokens_.next();
  check_new_name(name, Symbol::Kind::Variable);
  const std::vector<std::size_t> dims = parse_dimensions(name);
  std::optional<Rational> lower;
  std::optional<Rational> upper;
  std::optional<Rational> inner_lower;
  std::optional<Rational> inner_upper;
  if (tokens_.accept_keyword("in")) {
    const std::string owner = "'" + name.text + "'";
    const IntervalSyntax s = parse_interval(owner);
    using K = Bound::Kind;
    if (s.lower.kind == K::PlusInfinity || s.upper.kind == K::MinusInfinity)
      tokens_.fail(s.open, "empty domain " + s.text + " for " + owner);
    if (s.lower.kind == K::Finite) {
      lower = s.lower.value.lower;
      if (!s.lower.value.exact) inner_lower = s.lower.value.upper;
    }
    if (s.upper.kind == K::Finite) {
      upper = s.upper.value.upper;
      if (!s.upper.value.exact) inner_upper = s.upper.value.lower;
    }
    if (lower && upper) {
      if (s.lower.value.lower > s.upper.value.upper) tokens_.fail(s.open, "empty domain " + s.text + " for " + owner);
      if (s.lower.value.upper > s.upper.value.lower)
        tokens_.fail(s.open, "cannot decide whether domain " + s.text + " of " + owner +
                                 " is empty: its bounds are too close; give rational bounds");
    }
  }
  Symbol s;
  s.kind = Symbol::Kind::Variable;
  s.name = name.text;
  s.dims = dims;
  s.where = name.where;
  std::size_t total = 1;
  for (std::size_t d : dims) total *= d;
  std::vector<std::size_t> index(dims.size(), 1);
  for (std::size_t k = 0; k < total; ++k) {
    const std::string element = dims.empty() ? name.text : element_name(name.text, index);
    const std::size_t v = spec_.graph.add_variable(element);
    spec_.variables.push_back(VariableDomain{element, lower, upper, name.where, inner_lower, inner_upper});
    s.elements.push_back(spec_.graph.variable(v));
    for (std::size_t d = dims.size(); d-- > 0;) {  // next index in row-major order
      if (++index[d] <= dims[d]) break;
      index[d] = 1;
    }
  }
  symbols_.add(std::move(s));
}

// ---------------------------------------------------------------------------
// Entry points

Spec parse_spec(std::string_view text, const std::string& file_name) {
  SpecParser parser(text, file_name);
  return parser.parse();
}

Spec parse_spec_file(const std::string& path) {
  const SourceLocation start{path, 1, 1};
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw InputError(start, "cannot read '" + path + "': it is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(start, "cannot open '" + path + "': " + std::strerror(errno));
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw InputError(start, "cannot read '" + path + "'");
  return parse_spec(text, path);
}

NodeId parse_expression(std::string_view text, ExprGraph& graph, const std::string& file_name) {
  TokenStream tokens(text, file_name);
  const SymbolTable symbols = SymbolTable::from_graph(graph);
  ExpressionParser parser(tokens, graph, symbols);
  const NodeId id = parser.parse_expression();
  if (tokens.peek().kind != TokenKind::EndOfInput)
    tokens.fail(tokens.peek(), "unexpected " + tokens.peek().describe() + " after the expression");
  return id;
}

NamedExpressionParser::NamedExpressionParser(ExprGraph& graph)
    : graph_(graph), symbols_(SymbolTable::from_graph(graph)) {}

std::string NamedExpressionParser::name_problem(std::string_view name, const ExprGraph& graph) {
  const std::string quoted = "'" + std::string(name) + "'";
  if (name.empty()) return "empty name";
  const auto word_start = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
  if (!word_start(name.front())) return quoted + " is not a name (letters, digits and '_', not starting with a digit)";
  for (char c : name)
    if (!word_start(c) && !(c >= '0' && c <= '9'))
      return quoted + " is not a name (letters, digits and '_', not starting with a digit)";
  std::string lower(name);
  for (char& c : lower)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  const auto& keywords = core_keywords();
  if (std::find(keywords.begin(), keywords.end(), lower) != keywords.end()) return quoted + " is a keyword";
  if (is_reserved_name(name)) return quoted + " is a reserved name";
  for (std::size_t i = 0; i < graph.variable_count(); ++i) {
    const std::string& v = graph.variable_name(i);
    const std::string base = v.substr(0, v.find('('));
    if (v == name || base == name) return quoted + " is a variable";
  }
  return "";
}

NodeId NamedExpressionParser::define(const std::string& name, std::string_view text, const std::string& file_name) {
  const SourceLocation start{file_name, 1, 1};
  if (std::string why = name_problem(name, graph_); !why.empty()) throw InputError(start, why);
  if (symbols_.find(name)) throw InputError(start, "'" + name + "' is defined twice");
  const NodeId id = parse(text, file_name);
  Symbol s;
  s.kind = Symbol::Kind::Definition;
  s.name = name;
  s.elements = {id};
  s.where = start;
  symbols_.add(std::move(s));
  return id;
}

NodeId NamedExpressionParser::parse(std::string_view text, const std::string& file_name) {
  TokenStream tokens(text, file_name);
  ExpressionParser parser(tokens, graph_, symbols_);
  const NodeId id = parser.parse_expression();
  if (tokens.peek().kind != TokenKind::EndOfInput)
    tokens.fail(tokens.peek(), "unexpected " + tokens.peek().describe() + " after the expression");
  return id;
}

}  // namespace cerval::expr
