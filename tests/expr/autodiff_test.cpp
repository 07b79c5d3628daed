// Forward-mode automatic differentiation (include/cerval/expr/autodiff.hpp).
//
// The gradient (Dual) and Hessian (HessianDual) enclosures are compared with
// hand-written symbolic derivatives evaluated with MPFI at 256 bits (512 for
// the MpInterval runs) at exact points: the AD enclosure must contain the
// whole reference enclosure of the exact derivative. No finite differences,
// no tolerances. Over wide boxes the enclosures must contain the exact
// derivatives at sample points of the box.
#include <cerval/expr/autodiff.hpp>

#include <catch2/catch.hpp>

#include <functional>

#include "expr/reference.hpp"

using namespace cerval;
using namespace cerval::test_expr;
using expr::Dual;
using expr::HessianDual;

namespace {

// Exact value, gradient and Hessian of f(x, y), enclosed at the points'
// precision.
struct Jet {
  MpInterval f, gx, gy, hxx, hxy, hyy;
};
using JetFn = std::function<Jet(const MpInterval&, const MpInterval&)>;

struct AdCase {
  const char* text;
  double xlo, xhi, ylo, yhi;  // where the derivatives below are valid
  JetFn jet;
};

// Constants at the precision of `like`.
MpInterval k(const MpInterval& like, double v) { return make_point(like, v); }

const std::vector<AdCase>& cases() {
  static const std::vector<AdCase> all = {
      {"x^3*y - 2*x*y^2 + 5", -2, 2, -2, 2,
       [](const MpInterval& x, const MpInterval& y) {
         return Jet{pow(x, 3L) * y - k(x, 2) * x * sqr(y) + k(x, 5), k(x, 3) * sqr(x) * y - k(x, 2) * sqr(y),
                    pow(x, 3L) - k(x, 4) * x * y, k(x, 6) * x * y, k(x, 3) * sqr(x) - k(x, 4) * y,
                    -(k(x, 4) * x)};
       }},
      {"exp(x*y)", -1.5, 1.5, -1.5, 1.5,
       [](const MpInterval& x, const MpInterval& y) {
         const MpInterval e = exp(x * y);
         return Jet{e, y * e, x * e, sqr(y) * e, (k(x, 1) + x * y) * e, sqr(x) * e};
       }},
      {"sin(x)*cos(y)", -4, 4, -4, 4,
       [](const MpInterval& x, const MpInterval& y) {
         return Jet{sin(x) * cos(y), cos(x) * cos(y), -(sin(x) * sin(y)), -(sin(x) * cos(y)),
                    -(cos(x) * sin(y)), -(sin(x) * cos(y))};
       }},
      {"tan(x + y/2)", -0.6, 0.6, -0.8, 0.8,
       [](const MpInterval& x, const MpInterval& y) {
         const MpInterval t = tan(x + y / k(x, 2));
         const MpInterval s = k(x, 1) + sqr(t);
         return Jet{t, s, s / k(x, 2), k(x, 2) * t * s, t * s, t * s / k(x, 2)};
       }},
      {"log(x^2 + y^2 + 1)", -3, 3, -3, 3,
       [](const MpInterval& x, const MpInterval& y) {
         const MpInterval r = sqr(x) + sqr(y) + k(x, 1);
         return Jet{log(r), k(x, 2) * x / r, k(x, 2) * y / r, k(x, 2) / r - k(x, 4) * sqr(x) / sqr(r),
                    -(k(x, 4) * x * y / sqr(r)), k(x, 2) / r - k(x, 4) * sqr(y) / sqr(r)};
       }},
      {"sqrt(x^2 + 2*y^2 + 1)", -3, 3, -3, 3,
       [](const MpInterval& x, const MpInterval& y) {
         const MpInterval s = sqrt(sqr(x) + k(x, 2) * sqr(y) + k(x, 1));
         const MpInterval s3 = pow(s, 3L);
         return Jet{s, x / s, k(x, 2) * y / s, k(x, 1) / s - sqr(x) / s3, -(k(x, 2) * x * y / s3),
                    k(x, 2) / s - k(x, 4) * sqr(y) / s3};
       }},
      {"atan(x*y)", -2, 2, -2, 2,
       [](const MpInterval& x, const MpInterval& y) {
         const MpInterval u = x * y;
         const MpInterval d = k(x, 1) / (k(x, 1) + sqr(u));
         return Jet{atan(u), y * d, x * d, -(k(x, 2) * x * pow(y, 3L) * sqr(d)),
                    d - k(x, 2) * sqr(u) * sqr(d), -(k(x, 2) * pow(x, 3L) * y * sqr(d))};
       }},
      {"asin(x/2)*y", -1.8, 1.8, -2, 2,
       [](const MpInterval& x, const MpInterval& y) {
         const MpInterval q = k(x, 1) - sqr(x) / k(x, 4);
         const MpInterval d1 = k(x, 1) / (k(x, 2) * sqrt(q));
         const MpInterval d2 = x / k(x, 8) / pow(sqrt(q), 3L);
         return Jet{asin(x / k(x, 2)) * y, y * d1, asin(x / k(x, 2)), y * d2, d1, k(x, 0)};
       }},
      {"acos(x/2) + y^2", -1.8, 1.8, -2, 2,
       [](const MpInterval& x, const MpInterval& y) {
         const MpInterval q = k(x, 1) - sqr(x) / k(x, 4);
         return Jet{acos(x / k(x, 2)) + sqr(y), -(k(x, 1) / (k(x, 2) * sqrt(q))), k(x, 2) * y,
                    -(x / k(x, 8) / pow(sqrt(q), 3L)), k(x, 0), k(x, 2)};
       }},
      {"x^y", 0.25, 3, -2, 2,
       [](const MpInterval& x, const MpInterval& y) {
         const MpInterval f = exp(y * log(x));
         const MpInterval l = log(x);
         return Jet{f, y * f / x, f * l, y * (y - k(x, 1)) * f / sqr(x), f * (k(x, 1) + y * l) / x, f * sqr(l)};
       }},
      {"x^2.5 * y", 0.1, 3, -2, 2,
       [](const MpInterval& x, const MpInterval& y) {
         const MpInterval p15 = pow(x, k(x, 1.5)), p05 = sqrt(x), p25 = pow(x, k(x, 2.5));
         return Jet{p25 * y, k(x, 2.5) * p15 * y, p25, k(x, 3.75) * p05 * y, k(x, 2.5) * p15, k(x, 0)};
       }},
      {"sinh(x)*cosh(y) + tanh(x*y)", -2, 2, -2, 2,
       [](const MpInterval& x, const MpInterval& y) {
         const MpInterval t = tanh(x * y);
         const MpInterval s = k(x, 1) - sqr(t);          // tanh'
         const MpInterval s2 = -(k(x, 2) * t * s);        // tanh''
         return Jet{sinh(x) * cosh(y) + t, cosh(x) * cosh(y) + y * s, sinh(x) * sinh(y) + x * s,
                    sinh(x) * cosh(y) + sqr(y) * s2, cosh(x) * sinh(y) + s + x * y * s2,
                    sinh(x) * cosh(y) + sqr(x) * s2};
       }},
      {"(x - y)/(1 + x^2 + y^2)", -3, 3, -3, 3,
       [](const MpInterval& x, const MpInterval& y) {
         const MpInterval n = x - y, d = k(x, 1) + sqr(x) + sqr(y);
         const MpInterval d2 = sqr(d), d3 = pow(d, 3L);
         return Jet{n / d, k(x, 1) / d - k(x, 2) * x * n / d2, -(k(x, 1) / d) - k(x, 2) * y * n / d2,
                    -(k(x, 4) * x / d2) - k(x, 2) * n / d2 + k(x, 8) * n * sqr(x) / d3,
                    (k(x, 2) * x - k(x, 2) * y) / d2 + k(x, 8) * n * x * y / d3,
                    k(x, 4) * y / d2 - k(x, 2) * n / d2 + k(x, 8) * n * sqr(y) / d3};
       }},
      {"exp(sin(x)*y^2) + cos(x*y)", -2, 2, -2, 2,
       [](const MpInterval& x, const MpInterval& y) {
         const MpInterval e = exp(sin(x) * sqr(y));
         const MpInterval ux = cos(x) * sqr(y), uy = k(x, 2) * y * sin(x);
         const MpInterval c = cos(x * y), s = sin(x * y);
         return Jet{e + c, e * ux - s * y, e * uy - s * x,
                    e * sqr(ux) - e * sin(x) * sqr(y) - c * sqr(y),
                    e * uy * ux + e * k(x, 2) * y * cos(x) - c * x * y - s,
                    e * sqr(uy) + e * k(x, 2) * sin(x) - c * sqr(x)};
       }},
      {"log(x)/y", 0.1, 5, 0.5, 3,
       [](const MpInterval& x, const MpInterval& y) {
         const MpInterval l = log(x);
         return Jet{l / y, k(x, 1) / (x * y), -(l / sqr(y)), -(k(x, 1) / (sqr(x) * y)),
                    -(k(x, 1) / (x * sqr(y))), k(x, 2) * l / pow(y, 3L)};
       }},
      {"sqr(x + y)*x", -2, 2, -2, 2,
       [](const MpInterval& x, const MpInterval& y) {
         const MpInterval s = x + y;
         return Jet{sqr(s) * x, k(x, 2) * s * x + sqr(s), k(x, 2) * s * x, k(x, 2) * x + k(x, 4) * s,
                    k(x, 2) * x + k(x, 2) * s, k(x, 2) * x};
       }},
      {"x^(-2)*y + y^4", 0.5, 2, -2, 2,
       [](const MpInterval& x, const MpInterval& y) {
         return Jet{pow(x, -2L) * y + pow(y, 4L), -(k(x, 2) * pow(x, -3L) * y), pow(x, -2L) + k(x, 4) * pow(y, 3L),
                    k(x, 6) * pow(x, -4L) * y, -(k(x, 2) * pow(x, -3L)), k(x, 12) * sqr(y)};
       }},
      {"cos(exp(x/3) - y) * (x - pi)", -2, 2, -2, 2,
       [](const MpInterval& x, const MpInterval& y) {
         const MpInterval u = exp(x / k(x, 3)) - y, ux = exp(x / k(x, 3)) / k(x, 3);
         const MpInterval p = x - MpInterval::pi(x.precision());
         const MpInterval c = cos(u), s = sin(u);
         return Jet{c * p, -(s * ux) * p + c, s * p, -(c * sqr(ux) + s * ux / k(x, 3)) * p - k(x, 2) * s * ux,
                    c * ux * p + s, -(c * p)};
       }},
  };
  return all;
}

template <class I>
const I& grad_entry(const std::vector<I>& g, std::size_t i) {
  REQUIRE(i < g.size());
  return g[i];
}

struct Built {
  expr::ExprGraph g;
  expr::NodeId id = 0;
};

Built build(const char* text) {
  Built b;
  b.g.add_variable("x");
  b.g.add_variable("y");
  b.id = expr::parse_expression(text, b.g);
  return b;
}

template <class I>
expr::NumberFactory<I> ad_factory();
template <>
expr::NumberFactory<Interval> ad_factory<Interval>() { return {}; }
constexpr long kMpAdPrecision = 113;
template <>
expr::NumberFactory<MpInterval> ad_factory<MpInterval>() { return {kMpAdPrecision}; }

// Checks the AD enclosures over `box` (type I) against the reference jet at
// the exact point (px, py) of the box.
template <class I>
void check_against(const AdCase& c, const Built& b, const std::vector<I>& box, const MpInterval& px,
                   const MpInterval& py) {
  const Jet ref = c.jet(px, py);
  for (const MpInterval* r : {&ref.f, &ref.gx, &ref.gy, &ref.hxx, &ref.hxy, &ref.hyy}) REQUIRE(is_tight(*r));

  std::vector<Dual<I>> dual_box{Dual<I>::variable(box[0], 0, 2), Dual<I>::variable(box[1], 1, 2)};
  expr::Evaluator<Dual<I>> ad(b.g, expr::NumberFactory<Dual<I>>{{ad_factory<I>()}});
  ad.evaluate_until(dual_box, b.id);
  const Dual<I>& d = ad.value(b.id);
  INFO(c.text << " at x = " << px << ", y = " << py << " over " << box[0] << " x " << box[1]);
  INFO("value " << d.value << " gradient " << grad_entry(d.grad, 0) << ", " << grad_entry(d.grad, 1));
  INFO("reference " << ref.f << " / " << ref.gx << ", " << ref.gy);
  CHECK(expr::is_defined_everywhere(ad.decoration(b.id)));
  CHECK(encloses(d.value, ref.f));
  CHECK(encloses(grad_entry(d.grad, 0), ref.gx));
  CHECK(encloses(grad_entry(d.grad, 1), ref.gy));

  std::vector<HessianDual<I>> hess_box{HessianDual<I>::variable(box[0], 0, 2),
                                       HessianDual<I>::variable(box[1], 1, 2)};
  expr::Evaluator<HessianDual<I>> ad2(b.g, expr::NumberFactory<HessianDual<I>>{{ad_factory<I>()}});
  ad2.evaluate_until(hess_box, b.id);
  const HessianDual<I>& h = ad2.value(b.id);
  INFO("Hessian " << h.hessian(0, 0, 2) << ", " << h.hessian(0, 1, 2) << ", " << h.hessian(1, 0, 2) << ", "
                  << h.hessian(1, 1, 2));
  INFO("reference " << ref.hxx << ", " << ref.hxy << ", " << ref.hyy);
  CHECK(encloses(h.value, ref.f));
  CHECK(encloses(grad_entry(h.grad, 0), ref.gx));
  CHECK(encloses(grad_entry(h.grad, 1), ref.gy));
  CHECK(encloses(h.hessian(0, 0, 2), ref.hxx));
  CHECK(encloses(h.hessian(0, 1, 2), ref.hxy));
  CHECK(encloses(h.hessian(1, 0, 2), ref.hxy));
  CHECK(encloses(h.hessian(1, 1, 2), ref.hyy));
}

}  // namespace

TEST_CASE("AD at points: binary64 gradients and Hessians contain the exact derivatives", "[autodiff]") {
  std::mt19937 gen(20261128);
  for (const AdCase& c : cases()) {
    const Built b = build(c.text);
    for (int it = 0; it < 40; ++it) {
      const double x = uniform_in(gen, c.xlo, c.xhi), y = uniform_in(gen, c.ylo, c.yhi);
      const std::vector<Interval> box{Interval(x), Interval(y)};
      check_against<Interval>(c, b, box, ref_point(x), ref_point(y));
    }
  }
}

TEST_CASE("AD at rational points: MpInterval gradients and Hessians contain the exact derivatives",
          "[autodiff]") {
  std::mt19937 gen(11);
  for (const AdCase& c : cases()) {
    const Built b = build(c.text);
    for (int it = 0; it < 10; ++it) {
      // p/q is not a double: the box is its tightest enclosure at 113 bits,
      // the reference its enclosure at 512 bits.
      Rational qx, qy;
      do qx = rational_in(gen, static_cast<long>(std::floor(c.xlo)), static_cast<long>(std::ceil(c.xhi)));
      while (qx < Rational(numeric::to_rational(c.xlo)) || qx > Rational(numeric::to_rational(c.xhi)));
      do qy = rational_in(gen, static_cast<long>(std::floor(c.ylo)), static_cast<long>(std::ceil(c.yhi)));
      while (qy < Rational(numeric::to_rational(c.ylo)) || qy > Rational(numeric::to_rational(c.yhi)));
      const std::vector<MpInterval> box{MpInterval::enclose(qx, kMpAdPrecision),
                                        MpInterval::enclose(qy, kMpAdPrecision)};
      check_against<MpInterval>(c, b, box, MpInterval::enclose(qx, 512), MpInterval::enclose(qy, 512));
    }
  }
}

TEST_CASE("AD over wide boxes: enclosures contain the derivatives at every sampled point", "[autodiff]") {
  std::mt19937 gen(7);
  for (const AdCase& c : cases()) {
    const Built b = build(c.text);
    for (int boxes = 0; boxes < 6; ++boxes) {
      const std::vector<Interval> box{sub_interval(gen, c.xlo, c.xhi), sub_interval(gen, c.ylo, c.yhi)};
      for (int it = 0; it < 8; ++it) {
        const double x = point_in(gen, box[0]), y = point_in(gen, box[1]);
        check_against<Interval>(c, b, box, ref_point(x), ref_point(y));
      }
      // The same box at 113 bits.
      const std::vector<MpInterval> mp_box = to_mp(box, kMpAdPrecision);
      const double x = point_in(gen, box[0]), y = point_in(gen, box[1]);
      check_against<MpInterval>(c, b, mp_box, ref_point(x, 512), ref_point(y, 512));
    }
  }
}

TEST_CASE("AD seeds and padding: variables, constants, unused variables", "[autodiff]") {
  expr::ExprGraph g;
  g.add_variable("x");
  g.add_variable("y");
  g.add_variable("z");
  const expr::NodeId f = expr::parse_expression("3*x + pi", g);
  const expr::NodeId c = expr::parse_expression("2/3", g);
  std::vector<Dual<Interval>> box;
  for (std::size_t i = 0; i < 3; ++i) box.push_back(Dual<Interval>::variable(Interval(1.0, 2.0), i, 3));
  CHECK(box[1].grad[1] == Interval(1.0));
  CHECK(box[1].grad[0] == Interval(0.0));
  expr::Evaluator<Dual<Interval>> ad(g);
  ad.evaluate(box);
  // d(3x + pi) = (3, 0, 0) exactly.
  const auto& d = ad.value(f);
  REQUIRE(d.grad.size() == 3);
  CHECK(d.grad[0] == Interval(3.0));
  CHECK(d.grad[1] == Interval(0.0));
  CHECK(d.grad[2] == Interval(0.0));
  CHECK(encloses(d.value, MpInterval(3.0, 6.0, kRefPrec) + MpInterval::pi(kRefPrec)));
  // A constant carries no gradient (zero by padding).
  CHECK(ad.value(c).grad.empty());
  CHECK(ad.value(c).value.contains(Interval::enclose(Rational(2, 3))));

  expr::Evaluator<HessianDual<Interval>> ad2(g);
  std::vector<HessianDual<Interval>> hbox;
  for (std::size_t i = 0; i < 3; ++i) hbox.push_back(HessianDual<Interval>::variable(Interval(1.0, 2.0), i, 3));
  ad2.evaluate(hbox);
  // A linear function: its Hessian is zero (empty storage reads as zero).
  for (std::size_t i = 0; i < 3; ++i)
    for (std::size_t j = 0; j < 3; ++j) CHECK(ad2.value(f).hessian(i, j, 3) == Interval(0.0));
}

TEST_CASE("AD at kinks: abs, min and max give hulls of one-sided derivatives", "[autodiff]") {
  expr::ExprGraph g;
  g.add_variable("x");
  g.add_variable("y");
  const expr::NodeId a = expr::parse_expression("abs(x)", g);
  const expr::NodeId m = expr::parse_expression("min(x, y)", g);
  const expr::NodeId M = expr::parse_expression("max(x, y)", g);
  const std::vector<Interval> box{Interval(-1.0, 1.0), Interval(-0.5, 0.5)};
  std::vector<Dual<Interval>> dual{Dual<Interval>::variable(box[0], 0, 2), Dual<Interval>::variable(box[1], 1, 2)};
  expr::Evaluator<Dual<Interval>> ad(g);
  ad.evaluate(dual);
  // Clarke's generalised gradient at the kink is inside the enclosure.
  CHECK(ad.value(a).grad[0].contains(Interval(-1.0, 1.0)));
  for (expr::NodeId k : {m, M}) {
    CHECK(ad.value(k).grad[0].contains(Interval(0.0, 1.0)));
    CHECK(ad.value(k).grad[1].contains(Interval(0.0, 1.0)));
  }
  // Away from the kink the derivative is exact.
  std::vector<Dual<Interval>> right{Dual<Interval>::variable(Interval(2.0, 3.0), 0, 2),
                                    Dual<Interval>::variable(box[1], 1, 2)};
  ad.evaluate(right);
  CHECK(ad.value(a).grad[0] == Interval(1.0));
  CHECK(ad.value(m).grad[0] == Interval(0.0));
  CHECK(ad.value(m).grad[1] == Interval(1.0));
  CHECK(ad.value(M).grad[0] == Interval(1.0));
  CHECK(ad.value(M).grad[1] == Interval(0.0));

  // Second order at a kink: no information (entire), never a wrong one.
  std::vector<HessianDual<Interval>> h{HessianDual<Interval>::variable(box[0], 0, 2),
                                       HessianDual<Interval>::variable(box[1], 1, 2)};
  expr::Evaluator<HessianDual<Interval>> ad2(g);
  ad2.evaluate(h);
  for (expr::NodeId k : {a, m, M}) CHECK_FALSE(ad2.value(k).hessian(0, 0, 2).is_bounded());
}

TEST_CASE("AD decorations: derivatives over a box leaving the domain are reported undefined", "[autodiff]") {
  expr::ExprGraph g;
  g.add_variable("x");
  const expr::NodeId f = expr::parse_expression("sqrt(x) + log(x)", g);
  std::vector<Dual<Interval>> box{Dual<Interval>::variable(Interval(-1.0, 1.0), 0, 1)};
  expr::Evaluator<Dual<Interval>> ad(g);
  ad.evaluate(box);
  CHECK_FALSE(expr::is_defined_everywhere(ad.decoration(f)));
  box[0] = Dual<Interval>::variable(Interval(0.5, 1.0), 0, 1);
  ad.evaluate(box);
  CHECK(expr::is_defined_everywhere(ad.decoration(f)));
  // d/dx (sqrt x + log x) = 1/(2 sqrt x) + 1/x on [1/2, 1].
  const MpInterval lo = k(MpInterval(kRefPrec), 0.5) + k(MpInterval(kRefPrec), 1.0);
  const MpInterval hi = MpInterval(1.0, 1.0, kRefPrec) / (MpInterval(2.0, 2.0, kRefPrec) * sqrt(MpInterval(0.5, 0.5, kRefPrec))) +
                        MpInterval(2.0, 2.0, kRefPrec);
  CHECK(encloses(ad.value(f).grad[0], lo));
  CHECK(encloses(ad.value(f).grad[0], hi));
}
