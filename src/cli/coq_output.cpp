#include "coq_output.hpp"

#include <cerval/cert/checker.hpp>
#include <cerval/cert/coq_export.hpp>
#include <cerval/search/certificate_export.hpp>

#include <iomanip>
#include <optional>
#include <sstream>

namespace cerval::cli {

namespace {

// The checked certificate of a proven claim, or nullopt with the reason in `note`.
std::optional<cert::Certificate> checked_certificate(const expr::Spec& spec, const expr::Comparison& claim,
                                                     const search::ClaimResult& r,
                                                     const search::SearchOptions& options, CoqNote& note) {
  std::string why;
  auto c = search::bound_certificate(spec, claim, r, options, why);
  if (!c) {
    note.text = "no Coq export: " + why;
    return std::nullopt;
  }
  const cert::CheckResult check = cert::check(*c);
  if (!check.valid) {
    note.text = "no Coq export: certificate rejected: " + check.reason;
    return std::nullopt;
  }
  return c;
}

std::string seconds_text(double s) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(2) << s << " s";
  return out.str();
}

// The first "Error" paragraph of coqc's output, on one line.
std::string first_error(const std::string& output) {
  std::istringstream in(output);
  std::string line, where, error;
  bool in_error = false;
  while (std::getline(in, line)) {
    if (line.rfind("File ", 0) == 0) {
      if (in_error) break;
      where = line;
      continue;
    }
    if (line.rfind("Error", 0) == 0) in_error = true;
    if (in_error && !line.empty()) error += (error.empty() ? "" : " ") + line;
  }
  if (error.empty()) return output.size() > 300 ? output.substr(0, 300) + "..." : output;
  return where + ": " + error;
}

}  // namespace

CoqNote write_coq_proof(const expr::Spec& spec, const expr::Comparison& claim, const search::ClaimResult& r,
                        const search::SearchOptions& options, const std::string& path) {
  CoqNote note;
  const auto c = checked_certificate(spec, claim, r, options, note);
  if (!c) return note;
  try {
    cert::CoqExportOptions o;
    o.source = claim.where.file + ":" + std::to_string(claim.where.line) + ": " + claim.text;
    const cert::CoqExport e = cert::write_coq(*c, path, o);
    note.exported = true;
    note.leaves = e.leaves;
    note.text = path + " (" + std::to_string(e.leaves) + " leaf lemmas, " + std::to_string(e.splits) +
                " splits; check with coqc)";
  } catch (const cert::CoqExportError& e) {
    note.text = "not exportable to Coq: " + std::string(e.what());
  }
  return note;
}

CoqNote recheck_with_coq(const expr::Spec& spec, const expr::Comparison& claim, const search::ClaimResult& r,
                         const search::SearchOptions& options, double timeout_s) {
  CoqNote note;
  const auto c = checked_certificate(spec, claim, r, options, note);
  if (!c) return note;
  cert::CoqExport e;
  try {
    cert::CoqExportOptions o;
    o.source = claim.where.file + ":" + std::to_string(claim.where.line) + ": " + claim.text;
    e = cert::export_coq(*c, o);
  } catch (const cert::CoqExportError& error) {
    note.text = "not exportable to Coq: " + std::string(error.what());
    return note;
  }
  note.exported = true;
  note.leaves = e.leaves;
  const cert::CoqcResult run = cert::run_coqc(e.text, timeout_s);
  note.ran = run.ran;
  note.accepted = run.accepted;
  note.seconds = run.seconds;
  if (!run.ran) {
    note.text = "exported (" + std::to_string(e.leaves) + " leaf lemmas), not re-checked: " + run.output;
  } else if (run.accepted) {
    note.text = "re-checked by Coq in " + seconds_text(run.seconds) + " (" + std::to_string(e.leaves) +
                " leaf lemmas, " + std::to_string(e.splits) + " splits)";
  } else {
    note.text = "REJECTED by coqc after " + seconds_text(run.seconds) + ": " + first_error(run.output);
  }
  return note;
}

}  // namespace cerval::cli
