// cerval check CERT.json: re-verifies a certificate from scratch with the
// independent checker (cert/checker.hpp), which shares no code with the search.
#include "commands.hpp"

#include <cerval/cert/certificate.hpp>
#include <cerval/cert/checker.hpp>
#include <cerval/cert/coq_export.hpp>

#include <nlohmann/json.hpp>

#include <iostream>
#include <memory>

namespace cerval::cli {

Action register_check(CLI::App& app) {
  auto path = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  auto coq = std::make_shared<std::string>();
  CLI::App* sub = app.add_subcommand("check", "Re-verify a certificate independently (MPFI)");
  sub->add_option("CERT", *path, "Certificate file (JSON)")->required();
  sub->add_flag("--json", *json, "Print one JSON object");
  sub->add_option("--coq", *coq, "Also export the certificate to a Coq proof OUT.v (docs/coq.md)");
  return [path, json, coq]() -> int {
    const cert::Certificate c = cert::read_certificate(*path);
    const cert::CheckResult r = cert::check(c);
    if (*json) {
      std::cout << nlohmann::json{{"valid", r.valid}, {"reason", r.reason}, {"leaves", r.leaves}, {"splits", r.splits}}
                       .dump()
                << "\n";
    } else if (r.valid) {
      std::cout << *path << ": valid (" << r.leaves << " leaves, " << r.splits << " splits re-proven)\n";
    } else {
      std::cout << *path << ": INVALID: " << r.reason << "\n";
    }
    if (!coq->empty()) {
      if (!r.valid) {
        std::cerr << "cerval check: no Coq export of an invalid certificate\n";
      } else {
        try {
          const cert::CoqExport e = cert::write_coq(c, *coq, {.source = *path});
          if (!*json) std::cout << *coq << ": Coq proof (" << e.leaves << " leaf lemmas, " << e.splits << " splits)\n";
        } catch (const cert::CoqExportError& e) {
          std::cerr << "cerval check: not exportable to Coq: " << e.what() << "\n";
          return kUnknown;
        }
      }
    }
    return r.valid ? kSuccess : kRefuted;
  };
}

}  // namespace cerval::cli
