#pragma once
// Writing and checking certificates from the command line. A verdict of
// `proven` (or a search result of `success`) is reported only when the
// independent checker (cert/checker.hpp) accepts its certificate.
#include <cerval/search/branch_and_bound.hpp>
#include <cerval/search/verify.hpp>

#include <string>

namespace cerval::cli {

// Each returns "" when the checker accepts the certificate, else
// "rejected: REASON". The write_ variants also write the JSON file and
// return "PATH (accepted by the checker)" or the rejection.
std::string check_bound_certificate(const expr::Spec& spec, const expr::Comparison& claim,
                                    const search::ClaimResult& r, const search::SearchOptions& options);
std::string check_minimum_certificate(const expr::Spec& spec, expr::NodeId f,
                                      const search::MinimizationResult& r, const search::SearchOptions& options);
std::string write_bound_certificate(const expr::Spec& spec, const expr::Comparison& claim,
                                    const search::ClaimResult& r, const search::SearchOptions& options,
                                    const std::string& path);
std::string write_minimum_certificate(const expr::Spec& spec, expr::NodeId f,
                                      const search::MinimizationResult& r, const search::SearchOptions& options,
                                      const std::string& path);
// "out.json", 2 -> "out.2.json".
std::string numbered_path(const std::string& path, std::size_t k);

}  // namespace cerval::cli
