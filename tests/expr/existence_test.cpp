// Krawczyk's existence test (include/cerval/expr/existence.hpp).
#include <cerval/expr/existence.hpp>
#include <cerval/expr/parser.hpp>

#include <catch2/catch.hpp>

#include <limits>

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

namespace {

expr::Spec function_of(const std::string& objective) {
  return expr::parse_spec("variables x; y; minimize " + objective + ";", "stationary");
}

}  // namespace

TEST_CASE("Krawczyk excludes stationary points where both gradient components straddle 0", "[existence]") {
  // grad f = (x + 2y, 2x - y): its only zero is the origin.
  const expr::Spec s = function_of("(x^2 - y^2)/2 + 2*x*y");
  const expr::NodeId f = s.objective->expr;
  // On this box both components take the value 0 somewhere, but not at the
  // same point: only Krawczyk's operator (not a component test) excludes it.
  const std::vector<Interval> off{Interval(0.05, 1), Interval(-0.6, 0.2)};
  CHECK(expr::krawczyk_excludes_stationary_point(s.graph, f, off));
  // A box holding the stationary point, or touching it, is never excluded.
  CHECK_FALSE(expr::krawczyk_excludes_stationary_point(s.graph, f, {Interval(-0.1, 1), Interval(-0.6, 0.2)}));
  CHECK_FALSE(expr::krawczyk_excludes_stationary_point(s.graph, f, {Interval(0, 1), Interval(0, 0.2)}));
  CHECK_FALSE(expr::krawczyk_excludes_stationary_point(s.graph, f, {Interval(0), Interval(0)}));
}

TEST_CASE("stationary-point exclusion refuses points where f may not be differentiable", "[existence]") {
  // abs: refused even where the argument keeps its sign.
  const expr::Spec a = function_of("abs(x - 3) + y^2");
  CHECK_FALSE(expr::krawczyk_excludes_stationary_point(a.graph, a.objective->expr, {Interval(0, 1), Interval(1, 2)}));
  // sqrt at 0: unbounded derivative.
  const expr::Spec r = function_of("sqrt(x) + y");
  CHECK_FALSE(expr::krawczyk_excludes_stationary_point(r.graph, r.objective->expr, {Interval(0, 1), Interval(1, 2)}));
  CHECK(expr::krawczyk_excludes_stationary_point(r.graph, r.objective->expr, {Interval(0.5, 1), Interval(1, 2)}));
  // Undefined somewhere on the box, or an unbounded box.
  const expr::Spec l = function_of("log(x) + y^2");
  CHECK_FALSE(expr::krawczyk_excludes_stationary_point(l.graph, l.objective->expr, {Interval(-1, 1), Interval(1, 2)}));
  CHECK_FALSE(expr::krawczyk_excludes_stationary_point(
      l.graph, l.objective->expr, {Interval(1, std::numeric_limits<double>::infinity()), Interval(1, 2)}));
}

TEST_CASE("Krawczyk proves the stationary point in b of (b - t)^2 + (2b - 1)^2 for every t of a box", "[existence]") {
  // grad_b = 2 (b - t) + 4 (2 b - 1) = 0 at b = (t + 2)/5: in [0.6, 0.8] for t in [1, 2].
  expr::Spec s = expr::parse_spec("variables b, t; minimize (b - t)^2 + (2*b - 1)^2;", "p");
  const expr::NodeId f = s.objective->expr;
  CHECK(expr::krawczyk_proves_partial_stationary_point(s.graph, f, {Interval(0.59, 0.81), Interval(1, 2)}, {0}));
  // A box in b that misses part of (t + 2)/5 over t in [1, 2].
  CHECK_FALSE(expr::krawczyk_proves_partial_stationary_point(s.graph, f, {Interval(0.65, 0.81), Interval(1, 2)}, {0}));
  const auto e = expr::partial_stationary_point_enclosure(s.graph, f, {Interval(-10, 10), Interval(1, 2)}, {0}, {5.0});
  REQUIRE(e);
  CHECK(e->at(1).lower() == 1);
  CHECK(e->at(1).upper() == 2);
  CHECK(e->at(0).lower() <= 0.6);
  CHECK(e->at(0).upper() >= 0.8);
  CHECK(e->at(0).width() < 0.3);
  CHECK(expr::krawczyk_proves_partial_stationary_point(s.graph, f, *e, {0}));
}

TEST_CASE("No partial stationary point enclosure where the Hessian block is singular", "[existence]") {
  // f = (a + b - t)^2: grad_(a,b) vanishes on a line, the Hessian block is singular.
  expr::Spec s = expr::parse_spec("variables a, b, t; minimize (a + b - t)^2;", "p");
  const expr::NodeId f = s.objective->expr;
  CHECK_FALSE(expr::partial_stationary_point_enclosure(s.graph, f, {Interval(-1, 1), Interval(-1, 1), Interval(0, 1)},
                                                       {0, 1}, {0.0, 0.0}));
}

TEST_CASE("The partial stationary point moves with t along one direction: the enclosure follows it",
          "[existence]") {
  // f = (a + b - t)^2 + 0.001 (a - b)^2: the minimiser in (a, b) is
  // (t/2, t/2), on a valley whose Hessian block has condition number 1000.
  // Over t in [-1, 1] each component of grad_(a,b) f at a point ranges
  // over about [-2, 2], and C times that componentwise enclosure (|C| ~ 250)
  // spans hundreds; preconditioning the mean-value form in t as a whole
  // gives C d_t F = (-1/2, -1/2): the enclosure is [-1/2, 1/2] plus a
  // little, in both coordinates.
  expr::Spec s = expr::parse_spec("variables a, b, t; minimize (a + b - t)^2 + 0.001*(a - b)^2;", "p");
  const expr::NodeId f = s.objective->expr;
  const std::vector<Interval> box{Interval(-100, 100), Interval(-100, 100), Interval(-1, 1)};
  const auto e = expr::partial_stationary_point_enclosure(s.graph, f, box, {0, 1}, {0.3, -0.2});
  REQUIRE(e);
  for (std::size_t k : {0, 1}) {
    CHECK(e->at(k).lower() <= -0.5);
    CHECK(e->at(k).upper() >= 0.5);
    CHECK(e->at(k).width() < 1.5);
  }
  CHECK(e->at(2) == box[2]);
  CHECK(expr::krawczyk_proves_partial_stationary_point(s.graph, f, *e, {0, 1}));
  // A box that misses (t/2, t/2) at the ends of t is not proven.
  std::vector<Interval> narrow = *e;
  narrow[0] = Interval(-0.4, 0.4);
  CHECK_FALSE(expr::krawczyk_proves_partial_stationary_point(s.graph, f, narrow, {0, 1}));
}
