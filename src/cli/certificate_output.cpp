#include "certificate_output.hpp"

#include <cerval/cert/certificate.hpp>
#include <cerval/cert/checker.hpp>
#include <cerval/search/certificate_export.hpp>


namespace cerval::cli {

namespace {

// "" when the independent checker accepts the certificate.
std::string check_certificate(const std::optional<cert::Certificate>& c, const std::string& why) {
  if (!c) return "rejected: " + why;
  const cert::CheckResult result = cert::check(*c);
  return result.valid ? "" : "rejected: " + result.reason;
}

std::string write_checked(const std::optional<cert::Certificate>& c, const std::string& why, const std::string& path) {
  const std::string verdict = check_certificate(c, why);
  if (!c) return "not written: " + why;
  cert::write_certificate(*c, path);
  return verdict.empty() ? path + " (accepted by the checker)" : verdict;
}

}  // namespace

std::string check_bound_certificate(const expr::Spec& spec, const expr::Comparison& claim,
                                    const search::ClaimResult& r, const search::SearchOptions& options) {
  std::string why;
  const auto c = search::bound_certificate(spec, claim, r, options, why);
  return check_certificate(c, why);
}

std::string check_minimum_certificate(const expr::Spec& spec, expr::NodeId f,
                                      const search::MinimizationResult& r, const search::SearchOptions& options) {
  std::string why;
  const auto c = search::minimum_certificate(spec, f, r, options, why);
  return check_certificate(c, why);
}

std::string write_bound_certificate(const expr::Spec& spec, const expr::Comparison& claim,
                                    const search::ClaimResult& r, const search::SearchOptions& options,
                                    const std::string& path) {
  std::string why;
  const auto c = search::bound_certificate(spec, claim, r, options, why);
  return write_checked(c, why, path);
}

std::string write_minimum_certificate(const expr::Spec& spec, expr::NodeId f,
                                      const search::MinimizationResult& r, const search::SearchOptions& options,
                                      const std::string& path) {
  std::string why;
  const auto c = search::minimum_certificate(spec, f, r, options, why);
  return write_checked(c, why, path);
}

std::string numbered_path(const std::string& path, std::size_t k) {
  const auto dot = path.rfind('.');
  const auto slash = path.rfind('/');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash))
    return path + "." + std::to_string(k);
  return path.substr(0, dot) + "." + std::to_string(k) + path.substr(dot);
}

}  // namespace cerval::cli
