// Bounding forms (include/cerval/expr/forms.hpp): every form encloses f at
// every point of the box (checked at sampled exact points against 256-bit
// evaluation), the centred forms beat the natural extension where the
// dependency problem bites, and the helpers (default_center, the quadratic
// extremes, certified curvature) keep their stated guarantees.
#include <cerval/expr/forms.hpp>

#include <catch2/catch.hpp>

#include "expr/reference.hpp"

using namespace cerval;
using namespace cerval::test_expr;

namespace {

struct FormCase {
  const char* text;
  std::vector<std::pair<double, double>> domain;  // x, y, z
};

const std::vector<FormCase>& form_cases() {
  static const std::vector<FormCase> all = {
      {"x - x^2", {{-1, 2}}},
      {"x*y*z - x^2 + sin(y*z)", {{-2, 2}, {-2, 2}, {-2, 2}}},
      {"exp(x)*sin(y) - x*y", {{-2, 2}, {-3, 3}}},
      {"(x^2 - y)/(1 + z^2)", {{-2, 2}, {-2, 2}, {-2, 2}}},
      {"sqrt(1 + x^2 + y^2) - x", {{-3, 3}, {-3, 3}}},
      {"atan(x - y) * cosh(z/2)", {{-2, 2}, {-2, 2}, {-2, 2}}},
      {"abs(x - y) + min(x, z) - max(y, z)", {{-2, 2}, {-2, 2}, {-2, 2}}},
      {"x^y - log(x)*y", {{0.25, 3}, {-2, 2}}},
      {"x^4 - 3*x^2*y + y^2 + x*y", {{-1.5, 1.5}, {-1.5, 1.5}}},
      {"tanh(3*x) - x + asin(y/3)", {{-2, 2}, {-2, 2}}},
  };
  return all;
}

struct Graph {
  expr::ExprGraph g;
  expr::NodeId f = 0;
};

Graph build(const FormCase& c) {
  Graph r;
  const char* names[] = {"x", "y", "z"};
  for (std::size_t i = 0; i < c.domain.size(); ++i) r.g.add_variable(names[i]);
  r.f = expr::parse_expression(c.text, r.g);
  return r;
}

template <class I>
std::vector<expr::FormBound<I>> all_forms(const Graph& g, const std::vector<I>& box, const std::vector<double>& center,
                                          const expr::NumberFactory<I>& factory) {
  return {expr::natural_form(g.g, g.f, box, factory), expr::mean_value_form(g.g, g.f, box, center, factory),
          expr::taylor2_form(g.g, g.f, box, center, factory), expr::monotone_form(g.g, g.f, box, factory)};
}

const char* kFormNames[] = {"natural", "mean_value", "taylor2", "monotone"};

}  // namespace

TEST_CASE("every form encloses f at sampled points of the box", "[forms]") {
  std::mt19937 gen(20261128);
  for (const FormCase& c : form_cases()) {
    const Graph g = build(c);
    for (int boxes = 0; boxes < 25; ++boxes) {
      std::vector<Interval> box;
      for (const auto& [lo, hi] : c.domain) {
        // Wide boxes, narrow boxes and degenerate ones.
        const int shape = std::uniform_int_distribution<int>(0, 4)(gen);
        if (shape == 0) box.push_back(Interval(lo, hi));
        else if (shape == 1) box.push_back(Interval(uniform_in(gen, lo, hi)));
        else if (shape == 2) {
          const double a = uniform_in(gen, lo, hi);
          box.push_back(Interval(a, std::min(hi, a + 1e-3)));
        } else box.push_back(sub_interval(gen, lo, hi));
      }
      // The default centre, and now and then another point of the box.
      std::vector<double> center = expr::default_center(box);
      if (boxes % 3 == 2)
        for (std::size_t i = 0; i < box.size(); ++i) center[i] = point_in(gen, box[i]);
      const std::vector<MpInterval> mp_box = to_mp(box, 96);
      const auto binary64 = all_forms<Interval>(g, box, center, {});
      const auto mp = all_forms<MpInterval>(g, mp_box, center, {96});
      for (int it = 0; it < 12; ++it) {
        std::vector<double> p;
        for (const Interval& x : box) p.push_back(it == 0 ? x.lower() : it == 1 ? x.upper() : point_in(gen, x));
        const auto ref = mp_value(g.g, g.f, ref_box(p));
        REQUIRE(expr::is_defined_everywhere(ref.decoration));
        REQUIRE(is_tight(ref.value));
        for (std::size_t k = 0; k < binary64.size(); ++k) {
          INFO(c.text << ": form " << kFormNames[k] << " at point " << p.size() << "-d, first coordinate "
                      << hex(p[0]) << "; reference " << ref.value);
          INFO("binary64 " << binary64[k].enclosure << ", 96 bits " << mp[k].enclosure);
          // Every sampled box lies in the domain, where f is defined.
          CHECK(expr::is_defined_everywhere(binary64[k].decoration));
          CHECK(encloses(binary64[k].enclosure, ref.value));
          CHECK(encloses(mp[k].enclosure, ref.value));
        }
      }
    }
  }
}

TEST_CASE("forms report where f is not defined on the box", "[forms]") {
  expr::ExprGraph g;
  g.add_variable("x");
  const expr::NodeId f = expr::parse_expression("sqrt(x) + x", g);
  const std::vector<Interval> box{Interval(-1.0, 1.0)};
  const std::vector<double> c{0.5};
  CHECK_FALSE(expr::is_defined_everywhere(expr::natural_form(g, f, box).decoration));
  CHECK_FALSE(expr::is_defined_everywhere(expr::mean_value_form(g, f, box, c).decoration));
  CHECK_FALSE(expr::is_defined_everywhere(expr::taylor2_form(g, f, box, c).decoration));
  CHECK_FALSE(expr::is_defined_everywhere(expr::monotone_form(g, f, box).decoration));
  const std::vector<Interval> inside{Interval(0.25, 1.0)};
  CHECK(expr::is_defined_everywhere(expr::taylor2_form(g, f, inside, c).decoration));
  // Closed domain edge: sqrt is defined at 0.
  const std::vector<Interval> touching{Interval(0.0, 1.0)};
  CHECK(expr::is_defined_everywhere(expr::natural_form(g, f, touching).decoration));
  // The derivative is unbounded there, but the form stays an enclosure.
  const auto mv = expr::mean_value_form(g, f, touching, c);
  CHECK(mv.enclosure.contains(Interval(0.0, 2.0)));
}

TEST_CASE("centred forms beat the natural extension on a dependency-heavy function", "[forms]") {
  expr::ExprGraph g;
  g.add_variable("x");
  const expr::NodeId f = expr::parse_expression("x - x^2", g);
  // Near the maximiser x = 1/2.
  const std::vector<Interval> box{Interval(0.375, 0.625)};
  const auto c = expr::default_center(box);
  REQUIRE(c[0] == 0.5);
  const auto natural = expr::natural_form(g, f, box);
  const auto mean_value = expr::mean_value_form(g, f, box, c);
  const auto taylor = expr::taylor2_form(g, f, box, c);
  INFO("natural " << natural.enclosure << ", mean value " << mean_value.enclosure << ", taylor2 " << taylor.enclosure);
  CHECK(mean_value.enclosure.width() < natural.enclosure.width());
  CHECK(taylor.enclosure.width() < mean_value.enclosure.width());
  // The true range [15/64, 1/4] is inside all of them.
  for (const auto* e : {&natural, &mean_value, &taylor}) {
    CHECK(e->enclosure.contains(Interval(0.234375, 0.25)));
  }
  // Same relations at 200 bits.
  const std::vector<MpInterval> mp_box = to_mp(box, 200);
  const expr::NumberFactory<MpInterval> factory{200};
  const auto mp_natural = expr::natural_form(g, f, mp_box, factory);
  const auto mp_mean = expr::mean_value_form(g, f, mp_box, c, factory);
  const auto mp_taylor = expr::taylor2_form(g, f, mp_box, c, factory);
  CHECK(mp_mean.enclosure.width() < mp_natural.enclosure.width());
  CHECK(mp_taylor.enclosure.width() < mp_mean.enclosure.width());

  // Two variables with coupling: x^2 + x*y + y^2 around its minimiser, where
  // first-order forms gain nothing (the cluster effect) and taylor2 does.
  expr::ExprGraph g2;
  g2.add_variable("x");
  g2.add_variable("y");
  const expr::NodeId q = expr::parse_expression("x^2 + x*y + y^2", g2);
  const std::vector<Interval> box2{Interval(-0.125, 0.125), Interval(-0.125, 0.125)};
  const auto c2 = expr::default_center(box2);
  const auto n2 = expr::natural_form(g2, q, box2);
  const auto t2 = expr::taylor2_form(g2, q, box2, c2);
  INFO("natural " << n2.enclosure << ", taylor2 " << t2.enclosure);
  CHECK(t2.enclosure.width() < n2.enclosure.width());
  // The minimum 0 at the origin is enclosed, and taylor2 sees f >= 0 up to rounding.
  CHECK(t2.enclosure.contains(0.0));
  CHECK(t2.enclosure.lower() > -1e-12);
}

TEST_CASE("the monotone form is exact on monotone functions", "[forms]") {
  expr::ExprGraph g;
  g.add_variable("x");
  g.add_variable("y");
  const expr::NodeId f = expr::parse_expression("x - x^2 + y^3 - y", g);
  // Decreasing in x on [5/8, 7/8] (1 - 2x < 0), increasing in y on [1, 2]
  // (3y^2 - 1 > 0), both certain from the interval gradient.
  const std::vector<Interval> box{Interval(0.625, 0.875), Interval(1.0, 2.0)};
  const auto natural = expr::natural_form(g, f, box);
  const auto mono = expr::monotone_form(g, f, box);
  INFO("natural " << natural.enclosure << ", monotone " << mono.enclosure);
  CHECK(mono.enclosure.width() < natural.enclosure.width());
  // The bounds are attained at the corners (7/8, 1) and (5/8, 2).
  const auto low = mp_value(g, f, ref_box({0.875, 1.0}));
  const auto high = mp_value(g, f, ref_box({0.625, 2.0}));
  CHECK(encloses(mono.enclosure, low.value));
  CHECK(encloses(mono.enclosure, high.value));
  // Tight: within a few ulps of the exact range.
  CHECK(mono.enclosure.lower() >= low.value.lower_down() - 1e-12);
  CHECK(mono.enclosure.upper() <= high.value.upper_up() + 1e-12);
}

TEST_CASE("default_center: the binary64 midpoint of every coordinate", "[forms]") {
  const double inf = std::numeric_limits<double>::infinity();
  const std::vector<Interval> box{Interval(0.0, 1.0), Interval(-3.0, -1.0), Interval::entire(), Interval(2.0, inf),
                                  Interval(0.1, 0.1), Interval(-inf, -7.0)};
  const std::vector<double> c = expr::default_center(box);
  REQUIRE(c.size() == box.size());
  CHECK(c[0] == 0.5);
  CHECK(c[1] == -2.0);
  CHECK(c[2] == 0.0);
  CHECK(c[4] == 0.1);
  for (std::size_t i = 0; i < box.size(); ++i) {
    CHECK(std::isfinite(c[i]));
    CHECK(box[i].contains(c[i]));
    CHECK(c[i] == box[i].midpoint());
  }
  CHECK(expr::default_center({}).empty());
}

TEST_CASE("form names round-trip", "[forms]") {
  for (expr::Form f : {expr::Form::Natural, expr::Form::MeanValue, expr::Form::Taylor2, expr::Form::Monotone})
    CHECK(expr::form_from_string(expr::to_string(f)) == f);
  CHECK_THROWS_AS(expr::form_from_string("centered"), std::invalid_argument);
}

TEST_CASE("quadratic_extreme bounds g*d + k/2*d^2 over the interval", "[forms]") {
  std::mt19937 gen(3);
  for (int it = 0; it < 2000; ++it) {
    const double g = uniform_in(gen, -4, 4), kk = uniform_in(gen, -4, 4);
    const Interval delta = sub_interval(gen, -2, 2);
    const Interval lo = expr::detail::quadratic_extreme(Interval(g), Interval(kk), delta, true);
    const Interval hi = expr::detail::quadratic_extreme(Interval(g), Interval(kk), delta, false);
    // Exact rational values at sampled d, including the stationary point.
    std::vector<Rational> ds{numeric::to_rational(delta.lower()), numeric::to_rational(delta.upper())};
    for (int s = 0; s < 6; ++s) ds.push_back(numeric::to_rational(point_in(gen, delta)));
    if (kk != 0) {
      const Rational stationary = -numeric::to_rational(g) / numeric::to_rational(kk);
      if (stationary >= ds[0] && stationary <= ds[1]) ds.push_back(stationary);
    }
    for (const Rational& d : ds) {
      const Rational v = numeric::to_rational(g) * d + numeric::to_rational(kk) * d * d / 2;
      INFO("g " << hex(g) << " k " << hex(kk) << " delta " << delta << " lo " << lo << " hi " << hi);
      CHECK(numeric::to_rational(lo.lower()) <= v);
      CHECK(numeric::to_rational(hi.upper()) >= v);
    }
  }
}

TEST_CASE("certified_curvature: sigma bounds d^T H d for every H in the enclosure", "[forms]") {
  std::mt19937 gen(5);
  int certified = 0;
  for (int it = 0; it < 300; ++it) {
    const std::size_t n = 2 + static_cast<std::size_t>(it % 3);
    std::vector<Interval> h(n * n);
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = i; j < n; ++j) {
        const double c = i == j ? uniform_in(gen, -1, 6) : uniform_in(gen, -1.5, 1.5);
        const double r = uniform_in(gen, 0, 0.3);
        h[i * n + j] = h[j * n + i] = Interval(c - r, c + r);
      }
    for (const bool lower : {true, false}) {
      const auto sigma = expr::detail::certified_curvature(h, n, lower);
      if (!sigma) continue;
      ++certified;
      for (int s = 0; s < 20; ++s) {
        // A symmetric matrix of the enclosure (endpoints or inner points) and a direction.
        std::vector<Rational> m(n * n);
        for (std::size_t i = 0; i < n; ++i)
          for (std::size_t j = i; j < n; ++j) {
            const Interval& e = h[i * n + j];
            const int pick = std::uniform_int_distribution<int>(0, 2)(gen);
            const double v = pick == 0 ? e.lower() : pick == 1 ? e.upper() : point_in(gen, e);
            m[i * n + j] = m[j * n + i] = numeric::to_rational(v);
          }
        std::vector<Rational> d(n);
        Rational norm2 = 0;
        for (auto& di : d) {
          di = numeric::to_rational(uniform_in(gen, -1, 1));
          norm2 += di * di;
        }
        Rational quad = 0;
        for (std::size_t i = 0; i < n; ++i)
          for (std::size_t j = 0; j < n; ++j) quad += d[i] * m[i * n + j] * d[j];
        const Rational bound = numeric::to_rational(*sigma) * norm2;
        if (lower) CHECK(quad >= bound);
        else CHECK(quad <= bound);
      }
    }
  }
  CHECK(certified > 100);
  // Cholesky: positive definite or not.
  CHECK(expr::detail::interval_cholesky_succeeds(std::vector<Interval>{Interval(2.0), Interval(1.0), Interval(1.0),
                                                                       Interval(2.0)},
                                                 2));
  CHECK_FALSE(expr::detail::interval_cholesky_succeeds(
      std::vector<Interval>{Interval(1.0), Interval(2.0), Interval(2.0), Interval(1.0)}, 2));
  // An unbounded entry: no certificate.
  CHECK_FALSE(expr::detail::certified_curvature(
      std::vector<Interval>{Interval::entire(), Interval(0.0), Interval(0.0), Interval(1.0)}, 2, true));
}

TEST_CASE("mean_value_enclosure is met with the natural enclosure", "[forms]") {
  // f(c) = [1, 1], gradient [-1, 1] over [0, 2] centred at 1: [0, 2], met
  // with a natural enclosure [0.5, 3] gives [0.5, 2].
  const Interval r = expr::mean_value_enclosure(Interval(1.0), {Interval(-1.0, 1.0)}, Interval(0.5, 3.0),
                                                std::vector<Interval>{Interval(0.0, 2.0)}, {1.0});
  CHECK(r == Interval(0.5, 2.0));
  // A gradient shorter than the box counts as zero.
  const Interval s = expr::mean_value_enclosure(Interval(1.0), {}, Interval(-5.0, 5.0),
                                                std::vector<Interval>{Interval(0.0, 2.0)}, {1.0});
  CHECK(s == Interval(1.0));
}

TEST_CASE("forms enclose f where it is defined but not differentiable", "[forms]") {
  // Regression: an empty derivative enclosure (1/(2 sqrt 0), 1/sqrt(1 - 1))
  // made mean_value and taylor2 return an empty enclosure with the
  // decoration `com`, i.e. claim f has no value on a box where it is defined.
  struct Case {
    const char* text;
    std::vector<Interval> box;
  };
  const std::vector<Case> cases = {
      {"sqrt(x)", {Interval(0.0), Interval(0.0, 1.0)}},
      {"sqrt(x) * y + y", {Interval(0.0), Interval(0.0, 1.0)}},
      {"asin(x) + y", {Interval(1.0), Interval(0.0, 1.0)}},
      {"acos(x) - y^2", {Interval(-1.0), Interval(-1.0, 1.0)}},
      {"sqrt(0*x) + x*y", {Interval(0.0, 1.0), Interval(0.0, 1.0)}},
      {"asin(1 + 0*y) * x", {Interval(0.0, 1.0), Interval(-1.0, 1.0)}},
  };
  std::mt19937 gen(9);
  for (const Case& c : cases) {
    expr::ExprGraph g;
    g.add_variable("x");
    g.add_variable("y");
    const expr::NodeId f = expr::parse_expression(c.text, g);
    const std::vector<double> center = expr::default_center(c.box);
    const Graph graph{g, f};
    const auto binary64 = all_forms<Interval>(graph, c.box, center, {});
    const auto mp = all_forms<MpInterval>(graph, to_mp(c.box, 100), center, {100});
    for (std::size_t k = 0; k < binary64.size(); ++k) {
      INFO(c.text << ": form " << kFormNames[k] << " gives " << binary64[k].enclosure << " ("
                  << expr::to_string(binary64[k].decoration) << "), at 100 bits " << mp[k].enclosure);
      REQUIRE(expr::is_defined_everywhere(binary64[k].decoration));
      CHECK_FALSE(binary64[k].enclosure.is_empty());
      CHECK_FALSE(mp[k].enclosure.is_empty());
      for (int it = 0; it < 10; ++it) {
        std::vector<double> p;
        for (const Interval& x : c.box) p.push_back(point_in(gen, x));
        const auto ref = mp_value(g, f, ref_box(p));
        CHECK(encloses(binary64[k].enclosure, ref.value));
        CHECK(encloses(mp[k].enclosure, ref.value));
      }
    }
  }
}

TEST_CASE("forms never throw where f is undefined on part of the box", "[forms]") {
  // Regression: monotone_form joined the bounds of its two faces even where
  // f is not defined on the whole box; x^-1 on [-1, 1] has a negative
  // derivative enclosure, yet f(-1) < f(1), and join_bounds threw
  // ("interval lower endpoint exceeds upper endpoint"), which made
  // `cerval verify` and `cerval search` stop with an internal error.
  for (const char* text : {"x^(-1)", "x^(-3) + y", "tan(x)", "(x + y)^(-1)", "3 - x^(-2)"}) {
    expr::ExprGraph g;
    g.add_variable("x");
    g.add_variable("y");
    const expr::NodeId f = expr::parse_expression(text, g);
    const std::vector<Interval> box{Interval(-2.0, 2.0), Interval(-0.5, 0.5)};
    const Graph graph{g, f};
    INFO(text);
    std::vector<expr::FormBound<Interval>> forms;
    REQUIRE_NOTHROW(forms = all_forms<Interval>(graph, box, expr::default_center(box), {}));
    std::vector<expr::FormBound<MpInterval>> mp;
    REQUIRE_NOTHROW(mp = all_forms<MpInterval>(graph, to_mp(box, 80), expr::default_center(box), {80}));
    for (const auto& b : forms) CHECK_FALSE(expr::is_defined_everywhere(b.decoration));
    for (const auto& b : mp) CHECK_FALSE(expr::is_defined_everywhere(b.decoration));
  }
}

namespace {

// A random expression text over x and y.
std::string random_text(std::mt19937& gen, int depth) {
  auto pick = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(gen); };
  if (depth == 0 || pick(4) == 0) return pick(2) ? "x" : "y";
  static const char* unary[] = {"sqr", "sqrt", "exp", "ln", "sin", "cos", "tan", "asin", "acos",
                                "atan", "sinh", "cosh", "tanh", "abs", "-"};
  static const char* constants[] = {"2", "1/3", "0.25", "pi", "(-3)", "7/2", "0.5"};
  static const char* ops[] = {" + ", " - ", " * ", " / "};
  const std::string a = random_text(gen, depth - 1);
  switch (pick(7)) {
    case 0: {
      const std::string u = unary[pick(15)];
      return u == "-" ? "-(" + a + ")" : u + "(" + a + ")";
    }
    case 1: return "(" + a + ")^" + std::to_string(pick(9) - 4);
    case 2: return "(" + a + ")^(" + (pick(2) ? random_text(gen, depth - 1) : std::string(constants[pick(7)])) + ")";
    case 3: return std::string(pick(2) ? "min(" : "max(") + a + ", " + random_text(gen, depth - 1) + ")";
    case 4:
      return pick(2) ? "(" + a + ")" + ops[pick(4)] + constants[pick(7)]
                     : std::string(constants[pick(7)]) + ops[pick(4)] + "(" + a + ")";
    default: return "(" + a + ")" + ops[pick(4)] + "(" + random_text(gen, depth - 1) + ")";
  }
}

}  // namespace

TEST_CASE("random expressions: every defined form encloses f at sampled points", "[forms]") {
  std::mt19937 gen(20261128);
  auto unit = [&] { return std::uniform_real_distribution<double>(0, 1)(gen); };
  for (int it = 0; it < 600; ++it) {
    expr::ExprGraph g;
    g.add_variable("x");
    g.add_variable("y");
    const std::string text = random_text(gen, 1 + it % 4);
    const expr::NodeId f = expr::parse_expression(text, g);
    const double scale = it % 3 == 0 ? 10 : it % 3 == 1 ? 2 : 0.5;
    std::vector<Interval> box;
    for (int i = 0; i < 2; ++i) {
      double a = scale * (2 * unit() - 1), b = scale * (2 * unit() - 1);
      if (a > b) std::swap(a, b);
      if (it % 5 == 0) b = a;  // degenerate coordinates too
      box.emplace_back(a, b);
    }
    const Graph graph{g, f};
    const auto center = expr::default_center(box);
    std::vector<expr::FormBound<Interval>> forms;
    std::vector<expr::FormBound<MpInterval>> mp;
    INFO(text << " over " << box[0] << " x " << box[1]);
    REQUIRE_NOTHROW(forms = all_forms<Interval>(graph, box, center, {}));
    REQUIRE_NOTHROW(mp = all_forms<MpInterval>(graph, to_mp(box, 80), center, {80}));
    for (int k = 0; k < 6; ++k) {
      const std::vector<double> p{point_in(gen, box[0]), point_in(gen, box[1])};
      const auto ref = mp_value(g, f, ref_box(p, 300), 300);
      if (!expr::is_defined_everywhere(ref.decoration) || ref.value.is_empty()) continue;
      for (std::size_t j = 0; j < forms.size(); ++j) {
        INFO("form " << kFormNames[j] << " at (" << hex(p[0]) << ", " << hex(p[1]) << "): " << forms[j].enclosure
                     << " / " << mp[j].enclosure << ", reference " << ref.value);
        if (expr::is_defined_everywhere(forms[j].decoration)) CHECK(encloses(forms[j].enclosure, ref.value));
        if (expr::is_defined_everywhere(mp[j].decoration)) CHECK(encloses(mp[j].enclosure, ref.value));
      }
    }
  }
}
