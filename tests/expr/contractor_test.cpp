// HC4 contraction (include/cerval/expr/contractor.hpp): it never removes a
// point where every constraint holds and is defined (sampled points, checked
// at 256 bits), contracts as expected on simple constraints, and proves
// infeasibility only of infeasible boxes.
#include <cerval/expr/contractor.hpp>
#include <cerval/expr/parser.hpp>

#include <catch2/catch.hpp>

#include <functional>

#include "expr/reference.hpp"

using namespace cerval;
using namespace cerval::test_expr;
using expr::Relation;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

std::vector<expr::ContractorConstraint> constraints_of(const expr::Spec& s) {
  std::vector<expr::ContractorConstraint> r;
  for (const auto& c : s.constraints) r.push_back({c.expr, expr::relation_target(c.relation, c.bound)});
  return r;
}

// True when the point certainly satisfies every constraint of the spec, with
// each constraint defined there (256-bit evaluation against the exact bound).
bool is_solution(const expr::Spec& s, const std::vector<double>& p) {
  const auto point = ref_box(p);
  for (const auto& c : s.constraints) {
    const auto e = mp_value(s.graph, c.expr, point);
    if (!expr::is_defined_everywhere(e.decoration) || e.value.is_empty()) return false;
    const MpInterval b = MpInterval::enclose(c.bound, kRefPrec);
    switch (c.relation) {
      case Relation::LessEqual: if (!(e.value.upper_rational() <= b.lower_rational())) return false; break;
      case Relation::Less: if (!(e.value.upper_rational() < b.lower_rational())) return false; break;
      case Relation::GreaterEqual: if (!(e.value.lower_rational() >= b.upper_rational())) return false; break;
      case Relation::Greater: if (!(e.value.lower_rational() > b.upper_rational())) return false; break;
      case Relation::Equal:
        if (!(e.value.is_point() && e.value.lower_rational() == c.bound)) return false;
        break;
    }
  }
  return true;
}

bool box_contains(const std::vector<Interval>& box, const std::vector<double>& p) {
  for (std::size_t i = 0; i < p.size(); ++i)
    if (!box[i].contains(p[i])) return false;
  return true;
}

std::string point_text(const std::vector<double>& p) {
  std::string s = "(";
  for (double x : p) s += hex(x) + " ";
  return s + ")";
}

std::string box_text(const std::vector<Interval>& b) {
  std::string s;
  for (const auto& x : b) s += text(x) + " ";
  return s;
}

const char* kSpecs[] = {
    "variables x in [-2, 2]; y in [-2, 2]; constraints x^2 + y^2 <= 1;",
    "variables x in [-3, 3]; y in [-3, 3]; constraints x*y >= 1; x + y <= 2.5;",
    "variables x in [-2, 2]; y in [-2, 2]; constraints sin(x) + y^2 <= 0.5; exp(x) - y >= 0.2;",
    "variables x in [-1, 4]; y in [-2, 2]; constraints sqrt(x) + y >= 1; log(x + 2) - y^3 <= 1;",
    "variables x in [-3, 3]; y in [-3, 3]; z in [-3, 3]; constraints x^3 - y*z <= 1; abs(x - z) <= 0.5; "
    "min(x, y) >= -1; max(y, z) <= 2; atan(x*y) >= 0.1;",
    "variables x in [-2, 2]; y in [-2, 2]; constraints x/(1 + y^2) >= 0.5; asin(y/2) <= 0.3; acos(x/2) <= 1; "
    "x^4 + y^(-2) <= 20;",
    "variables x in [-2, 2]; y in [-2, 2]; constraints tanh(x) + cosh(y) <= 2; tan(x/2) >= -0.5; sinh(y) < 1;",
    "variables x in [0.1, 3]; y in [-2, 2]; constraints x^y <= 2; x^y >= 0.5;",
    "variables x in [-2, 2]; y in [-2, 2]; constraints sqr(x - 1) + (y - x)^2 <= 0.25; x - 2*y <= 0;",
    "variables x in [-2, 2]; y in [-2, 2]; constraints 1/x + y >= 3; -x^5 + y > -1;",
    "variables x in [-2, 2]; y in [-2, 2]; constraints x^2 * y^3 >= 0.2; x^6 - y <= 3; exp(-x) * y <= 2;",
};

}  // namespace

TEST_CASE("HC4 never removes a solution", "[contractor]") {
  std::mt19937 gen(20261128);
  for (const char* text : kSpecs) {
    expr::Spec s = expr::parse_spec(text, "hc4");
    const expr::Hc4Contractor hc4(s.graph, constraints_of(s));
    const std::vector<Interval> domain = expr::enclose_domains(s.variables);
    std::size_t solutions = 0;
    for (int boxes = 0; boxes < 40; ++boxes) {
      std::vector<Interval> original;
      for (const Interval& d : domain) original.push_back(boxes == 0 ? d : sub_interval(gen, d.lower(), d.upper()));
      std::vector<Interval> contracted = original;
      const bool feasible = hc4.contract(contracted);
      for (int it = 0; it < 60; ++it) {
        std::vector<double> p;
        for (const Interval& x : original) p.push_back(point_in(gen, x));
        if (!is_solution(s, p)) continue;
        ++solutions;
        INFO(text << "\nsolution " << point_text(p) << "\noriginal " << box_text(original) << "\ncontracted "
                  << box_text(contracted));
        REQUIRE(feasible);
        CHECK(box_contains(contracted, p));
      }
    }
    INFO(text);
    CHECK(solutions > 20);  // the sampling did test something
  }
}

TEST_CASE("HC4 keeps exact solutions of equality constraints", "[contractor]") {
  expr::Spec s = expr::parse_spec(
      "variables x in [-4, 4]; y in [-4, 4]; constraints x*y = 0.5; x - y^2 >= -10; x^3 + y^3 <= 70;", "eq");
  const expr::Hc4Contractor hc4(s.graph, constraints_of(s));
  const std::vector<std::vector<double>> points{{1, 0.5}, {2, 0.25}, {0.5, 1}, {-1, -0.5}, {4, 0.125}, {0.25, 2},
                                                {-0.25, -2}};
  std::mt19937 gen(4);
  for (const auto& p : points) {
    REQUIRE(is_solution(s, p));
    for (int it = 0; it < 30; ++it) {
      std::vector<Interval> box;
      for (double v : p) {
        const double lo = it == 0 ? v : uniform_in(gen, -4, v), hi = it == 0 ? v : uniform_in(gen, v, 4);
        box.push_back(Interval(lo, hi));
      }
      const std::vector<Interval> original = box;
      INFO(point_text(p) << " in " << box_text(original));
      REQUIRE(hc4.contract(box));
      CHECK(box_contains(box, p));
    }
  }
}

TEST_CASE("HC4 contracts the disc's box to [-1, 1]^2", "[contractor]") {
  expr::Spec s = expr::parse_spec("variables x in [-2, 2]; y in [-2, 2]; constraints x^2 + y^2 <= 1;", "disc");
  const expr::Hc4Contractor hc4(s.graph, constraints_of(s));
  std::vector<Interval> box = expr::enclose_domains(s.variables);
  REQUIRE(hc4.contract(box));
  for (const Interval& x : box) {
    INFO(x);
    // Outward rounding only: the points (+-1, 0), (0, +-1) stay, nothing
    // beyond a rounding error of 1 is kept.
    CHECK(x.contains(Interval(-1.0, 1.0)));
    CHECK(x.lower() >= -1 - 1e-15);
    CHECK(x.upper() <= 1 + 1e-15);
  }
  // A box touching the disc only in one corner of [-2, 2]^2: contracted, not emptied.
  std::vector<Interval> corner{Interval(0.5, 2.0), Interval(0.5, 2.0)};
  REQUIRE(hc4.contract(corner));
  CHECK(corner[0].upper() <= std::sqrt(0.75) + 1e-12);
  CHECK(corner[1].upper() <= std::sqrt(0.75) + 1e-12);
  CHECK(corner[0].contains(0.5));
  // Outside the disc: emptied.
  std::vector<Interval> outside{Interval(0.75, 2.0), Interval(0.75, 2.0)};
  CHECK_FALSE(hc4.contract(outside));
}

TEST_CASE("HC4 proves infeasible constraints infeasible", "[contractor]") {
  const char* infeasible[] = {
      "variables x in [-2, 2]; y in [-2, 2]; constraints x^2 + y^2 <= -1;",
      "variables x in [-2, 2]; y in [-2, 2]; constraints x + y >= 5;",
      "variables x in [-2, 2]; constraints x >= 1; x <= 0.5;",
      "variables x in [-2, 2]; constraints exp(x) <= 0;",
      "variables x in [-2, 2]; constraints sqrt(x) <= -0.5;",
      "variables x in [1, 2]; constraints log(x) = -1;",
  };
  for (const char* text : infeasible) {
    expr::Spec s = expr::parse_spec(text, "infeasible");
    const expr::Hc4Contractor hc4(s.graph, constraints_of(s));
    std::vector<Interval> box = expr::enclose_domains(s.variables);
    INFO(text);
    CHECK_FALSE(hc4.contract(box));
  }
  // A feasible single constraint: revise keeps the feasible part.
  expr::Spec s = expr::parse_spec("variables x in [-2, 2]; constraints exp(x) <= 1;", "revise");
  const expr::Hc4Contractor hc4(s.graph, constraints_of(s));
  REQUIRE(hc4.constraints().size() == 1);
  std::vector<Interval> box = expr::enclose_domains(s.variables);
  REQUIRE(hc4.revise(hc4.constraints()[0], box));
  CHECK(box[0].contains(Interval(-2.0, 0.0)));
  CHECK(box[0].upper() <= 1e-15);
}

TEST_CASE("relation_target: outward enclosures of the allowed values", "[contractor]") {
  const Rational tenth(1, 10);
  const Interval le = expr::relation_target(Relation::LessEqual, tenth);
  CHECK(le.lower() == -kInf);
  CHECK(le.upper() == numeric::to_double_up(tenth));
  CHECK(expr::relation_target(Relation::Less, tenth) == le);  // closed: safe for pruning
  const Interval ge = expr::relation_target(Relation::GreaterEqual, tenth);
  CHECK(ge.lower() == numeric::to_double_down(tenth));
  CHECK(ge.upper() == kInf);
  CHECK(expr::relation_target(Relation::Greater, tenth) == ge);
  const Interval eq = expr::relation_target(Relation::Equal, Rational(1, 3));
  CHECK(eq == Interval::enclose(Rational(1, 3)));
  CHECK(expr::relation_target(Relation::Equal, Rational(2)) == Interval(2.0));
}

TEST_CASE("boundary_target: the faces where a constraint is active, enclosed outward", "[contractor]") {
  const Rational tenth(1, 10), none(0);
  CHECK(*expr::boundary_target(Relation::LessEqual, tenth, none, true) == Interval::enclose(tenth));
  CHECK(!expr::boundary_target(Relation::LessEqual, tenth, none, false));
  CHECK(*expr::boundary_target(Relation::Less, tenth, none, true) == Interval::enclose(tenth));  // its closure
  CHECK(*expr::boundary_target(Relation::GreaterEqual, tenth, none, false) == Interval::enclose(tenth));
  CHECK(!expr::boundary_target(Relation::Greater, tenth, none, true));
  // An exact equality is one face; relaxed by eps, two.
  CHECK(*expr::boundary_target(Relation::Equal, tenth, none, false) == Interval::enclose(tenth));
  CHECK(!expr::boundary_target(Relation::Equal, tenth, none, true));
  const Rational eps(1, 1000);
  CHECK(expr::boundary_target(Relation::Equal, tenth, eps, false)->contains(0.099));
  CHECK(!expr::boundary_target(Relation::Equal, tenth, eps, false)->contains(0.1));
  CHECK(expr::boundary_target(Relation::Equal, tenth, eps, true)->contains(0.101));
}

TEST_CASE("HC4 on random expressions keeps every point whose value is in the target", "[contractor]") {
  std::mt19937 gen(20261128);
  auto pick = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(gen); };
  // Random expression text over x and y.
  std::function<std::string(int)> random_text = [&](int depth) -> std::string {
    if (depth == 0 || pick(4) == 0) return pick(2) ? "x" : "y";
    static const char* unary[] = {"sqr", "sqrt", "exp", "ln", "sin", "cos", "tan", "asin", "acos",
                                  "atan", "sinh", "cosh", "tanh", "abs", "-"};
    static const char* ops[] = {" + ", " - ", " * ", " / "};
    const std::string a = random_text(depth - 1);
    switch (pick(5)) {
      case 0: {
        const std::string u = unary[pick(15)];
        return u == "-" ? "-(" + a + ")" : u + "(" + a + ")";
      }
      case 1: return "(" + a + ")^" + std::to_string(pick(9) - 4);
      case 2: return std::string(pick(2) ? "min(" : "max(") + a + ", " + random_text(depth - 1) + ")";
      case 3: return "(" + a + ")" + ops[pick(4)] + (pick(2) ? "0.5" : "(-3)");
      default: return "(" + a + ")" + ops[pick(4)] + "(" + random_text(depth - 1) + ")";
    }
  };
  int tested = 0;
  for (int it = 0; it < 500; ++it) {
    expr::ExprGraph g;
    g.add_variable("x");
    g.add_variable("y");
    const std::string text_ = random_text(1 + it % 4);
    const expr::NodeId f = expr::parse_expression(text_, g);
    const double scale = it % 2 ? 4 : 0.5;
    const std::vector<Interval> box{sub_interval(gen, -scale, scale), sub_interval(gen, -scale, scale)};
    for (int k = 0; k < 4; ++k) {
      const std::vector<double> p{point_in(gen, box[0]), point_in(gen, box[1])};
      const auto ref = mp_value(g, f, ref_box(p));
      if (!expr::is_defined_everywhere(ref.decoration) || !ref.value.is_bounded()) continue;
      // Targets holding the exact value: tight, widened, one-sided.
      const double lo = ref.value.lower_down(), hi = ref.value.upper_up();
      const Interval target = k == 0 ? Interval(lo, hi) : k == 1 ? Interval(lo - 0.5, hi + 0.25)
                              : k == 2 ? Interval(-kInf, hi) : Interval(lo, kInf);
      const expr::Hc4Contractor hc4(g, {{f, target}});
      std::vector<Interval> contracted = box;
      const bool feasible = hc4.contract(contracted);
      ++tested;
      INFO(text_ << " over " << box_text(box) << " at " << point_text(p) << " target " << target << " -> "
                 << box_text(contracted));
      REQUIRE(feasible);
      CHECK(box_contains(contracted, p));
    }
  }
  CHECK(tested > 500);
}
