#pragma once
// Export of a bound certificate to Coq (docs/coq.md), and running coqc on it.
//
// export_coq(c) writes a Coq file (Coq 8.16, Coquelicot, Interval 4.6) that
//  - states the certificate's claim over its exact domain in Coq's real
//    numbers: for all x with lower_i <= x_i <= upper_i (exact rationals) and
//    every constraint, `claim rel bound`;
//  - proves it for each leaf box of the certificate (binary64 endpoints, the
//    boxes before any HC4 contraction) with a lemma whose shape follows the
//    leaf's form (see LeafShape), closed by Coq's `interval` tactic;
//  - combines the leaves along the certificate's splits (case analysis on
//    `Rle_or_lt x s`, the two cases closed by `lra`) into the theorem for the
//    root box, and from it the theorem for the exact domain (`lra`: the root
//    box is the outward binary64 enclosure of the exact domain).
// Nothing in the file is trusted by Coq but its kernel and the libraries it
// imports: a wrong export (a wrong bound, a wrong box) makes coqc fail, it
// never proves a false statement.
//
// What the Coq theorem says differs from cerval's claim only in definedness:
// Coq's functions are total (sqrt of a negative number is 0, x/0 is 0), so the
// Coq statement does not say the claim's expression is defined; cerval's
// checker proves that part.
//
// Not exportable (export_coq throws CoqExportError naming the construct):
// an equality claim; asin, acos, min, max (no counterpart in the Interval
// library); interval constants; a certificate with no tree; a certificate
// with definitions (shared subexpressions); no_stationary_point leaves (their
// argument is global, not a lemma on the leaf box).
#include <cerval/cert/certificate.hpp>

#include <cstddef>
#include <stdexcept>
#include <string>

namespace cerval::cert {

class CoqExportError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// How a leaf lemma is proven (docs/coq.md has the lemma shapes).
//   Natural     `interval` on the leaf box.
//   Monotone    for each variable whose partial derivative has a certain sign
//               on the box: a monotonicity step f(x) <= f(face) (derivative
//               by Coquelicot's auto_derive, its sign by `interval`, the step
//               by the mean-value theorem, lemma cerval_mono_inc/_dec), then
//               `interval` on the face.
//   MeanValue   one mean-value step per variable, f(.., x_i, ..) =
//               f(.., c_i, ..) + d_i f(.., s_i, ..) (x_i - c_i) with s_i in the
//               box (lemma cerval_mvt), then `interval` on
//               f(c) + sum_i d_i f(..) (x_i - c_i) with s_i and x_i in the box.
//   Taylor      `interval` with a univariate Taylor model (i_taylor, degree 2)
//               in the claim's variable; several variables: the MeanValue
//               shape.
//   Infeasible  `interval` proves one constraint violated on the box or,
//               where the checker's contraction used the claim's cut-off
//               (or there are no constraints), the claim itself on the box.
// Proven leaves with multipliers prove the Lagrangian L's bound with one of
// the shapes, then the claim from L and the constraints by `lra`.
enum class LeafShape { Natural, Monotone, MeanValue, Taylor, Infeasible };

struct CoqExportOptions {
  // Name of the main theorem.
  std::string theorem_name = "cerval_claim";
  // Bits added to each leaf's precision for `interval` (i_prec): the Interval
  // library's elementary functions are less tight than MPFI's.
  long extra_precision = 20;
  // One line of provenance for the file's header comment (e.g. the spec file).
  std::string source;
};

struct CoqExport {
  std::string text;  // the .v file
  std::size_t leaves = 0;
  std::size_t splits = 0;
  std::size_t shapes[5] = {0, 0, 0, 0, 0};  // leaves per LeafShape
};

// The Coq file of certificate c (kind "bound"; for kind "minimum" only its
// bound part, the witness is not exported). Throws CoqExportError.
CoqExport export_coq(const Certificate& c, const CoqExportOptions& options = {});

// Writes export_coq(c).text to `path`; throws expr::InputError (path:1:1)
// when the file cannot be written.
CoqExport write_coq(const Certificate& c, const std::string& path, const CoqExportOptions& options = {});

// "out.v", 2 -> "out_2.v": coqc needs file names that are Coq identifiers.
std::string coq_numbered_path(const std::string& path, std::size_t k);

// coqc: the program named by $CERVAL_COQC, else `coqc` on PATH; "" if absent.
std::string find_coqc();

struct CoqcResult {
  bool ran = false;       // coqc was found and started
  bool accepted = false;  // exit code 0
  bool timed_out = false;
  double seconds = 0;     // wall-clock time of coqc
  std::string output;     // its stdout and stderr (the first error names the failing lemma)
};

// Compiles the Coq text with coqc in a fresh temporary folder (under the
// module name CervalExport, so any output file name works) and removes the
// folder afterwards. timeout_s <= 0: none.
CoqcResult run_coqc(const std::string& coq_text, double timeout_s = 0);

}  // namespace cerval::cert
