#pragma once
// The independent checker: re-verifies a certificate from scratch.
//
// It is the trusted base of every `proven` verdict, so it is small, prefers
// clarity over speed, and uses only numeric/ and expr/ (never the search code
// whose output it checks). The exact semantics are in docs/certificates.md;
// in short, check(c) is valid only if
//  - every expression parses over the declared variables, every domain is a
//    nonempty exact interval, every precision lies in [2, 100000];
//  - the split tree partitions the root box (the outward binary64 enclosure
//    of the exact domain): every split point is an exact double strictly
//    inside its box, every inner node has two children, depth <= 10000;
//  - every leaf re-proves its statement on its box B with MPFI at the leaf's
//    precision: after the optional HC4 contraction of B (by the constraints,
//    and by the claim's negation up to a cut-off when one is recorded), a
//    `proven` leaf's bounding form, with the claim's expression defined on
//    the whole box, lies inside the claimed relation for its entire
//    enclosure; an `infeasible` leaf has a constraint whose natural
//    enclosure misses the constraint's exact target (or HC4 emptied B);
//  - a minimum certificate's witness is a point of the exact domain at which
//    every constraint is defined and rigorously satisfied (equalities within
//    eps_h), and at which the objective's enclosure lies below the stated
//    upper bound (above the stated lower bound for a maximum), which is
//    itself consistent with the claimed bound.
// A point where a constraint's expression is undefined is not feasible.
#include <cerval/cert/certificate.hpp>
#include <cstddef>
#include <string>

namespace cerval::cert {

struct CheckResult {
  bool valid = false;
  // The first failure, prefixed by the path of the failing part, e.g.
  // "tree.children[1].children[0]: claim not re-proven: upper bound 1.0000001 > 1".
  std::string reason;
  std::size_t leaves = 0;   // leaves re-proven (all of them when valid)
  std::size_t splits = 0;   // splits verified
  std::size_t emptied = 0;  // leaves whose HC4 contraction proved them empty
};

// Never throws: a malformed certificate is invalid, with a reason.
CheckResult check(const Certificate& c);

}  // namespace cerval::cert
