// Certified regression: enclosures of closed-form minima, perfect-model
// recovery, a non-identifiable parameter reported as a range, the theorem
// verdicts, and the certificate accepted by the independent checker.
#include <cerval/search/regression.hpp>

#include <catch2/catch.hpp>

using namespace cerval;
using numeric::Rational;

namespace {

search::FitResult run(const std::string& text, std::size_t range_boxes = 400) {
  const auto rs = search::parse_regression_spec(text, "t.spec");
  search::FitOptions fo;
  fo.search.eps_rel = 1e-9;
  fo.search.max_boxes = 200000;
  fo.range_boxes = range_boxes;
  fo.lm.starts = 8;
  return search::fit(rs, fo);
}

bool contains(const search::FitResult& r, const Rational& q) {
  return numeric::to_rational(r.search.lower) <= q && q <= numeric::to_rational(r.search.upper);
}

}  // namespace

TEST_CASE("perfect model: the generating parameters are recovered and the fit is proven within eps", "[regression]") {
  // y = a x / (b + x) at a = 2, b = 1: exact decimal data.
  const auto r = run(R"(variables a in [0.1, 10]; b in [0.1, 10];
regression inputs x; output y; model a*x/(b + x);
data x, y:
  0, 0;
  1, 1;
  3, 1.5;
  4, 1.6;
  9, 1.8;
eps 1e-8;
truth a = 2, b = 1;
)");
  REQUIRE(r.certified);
  CHECK(r.search.lower <= 0.0);
  CHECK(r.search.upper <= 1e-8);
  REQUIRE(r.theorem);
  CHECK(r.theorem->which == search::TheoremCase::PerfectModel);
  CHECK(r.theorem->verdict == search::Verdict::Proven);
  REQUIRE(r.ranges.size() == 2);
  CHECK(r.ranges[0].outer.contains(2.0));
  CHECK(r.ranges[1].outer.contains(1.0));
  CHECK(r.ranges[0].outer.width() < 0.01);
}

TEST_CASE("imperfect model: distorted data, the true model and the regressed one fit within eps", "[regression]") {
  const std::string head = R"(variables a in [0.1, 100]; k in [0.001, 10];
regression inputs x; output y; model a*exp(-k*x);
data x, y:
  0, 3;
  1, 1.48976;
  2, 0.739791;
  3, 0.367369;
  4, 0.182430;
truth a = 3, k = 0.7;
)";
  const auto r = run(head + "eps 1e-10;\n", 50);
  REQUIRE(r.theorem);
  CHECK(r.theorem->which == search::TheoremCase::ImperfectModel);
  REQUIRE(r.theorem->truth_loss);
  CHECK(r.theorem->truth_loss->upper() <= 1e-10);
  CHECK(r.theorem->verdict == search::Verdict::Proven);
  // A tolerance below the minimum loss: no parameter fits, refuted.
  const auto s = run(head + "eps 1e-15;\n", 50);
  CHECK(s.theorem->verdict == search::Verdict::Refuted);
}

TEST_CASE("a non-identifiable parameter is reported as a range", "[regression]") {
  // Only the product a b is determined (= 2): a ranges over [1, 4].
  const auto r = run(R"(variables a in [1, 4]; b in [0.5, 2];
regression inputs x; output y; model a*b*x;
data x, y:
  1, 2;
  2, 4;
  3, 6;
eps 1e-6;
)");
  REQUIRE(r.certified);
  REQUIRE(r.ranges.size() == 2);
  CHECK(r.ranges[0].outer.lower() <= 1.0001);
  CHECK(r.ranges[0].outer.upper() >= 3.999);
  CHECK(r.ranges[0].inner_upper - r.ranges[0].inner_lower > 2.9);  // points of the range proven eps-optimal
}

TEST_CASE("closed-form minima: weighted mean, minimax line", "[regression]") {
  // Weighted least squares of a constant: a = sum w y / sum w = 3/4, loss 3/4.
  const auto w = run(R"(variables a in [-10, 10];
regression inputs x; output y; model a + 0*x;
data x, y, w:
  0, 0, 1;
  1, 1, 3;
loss sum of squares weighted by w;
)");
  REQUIRE(w.certified);
  CHECK(contains(w, Rational(3, 4)));
  CHECK(w.search.upper - w.search.lower <= 1e-9);
  // Chebyshev (max abs) line through (0,0), (1,1), (2,0): error 1/2.
  const auto m = run(R"(variables a in [-5, 5]; b in [-5, 5];
regression inputs x; output y; model a + b*x;
data x, y:
  0, 0;
  1, 1;
  2, 0;
loss max abs;
)", 100);
  REQUIRE(m.search.status == search::SearchStatus::Success);
  CHECK(contains(m, Rational(1, 2)));
}

TEST_CASE("the minimum certificate is accepted and reference values are checked", "[regression]") {
  const auto rs = search::parse_regression_spec(R"(variables a in [0.1, 100]; k in [0.001, 10];
regression inputs x; output y; model a*exp(-k*x);
data x, y:
  0, 3;
  1, 1.5;
  2, 0.7;
certified_loss 1.0E+00;
)",
                                                "t.spec");
  search::FitOptions fo;
  fo.ranges = false;
  const auto r = search::fit(rs, fo);
  REQUIRE(r.certified);
  REQUIRE(r.certificate);
  CHECK(r.certificate_check.empty());
  // The stated reference (1.0) is far from the minimum: flagged as wrong.
  REQUIRE(r.certified_loss_agrees);
  CHECK(!*r.certified_loss_agrees);
  CHECK(search::fit_verdict_word(rs, r).rfind("wrong", 0) == 0);
}

TEST_CASE("reference values agree within half a unit in the last digit", "[regression]") {
  search::ReferenceValue ref{Rational(12455138894, 100000000000), 11, {}};
  CHECK(search::agrees_with_reference(0.124551388942, 0.124551388943, ref));   // inside +- 5e-12
  CHECK(search::agrees_with_reference(0.1245513889444, 0.1245513889446, ref));
  CHECK(!search::agrees_with_reference(0.12455138895, 0.12455138896, ref));
  CHECK(!search::agrees_with_reference(0.1245513889, 0.12455138893, ref));
}

TEST_CASE("coordinate probe: either coordinates give the same certified minimum", "[regression]") {
  const auto rs = search::parse_regression_spec(R"(variables a in [0.1, 100]; k in [0.001, 10];
regression inputs x; output y; model a*exp(-k*x);
data x, y:
  0, 3;
  1, 1.5;
  2, 0.7;
  3, 0.4;
)",
                                                "t.spec");
  search::FitOptions fo;
  fo.ranges = false;
  fo.search.eps_rel = 1e-9;
  fo.probe_boxes = 0;  // whitened only
  const auto w = search::fit(rs, fo);
  // A probe of 1 box cannot finish: both coordinates are probed, one is kept.
  fo.probe_boxes = 1;
  const auto p = search::fit(rs, fo);
  REQUIRE(w.certified);
  REQUIRE(p.certified);
  CHECK(p.probe_boxes >= 1);
  CHECK(p.preconditioned == !p.probe_chose_original);
  // Both enclosures hold the same minimum: they overlap.
  CHECK(w.search.lower <= p.search.upper);
  CHECK(p.search.lower <= w.search.upper);
  // The kept search's witness is in the spec's own coordinates after mapping back.
  REQUIRE(p.best.size() == 2);
  CHECK(p.best_loss.lower() <= p.search.upper);
}

TEST_CASE("variable projection: the linear parameters are projected and the minimum is the same",
          "[regression][projection]") {
  // Linear least squares in closed form: y = a + b x through (0, 1), (1, 2),
  // (2, 4) has minimum 1/6; both parameters enter linearly, and with an
  // exponential rate k only a and b do.
  const auto line = search::parse_regression_spec(R"(variables a in [-10, 10]; b in [-10, 10];
regression inputs x; output y; model a + b*x;
data x, y:
  0, 1;
  1, 2;
  2, 4;
)",
                                                  "line.spec");
  search::FitOptions fo;
  fo.ranges = false;
  const auto r = search::fit(line, fo);
  REQUIRE(r.certified);
  CHECK(r.projected == std::vector<std::size_t>{0, 1});
  CHECK(r.search.lower <= 1.0 / 6);
  CHECK(1.0 / 6 <= r.search.upper);
  REQUIRE(r.certificate);
  CHECK(r.certificate->projected.size() == 2);

  const auto decay = search::parse_regression_spec(R"(variables a in [0.1, 100]; k in [0.001, 10]; c in [-1, 1];
regression inputs x; output y; model a*exp(-k*x) + c;
data x, y:
  0, 3;
  1, 1.5;
  2, 0.7;
  3, 0.4;
  4, 0.3;
)",
                                                   "decay.spec");
  fo.search.eps_rel = 1e-9;
  const auto projected = search::fit(decay, fo);
  fo.project_linear = false;
  const auto plain = search::fit(decay, fo);
  REQUIRE(projected.certified);
  REQUIRE(plain.certified);
  CHECK(projected.projected == std::vector<std::size_t>{0, 2});
  CHECK(plain.projected.empty());
  CHECK(projected.search.lower <= plain.search.upper);
  CHECK(plain.search.lower <= projected.search.upper);
}

TEST_CASE("the loss's binary64 resolution at the Levenberg-Marquardt point is reported", "[regression]") {
  // A two-exponential fit to 12 points rounded to 4 digits: minimum about
  // 5.3e-9, from residuals about 2e-5 against values up to 2.2, so each
  // residual carries rounding errors of about 1e-16 and the loss's binary64
  // enclosure at a point is about 1e-10 of it wide; a straight-line fit to
  // noisy data is known far better than that.
  search::FitOptions fo;
  fo.ranges = false;
  fo.check_certificate = false;
  fo.search.max_boxes = 1;
  const auto near_perfect = search::fit(search::parse_regression_spec(R"(variables
  a0 in [0.1, 10]; t0 in [0.5, 1.8]; a1 in [0.05, 5]; t1 in [2.2, 5];
regression inputs x; output y; model a0*exp(-t0*x) + a1*exp(-t1*x);
data x, y:
  0.0, 2.2000;
  0.1, 1.8758;
  0.2, 1.6123;
  0.3, 1.3958;
  0.4, 1.2163;
  0.5, 1.0660;
  0.6, 0.9389;
  0.7, 0.8306;
  0.8, 0.7375;
  0.9, 0.6569;
  1.0, 0.5867;
  1.1, 0.5251;
)",
                                                                       "t.spec"),
                                        fo);
  CHECK(near_perfect.point_relative_width > 1e-12);
  CHECK(near_perfect.point_relative_width < 1e-8);
  const auto noisy = search::fit(search::parse_regression_spec(R"(variables a in [-10, 10]; b in [-10, 10];
regression inputs x; output y; model a + b*x;
data x, y:
  0, 1.1;
  1, 2.9;
  2, 5.2;
  3, 6.8;
)",
                                                                 "t.spec"),
                                 fo);
  CHECK(noisy.point_relative_width > 0);
  CHECK(noisy.point_relative_width < 1e-14);
}
