// The inverse Stefan problem (stefan/inverse.hpp): the cost DAG built through
// the Landau scheme with expr::GraphScalar encloses the exact discrete cost;
// with data generated at a true control, I_n* = 0 is certified and the true
// control lies in every certified minimiser box; with data from the
// travelling-wave solution, I_n* > 0 is certified and decreases under
// refinement; bad problems are rejected.
#include <catch2/catch.hpp>

#include <cerval/expr/diagnostics.hpp>
#include <cerval/expr/eval.hpp>
#include <cerval/expr/parser.hpp>
#include <cerval/stefan/inverse.hpp>
#include <cerval/stefan/scheme.hpp>

#include <string>
#include <vector>

using namespace cerval;
using numeric::MpInterval;
using numeric::Rational;

// Exact rational arithmetic for the scheme: the exact solution of the
// discrete equations (the same specialisation as in scheme_test.cpp).
template <>
struct cerval::stefan::SchemeConstant<Rational> {
  static Rational make(const Rational& q) { return q; }
};

namespace {

expr::VariableDomain domain(const std::string& name, Rational lo, Rational hi) {
  return {name, lo, hi, {"test", 1, 1}, std::nullopt, std::nullopt};
}

// Rational data: q(p, t) = a (1 + t), s(p, t) = 1 + b t, phi(x) = 1 - x
// (parameters a in [0, 2], b in [0, 1]); measurements generated at (1, 1/2).
stefan::InverseProblem rational_problem() {
  stefan::InverseProblem pr;
  for (const char* v : {"a", "b", "t", "x"}) pr.graph.add_variable(v);
  pr.parameters = {domain("a", 0, 2), domain("b", 0, 1)};
  pr.flux = expr::parse_expression("a * (1 + t)", pr.graph);
  pr.front = expr::parse_expression("1 + b * t", pr.graph);
  pr.initial = expr::parse_expression("1 - x", pr.graph);
  pr.s0 = 1;
  pr.final_time = Rational(1, 2);
  pr.latent_heat = 2;
  pr.true_parameter = std::vector<Rational>{1, Rational(1, 2)};
  pr.m0 = 2;
  pr.n0 = 2;
  pr.levels = 2;
  return pr;
}

struct ExactRun {
  std::vector<Rational> front, final_profile, front_temperature;
};

// The discrete solution of rational_problem() in exact arithmetic.
ExactRun exact_run(const Rational& a, const Rational& b, int m, int n) {
  const Rational T(1, 2), tau = T / n;
  stefan::LandauScheme<Rational> sc{1, 0, 0, 0, 2, Rational(1), tau, stefan::LeftCondition::Flux,
                                    stefan::RightCondition::Stefan};
  ExactRun r;
  std::vector<Rational> z;
  for (int i = 0; i <= m; ++i) z.push_back(1 - Rational(i, m));
  auto level = [&](int j) {
    const Rational t = tau * j;
    return stefan::LandauLevel<Rational>{Rational(1 + b * t), Rational(a * (1 + t)), 0, 0, {}, {}, {}, {}};
  };
  for (int j = 0; j <= n; ++j) r.front.push_back(level(j).s);
  for (int j = 0; j < n; ++j) {
    z = stefan::landau_theta_step(sc, z, level(j), level(j + 1));
    r.front_temperature.push_back(z.back());
  }
  r.final_profile = z;
  return r;
}

// I_n(a, b) with the measurements generated at the true parameter, exactly.
Rational exact_cost(const Rational& a, const Rational& b, int m, int n) {
  const ExactRun at = exact_run(a, b, m, n), truth = exact_run(1, Rational(1, 2), m, n);
  Rational sum = 0;
  for (int i = 0; i <= m; ++i) {
    const Rational d = at.final_profile[i] - truth.final_profile[i];
    sum += (i == 0 || i == m ? Rational(1, 2) : Rational(1)) * d * d;
  }
  Rational cost = at.front.back() * sum / m;
  const Rational ds = at.front.back() - truth.front.back();
  cost += ds * ds;
  Rational front_sum = 0;
  for (int j = 0; j < n; ++j) {
    const Rational d = at.front_temperature[j] - truth.front_temperature[j];
    front_sum += d * d;
  }
  return cost + Rational(1, 2) / n * front_sum;
}

}  // namespace

TEST_CASE("the cost DAG encloses the exact discrete cost", "[stefan][inverse]") {
  const stefan::InverseProblem pr = rational_problem();
  for (auto [m, n] : {std::pair{2, 2}, std::pair{3, 4}}) {
    const stefan::DiscreteCost dc = stefan::discrete_cost(pr, m, n);
    REQUIRE(dc.spec.graph.variable_count() == 2);
    REQUIRE(dc.truth_cost);
    for (auto [a, b] : {std::pair{Rational(1), Rational(1, 2)}, std::pair{Rational(3, 2), Rational(1, 5)},
                        std::pair{Rational(0), Rational(1)}}) {
      const std::vector<MpInterval> at{MpInterval::enclose(a, 200), MpInterval::enclose(b, 200)};
      const auto e = expr::evaluate<MpInterval>(dc.spec.graph, dc.cost, at, {200});
      REQUIRE(expr::is_defined_everywhere(e.decoration));
      const Rational exact = exact_cost(a, b, m, n);
      INFO("m = " << m << ", n = " << n << ", a = " << a << ", b = " << b);
      CHECK(e.value.contains(exact));
    }
    // Rational data at a rational true parameter: I_n(p*) folds to exactly 0.
    const auto t = expr::evaluate<MpInterval>(dc.spec.graph, *dc.truth_cost,
                                              std::vector<MpInterval>{MpInterval::enclose(Rational(1), 64),
                                                                      MpInterval::enclose(Rational(1, 2), 64)},
                                              {64});
    CHECK(t.value.contains(Rational(0)));
    CHECK(t.value.upper_up() == 0);
  }
}

TEST_CASE("data generated at a true control: I_n* = 0 certified and the control recovered", "[stefan][inverse]") {
  const stefan::InverseResult r = stefan::solve_inverse(rational_problem());
  REQUIRE(r.grids.size() == 2);
  for (const auto& g : r.grids) {
    INFO("grid " << g.m << " x " << g.n << ": " << g.certificate_check);
    CHECK(g.certified);
    CHECK(g.minimizers_certified);
    CHECK(g.search.lower <= 0);
    CHECK(g.search.upper >= 0);
    REQUIRE(g.truth_in_box);
    CHECK(*g.truth_in_box);
    REQUIRE(g.minimizer_box.size() == 2);
    CHECK(g.minimizer_box[0].width() < 1e-3);
    CHECK(g.minimizer_box[1].width() < 1e-3);
    for (const auto& s : g.slabs) CHECK((s.verdict == "proven" || s.verdict == "empty"));
  }
  CHECK(r.grids[1].m == 4);
  CHECK(r.grids[1].n == 4);
  CHECK(r.verdict == "proven");
}

TEST_CASE("travelling-wave data: I_n* > 0 certified on each grid and decreasing", "[stefan][inverse]") {
  // u = exp(t + s0 - x) - 1, s = s0 + t (a = gamma = 1, chi = 0): the flux
  // -u_x(0, t) = exp(t + q) with q = s0 = 1/2 and the front speed p = 1.
  stefan::InverseProblem pr;
  for (const char* v : {"q", "p", "t", "x"}) pr.graph.add_variable(v);
  pr.parameters = {domain("q", 0, 1), domain("p", Rational(1, 2), Rational(3, 2))};
  pr.flux = expr::parse_expression("exp(t + q)", pr.graph);
  pr.front = expr::parse_expression("1/2 + p * t", pr.graph);
  pr.initial = expr::parse_expression("exp(1/2 - x) - 1", pr.graph);
  pr.final_temperature = expr::parse_expression("exp(1 - x) - 1", pr.graph);
  pr.final_front = expr::parse_expression("1", pr.graph);
  pr.front_temperature = expr::parse_expression("0", pr.graph);
  pr.s0 = Rational(1, 2);
  pr.final_time = Rational(1, 2);
  pr.true_parameter = std::vector<Rational>{Rational(1, 2), Rational(1)};
  pr.m0 = 2;
  pr.n0 = 2;
  pr.levels = 2;
  const stefan::InverseResult r = stefan::solve_inverse(pr);
  REQUIRE(r.grids.size() == 2);
  for (const auto& g : r.grids) {
    INFO("grid " << g.m << " x " << g.n << ": " << g.certificate_check);
    CHECK(g.certified);
    CHECK(g.minimizers_certified);
    CHECK(g.search.lower > 0);
    REQUIRE(g.truth_cost);
    CHECK(g.search.upper <= g.truth_cost->upper());  // I_n* <= I_n(p*)
  }
  CHECK(r.grids[1].search.upper < r.grids[0].search.lower);
  CHECK(r.verdict == "proven");
}

TEST_CASE("ill-posed inverse problems are rejected", "[stefan][inverse]") {
  const expr::SourceLocation at{"test", 1, 1};
  auto expect = [&](const stefan::InverseProblem& pr, const std::string& message) {
    CHECK_THROWS_WITH(stefan::validate(pr, at), Catch::Contains(message));
  };
  CHECK_NOTHROW(stefan::validate(rational_problem(), at));
  auto pr = rational_problem();
  pr.true_parameter.reset();
  expect(pr, "true_parameter");
  pr = rational_problem();
  (*pr.true_parameter)[0] = 3;
  expect(pr, "outside its domain");
  pr = rational_problem();
  pr.s0 = 0;
  expect(pr, "s0 must be positive");
  pr = rational_problem();
  pr.m0 = 1;
  expect(pr, "grid sizes");
  pr = rational_problem();
  pr.theta = 2;
  expect(pr, "theta");
  pr = rational_problem();
  pr.parameters[1].upper.reset();
  expect(pr, "bounded domain");
  pr = rational_problem();
  pr.diffusivity = -1;
  expect(pr, "diffusivity");
  pr = rational_problem();
  pr.front = expr::parse_expression("1 + b * (t + 1/10)", pr.graph);
  expect(pr, "must equal s0 at t = 0");
}

TEST_CASE("a variable diffusivity a(x) in the inverse problem: I_n* = 0 certified and the control recovered",
          "[stefan][inverse]") {
  stefan::InverseProblem pr = rational_problem();
  pr.diffusivity_field = expr::parse_expression("1 + x / 4", pr.graph);
  pr.levels = 1;
  const stefan::InverseResult r = stefan::solve_inverse(pr);
  REQUIRE(r.grids.size() == 1);
  const auto& g = r.grids[0];
  CHECK(g.certified);
  CHECK(g.minimizers_certified);
  REQUIRE(g.truth_in_box);
  CHECK(*g.truth_in_box);
  CHECK(r.verdict == "proven");
  // The cost differs from the constant-diffusivity one (a enters the DAG).
  stefan::InverseProblem constant = rational_problem();
  constant.levels = 1;
  const auto dc = stefan::discrete_cost(constant, 2, 2);
  const auto dv = stefan::discrete_cost(pr, 2, 2);
  CHECK(dv.spec.graph.size() > dc.spec.graph.size());
}
