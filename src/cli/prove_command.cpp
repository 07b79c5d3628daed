// cerval prove [DIR ...]: re-runs every theorem instance shipped under the
// given folders (default proofs/) and compares each verdict with the one
// recorded in the instance.
//
// An instance is a spec file whose header holds a line
//   # cerval-proof: COMMAND expect=VERDICT [contains=EXACT]
// COMMAND is `search` (VERDICT is a search status; `contains` is an exact
// value the certified enclosure of the optimum must contain), `verify`
// (VERDICT is the verdict of every claim: proven, refuted or unknown), or the
// proof kind of an engine command (commands.hpp, EngineCommand).
// A proven or successful verdict counts only when its certificate is accepted
// by the independent checker.
#include "certificate_output.hpp"
#include "commands.hpp"
#include "coq_output.hpp"
#include "output.hpp"

#include <cerval/expr/parser.hpp>
#include <cerval/search/branch_and_bound.hpp>
#include <cerval/search/verify.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>

namespace cerval::cli {

namespace {

namespace fs = std::filesystem;

// `prove --coq`: every proven verify claim is exported to Coq and re-checked
// by coqc (when installed); one report line per claim.
struct CoqRecheck {
  bool enabled = false;
  double timeout_s = 600;
  std::vector<std::string> lines;  // of the current instance
  int rejected = 0;                // claims coqc ran on and rejected (current instance)
};
CoqRecheck coq_recheck;

std::string fixed_seconds(double s) {
  std::ostringstream out;
  if (s < 0.1) out << std::fixed << std::setprecision(2) << s * 1000 << " ms";
  else out << std::fixed << std::setprecision(2) << s << " s";
  return out.str();
}

ProofRunner engine_proof_runner(const std::string& kind) {
  for (const EngineCommand& engine : engine_commands())
    if (engine.proof_kind && kind == engine.proof_kind) return engine.run_proof;
  return nullptr;
}

struct Instance {
  fs::path file;
  std::string command;
  std::string expect;
  std::optional<numeric::Rational> contains;
  int line = 0;
};

std::vector<Instance> read_instances(const fs::path& file) {
  std::vector<Instance> result;
  std::ifstream in(file);
  std::string line;
  int number = 0;
  const std::string marker = "cerval-proof:";
  while (std::getline(in, line)) {
    ++number;
    const auto at = line.find(marker);
    if (at == std::string::npos) continue;
    Instance inst;
    inst.file = file;
    inst.line = number;
    std::istringstream words(line.substr(at + marker.size()));
    words >> inst.command;
    std::string word;
    while (words >> word) {
      const auto eq = word.find('=');
      const std::string key = word.substr(0, eq), value = eq == std::string::npos ? "" : word.substr(eq + 1);
      if (key == "expect") {
        inst.expect = value;
      } else if (key == "contains") {
        inst.contains = numeric::parse_rational(value);
        if (!inst.contains)
          throw expr::InputError({file.string(), number, static_cast<int>(at) + 1}, "contains= needs an exact number");
      } else {
        throw expr::InputError({file.string(), number, static_cast<int>(at) + 1}, "unknown key '" + key + "'");
      }
    }
    // An unknown proof command is reported on its instance's row (an engine
    // left out of this build, or a typo), not for the whole run.
    if (inst.expect.empty())
      throw expr::InputError({file.string(), number, static_cast<int>(at) + 1}, "missing expect=VERDICT");
    result.push_back(inst);
  }
  return result;
}

// Runs one instance; returns the verdict text (with a reason when it differs).
std::string run_instance(const Instance& inst, std::string& detail) {
  if (const ProofRunner engine = engine_proof_runner(inst.command))
    return engine(inst.file.string(), inst.contains, detail);
  if (inst.command != "search" && inst.command != "verify") {
    std::string known = "search, verify";
    for (const EngineCommand& engine : engine_commands())
      if (engine.proof_kind) known += std::string(", ") + engine.proof_kind;
    throw expr::InputError({inst.file.string(), inst.line, 1},
                           "unknown proof command '" + inst.command + "' (expected one of " + known + ")");
  }
  expr::Spec spec = expr::parse_spec_file(inst.file.string());
  search::SearchOptions so;
  so.timeout_s = 120;
  if (inst.command == "search") {
    if (!spec.objective) throw expr::InputError({inst.file.string(), 1, 1}, "search instance without a goal");
    const bool maximize = spec.objective->sense == expr::Sense::Maximize;
    const expr::NodeId f = maximize ? spec.graph.unary(expr::Op::Neg, spec.objective->expr) : spec.objective->expr;
    const search::MinimizationResult r = search::minimize(spec, f, so);
    std::string verdict = search::to_string(r.status);
    const double lo = maximize ? -r.upper : r.lower, hi = maximize ? -r.lower : r.upper;
    detail = "[" + format_lower(lo, 17) + ", " + format_upper(hi, 17) + "]";
    if (r.status == search::SearchStatus::Success || r.status == search::SearchStatus::Infeasible) {
      const std::string check = check_minimum_certificate(spec, f, r, so);
      if (!check.empty()) return "unknown (" + check + ")";
      if (inst.contains) {
        const numeric::Rational q = *inst.contains;
        if (!(numeric::to_rational(lo) <= q && q <= numeric::to_rational(hi)))
          return "wrong (enclosure misses " + numeric::to_string(q) + ")";
      }
    }
    return verdict;
  }
  std::string combined;
  std::size_t boxes = 0;
  for (const auto& claim : spec.claims) {
    search::ClaimResult r = search::verify_claim(spec, claim, so);
    boxes += r.boxes;
    std::string v = search::to_string(r.verdict);
    if (r.verdict == search::Verdict::Proven) {
      const std::string check = check_bound_certificate(spec, claim, r, so);
      if (!check.empty()) v = "unknown (" + check + ")";
      if (check.empty() && coq_recheck.enabled) {
        const CoqNote note = recheck_with_coq(spec, claim, r, so, coq_recheck.timeout_s);
        coq_recheck.rejected += note.ran && !note.accepted;
        coq_recheck.lines.push_back(claim.text + ": certified by cerval in " + fixed_seconds(r.time_s) + "; " +
                                    note.text);
      }
    }
    if (combined.empty()) combined = v;
    else if (combined != v) combined = "mixed";
  }
  detail = std::to_string(spec.claims.size()) + " claim(s), " + std::to_string(boxes) + " boxes";
  return combined.empty() ? "no claims" : combined;
}

}  // namespace

Action register_prove(CLI::App& app) {
  auto dirs = std::make_shared<std::vector<std::string>>();
  CLI::App* sub = app.add_subcommand("prove", "Re-run every theorem instance under the folders (default proofs/)");
  sub->add_option("DIR", *dirs, "Folders (or spec files) to run");
  sub->add_flag("--coq", coq_recheck.enabled,
                "Export every proven verify claim to Coq and re-check it with coqc (docs/coq.md)");
  return [dirs]() -> int {
    std::vector<std::string> roots = *dirs;
    if (roots.empty()) roots.push_back("proofs");
    std::vector<fs::path> files;
    for (const auto& root : roots) {
      if (!fs::exists(root)) throw expr::InputError({root, 1, 1}, "no such file or folder");
      if (fs::is_regular_file(root)) {
        files.emplace_back(root);
        continue;
      }
      for (const auto& entry : fs::recursive_directory_iterator(root))
        if (entry.is_regular_file() && entry.path().extension() == ".spec") files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    int mismatches = 0, total = 0;
    std::cout << std::left << std::setw(26) << "theorem" << std::setw(30) << "instance" << std::setw(16) << "verdict"
              << std::setw(16) << "expected" << "time" << "\n";
    for (const auto& file : files) {
      for (const Instance& inst : read_instances(file)) {
        ++total;
        const auto start = std::chrono::steady_clock::now();
        std::string detail;
        std::string verdict;
        try {
          verdict = run_instance(inst, detail);
        } catch (const expr::InputError& e) {
          verdict = "error";
          detail = e.what();
        }
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        const int coq_rejected = coq_recheck.rejected;
        coq_recheck.rejected = 0;
        const bool ok = verdict == inst.expect && coq_rejected == 0;
        mismatches += !ok;
        std::ostringstream time;
        time << std::fixed << std::setprecision(2) << seconds << " s";
        std::cout << std::left << std::setw(26) << file.parent_path().filename().string() << std::setw(30)
                  << file.stem().string() << std::setw(16) << verdict << std::setw(16) << inst.expect << std::setw(10)
                  << time.str() << (ok ? "" : "  MISMATCH") << "  " << detail << "\n";
        for (const std::string& line : coq_recheck.lines) std::cout << "    coq: " << line << "\n";
        coq_recheck.lines.clear();
      }
    }
    std::cout << total - mismatches << " of " << total << " instances match their expected verdicts\n";
    if (total == 0) {
      std::cerr << "cerval prove: no instances found\n";
      return kUsage;
    }
    return mismatches == 0 ? kSuccess : kRefuted;
  };
}

}  // namespace cerval::cli
