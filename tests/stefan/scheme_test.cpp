#include <catch2/catch.hpp>

#include <cerval/stefan/scheme.hpp>

#include <random>

using cerval::expr::Dual;
using cerval::numeric::Interval;
using cerval::numeric::Rational;
using namespace cerval::stefan;

// Exact rational arithmetic: the exact solution of the discrete equations.
template <>
struct cerval::stefan::SchemeConstant<Rational> {
  static Rational make(const Rational& q) { return q; }
};

namespace {

template <class T>
LandauScheme<T> make_scheme(const Rational& theta, LeftCondition left, RightCondition right) {
  LandauScheme<T> s;
  s.a = scheme_constant<T>(Rational(3, 2));
  s.b = scheme_constant<T>(Rational(1, 4));
  s.c = scheme_constant<T>(Rational(-1, 3));
  s.f = scheme_constant<T>(Rational(1, 10));
  s.gamma = scheme_constant<T>(Rational(2));
  s.theta = theta;
  s.tau = Rational(1, 30);
  s.left = left;
  s.right = right;
  return s;
}

template <class T>
LandauLevel<T> make_level(const Rational& s, const Rational& left, const Rational& mu, const Rational& chi) {
  return {scheme_constant<T>(s), scheme_constant<T>(left), scheme_constant<T>(mu), scheme_constant<T>(chi), {}, {}, {}, {}};
}

template <class T>
std::vector<T> constants(const std::vector<Rational>& q) {
  std::vector<T> v;
  for (const auto& x : q) v.push_back(scheme_constant<T>(x));
  return v;
}

}  // namespace

TEST_CASE("theta-step in intervals contains the exact rational solution of the discrete equations") {
  std::mt19937 rng(6);
  std::uniform_int_distribution<int> d(0, 100);
  for (Rational theta : {Rational(1), Rational(1, 2), Rational(3, 4)})
    for (auto left : {LeftCondition::Dirichlet, LeftCondition::Flux})
      for (auto right : {RightCondition::Dirichlet, RightCondition::Stefan}) {
        const int m = 2 + d(rng) % 7;
        std::vector<Rational> z0;
        for (int i = 0; i <= m; ++i) z0.push_back(Rational(d(rng), 37));
        const Rational s0(7, 5), s1(29, 20);
        const Rational g0(d(rng), 50), g1(d(rng), 50), mu0(1, 7), mu1(1, 9), chi0(1, 3), chi1(2, 5);
        const auto exact = landau_theta_step(make_scheme<Rational>(theta, left, right), z0,
                                             make_level<Rational>(s0, g0, mu0, chi0), make_level<Rational>(s1, g1, mu1, chi1));
        const auto box = landau_theta_step(make_scheme<Interval>(theta, left, right), constants<Interval>(z0),
                                           make_level<Interval>(s0, g0, mu0, chi0), make_level<Interval>(s1, g1, mu1, chi1));
        const auto point = landau_theta_step(make_scheme<double>(theta, left, right), constants<double>(z0),
                                             make_level<double>(s0, g0, mu0, chi0), make_level<double>(s1, g1, mu1, chi1));
        REQUIRE(box.size() == exact.size());
        for (std::size_t i = 0; i < exact.size(); ++i) {
          CHECK(box[i].contains(Interval::enclose(exact[i])));
          CHECK(box[i].width() < 1e-12);
          // The double path is a rounded evaluation of the same equations.
          CHECK(std::abs(point[i] - exact[i].convert_to<double>()) < 1e-12);
        }
        if (left == LeftCondition::Dirichlet) CHECK(exact[0] == g1);
        if (right == RightCondition::Dirichlet) CHECK(exact[m] == mu1);
      }
}

TEST_CASE("theta-step: the implicit scheme reproduces a linear-in-xi steady state") {
  // u = 1 - x/s with s fixed, a u_xx = 0, b = c = f = 0: z = 1 - xi is exact for the scheme.
  LandauScheme<Rational> sc;
  sc.a = 1;
  sc.b = sc.c = sc.f = 0;
  sc.gamma = 1;
  sc.theta = Rational(1, 2);
  sc.tau = Rational(1, 10);
  const int m = 6;
  std::vector<Rational> z;
  for (int i = 0; i <= m; ++i) z.push_back(1 - Rational(i, m));
  const LandauLevel<Rational> lv{Rational(2), Rational(1), Rational(0), Rational(0), {}, {}, {}, {}};
  CHECK(landau_theta_step(sc, z, lv, lv) == z);
  CHECK(landau_right_slope(z) == Rational(-1));
}

TEST_CASE("theta-step in Dual<Interval>: the derivative in s_{j+1} contains the difference quotient") {
  using D = Dual<Interval>;
  const auto theta = Rational(1, 2);
  const std::vector<Rational> z0 = {Rational(1), Rational(3, 4), Rational(1, 2), Rational(1, 5), Rational(0)};
  const Rational s0(1), s1(11, 10), s2(111, 100);
  const auto level0 = make_level<Rational>(s0, 1, 0, 0);
  for (auto left : {LeftCondition::Dirichlet, LeftCondition::Flux}) {
    const auto sr = make_scheme<Rational>(theta, left, RightCondition::Dirichlet);
    const auto za = landau_theta_step(sr, z0, level0, make_level<Rational>(s1, 1, 0, 0));
    const auto zb = landau_theta_step(sr, z0, level0, make_level<Rational>(s2, 1, 0, 0));
    LandauLevel<D> new_level = make_level<D>(s1, 1, 0, 0);
    new_level.s = D::variable(Interval::enclose(s1, s2), 0, 1);
    const auto zd = landau_theta_step(make_scheme<D>(theta, left, RightCondition::Dirichlet), constants<D>(z0),
                                      make_level<D>(s0, 1, 0, 0), new_level);
    for (std::size_t i = 1; i + 1 < z0.size(); ++i) {
      const Rational q = (zb[i] - za[i]) / (s2 - s1);
      REQUIRE(zd[i].grad.size() == 1);
      CHECK(zd[i].grad[0].contains(Interval::enclose(q)));  // mean-value theorem
      CHECK(zd[i].value.contains(Interval::enclose(za[i])));
    }
    const auto rd = landau_front_residual(make_scheme<D>(theta, left, RightCondition::Dirichlet), constants<D>(z0), zd,
                                          make_level<D>(s0, 1, 0, 0), new_level);
    const Rational ra = landau_front_residual(sr, z0, za, level0, make_level<Rational>(s1, 1, 0, 0));
    const Rational rb = landau_front_residual(sr, z0, zb, level0, make_level<Rational>(s2, 1, 0, 0));
    CHECK(rd.grad[0].contains(Interval::enclose((rb - ra) / (s2 - s1))));
  }
}

TEST_CASE("theta-step rejects a grid with m < 2") {
  const auto sc = make_scheme<double>(Rational(1), LeftCondition::Dirichlet, RightCondition::Dirichlet);
  const auto lv = make_level<double>(1, 1, 0, 0);
  CHECK_THROWS_AS(landau_theta_step(sc, std::vector<double>{1.0, 0.0}, lv, lv), std::invalid_argument);
}

TEST_CASE("theta-step pivots: positive enclosures for an M-matrix, equal to the rational pivots") {
  for (auto left : {LeftCondition::Dirichlet, LeftCondition::Flux}) {
    const auto piv = landau_theta_pivots(make_scheme<Interval>(Rational(1, 2), left, RightCondition::Dirichlet), 6,
                                         make_level<Interval>(Rational(1), 1, 0, 0), make_level<Interval>(Rational(11, 10), 1, 0, 0));
    const auto exact = landau_theta_pivots(make_scheme<Rational>(Rational(1, 2), left, RightCondition::Dirichlet), 6,
                                           make_level<Rational>(Rational(1), 1, 0, 0), make_level<Rational>(Rational(11, 10), 1, 0, 0));
    REQUIRE(piv.size() == exact.size());
    CHECK(piv.size() == (left == LeftCondition::Flux ? 6u : 5u));
    for (std::size_t r = 0; r < piv.size(); ++r) {
      CHECK(piv[r].contains(Interval::enclose(exact[r])));
      CHECK(piv[r].certainly_gt(0.0));
    }
  }
}

TEST_CASE("theta-step with per-node coefficients: intervals contain the exact rational solution") {
  std::mt19937 rng(61);
  std::uniform_int_distribution<int> d(1, 100);
  for (Rational theta : {Rational(1), Rational(1, 2)})
    for (auto left : {LeftCondition::Dirichlet, LeftCondition::Flux})
      for (auto right : {RightCondition::Dirichlet, RightCondition::Stefan}) {
        const int m = 3 + d(rng) % 6;
        std::vector<Rational> z0;
        for (int i = 0; i <= m; ++i) z0.push_back(Rational(d(rng), 37));
        auto level = [&](const Rational& s, const Rational& t) {
          // a = 1 + x/2 + t, b = t x, c = -x/4, f = x t at x = xi_i s (exact).
          LandauLevel<Rational> lv{s, Rational(d(rng), 50), Rational(1, 7), Rational(1, 3), {}, {}, {}, {}};
          for (int i = 0; i <= m; ++i) {
            const Rational x = Rational(i, m) * s;
            lv.a.push_back(1 + x / 2 + t);
            lv.b.push_back(t * x);
            lv.c.push_back(-x / 4);
            lv.source.push_back(x * t);
          }
          return lv;
        };
        const auto l0 = level(Rational(7, 5), 0), l1 = level(Rational(29, 20), Rational(1, 30));
        auto as_interval = [](const LandauLevel<Rational>& lv) {
          return LandauLevel<Interval>{Interval::enclose(lv.s), Interval::enclose(lv.left), Interval::enclose(lv.mu),
                                       Interval::enclose(lv.chi), constants<Interval>(lv.source),
                                       constants<Interval>(lv.a), constants<Interval>(lv.b), constants<Interval>(lv.c)};
        };
        const auto sr = make_scheme<Rational>(theta, left, right);
        const auto si = make_scheme<Interval>(theta, left, right);
        const auto exact = landau_theta_step(sr, z0, l0, l1);
        const auto box = landau_theta_step(si, constants<Interval>(z0), as_interval(l0), as_interval(l1));
        REQUIRE(box.size() == exact.size());
        for (std::size_t i = 0; i < exact.size(); ++i) {
          CHECK(box[i].contains(Interval::enclose(exact[i])));
          CHECK(box[i].width() < 1e-12);
        }
        const Rational r = landau_front_residual(sr, z0, exact, l0, l1);
        const Interval ri = landau_front_residual(si, constants<Interval>(z0), box, as_interval(l0), as_interval(l1));
        CHECK(ri.contains(Interval::enclose(r)));
        // Constant per-node values give the scheme's constant-coefficient step.
        LandauLevel<Rational> c0 = l0, c1 = l1;
        for (auto* lv : {&c0, &c1}) {
          lv->a.assign(static_cast<std::size_t>(m) + 1, Rational(3, 2));
          lv->b.assign(static_cast<std::size_t>(m) + 1, Rational(1, 4));
          lv->c.assign(static_cast<std::size_t>(m) + 1, Rational(-1, 3));
          lv->source.assign(static_cast<std::size_t>(m) + 1, Rational(1, 10));
        }
        LandauLevel<Rational> k0 = c0, k1 = c1;
        for (auto* lv : {&k0, &k1}) lv->a.clear(), lv->b.clear(), lv->c.clear(), lv->source.clear();
        CHECK(landau_theta_step(sr, z0, c0, c1) == landau_theta_step(sr, z0, k0, k1));
      }
}

TEST_CASE("theta-step in residual form: exactly the same solution, and a narrow enclosure near it") {
  std::mt19937 rng(62);
  std::uniform_int_distribution<int> d(1, 100);
  for (Rational theta : {Rational(1), Rational(1, 2)})
    for (auto left : {LeftCondition::Dirichlet, LeftCondition::Flux})
      for (auto right : {RightCondition::Dirichlet, RightCondition::Stefan}) {
        const int m = 2 + d(rng) % 7;
        std::vector<Rational> z0, guess;
        for (int i = 0; i <= m; ++i) z0.push_back(Rational(d(rng), 37)), guess.push_back(Rational(d(rng), 41));
        const auto sr = make_scheme<Rational>(theta, left, right);
        const auto l0 = make_level<Rational>(Rational(7, 5), Rational(1, 3), Rational(1, 7), Rational(1, 3));
        const auto l1 = make_level<Rational>(Rational(29, 20), Rational(2, 5), Rational(1, 9), Rational(2, 5));
        const auto exact = landau_theta_step(sr, z0, l0, l1);
        // Exact arithmetic: any guess gives the same z (M^{-1} rhs).
        CHECK(landau_theta_step_near(sr, z0, guess, l0, l1) == exact);
        // Intervals from a guess close to the solution (its double rounding).
        std::vector<Interval> near;
        for (const auto& x : exact) near.push_back(Interval(x.convert_to<double>()));
        const auto si = make_scheme<Interval>(theta, left, right);
        const auto li0 = make_level<Interval>(Rational(7, 5), Rational(1, 3), Rational(1, 7), Rational(1, 3));
        const auto li1 = make_level<Interval>(Rational(29, 20), Rational(2, 5), Rational(1, 9), Rational(2, 5));
        std::vector<Interval> pivots;
        const auto box = landau_theta_step_near(si, constants<Interval>(z0), near, li0, li1, &pivots);
        const auto plain_pivots = landau_theta_pivots(si, static_cast<std::size_t>(m), li0, li1);
        REQUIRE(pivots.size() == plain_pivots.size());
        for (std::size_t r = 0; r < pivots.size(); ++r) CHECK(pivots[r].contains(plain_pivots[r].midpoint()));
        for (std::size_t i = 0; i < exact.size(); ++i) {
          CHECK(box[i].contains(Interval::enclose(exact[i])));
          CHECK(box[i].width() < 1e-13);
        }
      }
}
