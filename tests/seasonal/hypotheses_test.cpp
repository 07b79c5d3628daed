#include <catch2/catch.hpp>

#include <cerval/expr/autodiff.hpp>
#include <cerval/expr/eval.hpp>
#include <cerval/seasonal/hypotheses.hpp>

using cerval::numeric::Interval;
using cerval::numeric::Rational;
using namespace cerval::seasonal;

namespace {

SeasonalSpec make(const std::string& vars, const std::string& unfav, const std::string& fav) {
  return parse_seasonal_spec("variables\n" + vars + "seasonal\n period 1;\n season unfavourable\n" + unfav +
                                 " season favourable\n" + fav + "end\n",
                             "h.spec");
}

const Hypothesis& find(const HypothesesReport& r, const std::string& key, const std::string& season) {
  for (const auto& h : r.items)
    if (h.key == key && h.season == season) return h;
  FAIL("no hypothesis " << key << " " << season);
  return r.items.front();
}

// Jacobian entry (i, j) of `season` at an exact point, rigorously.
Interval jacobian_at(const SeasonalSpec& s, const Season& season, std::size_t i, std::size_t j,
                     const std::vector<Rational>& p) {
  using D = cerval::expr::Dual<Interval>;
  std::vector<D> x;
  for (std::size_t k = 0; k < p.size(); ++k) x.push_back(D::variable(Interval::enclose(p[k]), k, p.size()));
  cerval::expr::Evaluator<D> ev(s.base.graph);
  ev.evaluate(x);
  return ev.value(season.rhs[i]).grad[j];
}

}  // namespace

TEST_CASE("the hypotheses of a cooperative concave system are proven") {
  const auto s = make(" x in [0, 1];\n y in [0, 1];\n",
                      "  x' = -2*x + 2*y - x*(x + y);\n  y' = x - 2*y - y*(x + y);\n",
                      "  x' = -x + 2*y - x*(x + y);\n  y' = x - y - y*(x + y);\n");
  const auto r = check_hypotheses(s);
  for (const auto& h : r.items) {
    INFO(h.key << " " << h.season << " " << h.detail);
    CHECK(h.decision == Decision::Proven);
  }
  CHECK(r.overall == Decision::Proven);
}

TEST_CASE("non-cooperative coupling is refuted with a witness") {
  const auto s = make(" x in [0, 1];\n y in [0, 1];\n", "  x' = -x - x*y;\n  y' = -y - x*y;\n",
                      "  x' = x*(1 - x - y);\n  y' = y*(1 - x - y);\n");
  const auto r = check_hypotheses(s);
  CHECK(r.overall == Decision::Refuted);
  for (const char* season : {"unfavourable", "favourable"}) {
    const Hypothesis& h = find(r, "cooperative", season);
    REQUIRE(h.decision == Decision::Refuted);
    REQUIRE(h.witness);
    const auto& p = h.witness->point;
    // The witness lies in the region and an off-diagonal entry is negative there.
    CHECK(p[0] >= 0);
    CHECK(p[0] <= 1);
    CHECK(p[1] >= 0);
    CHECK(p[1] <= 1);
    const Season& se = std::string(season) == "favourable" ? s.favourable : s.unfavourable;
    CHECK((jacobian_at(s, se, 0, 1, p).certainly_lt(0.0) || jacobian_at(s, se, 1, 0, p).certainly_lt(0.0)));
  }
}

TEST_CASE("F(0) != 0, a leaving field and convexity are refuted") {
  const auto s = make(" x in [0, 1];\n", "  x' = 0.1 - x;\n", "  x' = 2*x + x^2;\n");
  const auto r = check_hypotheses(s);
  const Hypothesis& zero = find(r, "zero", "unfavourable");
  CHECK(zero.decision == Decision::Refuted);
  REQUIRE(zero.witness);
  CHECK(zero.witness->point == std::vector<Rational>{0});
  const Hypothesis& inv = find(r, "invariant", "favourable");
  CHECK(inv.decision == Decision::Refuted);
  REQUIRE(inv.witness);
  CHECK(inv.witness->point == std::vector<Rational>{1});  // x' = 3 > 0 on the face x = 1
  CHECK(find(r, "concave", "favourable").decision == Decision::Refuted);
  CHECK(r.overall == Decision::Refuted);
}

TEST_CASE("a reducible Jacobian at 0 and a linear system are reported") {
  const auto s = make(" x in [0, 1];\n y in [0, 1];\n", "  x' = -x;\n  y' = x - y;\n", "  x' = -x;\n  y' = x - y;\n");
  const auto r = check_hypotheses(s);
  CHECK(find(r, "irreducible", "favourable").decision == Decision::Refuted);
  CHECK(find(r, "strict", "both").decision == Decision::Unknown);  // linear: concave, never strictly
  CHECK(find(r, "concave", "favourable").decision == Decision::Proven);
}
