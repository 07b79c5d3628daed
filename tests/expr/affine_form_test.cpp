// Affine normal form: the images are the same functions (reference values
// at random points agree), affine subexpressions evaluate to their range
// over a box, other nodes are kept, and the images' text reads back to the
// identical nodes.
#include <cerval/expr/affine_form.hpp>

#include "reference.hpp"

#include <catch2/catch.hpp>

using namespace cerval;
using namespace cerval::test_expr;

namespace {

// Same variables, the images of `roots` of p.g.
struct Rewritten {
  expr::ExprGraph g;
  std::vector<expr::NodeId> images;
};
Rewritten rewrite(const Parsed& p, const std::vector<expr::NodeId>& roots) {
  Rewritten r;
  for (std::size_t j = 0; j < p.g.variable_count(); ++j) r.g.add_variable(p.g.variable_name(j));
  r.images = expr::collect_affine(p.g, roots, r.g);
  return r;
}

// Hahn1's denominator 1 + b5 x + b6 x^2 + b7 x^3 at x = 851.61 with the
// parameters whitened, b_j = c_j + M_j u (the M of a thin valley: the
// three contributions of each u nearly cancel).
const char* kWhitenedDenominator =
    "1 + (-0.0061 + 0.002*u + 0.00001*v)*851.61 + (0.00024 - 0.0000047*u + 0.00000002*v)*851.61^2"
    " + (-0.000000123 + 0.0000000027614*u - 0.00000000001*v)*851.61^3";

}  // namespace

TEST_CASE("the affine normal form is the same function", "[affine]") {
  const std::vector<std::string> texts{
      kWhitenedDenominator,
      "(1 + 2*u - v/3) * exp(-(0.5*u - 0.25*v + 0.1) * 7) + sqr(3 - (u - 2*v) / 5)",
      "min(1, u + v) * 3 - (u + v) + 2*min(1, u + v) + v / 7",  // a clamp is an atom
      "(u + 1)^3 / (2 - v + u - u)",
      "exp(u) - 1/10 * (u - 3*(v + u))",
      // Undefined for u < 0: the clamps cancel, but they are not affine
      // atoms (sqrt), so nothing is dropped.
      "min(1, sqrt(u)) + v - min(1, sqrt(u))",
  };
  std::mt19937 gen(5);
  for (const auto& text : texts) {
    const Parsed p = parse_over({"u", "v"}, text);
    const Rewritten r = rewrite(p, {p.f});
    for (int k = 0; k < 300; ++k) {
      const std::vector<double> at{uniform_in(gen, -2, 2), uniform_in(gen, -2, 2)};
      const auto before = mp_value(p.g, p.f, ref_box(at));
      const auto after = mp_value(r.g, r.images[0], ref_box(at));
      INFO(text << " at " << hex(at[0]) << " " << hex(at[1]));
      CHECK(expr::is_defined_everywhere(before.decoration) == expr::is_defined_everywhere(after.decoration));
      if (!expr::is_defined_everywhere(before.decoration)) continue;
      // Both enclose the same real number: they overlap, and at 256 bits
      // each is far narrower than any difference a wrong regrouping makes.
      CHECK(!numeric::intersect(before.value, after.value).is_empty());
      CHECK(is_tight(before.value));
      CHECK(is_tight(after.value));
    }
  }
}

TEST_CASE("an affine subexpression evaluates to its range", "[affine]") {
  const Parsed p = parse_over({"u", "v"}, kWhitenedDenominator);
  const Rewritten r = rewrite(p, {p.f});
  const std::vector<Interval> box{Interval(-0.01, 0.02), Interval(-0.03, 0.01)};
  const Interval as_written = expr::evaluate<Interval>(p.g, p.f, box).value;
  const Interval normal = expr::evaluate<Interval>(r.g, r.images[0], box).value;
  // The range, from the function's values at the box's corners (it is affine).
  std::optional<MpInterval> corners;
  for (double u : {box[0].lower(), box[0].upper()})
    for (double v : {box[1].lower(), box[1].upper()}) {
      const MpInterval y = mp_value(p.g, p.f, ref_box({u, v})).value;
      corners = corners ? numeric::hull(*corners, y) : y;
    }
  const MpInterval range = *corners;
  CHECK(encloses(normal, range));
  CHECK(encloses(as_written, range));
  // Within rounding of the range, where the text as written is far wider.
  CHECK(normal.width() <= range.width() * (1 + 1e-9) + 1e-12);
  CHECK(as_written.width() > 100 * normal.width());
}

TEST_CASE("nodes that are not affine are kept, and the text reads back", "[affine]") {
  const Parsed p = parse_over({"u", "v"}, "exp(u)*v + sqr(u - 2*v + u) + u/0 + max(0, 3*u - u)");
  const Rewritten r = rewrite(p, {p.f});
  const std::string text = r.g.to_string(r.images[0]);
  CHECK(text.find("exp(u)") != std::string::npos);
  // A division by zero stays: undefined, not simplified away.
  const std::vector<Interval> at{Interval(1.0), Interval(2.0)};
  CHECK(!expr::is_defined_everywhere(expr::evaluate<Interval>(r.g, r.images[0], at).decoration));
  expr::ExprGraph again;
  again.add_variable("u");
  again.add_variable("v");
  const expr::NodeId first = expr::parse_expression(text, again);
  CHECK(again.to_string(first) == text);
  // Reading the text back into the rewritten graph finds the identical node.
  expr::ExprGraph& g = const_cast<expr::ExprGraph&>(r.g);
  CHECK(expr::parse_expression(text, g) == r.images[0]);
  // u - 2v + u is one term per variable now.
  const Parsed q = parse_over({"u", "v"}, "sqr(u - 2*v + u)");
  const Rewritten s = rewrite(q, {q.f});
  CHECK(s.g.to_string(s.images[0]) == "sqr(2 * u + (-2) * v)");
}

TEST_CASE("the graphs must declare the same variables", "[affine]") {
  const Parsed p = parse_over({"u"}, "u + u");
  expr::ExprGraph other;
  CHECK_THROWS_AS(expr::collect_affine(p.g, {p.f}, other), std::invalid_argument);
}
