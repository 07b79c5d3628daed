// The expression DAG (include/cerval/expr/expr.hpp): hash-consing,
// topological order, exact constants, dependency queries and to_string,
// which parse_expression reads back to the identical node.
#include <cerval/expr/eval.hpp>
#include <cerval/expr/expr.hpp>
#include <cerval/expr/parser.hpp>

#include <catch2/catch.hpp>

#include <random>

using namespace cerval;
using expr::NodeId;
using expr::Op;
using numeric::Rational;

TEST_CASE("hash-consing: the same operation on the same operands is one node", "[expr]") {
  expr::ExprGraph g;
  g.add_variable("x");
  g.add_variable("y");
  const NodeId x = g.variable(0), y = g.variable(1);
  CHECK(g.variable(0) == x);
  const NodeId s = g.binary(Op::Add, x, y);
  const std::size_t size = g.size();
  CHECK(g.binary(Op::Add, x, y) == s);
  CHECK(g.binary(Op::Add, y, x) != s);  // no commutativity: operand order is kept
  const NodeId e = g.unary(Op::Exp, s);
  CHECK(g.unary(Op::Exp, s) == e);
  CHECK(g.pow_int(x, 3) == g.pow_int(x, 3));
  CHECK(g.pow_int(x, 3) != g.pow_int(x, 4));
  CHECK(g.pi() == g.pi());
  // Constants: equal values share one constant entry and one node.
  const NodeId c = g.constant(Rational(1, 3));
  CHECK(g.constant(Rational(2, 6)) == c);
  const std::size_t constants = g.constant_count();
  CHECK(g.constant(Rational(1, 3), Rational(1, 3)) == c);
  CHECK(g.constant_count() == constants);
  const NodeId range = g.constant(Rational(57, 100), Rational(58, 100));
  CHECK(range != c);
  CHECK_FALSE(g.constant_value(static_cast<std::size_t>(g.node(range).integer)).is_point());
  CHECK(g.constant_value(static_cast<std::size_t>(g.node(c).integer)).is_point());
  CHECK(g.constant_value(static_cast<std::size_t>(g.node(c).integer)).lower == Rational(1, 3));
  // Shared subexpressions: (x + y) * (x + y) adds only the product.
  const std::size_t before = g.size();
  const NodeId sq = g.binary(Op::Mul, g.binary(Op::Add, x, y), g.binary(Op::Add, x, y));
  CHECK(g.size() == before + 1);
  CHECK(g.node(sq).lhs == s);
  CHECK(g.node(sq).rhs == s);
  CHECK(size <= g.size());
}

TEST_CASE("construction errors", "[expr]") {
  expr::ExprGraph g;
  g.add_variable("x");
  CHECK_THROWS_AS(g.add_variable("x"), std::invalid_argument);
  CHECK_THROWS_AS(g.variable(1), std::out_of_range);
  CHECK_THROWS_AS(g.constant(Rational(1), Rational(0)), std::invalid_argument);
  const NodeId x = g.variable(0);
  CHECK_THROWS_AS(g.unary(Op::Add, x), std::invalid_argument);
  CHECK_THROWS_AS(g.unary(Op::PowInt, x), std::invalid_argument);
  CHECK_THROWS_AS(g.binary(Op::Exp, x, x), std::invalid_argument);
  CHECK_THROWS_AS(g.unary(Op::Exp, 99), std::out_of_range);
  CHECK_THROWS_AS(g.binary(Op::Add, x, 99), std::out_of_range);
  CHECK_THROWS_AS(g.pow_int(99, 2), std::out_of_range);
  CHECK(g.find_variable("x") == 0);
  CHECK(g.find_variable("y") == -1);
  CHECK(g.variable_count() == 1);
  CHECK(g.variable_name(0) == "x");
}

TEST_CASE("operation classes and names", "[expr]") {
  for (Op op : {Op::Add, Op::Sub, Op::Mul, Op::Div, Op::Min, Op::Max, Op::Pow}) {
    CHECK(expr::is_binary(op));
    CHECK_FALSE(expr::is_unary(op));
  }
  for (Op op : {Op::Neg, Op::Sqr, Op::Sqrt, Op::Exp, Op::Log, Op::Sin, Op::Cos, Op::Tan, Op::Asin, Op::Acos,
                Op::Atan, Op::Sinh, Op::Cosh, Op::Tanh, Op::Abs, Op::PowInt}) {
    CHECK(expr::is_unary(op));
    CHECK_FALSE(expr::is_binary(op));
  }
  for (Op op : {Op::Constant, Op::Pi, Op::Variable}) {
    CHECK_FALSE(expr::is_unary(op));
    CHECK_FALSE(expr::is_binary(op));
  }
  CHECK(std::string(expr::op_name(Op::Add)) == "+");
  CHECK(std::string(expr::op_name(Op::Exp)) == "exp");
  CHECK(std::string(expr::op_name(Op::Atan)) == "atan");
}

TEST_CASE("dependencies: is_constant and variables_of", "[expr]") {
  expr::ExprGraph g;
  for (const char* n : {"x", "y", "z"}) g.add_variable(n);
  const NodeId f = expr::parse_expression("exp(z) * (x - 1) + z", g);
  const NodeId c = expr::parse_expression("sin(pi/7) + [1, 2]", g);
  CHECK(g.variables_of(f) == std::vector<std::size_t>{0, 2});
  CHECK(g.variables_of(c).empty());
  CHECK(g.is_constant(c));
  CHECK_FALSE(g.is_constant(f));
  CHECK(g.variables_of(g.variable(1)) == std::vector<std::size_t>{1});
  // Topological order: every operand precedes its user.
  for (NodeId k = 0; k < g.size(); ++k) {
    const auto& n = g.node(k);
    if (expr::is_unary(n.op) || expr::is_binary(n.op)) CHECK(n.lhs < k);
    if (expr::is_binary(n.op)) CHECK(n.rhs < k);
  }
}

TEST_CASE("to_string: readable text with the fewest parentheses", "[expr]") {
  expr::ExprGraph g;
  g.add_variable("x");
  g.add_variable("y");
  auto round = [&](const char* text) { return g.to_string(expr::parse_expression(text, g)); };
  CHECK(round("x + y*2") == "x + y * 2");
  CHECK(round("(x + y)*2") == "(x + y) * 2");
  CHECK(round("x - (y - 1)") == "x - (y - 1)");
  CHECK(round("x / (y * 2)") == "x / (y * 2)");
  CHECK(round("x^3") == "x^3");
  CHECK(round("(x + 1)^(-2)") == "(x + 1)^(-2)");
  CHECK(round("exp(x)*ln(y)") == "exp(x) * ln(y)");
  CHECK(round("min(x, y)") == "min(x, y)");
  CHECK(round("0.1 * x") == "1/10 * x");
  // A pi-based expression prints pi by name.
  CHECK(round("2*pi*x") == "2 * pi * x");
}

namespace {

// A random expression text over x and y (no constant-only subtrees, which the
// parser folds).
std::string random_expression(std::mt19937& gen, int depth) {
  auto pick = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(gen); };
  if (depth == 0 || pick(4) == 0) {
    switch (pick(3)) {
      case 0: return "x";
      case 1: return "y";
      default: return pick(2) ? "x" : "y";
    }
  }
  static const char* unary[] = {"sqr", "sqrt", "exp", "ln", "sin", "cos", "tan", "asin", "acos",
                                "atan", "sinh", "cosh", "tanh", "abs", "-"};
  static const char* constants[] = {"2", "1/3", "0.25", "pi", "(-3)", "[1, 2]", "7/2"};
  const std::string a = random_expression(gen, depth - 1);
  switch (pick(7)) {
    case 0: {
      const std::string u = unary[pick(15)];
      return u == "-" ? "-(" + a + ")" : u + "(" + a + ")";
    }
    case 1: return "(" + a + ")^" + std::to_string(pick(7) - 3);
    case 2: return "(" + a + ")^(" + random_expression(gen, depth - 1) + ")";
    case 3: return std::string(pick(2) ? "min(" : "max(") + a + ", " + random_expression(gen, depth - 1) + ")";
    case 4: {
      const std::string c = constants[pick(7)];
      static const char* ops[] = {" + ", " - ", " * ", " / "};
      return pick(2) ? "(" + a + ")" + ops[pick(4)] + c : c + ops[pick(4)] + "(" + a + ")";
    }
    default: {
      static const char* ops[] = {" + ", " - ", " * ", " / "};
      return "(" + a + ")" + ops[pick(4)] + "(" + random_expression(gen, depth - 1) + ")";
    }
  }
}

}  // namespace

TEST_CASE("to_string round-trips through the parser to the identical node", "[expr]") {
  std::mt19937 gen(20261128);
  expr::ExprGraph g;
  g.add_variable("x");
  g.add_variable("y");
  for (int it = 0; it < 400; ++it) {
    const std::string text = random_expression(gen, 1 + it % 5);
    const NodeId id = expr::parse_expression(text, g);
    const std::string printed = g.to_string(id);
    INFO(text << "  ->  " << printed);
    CHECK(expr::parse_expression(printed, g) == id);
  }
  // Every node of the graph, not only the roots.
  for (NodeId k = 0; k < g.size(); ++k) {
    const std::string printed = g.to_string(k);
    INFO(printed);
    CHECK(expr::parse_expression(printed, g) == k);
  }
}

TEST_CASE("constants are exact: no double is ever stored", "[expr]") {
  expr::ExprGraph g;
  g.add_variable("x");
  const NodeId c = expr::parse_expression("0.1", g);
  REQUIRE(g.node(c).op == Op::Constant);
  CHECK(g.constant_value(static_cast<std::size_t>(g.node(c).integer)).lower == Rational(1, 10));
  CHECK(g.to_string(c) == "1/10");
  const NodeId folded = expr::parse_expression("1/3 + 1/6 - 2^10", g);
  CHECK(g.constant_value(static_cast<std::size_t>(g.node(folded).integer)).lower == Rational(1, 2) - 1024);
}
