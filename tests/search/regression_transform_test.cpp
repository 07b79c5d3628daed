// Gauss-Newton preconditioning: the transformed problem has the original's
// minimum (linear least squares in closed form), the u box covers the
// preimage of the parameter box, and the maps between p and u agree.
#include <cerval/expr/eval.hpp>
#include <cerval/expr/parser.hpp>
#include <cerval/expr/quadratic.hpp>
#include <cerval/search/branch_and_bound.hpp>
#include <cerval/search/regression_lm.hpp>
#include <cerval/search/regression_transform.hpp>

#include <catch2/catch.hpp>

#include <cmath>

using namespace cerval;
using numeric::Interval;
using numeric::Rational;

namespace {

// y = a + b x through (0, 1), (1, 2), (2, 4): least squares a = 5/6, b = 3/2,
// residuals 1/6, -1/3, 1/6: minimum 1/6.
const char* kLine = R"(variables a in [-10, 10]; b in [-10, 10];
regression inputs x; output y; model a + b*x;
data x, y:
  0, 1;
  1, 2;
  2, 4;
)";

std::vector<double> jtj_at(const search::RegressionSpec& rs, const std::vector<double>& p) {
  const search::FloatResiduals model(rs);
  std::vector<double> r, J;
  REQUIRE(model.evaluate(p, r, &J));
  const std::size_t n = rs.parameter_count();
  std::vector<double> m(n * n, 0.0);
  for (std::size_t i = 0; i < model.rows(); ++i)
    for (std::size_t a = 0; a < n; ++a)
      for (std::size_t b = 0; b < n; ++b) m[a * n + b] += J[i * n + a] * J[i * n + b];
  return m;
}

}  // namespace

TEST_CASE("substitution copies an expression with variables replaced", "[regression]") {
  expr::ExprGraph g;
  g.add_variable("x");
  const expr::NodeId f = expr::parse_expression("x^2 + 1", g);
  expr::ExprGraph h;
  h.add_variable("y");
  const expr::NodeId y1 = expr::parse_expression("y + 1", h);
  const auto images = search::substitute(g, {f}, h, {y1});
  std::vector<Interval> at{Interval(2.0)};
  const auto e = expr::evaluate<Interval>(h, images[0], at);
  CHECK(e.value.contains(10.0));
  CHECK(e.value.width() == 0);
}

TEST_CASE("whitened linear least squares keeps the minimum", "[regression]") {
  const auto rs = search::parse_regression_spec(kLine, "t.spec");
  const std::vector<double> p{5.0 / 6, 1.5};
  for (auto mode : {search::PreconditionMode::Whiten, search::PreconditionMode::WhitenClamped,
                    search::PreconditionMode::Diagonal}) {
    const bool diagonal = mode == search::PreconditionMode::Diagonal;
    const auto pc = search::precondition(rs, p, jtj_at(rs, p), mode);
    REQUIRE(pc);
    CHECK(pc->spec.variables.size() == 2);
    CHECK(pc->spec.constraints.size() == (diagonal ? 0u : 2u));
    // The maps agree, and the loss at u = to_u(p) encloses the loss at p.
    const std::vector<double> q{0.5, -1.25};
    const std::vector<double> back = pc->to_p(pc->to_u(q));
    CHECK(std::fabs(back[0] - q[0]) < 1e-12);
    CHECK(std::fabs(back[1] - q[1]) < 1e-12);
    // Every corner of the parameter box maps into the u box.
    const auto ubox = expr::enclose_domains(pc->spec.variables);
    for (double a : {-10.0, 10.0})
      for (double b : {-10.0, 10.0}) {
        const auto u = pc->to_u({a, b});
        CHECK(ubox[0].lower() <= u[0] + 1e-9 * std::fabs(u[0]));
        CHECK(u[0] - 1e-9 * std::fabs(u[0]) <= ubox[0].upper());
        CHECK(ubox[1].lower() <= u[1] + 1e-9 * std::fabs(u[1]));
        CHECK(u[1] - 1e-9 * std::fabs(u[1]) <= ubox[1].upper());
      }
    search::SearchOptions so;
    so.eps_rel = 1e-10;
    so.start_points = {pc->to_u(p)};
    const auto m = search::minimize(pc->spec, pc->loss, so);
    REQUIRE(m.status == search::SearchStatus::Success);
    CHECK(numeric::to_rational(m.lower) <= Rational(1, 6));
    CHECK(Rational(1, 6) <= numeric::to_rational(m.upper));
  }
}

TEST_CASE("preconditioning declines unbounded boxes and singular J^T J", "[regression]") {
  const auto unbounded = search::parse_regression_spec(
      "variables a in [-oo, 10]; b in [-10, 10];\nregression inputs x; output y; model a + b*x;\n"
      "data x, y:\n 0, 1;\n 1, 2;\n",
      "t.spec");
  CHECK(!search::precondition(unbounded, {1.0, 1.0}, {2, 1, 1, 1}));
  const auto rs = search::parse_regression_spec(kLine, "t.spec");
  CHECK(!search::precondition(rs, {1.0, 1.0}, {1, 1, 1, 1}));  // rank 1
}

TEST_CASE("linear parameters come first in the whitening: the loss stays convex quadratic in their u",
          "[regression][projection]") {
  // y = a exp(-k x) + c: a and c enter linearly, k does not.
  const char* text = R"(variables k in [0.1, 3]; a in [-10, 10]; c in [-5, 5];
regression inputs x; output y; model a*exp(-k*x) + c;
data x, y:
  0, 3.1;
  1, 1.9;
  2, 1.45;
  3, 1.2;
  4, 1.1;
)";
  const auto rs = search::parse_regression_spec(text, "t.spec");
  const std::vector<std::size_t> linear = search::linear_parameters(rs);
  REQUIRE(linear == std::vector<std::size_t>{1, 2});
  const std::vector<double> p{0.7, 2.0, 1.0};
  const auto pc = search::precondition(rs, p, jtj_at(rs, p), search::PreconditionMode::Whiten, linear);
  REQUIRE(pc);
  CHECK(pc->order == std::vector<std::size_t>{1, 2, 0});
  // k depends on u_k only; a and c on everything.
  const std::size_t n = 3;
  CHECK(pc->matrix[0 * n + 1] == 0);
  CHECK(pc->matrix[0 * n + 2] == 0);
  CHECK(expr::is_convex_quadratic_in(pc->spec.graph, pc->loss, linear));
  CHECK_FALSE(expr::is_convex_quadratic_in(pc->spec.graph, pc->loss, {0}));
  // The maps still invert each other.
  const std::vector<double> u = pc->to_u({1.0, 3.0, 0.5});
  const std::vector<double> back = pc->to_p(u);
  CHECK(std::fabs(back[0] - 1.0) < 1e-12);
  CHECK(std::fabs(back[1] - 3.0) < 1e-12);
  CHECK(std::fabs(back[2] - 0.5) < 1e-12);
  // And the projected search has the same minimum as the plain one.
  search::SearchOptions so;
  so.max_boxes = 200000;
  so.eps_rel = 1e-9;
  so.projected = linear;
  const auto projected = search::minimize(pc->spec, pc->loss, so);
  so.projected.clear();
  const auto plain = search::minimize(pc->spec, pc->loss, so);
  REQUIRE(projected.status == search::SearchStatus::Success);
  REQUIRE(plain.status == search::SearchStatus::Success);
  CHECK(projected.lower <= plain.upper);
  CHECK(plain.lower <= projected.upper);
}
