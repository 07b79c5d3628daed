// Certificates from searches (include/cerval/search/certificate_export.hpp):
// what the search exports is accepted by the independent checker
// (cert::check), and the same certificate mutated (an altered bound, a
// removed leaf, a moved split, a dropped contraction, a moved witness) is
// rejected.
#include <cerval/cert/checker.hpp>
#include <cerval/expr/builder.hpp>
#include <cerval/expr/least_squares_form.hpp>
#include <cerval/expr/parser.hpp>
#include <cerval/search/certificate_export.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <string>

using namespace cerval;
using numeric::Rational;

namespace {

search::SearchOptions quick() {
  search::SearchOptions so;
  so.max_boxes = 100000;
  return so;
}

struct Exported {
  expr::Spec spec;
  search::ClaimResult result;
  std::optional<cert::Certificate> certificate;
  std::string why;
};

Exported export_claim(const std::string& text) {
  Exported e{expr::parse_spec(text, "claim"), {}, std::nullopt, {}};
  REQUIRE(e.spec.claims.size() == 1);
  e.result = search::verify_claim(e.spec, e.spec.claims[0], quick());
  REQUIRE(e.result.verdict == search::Verdict::Proven);
  e.certificate = search::bound_certificate(e.spec, e.spec.claims[0], e.result, quick(), e.why);
  REQUIRE(e.certificate);
  return e;
}

cert::CheckResult checked(const cert::Certificate& c) {
  const cert::CheckResult r = cert::check(c);
  INFO(r.reason);
  return r;
}

// The minimum certificate of a successful search for the minimum of
// spec's objective, accepted by the checker.
cert::Certificate checked_minimum(const expr::Spec& spec, const search::SearchOptions& so,
                                  search::MinimizationResult& r) {
  r = search::minimize(spec, spec.objective->expr, so);
  REQUIRE(r.status == search::SearchStatus::Success);
  std::string why;
  const auto c = search::minimum_certificate(spec, spec.objective->expr, r, so, why);
  INFO(why);
  REQUIRE(c);
  REQUIRE(checked(*c).valid);
  return *c;
}

// The proven leaves of `c` that use `form`.
std::vector<std::size_t> proven_leaves_with(const cert::Certificate& c, expr::Form form) {
  std::vector<std::size_t> leaves;
  for (std::size_t k = 0; k < c.nodes.size(); ++k)
    if (c.nodes[k].is_leaf() && c.nodes[k].leaf == cert::LeafKind::Proven && c.nodes[k].form == form)
      leaves.push_back(k);
  return leaves;
}

// Index of a split node whose two children are leaves.
std::optional<std::size_t> split_with_two_leaves(const cert::Certificate& c) {
  for (std::size_t k = 0; k < c.nodes.size(); ++k) {
    const auto& n = c.nodes[k];
    if (!n.is_leaf() && c.nodes[n.children[0]].is_leaf() && c.nodes[n.children[1]].is_leaf()) return k;
  }
  return std::nullopt;
}

}  // namespace

TEST_CASE("an exported bound certificate is accepted and states the problem", "[certificate_export]") {
  const Exported e = export_claim(
      "variables x in [-2, 2]; y in [-1, 0.5]; constraints x + y <= 1; prove x^2 - x*y + y^2 >= -0.01;");
  const cert::Certificate& c = *e.certificate;
  CHECK(c.kind == "bound");
  REQUIRE(c.variables.size() == 2);
  CHECK(c.variables[0].name == "x");
  CHECK(*c.variables[0].lower == -2);
  CHECK(*c.variables[1].upper == Rational(1, 2));
  REQUIRE(c.constraints.size() == 1);
  CHECK(c.constraints[0].relation == expr::Relation::LessEqual);
  CHECK(c.constraints[0].bound == 1);
  CHECK(c.claim.relation == expr::Relation::GreaterEqual);
  CHECK(c.claim.bound == Rational(-1, 100));
  CHECK(c.claim.expression == e.spec.graph.to_string(e.spec.claims[0].expr));
  CHECK_FALSE(c.witness);
  CHECK(c.nodes.size() == e.result.tree.nodes.size());
  const auto r = checked(c);
  CHECK(r.valid);
  CHECK(r.leaves == e.result.tree.leaf_count());
  CHECK(r.leaves + r.splits == c.nodes.size());
  // And through its JSON text.
  CHECK(cert::check(cert::parse_certificate(cert::certificate_text(c))).valid);
}

TEST_CASE("mutated bound certificates are rejected", "[certificate_export]") {
  const Exported e = export_claim("variables x in [0, 3]; y in [0, 3]; prove sin(x)*y - x*y <= 0.001;");
  const cert::Certificate& good = *e.certificate;
  REQUIRE(checked(good).valid);
  REQUIRE(good.nodes.size() >= 3);  // the claim needs splitting

  SECTION("an altered bound: the claim made false") {
    cert::Certificate m = good;
    m.claim.bound = Rational(-1, 10);  // at x = 0 the expression is 0 > -1/10
    CHECK_FALSE(checked(m).valid);
  }
  SECTION("an altered relation") {
    cert::Certificate m = good;
    m.claim.relation = expr::Relation::GreaterEqual;
    CHECK_FALSE(checked(m).valid);
  }
  SECTION("a widened domain") {
    cert::Certificate m = good;
    m.variables[1].upper = Rational(30);
    CHECK_FALSE(checked(m).valid);
  }
  SECTION("a removed leaf") {
    const auto k = split_with_two_leaves(good);
    REQUIRE(k);
    cert::Certificate m = good;
    // The split keeps one child only: the other points past the arena.
    m.nodes[*k].children[1] = static_cast<std::uint32_t>(m.nodes.size());
    const auto r = checked(m);
    CHECK_FALSE(r.valid);
    CHECK(r.reason.find("no node") != std::string::npos);
    // Or a leaf used for both halves.
    cert::Certificate twice = good;
    twice.nodes[*k].children[1] = twice.nodes[*k].children[0];
    CHECK_FALSE(checked(twice).valid);
  }
  SECTION("a split replaced by one of its leaves") {
    // The leaf's form must then prove the claim on the parent's box: the
    // root box, at least, is too large for that.
    cert::Certificate m = good;
    REQUIRE_FALSE(m.nodes[0].is_leaf());
    std::uint32_t leaf = 0;
    while (!m.nodes[leaf].is_leaf()) leaf = m.nodes[leaf].children[0];
    m.nodes[0] = m.nodes[leaf];
    CHECK_FALSE(checked(m).valid);
  }
  SECTION("a moved split") {
    cert::Certificate m = good;
    const auto k = split_with_two_leaves(good);
    REQUIRE(k);
    // Outside its box.
    m.nodes[*k].at = 100;
    auto r = checked(m);
    CHECK_FALSE(r.valid);
    CHECK(r.reason.find("split.at") != std::string::npos);
    // At the root: the split moved to the domain's edge.
    cert::Certificate edge = good;
    edge.nodes[0].at = 0;
    CHECK_FALSE(checked(edge).valid);
    // A split on a variable that does not exist.
    cert::Certificate var = good;
    var.nodes[0].split_variable = 2;
    CHECK_FALSE(checked(var).valid);
  }
  SECTION("leaves turned into claims of infeasibility") {
    cert::Certificate m = good;
    for (auto& n : m.nodes)
      if (n.is_leaf()) n.leaf = cert::LeafKind::Infeasible;
    CHECK_FALSE(checked(m).valid);
  }
}

TEST_CASE("constrained claims: contraction and infeasible leaves are exported and re-checked",
          "[certificate_export]") {
  const Exported e = export_claim(
      "variables x in [-2, 2]; y in [-2, 2]; constraints x^2 + y^2 <= 1; prove x + y <= 1.5;");
  const cert::Certificate& good = *e.certificate;
  REQUIRE(checked(good).valid);
  // The claim is false outside the disc (x = y = 2): a leaf that used the
  // constraints must not survive losing them.
  cert::Certificate unconstrained = good;
  unconstrained.constraints.clear();
  for (auto& n : unconstrained.nodes) n.multipliers.clear();
  CHECK_FALSE(checked(unconstrained).valid);
  // A looser constraint.
  cert::Certificate looser = good;
  looser.constraints[0].bound = 4;
  CHECK_FALSE(checked(looser).valid);
  // Dropping every contraction flag: some leaf relied on HC4 (or on
  // infeasibility the natural enclosure alone cannot show), unless none did.
  bool contracted = false;
  cert::Certificate no_hc4 = good;
  for (auto& n : no_hc4.nodes)
    if (n.is_leaf() && n.contract) {
      contracted = true;
      n.contract = false;
      n.cutoff.reset();
    }
  if (contracted) CHECK_FALSE(checked(no_hc4).valid);
}

TEST_CASE("minimum certificates: accepted, and rejected when the bounds are moved", "[certificate_export]") {
  expr::Spec spec = expr::parse_spec(
      "variables x in [-2, 2]; y in [-2, 2]; minimize (x - 0.5)^2 + (y + 0.25)^2 + x*y; constraints x + y >= -1;",
      "min");
  const auto r = search::minimize(spec, spec.objective->expr, quick());
  REQUIRE(r.status == search::SearchStatus::Success);
  REQUIRE(r.witness);
  std::string why;
  const auto c = search::minimum_certificate(spec, spec.objective->expr, r, quick(), why);
  REQUIRE(c);
  CHECK(c->kind == "minimum");
  REQUIRE(c->witness);
  CHECK(c->witness->point == *r.witness);
  CHECK(c->claim.bound == numeric::to_rational(r.lower));
  CHECK(c->witness->objective_bound == numeric::to_rational(r.upper));
  REQUIRE(checked(*c).valid);

  // The lower bound raised above the witness value: no longer consistent.
  cert::Certificate high = *c;
  high.claim.bound = c->witness->objective_bound + 1;
  CHECK_FALSE(checked(high).valid);
  // The upper bound below the true minimum: the witness cannot show it.
  cert::Certificate low = *c;
  low.witness->objective_bound = c->claim.bound - 1;
  CHECK_FALSE(checked(low).valid);
  // A witness moved out of the feasible set (x + y >= -1 fails at (-2, -2)).
  cert::Certificate infeasible_witness = *c;
  infeasible_witness.witness->point = {-2.0, -2.0};
  CHECK_FALSE(checked(infeasible_witness).valid);
  // A witness outside the domain.
  cert::Certificate outside = *c;
  outside.witness->point = {3.0, 0.0};
  CHECK_FALSE(checked(outside).valid);
}

TEST_CASE("infeasible problems export a certificate of infeasibility", "[certificate_export]") {
  expr::Spec spec = expr::parse_spec(
      "variables x in [-2, 2]; y in [-2, 2]; minimize x + y; constraints x^2 + y^2 <= 1; x*y >= 2;", "none");
  const auto r = search::minimize(spec, spec.objective->expr, quick());
  REQUIRE(r.status == search::SearchStatus::Infeasible);
  std::string why;
  const auto c = search::minimum_certificate(spec, spec.objective->expr, r, quick(), why);
  REQUIRE(c);
  CHECK(c->kind == "bound");
  CHECK(c->claim.expression == "0");
  CHECK(c->claim.relation == expr::Relation::GreaterEqual);
  CHECK(c->claim.bound == 1);
  CHECK_FALSE(c->witness);
  const auto ok = checked(*c);
  CHECK(ok.valid);
  // With the second constraint gone the problem is feasible: rejected.
  cert::Certificate feasible = *c;
  feasible.constraints.pop_back();
  CHECK_FALSE(checked(feasible).valid);
}

TEST_CASE("no certificate for an undecided search", "[certificate_export]") {
  // Undefined on part of the domain: never proven, an open leaf remains.
  expr::Spec spec = expr::parse_spec("variables x in [-1, 1]; prove sqrt(x) <= 2;", "open");
  search::SearchOptions so = quick();
  so.max_boxes = 200;
  const auto r = search::verify_claim(spec, spec.claims[0], so);
  REQUIRE(r.verdict != search::Verdict::Proven);
  std::string why;
  CHECK_FALSE(search::bound_certificate(spec, spec.claims[0], r, so, why));
  CHECK_FALSE(why.empty());
  // A minimisation without a witness.
  expr::Spec none = expr::parse_spec("variables x in [0, 1]; minimize x;", "nw");
  search::MinimizationResult empty_result;
  std::string why2;
  CHECK_FALSE(search::minimum_certificate(none, none.objective->expr, empty_result, quick(), why2));
  CHECK(why2 == "no feasible witness");
}

TEST_CASE("exported domains enclose irrational declared bounds", "[certificate_export]") {
  const Exported e = export_claim("variables x in [0, pi]; prove sin(x) >= -0.001;");
  const cert::Certificate& c = *e.certificate;
  REQUIRE(c.variables[0].upper);
  // The certificate's domain holds [0, pi].
  CHECK(numeric::MpInterval::enclose(*c.variables[0].upper, 200).lower_rational() >=
        numeric::MpInterval::pi(200).upper_rational());
  CHECK(checked(c).valid);
}

TEST_CASE("a minimum of an unrolled computation is exported with definitions and accepted",
          "[certificate_export][definitions]") {
  // y_{k+1} = y_k^2 / 2 + x / 4 (y_k used twice per step): the tree of y_24
  // has more than 2^24 nodes, the DAG fewer than 100.
  expr::Spec spec;
  spec.graph.add_variable("x");
  spec.variables.push_back({"x", Rational(-1), Rational(1), {}, std::nullopt, std::nullopt});
  expr::GraphScalar y = expr::GraphScalar::variable(spec.graph, 0);
  const expr::GraphScalar x = y;
  for (int k = 0; k < 24; ++k) y = y * y / 2 + x / 4;
  REQUIRE(spec.graph.tree_size(y.id()) > (std::uint64_t{1} << 24));
  search::SearchOptions so = quick();
  so.eps_abs = 1e-9;
  const search::MinimizationResult m = search::minimize(spec, y.id(), so);
  REQUIRE(m.status == search::SearchStatus::Success);
  std::string why;
  const auto c = search::minimum_certificate(spec, y.id(), m, so, why);
  REQUIRE(c);
  CHECK(!c->definitions.empty());
  CHECK(c->claim.expression.size() < 100);
  CHECK(checked(*c).valid);
  // Round trip through the text, still valid; a raised bound is rejected.
  const cert::Certificate back = cert::parse_certificate(cert::certificate_text(*c));
  CHECK(checked(back).valid);
  cert::Certificate bad = back;
  bad.claim.bound = numeric::to_rational(m.upper) + Rational(1, 1000);
  CHECK(!cert::check(bad).valid);
}

TEST_CASE("variable projection: projected leaves are exported, re-proven, and rejected when tampered with",
          "[certificate_export][projection]") {
  // A least-squares fit of a*exp(-t*x) to three points: a enters linearly,
  // so the search projects it (a constraint on t alone is kept, one on a is
  // not used by projected leaves).
  expr::Spec spec = expr::parse_spec(
      "variables a in [-10, 10]; t in [0.1, 2];"
      "minimize (1 - a*exp(-t))^2 + (0.6 - a*exp(-2*t))^2 + (0.35 - a*exp(-3*t))^2;"
      "constraints t <= 1.9; a >= -9;",
      "projection");
  search::SearchOptions so = quick();
  so.projected = {0};
  const auto r = search::minimize(spec, spec.objective->expr, so);
  REQUIRE(r.status == search::SearchStatus::Success);
  std::string why;
  const auto c = search::minimum_certificate(spec, spec.objective->expr, r, so, why);
  REQUIRE(c);
  REQUIRE(c->projected == std::vector<std::string>{"a"});
  std::size_t projected_leaves = 0, first = 0;
  for (std::size_t k = 0; k < c->nodes.size(); ++k)
    if (c->nodes[k].is_leaf() && c->nodes[k].is_projected() && projected_leaves++ == 0) first = k;
  REQUIRE(projected_leaves > 0);
  REQUIRE(checked(*c).valid);
  // The same minimum without projection, for comparison: it agrees.
  const auto plain = search::minimize(spec, spec.objective->expr, quick());
  REQUIRE(plain.status == search::SearchStatus::Success);
  CHECK(plain.lower <= r.upper);
  CHECK(r.lower <= plain.upper);

  // A projection range moved off the minimiser in a: Krawczyk fails.
  cert::Certificate moved = *c;
  moved.nodes[first].projection_lower[0] = 9;
  moved.nodes[first].projection_upper[0] = 10;
  const cert::CheckResult m = checked(moved);
  CHECK_FALSE(m.valid);
  CHECK(m.reason.find("projection") != std::string::npos);
  // Projecting t, in which the objective is not a convex quadratic.
  cert::Certificate wrong_variable = *c;
  wrong_variable.projected = {"t"};
  const cert::CheckResult w = checked(wrong_variable);
  CHECK_FALSE(w.valid);
  CHECK(w.reason.find("convex quadratic") != std::string::npos);
  // An unknown name, and a projection on an upper-bound claim.
  cert::Certificate unknown = *c;
  unknown.projected = {"b"};
  CHECK_FALSE(checked(unknown).valid);
  cert::Certificate upper_claim = *c;
  upper_claim.kind = "bound";
  upper_claim.witness.reset();
  upper_claim.claim.relation = expr::Relation::LessEqual;
  CHECK_FALSE(checked(upper_claim).valid);
  // The JSON form keeps the projection.
  const cert::Certificate again = cert::parse_certificate(cert::certificate_text(*c));
  CHECK(again.projected == c->projected);
  std::size_t projected_again = 0;
  for (const auto& node : again.nodes) projected_again += node.is_leaf() && node.is_projected();
  CHECK(projected_again == projected_leaves);
  CHECK(checked(again).valid);
}

TEST_CASE("variable projection of a subset where the Hessian block is singular: null ranges round-trip",
          "[certificate_export][projection]") {
  // The Hessian block in (a, b) is singular at t = 0 and t = 1 (the columns
  // (1, t) and (1, t^2) coincide there); a alone is always regular. Minimum
  // 0 at t = 1/2, a = 3, b = -4.
  expr::Spec spec = expr::parse_spec(
      "variables a in [-8, 8]; b in [-8, 8]; t in [0, 1];"
      "minimize (a + b*t - 1)^2 + (a + b*t^2 - 2)^2 + (t - 1/2)^2;",
      "subset");
  search::SearchOptions so = quick();
  so.projected = {0, 1};
  const auto r = search::minimize(spec, spec.objective->expr, so);
  REQUIRE(r.status == search::SearchStatus::Success);
  CHECK(r.lower <= 0);
  std::string why;
  const auto c = search::minimum_certificate(spec, spec.objective->expr, r, so, why);
  REQUIRE(c);
  std::size_t partial = 0;
  for (const auto& node : c->nodes)
    if (node.is_leaf() && node.is_projected()) {
      REQUIRE(node.projection_lower.size() == 2);
      partial += std::isnan(node.projection_lower[1]) && !std::isnan(node.projection_lower[0]);
    }
  CHECK(partial > 0);
  REQUIRE(checked(*c).valid);
  const std::string text = cert::certificate_text(*c);
  CHECK(text.find("null") != std::string::npos);
  CHECK(checked(cert::parse_certificate(text)).valid);
}

TEST_CASE("variable projection with the constrained minimum on a face: boundary faces are exported and re-proven",
          "[certificate_export][projection]") {
  // (a - 3)^2 + (t - 1)^2 is a convex quadratic in a whose minimiser a = 3
  // violates a <= 2 + t/4 everywhere: the relaxation to a in R gives 0, the
  // minimum is 9/17 at t = 20/17 on the face a = 2 + t/4.
  const std::string text =
      "variables a in [0, 4]; t in [0, 2];"
      "minimize (a - 3)^2 + (t - 1)^2;"
      "constraints a <= 2 + t/4;";
  expr::Spec spec = expr::parse_spec(text, "face");
  search::SearchOptions so = quick();
  so.projected = {0};
  so.eps_abs = 1e-9;
  const auto r = search::minimize(spec, spec.objective->expr, so);
  REQUIRE(r.status == search::SearchStatus::Success);
  CHECK(numeric::to_rational(r.lower) <= Rational(9, 17));
  CHECK(Rational(9, 17) <= numeric::to_rational(r.upper));
  std::string why;
  const auto c = search::minimum_certificate(spec, spec.objective->expr, r, so, why);
  REQUIRE(c);
  std::size_t with_faces = 0, first = 0;
  for (std::size_t k = 0; k < c->nodes.size(); ++k)
    if (c->nodes[k].is_leaf() && !c->nodes[k].boundary.empty() && with_faces++ == 0) first = k;
  REQUIRE(with_faces > 0);
  REQUIRE(checked(*c).valid);
  // The faces: the constraint's upper end, and a at both ends of its range.
  const cert::CertNode& leaf = c->nodes[first];
  REQUIRE(leaf.boundary.size() == 3);
  CHECK(leaf.boundary[0].constraint == 0);
  CHECK(leaf.boundary[0].upper);
  CHECK(leaf.boundary[1].variable == 0);

  // A face left out, or listed twice, or one that is not a face of the leaf.
  cert::Certificate missing = *c;
  missing.nodes[first].boundary.erase(missing.nodes[first].boundary.begin());
  const cert::CheckResult m = checked(missing);
  CHECK_FALSE(m.valid);
  CHECK(m.reason.find("constraints[0] is active") != std::string::npos);
  cert::Certificate twice = *c;
  twice.nodes[first].boundary.push_back(twice.nodes[first].boundary[1]);
  CHECK(checked(twice).reason.find("listed twice") != std::string::npos);
  cert::Certificate stranger = *c;
  stranger.nodes[first].boundary.push_back(stranger.nodes[first].boundary[1]);
  stranger.nodes[first].boundary.back().variable = 1;
  CHECK(checked(stranger).reason.find("not a face") != std::string::npos);
  // Without its faces the leaf is the relaxation, which does not prove the
  // claim (the relaxed minimum 0 lies below it).
  cert::Certificate relaxed = *c;
  relaxed.nodes[first].boundary.clear();
  CHECK_FALSE(checked(relaxed).valid);
  // A face's leaf claims more than it proves: its contraction switched off.
  cert::Certificate weak = *c;
  for (auto& f : weak.nodes[first].boundary) {
    f.leaf.contract = false;
    f.leaf.cutoff.reset();
  }
  CHECK_FALSE(checked(weak).valid);

  // The JSON form keeps the faces.
  const std::string json = cert::certificate_text(*c);
  CHECK(json.find("\"boundary\"") != std::string::npos);
  const cert::Certificate again = cert::parse_certificate(json);
  REQUIRE(again.nodes[first].boundary.size() == 3);
  CHECK(again.nodes[first].boundary[0].upper);
  CHECK(checked(again).valid);
  // A face must name one constraint or one variable.
  std::string both = json;
  const auto at = both.find("\"constraint\":0");
  REQUIRE(at != std::string::npos);
  both.insert(at, "\"variable\":0,");
  CHECK_THROWS_AS(cert::parse_certificate(both), expr::InputError);

  // The same problem without projection agrees.
  const auto plain = search::minimize(spec, spec.objective->expr, quick());
  REQUIRE(plain.status == search::SearchStatus::Success);
  CHECK(plain.lower <= r.upper);
  CHECK(r.lower <= plain.upper);
}

TEST_CASE("rational-residual leaves: exported, re-proven by the checker, and rejected when tampered with",
          "[certificate_export]") {
  // A rational model fitted to data: far from the fit, the rational form
  // bounds boxes that the interval forms cannot (expr/rational_form.hpp).
  expr::Spec spec = expr::parse_spec(
      "variables a in [-3, 3]; b in [-1, 1]; c in [-0.1, 0.1]; d in [0, 0.3];"
      "minimize (1.1 - (a + b*1 + c*1)/(1 + d*1))^2 + (0.2 - (a + b*2 + c*4)/(1 + d*2))^2"
      " + (-0.4 - (a + b*3 + c*9)/(1 + d*3))^2 + (-0.7 - (a + b*4 + c*16)/(1 + d*4))^2"
      " + (-0.8 - (a + b*5 + c*25)/(1 + d*5))^2 + (-0.75 - (a + b*6 + c*36)/(1 + d*6))^2;",
      "rational");
  search::SearchOptions so = quick();
  so.eps_rel = 1e-6;
  search::MinimizationResult r;
  const cert::Certificate c = checked_minimum(spec, so, r);
  const std::vector<std::size_t> rational_leaves = proven_leaves_with(c, expr::Form::Rational);
  REQUIRE(!rational_leaves.empty());
  const std::size_t rational_leaf = rational_leaves.front();
  CHECK(cert::parse_certificate(cert::certificate_text(c)).nodes[rational_leaf].form == expr::Form::Rational);
  // The expansion point moved out of the leaf box, or the leaf re-labelled
  // with a form that cannot prove it: rejected.
  cert::Certificate moved = c;
  for (double& x : moved.nodes[rational_leaf].center) x = 1e6;
  CHECK_FALSE(checked(moved).valid);
  cert::Certificate natural = c;
  natural.nodes[rational_leaf].form = expr::Form::Natural;
  CHECK_FALSE(checked(natural).valid);
}

TEST_CASE("Gauss-Newton leaves: exported, re-proven by the checker, and rejected when tampered with",
          "[certificate_export]") {
  // An ill-conditioned exponential fit: near its minimum the Gauss-Newton
  // form bounds boxes that the other forms cannot (expr/least_squares_form.hpp).
  const std::string loss =
      "(0.53 - a*(1 - exp(-b*1)))^2 + (0.9 - a*(1 - exp(-b*2)))^2 + (1.19 - a*(1 - exp(-b*3)))^2"
      " + (1.4 - a*(1 - exp(-b*4)))^2 + (1.55 - a*(1 - exp(-b*5)))^2 + (1.67 - a*(1 - exp(-b*6)))^2";
  expr::Spec spec = expr::parse_spec("variables a in [0.5, 5]; b in [0.05, 1]; minimize " + loss + ";", "exponential");
  search::SearchOptions so = quick();
  so.eps_rel = 1e-8;
  search::MinimizationResult r;
  const cert::Certificate c = checked_minimum(spec, so, r);
  const std::vector<std::size_t> leaves = proven_leaves_with(c, expr::Form::GaussNewton);
  REQUIRE(!leaves.empty());
  const cert::Certificate again = cert::parse_certificate(cert::certificate_text(c));
  CHECK(proven_leaves_with(again, expr::Form::GaussNewton).size() == leaves.size());
  CHECK(checked(again).valid);
  // The expansion point moved out of a leaf box: rejected. Some leaf
  // re-labelled natural no longer proves its claim.
  cert::Certificate moved = c;
  for (double& x : moved.nodes[leaves.front()].center) x = 1e6;
  CHECK_FALSE(checked(moved).valid);
  bool needed = false;
  for (std::size_t k : leaves) {
    cert::Certificate natural = c;
    natural.nodes[k].form = expr::Form::Natural;
    needed = needed || !checked(natural).valid;
  }
  CHECK(needed);
  // The claim must be a sum of squares: the same leaves for the loss minus
  // 0 * a (not of that shape) are rejected.
  expr::Spec other =
      expr::parse_spec("variables a in [0.5, 5]; b in [0.05, 1]; minimize " + loss + " - 0*a;", "exponential");
  REQUIRE_FALSE(expr::squared_terms(other.graph, other.objective->expr));
  std::string why;
  const auto unshaped = search::minimum_certificate(other, other.objective->expr, r, so, why);
  REQUIRE(unshaped);
  CHECK_FALSE(checked(*unshaped).valid);
}
