// The independent checker: valid certificates are accepted, and every
// mutation that breaks a proof (bound, domain, expression, split, child, form,
// precision, witness, cut-off, eps_h) is rejected with a reason naming the
// failing part. Trees are built in the tests by bisection, each leaf accepted
// by the checker on its own box, so nothing here depends on the search.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cerval/cert/checker.hpp>
#include <cerval/expr/existence.hpp>
#include <cerval/expr/parser.hpp>
#include <cerval/expr/partial_minimiser.hpp>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

using namespace cerval;
using cert::Certificate;
using cert::CertNode;
using cert::CheckResult;
using expr::Form;
using expr::Relation;
using numeric::Interval;
using numeric::Rational;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

CertNode proven(Form form, long precision = 53, bool contract = false) {
  CertNode n;
  n.leaf = cert::LeafKind::Proven;
  n.form = form;
  n.precision = precision;
  n.contract = contract;
  return n;
}

CertNode infeasible(long precision = 53, bool contract = false) {
  CertNode n;
  n.leaf = cert::LeafKind::Infeasible;
  n.precision = precision;
  n.contract = contract;
  return n;
}

Certificate problem(std::vector<cert::VariableEntry> variables, std::vector<cert::RelationEntry> constraints,
                    cert::RelationEntry claim) {
  Certificate c;
  c.kind = "bound";
  c.variables = std::move(variables);
  c.constraints = std::move(constraints);
  c.claim = std::move(claim);
  return c;
}

// Adds a split of `parent` (already in c.nodes) on variable v at `at`, with
// two children; returns the ids of the children.
std::pair<std::uint32_t, std::uint32_t> split(Certificate& c, std::uint32_t parent, int v, double at, CertNode lower,
                                              CertNode upper) {
  const auto a = static_cast<std::uint32_t>(c.nodes.size());
  c.nodes.push_back(std::move(lower));
  c.nodes.push_back(std::move(upper));
  c.nodes[parent].split_variable = v;
  c.nodes[parent].at = at;
  c.nodes[parent].children[0] = a;
  c.nodes[parent].children[1] = a + 1;
  return {a, a + 1};
}

// Builds a tree by bisection: on each box the first candidate leaf that the
// checker accepts on that box alone (a certificate whose domain is the box),
// otherwise a split of the widest coordinate at its midpoint.
class Bisection {
 public:
  Bisection(Certificate base, std::vector<CertNode> candidates, int max_depth = 24)
      : base_(std::move(base)), candidates_(std::move(candidates)), max_depth_(max_depth) {}

  Certificate build() {
    Certificate c = base_;
    c.nodes.clear();
    std::vector<Interval> box;
    for (const auto& v : base_.variables)
      box.push_back(Interval(v.lower ? numeric::to_double_down(*v.lower) : -kInf,
                             v.upper ? numeric::to_double_up(*v.upper) : kInf));
    c.nodes.emplace_back();
    grow(c, 0, box, 0);
    return c;
  }

 private:
  bool accepted(const CertNode& leaf, const std::vector<Interval>& box) const {
    Certificate sub = base_;
    sub.kind = "bound";
    sub.witness.reset();
    for (std::size_t i = 0; i < box.size(); ++i) {
      sub.variables[i].lower =
          std::isfinite(box[i].lower()) ? std::optional(numeric::to_rational(box[i].lower())) : std::nullopt;
      sub.variables[i].upper =
          std::isfinite(box[i].upper()) ? std::optional(numeric::to_rational(box[i].upper())) : std::nullopt;
    }
    sub.nodes = {leaf};
    return cert::check(sub).valid;
  }

  void grow(Certificate& c, std::uint32_t id, const std::vector<Interval>& box, int depth) const {
    for (const CertNode& leaf : candidates_)
      if (accepted(leaf, box)) {
        c.nodes[id] = leaf;
        return;
      }
    REQUIRE(depth < max_depth_);
    std::size_t widest = 0;
    for (std::size_t i = 1; i < box.size(); ++i)
      if (box[i].width() > box[widest].width()) widest = i;
    const double m = box[widest].midpoint();
    REQUIRE(box[widest].lower() < m);
    REQUIRE(m < box[widest].upper());
    std::vector<Interval> lower = box, upper = box;
    lower[widest] = Interval(box[widest].lower(), m);
    upper[widest] = Interval(m, box[widest].upper());
    const auto [a, b] = split(c, id, static_cast<int>(widest), m, CertNode{}, CertNode{});
    grow(c, a, lower, depth + 1);
    grow(c, b, upper, depth + 1);
  }

  Certificate base_;
  std::vector<CertNode> candidates_;
  int max_depth_;
};

// The path of node `target` ("tree.children[1].children[0]"), found by search.
std::string path_of(const Certificate& c, std::uint32_t target) {
  struct Item {
    std::uint32_t id;
    std::string path;
  };
  std::vector<Item> stack{{0, "tree"}};
  while (!stack.empty()) {
    Item item = stack.back();
    stack.pop_back();
    if (item.id == target) return item.path;
    const CertNode& n = c.nodes[item.id];
    if (n.is_leaf()) continue;
    for (int k = 0; k < 2; ++k) stack.push_back({n.children[k], item.path + ".children[" + std::to_string(k) + "]"});
  }
  return "";
}

bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }
bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

// The first leaf at depth >= 2.
std::uint32_t deep_leaf(const Certificate& c) {
  for (std::uint32_t id = 0; id < c.nodes.size(); ++id)
    if (c.nodes[id].is_leaf()) {
      const std::string path = path_of(c, id);
      if (std::count(path.begin(), path.end(), '.') >= 2) return id;
    }
  return 0;
}

std::uint32_t first_split(const Certificate& c) {
  for (std::uint32_t id = 0; id < c.nodes.size(); ++id)
    if (!c.nodes[id].is_leaf()) return id;
  return 0;
}

// x^2 - x + 1 >= 1/2 on [-1, 2] (the minimum is 3/4 at 1/2), natural form.
Certificate quadratic_certificate() {
  return Bisection(
             problem({{"x", Rational(-1), Rational(2)}}, {}, {"x^2 - x + 1", Relation::GreaterEqual, Rational(1, 2)}),
             {proven(Form::Natural)})
      .build();
}

// exp(x) - (1 + x) >= 0 on [-1, 1], split at 0, monotone on both halves.
Certificate exp_certificate() {
  Certificate c =
      problem({{"x", Rational(-1), Rational(1)}}, {}, {"exp(x) - (1 + x)", Relation::GreaterEqual, Rational(0)});
  c.nodes.emplace_back();
  split(c, 0, 0, 0.0, proven(Form::Monotone), proven(Form::Monotone));
  return c;
}

// x*y <= 3/4 for x, y in [0, 1] with x + y <= 1: split x at 3/4, then y at
// 3/4 in the upper half; the box x, y >= 3/4 holds no feasible point.
Certificate constrained_certificate(Relation constraint = Relation::LessEqual, double y_split = 0.75) {
  Certificate c = problem({{"x", Rational(0), Rational(1)}, {"y", Rational(0), Rational(1)}},
                          {{"x + y", constraint, Rational(1)}}, {"x*y", Relation::LessEqual, Rational(3, 4)});
  c.nodes.emplace_back();
  const auto [lower, upper] = split(c, 0, 0, 0.75, proven(Form::Natural), CertNode{});
  (void)lower;
  split(c, upper, 1, y_split, proven(Form::Natural), infeasible());
  return c;
}

// (x^2 - x + 1 >= 1/2 subject to x <= 1, minimum 3/4 at the witness 1/2.
Certificate minimum_certificate() {
  Certificate c = Bisection(problem({{"x", Rational(-1), Rational(2)}}, {{"x", Relation::LessEqual, Rational(1)}},
                                    {"x^2 - x + 1", Relation::GreaterEqual, Rational(1, 2)}),
                            {proven(Form::Natural), infeasible()})
                      .build();
  c.kind = "minimum";
  c.witness = cert::Witness{{0.5}, Rational(3, 4), 53, {}, {}};
  return c;
}

CheckResult expect_invalid(const Certificate& c, const std::string& reason_part) {
  const CheckResult r = cert::check(c);
  CHECK_FALSE(r.valid);
  INFO("reason: " << r.reason);
  CHECK(contains(r.reason, reason_part));
  return r;
}

}  // namespace

TEST_CASE("a quadratic bound is re-proven on a bisection tree", "[cert][checker]") {
  const Certificate c = quadratic_certificate();
  const CheckResult r = cert::check(c);
  INFO(r.reason);
  REQUIRE(r.valid);
  CHECK(r.leaves > 2);
  CHECK(r.splits == r.leaves - 1);
  CHECK(r.reason.empty());

  // One leaf over the whole domain does not prove it.
  Certificate one = c;
  one.nodes = {proven(Form::Natural)};
  const CheckResult single = expect_invalid(one, "tree: claim not re-proven: lower bound");

  SECTION("bound tightened beyond the truth") {
    Certificate m = c;
    m.claim.bound = Rational(76, 100);
    expect_invalid(m, "claim not re-proven");
  }
  SECTION("expression text altered") {
    Certificate m = c;
    m.claim.expression = "x^2 - 2*x + 1";
    expect_invalid(m, "claim not re-proven");
    m.claim.expression = "x^2 - - ";
    expect_invalid(m, "claim.expression: cannot parse");
    m.claim.expression = "z^2";
    expect_invalid(m, "claim.expression: cannot parse");
  }
  SECTION("a split point moved outside its box, onto its edge, or to NaN") {
    const std::uint32_t s = first_split(c);
    Certificate m = c;
    m.nodes[s].at = 3.0;
    expect_invalid(m, path_of(c, s) + ".split.at");
    m.nodes[s].at = -1.0;
    expect_invalid(m, "not strictly inside");
    m.nodes[s].at = std::nan("");
    expect_invalid(m, "not strictly inside");
  }
  SECTION("a child removed or shared") {
    Certificate m = c;
    m.nodes[0].children[1] = static_cast<std::uint32_t>(m.nodes.size());
    expect_invalid(m, "tree.children[1]: no node");
    m.nodes[0].children[1] = m.nodes[0].children[0];
    expect_invalid(m, "used twice");
    m.nodes[0].children[1] = 0;
    expect_invalid(m, "used twice");
  }
  SECTION("a split on a variable that does not exist") {
    Certificate m = c;
    m.nodes[0].split_variable = 1;
    expect_invalid(m, "tree.split.variable: no variable 1");
  }
  SECTION("precisions out of range") {
    const std::uint32_t leaf = deep_leaf(c);
    Certificate m = c;
    m.nodes[leaf].precision = 1;
    expect_invalid(m, path_of(c, leaf) + ".precision");
    m.nodes[leaf].precision = 100001;
    expect_invalid(m, path_of(c, leaf) + ".precision");
  }
  SECTION("the reason names the failing node") {
    const std::uint32_t leaf = deep_leaf(c);
    REQUIRE(leaf != 0);
    Certificate m = c;
    m.nodes[leaf] = infeasible();
    const CheckResult bad = expect_invalid(m, "infeasibility not re-proven");
    CHECK(starts_with(bad.reason, path_of(c, leaf) + ": "));
  }
  SECTION("the model survives JSON") { CHECK(cert::check(cert::parse_certificate(cert::certificate_text(c))).valid); }
}

TEST_CASE("exp(x) >= 1 + x by monotonicity on both halves", "[cert][checker]") {
  const Certificate c = exp_certificate();
  const CheckResult r = cert::check(c);
  INFO(r.reason);
  REQUIRE(r.valid);
  CHECK(r.leaves == 2);
  CHECK(r.splits == 1);

  SECTION("a form that cannot prove it") {
    Certificate m = c;
    m.nodes[2].form = Form::Natural;
    const CheckResult bad = expect_invalid(m, "tree.children[1]: claim not re-proven: lower bound");
    CHECK(contains(bad.reason, "natural form at 53 bits"));
    m = c;
    m.nodes[1].form = Form::MeanValue;
    expect_invalid(m, "tree.children[0]: claim not re-proven");
  }
  SECTION("a strict claim that holds with equality at 0") {
    Certificate m = c;
    m.claim.relation = Relation::Greater;
    expect_invalid(m, "tree.children[0]: claim not re-proven: lower bound");
  }
  SECTION("a bound above the minimum") {
    Certificate m = c;
    m.claim.bound = Rational(1, 1000);
    expect_invalid(m, "claim not re-proven");
  }
  SECTION("the second-order form with an explicit centre") {
    Certificate m = c;
    m.nodes[2] = proven(Form::Taylor2);
    m.nodes[2].center = {0.0};  // f(0) = f'(0) = 0, f'' >= 1: the form is exact at the tight point
    CHECK(cert::check(m).valid);
    m.nodes[2].center = {0.5};  // the default centre cannot prove a bound tight at 0
    expect_invalid(m, "tree.children[1]: claim not re-proven");
    m.nodes[2].center = {2.0};
    expect_invalid(m, "tree.children[1].center[0]: 0x1p+1 is outside");
    m.nodes[2].center = {0.0, 0.0};
    expect_invalid(m, "tree.children[1].center: 2 coordinates for 1 variables");
    m.nodes[2].center = {std::nan("")};
    expect_invalid(m, "outside");
  }
}

TEST_CASE("low precision cannot re-prove a tight bound", "[cert][checker]") {
  // e = 2.71828182845904...
  Certificate c =
      problem({{"x", Rational(0), Rational(1)}}, {}, {"exp(x)", Relation::LessEqual, Rational(27182819, 10000000)});
  c.nodes = {proven(Form::Natural, 53)};
  CHECK(cert::check(c).valid);
  c.nodes[0].precision = 2;
  expect_invalid(c, "tree: claim not re-proven: upper bound 3 > 27182819/10000000");
  c.nodes[0].precision = 20;
  expect_invalid(c, "claim not re-proven");
  c.nodes[0].precision = 100000;
  CHECK(cert::check(c).valid);
}

TEST_CASE("domains: widened, undefined, empty, unbounded, inexact", "[cert][checker]") {
  SECTION("x^2 <= 4 on [-2, 2]") {
    Certificate c = problem({{"x", Rational(-2), Rational(2)}}, {}, {"x^2", Relation::LessEqual, Rational(4)});
    c.nodes = {proven(Form::Natural)};
    CHECK(cert::check(c).valid);
    c.variables[0].upper = Rational(2001, 1000);
    expect_invalid(c, "claim not re-proven: upper bound");
  }
  SECTION("sqrt(x) >= 0 is only proven where sqrt is defined") {
    Certificate c = problem({{"x", Rational(0), Rational(1)}}, {}, {"sqrt(x)", Relation::GreaterEqual, Rational(0)});
    c.nodes = {proven(Form::Natural)};
    CHECK(cert::check(c).valid);
    c.variables[0].lower = Rational(-1, 1000);
    expect_invalid(c, "not defined on the whole leaf box");
    c.nodes[0].form = Form::Monotone;
    expect_invalid(c, "not defined on the whole leaf box");
  }
  SECTION("an empty domain") {
    Certificate c = problem({{"x", Rational(1), Rational(0)}}, {}, {"x", Relation::GreaterEqual, Rational(0)});
    c.nodes = {proven(Form::Natural)};
    expect_invalid(c, "variables[0]: empty domain");
  }
  SECTION("unbounded domains") {
    Certificate c = problem({{"x", std::nullopt, std::nullopt}}, {}, {"x^2 + 1", Relation::GreaterEqual, Rational(1)});
    c.nodes = {proven(Form::Natural)};
    CHECK(cert::check(c).valid);
    c.nodes.clear();
    c.nodes.emplace_back();
    split(c, 0, 0, 0.0, proven(Form::Monotone), proven(Form::Natural));
    CHECK(cert::check(c).valid);
    c.claim = {"exp(x)", Relation::Greater, Rational(0)};
    c.nodes = {proven(Form::Natural)};
    expect_invalid(c, "claim not re-proven: lower bound");
  }
  SECTION("the root box encloses an inexact domain outward") {
    // x in [1/10, 3/10]: the root box ends one ulp above 3/10 (the double
    // nearest 3/10 lies below it), so 3x <= 9/10 cannot be re-proven on it.
    Certificate c =
        problem({{"x", Rational(1, 10), Rational(3, 10)}}, {}, {"3*x", Relation::LessEqual, Rational(9, 10)});
    c.nodes = {proven(Form::Natural)};
    expect_invalid(c, "upper bound");  // the outward box exceeds 3/10 by an ulp
    c.claim = {"3*x", Relation::LessEqual, Rational(91, 100)};
    CHECK(cert::check(c).valid);
  }
}

TEST_CASE("infeasible leaves and HC4 contraction", "[cert][checker]") {
  const Certificate c = constrained_certificate();
  const CheckResult r = cert::check(c);
  INFO(r.reason);
  REQUIRE(r.valid);
  CHECK(r.leaves == 3);

  SECTION("the claim is false without the constraint") {
    Certificate m = c;
    m.constraints.clear();
    expect_invalid(m, "tree.children[1].children[1]: infeasibility not re-proven");
    m = c;
    m.nodes.back() = proven(Form::Natural);
    expect_invalid(m, "tree.children[1].children[1]: claim not re-proven");
  }
  SECTION("infeasibility is exact, strictness included") {
    // With the y split at 1/4 the box x >= 3/4, y >= 1/4 touches x + y = 1.
    expect_invalid(constrained_certificate(Relation::LessEqual, 0.25), "infeasibility not re-proven");
    const Certificate strict = constrained_certificate(Relation::Less, 0.25);
    INFO(cert::check(strict).reason);
    CHECK(cert::check(strict).valid);
  }
  SECTION("contraction proves a leaf that the bare box cannot") {
    Certificate m = problem(c.variables, c.constraints, c.claim);
    m.nodes.emplace_back();
    const auto [a, b] = split(m, 0, 0, 0.75, proven(Form::Natural), proven(Form::Natural, 53, false));
    (void)a;
    expect_invalid(m, "tree.children[1]: claim not re-proven");
    m.nodes[b].contract = true;  // HC4 with x + y <= 1 gives y <= 1/4
    CHECK(cert::check(m).valid);
    // A proven leaf whose contraction empties the box holds vacuously.
    Certificate e = c;
    e.nodes.back() = proven(Form::Natural, 53, true);
    const CheckResult er = cert::check(e);
    CHECK(er.valid);
    CHECK(er.emptied == 1);
  }
  SECTION("bisection with proven and infeasible leaves") {
    const Certificate b = Bisection(problem(c.variables, c.constraints, {"x*y", Relation::LessEqual, Rational(3, 10)}),
                                    {proven(Form::Natural), infeasible()})
                              .build();
    const CheckResult br = cert::check(b);
    CHECK(br.valid);
    CHECK(br.leaves > 10);
  }
}

TEST_CASE("eps_h relaxes equality constraints, and infeasibility respects it", "[cert][checker]") {
  // x = 0 (within eps_h), claim x <= 1/8 on [0, 1].
  Certificate c = problem({{"x", Rational(0), Rational(1)}}, {{"x", Relation::Equal, Rational(0)}},
                          {"x", Relation::LessEqual, Rational(1, 8)});
  c.nodes.emplace_back();
  split(c, 0, 0, 0.0625, proven(Form::Natural), infeasible());
  CHECK(cert::check(c).valid);  // exact equality: x in [1/16, 1] is infeasible
  c.eps_h = Rational(1, 10);
  // x = 0.08 satisfies |x - 0| <= 1/10: the upper leaf is not infeasible.
  expect_invalid(c, "tree.children[1]: infeasibility not re-proven");
  c.nodes[0].at = 0.125;
  CHECK(cert::check(c).valid);
  c.eps_h = Rational(-1);
  expect_invalid(c, "eps_h");
}

TEST_CASE("cut-offs are admissible only on the safe side and where the claim is defined", "[cert][checker]") {
  Certificate c = problem({{"x", Rational(0), Rational(10)}}, {}, {"x", Relation::GreaterEqual, Rational(0)});
  c.nodes = {proven(Form::Natural, 53, true)};
  c.nodes[0].cutoff = 0.0;
  CHECK(cert::check(c).valid);
  c.nodes[0].contract = false;
  expect_invalid(c, "tree.cutoff: a cut-off needs");

  // A cut-off below the bound would "prove" a false claim by emptying the box.
  Certificate f = problem({{"x", Rational(0), Rational(10)}}, {}, {"x", Relation::GreaterEqual, Rational(1)});
  f.nodes = {proven(Form::Natural, 53, true)};
  f.nodes[0].cutoff = -1.0;
  expect_invalid(f, "tree.cutoff: -0x1p+0 is below the claimed bound");
  f.nodes[0].leaf = cert::LeafKind::Infeasible;
  expect_invalid(f, "below the claimed bound");

  // HC4 would remove x < 0, where sqrt is undefined.
  Certificate u = problem({{"x", Rational(-1), Rational(1)}}, {}, {"sqrt(x)", Relation::GreaterEqual, Rational(0)});
  u.nodes = {proven(Form::Natural, 53, true)};
  u.nodes[0].cutoff = 0.0;
  expect_invalid(u, "tree.cutoff: the claim's expression is not defined");

  Certificate up = problem({{"x", Rational(0), Rational(10)}}, {}, {"x", Relation::LessEqual, Rational(10)});
  up.nodes = {proven(Form::Natural, 53, true)};
  up.nodes[0].cutoff = 10.0;
  CHECK(cert::check(up).valid);
  up.nodes[0].cutoff = 11.0;
  expect_invalid(up, "above the claimed bound");
  up.claim.relation = Relation::Equal;
  expect_invalid(up, "not admissible for an equality claim");
}

TEST_CASE("minimum certificates: the witness brackets the optimum", "[cert][checker]") {
  const Certificate c = minimum_certificate();
  const CheckResult r = cert::check(c);
  INFO(r.reason);
  REQUIRE(r.valid);

  SECTION("the witness moved outside the domain") {
    Certificate m = c;
    m.witness->point = {3.0};
    expect_invalid(m, "witness.point[0]: 0x1.8p+1 is outside the domain of x");
  }
  SECTION("the witness made infeasible") {
    Certificate m = c;
    m.witness->point = {1.5};
    expect_invalid(m, "witness: constraints[0] is not shown satisfied");
  }
  SECTION("objective_upper below the objective at the witness") {
    Certificate m = c;
    m.witness->objective_bound = Rational(7, 10);
    expect_invalid(m, "witness.objective_upper: the objective at the witness is not shown below it");
  }
  SECTION("a witness precision out of range, a wrong dimension, a missing witness") {
    Certificate m = c;
    m.witness->precision = 1;
    expect_invalid(m, "witness.precision");
    m = c;
    m.witness->point = {0.5, 0.5};
    expect_invalid(m, "witness.point: 2 coordinates for 1 variables");
    m = c;
    m.witness.reset();
    expect_invalid(m, "witness: a minimum certificate needs a witness");
    m = c;
    m.kind = "bound";
    expect_invalid(m, "witness: only a minimum certificate has a witness");
  }
  SECTION("the claim of a minimum is `>=` (or `<=` for a maximum)") {
    Certificate m = c;
    m.claim.relation = Relation::Greater;
    expect_invalid(m, "claim: a minimum certificate claims");
  }
  SECTION("the tree is still checked") {
    Certificate m = c;
    m.claim.bound = Rational(4, 5);
    expect_invalid(m, "claim not re-proven");
  }
  SECTION("a maximum: claim <= upper, witness with objective_lower") {
    Certificate m = problem({{"x", Rational(-1), Rational(2)}}, {{"x", Relation::LessEqual, Rational(1)}},
                            {"x^2 - x + 1", Relation::LessEqual, Rational(3)});
    m.kind = "minimum";
    m.nodes.emplace_back();
    split(m, 0, 0, 0.5, proven(Form::Monotone), proven(Form::Natural, 53, true));
    m.witness = cert::Witness{{-1.0}, Rational(3), 53, {}, {}};
    const CheckResult mr = cert::check(m);
    INFO(mr.reason);
    CHECK(mr.valid);
    const Certificate back = cert::parse_certificate(cert::certificate_text(m));
    CHECK(cert::check(back).valid);
    CHECK(contains(cert::certificate_text(m), "\"objective_lower\":\"3\""));
    m.witness->objective_bound = Rational(7, 2);
    expect_invalid(m, "witness.objective_lower: the objective at the witness is not shown above it");
  }
  SECTION("the witness is checked against the exact domain, not its outward box") {
    Certificate m = problem({{"x", Rational(0), Rational(1, 10)}}, {}, {"x", Relation::GreaterEqual, Rational(0)});
    m.kind = "minimum";
    m.nodes = {proven(Form::Natural)};
    m.witness = cert::Witness{{0.1}, Rational(1, 5), 53, {}, {}};  // the double 0.1 exceeds 1/10
    REQUIRE(numeric::to_rational(0.1) > Rational(1, 10));
    expect_invalid(m, "witness.point[0]: 0x1.999999999999ap-4 is outside the domain of x");
    m.witness->point = {std::nextafter(0.1, 0.0)};
    CHECK(cert::check(m).valid);
    m.witness->point = {0.0};
    m.witness->objective_bound = Rational(0);
    CHECK(cert::check(m).valid);
  }
  SECTION("equality constraints at the witness, within eps_h") {
    Certificate m = problem({{"x", Rational(0), Rational(1)}}, {{"3*x", Relation::Equal, Rational(1)}},
                            {"x", Relation::GreaterEqual, Rational(0)});
    m.kind = "minimum";
    m.nodes = {proven(Form::Natural)};
    m.witness = cert::Witness{{1.0 / 3.0}, Rational(1, 2), 53, {}, {}};
    expect_invalid(m, "witness: constraints[0] is not shown satisfied");  // 3 * double(1/3) != 1
    m.eps_h = Rational(1, 1000000000);
    CHECK(cert::check(m).valid);
  }
}

TEST_CASE("strict and equality claims", "[cert][checker]") {
  Certificate c = problem({{"x", Rational(-1), Rational(1)}}, {}, {"x^2 + 1", Relation::Greater, Rational(1)});
  c.nodes = {proven(Form::Natural)};
  expect_invalid(c, "lower bound 1 <= 1");
  c.claim.bound = Rational(1, 2);
  CHECK(cert::check(c).valid);
  c.claim = {"x^2 + 1", Relation::Less, Rational(2)};
  expect_invalid(c, "upper bound 2 >= 2");
  c.claim = {"0*x + 2", Relation::Equal, Rational(2)};
  CHECK(cert::check(c).valid);
  c.claim = {"x - x", Relation::Equal, Rational(0)};
  expect_invalid(c, "claim not re-proven");
}

TEST_CASE("malformed models are invalid with a reason, never an exception", "[cert][checker]") {
  const Certificate good = exp_certificate();
  Certificate m = good;
  m.nodes.clear();
  expect_invalid(m, "tree: no nodes");
  m = good;
  m.kind = "proof";
  expect_invalid(m, "kind");
  m = good;
  m.variables[0].name = "exp";
  expect_invalid(m, "variables[0].name: 'exp' is a reserved name");
  m = good;
  m.variables.push_back({"x", Rational(0), Rational(1)});
  expect_invalid(m, "variables[1].name: variable 'x' declared twice");
  m = good;
  m.variables[0].name = "";
  expect_invalid(m, "empty name");
  m = good;
  m.constraints.push_back({"x +", Relation::LessEqual, Rational(0)});
  expect_invalid(m, "constraints[0].expression: cannot parse");
  m = good;
  m.nodes[2].cutoff = std::nan("");
  m.nodes[2].contract = true;
  expect_invalid(m, "tree.children[1].cutoff");
}

TEST_CASE("Lagrangian leaves: the multiplier's sign and count are checked", "[cert][checker]") {
  // x + y <= 2 on the disk x^2 + y^2 <= 2, tight at (1, 1): proven with
  // L = x + y - (x^2 + y^2 - 2)/2 <= 2, monotone on both halves.
  const std::string leaf = R"({"leaf":"proven","form":"monotone","precision":53,"contract":true,"cutoff":"0x1p+1",)"
                           R"("multipliers":[M]})";
  auto certificate = [&](const std::string& multipliers, const std::string& bound) {
    std::string l = leaf;
    l.replace(l.find('M'), 1, multipliers);
    return std::string(R"({"cerval_certificate":1,"kind":"bound",)") +
           R"("variables":[{"name":"x","lower":"-2","upper":"2"},{"name":"y","lower":"-2","upper":"2"}],)" +
           R"("constraints":[{"expression":"x^2 + y^2","relation":"<=","bound":"2"}],)" +
           R"("claim":{"expression":"x + y","relation":"<=","bound":")" + bound + R"("},)" +
           R"("tree":{"split":{"variable":0,"at":"0x1p+0"},"children":[)" + l + "," + l + "]}}";
  };
  const auto valid = cert::check(cert::parse_certificate(certificate(R"("-0x1p-1")", "2")));
  INFO(valid.reason);
  CHECK(valid.valid);
  // A positive multiplier would make L <= f: not a bound from above.
  const auto wrong_sign = cert::check(cert::parse_certificate(certificate(R"("0x1p-1")", "2")));
  CHECK_FALSE(wrong_sign.valid);
  CHECK(wrong_sign.reason.find("wrong sign") != std::string::npos);
  // One multiplier per constraint.
  CHECK_FALSE(cert::check(cert::parse_certificate(certificate(R"("-0x1p-1", "-0x1p-1")", "2"))).valid);
  // The false claim x + y <= 1.99 is not re-proven with any multiplier.
  CHECK_FALSE(cert::check(cert::parse_certificate(certificate(R"("-0x1p-1")", "1.99"))).valid);
  CHECK_FALSE(cert::check(cert::parse_certificate(certificate(R"("-0x1p+0")", "1.99"))).valid);
}

TEST_CASE("definitions: a DAG certificate is accepted, tampering and bad names rejected", "[cert][definitions]") {
  // (x^2 + 1)^2 (x^2 + 1) >= 1 on [0, 1], written with shared subexpressions.
  Certificate c = problem({{"x", Rational(0), Rational(1)}}, {}, {"d1 * d0", Relation::GreaterEqual, Rational(1)});
  c.definitions = {{"d0", "x * x + 1"}, {"d1", "d0 * d0"}};
  c.nodes = {proven(Form::Natural)};
  {
    const CheckResult r = cert::check(c);
    INFO(r.reason);
    CHECK(r.valid);
  }
  // A definition may be used by constraints too: x^2 + 1 <= 3/2 restricts x.
  {
    Certificate k = c;
    k.definitions[0].expression = "x^2 + 1";  // HC4 inverts x^2 on [0, 1] (not x * x)
    k.constraints.push_back({"d0", Relation::LessEqual, Rational(3, 2)});
    k.claim = {"d1 * d0", Relation::LessEqual, Rational(7, 2)};
    k.nodes = {proven(Form::Natural, 53, true)};
    const CheckResult r = cert::check(k);
    INFO(r.reason);
    CHECK(r.valid);
  }
  // A wrong bound: the value at x = 0 is 1.
  {
    Certificate bad = c;
    bad.claim.bound = Rational(2);
    const CheckResult r = cert::check(bad);
    CHECK(!r.valid);
    CHECK_THAT(r.reason, Catch::Contains("claim not re-proven"));
  }
  // A tampered definition changes the function: x*x - 1 makes d1*d0 reach 0.
  {
    Certificate bad = c;
    bad.definitions[0].expression = "x * x - 1";
    CHECK(!cert::check(bad).valid);
  }
  // A name used before its definition, a duplicate name, a variable's name, a keyword.
  {
    Certificate bad = c;
    std::swap(bad.definitions[0], bad.definitions[1]);
    const CheckResult r = cert::check(bad);
    CHECK(!r.valid);
    CHECK_THAT(r.reason, Catch::Contains("definitions[0].expression") && Catch::Contains("unknown name 'd0'"));
  }
  {
    Certificate bad = c;
    bad.definitions.push_back({"d0", "x"});
    const CheckResult r = cert::check(bad);
    CHECK_THAT(r.reason, Catch::Contains("definitions[2].name: 'd0' is defined twice"));
  }
  {
    Certificate bad = c;
    bad.definitions[0].name = "x";
    CHECK_THAT(cert::check(bad).reason, Catch::Contains("definitions[0].name: 'x' is a variable"));
    bad.definitions[0].name = "sin";
    CHECK_THAT(cert::check(bad).reason, Catch::Contains("reserved"));
    bad.definitions[0].name = "end";
    CHECK_THAT(cert::check(bad).reason, Catch::Contains("keyword"));
  }
  {
    Certificate bad = c;
    bad.claim.expression = "d2 * d0";
    CHECK_THAT(cert::check(bad).reason, Catch::Contains("claim.expression") && Catch::Contains("unknown name 'd2'"));
  }
}

// (x - 3/10)^2 >= 0 on [-1, 1]: [-1, -1/2] and [0, 1] proven by the natural
// form, [-1/2, 0] (interior, gradient in [-8/5, -3/5]) without a stationary point.
Certificate stationary_certificate() {
  Certificate c =
      problem({{"x", Rational(-1), Rational(1)}}, {}, {"(x - 3/10)^2", Relation::GreaterEqual, Rational(0)});
  c.nodes.emplace_back();
  CertNode none;
  none.leaf = cert::LeafKind::NoStationaryPoint;
  const auto [left, right] = split(c, 0, 0, -0.5, proven(Form::Natural), CertNode{});
  (void)left;
  split(c, right, 0, 0.0, none, proven(Form::Natural));
  return c;
}

TEST_CASE("no_stationary_point leaves: accepted in the interior without constraints, rejected otherwise",
          "[cert][checker]") {
  const Certificate valid = stationary_certificate();
  const CheckResult ok = cert::check(valid);
  INFO(ok.reason);
  CHECK(ok.valid);
  // Round trip through the JSON text keeps the leaf kind.
  const Certificate read = cert::parse_certificate(cert::certificate_text(valid));
  CHECK(read.nodes[3].leaf == cert::LeafKind::NoStationaryPoint);
  CHECK(cert::check(read).valid);

  // A leaf on the boundary of the domain: the extremum may sit there with a
  // nonzero gradient.
  Certificate boundary = valid;
  boundary.nodes[1].leaf = cert::LeafKind::NoStationaryPoint;
  CheckResult r = cert::check(boundary);
  CHECK_FALSE(r.valid);
  CHECK(r.reason.find("not in the interior of the domain") != std::string::npos);

  // The leaf moved to [-1/2, 1/2], which holds the stationary point 3/10.
  Certificate holding = valid;
  holding.nodes[2].at = 0.5;
  r = cert::check(holding);
  CHECK_FALSE(r.valid);
  CHECK(r.reason.find("Krawczyk") != std::string::npos);

  // With a constraint, a constrained extremum need not be stationary.
  Certificate constrained = valid;
  constrained.constraints.push_back({"x", Relation::LessEqual, Rational(1)});
  r = cert::check(constrained);
  CHECK_FALSE(r.valid);
  CHECK(r.reason.find("without constraints") != std::string::npos);

  // An unbounded domain: no extremum need exist.
  Certificate unbounded = valid;
  unbounded.variables[0].lower.reset();
  r = cert::check(unbounded);
  CHECK_FALSE(r.valid);
  CHECK(r.reason.find("bounded domain") != std::string::npos);
}

TEST_CASE("a projection that only the perturbation bound proves is accepted, and rejected when moved",
          "[cert][checker][projection]") {
  // NIST Lanczos3's model on its data (five digits) over a box of rates far
  // from the minimum, where the amplitudes' Hessian block is ill-conditioned:
  // Krawczyk's test cannot prove any enclosure of the optimal amplitudes,
  // the perturbation bound (expr/partial_minimiser.hpp) proves a narrow one.
  std::string text;
  for (int i = 0; i < 24; ++i) {
    const double x = 0.05 * i;
    const double y = std::round((0.0951 * std::exp(-x) + 0.8607 * std::exp(-3 * x) + 1.5576 * std::exp(-5 * x)) * 1e5);
    char row[160];
    std::snprintf(row, sizeof row, "%s(%.5f - a0*exp(-t0*%.2f) - a1*exp(-t1*%.2f) - a2*exp(-t2*%.2f))^2",
                  i ? " + " : "", y / 1e5, x, x, x);
    text += row;
  }
  Certificate c = problem({{"a0", Rational(87, 10000), Rational(87, 100)},
                           {"a1", Rational(8, 100), Rational(87, 10)},
                           {"a2", Rational(15, 100), Rational(15)},
                           {"t0", Rational(3, 16), Rational(7, 32)},
                           {"t1", Rational(39, 16), Rational(157, 64)},
                           {"t2", Rational(33, 8), Rational(529, 128)}},
                          {}, {text, Relation::GreaterEqual, Rational(0)});
  c.projected = {"a0", "a1", "a2"};
  expr::ExprGraph g;
  for (const auto& v : c.variables) g.add_variable(v.name);
  const expr::NodeId f = expr::parse_expression(text, g);
  std::vector<Interval> box;
  for (const auto& v : c.variables) box.push_back(numeric::hull(Interval::enclose(*v.lower), Interval::enclose(*v.upper)));
  const std::vector<std::size_t> amplitudes{0, 1, 2};
  const std::vector<double> guess{0.063, 0.028, 2.407};
  CHECK_FALSE(expr::partial_stationary_point_enclosure(g, f, box, amplitudes, guess));
  const auto e = expr::partial_minimiser_enclosure(g, f, box, amplitudes, guess);
  REQUIRE(e);
  CHECK_FALSE(expr::krawczyk_proves_partial_stationary_point(g, f, *e, amplitudes));
  CertNode leaf = proven(Form::Natural);
  for (std::size_t k : amplitudes) {
    leaf.projection_lower.push_back((*e)[k].lower());
    leaf.projection_upper.push_back((*e)[k].upper());
  }
  c.nodes = {leaf};
  const CheckResult r = cert::check(c);
  INFO(r.reason);
  CHECK(r.valid);
  // Ranges that miss the optimal second amplitude are proven by neither.
  Certificate moved = c;
  moved.nodes[0].projection_lower[1] = (*e)[1].upper();
  moved.nodes[0].projection_upper[1] = (*e)[1].upper() + 1;
  expect_invalid(moved, "projection");
}
