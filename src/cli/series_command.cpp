// cerval series FILE [--terms N] [--at X] [--digits D] [--show K] [--json]
//
// The formal power series solution of the functional equation in FILE's
// `series` section: exact coefficients, the convergence theorem's hypotheses
// decided exactly, a certified radius lower bound with coefficient and tail
// bounds or certified divergence with its Gevrey order, and an enclosure of
// the sum at X (docs/series.md).
//
// Exit codes: 0 converges (proven), 1 diverges (proven), 2 unknown,
// 64 usage, 65 bad input, 70 internal error.
#include "commands.hpp"
#include "output.hpp"

#include <cerval/expr/diagnostics.hpp>
#include <cerval/series/convergence.hpp>
#include <cerval/series/equation.hpp>
#include <cerval/series/formal_solution.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iostream>
#include <memory>

namespace cerval::cli {
namespace {

using numeric::Rational;

struct SeriesOptions {
  std::string file;
  int terms = 0;
  std::string at;
  int digits = 0;
  int show = -1;
  double timeout = 0;
  bool json = false;
  bool quiet = false;
};

struct SeriesRun {
  series::SeriesSpec spec;
  std::unique_ptr<series::FormalSolution> solution;
  series::Analysis analysis;
  std::optional<Rational> at;
  int digits = 20;
  std::optional<series::ValueEnclosure> value;
  double solve_ms = 0;
};

Rational parse_point(const std::string& text) {
  if (auto q = numeric::parse_rational(text)) return *q;
  if (auto q = numeric::parse_decimal(text)) return *q;
  throw expr::InputError({"--at " + text, 1, 1}, "expected an exact number such as 0.5 or 1/3");
}

SeriesRun run_series(const std::string& file, int terms, const std::optional<Rational>& at_option, int digits,
                     double timeout = 0, bool progress = false) {
  SeriesRun run;
  run.spec = series::parse_series_spec_file(file);
  const auto t0 = std::chrono::steady_clock::now();
  run.at = at_option ? at_option : run.spec.at;
  run.digits = digits > 0 ? digits : run.spec.digits.value_or(20);
  // Enclosed coefficients (irrational q): the working precision follows the requested digits.
  const auto precision = static_cast<mpfr_prec_t>(128 + (run.at ? 4 * run.digits : 0));
  run.solution = std::make_unique<series::FormalSolution>(run.spec.equation, run.spec.coefficients, precision);
  if (timeout > 0)
    run.solution->set_deadline(t0 + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                        std::chrono::duration<double>(timeout)));
  if (progress)
    run.solution->set_progress([](std::size_t k) { std::cerr << "series: " << k << " coefficients computed\n"; });
  const int n = terms > 0 ? terms : run.spec.terms.value_or(10);
  run.solution->extend(static_cast<std::size_t>(n));
  run.solve_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  run.analysis = series::analyse(*run.solution);
  if (run.at) run.value = series::evaluate_sum(*run.solution, run.analysis, *run.at, run.digits);
  return run;
}

int exit_code(series::SeriesVerdict v) {
  switch (v) {
    case series::SeriesVerdict::Converges: return kSuccess;
    case series::SeriesVerdict::Diverges: return kRefuted;
    default: return kUnknown;
  }
}

// The radius in x of a series in t = x^(1/p): r^p.
Rational x_radius(const Rational& r, int p) {
  Rational v = 1;
  for (int i = 0; i < p; ++i) v *= r;
  return v;
}

// Significant digits that show an enclosed coefficient: enough for its
// relative width (plus 3), at most what `prec` bits carry.
int coefficient_digits(const numeric::MpInterval& v, mpfr_prec_t prec) {
  const int most = decimal_digits_for(prec);
  if (v.is_empty() || !v.is_bounded() || v.contains_zero()) return std::min(most, 20);
  mpfr_t w, m;
  mpfr_init2(w, 53);
  mpfr_init2(m, 53);
  mpfr_sub(w, v.upper_mpfr(), v.lower_mpfr(), MPFR_RNDU);
  if (mpfr_sgn(v.lower_mpfr()) > 0) mpfr_set(m, v.lower_mpfr(), MPFR_RNDD);
  else mpfr_neg(m, v.upper_mpfr(), MPFR_RNDD);
  mpfr_div(w, w, m, MPFR_RNDU);
  const double rel = mpfr_get_d(w, MPFR_RNDU);
  mpfr_clear(w);
  mpfr_clear(m);
  if (!(rel > 0)) return most;
  return std::clamp(static_cast<int>(std::ceil(-std::log10(rel))) + 3, 3, most);
}

std::string bound_text(const series::CoefficientBound& b) {
  return "|c_n| <= " + format_upper(b.M, 8) + " * (" + numeric::to_decimal_down(b.rho, 10) + ")^-n for n >= " +
         std::to_string(b.from);
}

int print(const SeriesRun& r, int show, bool json) {
  const auto& eq = r.spec.equation;
  const auto& an = r.analysis;
  static const std::vector<Rational> none;
  const auto& c = r.solution->exact() ? r.solution->coefficients() : none;
  const int n_terms = r.spec.terms.value_or(10);
  const std::size_t count = r.solution->size();
  const std::size_t shown = show >= 0 ? std::min<std::size_t>(static_cast<std::size_t>(show), count)
                                      : std::min<std::size_t>(count, static_cast<std::size_t>(n_terms));
  if (json) {
    nlohmann::json j;
    j["equation"] = eq.text;
    j["type"] = series::equation_type_name(eq.type);
    j["order"] = eq.order;
    j["linear"] = eq.linear();
    j["normal_form"] = eq.normal_form();
    if (eq.type == series::EquationType::QDifference) {
      j["q"] = eq.q_text();
      if (!eq.q_rational()) {
        const auto qe = eq.q_enclosure(128);
        j["q_enclosure"] = {format_lower(qe, 20), format_upper(qe, 20)};
      }
    }
    if (eq.type == series::EquationType::Mahler) j["d"] = eq.d;
    j["e0"] = r.solution->e0();
    j["theorem"] = an.theorem;
    nlohmann::json hs = nlohmann::json::array();
    for (const auto& h : an.hypotheses)
      hs.push_back({{"statement", h.statement}, {"decision", series::decision_name(h.decision)}, {"detail", h.detail}});
    j["hypotheses"] = hs;
    j["verdict"] = series::verdict_name(an.verdict);
    j["reason"] = an.reason;
    j["radius_infinite"] = an.infinite_radius;
    j["ramification"] = eq.ramification;
    j["exponent"] = numeric::to_string(eq.exponent);
    if (an.radius_lower) j["radius_lower"] = numeric::to_decimal_down(x_radius(*an.radius_lower, eq.ramification), 17);
    if (an.polynomial) j["polynomial_degree"] = an.polynomial_degree;
    if (an.bound)
      j["coefficient_bound"] = {{"M_upper", format_upper(an.bound->M, 17)},
                                {"rho", numeric::to_string(an.bound->rho)},
                                {"from", an.bound->from},
                                {"k", 0},
                                {"method", an.bound->method},
                                {"tail", "sum_{n>=N} |c_n x^n| <= M (|x|/rho)^N / (1 - |x|/rho) for N >= from, |x| < rho"}};
    if (an.gevrey) j["gevrey_order"] = {{"value", numeric::to_string(*an.gevrey)}, {"certified", true}, {"detail", an.gevrey_detail}};
    nlohmann::json np;
    np["points"] = an.polygon.points;
    nlohmann::json slopes = nlohmann::json::array();
    for (const auto& s : an.polygon.slopes) slopes.push_back(numeric::to_string(s));
    np["slopes"] = slopes;
    if (an.polygon.predicted_gevrey) np["predicted_gevrey_order"] = numeric::to_string(*an.polygon.predicted_gevrey);
    j["newton_polygon"] = np;
    nlohmann::json cs = nlohmann::json::array();
    for (std::size_t k = 0; k < shown; ++k) {
      if (r.solution->exact()) {
        cs.push_back(numeric::to_string(c[k]));
      } else {
        const auto v = r.solution->coefficient(k, r.solution->precision());
        const int cd = coefficient_digits(v, r.solution->precision());
        cs.push_back({format_lower(v, cd), format_upper(v, cd)});
      }
    }
    j["coefficients"] = cs;
    j["coefficients_exact"] = r.solution->exact();
    if (!r.solution->exact()) j["precision_bits"] = r.solution->precision();
    j["solve_ms"] = r.solve_ms;
    if (r.at) {
      nlohmann::json v;
      v["at"] = numeric::to_string(*r.at);
      v["digits"] = r.digits;
      if (r.value) {
        const int dd = r.digits + 5;
        v["lower"] = format_lower(r.value->value, dd);
        v["upper"] = format_upper(r.value->value, dd);
        v["terms"] = r.value->terms;
        v["tail_bound"] = format_upper(r.value->tail, 6);
        v["met_digits"] = r.value->met_digits;
      } else {
        v["status"] = "unknown";
        v["reason"] = "no certified tail bound at this point";
      }
      j["value"] = v;
    }
    std::cout << j.dump(2) << "\n";
    return exit_code(an.verdict);
  }
  std::cout << "equation:     " << eq.text << "  (" << series::equation_type_name(eq.type) << ", order " << eq.order
            << (eq.linear() ? ", linear" : ", nonlinear") << ")\n";
  std::cout << (eq.ramification > 1 ? "normal form (in t, written x): " : "normal form:  ") << eq.normal_form();
  if (eq.type == series::EquationType::QDifference) std::cout << "   with q = " << eq.q_text();
  if (eq.type == series::EquationType::Mahler) std::cout << "   with d = " << eq.d;
  if (eq.ramification > 1 || eq.exponent != 0) {
    const std::string p = std::to_string(eq.ramification);
    std::cout << "\nseries:       y = " << (eq.exponent != 0 ? "x^(" + numeric::to_string(eq.exponent) + ") * " : std::string())
              << (eq.ramification > 1 ? "sum c_k x^(k/" + p + "), solved in t = x^(1/" + p + ")" : "sum c_k x^k")
              << (eq.exponent != 0 ? "; the normal form, hypotheses, radius and bounds are those of z = sum c_k t^k" : "");
  }
  std::cout << "\ntheorem:      " << an.theorem << "\n";
  for (const auto& h : an.hypotheses)
    std::cout << "  [" << series::decision_name(h.decision) << "] " << h.statement << "  (" << h.detail << ")\n";
  std::cout << "verdict:      " << series::verdict_name(an.verdict) << " — " << an.reason << "\n";
  if (an.infinite_radius) std::cout << "radius:       oo (proven)\n";
  else if (an.verdict == series::SeriesVerdict::Diverges) std::cout << "radius:       0 (proven)\n";
  else if (an.radius_lower)
    std::cout << "radius:       >= " << numeric::to_decimal_down(x_radius(*an.radius_lower, eq.ramification), 12)
              << " (certified" << (eq.ramification > 1 ? ", in x; the bounds below are in t" : "") << ")\n";
  if (an.bound && !an.polynomial) {
    std::cout << "coefficients: " << bound_text(*an.bound) << "  [" << an.bound->method << "]\n";
    std::cout << "tail:         sum_{n>=N} |c_n x^n| <= M (|x|/rho)^N / (1 - |x|/rho) for N >= " << an.bound->from << "\n";
  }
  if (an.gevrey) std::cout << "gevrey order: " << numeric::to_string(*an.gevrey) << " (certified: " << an.gevrey_detail << ")\n";
  if (!an.polygon.slopes.empty()) {
    std::cout << "newton polygon slopes:";
    for (const auto& s : an.polygon.slopes) std::cout << " " << numeric::to_string(s);
    if (an.polygon.predicted_gevrey) std::cout << "  (predicted order " << numeric::to_string(*an.polygon.predicted_gevrey) << ")";
    std::cout << "\n";
  }
  if (r.solution->exact()) {
    std::cout << "coefficients (" << count << " computed exactly in " << r.solve_ms << " ms):\n";
    for (std::size_t k = 0; k < shown; ++k) std::cout << "  c_" << k << " = " << numeric::to_string(c[k]) << "\n";
  } else {
    const auto prec = r.solution->precision();
    std::cout << "coefficients (" << count << " enclosed in " << r.solve_ms << " ms, MPFI at " << prec << " bits):\n";
    for (std::size_t k = 0; k < shown; ++k) {
      const auto v = r.solution->coefficient(k, prec);
      const int cd = std::min(40, coefficient_digits(v, prec));
      std::cout << "  c_" << k << " in [" << format_lower(v, cd) << ", " << format_upper(v, cd) << "]\n";
    }
  }
  if (r.at) {
    if (r.value) {
      const int dd = r.digits + 5;
      std::cout << "value at x = " << numeric::to_string(*r.at) << ": [" << format_lower(r.value->value, dd) << ", "
                << format_upper(r.value->value, dd) << "]  (" << r.value->terms << " terms, tail <= "
                << format_upper(r.value->tail, 6) << (r.value->met_digits ? "" : "; requested digits NOT met") << ")\n";
    } else {
      std::cout << "value at x = " << numeric::to_string(*r.at) << ": unknown (the point is not inside a certified disc)\n";
    }
  }
  return exit_code(an.verdict);
}

Action register_series(CLI::App& app) {
  auto opt = std::make_shared<SeriesOptions>();
  CLI::App* sub = app.add_subcommand("series", "Power-series solution of a functional equation: convergence, radius, sum");
  sub->add_option("FILE", opt->file, "Spec file with a series section")->required();
  sub->add_option("--terms", opt->terms, "Number of coefficients to compute (default: the spec's, or 10)")
      ->check(CLI::Range(1, 1000000));
  sub->add_option("--at", opt->at, "Enclose the sum at this exact point (e.g. 1/2 or 0.25)");
  sub->add_option("--digits", opt->digits, "Absolute accuracy 10^-D of the value enclosure (default 20)")
      ->check(CLI::Range(1, 10000));
  sub->add_option("--show", opt->show, "Number of coefficients to print (default: --terms)");
  sub->add_option("--timeout", opt->timeout, "Stop after S seconds with verdict unknown (0: none)")
      ->check(CLI::NonNegativeNumber);
  sub->add_flag("--json", opt->json, "Print one JSON object");
  sub->add_flag("--quiet", opt->quiet, "No progress on stderr");
  return [opt]() {
    std::optional<Rational> at;
    if (!opt->at.empty()) at = parse_point(opt->at);
    SeriesRun r;
    try {
      r = run_series(opt->file, opt->terms, at, opt->digits, opt->timeout, !opt->quiet && !opt->json);
    } catch (const series::SolveTimeout&) {
      if (opt->json) std::cout << nlohmann::json{{"verdict", "unknown"}, {"reason", "timeout"}}.dump() << "\n";
      else std::cout << "verdict:      unknown — timeout after " << opt->timeout << " s\n";
      return static_cast<int>(kUnknown);
    } catch (const series::Undecided& e) {
      const std::string reason = std::string("undecided by enclosures: ") + e.what();
      if (opt->json) std::cout << nlohmann::json{{"verdict", "unknown"}, {"reason", reason}}.dump() << "\n";
      else std::cout << "verdict:      unknown — " << reason << "\n";
      return static_cast<int>(kUnknown);
    }
    if (opt->terms > 0) r.spec.terms = opt->terms;
    return print(r, opt->show, opt->json);
  };
}

std::string run_series_proof(const std::string& file, const std::optional<Rational>& contains, std::string& detail) {
  SeriesRun r;
  try {
    r = run_series(file, 0, std::nullopt, 0, 60);
  } catch (const series::SolveTimeout&) {
    detail = "timeout after 60 s";
    return "unknown";
  } catch (const series::Undecided& e) {
    detail = std::string("undecided by enclosures: ") + e.what();
    return "unknown";
  }
  const std::string verdict = series::verdict_name(r.analysis.verdict);
  detail = r.analysis.reason;
  if (r.analysis.radius_lower)
    detail += "; radius >= " + numeric::to_decimal_down(x_radius(*r.analysis.radius_lower, r.spec.equation.ramification), 8);
  if (r.analysis.infinite_radius) detail += "; radius oo";
  if (contains) {
    if (!r.at) return "wrong (contains= needs an 'at' statement in the series section)";
    if (!r.value) return "wrong (no certified enclosure of the sum at " + numeric::to_string(*r.at) + ")";
    detail += "; sum at " + numeric::to_string(*r.at) + " in [" + format_lower(r.value->value, 20) + ", " +
              format_upper(r.value->value, 20) + "]";
    if (!r.value->value.contains(*contains)) return "wrong (the enclosure misses " + numeric::to_string(*contains) + ")";
  }
  return verdict;
}

const bool registered = add_engine_command({20, register_series, "series", run_series_proof});

}  // namespace
}  // namespace cerval::cli
