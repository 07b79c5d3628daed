// Spec data (include/cerval/expr/spec.hpp): outward enclosures of the exact
// variable domains, inner bounds of irrational declared bounds, relation
// symbols.
#include <cerval/expr/parser.hpp>
#include <cerval/expr/spec.hpp>

#include <catch2/catch.hpp>

#include <limits>
#include <string>

using namespace cerval;
using numeric::Interval;
using numeric::MpInterval;
using numeric::Rational;

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();
}

TEST_CASE("enclose_domain: the tightest outward binary64 enclosure", "[spec]") {
  expr::VariableDomain d{"x", Rational(1, 10), Rational(1, 5), {}, std::nullopt, std::nullopt};
  const Interval x = expr::enclose_domain(d);
  CHECK(x.lower() == numeric::to_double_down(Rational(1, 10)));
  CHECK(x.upper() == numeric::to_double_up(Rational(1, 5)));
  CHECK(numeric::to_rational(x.lower()) < Rational(1, 10));
  CHECK(numeric::to_rational(x.upper()) > Rational(1, 5));
  // Exact doubles stay exact.
  expr::VariableDomain exact{"y", Rational(-3), Rational(1, 4), {}, std::nullopt, std::nullopt};
  CHECK(expr::enclose_domain(exact) == Interval(-3.0, 0.25));
  // Absent endpoints are infinite.
  expr::VariableDomain lower_only{"z", Rational(1, 3), std::nullopt, {}, std::nullopt, std::nullopt};
  CHECK(expr::enclose_domain(lower_only).upper() == kInf);
  CHECK(expr::enclose_domain(lower_only).lower() == numeric::to_double_down(Rational(1, 3)));
  expr::VariableDomain none{"w", std::nullopt, std::nullopt, {}, std::nullopt, std::nullopt};
  CHECK(expr::enclose_domain(none) == Interval::entire());
  // Beyond the double range: infinite, still outward.
  expr::VariableDomain huge{"h", -Rational(numeric::Integer(1) << 2000), Rational(0), {}, std::nullopt, std::nullopt};
  CHECK(expr::enclose_domain(huge).lower() == -kInf);
}

TEST_CASE("enclose_domain at a precision: contains the exact domain", "[spec]") {
  expr::VariableDomain d{"x", Rational(1, 10), Rational(1, 3), {}, std::nullopt, std::nullopt};
  for (long prec : {2L, 24L, 53L, 200L}) {
    const MpInterval x = expr::enclose_domain(d, prec);
    CHECK(x.precision() == prec);
    CHECK(x.contains(Rational(1, 10)));
    CHECK(x.contains(Rational(1, 3)));
    CHECK(x.lower_rational() <= Rational(1, 10));
    CHECK(x.upper_rational() >= Rational(1, 3));
  }
  CHECK(expr::enclose_domain(d, 200).width() < 0.2333333334);
  expr::VariableDomain lower_only{"z", Rational(1, 3), std::nullopt, {}, std::nullopt, std::nullopt};
  const MpInterval z = expr::enclose_domain(lower_only, 100);
  CHECK(z.contains(Rational(1, 3)));
  CHECK(z.lower_rational() <= Rational(1, 3));
  CHECK(z.upper_up() == kInf);
  expr::VariableDomain upper_only{"u", std::nullopt, Rational(-7, 3), {}, std::nullopt, std::nullopt};
  const MpInterval u = expr::enclose_domain(upper_only, 100);
  CHECK(u.contains(Rational(-7, 3)));
  CHECK(u.upper_rational() >= Rational(-7, 3));
  CHECK(u.lower_down() == -kInf);
  expr::VariableDomain none{"w", std::nullopt, std::nullopt, {}, std::nullopt, std::nullopt};
  CHECK_FALSE(expr::enclose_domain(none, 64).is_bounded());
}

TEST_CASE("enclose_domains: one interval per variable, in graph order", "[spec]") {
  const expr::Spec s = expr::parse_spec("variables x in [0.1, 0.2]; y in [-1, 1]; v[2] in [0, 3]; w;", "d");
  const auto box = expr::enclose_domains(s.variables);
  REQUIRE(box.size() == 5);
  REQUIRE(s.variables.size() == 5);
  for (std::size_t i = 0; i < box.size(); ++i) {
    CHECK(box[i] == expr::enclose_domain(s.variables[i]));
    CHECK(s.graph.variable_name(i) == s.variables[i].name);
  }
  CHECK(box[1] == Interval(-1.0, 1.0));
  CHECK(box[4] == Interval::entire());
  CHECK(expr::enclose_domains({}).empty());
}

TEST_CASE("irrational declared bounds: outer rationals plus inner bounds", "[spec]") {
  const expr::Spec s = expr::parse_spec("variables x in [-pi, sqrt(2)]; y in [0, 1];", "irr");
  const auto& x = s.variables[0];
  REQUIRE(x.lower);
  REQUIRE(x.upper);
  REQUIRE(x.inner_lower);
  REQUIRE(x.inner_upper);
  // outer lower <= -pi <= inner lower  and  inner upper <= sqrt 2 <= outer upper.
  const MpInterval pi = MpInterval::pi(300);
  const MpInterval root2 = sqrt(MpInterval(2.0, 2.0, 300));
  CHECK(MpInterval::enclose(*x.lower, 300).upper_rational() <= (-pi).lower_rational());
  CHECK(MpInterval::enclose(*x.inner_lower, 300).lower_rational() >= (-pi).upper_rational());
  CHECK(MpInterval::enclose(*x.inner_upper, 300).upper_rational() <= root2.lower_rational());
  CHECK(MpInterval::enclose(*x.upper, 300).lower_rational() >= root2.upper_rational());
  CHECK(*x.inside_lower() == *x.inner_lower);
  CHECK(*x.inside_upper() == *x.inner_upper);
  // The enclosure holds the declared domain.
  const Interval box = expr::enclose_domain(x);
  CHECK(box.lower() < -3.141592653589793);  // the double nearest pi is below pi
  CHECK(box.upper() >= 1.4142135623730951);  // the double nearest sqrt 2 (above it)
  // Exact bounds have no inner bounds; inside_* falls back to them.
  const auto& y = s.variables[1];
  CHECK_FALSE(y.inner_lower);
  CHECK_FALSE(y.inner_upper);
  CHECK(*y.inside_lower() == 0);
  CHECK(*y.inside_upper() == 1);
}

TEST_CASE("relation symbols", "[spec]") {
  CHECK(std::string(expr::relation_symbol(expr::Relation::LessEqual)) == "<=");
  CHECK(std::string(expr::relation_symbol(expr::Relation::Less)) == "<");
  CHECK(std::string(expr::relation_symbol(expr::Relation::GreaterEqual)) == ">=");
  CHECK(std::string(expr::relation_symbol(expr::Relation::Greater)) == ">");
  CHECK(std::string(expr::relation_symbol(expr::Relation::Equal)) == "=");
}
