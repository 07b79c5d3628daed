// Krawczyk's existence test (include/cerval/expr/existence.hpp).
#include <cerval/expr/existence.hpp>
#include <cerval/expr/parser.hpp>

#include <catch2/catch.hpp>

using namespace cerval;
using numeric::Interval;
using numeric::Rational;

namespace {

struct System {
  expr::Spec spec;
  std::vector<expr::Equation> equations;
};

System system_of(const std::string& text) {
  System s{expr::parse_spec(text, "system"), {}};
  for (const auto& c : s.spec.constraints) s.equations.push_back({c.expr, c.bound});
  return s;
}

}  // namespace

TEST_CASE("Krawczyk proves the zero of x^2 = 2 in a box holding sqrt 2 only", "[existence]") {
  System s = system_of("variables x; constraints x^2 = 2;");
  CHECK(expr::krawczyk_proves_zero(s.spec.graph, s.equations, {Interval(1.41, 1.42)}, {0}));
  CHECK(expr::krawczyk_proves_zero(s.spec.graph, s.equations, {Interval(1.4142135623, 1.4142135624)}, {0}));
  // No zero in the box: never proven.
  CHECK_FALSE(expr::krawczyk_proves_zero(s.spec.graph, s.equations, {Interval(1.5, 1.6)}, {0}));
  CHECK_FALSE(expr::krawczyk_proves_zero(s.spec.graph, s.equations, {Interval(1.4142135624, 1.5)}, {0}));
  // A degenerate box has no interior.
  CHECK_FALSE(expr::krawczyk_proves_zero(s.spec.graph, s.equations, {Interval(1.4142135623730951)}, {0}));
}

TEST_CASE("Krawczyk on a 2x2 system with a fixed third variable", "[existence]") {
  // x^2 + y^2 = 2 z, x = y with z = 1: the zero (1, 1).
  System s = system_of("variables x; y; z; constraints x^2 + y^2 = 2*z; x - y = 0;");
  const std::vector<Interval> box{Interval(0.999, 1.001), Interval(0.999, 1.001), Interval(1.0)};
  CHECK(expr::krawczyk_proves_zero(s.spec.graph, s.equations, box, {0, 1}));
  // z = 1.1 moves the zero to sqrt(1.1) ~ 1.0488, outside the box.
  const std::vector<Interval> moved{Interval(0.999, 1.001), Interval(0.999, 1.001), Interval(1.1)};
  CHECK_FALSE(expr::krawczyk_proves_zero(s.spec.graph, s.equations, moved, {0, 1}));
  // As many unknowns as equations, distinct.
  CHECK_FALSE(expr::krawczyk_proves_zero(s.spec.graph, s.equations, box, {0}));
  CHECK_FALSE(expr::krawczyk_proves_zero(s.spec.graph, s.equations, box, {0, 0}));
}

TEST_CASE("Krawczyk refuses equations not defined on the whole box", "[existence]") {
  // sqrt(x) = 1e-3 has the zero 1e-6, but sqrt is undefined on the negatives.
  System s = system_of("variables x; constraints sqrt(x) = 0.001;");
  CHECK_FALSE(expr::krawczyk_proves_zero(s.spec.graph, s.equations, {Interval(-1e-6, 3e-6)}, {0}));
  CHECK(expr::krawczyk_proves_zero(s.spec.graph, s.equations, {Interval(0.9e-6, 1.1e-6)}, {0}));
}

TEST_CASE("Krawczyk with an exact rational right-hand side that is not a double", "[existence]") {
  // 10 x = 1: the zero 1/10 is not a double; the box around it is proven.
  System s = system_of("variables x; constraints 10*x = 1;");
  CHECK(expr::krawczyk_proves_zero(s.spec.graph, s.equations, {Interval(0.0999999, 0.1000001)}, {0}));
  CHECK_FALSE(expr::krawczyk_proves_zero(s.spec.graph, s.equations, {Interval(0.1000001, 0.1000002)}, {0}));
}
