// The rational-residual form (include/cerval/expr/rational_form.hpp): the
// structure is recognised exactly where the theorem applies, the bound
// holds at every sampled point of the box (checked against 256-bit
// evaluation) whatever the expansion point, it beats the natural and
// Taylor forms on an ill-conditioned rational fit, and clamps are honoured:
// an active clamp disables the form unless a constraint keeps it inactive,
// and then the bound holds at the points satisfying that constraint.
#include <cerval/expr/parser.hpp>
#include <cerval/expr/rational_form.hpp>

#include <catch2/catch.hpp>

#include "expr/reference.hpp"

#include <random>

using namespace cerval;
using namespace cerval::test_expr;

namespace {

// Kirby2-like: (a + b x + c x^2) / (1 + d x) at x = 1..6 against data
// generated from a = 1, b = -0.5, c = 0.05, d = 0.02, perturbed.
const char* kRationalFit =
    "(1.1 - (a + b*1 + c*1^2)/(1 + d*1))^2 + (0.2 - (a + b*2 + c*2^2)/(1 + d*2))^2"
    " + 2*(-0.4 - (a + b*3 + c*3^2)/(1 + d*3))^2 + ((a + b*4 + c*4^2)/(1 + d*4) + 0.7)^2"
    " + (-0.8 - (a + b*5 + c*5^2)/(1 + d*5))^2 + sqr(-0.75 - (a + b*6 + c*6^2)/(1 + d*6)) * 0.5";

}  // namespace

TEST_CASE("rational_loss recognises sums of squared rational residuals, and nothing else", "[rational_form]") {
  const Parsed fit = parse_over({"a", "b", "c", "d"}, kRationalFit);
  const auto loss = expr::rational_loss(fit.g, fit.f);
  REQUIRE(loss);
  CHECK(loss->terms.size() == 6);
  CHECK(loss->clamps.empty());
  int weighted = 0;
  for (const auto& t : loss->terms) weighted += t.weight ? 1 : 0;
  CHECK(weighted == 2);

  // A model that is not a ratio of affine functions, a non-square term, a
  // product of parameters in the numerator, a constant term in the sum.
  for (const char* text : {"(1 - a*exp(-b))^2 + (2 - a/(1 + b))^2", "(1 - a/(1 + b))^2 + abs(2 - a/(1 + b))",
                           "(1 - a*b/(1 + b))^2", "(1 - a/(1 + b))^2 + 1", "(1 - a/(1 + b))^3"}) {
    INFO(text);
    const Parsed other = parse_over({"a", "b"}, text);
    CHECK_FALSE(expr::rational_loss(other.g, other.f));
  }
  // Clamps of an affine expression by constants are recorded, outer and inner.
  const Parsed clamped = parse_over({"a", "b"}, "(1 - a/(1 + max(-0.5, min(0.5, b + a))))^2");
  const auto with_clamps = expr::rational_loss(clamped.g, clamped.f);
  REQUIRE(with_clamps);
  CHECK(with_clamps->clamps.size() == 2);
}

TEST_CASE("the rational form encloses the loss at every sampled point, for any expansion point",
          "[rational_form][containment]") {
  const Parsed fit = parse_over({"a", "b", "c", "d"}, kRationalFit);
  const auto loss = expr::rational_loss(fit.g, fit.f);
  REQUIRE(loss);
  std::mt19937 gen(20261129);
  const std::vector<std::pair<double, double>> domain = {{-2, 3}, {-1, 1}, {-0.2, 0.2}, {0, 0.3}};
  int improved = 0;
  for (int trial = 0; trial < 300; ++trial) {
    std::vector<Interval> box;
    for (const auto& [lo, hi] : domain) box.push_back(sub_interval(gen, lo, hi));
    const std::vector<double> center = trial % 2 == 0 ? expr::rational_form_center(fit.g, fit.f, *loss, box) : [&] {
      std::vector<double> z;
      for (const Interval& x : box) z.push_back(point_in(gen, x));
      return z;
    }();
    const auto bound = expr::rational_form<Interval>(fit.g, fit.f, *loss, {}, box, center);
    const auto mp = expr::rational_form<MpInterval>(fit.g, fit.f, *loss, {}, to_mp(box, 113), center,
                                                    expr::NumberFactory<MpInterval>{113});
    const auto natural = expr::natural_form<Interval>(fit.g, fit.f, box);
    if (bound.enclosure.lower() > natural.enclosure.lower()) ++improved;
    INFO("trial " << trial);
    CHECK_FALSE(point_outside(gen, fit.g, fit.f, box, bound.enclosure, mp.enclosure, 20));
  }
  CHECK(improved > 50);
}

TEST_CASE("the rational form beats the natural and Taylor forms on an ill-conditioned fit", "[rational_form]") {
  // Far from the data's best fit, on a box that is small in d: the
  // numerator's columns 1, x, x^2 are nearly collinear over x in 1..6, so
  // every residual's enclosure holds 0 although the loss is above 10.
  const Parsed fit = parse_over({"a", "b", "c", "d"}, kRationalFit);
  const auto loss = expr::rational_loss(fit.g, fit.f);
  REQUIRE(loss);
  const std::vector<Interval> box = {Interval(-2, 3), Interval(-1, 1), Interval(-0.2, 0.2), Interval(0.25, 0.26)};
  const std::vector<double> z = expr::rational_form_center(fit.g, fit.f, *loss, box);
  for (std::size_t j = 0; j < box.size(); ++j) CHECK(box[j].contains(z[j]));
  const auto rational = expr::rational_form<Interval>(fit.g, fit.f, *loss, {}, box, z);
  const auto taylor = expr::taylor2_form<Interval>(fit.g, fit.f, box, expr::default_center(box));
  const auto natural = expr::natural_form<Interval>(fit.g, fit.f, box);
  CHECK(natural.enclosure.lower() == 0);
  CHECK(rational.enclosure.lower() > 0);
  CHECK(rational.enclosure.lower() > taylor.enclosure.lower());
}

TEST_CASE("the rational form honours clamps", "[rational_form]") {
  // The denominator max(0.5, b) is b where b >= 0.5.
  const Parsed clamped = parse_over({"a", "b"}, "(1 - (a + b)/max(0.5, b))^2 + (2 - (a - b)/max(0.5, b))^2");
  const Parsed unclamped = parse_over({"a", "b"}, "(1 - (a + b)/b)^2 + (2 - (a - b)/b)^2");
  const auto loss = expr::rational_loss(clamped.g, clamped.f);
  const auto plain = expr::rational_loss(unclamped.g, unclamped.f);
  REQUIRE(loss);
  REQUIRE(plain);
  REQUIRE(loss->clamps.size() == 1);
  const expr::NodeId b = loss->clamps[0].argument;
  REQUIRE(clamped.g.node(b).op == expr::Op::Variable);

  // Inactive over the box: the form applies without any constraint, as on
  // the loss without the clamp.
  const std::vector<Interval> inside = {Interval(3, 4), Interval(0.6, 0.7)};
  const std::vector<double> z_inside = {3.5, 0.65};
  const auto inside_bound = expr::rational_form<Interval>(clamped.g, clamped.f, *loss, {false}, inside, z_inside);
  CHECK(inside_bound.enclosure.lower() ==
        expr::rational_form<Interval>(unclamped.g, unclamped.f, *plain, {}, inside, z_inside).enclosure.lower());

  // Active on part of the box: no bound unless a constraint b >= c, c >= 0.5,
  // keeps it inactive; b >= 0.4 or b <= 1 does not.
  const std::vector<Interval> straddling = {Interval(3, 4), Interval(0.4, 0.7)};
  const std::vector<double> z = {3.5, 0.6};
  const auto natural = expr::natural_form<Interval>(clamped.g, clamped.f, straddling);
  CHECK(expr::rational_form<Interval>(clamped.g, clamped.f, *loss, {false}, straddling, z).enclosure ==
        natural.enclosure);
  using numeric::Rational;
  CHECK_FALSE(expr::clamps_kept_inactive(clamped.g, *loss, {{b, expr::Relation::GreaterEqual, Rational(2, 5)}})[0]);
  CHECK_FALSE(expr::clamps_kept_inactive(clamped.g, *loss, {{b, expr::Relation::LessEqual, Rational(1)}})[0]);
  const std::vector<bool> kept =
      expr::clamps_kept_inactive(clamped.g, *loss, {{b, expr::Relation::GreaterEqual, Rational(1, 2)}});
  REQUIRE(kept[0]);
  // Then the bound is the clamp-free loss's (whose denominators reach the
  // same largest magnitude 0.7 on the box) and holds where b >= 0.5.
  const auto bound = expr::rational_form<Interval>(clamped.g, clamped.f, *loss, kept, straddling, z);
  CHECK(bound.enclosure.lower() > natural.enclosure.lower());
  CHECK(bound.enclosure.lower() ==
        expr::rational_form<Interval>(unclamped.g, unclamped.f, *plain, {}, straddling, z).enclosure.lower());
  std::mt19937 gen(7);
  for (int k = 0; k < 200; ++k) {
    const std::vector<double> p = {point_in(gen, straddling[0]), uniform_in(gen, 0.5, 0.7)};
    REQUIRE(encloses(bound.enclosure, mp_value(clamped.g, clamped.f, ref_box(p)).value));
  }
  // An expansion point where the clamp is active gives no bound.
  CHECK(expr::rational_form<Interval>(clamped.g, clamped.f, *loss, kept, straddling, {3.5, 0.45}).enclosure ==
        natural.enclosure);
}
