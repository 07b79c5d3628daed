// cerval check CERT.json: re-verifies a certificate from scratch with the
// independent checker (cert/checker.hpp), which shares no code with the search.
#include "commands.hpp"

#include <cerval/cert/certificate.hpp>
#include <cerval/cert/checker.hpp>

#include <nlohmann/json.hpp>

#include <iostream>
#include <memory>

namespace cerval::cli {

Action register_check(CLI::App& app) {
  auto path = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  CLI::App* sub = app.add_subcommand("check", "Re-verify a certificate independently (MPFI)");
  sub->add_option("CERT", *path, "Certificate file (JSON)")->required();
  sub->add_flag("--json", *json, "Print one JSON object");
  return [path, json]() -> int {
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
    return r.valid ? kSuccess : kRefuted;
  };
}

}  // namespace cerval::cli
