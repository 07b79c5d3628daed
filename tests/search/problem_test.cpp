// Search problems (include/cerval/search/problem.hpp): contractor targets
// (outer), inner targets (every enclosure inside proves the relation), and
// membership of points in the exact declared domain, including the inner
// bounds of irrational declared bounds.
#include <cerval/expr/parser.hpp>
#include <cerval/search/problem.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <random>

using namespace cerval;
using expr::Relation;
using numeric::Interval;
using numeric::Rational;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

bool holds(const Rational& v, Relation r, const Rational& b, const std::optional<Rational>& eps_h) {
  switch (r) {
    case Relation::LessEqual: return v <= b;
    case Relation::Less: return v < b;
    case Relation::GreaterEqual: return v >= b;
    case Relation::Greater: return v > b;
    case Relation::Equal: return eps_h ? (v >= b - *eps_h && v <= b + *eps_h) : v == b;
  }
  return false;
}

}  // namespace

TEST_CASE("contractor_constraints: outer targets, equalities widened by eps_h", "[problem]") {
  const expr::Spec s = expr::parse_spec(
      "variables x in [-1, 1]; y in [-1, 1]; constraints x + y <= 0.1; x*y >= -1/3; x - y = 0.2; x^2 < 1;", "p");
  const auto plain = search::contractor_constraints(s, std::nullopt);
  REQUIRE(plain.size() == 4);
  for (std::size_t k = 0; k < 4; ++k) {
    CHECK(plain[k].expr == s.constraints[k].expr);
    CHECK(plain[k].target == expr::relation_target(s.constraints[k].relation, s.constraints[k].bound));
  }
  CHECK(plain[0].target.upper() == numeric::to_double_up(Rational(1, 10)));
  CHECK(plain[1].target.lower() == numeric::to_double_down(Rational(-1, 3)));
  CHECK(plain[2].target == Interval::enclose(Rational(1, 5)));
  const Rational eps(1, 1000);
  const auto relaxed = search::contractor_constraints(s, eps);
  CHECK(relaxed[0].target == plain[0].target);  // only equalities change
  CHECK(relaxed[1].target == plain[1].target);
  CHECK(relaxed[3].target == plain[3].target);
  CHECK(relaxed[2].target == Interval::enclose(Rational(1, 5) - eps, Rational(1, 5) + eps));
  CHECK(relaxed[2].target.contains(Interval::enclose(Rational(199, 1000), Rational(201, 1000))));
}

TEST_CASE("inner_target: every value of the target satisfies the relation exactly", "[problem]") {
  const std::vector<Rational> bounds{Rational(1, 10), Rational(0), Rational(1), Rational(-7, 3), Rational(1, 1024),
                                     numeric::to_rational(0.1)};
  std::mt19937 gen(20261128);
  for (const Rational& b : bounds)
    for (Relation r : {Relation::LessEqual, Relation::Less, Relation::GreaterEqual, Relation::Greater,
                       Relation::Equal})
      for (const std::optional<Rational>& eps : {std::optional<Rational>{}, std::optional<Rational>{Rational(1, 100)}}) {
        const Interval t = search::inner_target(r, b, eps);
        INFO("bound " << numeric::to_string(b) << " relation " << expr::relation_symbol(r) << " target " << t);
        if (t.is_empty()) {
          // Only an equality with a bound that is not a double and no eps_h.
          CHECK(r == Relation::Equal);
          CHECK_FALSE(eps);
          CHECK(numeric::to_double_down(b) != numeric::to_double_up(b));
          continue;
        }
        // The finite endpoints and random points of the target satisfy it.
        std::vector<double> samples;
        if (std::isfinite(t.lower())) samples.push_back(t.lower());
        if (std::isfinite(t.upper())) samples.push_back(t.upper());
        const double lo = std::isfinite(t.lower()) ? t.lower() : t.upper() - 10;
        const double hi = std::isfinite(t.upper()) ? t.upper() : t.lower() + 10;
        for (int i = 0; i < 50; ++i)
          samples.push_back(std::clamp(lo + (hi - lo) * std::uniform_real_distribution<double>(0, 1)(gen), lo, hi));
        for (double v : samples) CHECK(holds(numeric::to_rational(v), r, b, eps));
        // And it is the largest such target: the next double out fails.
        if (r != Relation::Equal) {
          if (std::isfinite(t.upper()))
            CHECK_FALSE(holds(numeric::to_rational(std::nextafter(t.upper(), kInf)), r, b, eps));
          if (std::isfinite(t.lower()))
            CHECK_FALSE(holds(numeric::to_rational(std::nextafter(t.lower(), -kInf)), r, b, eps));
        }
      }
  // Specific values.
  CHECK(search::inner_target(Relation::LessEqual, Rational(1, 10), std::nullopt) ==
        Interval(-kInf, numeric::to_double_down(Rational(1, 10))));
  CHECK(search::inner_target(Relation::LessEqual, Rational(1), std::nullopt) == Interval(-kInf, 1.0));
  CHECK(search::inner_target(Relation::Less, Rational(1), std::nullopt).upper() == std::nextafter(1.0, 0.0));
  CHECK(search::inner_target(Relation::Greater, Rational(1), std::nullopt).lower() == std::nextafter(1.0, 2.0));
  CHECK(search::inner_target(Relation::Equal, Rational(1), std::nullopt) == Interval(1.0));
  CHECK(search::inner_target(Relation::Equal, Rational(1, 3), std::nullopt).is_empty());
}

TEST_CASE("inner_targets: one per constraint, in order", "[problem]") {
  const expr::Spec s = expr::parse_spec("variables x; constraints x <= 1; x >= -1; x = 1/3;", "t");
  const auto t = search::inner_targets(s, std::nullopt);
  REQUIRE(t.size() == 3);
  CHECK(t[0] == Interval(-kInf, 1.0));
  CHECK(t[1] == Interval(-1.0, kInf));
  CHECK(t[2].is_empty());
  const auto relaxed = search::inner_targets(s, Rational(1, 10));
  CHECK(relaxed[2].lower() >= 0.2333333333);
  CHECK(relaxed[2].upper() <= 0.4333333334);
}

TEST_CASE("in_exact_domain: the declared domain, not its outward enclosure", "[problem]") {
  const expr::Spec s = expr::parse_spec("variables x in [0.1, pi]; y in [-sqrt(2), 1]; z;", "d");
  const double pi_below = 3.141592653589793;               // nearest double, below pi
  const double pi_above = std::nextafter(pi_below, 4.0);   // above pi, inside the outer rational box
  const double root2 = 1.4142135623730951;                 // nearest double, above sqrt 2
  const double root2_below = std::nextafter(root2, 0.0);
  CHECK(search::in_exact_domain(s, {1.0, 0.0, 1e300}));
  CHECK(search::in_exact_domain(s, {pi_below, 1.0, -5.0}));
  // 0.1 as a double is above 1/10; the double below is outside.
  CHECK(search::in_exact_domain(s, {0.1, 0.0, 0.0}));
  CHECK_FALSE(search::in_exact_domain(s, {std::nextafter(0.1, 0.0), 0.0, 0.0}));
  // Beyond pi: inside the searched box (outer rational bound), not in the declared domain.
  REQUIRE(s.variables[0].upper);
  CHECK(numeric::to_rational(pi_above) <= *s.variables[0].upper);
  CHECK(expr::enclose_domain(s.variables[0]).contains(pi_above));
  CHECK_FALSE(search::in_exact_domain(s, {pi_above, 0.0, 0.0}));
  // -sqrt 2: -root2 is below it, -root2_below above it.
  CHECK_FALSE(search::in_exact_domain(s, {1.0, -root2, 0.0}));
  CHECK(search::in_exact_domain(s, {1.0, -root2_below, 0.0}));
  // Wrong size, non-finite coordinates.
  CHECK_FALSE(search::in_exact_domain(s, {1.0, 0.0}));
  CHECK_FALSE(search::in_exact_domain(s, {1.0, 0.0, kInf}));
  CHECK_FALSE(search::in_exact_domain(s, {std::nan(""), 0.0, 0.0}));
  CHECK_FALSE(search::in_exact_domain(s, {1.0, 1.5, 0.0}));
}
