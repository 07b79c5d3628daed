#pragma once
// Verification of a bound claim `f rel b` over all feasible points of a box.
//
// Verdicts: `proven` (every leaf of the subdivision establishes the claim with
// f defined there: a certificate the checker re-proves), `refuted` (a witness
// point, inside the exact domain and rigorously feasible, where rigorous
// evaluation, refined at higher precision when needed, shows the claim false
// or f undefined), `unknown` (budget spent: the undecided volume and the
// worst bound are reported). Strict claims that hold with equality somewhere
// are never proven: a strict relation needs a strict enclosure.
#include <cerval/search/box_bounder.hpp>
#include <cerval/search/problem.hpp>
#include <cerval/search/proof_tree.hpp>

#include <optional>
#include <string>
#include <vector>

namespace cerval::search {

enum class Verdict { Proven, Refuted, Unknown };
const char* to_string(Verdict v);

struct ClaimResult {
  Verdict verdict = Verdict::Unknown;
  std::optional<std::vector<double>> witness;  // for refuted
  std::string witness_reason;                   // "violates the claim" or "expression undefined"
  std::string witness_value;                    // enclosure of f at the witness, as text
  std::size_t boxes = 0;
  double time_s = 0;
  double undecided_fraction = 0;  // of the domain's volume (for unknown)
  double worst_bound = 0;         // worst enclosure endpoint among undecided boxes
  ProofTree tree;
  Box root_box;
};

// Bounds of the claim relation for enclosures: true when every value of `x`
// satisfies (proves) or violates (refutes) `rel b`; b_down <= b <= b_up are
// its binary64 neighbours (equal when b is a double).
bool enclosure_proves(const Interval& x, expr::Relation rel, double b_down, double b_up);
bool enclosure_refutes(const Interval& x, expr::Relation rel, double b_down, double b_up);

ClaimResult verify_claim(const expr::Spec& spec, const expr::Comparison& claim, const SearchOptions& options);

}  // namespace cerval::search
