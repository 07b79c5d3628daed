// cerval search FILE [--eps-abs E] [--eps-rel E] [--timeout S] [--max-boxes N]
//                    [--eps-h E] [--method bnb|exhaustive] [--certificate OUT.json] [--json]
#include "certificate_output.hpp"
#include "commands.hpp"
#include "output.hpp"

#include <cerval/expr/parser.hpp>
#include <cerval/search/branch_and_bound.hpp>
#include <cerval/search/exhaustive.hpp>

#include <nlohmann/json.hpp>

#include <iostream>
#include <memory>

namespace cerval::cli {

namespace {

struct SearchCommandOptions {
  std::string file;
  double eps_abs = 1e-9;
  double eps_rel = 1e-9;
  double timeout = 0;
  std::size_t max_boxes = 50'000'000;
  std::string eps_h;
  std::string method = "bnb";
  std::string certificate;
  bool json = false;
  bool quiet = false;
};

int exit_code(search::SearchStatus s) {
  switch (s) {
    case search::SearchStatus::Success: return kSuccess;
    case search::SearchStatus::Infeasible: return kRefuted;
    default: return kUnknown;
  }
}

int print_exhaustive(const expr::Spec& spec, const search::ExhaustiveResult& e, bool maximize, bool json) {
  if (!e.completed) {
    if (json)
      std::cout << nlohmann::json{{"status", "unknown"}, {"reason", e.reason}, {"net_points", e.net_points}}.dump()
                << "\n";
    else
      std::cout << "status: unknown\nreason: " << e.reason << "\n";
    return kUnknown;
  }
  const std::string lo = maximize ? format_lower(-e.upper, 17) : format_lower(e.lower, 17);
  const std::string hi = maximize ? format_upper(-e.lower, 17) : format_upper(e.upper, 17);
  if (json) {
    nlohmann::json argmin = nlohmann::json::object();
    if (e.witness)
      for (std::size_t i = 0; i < e.witness->size(); ++i) argmin[spec.variables[i].name] = format_exact((*e.witness)[i]);
    std::cout << nlohmann::json{{"status", "success"},
                                {"method", "exhaustive"},
                                {"optimum", {{"lower", lo}, {"upper", hi}}},
                                {"argmin", argmin},
                                {"lipschitz", e.lipschitz},
                                {"net_points", e.net_points},
                                {"time_s", e.time_s}}
                     .dump(2)
              << "\n";
  } else {
    std::cout << "status: success (exhaustive delta-net)\n"
              << (maximize ? "maximum" : "minimum") << " in [" << lo << ", " << hi << "]\n"
              << "certified Lipschitz bound: " << e.lipschitz << ", net points: " << e.net_points
              << ", time: " << e.time_s << " s\n";
  }
  return kSuccess;
}

}  // namespace

std::optional<numeric::Rational> parse_eps_h(const std::string& text) {
  if (text.empty()) return std::nullopt;
  const auto q = numeric::parse_decimal(text);
  if (!q || *q < 0) throw CLI::ValidationError("--eps-h", "expected a nonnegative decimal, got '" + text + "'");
  return q;
}

Action register_search(CLI::App& app) {
  auto opt = std::make_shared<SearchCommandOptions>();
  CLI::App* sub = app.add_subcommand("search", "Certified global minimisation (or maximisation) of a spec's objective");
  sub->add_option("FILE", opt->file, "Spec file with a minimize or maximize goal")->required();
  sub->add_option("--eps-abs", opt->eps_abs, "Absolute precision on the optimum (default 1e-9)")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--eps-rel", opt->eps_rel, "Relative precision on the optimum (default 1e-9)")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--timeout", opt->timeout, "Stop after S seconds with status timeout (0: none)")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--max-boxes", opt->max_boxes, "Stop after N boxes with status timeout");
  sub->add_option("--eps-h", opt->eps_h, "Relax equality constraints h = b to |h - b| <= E (exact decimal)");
  sub->add_option("--method", opt->method, "bnb (branch and bound) or exhaustive (the theorem's delta-net)")
      ->check(CLI::IsMember({"bnb", "exhaustive"}));
  sub->add_option("--certificate", opt->certificate, "Write the certificate (JSON) to this file");
  sub->add_flag("--json", opt->json, "Print one JSON object");
  sub->add_flag("--quiet", opt->quiet, "No progress on stderr");
  return [opt]() -> int {
    expr::Spec spec = expr::parse_spec_file(opt->file);
    if (!spec.objective)
      throw expr::InputError({opt->file, 1, 1}, "no minimize or maximize goal to search for");
    search::SearchOptions so;
    so.eps_abs = opt->eps_abs;
    so.eps_rel = opt->eps_rel;
    so.timeout_s = opt->timeout;
    so.max_boxes = opt->max_boxes;
    so.eps_h = parse_eps_h(opt->eps_h);
    so.progress = !opt->quiet && !opt->json;
    const bool maximize = spec.objective->sense == expr::Sense::Maximize;
    const expr::NodeId f = maximize ? spec.graph.unary(expr::Op::Neg, spec.objective->expr) : spec.objective->expr;

    if (opt->method == "exhaustive") {
      const search::ExhaustiveResult e = search::exhaustive_minimize(spec, f, so);
      return print_exhaustive(spec, e, maximize, opt->json);
    }
    search::MinimizationResult r = search::minimize(spec, f, so);
    const int digits = 17;
    // For a maximisation the search minimised -f: flip the enclosure back.
    const std::string lo = maximize ? format_lower(-r.upper, digits) : format_lower(r.lower, digits);
    const std::string hi = maximize ? format_upper(-r.lower, digits) : format_upper(r.upper, digits);
    // A success or a proof of infeasibility stands only when the independent
    // checker accepts its certificate (docs/CONTRACT.md).
    std::string certificate_note;
    if (!opt->certificate.empty()) certificate_note = write_minimum_certificate(spec, f, r, so, opt->certificate);
    const bool decided = r.status == search::SearchStatus::Success || r.status == search::SearchStatus::Infeasible;
    if (decided) {
      const std::string check = opt->certificate.empty() ? check_minimum_certificate(spec, f, r, so) : certificate_note;
      if (check.rfind("rejected", 0) == 0 || check.rfind("not written", 0) == 0) {
        std::cerr << "cerval search: the certificate was not accepted (" << check
                  << "); the result is reported as not certified\n";
        r.status = search::SearchStatus::UnreachedPrecision;
      }
    }
    if (opt->json) {
      nlohmann::json j;
      j["status"] = search::to_string(r.status);
      j["sense"] = maximize ? "maximize" : "minimize";
      j["optimum"] = {{"lower", lo}, {"upper", hi}};
      nlohmann::json argmin = nlohmann::json::object();
      if (r.witness)
        for (std::size_t i = 0; i < r.witness->size(); ++i)
          argmin[spec.variables[i].name] = format_exact((*r.witness)[i]);
      j["argmin"] = argmin;
      if (r.witness_box) j["argmin_box"] = box_to_json(*r.witness_box);  // holds a feasible point (Krawczyk)
      nlohmann::json boxes = nlohmann::json::array();
      for (std::size_t k = 0; k < r.minimizer_boxes.size() && k < 100; ++k) boxes.push_back(box_to_json(r.minimizer_boxes[k]));
      j["minimizer_boxes"] = boxes;
      j["minimizer_box_count"] = r.minimizer_boxes.size();
      j["boxes_processed"] = r.boxes_processed;
      j["time_s"] = r.time_s;
      j["exhaustive_evaluations"] = search::exhaustive_cost_text(spec, f, so);
      if (!opt->certificate.empty()) j["certificate"] = certificate_note;
      std::cout << j.dump(2) << "\n";
    } else {
      std::cout << "status: " << search::to_string(r.status) << "\n";
      std::cout << (maximize ? "maximum" : "minimum") << " in [" << lo << ", " << hi << "]\n";
      if (r.witness) {
        std::cout << (maximize ? "argmax:" : "argmin:");
        for (std::size_t i = 0; i < r.witness->size(); ++i)
          std::cout << (i ? ", " : " ") << spec.variables[i].name << " = " << format_exact((*r.witness)[i]);
        std::cout << "\n";
        if (r.witness_box)
          std::cout << "  (an exactly feasible point lies in a box of relative radius <= 1e-6 around it, proven by "
                       "Krawczyk's test on the equality constraints)\n";
      }
      std::cout << "boxes: " << r.boxes_processed << ", open boxes covering the minimisers: " << r.minimizer_boxes.size()
                << ", time: " << r.time_s << " s\n";
      std::cout << "exhaustive search (theorem's delta-net) would need: " << search::exhaustive_cost_text(spec, f, so)
                << " evaluations\n";
      if (!opt->certificate.empty()) std::cout << "certificate: " << certificate_note << "\n";
    }
    return exit_code(r.status);
  };
}

}  // namespace cerval::cli
