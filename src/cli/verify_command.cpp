// cerval verify FILE [--certificate OUT.json] [--coq OUT.v] [--timeout S] [--max-boxes N] [--json]
#include "certificate_output.hpp"
#include "coq_output.hpp"
#include "commands.hpp"
#include "output.hpp"

#include <cerval/cert/coq_export.hpp>
#include <cerval/expr/parser.hpp>
#include <cerval/search/verify.hpp>

#include <nlohmann/json.hpp>

#include <iostream>
#include <memory>

namespace cerval::cli {

namespace {

struct VerifyOptions {
  std::string file;
  std::string certificate;
  std::string coq;
  double timeout = 0;
  std::size_t max_boxes = 2'000'000;
  std::string eps_h;
  bool json = false;
  bool quiet = false;
};

}  // namespace

int verify_exit_code(const std::vector<search::Verdict>& verdicts) {
  bool all_proven = true;
  for (auto v : verdicts) {
    if (v == search::Verdict::Refuted) return kRefuted;
    all_proven = all_proven && v == search::Verdict::Proven;
  }
  return all_proven ? kSuccess : kUnknown;
}

Action register_verify(CLI::App& app) {
  auto opt = std::make_shared<VerifyOptions>();
  CLI::App* sub = app.add_subcommand("verify", "Prove or refute the claims of a spec's prove section");
  sub->add_option("FILE", opt->file, "Spec file with a prove section")->required();
  sub->add_option("--certificate", opt->certificate,
                  "Write the certificates (JSON); with several claims, OUT.json becomes OUT.1.json, OUT.2.json, ...");
  sub->add_option("--coq", opt->coq,
                  "Write the Coq proof of each proven claim (docs/coq.md); with several claims, OUT.v becomes OUT_1.v, ...");
  sub->add_option("--timeout", opt->timeout, "Seconds per claim (0: none)")->check(CLI::NonNegativeNumber);
  sub->add_option("--max-boxes", opt->max_boxes, "Boxes per claim before giving up with unknown");
  sub->add_option("--eps-h", opt->eps_h, "Relax equality constraints h = b to |h - b| <= E (exact decimal)");
  sub->add_flag("--json", opt->json, "Print one JSON object");
  sub->add_flag("--quiet", opt->quiet, "No progress on stderr");
  return [opt]() -> int {
    expr::Spec spec = expr::parse_spec_file(opt->file);
    if (spec.claims.empty()) throw expr::InputError({opt->file, 1, 1}, "no claims: the spec has no prove section");
    search::SearchOptions so;
    so.timeout_s = opt->timeout;
    so.max_boxes = opt->max_boxes;
    so.eps_h = parse_eps_h(opt->eps_h);
    so.progress = !opt->quiet && !opt->json;
    nlohmann::json claims = nlohmann::json::array();
    std::vector<search::Verdict> verdicts;
    for (std::size_t k = 0; k < spec.claims.size(); ++k) {
      const expr::Comparison& claim = spec.claims[k];
      search::ClaimResult r = search::verify_claim(spec, claim, so);
      std::string certificate_note;
      if (!opt->certificate.empty() && r.verdict == search::Verdict::Proven) {
        const std::string path = spec.claims.size() == 1 ? opt->certificate : numbered_path(opt->certificate, k + 1);
        certificate_note = write_bound_certificate(spec, claim, r, so, path);
        // Never report proven without a certificate the checker accepts.
        if (certificate_note.rfind("rejected", 0) == 0) r.verdict = search::Verdict::Unknown;
      }
      std::string coq_note;
      if (!opt->coq.empty() && r.verdict == search::Verdict::Proven)
        coq_note = write_coq_proof(spec, claim, r, so,
                                   spec.claims.size() == 1 ? opt->coq : cert::coq_numbered_path(opt->coq, k + 1))
                       .text;
      verdicts.push_back(r.verdict);
      nlohmann::json c;
      c["claim"] = claim.text;
      c["verdict"] = search::to_string(r.verdict);
      c["boxes"] = r.boxes;
      c["time_s"] = r.time_s;
      if (r.witness) {
        nlohmann::json w = nlohmann::json::object();
        for (std::size_t i = 0; i < r.witness->size(); ++i) w[spec.variables[i].name] = format_exact((*r.witness)[i]);
        c["witness"] = w;
        c["witness_reason"] = r.witness_reason;
        c["value_at_witness"] = r.witness_value;
      }
      if (r.verdict == search::Verdict::Unknown) {
        c["undecided_fraction"] = r.undecided_fraction;
        c["worst_bound"] = r.worst_bound;
      }
      if (!certificate_note.empty()) c["certificate"] = certificate_note;
      if (!coq_note.empty()) c["coq"] = coq_note;
      if (!opt->json) {
        std::cout << claim.where.file << ":" << claim.where.line << ": " << claim.text << ": "
                  << search::to_string(r.verdict) << " (" << r.boxes << " boxes, " << r.time_s << " s)";
        if (r.witness) {
          std::cout << "\n  witness:";
          for (std::size_t i = 0; i < r.witness->size(); ++i)
            std::cout << (i ? ", " : " ") << spec.variables[i].name << " = " << format_exact((*r.witness)[i]);
          std::cout << " (" << r.witness_reason << "; value " << r.witness_value << ")";
        }
        if (r.verdict == search::Verdict::Unknown)
          std::cout << "\n  undecided: " << r.undecided_fraction * 100 << "% of the box, worst bound " << r.worst_bound;
        if (!certificate_note.empty()) std::cout << "\n  certificate: " << certificate_note;
        if (!coq_note.empty()) std::cout << "\n  coq: " << coq_note;
        std::cout << "\n";
      }
      claims.push_back(c);
    }
    if (opt->json) std::cout << nlohmann::json{{"claims", claims}}.dump(2) << "\n";
    return verify_exit_code(verdicts);
  };
}

}  // namespace cerval::cli
