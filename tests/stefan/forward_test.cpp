#include <catch2/catch.hpp>

#include <cerval/stefan/exact.hpp>
#include <cerval/stefan/forward.hpp>

#include <cmath>
#include <random>

using cerval::numeric::Interval;
using cerval::numeric::Rational;
using namespace cerval::stefan;

TEST_CASE("forward: the travelling wave is reproduced within its certified error bound") {
  for (auto left : {LeftCondition::Dirichlet, LeftCondition::Flux}) {
    const ExactProblem ex = travelling_wave_problem(left, 1, 1, Rational(1, 2), 0, 1);
    const ForwardSolution sol = solve_forward(ex.problem, {16, 16, Rational(1)});
    REQUIRE(sol.certified);
    CHECK(sol.steps == 16);
    const CertifiedError e = certified_error(sol, ex);
    REQUIRE(e.valid);
    CHECK(e.profile < 0.05);
    CHECK(e.front < 0.01);
    // The exact front and temperature at T lie within the certified bounds of the discrete ones.
    const Interval sT = ex.exact.front(1);
    CHECK((sol.front.back() + Interval(-e.front, e.front)).contains(sT));
    for (int i = 0; i < sol.m; ++i) {
      const Interval u = ex.exact.temperature(Interval::enclose(Rational(i, sol.m)) * sT, 1);
      CHECK((sol.profile[static_cast<std::size_t>(i)] + Interval(-e.profile, e.profile)).contains(u));
    }
    // The floating-point solution of the same equations lies in the enclosures.
    const ForwardApproximation d = solve_forward_double(ex.problem, {16, 16, Rational(1)});
    CHECK(sol.front.back().contains(d.front.back()));
    CHECK(sol.front_increase_certified);
    CHECK(sol.nonnegative_certified);
  }
}

TEST_CASE("forward: discrete maximum principle (s nondecreasing, z >= 0) on random nonnegative data") {
  std::mt19937 rng(20261129);
  std::uniform_int_distribution<int> d(1, 20);
  for (int trial = 0; trial < 6; ++trial) {
    // z0 = c1 (1 - xi) + c2 (1 - xi)^2 + c3 xi (1 - xi) >= 0, g = z0(0) = c1 + c2, s0 and a random.
    const Rational c1(d(rng), 10), c2(d(rng), 10), c3(d(rng), 10), s0(d(rng), 10), a(d(rng), 10);
    ForwardProblem p;
    p.a = a;
    p.gamma = Rational(d(rng), 10);
    p.t0 = 0;
    p.final_time = Rational(1, 2);
    p.left = trial % 2 ? LeftCondition::Flux : LeftCondition::Dirichlet;
    const Interval g = Interval::enclose(c1 + c2);
    p.left_value = [&, g](const Rational&) { return p.left == LeftCondition::Flux ? Interval::enclose(c1 * a / s0) : g; };
    p.initial_front = [s0] { return Interval::enclose(s0); };
    p.initial_profile = [c1, c2, c3](int m) {
      std::vector<Interval> z;
      for (int i = 0; i <= m; ++i) {
        const Rational xi(i, m);
        z.push_back(Interval::enclose(c1 * (1 - xi) + c2 * (1 - xi) * (1 - xi) + c3 * xi * (1 - xi)));
      }
      return z;
    };
    const ForwardSolution sol = solve_forward(p, {8, 16, Rational(1)});
    INFO("trial " << trial << ": " << sol.failure);
    REQUIRE(sol.certified);
    CHECK(sol.front_increase_certified);
    CHECK_FALSE(sol.front_decrease_found);
    CHECK(sol.nonnegative_certified);
    for (std::size_t j = 1; j < sol.front.size(); ++j) CHECK(sol.front[j].lower() >= sol.front[j - 1].upper());
  }
}

TEST_CASE("forward: the conservation identity residual shrinks under refinement (flux problem)") {
  const ExactProblem ex = travelling_wave_problem(LeftCondition::Flux, 1, 1, Rational(1, 2), 0, Rational(1, 2));
  double previous = 1e300;
  for (int m : {8, 16, 32}) {
    const ForwardSolution sol = solve_forward(ex.problem, {m, m, Rational(1)});
    REQUIRE(sol.certified);
    REQUIRE(sol.identity_residual.is_bounded());
    CHECK(sol.identity_residual.width() < 1e-9);
    const double r = sol.identity_residual.mag();
    CHECK(r < previous / 1.6);  // O(h + tau): about halves with the grid
    previous = r;
  }
  // The first-moment identity for the Dirichlet problem.
  const ExactProblem dir = neumann_forward_problem(NeumannCase::Dirichlet, 1, Rational(1, 4), 1, 30);
  const ForwardSolution a = solve_forward(dir.problem, {4, 64, Rational(1, 2)});
  const ForwardSolution b = solve_forward(dir.problem, {8, 128, Rational(1, 2)});
  REQUIRE(a.certified);
  REQUIRE(b.certified);
  CHECK(b.identity_residual.mag() < a.identity_residual.mag() / 2);
}

TEST_CASE("forward: Crank-Nicolson shows order close to 2 on the Neumann problem") {
  const ExactProblem ex = neumann_forward_problem(NeumannCase::Dirichlet, 1, Rational(1, 4), 1, 30);
  const ForwardSolution a = solve_forward(ex.problem, {4, 64, Rational(1, 2)});
  const ForwardSolution b = solve_forward(ex.problem, {8, 128, Rational(1, 2)});
  const CertifiedError ea = certified_error(a, ex), eb = certified_error(b, ex);
  REQUIRE(ea.valid);
  REQUIRE(eb.valid);
  CHECK(std::log2(ea.profile / eb.profile) > 1.8);
  CHECK(std::log2(ea.front / eb.front) > 1.8);
  // The exact front lies within the certified bound of the discrete one.
  CHECK((b.front.back() + Interval(-eb.front, eb.front)).contains(ex.exact.front(1)));
}

TEST_CASE("forward: bad grids and data are rejected") {
  const ExactProblem ex = travelling_wave_problem(LeftCondition::Dirichlet, 1, 1, 1, 0, 1);
  CHECK_THROWS_AS(solve_forward(ex.problem, {1, 8, Rational(1)}), std::invalid_argument);
  CHECK_THROWS_AS(solve_forward(ex.problem, {8, 0, Rational(1)}), std::invalid_argument);
  CHECK_THROWS_AS(solve_forward(ex.problem, {8, 8, Rational(1, 4)}), std::invalid_argument);
  ForwardProblem p = ex.problem;
  p.t0 = 1;
  CHECK_THROWS_AS(solve_forward(p, {8, 8, Rational(1)}), std::invalid_argument);
  p = ex.problem;
  p.a = 0;
  CHECK_THROWS_AS(solve_forward(p, {8, 8, Rational(1)}), std::invalid_argument);
  p = ex.problem;
  p.initial_front = [] { return Interval(-1.0, 1.0); };
  CHECK_THROWS_AS(solve_forward(p, {8, 8, Rational(1)}), std::invalid_argument);
  CHECK_THROWS_AS(travelling_wave_problem(LeftCondition::Flux, 1, 1, 0, 0, 1), std::invalid_argument);
  CHECK_THROWS_AS(neumann_forward_problem(NeumannCase::Flux, 1, 0, 1), std::invalid_argument);
}

// Long double arithmetic: an independent, more accurate solution of the
// discrete equations (secant iteration on the front residual), which must
// lie in the certified enclosures (the widths are ~1e-13, the long double
// errors ~1e-18).
template <>
struct cerval::stefan::SchemeConstant<long double> {
  static long double make(const Rational& q) {
    return static_cast<long double>(q.convert_to<double>()) +
           static_cast<long double>((q - cerval::numeric::to_rational(q.convert_to<double>())).convert_to<double>());
  }
};

TEST_CASE("forward: the enclosures contain an independent long double solution of the discrete equations") {
  for (Rational theta : {Rational(1), Rational(1, 2)})
    for (auto left : {LeftCondition::Dirichlet, LeftCondition::Flux}) {
      const int m = 5, n = 6;
      const Rational tau(1, 10 * n), s0(3, 4), g(3, 2), q(2);
      ForwardProblem p;
      p.left = left;
      p.t0 = 0;
      p.final_time = Rational(1, 10);
      p.left_value = [&](const Rational&) { return Interval::enclose(left == LeftCondition::Flux ? q : g); };
      p.initial_front = [&] { return Interval::enclose(s0); };
      auto z0 = [&](int i) { return g * (1 - Rational(i, m)) * (1 - Rational(i, m) / 3); };  // z0(0) = g, z0(1) = 0
      p.initial_profile = [&](int mm) {
        std::vector<Interval> z;
        for (int i = 0; i <= mm; ++i) z.push_back(Interval::enclose(z0(i)));
        return z;
      };
      const ForwardSolution sol = solve_forward(p, {m, n, theta});
      REQUIRE(sol.certified);
      using L = long double;
      LandauScheme<L> sc{1, 0, 0, 0, 1, theta, tau, left, RightCondition::Dirichlet};
      std::vector<L> z;
      for (int i = 0; i <= m; ++i) z.push_back(scheme_constant<L>(z0(i)));
      L s = scheme_constant<L>(s0);
      const L lv = scheme_constant<L>(left == LeftCondition::Flux ? q : g);
      for (int j = 0; j < n; ++j) {
        const LandauLevel<L> l0{s, lv, 0, 0, {}, {}, {}, {}};
        auto residual = [&](L sigma) {
          const LandauLevel<L> l1{sigma, lv, 0, 0, {}, {}, {}, {}};
          return landau_front_residual(sc, z, landau_theta_step(sc, z, l0, l1), l0, l1);
        };
        L a = s, b = s + 0.01L, ra = residual(a), rb = residual(b);
        for (int it = 0; it < 60 && rb != ra; ++it) {
          const L c = b - rb * (b - a) / (rb - ra);
          a = b, ra = rb, b = c, rb = residual(b);
        }
        z = landau_theta_step(sc, z, l0, LandauLevel<L>{b, lv, 0, 0, {}, {}, {}, {}});
        s = b;
        const Interval& S = sol.front[static_cast<std::size_t>(j + 1)];
        CHECK(static_cast<L>(S.lower()) <= s);
        CHECK(s <= static_cast<L>(S.upper()));
        CHECK(S.width() < 1e-10);  // a meaningful check: the enclosures are narrow
      }
      for (int i = 0; i <= m; ++i) {
        const Interval& Z = sol.profile[static_cast<std::size_t>(i)];
        CHECK(static_cast<L>(Z.lower()) <= z[i]);
        CHECK(z[i] <= static_cast<L>(Z.upper()));
      }
    }
}

TEST_CASE("forward: fine grids stay certified with narrow enclosures (implicit, residual form)") {
  // Before the residual form the widths grew through the interval Thomas
  // algorithm (m = n = 1000 stopped at step 631); here (200, 200) must stay
  // narrow and contain the double solution of the same equations.
  const ExactProblem ex = neumann_forward_problem(NeumannCase::Dirichlet, 1, Rational(1, 4), 1, 30);
  const ForwardGrid grid{200, 200, Rational(1)};
  const ForwardSolution sol = solve_forward(ex.problem, grid);
  INFO(sol.failure);
  REQUIRE(sol.certified);
  CHECK(sol.max_front_width < 1e-10);
  CHECK(sol.max_profile_width < 1e-10);
  const ForwardApproximation d = solve_forward_double(ex.problem, grid);
  CHECK(sol.front.back().contains(d.front.back()));
  for (std::size_t i = 0; i < d.profile.size(); ++i) CHECK(sol.profile[i].contains(d.profile[i]));
  const CertifiedError e = certified_error(sol, ex);
  REQUIRE(e.valid);
  CHECK((sol.front.back() + Interval(-e.front, e.front)).contains(ex.exact.front(1)));
}
