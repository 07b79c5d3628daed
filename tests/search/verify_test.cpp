// Bound claims: tight claims proven, false claims refuted with a witness that
// really violates them, ill-defined and strict-but-tight claims never proven.
#include <cerval/expr/parser.hpp>
#include <cerval/search/verify.hpp>

#include <catch2/catch.hpp>

using namespace cerval;

namespace {

search::ClaimResult verify_first(const std::string& text, search::SearchOptions so = {}) {
  expr::Spec spec = expr::parse_spec(text, "claim");
  REQUIRE(!spec.claims.empty());
  if (so.max_boxes > 200000) so.max_boxes = 200000;
  return search::verify_claim(spec, spec.claims.front(), so);
}

}  // namespace

TEST_CASE("tight claims are proven with second-order information", "[verify]") {
  CHECK(verify_first("variables x in [-1, 1]; prove exp(x) >= 1 + x;").verdict == search::Verdict::Proven);
  CHECK(verify_first("variables x in [0, 3]; prove sqrt(1 + x) <= 1 + x/2;").verdict == search::Verdict::Proven);
  CHECK(verify_first("variables x in [0, 3]; prove sin(x) <= x;").verdict == search::Verdict::Proven);
  CHECK(verify_first("variables x in [0, 3]; prove 0 <= sin(x);").verdict == search::Verdict::Proven);
  CHECK(verify_first("variables x in [-2, 2]; y in [-2, 2]; prove x^2 + y^2 >= 2*x*y;").verdict ==
        search::Verdict::Proven);
  CHECK(verify_first("variables x in [-1, 3]; prove cos(x) >= 1 - x^2/2 - 1e-6;").verdict == search::Verdict::Proven);
  // Tight to fourth order at 0 (cos x - 1 + x^2/2 = x^4/24 + ...): beyond the
  // second-order forms; it must come out unknown, never refuted.
  search::SearchOptions quick;
  quick.max_boxes = 20000;
  CHECK(verify_first("variables x in [-1, 3]; prove cos(x) >= 1 - x^2/2;", quick).verdict != search::Verdict::Refuted);
}

TEST_CASE("false claims are refuted with a rigorous witness", "[verify]") {
  const auto r = verify_first("variables x in [0, 2]; prove x^2 <= 3;");
  REQUIRE(r.verdict == search::Verdict::Refuted);
  REQUIRE(r.witness);
  // The witness violates the claim exactly: x^2 > 3.
  const numeric::Rational x = numeric::to_rational(r.witness->at(0));
  CHECK(x * x > 3);
  CHECK(x <= 2);
}

TEST_CASE("claims true in binary64 but false in exact decimals are refuted", "[verify]") {
  // 0.1 + 0.2 is exactly 3/10, which exceeds 0.29999999999999999.
  CHECK(verify_first("variables x in [0, 1]; prove 0.1 + 0.2 + 0*x <= 0.29999999999999999;").verdict ==
        search::Verdict::Refuted);
  // 3 * 0.1 is exactly 0.3: this one is true and must be proven.
  // Exact equality of a constant with its bound (3/10 <= 3/10) is beyond
  // enclosures of binary64 or MPFI width: unknown at once, never a wrong verdict.
  const auto tight = verify_first("variables x in [0, 1]; prove 3*0.1 <= 0.3;");
  CHECK(tight.verdict == search::Verdict::Unknown);
  CHECK(tight.boxes == 1);
  CHECK(verify_first("variables x in [0, 1]; prove 3*0.1 < 0.3;").verdict == search::Verdict::Unknown);
  CHECK(verify_first("variables x in [0, 1]; prove 0.1 + 0.2 <= 0.3000000000000001;").verdict ==
        search::Verdict::Proven);
}

TEST_CASE("claims with an expression undefined somewhere are never proven", "[verify]") {
  const auto r = verify_first("variables x in [-1, 1]; prove sqrt(x) >= 0;");
  CHECK(r.verdict == search::Verdict::Refuted);
  CHECK(r.witness_reason == "expression undefined");
  CHECK(verify_first("variables x in [-1, 1]; prove 1/x <= 1e300;").verdict != search::Verdict::Proven);
  CHECK(verify_first("variables x in [0, 1]; prove ln(x) <= 0;").verdict != search::Verdict::Proven);
}

TEST_CASE("strict claims that hold with equality somewhere are never proven", "[verify]") {
  const auto r = verify_first("variables x in [-1, 1]; prove exp(x) > 1 + x;");
  CHECK(r.verdict == search::Verdict::Unknown);
  CHECK(verify_first("variables x in [0, 1]; prove x < 1;").verdict != search::Verdict::Proven);
  CHECK(verify_first("variables x in [0, 1]; prove x <= 1;").verdict == search::Verdict::Proven);
}

TEST_CASE("constraints restrict the claim to the feasible set", "[verify]") {
  // x + y <= 2 only holds on the disk x^2 + y^2 <= 2.
  CHECK(verify_first("variables x in [-2, 2]; y in [-2, 2]; constraints x^2 + y^2 <= 2; prove x + y <= 2.001;")
            .verdict == search::Verdict::Proven);
  // Tight at (1, 1) where the constraint is active: proven by the Lagrangian
  // bound with the KKT multiplier -1/2 (expr/lagrangian.hpp).
  CHECK(verify_first("variables x in [-2, 2]; y in [-2, 2]; constraints x^2 + y^2 <= 2; prove x + y <= 2;")
            .verdict == search::Verdict::Proven);
  // ... and a hair tighter it is false at (1, 1): refuted, never proven.
  search::SearchOptions quick;
  quick.max_boxes = 20000;
  CHECK(verify_first("variables x in [-2, 2]; y in [-2, 2]; constraints x^2 + y^2 <= 2; prove x + y <= 1.9999999;",
                     quick)
            .verdict == search::Verdict::Refuted);
  CHECK(verify_first("variables x in [-2, 2]; y in [-2, 2]; prove x + y <= 2;").verdict == search::Verdict::Refuted);
}

TEST_CASE("a budget ends verification with unknown and what is left", "[verify]") {
  search::SearchOptions so;
  so.max_boxes = 10;
  const auto r = verify_first("variables x in [-1, 1]; prove exp(x) > 1 + x;", so);
  CHECK(r.verdict == search::Verdict::Unknown);
  CHECK(r.undecided_fraction > 0);
}
