// cerval threshold FILE [--digits D] [--json] [--plot FILE.svg] [--timeout S]
//
// The seasonal system of FILE's `seasonal` section (docs/seasonal.md): the
// hypotheses of Ji & Strugarek's sharp seasonal threshold theorem decided on
// the region, the critical fraction theta* of the period spent in the
// unfavourable season enclosed with its uniqueness certified, and the
// theorem's conclusion (extinction or persistence) at the requested thetas,
// with the periodic solution computed numerically for persistence.
//
// Exit codes: 0 proven (every hypothesis and the threshold property, or the
// requested classifications), 1 refuted (the threshold property fails: rho
// crosses 1 upwards), 2 unknown (a hypothesis refuted or undecided, digits
// not reached, timeout), 64 usage, 65 bad input, 70 internal error.
#include "commands.hpp"
#include "output.hpp"

#include <cerval/expr/diagnostics.hpp>
#include <cerval/seasonal/hypotheses.hpp>
#include <cerval/seasonal/monodromy.hpp>
#include <cerval/seasonal/periodic.hpp>
#include <cerval/seasonal/spec.hpp>
#include <cerval/seasonal/threshold.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

namespace cerval::cli {
namespace {

using numeric::Interval;
using numeric::MpInterval;
using numeric::Rational;
using namespace cerval::seasonal;

struct ThresholdCliOptions {
  std::string file;
  int digits = 0;
  bool json = false;
  std::string plot;
  double timeout = 0;
  bool quiet = false;
};

struct ClassificationRun {
  Classification c;
  std::optional<PeriodicSolution> periodic;
};

struct ThresholdRun {
  SeasonalSpec spec;
  Linearisation<Interval> lin;
  HypothesesReport hypotheses;
  std::optional<ThresholdResult> threshold;
  std::vector<ClassificationRun> classes;
  int digits = 15;
  std::string verdict;     // proof word
  std::string conclusion;  // the theorem's conclusion in words
  int exit = kUnknown;
};

std::string theta_text(const Rational& lo, const Rational& hi, int digits) {
  return "[" + numeric::to_decimal_down(lo, digits) + ", " + numeric::to_decimal_up(hi, digits) + "]";
}

void decide(ThresholdRun& r) {
  const Decision h = r.hypotheses.overall;
  if (r.threshold) {
    const auto& t = *r.threshold;
    if (t.status == ThresholdStatus::MultipleCrossings) {
      r.verdict = "refuted";
      r.conclusion = "the sharp seasonal threshold property fails: rho > 1 again after rho < 1";
      r.exit = kRefuted;
      return;
    }
    if (h == Decision::Refuted) {
      r.verdict = "hypothesis-refuted";
      r.conclusion = "a hypothesis of the theorem is refuted (witness above): the theorem does not apply";
      r.exit = kUnknown;
      return;
    }
    const bool sharp = t.status == ThresholdStatus::Crossing && t.unique;
    const bool always = t.status == ThresholdStatus::AlwaysPersistence || t.status == ThresholdStatus::AlwaysExtinction;
    if (h == Decision::Proven && sharp) {
      r.verdict = "proven";
      r.conclusion = "SSTP holds: for theta < theta* every nonzero solution in the region tends to the unique positive "
                     "periodic solution; for theta >= theta* every solution tends to 0";
      r.exit = t.digits_reached >= t.digits_requested ? kSuccess : kUnknown;
      return;
    }
    if (h == Decision::Proven && always) {
      r.verdict = to_string(t.status);
      r.conclusion = t.status == ThresholdStatus::AlwaysPersistence
                         ? "persistence for every theta in [0, 1] (a unique attracting positive periodic solution)"
                         : "extinction for every theta in [0, 1]";
      r.exit = kSuccess;
      return;
    }
    r.verdict = "unknown";
    r.conclusion = h != Decision::Proven ? "not every hypothesis is proven: the theorem's conclusion is not claimed"
                                         : "the threshold was not certified (" + t.detail + ")";
    r.exit = kUnknown;
    return;
  }
  // Classifications only.
  if (h == Decision::Refuted) {
    r.verdict = "hypothesis-refuted";
    r.conclusion = "a hypothesis of the theorem is refuted: the theorem does not apply";
    r.exit = kUnknown;
    return;
  }
  bool decided = true;
  for (const auto& c : r.classes)
    decided = decided && (c.c.outcome == Outcome::Extinction || c.c.outcome == Outcome::Persistence);
  if (h != Decision::Proven || !decided || r.classes.empty()) {
    r.verdict = "unknown";
    r.conclusion = h != Decision::Proven ? "not every hypothesis is proven: the theorem's conclusion is not claimed"
                                         : "rho - 1 is not decided at every requested theta";
    r.exit = kUnknown;
    return;
  }
  r.verdict = to_string(r.classes.front().c.outcome);
  for (const auto& c : r.classes)
    if (c.c.outcome != r.classes.front().c.outcome) r.verdict = "mixed";
  r.conclusion = "the theorem's conclusion holds at every requested theta";
  r.exit = kSuccess;
}

ThresholdRun run_threshold(const std::string& file, int digits, double timeout, bool progress) {
  ThresholdRun r;
  r.spec = parse_seasonal_spec_file(file);
  r.digits = digits > 0 ? digits : r.spec.digits;
  r.lin = linearise(r.spec);
  if (progress) std::cerr << "threshold: checking the hypotheses on the region\n";
  r.hypotheses = check_hypotheses(r.spec);
  if (r.spec.threshold) {
    if (progress) std::cerr << "threshold: enclosing theta* to " << r.digits << " digits\n";
    ThresholdOptions o;
    o.digits = r.digits;
    if (timeout > 0)
      o.deadline = std::chrono::steady_clock::now() +
                   std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(timeout));
    r.threshold = find_threshold(r.spec, o);
  }
  for (const auto& req : r.spec.thetas) {
    ClassificationRun c{classify(r.spec, req, std::min(r.digits, 30)), std::nullopt};
    if (c.c.outcome == Outcome::Persistence && req.is_point()) {
      if (progress) std::cerr << "threshold: periodic solution at " << req.text << " (numerical)\n";
      c.periodic = periodic_solution(r.spec, req.lower.convert_to<double>());
    }
    r.classes.push_back(std::move(c));
  }
  decide(r);
  return r;
}

std::string vector_text(const std::vector<double>& v) {
  std::ostringstream os;
  os.precision(10);
  os << "(";
  for (std::size_t i = 0; i < v.size(); ++i) os << (i ? ", " : "") << v[i];
  os << ")";
  return os.str();
}

nlohmann::json matrix_json(const Matrix<Interval>& m) {
  nlohmann::json rows = nlohmann::json::array();
  for (std::size_t i = 0; i < m.n; ++i) {
    nlohmann::json row = nlohmann::json::array();
    for (std::size_t j = 0; j < m.n; ++j) row.push_back({format_lower(m(i, j), 17), format_upper(m(i, j), 17)});
    rows.push_back(row);
  }
  return rows;
}

std::string matrix_text(const Matrix<Interval>& m) {
  std::string s = "[";
  for (std::size_t i = 0; i < m.n; ++i) {
    s += i ? "; " : "";
    for (std::size_t j = 0; j < m.n; ++j) {
      const Interval& v = m(i, j);
      s += j ? ", " : "";
      s += v.is_point() ? format_exact(v.lower()) : "[" + format_lower(v, 8) + ", " + format_upper(v, 8) + "]";
    }
  }
  return s + "]";
}

nlohmann::json witness_json(const SeasonalSpec& spec, const Witness& w) {
  nlohmann::json p;
  for (std::size_t i = 0; i < w.point.size(); ++i) p[spec.states[i]] = numeric::to_string(w.point[i]);
  return {{"point", p}, {"value", w.value}};
}

int rho_digits(int digits) { return std::min(std::max(digits, 15), 30) + 2; }

nlohmann::json to_json(const ThresholdRun& r) {
  nlohmann::json j;
  j["file"] = r.spec.base.file;
  j["states"] = r.spec.states;
  nlohmann::json region;
  for (std::size_t i = 0; i < r.spec.dimension(); ++i) region[r.spec.states[i]] = {"0", numeric::to_string(r.spec.region_upper[i])};
  j["region"] = region;
  j["period"] = r.spec.period_text;
  j["period_enclosure"] = {format_lower(r.lin.period, 17), format_upper(r.lin.period, 17)};
  j["jacobian_at_0"] = {{"unfavourable", matrix_json(r.lin.unfavourable)}, {"favourable", matrix_json(r.lin.favourable)}};
  nlohmann::json hs = nlohmann::json::array();
  for (const auto& h : r.hypotheses.items) {
    nlohmann::json e{{"key", h.key}, {"season", h.season}, {"statement", h.statement},
                     {"decision", to_string(h.decision)}, {"detail", h.detail}, {"required", h.required}};
    if (h.witness) e["witness"] = witness_json(r.spec, *h.witness);
    hs.push_back(e);
  }
  j["hypotheses"] = hs;
  j["hypotheses_verdict"] = to_string(r.hypotheses.overall);
  if (r.threshold) {
    const auto& t = *r.threshold;
    nlohmann::json tj{{"status", to_string(t.status)}, {"detail", t.detail}, {"evaluations", t.evaluations},
                      {"time_ms", t.time_ms}};
    if (t.status == ThresholdStatus::Crossing) {
      const int d = t.digits_reached + 3;
      tj["lower"] = numeric::to_decimal_down(t.lower, d);
      tj["upper"] = numeric::to_decimal_up(t.upper, d);
      tj["lower_exact"] = numeric::to_string(t.lower);
      tj["upper_exact"] = numeric::to_string(t.upper);
      tj["unique"] = t.unique;
      tj["uniqueness"] = t.uniqueness;
      tj["digits_requested"] = t.digits_requested;
      tj["digits_reached"] = t.digits_reached;
      tj["bits"] = t.bits;
    }
    if (t.witness) {
      const auto& [a, b] = *t.witness;
      tj["witness"] = {{"rho_below_1_on", {format_lower(a.lower, 17), format_upper(a.upper, 17)}},
                       {"rho_above_1_on", {format_lower(b.lower, 17), format_upper(b.upper, 17)}}};
    }
    j["threshold"] = tj;
  }
  nlohmann::json cs = nlohmann::json::array();
  for (const auto& c : r.classes) {
    const int d = rho_digits(r.digits);
    nlohmann::json e{{"theta", c.c.request.text},
                     {"theta_lower", numeric::to_string(c.c.request.lower)},
                     {"theta_upper", numeric::to_string(c.c.request.upper)},
                     {"rho", {format_lower(c.c.rho, d), format_upper(c.c.rho, d)}},
                     {"outcome", to_string(c.c.outcome)},
                     {"detail", c.c.detail}};
    if (c.periodic) {
      const auto& p = *c.periodic;
      nlohmann::json runs = nlohmann::json::array();
      for (const auto& run : p.runs)
        runs.push_back({{"initial", run.initial}, {"periods", run.periods}, {"distance", run.distance}});
      e["periodic_solution"] = {{"numerical_not_certified", true}, {"converged", p.converged},
                                {"at_period_start", p.at_start}, {"at_season_switch", p.at_switch},
                                {"residual", p.residual}, {"steps_per_period", p.steps_per_period},
                                {"convergence", runs}, {"detail", p.detail}};
    }
    cs.push_back(e);
  }
  j["classifications"] = cs;
  j["verdict"] = r.verdict;
  j["conclusion"] = r.conclusion;
  return j;
}

void print_text(const ThresholdRun& r) {
  const auto& s = r.spec;
  std::cout << "seasonal system: " << s.dimension() << " state variable" << (s.dimension() > 1 ? "s" : "") << " (";
  for (std::size_t i = 0; i < s.dimension(); ++i)
    std::cout << (i ? ", " : "") << s.states[i] << " in [0, " << numeric::to_string(s.region_upper[i]) << "]";
  std::cout << "), period T = " << s.period_text << "\n";
  std::cout << "linearisation at 0: A_u = " << matrix_text(r.lin.unfavourable)
            << ", A_f = " << matrix_text(r.lin.favourable) << "\n";
  std::cout << "hypotheses (Ji & Strugarek, on the region):\n";
  for (const auto& h : r.hypotheses.items) {
    std::cout << "  [" << to_string(h.decision) << "] " << h.season << ": " << h.statement << "  (" << h.detail << ")"
              << (h.required ? "" : "  [not required]") << "\n";
  }
  std::cout << "hypotheses: " << to_string(r.hypotheses.overall) << "\n";
  if (r.threshold) {
    const auto& t = *r.threshold;
    std::cout << "threshold: " << to_string(t.status);
    if (t.status == ThresholdStatus::Crossing) {
      std::cout << "\n  theta* in " << theta_text(t.lower, t.upper, t.digits_reached + 3) << "  (certified, "
                << t.digits_reached << " digits" << (t.digits_reached < t.digits_requested ? ", requested digits NOT met" : "")
                << ", " << t.bits << " bits, " << t.evaluations << " rho enclosures, " << t.time_ms << " ms)\n";
      std::cout << "  uniqueness: " << (t.unique ? "proven — " : "unknown — ") << t.uniqueness << "\n";
      std::cout << "  " << t.detail << "\n";
    } else {
      std::cout << " — " << t.detail << " (" << t.time_ms << " ms)\n";
      if (t.witness)
        std::cout << "  witness: rho < 1 for theta in [" << format_exact(t.witness->first.lower) << ", "
                  << format_exact(t.witness->first.upper) << "], rho > 1 for theta in ["
                  << format_exact(t.witness->second.lower) << ", " << format_exact(t.witness->second.upper) << "]\n";
    }
  }
  for (const auto& c : r.classes) {
    const int d = rho_digits(r.digits);
    std::cout << c.c.request.text << ": rho in [" << format_lower(c.c.rho, d) << ", " << format_upper(c.c.rho, d)
              << "] — " << to_string(c.c.outcome) << " (" << c.c.detail << ")\n";
    if (c.periodic) {
      const auto& p = *c.periodic;
      std::cout << "  periodic solution (NUMERICAL, not certified: RK4, " << p.steps_per_period
                << " steps per period, Newton on the period map): " << p.detail << "\n";
      if (p.converged) {
        std::cout << "    x(nT)             = " << vector_text(p.at_start) << "\n";
        std::cout << "    x(nT + theta T)   = " << vector_text(p.at_switch) << "  (season switch)\n";
        for (const auto& run : p.runs) {
          std::cout << "    from " << vector_text(run.initial) << ": distance after";
          for (std::size_t k = 0; k < run.periods.size(); ++k) {
            std::ostringstream os;
            os.precision(3);
            os << run.distance[k];
            std::cout << " " << run.periods[k] << ": " << os.str();
          }
          std::cout << " periods\n";
        }
      }
    }
  }
  std::cout << "verdict: " << r.verdict << " — " << r.conclusion << "\n";
}

// rho(theta) on a log scale with the threshold marked.
void write_plot(const ThresholdRun& r, const std::string& path) {
  const int samples = 200;
  std::vector<std::pair<double, double>> pts;
  double ymin = 0, ymax = 0;
  for (int k = 0; k <= samples; ++k) {
    const double th = static_cast<double>(k) / samples;
    Interval rho;
    try {
      rho = spectral_radius(r.lin, Interval(th));
    } catch (const std::exception&) {
      continue;
    }
    if (!rho.certainly_gt(0.0) || !rho.is_bounded()) continue;
    const double y = std::log10(rho.midpoint());
    pts.emplace_back(th, y);
    if (pts.size() == 1) ymin = ymax = y;
    ymin = std::min(ymin, y);
    ymax = std::max(ymax, y);
  }
  ymin = std::min(ymin, 0.0);
  ymax = std::max(ymax, 0.0);
  if (ymax - ymin < 1e-9) ymax = ymin + 1;
  const double w = 640, h = 400, ml = 70, mr = 20, mt = 30, mb = 50;
  auto X = [&](double t) { return ml + t * (w - ml - mr); };
  auto Y = [&](double y) { return mt + (ymax - y) / (ymax - ymin) * (h - mt - mb); };
  std::ofstream out(path);
  if (!out) throw expr::InputError({path, 1, 1}, "cannot write the plot file");
  out << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << w << "\" height=\"" << h << "\" font-family=\"sans-serif\" font-size=\"12\">\n";
  out << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  out << "<text x=\"" << w / 2 << "\" y=\"18\" text-anchor=\"middle\">log10 rho(theta): " << r.spec.base.file << "</text>\n";
  out << "<line x1=\"" << X(0) << "\" y1=\"" << Y(0) << "\" x2=\"" << X(1) << "\" y2=\"" << Y(0)
      << "\" stroke=\"gray\" stroke-dasharray=\"4 3\"/>\n";
  out << "<text x=\"" << X(1) - 4 << "\" y=\"" << Y(0) - 4 << "\" text-anchor=\"end\" fill=\"gray\">rho = 1</text>\n";
  out << "<rect x=\"" << ml << "\" y=\"" << mt << "\" width=\"" << w - ml - mr << "\" height=\"" << h - mt - mb
      << "\" fill=\"none\" stroke=\"black\"/>\n";
  for (int k = 0; k <= 4; ++k) {
    const double t = k / 4.0;
    out << "<text x=\"" << X(t) << "\" y=\"" << h - mb + 16 << "\" text-anchor=\"middle\">" << t << "</text>\n";
  }
  out << "<text x=\"" << w / 2 << "\" y=\"" << h - 10 << "\" text-anchor=\"middle\">theta (fraction of the period in the unfavourable season)</text>\n";
  for (int k = 0; k <= 4; ++k) {
    const double y = ymin + (ymax - ymin) * k / 4;
    out << "<text x=\"" << ml - 6 << "\" y=\"" << Y(y) + 4 << "\" text-anchor=\"end\">" << std::round(y * 1000) / 1000
        << "</text>\n";
  }
  out << "<polyline fill=\"none\" stroke=\"steelblue\" stroke-width=\"2\" points=\"";
  for (const auto& [t, y] : pts) out << X(t) << "," << Y(y) << " ";
  out << "\"/>\n";
  if (r.threshold && r.threshold->status == ThresholdStatus::Crossing) {
    const double ts = r.threshold->lower.convert_to<double>();
    out << "<line x1=\"" << X(ts) << "\" y1=\"" << mt << "\" x2=\"" << X(ts) << "\" y2=\"" << h - mb
        << "\" stroke=\"firebrick\"/>\n";
    out << "<text x=\"" << X(ts) + 4 << "\" y=\"" << mt + 14 << "\" fill=\"firebrick\">theta* = "
        << numeric::to_decimal_down(r.threshold->lower, 8) << "</text>\n";
  }
  out << "</svg>\n";
}

Action register_threshold(CLI::App& app) {
  auto opt = std::make_shared<ThresholdCliOptions>();
  CLI::App* sub = app.add_subcommand(
      "threshold", "Seasonal system: hypotheses of the sharp seasonal threshold theorem, theta*, classification");
  sub->add_option("FILE", opt->file, "Spec file with a seasonal section")->required();
  sub->add_option("--digits", opt->digits, "Width of the theta* enclosure <= 10^-D (default: the spec's, or 15)")
      ->check(CLI::Range(1, 1000));
  sub->add_flag("--json", opt->json, "Print one JSON object");
  sub->add_option("--plot", opt->plot, "Write rho(theta) with the threshold marked to this SVG file");
  sub->add_option("--timeout", opt->timeout, "Stop the refinement after S seconds (0: none)")->check(CLI::NonNegativeNumber);
  sub->add_flag("--quiet", opt->quiet, "No progress on stderr");
  return [opt]() {
    const ThresholdRun r = run_threshold(opt->file, opt->digits, opt->timeout, !opt->quiet && !opt->json);
    if (opt->json) std::cout << to_json(r).dump(2) << "\n";
    else print_text(r);
    if (!opt->plot.empty()) write_plot(r, opt->plot);
    return r.exit;
  };
}

std::string run_threshold_proof(const std::string& file, const std::optional<Rational>& contains, std::string& detail) {
  const ThresholdRun r = run_threshold(file, 0, 60, false);
  detail = "hypotheses " + std::string(to_string(r.hypotheses.overall));
  for (const auto& h : r.hypotheses.items)
    if (h.required && h.decision == Decision::Refuted) {
      detail += " (" + h.season + " " + h.key + ": " + h.detail + ")";
      break;
    }
  if (r.threshold) {
    const auto& t = *r.threshold;
    detail += "; threshold " + std::string(to_string(t.status));
    if (t.status == ThresholdStatus::Crossing)
      detail += " theta* in " + theta_text(t.lower, t.upper, t.digits_reached + 3) + (t.unique ? " (unique)" : "");
  }
  for (const auto& c : r.classes) detail += "; " + c.c.request.text + ": " + to_string(c.c.outcome);
  if (contains) {
    if (!r.threshold || r.threshold->status != ThresholdStatus::Crossing)
      return "wrong (contains= needs a theta* enclosure)";
    if (*contains < r.threshold->lower || *contains > r.threshold->upper)
      return "wrong (the theta* enclosure misses " + numeric::to_string(*contains) + ")";
  }
  return r.verdict;
}

const bool registered = add_engine_command({10, register_threshold, "threshold", run_threshold_proof});

}  // namespace
}  // namespace cerval::cli
