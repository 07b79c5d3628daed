#pragma once
// Coq exports from the command line (docs/coq.md): `verify --coq OUT.v`
// writes the Coq proof of each proven claim, `prove --coq` re-checks every
// proven claim with coqc. A Coq file is written only for a certificate that
// the independent checker has accepted.
#include <cerval/search/verify.hpp>

#include <string>

namespace cerval::cli {

struct CoqNote {
  bool exported = false;  // a Coq file was produced
  bool ran = false;       // coqc ran on it
  bool accepted = false;  // coqc accepted it
  double seconds = 0;     // coqc's time
  std::size_t leaves = 0;
  std::string text;       // one line for the user
};

// Writes the Coq proof of a proven claim to `path`.
CoqNote write_coq_proof(const expr::Spec& spec, const expr::Comparison& claim, const search::ClaimResult& r,
                        const search::SearchOptions& options, const std::string& path);

// Exports the proof of a proven claim and runs coqc on it (when installed).
CoqNote recheck_with_coq(const expr::Spec& spec, const expr::Comparison& claim, const search::ClaimResult& r,
                         const search::SearchOptions& options, double timeout_s);

}  // namespace cerval::cli
