#include <catch2/catch.hpp>

#include <cerval/stefan/general.hpp>
#include <cerval/stefan/spec.hpp>

#include "rejection.hpp"

#include <cmath>
#include <string>

using cerval::numeric::Interval;
using cerval::numeric::Rational;
using namespace cerval::stefan;

namespace {

// The manufactured problem of specs/stefan/general-manufactured.spec:
// u = (s - x)(1 + x), s = 1/2 + t/4, a = 1 + x/2, b = t/2, c = -x/4.
const char* kManufactured = R"(
stefan
  problem general;
  diffusivity 1 + x/2;
  convection t/2;
  reaction -x/4;
  source -2*(1 + x/2) + (t/2)*(1/2 + t/4 - 1 - 2*x) - (x/4)*(1/2 + t/4 - x)*(1 + x) - (1 + x)/4;
  boundary dirichlet;
  boundary_value 1/2 + t/4;
  initial (1/2 - x)*(1 + x);
  initial_front 1/2;
  chi -(1 + (1/2 + t/4)/2)*(1 + (1/2 + t/4)) + 1/4;
  exact_temperature (1/2 + t/4 - x)*(1 + x);
  exact_front 1/2 + t/4;
  final_time 1;
  scheme implicit;
end
)";

// The same data as exact rationals: coefficients at (x, t), for the exact discrete equations.
Rational a_of(const Rational& x, const Rational&) { return 1 + x / 2; }
Rational b_of(const Rational&, const Rational& t) { return t / 2; }
Rational c_of(const Rational& x, const Rational&) { return -x / 4; }
Rational f_of(const Rational& x, const Rational& t) {
  const Rational s = Rational(1, 2) + t / 4;
  return -2 * (1 + x / 2) + (t / 2) * (s - 1 - 2 * x) - (x / 4) * (s - x) * (1 + x) - (1 + x) / 4;
}
Rational chi_of(const Rational& t) {
  const Rational s = Rational(1, 2) + t / 4;
  return -(1 + s / 2) * (1 + s) + Rational(1, 4);
}

}  // namespace

template <>
struct cerval::stefan::SchemeConstant<Rational> {
  static Rational make(const Rational& q) { return q; }
};

TEST_CASE("general problem: the enclosure contains the exact solution of the discrete equations (one step)") {
  const StefanSpec spec = parse_stefan_spec(kManufactured, "t.spec");
  REQUIRE(spec.general);
  const ExactProblem ex = general_problem(*spec.general);
  const int m = 4;
  const ForwardSolution sol = solve_forward(ex.problem, {m, 1, Rational(1)});
  INFO(sol.failure);
  REQUIRE(sol.certified);
  // Exact rational arithmetic: s_1 is the root of the front residual; bisect it.
  const Rational tau = 1, t1 = 1;
  LandauScheme<Rational> sc;
  sc.a = 1;
  sc.b = sc.c = sc.f = 0;
  sc.gamma = 1;
  sc.theta = 1;
  sc.tau = tau;
  auto level = [&](const Rational& s, const Rational& t) {
    LandauLevel<Rational> lv{s, Rational(1, 2) + t / 4, 0, chi_of(t), {}, {}, {}, {}};
    for (int i = 0; i <= m; ++i) {
      const Rational x = Rational(i, m) * s;
      lv.a.push_back(a_of(x, t));
      lv.b.push_back(b_of(x, t));
      lv.c.push_back(c_of(x, t));
      lv.source.push_back(f_of(x, t));
    }
    return lv;
  };
  std::vector<Rational> z0;
  for (int i = 0; i <= m; ++i) {
    const Rational x = Rational(i, 2 * m);
    z0.push_back((Rational(1, 2) - x) * (1 + x));
  }
  const LandauLevel<Rational> l0 = level(Rational(1, 2), 0);
  auto residual = [&](const Rational& s1) {
    const LandauLevel<Rational> l1 = level(s1, t1);
    return landau_front_residual(sc, z0, landau_theta_step(sc, z0, l0, l1), l0, l1);
  };
  INFO("s_1 in [" << sol.front[1].lower() << ", " << sol.front[1].upper() << "]");
  Rational lo(1, 2), hi(1);
  REQUIRE(residual(lo) < 0);
  REQUIRE(residual(hi) > 0);
  for (int k = 0; k < 60; ++k) {
    const Rational mid = (lo + hi) / 2;
    (residual(mid) < 0 ? lo : hi) = mid;
  }
  // The root lies in [lo, hi]; both ends inside the enclosure of s_1.
  CHECK(sol.front[1].contains(Interval::enclose(lo)));
  CHECK(sol.front[1].contains(Interval::enclose(hi)));
  const auto z_lo = landau_theta_step(sc, z0, l0, level(lo, t1));
  for (int i = 0; i <= m; ++i) CHECK(sol.profile[static_cast<std::size_t>(i)].contains(Interval::enclose(z_lo[i])));
}

TEST_CASE("general problem: certified errors against the manufactured solution shrink (first order)") {
  const StefanSpec spec = parse_stefan_spec(kManufactured, "t.spec");
  const ExactProblem ex = general_problem(*spec.general);
  double previous_u = 1e300, previous_s = 1e300;
  for (int m : {8, 16, 32}) {
    const ForwardSolution sol = solve_forward(ex.problem, {m, m, Rational(1)});
    INFO("m = " << m << ": " << sol.failure);
    REQUIRE(sol.certified);
    const CertifiedError e = certified_error(sol, ex);
    REQUIRE(e.valid);
    // The exact front and temperature lie within the certified bounds of the discrete ones.
    const Interval sT = ex.exact.front(1);
    CHECK((sol.front.back() + Interval(-e.front, e.front)).contains(sT));
    CHECK(e.front < previous_s / 1.7);
    CHECK(e.profile < previous_u / 1.7);
    previous_u = e.profile;
    previous_s = e.front;
    // The double solution of the same equations lies in the enclosures.
    const ForwardApproximation d = solve_forward_double(ex.problem, {m, m, Rational(1)});
    CHECK(sol.front.back().contains(d.front.back()));
    for (std::size_t i = 0; i < d.profile.size(); ++i) CHECK(sol.profile[i].contains(d.profile[i]));
    CHECK(sol.front_increase_certified);
  }
}

TEST_CASE("general problem: a diffusivity that turns nonpositive stops the certification") {
  // a = 3/4 - x is positive on [0, s0] but the front passes x = 3/4.
  const std::string text = R"(
stefan
  problem general;
  diffusivity 3/4 - x;
  boundary dirichlet;
  boundary_value 1;
  initial 1 - 2*x;
  initial_front 1/2;
  chi 2;
  final_time 1;
  scheme implicit;
end
)";
  const StefanSpec spec = parse_stefan_spec(text, "t.spec");
  const ForwardSolution sol = solve_forward(general_problem(*spec.general).problem, {8, 16, Rational(1)});
  CHECK_FALSE(sol.certified);
  CHECK(sol.failure.find("diffusivity") != std::string::npos);
}

TEST_CASE("general problem: bad input is rejected with a location") {
  const auto message = cerval::stefan::testing::rejection_message;
  const std::string head = "stefan\n problem general;\n scheme implicit;\n initial 1 - x;\n initial_front 1/2;\n";
  CHECK(message(head + " boundary_value 1;\n diffusivity x - 1/4;\nend\n").find("t.spec:7:") != std::string::npos);
  CHECK(message(head + " boundary_value 1;\n diffusivity x - 1/4;\nend\n").find("must be positive") !=
        std::string::npos);
  CHECK(message(head + " boundary_value 1;\n diffusivity -1;\nend\n").find("must be positive") != std::string::npos);
  CHECK(message(head + " boundary_value x;\nend\n").find("may not depend on x") != std::string::npos);
  CHECK(message(head + "end\n").find("boundary_value") != std::string::npos);
  CHECK(message(head + " boundary_value 1;\n exact_front 1/2 + t;\nend\n").find("exact_temperature") !=
        std::string::npos);
  CHECK(message("stefan problem travelling_wave; scheme implicit; convection 1; end").find("general") !=
        std::string::npos);
  CHECK(message("variables p in [0, 1]; stefan problem general; end").find("no 'variables'") != std::string::npos);
  // The inverse problem takes a(p, t, x) too, positive at its sample points.
  const std::string inverse = "variables q in [0, 1]; stefan problem inverse; scheme implicit; initial_front 1/2; "
                              "flux q; front 1/2 + t; initial 0; true_parameter 1/2; diffusivity ";
  CHECK(message(inverse + "1 + x; end") == "accepted");
  CHECK(message(inverse + "x - 1/8; end").find("must be positive") != std::string::npos);
}
