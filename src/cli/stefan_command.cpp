// cerval stefan FILE [--digits D] [--json] [--plot FILE.svg]
//
// The one-phase Stefan problem of FILE's `stefan` section (docs/stefan.md):
// the similarity parameter lambda of the Neumann solution enclosed to the
// requested digits with existence and uniqueness proven, the exact front
// s(T) and temperature u(x_i, T) enclosed on a grid, and the a-priori
// maximum-principle bounds decided on the certified values.
//
// Exit codes: 0 proven, 2 unknown (digits not met), 64 usage, 65 bad input,
// 70 internal error.
#include "commands.hpp"
#include "output.hpp"

#include <cerval/expr/diagnostics.hpp>
#include <cerval/stefan/similarity.hpp>
#include <cerval/stefan/spec.hpp>

#include <nlohmann/json.hpp>

#include <fstream>
#include <iostream>
#include <memory>

namespace cerval::cli {
namespace {

using numeric::MpInterval;
using numeric::Rational;

struct StefanOptions {
  std::string file;
  int digits = 0;
  bool json = false;
  std::string plot;
};

struct Verdict {
  std::string statement;
  std::string decision;  // proven / refuted / unknown
  std::string detail;
};

struct StefanRun {
  stefan::StefanSpec spec;
  stefan::LambdaEnclosure lambda;
  MpInterval front{53};
  std::vector<std::pair<MpInterval, MpInterval>> profile;  // (x_i, u(x_i, T))
  std::vector<Verdict> verdicts;
  std::string verdict;
};

StefanRun run_stefan(const std::string& file, int digits) {
  StefanRun r;
  r.spec = stefan::parse_stefan_spec_file(file);
  if (digits > 0) r.spec.digits = digits;
  r.lambda = stefan::neumann_lambda(r.spec.problem, r.spec.parameter, r.spec.digits);
  const auto& lam = r.lambda.lambda;
  r.verdicts.push_back({"existence of a root lambda > 0", r.lambda.existence ? "proven" : "unknown",
                        "F(lower) < 0 < F(upper) certified with MPFR erf (intermediate value theorem)"});
  r.verdicts.push_back({"uniqueness of the positive root", r.lambda.uniqueness ? "proven" : "unknown",
                        "F strictly increasing on (0, oo)"});
  if (r.spec.problem == stefan::NeumannCase::Dirichlet)
    r.verdicts.push_back({"St/(2 + 2 St/3) <= lambda^2 <= St/2", stefan::check_lambda_bounds(r.spec.parameter, lam),
                          "first-moment identity and comparison bounds, decided on the enclosure"});
  r.verdicts.push_back({"s(t) = 2 lambda sqrt(t) nondecreasing", lam.certainly_gt(0) ? "proven" : "unknown",
                        "lambda > 0 certified"});
  if (r.lambda.existence) {
    r.front = stefan::neumann_front(lam, r.spec.final_time);
    for (int i = 0; i <= r.spec.points; ++i) {
      MpInterval x = r.front * MpInterval::enclose(Rational(i) / r.spec.points, lam.precision());
      // x_i = i s(T)/m with s(T) exact: the enclosure of x carries the uncertainty of s(T).
      r.profile.emplace_back(x, stefan::neumann_temperature(r.spec.problem, r.spec.parameter, lam, x, r.spec.final_time));
    }
  }
  bool all = r.lambda.existence && r.lambda.uniqueness && r.lambda.digits_met;
  bool refuted = false;
  for (const auto& v : r.verdicts) {
    if (v.decision != "proven") all = false;
    if (v.decision == "refuted") refuted = true;
  }
  r.verdict = refuted ? "refuted" : all ? "proven" : "unknown";
  return r;
}

void write_plot(const StefanRun& r, const std::string& path) {
  std::ofstream out(path);
  if (!out) throw expr::InputError({path, 1, 1}, "cannot write the plot file");
  const double T = numeric::to_double_up(r.spec.final_time);
  const double smax = r.front.upper_up();
  const int W = 480, H = 320, M = 50;
  out << "<svg xmlns='http://www.w3.org/2000/svg' width='" << W << "' height='" << H << "'>\n"
      << "<rect width='100%' height='100%' fill='white'/>\n"
      << "<text x='" << M << "' y='20' font-size='13'>free boundary s(t) = 2 lambda sqrt(t) (certified band)</text>\n"
      << "<line x1='" << M << "' y1='" << H - M << "' x2='" << W - 10 << "' y2='" << H - M << "' stroke='black'/>\n"
      << "<line x1='" << M << "' y1='" << H - M << "' x2='" << M << "' y2='30' stroke='black'/>\n"
      << "<text x='" << W - 40 << "' y='" << H - M + 18 << "' font-size='12'>t=" << T << "</text>\n"
      << "<text x='5' y='40' font-size='12'>" << smax << "</text>\n";
  for (int side = 0; side < 2; ++side) {
    out << "<polyline fill='none' stroke='" << (side ? "red" : "blue") << "' points='";
    for (int k = 0; k <= 100; ++k) {
      const Rational t = r.spec.final_time * Rational(k) / 100;
      const MpInterval s = stefan::neumann_front(r.lambda.lambda, t);
      const double v = side ? s.upper_up() : s.lower_down();
      out << M + (W - M - 10) * k / 100.0 << "," << (H - M) - (H - M - 30) * v / smax << " ";
    }
    out << "'/>\n";
  }
  out << "</svg>\n";
}

int print(const StefanRun& r, bool json) {
  const int d = r.spec.digits + 3;
  const int du = 17;
  const auto& lam = r.lambda.lambda;
  const char* eq = r.spec.problem == stefan::NeumannCase::Dirichlet ? "lambda exp(lambda^2) erf(lambda) = St/sqrt(pi)"
                                                                     : "lambda exp(lambda^2) = Q";
  const int code = r.verdict == "proven" ? kSuccess : r.verdict == "refuted" ? kRefuted : kUnknown;
  if (json) {
    nlohmann::json j;
    j["problem"] = std::string("neumann_") + stefan::neumann_case_name(r.spec.problem);
    j["parameter"] = numeric::to_string(r.spec.parameter);
    j["final_time"] = numeric::to_string(r.spec.final_time);
    j["equation"] = eq;
    j["lambda"] = {{"lower", format_lower(lam, d)}, {"upper", format_upper(lam, d)}, {"digits", r.spec.digits},
                   {"digits_met", r.lambda.digits_met}, {"bisection_steps", r.lambda.iterations},
                   {"precision_bits", r.lambda.precision_bits}};
    nlohmann::json vs = nlohmann::json::array();
    for (const auto& v : r.verdicts) vs.push_back({{"statement", v.statement}, {"decision", v.decision}, {"detail", v.detail}});
    j["verdicts"] = vs;
    if (r.lambda.existence) {
      j["front"] = {{"lower", format_lower(r.front, du)}, {"upper", format_upper(r.front, du)}};
      nlohmann::json p = nlohmann::json::array();
      for (const auto& [x, u] : r.profile)
        p.push_back({{"x", {format_lower(x, du), format_upper(x, du)}}, {"u", {format_lower(u, du), format_upper(u, du)}}});
      j["profile"] = p;
    }
    j["verdict"] = r.verdict;
    std::cout << j.dump(2) << "\n";
    return code;
  }
  std::cout << "problem:   one-phase Neumann, " << stefan::neumann_case_name(r.spec.problem) << " case, "
            << (r.spec.problem == stefan::NeumannCase::Dirichlet ? "St = " : "Q = ") << numeric::to_string(r.spec.parameter)
            << ", T = " << numeric::to_string(r.spec.final_time) << "\n";
  std::cout << "equation:  " << eq << "\n";
  std::cout << "lambda in  [" << format_lower(lam, d) << ", " << format_upper(lam, d) << "]  (" << r.lambda.iterations
            << " bisection steps at " << r.lambda.precision_bits << " bits"
            << (r.lambda.digits_met ? "" : "; requested digits NOT met") << ")\n";
  for (const auto& v : r.verdicts) std::cout << "  [" << v.decision << "] " << v.statement << "  (" << v.detail << ")\n";
  if (r.lambda.existence) {
    std::cout << "s(T) in    [" << format_lower(r.front, du) << ", " << format_upper(r.front, du) << "]\n";
    std::cout << "u(x_i, T), x_i = i s(T)/" << r.spec.points << ":\n";
    for (std::size_t i = 0; i < r.profile.size(); ++i)
      std::cout << "  i = " << i << ": [" << format_lower(r.profile[i].second, du) << ", "
                << format_upper(r.profile[i].second, du) << "]\n";
  }
  std::cout << "verdict:   " << r.verdict << "\n";
  return code;
}

Action register_stefan(CLI::App& app) {
  auto opt = std::make_shared<StefanOptions>();
  CLI::App* sub = app.add_subcommand("stefan", "One-phase Stefan problem: certified similarity solution and bounds");
  sub->add_option("FILE", opt->file, "Spec file with a stefan section")->required();
  sub->add_option("--digits", opt->digits, "Absolute accuracy 10^-D of lambda (default: the spec's, or 20)")
      ->check(CLI::Range(1, 2000));
  sub->add_flag("--json", opt->json, "Print one JSON object");
  sub->add_option("--plot", opt->plot, "Write an SVG of the certified s(t)");
  return [opt]() {
    const StefanRun r = run_stefan(opt->file, opt->digits);
    if (!opt->plot.empty() && r.lambda.existence) write_plot(r, opt->plot);
    return print(r, opt->json);
  };
}

std::string run_stefan_proof(const std::string& file, const std::optional<Rational>& contains, std::string& detail) {
  const StefanRun r = run_stefan(file, 0);
  const auto& lam = r.lambda.lambda;
  detail = "lambda in [" + format_lower(lam, r.spec.digits + 3) + ", " + format_upper(lam, r.spec.digits + 3) + "]";
  if (contains) {
    if (!lam.contains(*contains)) return "wrong (the lambda enclosure misses " + numeric::to_string(*contains) + ")";
  }
  return r.verdict;
}

const bool registered = add_engine_command({30, register_stefan, "stefan", run_stefan_proof});

}  // namespace
}  // namespace cerval::cli
