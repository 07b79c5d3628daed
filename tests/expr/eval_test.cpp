// The evaluator (include/cerval/expr/eval.hpp): natural extensions in
// Interval and MpInterval contain the exact value at every point of the box
// (checked at 256 bits), constants are exact, decorations say `trv` wherever
// the function leaves its domain and `com`/`dac` where it is defined.
#include <cerval/expr/autodiff.hpp>
#include <cerval/expr/eval.hpp>
#include <cerval/expr/parser.hpp>

#include <catch2/catch.hpp>

#include "expr/reference.hpp"

using namespace cerval;
using namespace cerval::test_expr;
using expr::Decoration;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

struct Graph {
  expr::ExprGraph g;
  expr::NodeId f = 0;
};

Graph graph_of(const char* text, std::size_t variables = 2) {
  Graph r;
  const char* names[] = {"x", "y", "z"};
  for (std::size_t i = 0; i < variables; ++i) r.g.add_variable(names[i]);
  r.f = expr::parse_expression(text, r.g);
  return r;
}

Decoration decoration_of(const char* text, std::vector<Interval> box) {
  Graph g = graph_of(text, box.size());
  const Decoration d = expr::evaluate<Interval>(g.g, g.f, box).decoration;
  // The MpInterval evaluation decorates the same way.
  const Decoration mp = expr::evaluate<MpInterval>(g.g, g.f, to_mp(box, 100), {100}).decoration;
  CHECK(d == mp);
  return d;
}

}  // namespace

TEST_CASE("natural extensions contain the exact value at every sampled point", "[eval]") {
  struct Case {
    const char* text;
    std::vector<std::pair<double, double>> domain;
  };
  const std::vector<Case> cases = {
      {"x*y - x^2*y^3 + 1/3", {{-3, 3}, {-3, 3}}},
      {"exp(x) * sin(y) + cos(x*y)", {{-5, 5}, {-20, 20}}},
      {"tan(x) - atan(y)", {{-1.5, 1.5}, {-100, 100}}},
      {"log(x) + sqrt(y) - asin(x/4) + acos(y/5)", {{0.01, 4}, {0, 5}}},
      {"sinh(x) - cosh(y) + tanh(x - y)", {{-10, 10}, {-10, 10}}},
      {"x^y + y^(-3) + pi*x", {{0.01, 10}, {0.5, 3}}},
      {"abs(x - y) + min(x, y) * max(x^2, y)", {{-3, 3}, {-3, 3}}},
      {"(x + y)/(x^2 + 1) - 0.1*sqr(y)", {{-3, 3}, {-3, 3}}},
      {"exp(sin(x)*y) / (2 + cos(x + y))", {{-1e3, 1e3}, {-2, 2}}},
      {"sin(x) + cos(y)", {{-1e22, 1e22}, {1e15, 1e16}}},
  };
  std::mt19937 gen(20261128);
  for (const Case& c : cases) {
    Graph g = graph_of(c.text);
    expr::Evaluator<Interval> ev(g.g);
    expr::Evaluator<MpInterval> mp(g.g, {120});
    for (int boxes = 0; boxes < 40; ++boxes) {
      std::vector<Interval> box;
      for (const auto& [lo, hi] : c.domain) box.push_back(boxes % 4 == 0 ? Interval(uniform_in(gen, lo, hi))
                                                                          : sub_interval(gen, lo, hi));
      ev.evaluate(box);
      mp.evaluate(to_mp(box, 120));
      REQUIRE(expr::is_defined_everywhere(ev.decoration(g.f)));
      REQUIRE(expr::is_defined_everywhere(mp.decoration(g.f)));
      for (int it = 0; it < 10; ++it) {
        std::vector<double> p;
        for (const Interval& x : box) p.push_back(point_in(gen, x));
        const auto ref = mp_value(g.g, g.f, ref_box(p), 512);
        INFO(c.text << " at (" << hex(p[0]) << ", " << hex(p[1]) << "): " << ref.value);
        INFO("binary64 " << ev.value(g.f) << ", 120 bits " << mp.value(g.f));
        CHECK(encloses(ev.value(g.f), ref.value));
        CHECK(encloses(mp.value(g.f), ref.value));
      }
    }
  }
}

TEST_CASE("point evaluation at high precision is tight", "[eval]") {
  Graph g = graph_of("exp(x)*sin(x) + y/3");
  const auto e = mp_value(g.g, g.f, ref_box({0.125, 1.0}), 256);
  REQUIRE(expr::is_defined_everywhere(e.decoration));
  CHECK(e.value.precision() == 256);
  CHECK(e.value.width() <= 1e-70);
  // 0.1 + 0.2 contains 3/10 exactly, at any precision.
  Graph s = graph_of("0.1 + 0.2", 0);
  const std::vector<Interval> none;
  CHECK(expr::evaluate<Interval>(s.g, s.f, none).value.contains(Interval::enclose(Rational(3, 10))));
  const std::vector<MpInterval> mp_none;
  for (long prec : {24L, 53L, 200L})
    CHECK(expr::evaluate<MpInterval>(s.g, s.f, mp_none, {prec}).value.contains(Rational(3, 10)));
}

TEST_CASE("constants: exact rationals, rational intervals and pi are enclosed", "[eval]") {
  expr::ExprGraph g;
  const expr::NodeId third = g.constant(Rational(1, 3));
  const expr::NodeId range = g.constant(Rational(57, 100), Rational(58, 100));
  const expr::NodeId pi = g.pi();
  const std::vector<Interval> none;
  expr::Evaluator<Interval> ev(g);
  ev.evaluate(none);
  CHECK(ev.value(third) == Interval::enclose(Rational(1, 3)));
  CHECK(ev.value(range) == Interval::enclose(Rational(57, 100), Rational(58, 100)));
  CHECK(ev.value(pi).contains(Interval::pi()));
  for (expr::NodeId k : {third, range, pi}) CHECK(ev.decoration(k) == Decoration::com);

  expr::Evaluator<MpInterval> mp(g, {300});
  const std::vector<MpInterval> mp_none;
  mp.evaluate(mp_none);
  CHECK(mp.value(third).precision() == 300);
  CHECK(mp.value(third).contains(Rational(1, 3)));
  CHECK(mp.value(third).width() < 1e-85);
  CHECK(mp.value(range).contains(Rational(57, 100)));
  CHECK(mp.value(range).contains(Rational(58, 100)));
  CHECK(mp.value(pi) == MpInterval::pi(300));
  CHECK(mp.factory().precision == 300);
}

TEST_CASE("constant-only subexpressions: cached per graph, the same enclosure and decoration in every pass",
          "[eval]") {
  Graph g = graph_of("x * log(3/2) + y * cos(2*pi/12)");
  const expr::NodeId log_node = expr::parse_expression("log(3/2)", g.g);
  const expr::NodeId cos_node = expr::parse_expression("cos(2*pi/12)", g.g);
  const expr::NodeId undefined = expr::parse_expression("sqrt(-1) + x", g.g);
  const expr::NodeId root_of_minus_one = expr::parse_expression("sqrt(-1)", g.g);
  CHECK(!g.g.folded(log_node));
  const std::vector<Interval> box{Interval(1.0, 2.0), Interval(-1.0, 1.0)};
  // An AD pass before any interval pass: computes, does not fill the cache.
  expr::Evaluator<expr::Dual<Interval>> first_ad(g.g);
  std::vector<expr::Dual<Interval>> seeded;
  for (std::size_t i = 0; i < 2; ++i) seeded.push_back(expr::Dual<Interval>::variable(box[i], i, 2));
  first_ad.evaluate(seeded);
  const Interval before = first_ad.value(g.f).value;
  CHECK(!g.g.folded(log_node));
  // The interval pass fills it, with decorations.
  const auto e = expr::evaluate<Interval>(g.g, undefined, box);
  CHECK(e.decoration == Decoration::trv);
  REQUIRE(g.g.folded(log_node));
  // log(3/2) = 0.40546510810816438198...: the nearest double is one of the ends.
  CHECK(g.g.folded(log_node)->value.contains(0.4054651081081644));
  CHECK(g.g.folded(log_node)->value.width() < 1e-15);
  CHECK(g.g.folded(log_node)->decoration == Decoration::com);
  REQUIRE(g.g.folded(root_of_minus_one));
  CHECK(g.g.folded(root_of_minus_one)->decoration == Decoration::trv);
  // Later passes read it: the same enclosures, and an undefined constant stays undefined.
  CHECK(expr::evaluate<Interval>(g.g, undefined, box).decoration == Decoration::trv);
  const auto again = expr::evaluate<Interval>(g.g, g.f, box);
  CHECK(again.value == before);
  CHECK(expr::evaluate<Interval>(g.g, cos_node, box).value.contains(0.8660254037844386));  // sqrt(3)/2
  expr::Evaluator<expr::Dual<Interval>> cached_ad(g.g);
  cached_ad.evaluate(seeded);
  CHECK(cached_ad.value(g.f).value == before);
  CHECK(expr::detail::at(cached_ad.value(g.f).grad, 0, cached_ad.value(g.f).value) ==
        expr::detail::at(first_ad.value(g.f).grad, 0, first_ad.value(g.f).value));
  CHECK(cached_ad.decoration(undefined) == Decoration::trv);
  // A copy of the graph carries the cache; MpInterval passes do not use it.
  const expr::ExprGraph copy = g.g;
  CHECK(copy.folded(log_node));
  std::vector<MpInterval> mp;
  for (const Interval& x : box) mp.emplace_back(x, 200);
  const auto high = expr::evaluate<MpInterval>(g.g, log_node, mp, {200});
  CHECK(high.value.width() < 1e-55);
}

TEST_CASE("evaluator bookkeeping: reuse, partial evaluation, wrong sizes", "[eval]") {
  Graph g = graph_of("x + y");
  const expr::NodeId x = expr::parse_expression("x", g.g);
  const expr::NodeId later = expr::parse_expression("x * y * 7", g.g);
  expr::Evaluator<Interval> ev(g.g);
  const std::vector<Interval> a{Interval(1.0), Interval(2.0)}, b{Interval(-1.0, 0.0), Interval(5.0)};
  ev.evaluate(a);
  CHECK(ev.value(g.f) == Interval(3.0));
  CHECK(ev.value(later) == Interval(14.0));
  ev.evaluate(b);  // the second evaluation replaces every value
  CHECK(ev.value(g.f) == Interval(4.0, 5.0));
  CHECK(ev.value(later) == Interval(-35.0, 0.0));
  ev.evaluate_until(a, g.f);  // only up to g.f
  CHECK(ev.values().size() == g.f + 1);
  CHECK(ev.value(x) == Interval(1.0));
  CHECK(ev.value(g.f) == Interval(3.0));
  const std::vector<Interval> short_box{Interval(1.0)};
  CHECK_THROWS_AS(ev.evaluate(short_box), std::invalid_argument);
  CHECK(&ev.graph() == &g.g);
  // The convenience function agrees with the evaluator.
  const auto e = expr::evaluate<Interval>(g.g, later, b);
  CHECK(e.value == Interval(-35.0, 0.0));
  CHECK(e.decoration == Decoration::com);
}

TEST_CASE("decorations: undefined somewhere on the box is trv", "[eval]") {
  // The cases of the contract.
  CHECK(decoration_of("sqrt(x)", {Interval(-1.0, 1.0)}) == Decoration::trv);
  CHECK(decoration_of("1/x", {Interval(-1.0, 1.0)}) == Decoration::trv);
  CHECK(decoration_of("log(x)", {Interval(0.0, 1.0)}) == Decoration::trv);
  CHECK(decoration_of("asin(x)", {Interval(-2.0, 0.0)}) == Decoration::trv);
  CHECK(decoration_of("acos(x)", {Interval(0.5, 1.5)}) == Decoration::trv);
  CHECK(decoration_of("x^(-1)", {Interval(-1.0, 1.0)}) == Decoration::trv);
  CHECK(decoration_of("x^(-2)", {Interval(0.0, 1.0)}) == Decoration::trv);
  CHECK(decoration_of("tan(x)", {Interval(1.0, 2.0)}) == Decoration::trv);  // pi/2 inside
  CHECK(decoration_of("x^y", {Interval(-1.0, 1.0), Interval(2.0, 3.0)}) == Decoration::trv);
  CHECK(decoration_of("x^y", {Interval(0.0, 1.0), Interval(-1.0, 1.0)}) == Decoration::trv);
  // Entirely outside the domain: still trv (the value is empty).
  CHECK(decoration_of("sqrt(x)", {Interval(-2.0, -1.0)}) == Decoration::trv);
  CHECK(decoration_of("log(x)", {Interval(-2.0, -1.0)}) == Decoration::trv);
  // Propagates through every later operation, including ones that hide it.
  CHECK(decoration_of("0*sqrt(x) + 1", {Interval(-1.0, 1.0)}) == Decoration::trv);
  CHECK(decoration_of("exp(1/x) - 2", {Interval(-1.0, 1.0)}) == Decoration::trv);
  CHECK(decoration_of("x + y/x", {Interval(0.0, 1.0), Interval(1.0, 2.0)}) == Decoration::trv);
  // An empty input.
  Graph g = graph_of("x + 1", 1);
  const std::vector<Interval> empty{Interval::empty()};
  CHECK(expr::evaluate<Interval>(g.g, g.f, empty).decoration == Decoration::trv);
}

TEST_CASE("decorations: defined everywhere is com (bounded) or dac (unbounded)", "[eval]") {
  CHECK(decoration_of("sqrt(x)", {Interval(0.0, 1.0)}) == Decoration::com);  // closed edge
  CHECK(decoration_of("1/x", {Interval(0.5, 1.0)}) == Decoration::com);
  CHECK(decoration_of("1/x", {Interval(-2.0, -0.5)}) == Decoration::com);
  CHECK(decoration_of("log(x)", {Interval(0.5, 1.0)}) == Decoration::com);
  CHECK(decoration_of("asin(x)", {Interval(-1.0, 0.0)}) == Decoration::com);
  CHECK(decoration_of("acos(x)", {Interval(-1.0, 1.0)}) == Decoration::com);
  CHECK(decoration_of("tan(x)", {Interval(-1.5, 1.5)}) == Decoration::com);
  CHECK(decoration_of("x^y", {Interval(0.0, 1.0), Interval(0.5, 2.0)}) == Decoration::com);
  CHECK(decoration_of("x^y", {Interval(0.5, 1.0), Interval(-2.0, 2.0)}) == Decoration::com);
  CHECK(decoration_of("x^(-2) + x^3", {Interval(1.0, 2.0)}) == Decoration::com);
  CHECK(decoration_of("abs(x) + min(x, 1) + max(x, -1)", {Interval(-1.0, 1.0)}) == Decoration::com);
  CHECK(decoration_of("x*sin(x) + cosh(x)", {Interval(-3.0, 3.0)}) == Decoration::com);
  // Unbounded input or result: defined, continuous, not bounded.
  CHECK(decoration_of("exp(x)", {Interval(0.0, kInf)}) == Decoration::dac);
  CHECK(decoration_of("atan(x)", {Interval::entire()}) == Decoration::dac);  // the input is unbounded
  CHECK(decoration_of("exp(x)", {Interval(0.0, 1000.0)}) == Decoration::dac);  // overflow
  CHECK(decoration_of("x*y", {Interval(1e300, 1e308), Interval(1e300, 1e308)}) == Decoration::dac);
  CHECK(expr::is_defined_everywhere(decoration_of("exp(x)", {Interval(0.0, kInf)})));
  CHECK_FALSE(expr::is_defined_everywhere(decoration_of("sqrt(x)", {Interval(-1.0, 1.0)})));
}
