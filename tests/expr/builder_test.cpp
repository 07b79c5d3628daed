// GraphScalar (expression building by computation), the shared-text printer
// and the parser of named subexpressions: exact folding, sharing, exact
// round trips of DAGs whose trees are exponentially large, and errors for bad
// names.
#include <catch2/catch.hpp>
#include <cerval/expr/builder.hpp>
#include <cerval/expr/diagnostics.hpp>
#include <cerval/expr/eval.hpp>
#include <cerval/expr/parser.hpp>

#include <string>
#include <vector>

using namespace cerval;
using expr::ExprGraph;
using expr::GraphScalar;
using expr::NodeId;
using numeric::MpInterval;
using numeric::Rational;

namespace {

// A generic computation, as a scheme templated on its scalar type would do.
template <class T>
T repeated_square_sum(T x, int n) {
  T y = x;
  for (int k = 0; k < n; ++k) y = y * y - y / 3 + 1;  // y used twice per step
  return y;
}

// Rebuilds the expressions of `roots` (graph g) in a fresh graph from the shared text.
std::vector<NodeId> reparse(const ExprGraph& g, const std::vector<NodeId>& roots, ExprGraph& fresh) {
  for (std::size_t i = 0; i < g.variable_count(); ++i) fresh.add_variable(g.variable_name(i));
  const auto shared = g.to_shared_text(roots);
  expr::NamedExpressionParser names(fresh);
  for (const auto& [name, text] : shared.definitions) names.define(name, text);
  std::vector<NodeId> ids;
  for (const auto& text : shared.roots) ids.push_back(names.parse(text));
  return ids;
}

}  // namespace

TEST_CASE("GraphScalar folds rational constants exactly and builds parser nodes", "[expr][builder]") {
  ExprGraph g;
  g.add_variable("x");
  const GraphScalar x = GraphScalar::variable(g, 0);
  const GraphScalar third = GraphScalar::constant(g, Rational(1, 3));
  const GraphScalar half = third + Rational(1, 6);
  REQUIRE(half.value());
  CHECK(*half.value() == Rational(1, 2));
  CHECK((third * 3).value() == Rational(1));
  CHECK(!(x * half).value());
  // Identities that keep definedness.
  CHECK((x + 0).id() == x.id());
  CHECK((x * 1).id() == x.id());
  CHECK((1 * x).id() == x.id());
  CHECK((x / 1).id() == x.id());
  CHECK((x * 0).id() != g.constant(Rational(0)));  // x * 0 stays a node
  // The same text parses to the same node.
  const GraphScalar e = pow(x, 3) * Rational(-2, 5) + exp(x / 7) - sqr(x - half);
  CHECK(expr::parse_expression(g.to_string(e.id()), g) == e.id());
  // Division by the constant 0 stays a node (undefined when evaluated).
  const GraphScalar bad = GraphScalar::constant(g, Rational(1)) / GraphScalar::constant(g, Rational(0));
  CHECK(!bad.value());
}

TEST_CASE("GraphScalar rejects operands of different graphs", "[expr][builder]") {
  ExprGraph g1, g2;
  g1.add_variable("x");
  g2.add_variable("x");
  CHECK_THROWS_AS(GraphScalar::variable(g1, 0) + GraphScalar::variable(g2, 0), std::invalid_argument);
}

TEST_CASE("detached constants combine exactly and join the graph of the other operand", "[expr][builder]") {
  const GraphScalar third(Rational(1, 3));
  const GraphScalar two_thirds = third + third;
  CHECK(!two_thirds.has_graph());
  CHECK(two_thirds.value() == Rational(2, 3));
  CHECK(GraphScalar().value() == Rational(0));
  CHECK_THROWS_AS(third / GraphScalar(), std::domain_error);
  CHECK_THROWS_AS(third.id(), std::logic_error);
  ExprGraph g;
  g.add_variable("x");
  const GraphScalar x = GraphScalar::variable(g, 0);
  const GraphScalar e = two_thirds * x - third;
  CHECK(&e.graph() == &g);
  CHECK(e.id() == expr::parse_expression("2/3 * x - 1/3", g));
  CHECK((x + GraphScalar()).id() == x.id());
  CHECK(third.id_in(g) == g.constant(Rational(1, 3)));
  ExprGraph other;
  CHECK_THROWS_AS(x.id_in(other), std::invalid_argument);
}

TEST_CASE("an unrolled computation is a DAG of linear size with an exponential tree", "[expr][builder]") {
  ExprGraph g;
  g.add_variable("x");
  const GraphScalar y = repeated_square_sum(GraphScalar::variable(g, 0), 40);
  CHECK(g.size() < 400);
  CHECK(g.tree_size(y.id()) > (std::uint64_t{1} << 40));
  const auto shared = g.to_shared_text({y.id()});
  CHECK(shared.definitions.size() >= 39);
  std::size_t chars = 0;
  for (const auto& d : shared.definitions) chars += d.second.size();
  CHECK(chars < 10000);
  // Same value as computing with intervals directly, at a point.
  ExprGraph fresh;
  const NodeId z = reparse(g, {y.id()}, fresh).front();
  CHECK(fresh.size() == g.size());  // identical nodes, hash-consed
  const std::vector<MpInterval> at{MpInterval::enclose(Rational(1, 2), 200)};
  const auto a = expr::evaluate<MpInterval>(g, y.id(), at, {200});
  const auto b = expr::evaluate<MpInterval>(fresh, z, at, {200});
  CHECK(a.value.lower_down() == b.value.lower_down());
  CHECK(a.value.upper_up() == b.value.upper_up());
  // The same computation in exact arithmetic lies in the enclosure.
  const Rational exact = repeated_square_sum(Rational(1, 2), 6);
  ExprGraph small;
  small.add_variable("x");
  const GraphScalar y6 = repeated_square_sum(GraphScalar::variable(small, 0), 6);
  const auto e6 = expr::evaluate<MpInterval>(small, y6.id(), at, {200});
  CHECK(e6.value.contains(exact));
}

TEST_CASE("shared text round-trips several roots to the identical nodes", "[expr][builder]") {
  ExprGraph g;
  g.add_variable("d0");  // a variable that looks like a definition name
  g.add_variable("y(1)");
  g.add_variable("y(2)");
  const GraphScalar a = GraphScalar::variable(g, 0);
  const GraphScalar b = GraphScalar::variable(g, 1) - GraphScalar::variable(g, 2);
  const GraphScalar s = sqrt(a * a + b * b);
  const GraphScalar r1 = s / (s + 1) - b;
  const GraphScalar r2 = -(s * Rational(-3, 4)) + pow(b, -2);
  const auto shared = g.to_shared_text({r1.id(), r2.id()});
  for (const auto& d : shared.definitions) CHECK(d.first.rfind("d_", 0) == 0);
  ExprGraph fresh;
  const auto ids = reparse(g, {r1.id(), r2.id()}, fresh);
  CHECK(fresh.to_string(ids[0]) == g.to_string(r1.id()));
  CHECK(fresh.to_string(ids[1]) == g.to_string(r2.id()));
}

TEST_CASE("named subexpressions: bad and duplicate names are errors", "[expr][builder]") {
  ExprGraph g;
  g.add_variable("x");
  g.add_variable("y(1)");
  expr::NamedExpressionParser names(g);
  names.define("d0", "x + 1");
  CHECK(names.parse("d0 * d0") == g.binary(expr::Op::Mul, names.parse("x + 1"), names.parse("(x + 1)")));
  CHECK_THROWS_WITH(names.define("d0", "x"), Catch::Contains("defined twice"));
  CHECK_THROWS_WITH(names.define("x", "1"), Catch::Contains("is a variable"));
  CHECK_THROWS_WITH(names.define("y", "1"), Catch::Contains("is a variable"));
  CHECK_THROWS_WITH(names.define("exp", "1"), Catch::Contains("reserved"));
  CHECK_THROWS_WITH(names.define("minimize", "1"), Catch::Contains("keyword"));
  CHECK_THROWS_WITH(names.define("2a", "1"), Catch::Contains("not a name"));
  CHECK_THROWS_WITH(names.define("", "1"), Catch::Contains("empty"));
  CHECK_THROWS_AS(names.parse("d1 + 1"), expr::InputError);  // not defined (yet)
  CHECK_THROWS_WITH(names.define("d1", "d1 + 1"), Catch::Contains("unknown name 'd1'"));
  CHECK_THROWS_AS(names.define("d2", "x +"), expr::InputError);
}
