#include <cerval/expr/parser.hpp>
#include <cerval/search/box_bounder.hpp>
#include <cerval/search/problem.hpp>

#include <catch2/catch.hpp>

using namespace cerval;
using numeric::Interval;

TEST_CASE("the simplest dyadic of an interval", "[bounder]") {
  CHECK(search::simplest_dyadic(-0.3, 0.7) == 0.0);
  CHECK(search::simplest_dyadic(0.3, 0.7) == 0.5);
  CHECK(search::simplest_dyadic(0.6, 0.7) == 0.625);
  // Near the largest double (this once looped forever: 2^1024 overflows).
  const double huge = search::simplest_dyadic(4.4942328371557893e307, 1.3482698511467367e308);
  CHECK(huge >= 4.4942328371557893e307);
  CHECK(huge <= 1.3482698511467367e308);
  CHECK(search::simplest_dyadic(-1.3482698511467367e308, -4.4942328371557893e307) == -huge);
  CHECK(search::simplest_dyadic(3.5, 7.2) == 4.0);
  CHECK(search::simplest_dyadic(-7.2, -3.5) == -4.0);
  CHECK(search::simplest_dyadic(1.0, 1.0) == 1.0);
}

TEST_CASE("every form the bounder picks encloses f", "[bounder]") {
  expr::Spec spec = expr::parse_spec("variables x in [-2, 2]; y in [-1, 3]; minimize x*exp(y) - sin(x*y) + x^2;", "f");
  const search::BoxBounder b(spec.graph, spec.objective->expr, {}, {});
  for (int k = 0; k < 50; ++k) {
    const double x0 = -2 + 0.07 * k, y0 = -1 + 0.05 * k;
    const search::Box box{Interval(x0, x0 + 0.1), Interval(y0, y0 + 0.3)};
    for (auto side : {search::Side::Lower, search::Side::Upper}) {
      const auto r = b.bound(box, side, std::nullopt, true);
      for (double t : {0.0, 0.25, 0.5, 1.0}) {
        const double x = x0 + 0.1 * t, y = y0 + 0.3 * t;
        const Interval v = b.value_at({x, y});
        CHECK(r.enclosure.lower() <= v.upper());
        CHECK(v.lower() <= r.enclosure.upper());
      }
    }
  }
}

TEST_CASE("a box the cheap forms settle is not bounded by the costly ones", "[bounder]") {
  // Where a first-order form already puts the box beyond the cut-off (the
  // search discards it), the second-order form is skipped: the leaf names
  // the cheap form, which is cheaper for the checker as well.
  expr::Spec spec = expr::parse_spec("variables x in [-2, 2]; y in [-1, 3]; minimize x*exp(y) - sin(x*y) + x^2;", "f");
  const search::BoxBounder b(spec.graph, spec.objective->expr, {}, {});
  int settled_cheaply = 0, settled_by_taylor = 0;
  for (int k = 0; k < 40; ++k) {
    const double x0 = -2 + 0.09 * k, y0 = -1 + 0.1 * k;
    const search::Box box{Interval(x0, x0 + 0.2), Interval(y0, y0 + 0.2)};
    const Interval best = b.bound(box, search::Side::Lower, std::nullopt, true).enclosure;
    for (double t : {0.1, 0.5, 0.9}) {
      const double cutoff = best.lower() - t * (best.upper() - best.lower());
      const auto r = b.bound(box, search::Side::Lower, cutoff, true);
      if (r.infeasible || !(r.enclosure.lower() > cutoff)) continue;
      const auto first_order = b.bound(box, search::Side::Lower, cutoff, false);
      if (r.form == expr::Form::Taylor2) {
        ++settled_by_taylor;
        CHECK_FALSE(first_order.enclosure.lower() > cutoff);
      } else {
        ++settled_cheaply;
        CHECK(r.form == first_order.form);
      }
    }
  }
  CHECK(settled_cheaply > 0);
}

TEST_CASE("the cut-off is not used where f is undefined", "[bounder]") {
  // With a cut-off f <= 0, HC4 would remove x < 0 (where sqrt is undefined)
  // and make sqrt(x) >= 0 look proven on [-1, 1].
  expr::Spec spec = expr::parse_spec("variables x in [-1, 1]; prove sqrt(x) >= 0;", "c");
  const search::BoxBounder b(spec.graph, spec.claims[0].expr, {}, {});
  const auto r = b.bound({Interval(-1.0, 1.0)}, search::Side::Lower, 0.0, false);
  CHECK_FALSE(r.cutoff);
  CHECK_FALSE(expr::is_defined_everywhere(r.decoration));
}

TEST_CASE("inner targets accept only points that satisfy the exact relation", "[bounder]") {
  using expr::Relation;
  const auto tenth = *numeric::parse_decimal("0.1");
  const Interval le = search::inner_target(Relation::LessEqual, tenth, std::nullopt);
  CHECK(numeric::to_rational(le.upper()) <= tenth);
  const Interval ge = search::inner_target(Relation::GreaterEqual, tenth, std::nullopt);
  CHECK(numeric::to_rational(ge.lower()) >= tenth);
  const Interval lt = search::inner_target(Relation::Less, numeric::Rational(1), std::nullopt);
  CHECK(lt.upper() < 1.0);
  CHECK(search::inner_target(Relation::Equal, tenth, std::nullopt).is_empty());
  CHECK(search::inner_target(Relation::Equal, numeric::Rational(1), std::nullopt) == Interval(1.0));
}
