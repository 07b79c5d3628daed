// Tests of the spec-language parser (include/cerval/expr/parser.hpp).
#include <cerval/expr/parser.hpp>

#include <cerval/numeric/interval.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <unistd.h>

using namespace cerval::expr;
using cerval::numeric::parse_decimal;
using cerval::numeric::Rational;

namespace {

// The full message of the InputError that parsing `text` as "t.spec" throws,
// or "" when it parses.
std::string spec_error(const std::string& text) {
  try {
    parse_spec(text, "t.spec");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

std::string expression_error(const std::string& text, ExprGraph& graph) {
  try {
    parse_expression(text, graph);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

Spec parse(const std::string& text) { return parse_spec(text, "t.spec"); }

NodeId var(Spec& s, const std::string& name) {
  const long i = s.graph.find_variable(name);
  REQUIRE(i >= 0);
  return s.graph.variable(static_cast<std::size_t>(i));
}

NodeId num(Spec& s, const Rational& q) { return s.graph.constant(q); }

// The objective of a spec with variables x, y, z in [-1, 1] and y[3]... given
// as `text`: a convenient way to parse one expression in a spec context.
Spec objective(const std::string& text) {
  return parse("constants n = 3; c in [1/2, 3/4];\nvariables x; y; z; v[3]; m[2][3];\nminimize " + text + ";");
}

// The objective expression node of objective(text).
struct Parsed {
  Spec spec;
  NodeId id;
};
Parsed expr(const std::string& text) {
  Spec s = objective(text);
  REQUIRE(s.objective);
  const NodeId id = s.objective->expr;
  return {std::move(s), id};
}

const std::string kPrefix = "constants n = 3; c in [1/2, 3/4];\nvariables x; y; z; v[3]; m[2][3];\nminimize ";
// Column of the first character of an objective text in objective(...).
constexpr int kObjectiveColumn = 10;
// The error of objective(text), which starts on line 3 at kObjectiveColumn.
std::string objective_error(const std::string& text) { return spec_error(kPrefix + text + ";"); }
std::string at3(int column_in_text, const std::string& message) {
  return "t.spec:3:" + std::to_string(kObjectiveColumn + column_in_text - 1) + ": error: " + message;
}

}  // namespace

// ---------------------------------------------------------------------------
// Whole specs

TEST_CASE("parser: the DESIGN.md example", "[parser]") {
  Spec s = parse(
      "constants\n"
      "  c = 2.1;\n"
      "variables\n"
      "  x in [-3, 3];\n"
      "  y[3] in [-1, 1];       // vector: y(1..3) one-based, y[0..2] zero-based\n"
      "minimize\n"
      "  4*x^2 - c*x^4 + x^6/3 + x*y(1) - 4*y(2)^2;\n"
      "constraints\n"
      "  x + y(1) <= 1;\n"
      "end\n");
  CHECK(s.file == "t.spec");
  REQUIRE(s.variables.size() == 4);
  CHECK(s.graph.variable_count() == 4);
  const char* names[] = {"x", "y(1)", "y(2)", "y(3)"};
  for (int i = 0; i < 4; ++i) {
    CHECK(s.variables[i].name == names[i]);
    CHECK(s.graph.variable_name(i) == names[i]);
  }
  CHECK(*s.variables[0].lower == -3);
  CHECK(*s.variables[0].upper == 3);
  CHECK(s.variables[0].where.line == 4);
  CHECK(s.variables[0].where.column == 3);
  for (int i = 1; i < 4; ++i) {
    CHECK(*s.variables[i].lower == -1);
    CHECK(*s.variables[i].upper == 1);
    CHECK(s.variables[i].where.line == 5);
  }
  REQUIRE(s.objective);
  CHECK(s.objective->sense == Sense::Minimize);
  CHECK(s.objective->text == "4*x^2 - c*x^4 + x^6/3 + x*y(1) - 4*y(2)^2");
  CHECK(s.objective->where.line == 7);
  CHECK(s.objective->where.column == 3);
  // The same expression built by hand: c is replaced by its exact value 21/10.
  ExprGraph& g = s.graph;
  const NodeId x = var(s, "x"), y1 = var(s, "y(1)"), y2 = var(s, "y(2)");
  NodeId e = g.binary(Op::Mul, num(s, 4), g.pow_int(x, 2));
  e = g.binary(Op::Sub, e, g.binary(Op::Mul, num(s, Rational(21, 10)), g.pow_int(x, 4)));
  e = g.binary(Op::Add, e, g.binary(Op::Div, g.pow_int(x, 6), num(s, 3)));
  e = g.binary(Op::Add, e, g.binary(Op::Mul, x, y1));
  e = g.binary(Op::Sub, e, g.binary(Op::Mul, num(s, 4), g.pow_int(y2, 2)));
  CHECK(s.objective->expr == e);
  REQUIRE(s.constraints.size() == 1);
  CHECK(s.constraints[0].expr == g.binary(Op::Add, x, y1));
  CHECK(s.constraints[0].relation == Relation::LessEqual);
  CHECK(s.constraints[0].bound == 1);
  CHECK(s.constraints[0].text == "x + y(1) <= 1");
  CHECK(s.constraints[0].where.line == 9);
  CHECK(s.constraints[0].where.column == 3);
  CHECK(s.claims.empty());
}

TEST_CASE("parser: the prove section", "[parser]") {
  Spec s = parse(
      "variables\n"
      "  x in [0, 1];\n"
      "prove\n"
      "  exp(x) <= 1 + x + x^2;\n"
      "  0 <= sin(x) <= x;\n"
      "end");
  CHECK_FALSE(s.objective);
  CHECK(s.constraints.empty());
  REQUIRE(s.claims.size() == 3);
  ExprGraph& g = s.graph;
  const NodeId x = var(s, "x");
  const NodeId ex = g.unary(Op::Exp, x);
  const NodeId p = g.binary(Op::Add, g.binary(Op::Add, num(s, 1), x), g.pow_int(x, 2));
  CHECK(s.claims[0].expr == g.binary(Op::Sub, ex, p));
  CHECK(s.claims[0].relation == Relation::LessEqual);
  CHECK(s.claims[0].bound == 0);
  CHECK(s.claims[0].text == "exp(x) <= 1 + x + x^2");
  // The chain gives two claims with the text of the whole statement.
  const NodeId sx = g.unary(Op::Sin, x);
  CHECK(s.claims[1].expr == sx);
  CHECK(s.claims[1].relation == Relation::GreaterEqual);
  CHECK(s.claims[1].bound == 0);
  CHECK(s.claims[2].expr == g.binary(Op::Sub, sx, x));
  CHECK(s.claims[2].relation == Relation::LessEqual);
  CHECK(s.claims[2].bound == 0);
  for (int i = 1; i < 3; ++i) {
    CHECK(s.claims[i].text == "0 <= sin(x) <= x");
    CHECK(s.claims[i].where.line == 5);
    CHECK(s.claims[i].where.column == 3);
  }
}

TEST_CASE("parser: sections, keywords in any case, optional end", "[parser]") {
  Spec s = parse("VARIABLES x in [0,1]; Maximize x; CONSTRAINTS x >= 0.5; Prove x <= 1; END");
  REQUIRE(s.objective);
  CHECK(s.objective->sense == Sense::Maximize);
  CHECK(s.constraints.size() == 1);
  CHECK(s.claims.size() == 1);
  CHECK(parse("variables x in [0,1]; minimize x;").objective);
  // Only variables: valid.
  Spec v = parse("variables x;");
  CHECK(v.variables.size() == 1);
  CHECK_FALSE(v.objective);
  // Empty sections are valid (a Minibex benchmark starts with an empty `constants`).
  CHECK(parse("constants\nvariables\n x;\nconstraints\nend").variables.size() == 1);
  // A prove section over constants only.
  Spec c = parse("prove pi <= 3.1416; 3.1415 <= pi;");
  REQUIRE(c.claims.size() == 2);
  CHECK(c.claims[0].expr == c.graph.pi());
  CHECK(c.claims[0].bound == Rational(31416, 10000));
  CHECK(c.claims[1].expr == c.graph.pi());
  CHECK(c.claims[1].relation == Relation::GreaterEqual);
  // Minibex: the ';' after the goal and after the last statement of a
  // section may be omitted before the next section, `end` or the end of input.
  Spec m = parse("variables x in [0,1]; minimize x^2 constraints x <= 1; x >= 0 end");
  CHECK(m.objective);
  CHECK(m.constraints.size() == 2);
  CHECK(parse("variables x in [0,1]; minimize x").objective);
  CHECK(parse("variables x in [0,1]; prove x <= 1").claims.size() == 1);
}

TEST_CASE("parser: section errors", "[parser]") {
  CHECK(spec_error("") == "t.spec:1:1: error: empty spec: expected a section such as 'variables', 'minimize' or "
                          "'prove'");
  CHECK(spec_error("\n  // nothing\n") ==
        "t.spec:3:1: error: empty spec: expected a section such as 'variables', 'minimize' or 'prove'");
  CHECK(spec_error("x in [0, 1];") ==
        "t.spec:1:1: error: expected a section ('constants', 'variables', 'minimize', 'maximize', 'constraints', "
        "'prove') or 'end', got 'x'");
  CHECK(spec_error("variables x; minimize x; 3") ==
        "t.spec:1:26: error: expected a section ('constants', 'variables', 'minimize', 'maximize', 'constraints', "
        "'prove') or 'end', got '3'");
  CHECK(spec_error("variables x; end x") == "t.spec:1:18: error: unexpected 'x' after 'end'");
  CHECK(spec_error("variables x; end end") == "t.spec:1:18: error: unexpected 'end' after 'end'");
  CHECK(spec_error("variables x;\nconstants c = 1;") ==
        "t.spec:2:1: error: the 'constants' section must come before the 'variables' section");
  CHECK(spec_error("variables x; prove x <= 1; constraints x >= 0;") ==
        "t.spec:1:28: error: the 'constraints' section must come before the 'prove' section");
  CHECK(spec_error("variables x; variables y;") == "t.spec:1:14: error: duplicate 'variables' section");
  CHECK(spec_error("variables x; minimize x; maximize x;") ==
        "t.spec:1:26: error: only one goal ('minimize' or 'maximize') is allowed");
  CHECK(spec_error("variables x;\nfunction f(x)\n  return x^2;\nend") ==
        "t.spec:2:1: error: 'function' blocks are not supported yet");
  CHECK(spec_error("variables x; parameters p;") == "t.spec:1:14: error: 'parameters' blocks are not supported yet");
  CHECK(spec_error("variables x; constraints for i=1:3; x >= 0; end") ==
        "t.spec:1:26: error: 'for' loops are not supported yet");
}

// ---------------------------------------------------------------------------
// Constants

TEST_CASE("parser: constants are exact and substituted", "[parser]") {
  Spec s = parse(
      "constants\n"
      "  a = 2.1;\n"
      "  b = -a/3 + 0.1;\n"  // folded exactly: -7/10 + 1/10 = -3/5
      "  t = 2*pi/3;\n"
      "  c in [0.57, 0.58];\n"
      "  d in [-1/3, 1/3];\n"
      "  e = [1, 2];\n"
      "  k[2] in [0, 1];\n"
      "variables x;\n"
      "minimize a*x + b + t + c + d + e + k(1) + k[1];");
  ExprGraph& g = s.graph;
  const NodeId x = var(s, "x");
  const NodeId t = g.binary(Op::Div, g.binary(Op::Mul, num(s, 2), g.pi()), num(s, 3));
  const NodeId c = g.constant(Rational(57, 100), Rational(58, 100));
  const NodeId d = g.constant(Rational(-1, 3), Rational(1, 3));
  const NodeId e = g.constant(Rational(1), Rational(2));
  const NodeId k = g.constant(Rational(0), Rational(1));
  NodeId want = g.binary(Op::Add, g.binary(Op::Mul, num(s, Rational(21, 10)), x), num(s, Rational(-3, 5)));
  for (NodeId n : {t, c, d, e, k, k}) want = g.binary(Op::Add, want, n);
  REQUIRE(s.objective);
  CHECK(s.objective->expr == want);
}

TEST_CASE("parser: constant errors", "[parser]") {
  CHECK(spec_error("constants c = 1; c = 2;") ==
        "t.spec:1:18: error: constant 'c' declared twice (first at line 1, column 11)");
  CHECK(spec_error("constants c = 1;\nvariables c;") ==
        "t.spec:2:11: error: 'c' is already declared as a constant (at line 1, column 11)");
  CHECK(spec_error("constants c = x;") == "t.spec:1:15: error: unknown name 'x'");
  CHECK(spec_error("constants c = d; d = 1;") == "t.spec:1:15: error: unknown name 'd'");
  CHECK(spec_error("constants c = 1/0;") ==
        "t.spec:1:15: error: the value of constant 'c' is not defined (a division by zero, a function outside its "
        "domain, or an overflow)");
  CHECK(spec_error("constants c = sqrt(-1);") ==
        "t.spec:1:15: error: the value of constant 'c' is not defined (a division by zero, a function outside its "
        "domain, or an overflow)");
  CHECK(spec_error("constants a in [-1, 1]; c = ln(a);") ==
        "t.spec:1:29: error: the value of constant 'c' is not defined (a division by zero, a function outside its "
        "domain, or an overflow)");
  CHECK(spec_error("constants c = exp(1e10);") ==
        "t.spec:1:15: error: the value of constant 'c' is not defined (a division by zero, a function outside its "
        "domain, or an overflow)");
  CHECK(spec_error("constants c in [3, 1];") == "t.spec:1:16: error: empty interval [3, 1] for constant 'c'");
  CHECK(spec_error("constants c in [0, oo];") ==
        "t.spec:1:16: error: constant 'c' must have finite bounds, got [0, oo]");
  CHECK(spec_error("constants c in [pi, 3.1415926535897932];") ==
        "t.spec:1:16: error: cannot decide whether interval [pi, 3.1415926535897932] of constant 'c' is empty: its "
        "bounds are too close; give rational bounds");
  CHECK(spec_error("constants c 2;") == "t.spec:1:13: error: expected '=' or 'in' after constant 'c', got '2'");
  CHECK(spec_error("constants c = 1 d = 2;") ==
        "t.spec:1:17: error: expected ';' after the declaration of constant 'c', got 'd'");
  CHECK(spec_error("constants 3 = c;") ==
        "t.spec:1:11: error: expected a constant declaration like 'c = 2.5;' or 'c in [0.5, 0.6];', got '3'");
  CHECK(spec_error("constants v[2] = 1;") ==
        "t.spec:1:16: error: array constant 'v' must be declared as 'v[2] in [lo, hi]' (array values like (1; 2) "
        "are not supported yet)");
  CHECK(spec_error("constants pi = 3;") ==
        "t.spec:1:11: error: 'pi' is a reserved name (a function or constant of the language)");
  CHECK(spec_error("constants exp = 3;") ==
        "t.spec:1:11: error: 'exp' is a reserved name (a function or constant of the language)");
}

// ---------------------------------------------------------------------------
// Variables and domains

TEST_CASE("parser: variable domains", "[parser]") {
  Spec s = parse(
      "constants w = 2;\n"
      "variables\n"
      "  a in [0.1, 0.2];\n"
      "  b;\n"
      "  c in [-oo, 1];\n"
      "  d in [-1.e8, +oo];\n"
      "  e in [-oo, oo];\n"
      "  f in [-w, w^2];\n"
      "  g in [1, 1];\n"
      "  h in [-pi, pi];\n"
      "  i in [0, sqrt(2)], j in [1/3, 2/3];\n"
      "  k, l in [0, 1];\n");
  REQUIRE(s.variables.size() == 12);
  auto dom = [&](int i) { return s.variables[static_cast<std::size_t>(i)]; };
  CHECK(*dom(0).lower == Rational(1, 10));  // exact decimal
  CHECK(*dom(0).upper == Rational(1, 5));
  CHECK_FALSE(dom(1).lower);
  CHECK_FALSE(dom(1).upper);
  CHECK_FALSE(dom(2).lower);
  CHECK(*dom(2).upper == 1);
  CHECK(*dom(3).lower == -100000000);
  CHECK_FALSE(dom(3).upper);
  CHECK_FALSE(dom(4).lower);
  CHECK_FALSE(dom(4).upper);
  CHECK(*dom(5).lower == -2);
  CHECK(*dom(5).upper == 4);
  CHECK(*dom(6).lower == 1);
  CHECK(*dom(6).upper == 1);
  // pi is not rational: the bounds are rationals on the safe side.
  const Rational pi_lo = *parse_decimal("3.14159265358979323846");
  const Rational pi_hi = *parse_decimal("3.14159265358979323847");
  CHECK(*dom(7).lower <= -pi_hi);
  CHECK(*dom(7).lower > -pi_hi - Rational(1, 1000000000000000LL));
  CHECK(*dom(7).upper >= pi_hi);
  CHECK(*dom(7).upper < pi_lo + Rational(1, 1000000000000000LL));
  // ... and inner bounds on the other side: inside the declared domain.
  REQUIRE(dom(7).inner_lower);
  REQUIRE(dom(7).inner_upper);
  CHECK(*dom(7).inner_lower >= -pi_lo);
  CHECK(*dom(7).inner_upper <= pi_lo);
  CHECK(*dom(7).inside_upper() < *dom(7).upper);
  CHECK_FALSE(dom(5).inner_lower);  // exact bounds have no separate inner bound
  CHECK(*dom(5).inside_upper() == 4);
  const Rational sqrt2_hi = *parse_decimal("1.41421356237309504881");
  CHECK(*dom(8).lower == 0);
  CHECK(*dom(8).upper >= sqrt2_hi);
  CHECK(*dom(8).upper < sqrt2_hi + Rational(1, 1000000000000000LL));
  CHECK(*dom(9).lower == Rational(1, 3));  // exact rational expressions stay exact
  CHECK(*dom(9).upper == Rational(2, 3));
  CHECK_FALSE(dom(10).lower);  // `k, l in [0, 1]`: as in Minibex, k has no domain
  CHECK(*dom(11).lower == 0);
  CHECK(dom(11).where.line == 12);
  CHECK(dom(11).where.column == 6);
}

TEST_CASE("parser: vectors and matrices", "[parser]") {
  Spec s = parse("constants n = 2;\nvariables y[3] in [-1, 1]; m[n][3]; t[2][1][2];\nminimize y(1) + y[0];");
  REQUIRE(s.variables.size() == 3 + 6 + 4);
  const char* names[] = {"y(1)",   "y(2)",   "y(3)",     "m(1,1)",   "m(1,2)",   "m(1,3)",  "m(2,1)",
                         "m(2,2)", "m(2,3)", "t(1,1,1)", "t(1,1,2)", "t(2,1,1)", "t(2,1,2)"};
  for (std::size_t i = 0; i < 13; ++i) CHECK(s.variables[i].name == names[i]);
  CHECK(*s.variables[2].lower == -1);
  CHECK_FALSE(s.variables[3].lower);
  REQUIRE(s.objective);
  const NodeId y1 = var(s, "y(1)");
  CHECK(s.objective->expr == s.graph.binary(Op::Add, y1, y1));

  // One-based (i) and zero-based [i] address the same elements.
  auto same = [](const std::string& a, const std::string& b) {
    Parsed pa = expr(a);
    const NodeId other = parse_expression(b, pa.spec.graph);
    CHECK(pa.id == other);
  };
  same("v(1)", "v[0]");
  same("v(3)", "v[2]");
  same("m(2,3)", "m[1][2]");
  same("m(1,2)", "m[0][1]");
  same("v(3)", "v[3-1]");  // indices are integer constant expressions
  same("v(1+1)", "v[2*1/2]");
  Parsed p = expr("m(2,1)");
  CHECK(p.spec.graph.variable_name(static_cast<std::size_t>(p.spec.graph.node(p.id).integer)) == "m(2,1)");
}

TEST_CASE("parser: variable declaration errors", "[parser]") {
  CHECK(spec_error("variables x in [3, 1];") == "t.spec:1:16: error: empty domain [3, 1] for 'x'");
  CHECK(spec_error("variables x in [oo, 1];") == "t.spec:1:16: error: empty domain [oo, 1] for 'x'");
  CHECK(spec_error("variables x in [0, -oo];") == "t.spec:1:16: error: empty domain [0, -oo] for 'x'");
  CHECK(spec_error("variables x in [pi, 3.14159265358979];") ==
        "t.spec:1:16: error: empty domain [pi, 3.14159265358979] for 'x'");
  CHECK(spec_error("variables x in [pi, 3.1415926535897932];") ==
        "t.spec:1:16: error: cannot decide whether domain [pi, 3.1415926535897932] of 'x' is empty: its bounds are "
        "too close; give rational bounds");
  CHECK(spec_error("variables x;\n  x in [0, 1];") ==
        "t.spec:2:3: error: variable 'x' declared twice (first at line 1, column 11)");
  CHECK(spec_error("variables y[2]; y;") ==
        "t.spec:1:17: error: variable 'y' declared twice (first at line 1, column 11)");
  CHECK(spec_error("variables sin in [0, 1];") ==
        "t.spec:1:11: error: 'sin' is a reserved name (a function or constant of the language)");
  CHECK(spec_error("variables oo;") ==
        "t.spec:1:11: error: 'oo' is a reserved name (a function or constant of the language)");
  CHECK(spec_error("variables atan2;") ==
        "t.spec:1:11: error: 'atan2' is a reserved name (a function or constant of the language)");
  CHECK(spec_error("variables x in [0, 1] y;") ==
        "t.spec:1:23: error: expected ';' after the declaration of variable 'x', got 'y'");
  CHECK(spec_error("variables x in 0, 1;") == "t.spec:1:16: error: expected '[' after 'in', got '0'");
  CHECK(spec_error("variables x in [0 1];") ==
        "t.spec:1:19: error: expected ',' between the bounds of 'x', got '1'");
  CHECK(spec_error("variables x in [0, 1;") ==
        "t.spec:1:21: error: expected ']' after the upper bound of 'x', got ';'");
  CHECK(spec_error("variables x in [0, 2*oo];") ==
        "t.spec:1:22: error: infinity 'oo' is only allowed as a bound of a domain");
  CHECK(spec_error("variables x in [0, 1]; y in [x, 2];") ==
        "t.spec:1:30: error: the lower bound of 'y' must be a constant expression, but it uses variable 'x'");
  CHECK(spec_error("variables x in [0, 1/0];") ==
        "t.spec:1:20: error: the upper bound of 'x' is not defined (a division by zero, a function outside its "
        "domain, or an overflow)");
  CHECK(spec_error("variables x, ;") == "t.spec:1:14: error: expected a variable name after ',', got ';'");
  CHECK(spec_error("variables 2;") ==
        "t.spec:1:11: error: expected a variable declaration like 'x in [-1, 1];', got '2'");
  CHECK(spec_error("variables y[0];") == "t.spec:1:13: error: the size of 'y' must be at least 1, got 0");
  CHECK(spec_error("variables y[1.5];") == "t.spec:1:13: error: the size of 'y' must be an integer, got '1.5'");
  CHECK(spec_error("variables y[x];") == "t.spec:1:13: error: unknown name 'x'");
  CHECK(spec_error("variables y[1000000];") ==
        "t.spec:1:13: error: 'y' is too large (at most 100000 elements)");
  CHECK(spec_error("variables y[1000][1000];") ==
        "t.spec:1:19: error: 'y' is too large (at most 100000 elements)");
  CHECK(spec_error("variables y[2][2][2][2];") == "t.spec:1:21: error: 'y' has more than 3 dimensions");
  CHECK(spec_error("variables y[2;") == "t.spec:1:14: error: expected ']' after the size of 'y', got ';'");
}

// ---------------------------------------------------------------------------
// Expressions

TEST_CASE("parser: literals are exact and rational arithmetic is folded", "[parser]") {
  Parsed p = expr("0.1*x");
  CHECK(p.id == p.spec.graph.binary(Op::Mul, num(p.spec, Rational(1, 10)), var(p.spec, "x")));
  Parsed negative_third = expr("-1/3");
  CHECK(negative_third.id == num(negative_third.spec, Rational(-1, 3)));
  auto folds_to = [](const std::string& text, const Rational& value) {
    Parsed q = expr(text);
    CHECK(q.id == q.spec.graph.constant(value));
  };
  folds_to("1/3", Rational(1, 3));
  folds_to("-1/3", Rational(-1, 3));
  folds_to("2*3 - 4/8 + 0.25", Rational(23, 4));
  folds_to("-(-2)", 2);
  folds_to("+2", 2);
  folds_to("2^10", 1024);
  folds_to("(1/2)^(-3)", 8);
  folds_to("(-2)^3", -8);
  folds_to("-2^2", -4);  // -(2^2)
  folds_to("0^0", 1);
  folds_to("(-1)^(-7)", -1);
  folds_to("1^123456789012", 1);
  folds_to("pow(3, 2)", 9);
  folds_to("n", 3);
  folds_to("1e-3 * 1e3", 1);
  // Not folded: no exact rational value, or too large to expand.
  Parsed d = expr("1/0");
  CHECK(d.id == d.spec.graph.binary(Op::Div, num(d.spec, 1), num(d.spec, 0)));
  Parsed z = expr("0^(-1)");
  CHECK(z.id == z.spec.graph.pow_int(num(z.spec, 0), -1));
  Parsed big = expr("10^100000");
  CHECK(big.id == big.spec.graph.pow_int(num(big.spec, 10), 100000));
  Parsed sq = expr("sqrt(4)");
  CHECK(sq.id == sq.spec.graph.unary(Op::Sqrt, num(sq.spec, 4)));
  Parsed ic = expr("c + 1");  // interval constants are not points
  CHECK(ic.id == ic.spec.graph.binary(Op::Add, ic.spec.graph.constant(Rational(1, 2), Rational(3, 4)), num(ic.spec, 1)));
}

TEST_CASE("parser: precedence and associativity", "[parser]") {
  Parsed p = expr("x");
  ExprGraph& g = p.spec.graph;
  const NodeId x = var(p.spec, "x"), y = var(p.spec, "y"), z = var(p.spec, "z");
  auto check = [&](const std::string& text, NodeId want) {
    INFO(text);
    CHECK(parse_expression(text, g) == want);
  };
  check("x + y * z", g.binary(Op::Add, x, g.binary(Op::Mul, y, z)));
  check("x - y - z", g.binary(Op::Sub, g.binary(Op::Sub, x, y), z));
  check("x / y / z", g.binary(Op::Div, g.binary(Op::Div, x, y), z));
  check("x / y * z", g.binary(Op::Mul, g.binary(Op::Div, x, y), z));
  check("x - (y - z)", g.binary(Op::Sub, x, g.binary(Op::Sub, y, z)));
  check("((x))", x);
  // Unary minus: looser than ^, tighter than * (so -x^2 = -(x^2)).
  check("-x^2", g.unary(Op::Neg, g.pow_int(x, 2)));
  check("(-x)^2", g.pow_int(g.unary(Op::Neg, x), 2));
  check("-x * y", g.binary(Op::Mul, g.unary(Op::Neg, x), y));
  check("x * -y", g.binary(Op::Mul, x, g.unary(Op::Neg, y)));
  check("x - -y", g.binary(Op::Sub, x, g.unary(Op::Neg, y)));
  check("--x", g.unary(Op::Neg, g.unary(Op::Neg, x)));
  check("+x", x);
  // Powers: integer exponents give PowInt, others Pow.
  check("x^2", g.pow_int(x, 2));
  check("x^0", g.pow_int(x, 0));
  check("x^(-2)", g.pow_int(x, -2));
  check("x^-2", g.pow_int(x, -2));
  check("x^2.0", g.pow_int(x, 2));
  check("x^(6/3)", g.pow_int(x, 2));
  check("x^3", g.pow_int(x, 3));
  check("x^0.5", g.binary(Op::Pow, x, g.constant(Rational(1, 2))));
  check("x^(1/2)", g.binary(Op::Pow, x, g.constant(Rational(1, 2))));
  check("x^y", g.binary(Op::Pow, x, y));
  check("x^-y", g.binary(Op::Pow, x, g.unary(Op::Neg, y)));
  check("2^x", g.binary(Op::Pow, g.constant(Rational(2)), x));
  check("x^pi", g.binary(Op::Pow, x, g.pi()));
  check("x^[1/2, 3/4]", g.binary(Op::Pow, x, g.constant(Rational(1, 2), Rational(3, 4))));
  check("(x^2)^3", g.pow_int(g.pow_int(x, 2), 3));
  check("x^(2^3)", g.pow_int(x, 8));
  check("2*x^2", g.binary(Op::Mul, g.constant(Rational(2)), g.pow_int(x, 2)));
  check("x^2*y", g.binary(Op::Mul, g.pow_int(x, 2), y));
  check("x^9223372036854775807", g.pow_int(x, 9223372036854775807LL));
  check("x^(-9223372036854775808)", g.pow_int(x, std::numeric_limits<std::int64_t>::min()));
}

TEST_CASE("parser: functions", "[parser]") {
  Parsed p = expr("x");
  ExprGraph& g = p.spec.graph;
  const NodeId x = var(p.spec, "x"), y = var(p.spec, "y"), z = var(p.spec, "z");
  const std::pair<const char*, Op> unary[] = {
      {"sqrt", Op::Sqrt}, {"exp", Op::Exp},   {"ln", Op::Log},     {"log", Op::Log},   {"sin", Op::Sin},
      {"cos", Op::Cos},   {"tan", Op::Tan},   {"asin", Op::Asin},  {"acos", Op::Acos}, {"atan", Op::Atan},
      {"sinh", Op::Sinh}, {"cosh", Op::Cosh}, {"tanh", Op::Tanh},  {"abs", Op::Abs},   {"sqr", Op::Sqr}};
  for (const auto& [name, op] : unary) {
    INFO(name);
    CHECK(parse_expression(std::string(name) + "(x)", g) == g.unary(op, x));
    CHECK(parse_expression(std::string(name) + " ( x + 1 )", g) ==
          g.unary(op, g.binary(Op::Add, x, g.constant(Rational(1)))));
  }
  CHECK(parse_expression("min(x, y)", g) == g.binary(Op::Min, x, y));
  CHECK(parse_expression("max(x, y)", g) == g.binary(Op::Max, x, y));
  CHECK(parse_expression("max(x, y, z)", g) == g.binary(Op::Max, g.binary(Op::Max, x, y), z));
  CHECK(parse_expression("min(1, 2)", g) == g.binary(Op::Min, g.constant(Rational(1)), g.constant(Rational(2))));
  CHECK(parse_expression("pow(x, 3)", g) == g.pow_int(x, 3));
  CHECK(parse_expression("pow(x, -1)", g) == g.pow_int(x, -1));
  CHECK(parse_expression("pow(x, y)", g) == g.binary(Op::Pow, x, y));
  CHECK(parse_expression("pi", g) == g.pi());
  CHECK(parse_expression("exp(sin(x)^2)", g) == g.unary(Op::Exp, g.pow_int(g.unary(Op::Sin, x), 2)));
  CHECK(find_function("exp")->op == Op::Exp);
  CHECK(find_function("expp") == nullptr);
  CHECK(find_function("Exp") == nullptr);  // function names are case-sensitive
  CHECK(is_reserved_name("pi"));
  CHECK(is_reserved_name("oo"));
  CHECK(is_reserved_name("sign"));
  CHECK_FALSE(is_reserved_name("PI"));
}

TEST_CASE("parser: interval constants in expressions", "[parser]") {
  Parsed p = expr("x * [1, 2]");
  ExprGraph& g = p.spec.graph;
  const NodeId x = var(p.spec, "x");
  CHECK(p.id == g.binary(Op::Mul, x, g.constant(Rational(1), Rational(2))));
  CHECK(parse_expression("[-1/3, 0.5]", g) == g.constant(Rational(-1, 3), Rational(1, 2)));
  CHECK(parse_expression("[2, 2]", g) == g.constant(Rational(2)));
  // Non-rational ends are widened outward to rationals.
  const NodeId w = parse_expression("[0, pi]", g);
  REQUIRE(g.node(w).op == Op::Constant);
  const ConstantValue& v = g.constant_value(static_cast<std::size_t>(g.node(w).integer));
  CHECK(v.lower == 0);
  CHECK(v.upper >= *parse_decimal("3.14159265358979323847"));
  CHECK(expression_error("[2, 1]", g) == "<command line>:1:1: error: empty interval [2, 1]");
  CHECK(expression_error("[x, 1]", g) ==
        "<command line>:1:2: error: the lower end of an interval must be a constant expression, but it uses "
        "variable 'x'");
  CHECK(expression_error("[0, 1/0]", g) ==
        "<command line>:1:5: error: the upper end of an interval is not defined (a division by zero, a function "
        "outside its domain, or an overflow)");
  CHECK(expression_error("[0 1]", g) == "<command line>:1:4: error: expected ',' between the ends of an interval, got '1'");
  CHECK(expression_error("[0, 1", g) ==
        "<command line>:1:6: error: expected ']' to close the interval at line 1, column 1, got end of input");
  CHECK(expression_error("[-oo, 1]", g) ==
        "<command line>:1:3: error: infinity 'oo' is only allowed as a bound of a domain");
}

TEST_CASE("parser: expression errors name the offending token", "[parser]") {
  CHECK(objective_error("expp(x)") == at3(1, "unknown function 'expp'"));
  CHECK(objective_error("x + w") == at3(5, "unknown name 'w'"));
  CHECK(objective_error("x + Sin(x)") == at3(5, "unknown function 'Sin'"));
  CHECK(objective_error("1 + atan(x, y)") == at3(5, "function 'atan' takes 1 argument, got 2"));
  CHECK(objective_error("sin()") == at3(1, "function 'sin' takes 1 argument, got 0"));
  CHECK(objective_error("max(x)") == at3(1, "function 'max' takes at least 2 arguments, got 1"));
  CHECK(objective_error("pow(x)") == at3(1, "function 'pow' takes 2 arguments, got 1"));
  CHECK(objective_error("pow(x, 1, 2)") == at3(1, "function 'pow' takes 2 arguments, got 3"));
  CHECK(objective_error("atan2(x, y)") == at3(1, "function 'atan2' is not supported yet"));
  CHECK(objective_error("sign(x)") == at3(1, "function 'sign' is not supported yet"));
  CHECK(objective_error("sin x") == at3(5, "expected '(' after function 'sin', got 'x'"));
  CHECK(objective_error("sin(x y)") == at3(7, "expected ')' to close the arguments of 'sin', got 'y'"));
  CHECK(objective_error("(x + y") == at3(7, "expected ')' to close the '(' at line 3, column 10, got ';'"));
  CHECK(objective_error("x + ") == at3(5, "expected an expression, got ';'"));
  CHECK(objective_error("x * * y") == at3(5, "expected an expression, got '*'"));
  CHECK(objective_error("x + oo") == at3(5, "infinity 'oo' is only allowed as a bound of a domain"));
  CHECK(objective_error("x^2^3") == at3(4, "ambiguous chained '^': write (a^b)^c or a^(b^c)"));
  CHECK(objective_error("x^y^z") == at3(4, "ambiguous chained '^': write (a^b)^c or a^(b^c)"));
  CHECK(objective_error("x^99999999999999999999") == at3(2, "integer exponent 99999999999999999999 is out of range"));
  CHECK(objective_error("x + in") == at3(5, "expected an expression, got keyword 'in'"));
  // Arrays.
  CHECK(objective_error("v") == at3(1, "'v' is an array (v[3]): write v(i) (one-based) or v[i] (zero-based)"));
  CHECK(objective_error("m + 1") ==
        at3(1, "'m' is an array (m[2][3]): write m(i,j) (one-based) or m[i][j] (zero-based)"));
  CHECK(objective_error("v(4)") == at3(3, "index 4 out of range for 'v' (declared v[3]; one-based indices are 1..3)"));
  CHECK(objective_error("v(0)") == at3(3, "index 0 out of range for 'v' (declared v[3]; one-based indices are 1..3)"));
  CHECK(objective_error("v[3]") == at3(3, "index 3 out of range for 'v' (declared v[3]; zero-based indices are 0..2)"));
  CHECK(objective_error("v[-1]") ==
        at3(3, "index -1 out of range for 'v' (declared v[3]; zero-based indices are 0..2)"));
  CHECK(objective_error("m(2,4)") == at3(5, "index 4 out of range for 'm' (declared m[2][3]; one-based indices are 1..3)"));
  CHECK(objective_error("m(1)") == at3(1, "'m' has 2 dimensions (m[2][3]), got 1 index"));
  CHECK(objective_error("v[0][0]") == at3(1, "'v' has 1 dimension (v[3]), got 2 indices"));
  CHECK(objective_error("v(1.5)") == at3(3, "an index of 'v' must be an integer, got '1.5'"));
  CHECK(objective_error("v(x)") ==
        at3(3, "an index of 'v' must be a constant expression, but it uses variable 'x'"));
  CHECK(objective_error("v(1") == at3(4, "expected ')' to close the index of 'v', got ';'"));
  CHECK(objective_error("x(1)") == at3(2, "'x' is not a vector and cannot be indexed"));
  CHECK(objective_error("x[0]") == at3(2, "'x' is not a vector and cannot be indexed"));
  CHECK(objective_error("n[0]") == at3(2, "'n' is not a vector and cannot be indexed"));
}

TEST_CASE("parser: deep nesting is an error, not a crash", "[parser]") {
  ExprGraph g;
  g.add_variable("x");
  const int ok = ExpressionParser::kMaxNesting - 1;
  CHECK(parse_expression(std::string(ok, '(') + "x" + std::string(ok, ')'), g) == g.variable(0));
  CHECK(parse_expression(std::string(ok, '-') + "x", g) != g.variable(0));
  const int deep = ExpressionParser::kMaxNesting + 1;
  const int limit = ExpressionParser::kMaxNesting;
  auto too_deep_at = [&](int column) {
    return "<command line>:1:" + std::to_string(column) + ": error: expression nested too deeply (more than " +
           std::to_string(limit) + " levels)";
  };
  CHECK(expression_error(std::string(deep, '(') + "x" + std::string(deep, ')'), g) == too_deep_at(limit + 1));
  CHECK(expression_error(std::string(100000, '-') + "x", g) == too_deep_at(limit + 1));
  CHECK(expression_error(std::string(100000, '['), g) == too_deep_at(limit + 1));
  CHECK(expression_error("x^" + std::string(100000, '-') + "x", g) == too_deep_at(limit + 3));
  CHECK(expression_error(std::string(100000, 's') , g) ==
        "<command line>:1:1: error: unknown name '" + std::string(100000, 's') + "'");
  std::string calls;
  for (int i = 0; i < 3 * limit / 2; ++i) calls += "sin(";
  CHECK(expression_error(calls + "x", g) == too_deep_at(4 * limit + 4));
  // Long flat sums are loops, not recursion.
  std::string sum = "x";
  for (int i = 0; i < 100000; ++i) sum += "+x";
  CHECK_NOTHROW(parse_expression(sum, g));
}

// ---------------------------------------------------------------------------
// Constraints and claims

TEST_CASE("parser: comparisons", "[parser]") {
  Spec s = parse(
      "variables x; y;\n"
      "constraints\n"
      "  x <= 1;\n"
      "  1 <= x;\n"
      "  x < -2;\n"
      "  3 > x;\n"
      "  x >= y;\n"
      "  x^2 = 2;\n"
      "  2 = y;\n"
      "  x + 1 <= y - 1;\n"
      "  -1 <= x + y < 2;\n"
      "  3 > x >= y > -1;\n"
      "  x <= [1, 2];\n"
      "  pi <= x;\n"
      "  1 <= 2;\n");
  ExprGraph& g = s.graph;
  const NodeId x = var(s, "x"), y = var(s, "y");
  const NodeId one = g.constant(Rational(1));
  struct Want {
    NodeId expr;
    Relation relation;
    Rational bound;
  };
  const std::vector<Want> want = {
      {x, Relation::LessEqual, 1},
      {x, Relation::GreaterEqual, 1},
      {x, Relation::Less, -2},
      {x, Relation::Less, 3},
      {g.binary(Op::Sub, x, y), Relation::GreaterEqual, 0},
      {g.pow_int(x, 2), Relation::Equal, 2},
      {y, Relation::Equal, 2},
      {g.binary(Op::Sub, g.binary(Op::Add, x, one), g.binary(Op::Sub, y, one)), Relation::LessEqual, 0},
      {g.binary(Op::Add, x, y), Relation::GreaterEqual, -1},
      {g.binary(Op::Add, x, y), Relation::Less, 2},
      {x, Relation::Less, 3},
      {g.binary(Op::Sub, x, y), Relation::GreaterEqual, 0},
      {y, Relation::Greater, -1},
      {g.binary(Op::Sub, x, g.constant(Rational(1), Rational(2))), Relation::LessEqual, 0},
      {x, Relation::GreaterEqual, 0},  // placeholder, checked below
      {one, Relation::LessEqual, 2},
  };
  REQUIRE(s.constraints.size() == want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    INFO(i << ": " << s.constraints[i].text);
    if (i == 14) {  // pi is not a rational point: expr = pi - x, bound 0
      CHECK(s.constraints[i].expr == g.binary(Op::Sub, g.pi(), x));
      CHECK(s.constraints[i].relation == Relation::LessEqual);
      CHECK(s.constraints[i].bound == 0);
      continue;
    }
    CHECK(s.constraints[i].expr == want[i].expr);
    CHECK(s.constraints[i].relation == want[i].relation);
    CHECK(s.constraints[i].bound == want[i].bound);
  }
  CHECK(s.constraints[10].text == "3 > x >= y > -1");
  CHECK(s.constraints[12].text == "3 > x >= y > -1");
  CHECK(s.constraints[12].where.line == 12);
  CHECK(std::string(relation_symbol(Relation::LessEqual)) == "<=");
}

TEST_CASE("parser: statement text spans lines and skips comments around it", "[parser]") {
  Spec s = parse("variables x;\nconstraints\n  // before\n  x +\n    1 <= 2 // after\n  ;");
  REQUIRE(s.constraints.size() == 1);
  CHECK(s.constraints[0].text == "x +\n    1 <= 2");
  CHECK(s.constraints[0].where.line == 4);
  CHECK(s.constraints[0].where.column == 3);
  CHECK(s.constraints[0].bound == 2);
}

TEST_CASE("parser: statement errors", "[parser]") {
  CHECK(spec_error("variables x;\nconstraints\n  x <= 1\n  x >= 0;") ==
        "t.spec:4:3: error: expected ';' after constraint, got 'x'");
  CHECK(spec_error("variables x; prove x <= 1 x >= 0;") == "t.spec:1:27: error: expected ';' after claim, got 'x'");
  CHECK(spec_error("variables x; constraints x;") ==
        "t.spec:1:27: error: expected a comparison ('<=', '>=', '<', '>' or '=') in constraint, got ';'");
  CHECK(spec_error("variables x; prove x + 1;") ==
        "t.spec:1:25: error: expected a comparison ('<=', '>=', '<', '>' or '=') in claim, got ';'");
  CHECK(spec_error("variables x; constraints 0 <= x >= 1;") ==
        "t.spec:1:33: error: a chained comparison needs inequalities in one direction, like 'a <= f <= b' or "
        "'a >= f >= b'");
  CHECK(spec_error("variables x; constraints 0 < x < 1 > 0;") ==
        "t.spec:1:36: error: a chained comparison needs inequalities in one direction, like 'a <= f <= b' or "
        "'a >= f >= b'");
  CHECK(spec_error("variables x; constraints x = 1 = 1;") ==
        "t.spec:1:32: error: '=' cannot be chained with other comparisons");
  CHECK(spec_error("variables x; constraints 0 <= x = 1;") ==
        "t.spec:1:33: error: '=' cannot be chained with other comparisons");
  CHECK(spec_error("variables x; constraints x == 1;") == "t.spec:1:28: error: use '=' for equality, not '=='");
  CHECK(spec_error("variables x; constraints x <= ;") == "t.spec:1:31: error: expected an expression, got ';'");
  CHECK(spec_error("variables x; constraints ;") == "t.spec:1:26: error: expected an expression, got ';'");
  CHECK(spec_error("variables x; constraints (x <= 1);") ==
        "t.spec:1:29: error: expected ')' to close the '(' at line 1, column 26, got '<='");
  CHECK(spec_error("variables x; minimize x y;") == "t.spec:1:25: error: expected ';' after the objective, got 'y'");
  CHECK(spec_error("variables x; minimize;") == "t.spec:1:22: error: expected an expression, got ';'");
  CHECK(spec_error("variables x; minimize constraints x <= 1;") ==
        "t.spec:1:23: error: expected an expression after 'minimize', got 'constraints'");
  CHECK(spec_error("variables x; maximize end") == "t.spec:1:23: error: expected an expression after 'maximize', got 'end'");
  CHECK(spec_error("variables x; constraints x <= 1; in") == "t.spec:1:34: error: expected an expression, got keyword 'in'");
}

TEST_CASE("parser: lexer errors come out in source order", "[parser]") {
  CHECK(spec_error("variables x;\nminimize x $ 2;") == "t.spec:2:12: error: unexpected character '$'");
  CHECK(spec_error("variables x y;\nminimize x $ 2;") ==
        "t.spec:1:13: error: expected ';' after the declaration of variable 'x', got 'y'");
  CHECK(spec_error("variables x in [0, 1.2.3];") == "t.spec:1:20: error: malformed number '1.2.3'");
}

// ---------------------------------------------------------------------------
// parse_expression over an existing graph

TEST_CASE("parse_expression: variables of the graph by name", "[parser]") {
  ExprGraph g;
  const NodeId x = g.variable(g.add_variable("x"));
  const NodeId y1 = g.variable(g.add_variable("y(1)"));
  const NodeId y2 = g.variable(g.add_variable("y(2)"));
  const NodeId m12 = g.variable(g.add_variable("m(1,2)"));
  g.add_variable("weird name");
  CHECK(parse_expression("x + y(2)", g) == g.binary(Op::Add, x, y2));
  CHECK(parse_expression("y[0]", g) == y1);
  CHECK(parse_expression("y(1)", g) == y1);
  CHECK(parse_expression("m(1,2)", g) == m12);
  CHECK(parse_expression("m[0][1]", g) == m12);
  CHECK(parse_expression("  x  ", g) == x);
  CHECK(expression_error("y(3)", g) ==
        "<command line>:1:3: error: index 3 out of range for 'y' (declared y[2]; one-based indices are 1..2)");
  CHECK(expression_error("m(1,1)", g) == "<command line>:1:1: error: 'm(1,1)' is not a variable of this problem");
  CHECK(expression_error("x + z", g) == "<command line>:1:5: error: unknown name 'z'");
  CHECK(expression_error("x y", g) == "<command line>:1:3: error: unexpected 'y' after the expression");
  CHECK(expression_error("x <= 1", g) == "<command line>:1:3: error: unexpected '<=' after the expression");
  CHECK(expression_error("x;", g) == "<command line>:1:2: error: unexpected ';' after the expression");
  CHECK(expression_error("", g) == "<command line>:1:1: error: expected an expression, got end of input");
  try {
    parse_expression("\n  sin(x, x)", g, "claim.txt");
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()) == "claim.txt:2:3: error: function 'sin' takes 1 argument, got 2");
  }
}

TEST_CASE("parse_expression: round trip of to_string for every node", "[parser]") {
  Spec s = parse(
      "constants a = 2.1; b in [-1/3, 0.25]; t = 2*pi/3;\n"
      "variables x in [-1, 1]; y[2] in [0, 1]; z; m[2][2];\n"
      "minimize 4*x^2 - a*x^4 + x^6/3 + x*y(1) - 4*y(2)^2 + -x^3 * (-y(1));\n"
      "constraints\n"
      "  exp(-x^2) * sqrt(y(1) + 1) / (1 + x^2) <= 1 / 3;\n"
      "  b*x - (-1/3)*z + z/(-7/2) >= -0.125;\n"
      "  x^(-2) + y(1)^0.5 + 2^z + z^y(2) + z^(-1/2) + (1/2)^z + (-2)^z + pi^x <= t;\n"
      "  min(x, max(y(1), y(2), z)) - abs(z) + sqr(z - 1) + pow(z, 3) + pow(z, x) = 0;\n"
      "  ln(z) + log(1 + z) + sin(z) + cos(z) + tan(z) + asin(x) + acos(x) + atan(x) >= -10;\n"
      "  sinh(z) + cosh(z) + tanh(z) - -z - (x - y(1)) - (x + y(1)) <= 10;\n"
      "  -(x * y(1)) + (-x) * y(1) + (-x)^2 + -x^2 + x - (-2) + (x^2)^3 + x / (y(1) / z) <= 5;\n"
      "  m(1,2) * m[1][0] + [0.5, 1] * x + [2, 2] - t * [1, pi] <= 100000000000000000000000;\n"
      "  1e-300 * x + 123456789012345678901234567890 / 7 * z <= 1;\n"
      "  x - 1/0 + 0^(-1) + 10^100000 <= 1;\n"
      "prove\n"
      "  0 <= x^2 + (-1) <= 1;\n");
  ExprGraph& g = s.graph;
  const std::size_t size = g.size();  // nodes the spec built; reading back may add folded intermediates
  for (NodeId id = 0; id < size; ++id) {
    const std::string text = g.to_string(id);
    INFO(id << ": " << text);
    CHECK(parse_expression(text, g) == id);
  }
}

TEST_CASE("parse_expression: round trip of random expressions", "[parser]") {
  // Random expression texts (fixed seed), parsed, printed and read back.
  std::mt19937 rng(20261128);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  const char* atoms[] = {"x", "y(1)", "y[1]", "z", "0.1", "3", "1/3", "-2", "pi", "[-1, 1]", "[1/2, 2]", "1e-5", "4"};
  const char* unary[] = {"sqrt", "exp", "ln", "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh",
                         "abs", "sqr", "-", "+"};
  const char* binary[] = {"+", "-", "*", "/", "^", "min", "max", "pow"};
  std::function<std::string(int)> random_text = [&](int depth) -> std::string {
    if (depth == 0 || pick(4) == 0) return atoms[pick(13)];
    if (pick(2) == 0) {
      const std::string u = unary[pick(16)];
      const std::string a = random_text(depth - 1);
      return u == "-" || u == "+" ? u + "(" + a + ")" : u + "(" + a + ")";
    }
    const std::string b = binary[pick(8)];
    const std::string l = random_text(depth - 1), r = random_text(depth - 1);
    if (b == "^") return "(" + l + ")^(" + r + ")";
    if (b.size() > 1) return b + "(" + l + ", " + r + ")";
    return "(" + l + " " + b + " " + r + ")";
  };
  Spec s = parse("constants c in [-1, 1]; n = 4; variables x; y[2]; z;");
  ExprGraph& g = s.graph;
  for (int i = 0; i < 2000; ++i) {
    const std::string text = random_text(6);
    INFO(text);
    NodeId id = 0;
    try {
      id = parse_expression(text, g);
    } catch (const InputError& e) {
      // Integer powers too large for int64 are the only rejection possible here.
      CHECK(std::string(e.what()).find("out of range") != std::string::npos);
      continue;
    }
    const std::string printed = g.to_string(id);
    INFO(printed);
    CHECK(parse_expression(printed, g) == id);
  }
}

// ---------------------------------------------------------------------------
// Robustness: every prefix and random mutations of a spec either parse or
// throw InputError; nothing else escapes, nothing crashes.

TEST_CASE("parser: truncated and mutated specs give InputError only", "[parser]") {
  const std::string base =
      "constants\n  c = 2.1; d in [0.5, 0.6];\nvariables\n  x in [-3, 3];\n  y[3] in [-1, 1]; m[2][2];\n"
      "minimize\n  4*x^2 - c*x^4 + x^6/3 + x*y(1) - 4*y[1]^2 + m(1,2);\nconstraints\n  x + y(1) <= 1;\n"
      "  0 <= sin(x) <= d;\nprove\n  exp(x) >= 1 + x;  // comment\nend\n";
  REQUIRE_NOTHROW(parse(base));
  auto survives = [](const std::string& text) {
    try {
      parse_spec(text, "t.spec");
    } catch (const InputError&) {
    }
  };
  for (std::size_t n = 0; n <= base.size(); ++n) {
    INFO(n);
    CHECK_NOTHROW(survives(base.substr(0, n)));
  }
  std::mt19937 rng(7);
  const std::string alphabet = "()[],;:=<>+-*/^ .0123456789eExyzmcdoinpeu\n#/\t";
  for (int i = 0; i < 3000; ++i) {
    std::string text = base;
    for (int k = 0; k < 3; ++k) {
      const std::size_t at = rng() % text.size();
      switch (rng() % 3) {
        case 0: text[at] = alphabet[rng() % alphabet.size()]; break;
        case 1: text.erase(at, 1 + rng() % 4); break;
        default: text.insert(at, 1, alphabet[rng() % alphabet.size()]); break;
      }
      if (text.empty()) text = "x";
    }
    INFO(text);
    CHECK_NOTHROW(survives(text));
  }
}

// ---------------------------------------------------------------------------
// Files

TEST_CASE("parse_spec_file: unreadable paths", "[parser]") {
  const std::string missing = "/nonexistent/cerval/none.spec";
  try {
    parse_spec_file(missing);
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()).rfind(missing + ":1:1: error: cannot open '" + missing + "': ", 0) == 0);
    CHECK(e.where().file == missing);
  }
  const std::string dir = std::filesystem::temp_directory_path().string();
  try {
    parse_spec_file(dir);
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()) == dir + ":1:1: error: cannot read '" + dir + "': it is a directory");
  }
}

TEST_CASE("parse_spec_file: reads a file and reports its name", "[parser]") {
  const auto path = std::filesystem::temp_directory_path() / ("cerval_parser_test_" + std::to_string(::getpid()) + ".spec");
  {
    std::ofstream out(path);
    out << "variables\n  x in [0, 1];\nprove\n  x <= 1 x;\n";
  }
  try {
    parse_spec_file(path.string());
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()) == path.string() + ":4:10: error: expected ';' after claim, got 'x'");
  }
  {
    std::ofstream out(path);
    out << "variables\n  x in [0, 1];\nprove\n  x <= 1;\n";
  }
  const Spec s = parse_spec_file(path.string());
  CHECK(s.file == path.string());
  CHECK(s.claims.size() == 1);
  CHECK(s.claims[0].where.file == path.string());
  std::filesystem::remove(path);
}

TEST_CASE("the example specs of the repository parse", "[parser][specs]") {
  const std::filesystem::path root = std::filesystem::path(CERVAL_SOURCE_DIR) / "specs";
  const Spec camel = parse_spec_file((root / "search" / "six_hump_camel.spec").string());
  CHECK(camel.objective);
  CHECK(camel.variables.size() == 2);
  const Spec bounds = parse_spec_file((root / "verify" / "exp_bounds.spec").string());
  CHECK(bounds.claims.size() >= 3);
  // The core-language folders; engine folders extend the language and are
  // parsed by their engines' tests.
  std::size_t count = 0;
  for (const char* folder : {"search", "verify"})
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root / folder)) {
      if (entry.path().extension() != ".spec") continue;
      INFO(entry.path().string());
      CHECK_NOTHROW(parse_spec_file(entry.path().string()));
      ++count;
    }
  CHECK(count >= 3);
}

TEST_CASE("the Minibex easy benchmarks parse unchanged", "[parser][minibex]") {
  const std::filesystem::path dir = std::filesystem::path(CERVAL_TEST_DATA_DIR) / "minibex-easy";
  if (!std::filesystem::is_directory(dir)) {
    WARN("skipped: " << dir.string() << " does not exist");
    return;
  }
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    if (entry.path().extension() == ".bch") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  std::vector<std::string> failures;
  for (const auto& f : files) {
    try {
      const Spec s = parse_spec_file(f.string());
      if (!s.objective || s.variables.empty()) failures.push_back(f.filename().string() + ": no objective or variables");
    } catch (const InputError& e) {
      failures.push_back(e.what());
    }
  }
  for (const std::string& failure : failures) UNSCOPED_INFO(failure);
  CHECK(failures.empty());
  CHECK(files.size() == 101);
}
