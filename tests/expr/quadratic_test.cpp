// Dependence classification (include/cerval/expr/quadratic.hpp).
#include <cerval/expr/parser.hpp>
#include <cerval/expr/quadratic.hpp>

#include <catch2/catch.hpp>

using namespace cerval;

namespace {

// The objective of a spec over variables a, b, t (in that order).
struct Objective {
  expr::Spec spec;
  expr::NodeId f;
};

Objective objective(const std::string& text) {
  expr::Spec s = expr::parse_spec("variables a in [-1, 1], b in [-1, 1], t in [1, 2]; minimize " + text + ";", "q");
  const expr::NodeId f = s.objective->expr;
  return {std::move(s), f};
}

bool convex_in_ab(const std::string& text) {
  const Objective o = objective(text);
  return expr::is_convex_quadratic_in(o.spec.graph, o.f, {0, 1});
}

}  // namespace

TEST_CASE("Least-squares losses of models linear in a, b are convex quadratics in a, b", "[quadratic]") {
  CHECK(convex_in_ab("(1 - a*exp(-t) - b)^2 + (2 - a*exp(-2*t) - b)^2"));
  CHECK(convex_in_ab("3*sqr(0.5 - (a + b*t)/(1 + t^2)) + sqr(a - t)"));
  CHECK(convex_in_ab("(a - b*sin(t))*(a - b*sin(t)) / 2 + a + log(t)"));
  CHECK(convex_in_ab("exp(t)"));  // free of a, b
}

TEST_CASE("Anything else is not classified convex quadratic", "[quadratic]") {
  CHECK_FALSE(convex_in_ab("(1 - a*b)^2"));           // bilinear inside the square
  CHECK_FALSE(convex_in_ab("-(1 - a)^2"));             // concave
  CHECK_FALSE(convex_in_ab("t - (1 - a)^2"));          // concave
  CHECK_FALSE(convex_in_ab("(-2)*(1 - a)^2"));         // negative weight
  CHECK_FALSE(convex_in_ab("t*(1 - a)^2"));            // weight not a constant
  CHECK_FALSE(convex_in_ab("(1 - a)^4"));
  CHECK_FALSE(convex_in_ab("exp(a) + b^2"));
  CHECK_FALSE(convex_in_ab("(1 - a/t)^2 + 1/(b + 2)"));  // division by a node depending on b
  CHECK_FALSE(convex_in_ab("abs(a - 1)"));             // convex, but not a quadratic
}

TEST_CASE("Freedom of a set of variables", "[quadratic]") {
  const Objective o = objective("exp(t) + a*t");
  CHECK(expr::is_free_of(o.spec.graph, o.f, {1}));
  CHECK_FALSE(expr::is_free_of(o.spec.graph, o.f, {0}));
  const auto d = expr::classify_dependence(o.spec.graph, o.f, {true, false, false});
  CHECK(d[o.f] == expr::Dependence::Affine);
}
