#pragma once
// The hypotheses of the sharp seasonal threshold theorem (Ji & Strugarek,
// arXiv:1804.07641; see docs/seasonal.md), decided on the spec's region
// R = [0, K] for each season s (unfavourable u, favourable f):
//
//   zero         F_s(0) = 0 (interval evaluation at the exact point 0);
//   cooperative  dF_i/dx_j >= 0 for i != j on R (interval forward-mode AD);
//   irreducible  the Jacobian D_x F_s(0) is irreducible: the directed graph
//                of its off-diagonal entries that are certainly > 0 is
//                strongly connected (refuted when even the entries that are
//                not certainly 0 leave it disconnected);
//   concave      order concavity: every Jacobian entry is nonincreasing in
//                every state variable on R, i.e. d2F_i/dx_j dx_k <= 0 (interval
//                AD of the Hessian), and strictly (< 0) at some point of R in
//                some season;
//   invariant    forward invariance of R: F_i >= 0 on the face x_i = 0 and
//                F_i <= 0 on the face x_i = K_i (Nagumo's condition for a box).
//
// Verdicts: `proven` (every box of a subdivision of R establishes the sign,
// with F defined there), `refuted` with a witness point of R at which
// rigorous evaluation shows the sign violated, `unknown` (budget spent).
// The theorem's conclusion is claimed only when every hypothesis is proven.
#include <cerval/seasonal/spec.hpp>

#include <optional>
#include <string>
#include <vector>

namespace cerval::seasonal {

enum class Decision { Proven, Refuted, Unknown };
const char* to_string(Decision d);  // "proven", "refuted", "unknown"

struct Witness {
  std::vector<Rational> point;  // exact point of R (state variable order)
  std::string value;            // the violating enclosure, as text
};

struct Hypothesis {
  std::string key;        // zero, cooperative, irreducible, concave, invariant
  std::string season;     // unfavourable, favourable, or "both"
  std::string statement;  // what is claimed, in words
  Decision decision = Decision::Unknown;
  std::string detail;     // how it was decided, or what is left
  std::optional<Witness> witness;
  bool required = true;   // false: reported for information, not part of the theorem
};

struct HypothesisOptions {
  std::size_t max_boxes = 20000;  // per sign problem
  double min_width = 1e-9;        // relative to the region
};

struct HypothesesReport {
  std::vector<Hypothesis> items;
  Decision overall = Decision::Unknown;  // over the required ones: proven iff all proven; refuted if one is
};

HypothesesReport check_hypotheses(const SeasonalSpec& spec, const HypothesisOptions& options = {});

}  // namespace cerval::seasonal
