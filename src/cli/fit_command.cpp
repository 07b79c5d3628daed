// cerval fit FILE [--eps-rel E] [--eps-abs E] [--range-eps E] [--timeout S] [--max-boxes N]
//                 [--certificate OUT.json] [--json] [--plot FILE.svg] [--no-ranges] [--quiet]
//
// Certified regression (search/regression.hpp): the global minimum of the
// loss over the parameter box, the best parameters, the eps-optimal
// parameter ranges, and the regression theorems' verdict when the spec
// states eps.
#include "commands.hpp"
#include "output.hpp"

#include <cerval/cert/certificate.hpp>
#include <cerval/search/regression.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

namespace cerval::cli {

namespace {

using numeric::Rational;

struct FitCommandOptions {
  std::string file;
  double eps_rel = 1e-10;
  double eps_abs = 0;
  std::string range_eps;
  double timeout = 0;
  std::size_t max_boxes = 50'000'000;
  std::string certificate;
  std::string plot;
  bool json = false;
  bool no_ranges = false;
  bool no_precondition = false;
  bool no_projection = false;
  std::size_t probe = 0;
  bool quiet = false;
};

int exit_code(const search::FitResult& r) {
  if (r.theorem) {
    switch (r.theorem->verdict) {
      case search::Verdict::Proven: return kSuccess;
      case search::Verdict::Refuted: return kRefuted;
      default: return kUnknown;
    }
  }
  return r.certified ? kSuccess : kUnknown;
}

std::string status_word(const search::FitResult& r) {
  if (r.search.status == search::SearchStatus::Success && !r.certified) return "unreached_precision";
  return search::to_string(r.search.status);
}

// --- SVG plot: data, fitted model, residuals ---------------------------------

std::string xml_escape(const std::string& text) {
  std::string r;
  for (char c : text) {
    if (c == '<') r += "&lt;";
    else if (c == '>') r += "&gt;";
    else if (c == '&') r += "&amp;";
    else r += c;
  }
  return r;
}

std::string svg_number(double v) {
  std::ostringstream s;
  s.precision(6);
  s << v;
  return s.str();
}

void write_plot(const search::RegressionSpec& rs, const search::FitResult& r, const std::string& path) {
  const search::FloatResiduals model(rs);
  const std::size_t n = model.rows();
  const bool one_input = rs.inputs.size() == 1;
  std::vector<double> xs(n), ys(n), fitted(n, NAN);
  for (std::size_t i = 0; i < n; ++i) {
    xs[i] = one_input ? model.inputs(i)[0] : static_cast<double>(i + 1);
    ys[i] = model.observed(i);
    if (!r.best.empty()) fitted[i] = model.model_at(r.best, model.inputs(i));
  }
  auto finite_range = [](const std::vector<double>& v, double& lo, double& hi) {
    lo = INFINITY;
    hi = -INFINITY;
    for (double x : v)
      if (std::isfinite(x)) lo = std::min(lo, x), hi = std::max(hi, x);
    if (!(lo < hi)) lo -= 1, hi += 1;
  };
  double x0, x1, y0, y1;
  finite_range(xs, x0, x1);
  std::vector<double> curve_x, curve_y;
  if (!r.best.empty() && one_input) {
    for (int k = 0; k <= 400; ++k) {
      const double x = x0 + (x1 - x0) * k / 400.0;
      curve_x.push_back(x);
      curve_y.push_back(model.model_at(r.best, {x}));
    }
  }
  std::vector<double> all_y = ys;
  all_y.insert(all_y.end(), curve_y.begin(), curve_y.end());
  all_y.insert(all_y.end(), fitted.begin(), fitted.end());
  finite_range(all_y, y0, y1);
  std::vector<double> res(n);
  for (std::size_t i = 0; i < n; ++i) res[i] = ys[i] - fitted[i];
  double r0, r1;
  finite_range(res, r0, r1);
  const double rm = std::max(std::fabs(r0), std::fabs(r1));
  r0 = -rm;
  r1 = rm;
  const double W = 720, H1 = 360, H2 = 160, L = 70, T = 40, gap = 50;
  auto px = [&](double x) { return L + (x - x0) / (x1 - x0) * (W - L - 20); };
  auto py = [&](double y) { return T + (1 - (y - y0) / (y1 - y0)) * H1; };
  auto pr = [&](double v) { return T + H1 + gap + (1 - (v - r0) / (r1 - r0)) * H2; };
  std::ofstream out(path);
  if (!out) throw expr::InputError({path, 1, 1}, "cannot write the plot");
  out << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << W << "\" height=\"" << T + H1 + gap + H2 + 40
      << "\" font-family=\"sans-serif\" font-size=\"12\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  out << "<text x=\"" << L << "\" y=\"20\">" << "cerval fit: " << rs.output_text << " = " << xml_escape(rs.model_text)
      << "  (loss " << search::to_string(rs.loss) << " in [" << format_lower(r.search.lower, 6) << ", "
      << format_upper(r.search.upper, 6) << "])</text>\n";
  out << "<rect x=\"" << L << "\" y=\"" << T << "\" width=\"" << W - L - 20 << "\" height=\"" << H1
      << "\" fill=\"none\" stroke=\"black\"/>\n";
  out << "<rect x=\"" << L << "\" y=\"" << T + H1 + gap << "\" width=\"" << W - L - 20 << "\" height=\"" << H2
      << "\" fill=\"none\" stroke=\"black\"/>\n";
  out << "<text x=\"5\" y=\"" << T + 12 << "\">" << svg_number(y1) << "</text><text x=\"5\" y=\"" << T + H1
      << "\">" << svg_number(y0) << "</text>\n";
  out << "<text x=\"" << L << "\" y=\"" << T + H1 + 15 << "\">" << svg_number(x0) << "</text><text x=\""
      << W - 80 << "\" y=\"" << T + H1 + 15 << "\">" << svg_number(x1) << "</text>\n";
  out << "<text x=\"" << L + 5 << "\" y=\"" << T + H1 + gap - 5 << "\">residuals " << rs.output_text
      << " - model (+-" << svg_number(rm) << ")</text>\n";
  out << "<line x1=\"" << L << "\" x2=\"" << W - 20 << "\" y1=\"" << pr(0) << "\" y2=\"" << pr(0)
      << "\" stroke=\"gray\"/>\n";
  if (!curve_x.empty()) {
    out << "<polyline fill=\"none\" stroke=\"#c0392b\" stroke-width=\"1.5\" points=\"";
    for (std::size_t k = 0; k < curve_x.size(); ++k)
      if (std::isfinite(curve_y[k])) out << px(curve_x[k]) << "," << py(std::clamp(curve_y[k], y0, y1)) << " ";
    out << "\"/>\n";
  } else {
    for (std::size_t i = 0; i < n; ++i)
      if (std::isfinite(fitted[i]))
        out << "<circle cx=\"" << px(xs[i]) << "\" cy=\"" << py(fitted[i]) << "\" r=\"2\" fill=\"#c0392b\"/>\n";
  }
  for (std::size_t i = 0; i < n; ++i) {
    out << "<circle cx=\"" << px(xs[i]) << "\" cy=\"" << py(ys[i]) << "\" r=\"3\" fill=\"none\" stroke=\"#2c3e50\"/>\n";
    if (std::isfinite(res[i]))
      out << "<line x1=\"" << px(xs[i]) << "\" x2=\"" << px(xs[i]) << "\" y1=\"" << pr(0) << "\" y2=\"" << pr(res[i])
          << "\" stroke=\"#2c3e50\"/>\n";
  }
  out << "<text x=\"" << L << "\" y=\"" << T + H1 + gap + H2 + 30 << "\">x: "
      << (one_input ? rs.inputs[0] : std::string("row")) << "; circles: data, line: fitted model</text>\n</svg>\n";
}

// --- printing ----------------------------------------------------------------

nlohmann::json to_json(const search::RegressionSpec& rs, const search::FitResult& r, const std::string& cert_note) {
  nlohmann::json j;
  const auto& m = r.search;
  j["status"] = status_word(r);
  j["certified"] = r.certified;
  j["loss"] = search::to_string(rs.loss);
  j["rows"] = rs.row_count();
  j["parameters"] = rs.parameter_count();
  j["loss_enclosure"] = {{"lower", format_lower(m.lower, 17)}, {"upper", format_upper(m.upper, 17)}};
  nlohmann::json best = nlohmann::json::object();
  for (std::size_t i = 0; i < r.best.size(); ++i) best[rs.spec.variables[i].name] = format_exact(r.best[i]);
  j["best_parameters"] = best;
  if (!r.best.empty())
    j["best_loss"] = {{"lower", format_lower(r.best_loss, 17)}, {"upper", format_upper(r.best_loss, 17)}};
  if (r.preconditioned) {
    nlohmann::json shift = nlohmann::json::array(), matrix = nlohmann::json::array();
    for (const auto& q : r.shift) shift.push_back(numeric::to_string(q));
    for (const auto& q : r.matrix) matrix.push_back(numeric::to_string(q));
    j["preconditioning"] = {{"map", "p = shift + matrix u (matrix row-major, upper triangular after a permutation "
                                    "of the parameters); the search and the certificate use u"},
                            {"shift", shift},
                            {"matrix", matrix}};
  }
  if (!r.projected.empty()) {
    nlohmann::json names = nlohmann::json::array();
    for (std::size_t j : r.projected) names.push_back(rs.spec.variables[j].name);
    j["projected_parameters"] = names;
  }
  if (!r.ranges.empty()) {
    nlohmann::json ranges = nlohmann::json::object();
    for (std::size_t i = 0; i < r.ranges.size(); ++i) {
      const auto& pr = r.ranges[i];
      ranges[rs.spec.variables[i].name] = {{"lower", format_lower(pr.outer, 17)},
                                           {"upper", format_upper(pr.outer, 17)},
                                           {"reached_lower", format_exact(pr.inner_lower)},
                                           {"reached_upper", format_exact(pr.inner_upper)},
                                           {"complete", pr.complete},
                                           {"boxes", pr.boxes}};
    }
    j["eps_optimal_ranges"] = {{"eps", format_upper(r.range_eps, 17)},
                               {"level", "loss <= upper + eps"},
                               {"ranges", ranges}};
  }
  if (r.theorem) {
    const auto& t = *r.theorem;
    j["theorem"] = {{"case", search::to_string(t.which)},
                    {"verdict", search::to_string(t.verdict)},
                    {"eps", numeric::to_string(t.eps)},
                    {"statement", t.statement},
                    {"explanation", t.explanation}};
    if (t.truth_loss)
      j["theorem"]["truth_loss"] = {{"lower", format_lower(*t.truth_loss, 17)}, {"upper", format_upper(*t.truth_loss, 17)}};
  }
  if (r.certified_loss_agrees) j["certified_loss_agrees"] = *r.certified_loss_agrees;
  if (r.certified_parameters_in_ranges) j["certified_parameters_in_ranges"] = *r.certified_parameters_in_ranges;
  const double width = m.upper - m.lower;
  j["statistics"] = {{"boxes", m.boxes_processed},
                     {"open_boxes", m.minimizer_boxes.size()},
                     {"search_s", m.time_s},
                     {"total_s", r.time_s},
                     {"relative_width", m.upper != 0 ? width / std::fabs(m.upper) : width},
                     {"lm_starts", r.lm.starts},
                     {"lm_iterations", r.lm.iterations},
                     {"lm_loss", r.lm.loss},
                     {"lm_s", r.lm.time_s},
                     {"probe_boxes", r.probe_boxes},
                     {"probe_s", r.probe_s},
                     {"probe_chose_original", r.probe_chose_original},
                     {"point_relative_width", r.point_relative_width}};
  j["certificate"] = r.certified ? (cert_note.empty() ? std::string("accepted by the checker") : cert_note)
                                 : r.certificate_check;
  return j;
}

void print_text(const search::RegressionSpec& rs, const search::FitResult& r, const std::string& cert_note) {
  const auto& m = r.search;
  std::cout << "status: " << status_word(r) << (r.certified ? " (certificate accepted by the checker)" : "") << "\n";
  std::cout << "model: " << rs.output_text << " = " << rs.model_text << " (" << rs.row_count() << " rows, loss "
            << search::to_string(rs.loss) << (rs.weights.empty() ? "" : ", weighted") << ")\n";
  std::cout << "minimum loss in [" << format_lower(m.lower, 17) << ", " << format_upper(m.upper, 17) << "]";
  if (std::isfinite(m.upper) && m.upper > 0)
    std::cout << " (relative width " << svg_number((m.upper - m.lower) / m.upper) << ")";
  std::cout << "\n";
  if (!r.best.empty()) {
    std::cout << "best parameters (loss in [" << format_lower(r.best_loss, 17) << ", " << format_upper(r.best_loss, 17)
              << "]):";
    for (std::size_t i = 0; i < r.best.size(); ++i)
      std::cout << (i ? ", " : " ") << rs.spec.variables[i].name << " = " << format_exact(r.best[i]);
    std::cout << "\n";
  }
  if (!r.ranges.empty()) {
    std::cout << "eps-optimal ranges (every parameter vector with loss <= min + " << format_upper(r.range_eps, 6)
              << " lies in):\n";
    for (std::size_t i = 0; i < r.ranges.size(); ++i) {
      const auto& pr = r.ranges[i];
      std::cout << "  " << rs.spec.variables[i].name << " in [" << format_lower(pr.outer, 12) << ", "
                << format_upper(pr.outer, 12) << "]" << (pr.complete ? "" : " (box budget spent: outer bound)")
                << "\n";
    }
  }
  if (r.theorem) {
    std::cout << "theorem (" << search::to_string(r.theorem->which) << "): " << r.theorem->statement << ": "
              << search::to_string(r.theorem->verdict) << "\n  " << r.theorem->explanation << "\n";
  }
  if (r.certified_loss_agrees)
    std::cout << "certified reference loss: " << (*r.certified_loss_agrees ? "agrees" : "DISAGREES") << "\n";
  if (r.certified_parameters_in_ranges)
    std::cout << "certified reference parameters: " << (*r.certified_parameters_in_ranges ? "inside the ranges" : "OUTSIDE")
              << "\n";
  std::cout << "Levenberg-Marquardt: " << r.lm.starts << " starts, " << r.lm.iterations << " iterations, "
            << svg_number(r.lm.time_s) << " s; branch and bound: " << m.boxes_processed << " boxes, "
            << svg_number(m.time_s) << " s; total " << svg_number(r.time_s) << " s\n";
  if (!cert_note.empty()) std::cout << "certificate: " << cert_note << "\n";
}

search::FitOptions fit_options(const FitCommandOptions& o) {
  search::FitOptions fo;
  fo.search.eps_rel = o.eps_rel;
  fo.search.eps_abs = o.eps_abs > 0 ? o.eps_abs : 1e-300;
  fo.search.timeout_s = o.timeout;
  fo.search.max_boxes = o.max_boxes;
  fo.search.progress = !o.quiet && !o.json;
  fo.ranges = !o.no_ranges;
  fo.precondition = !o.no_precondition;
  fo.project_linear = !o.no_projection;
  fo.probe_boxes = o.probe;
  if (!o.range_eps.empty()) {
    const auto q = numeric::parse_decimal(o.range_eps);
    if (!q || *q <= 0) throw CLI::ValidationError("--range-eps", "expected a positive decimal, got '" + o.range_eps + "'");
    fo.range_eps = q;
  }
  return fo;
}

Action register_fit(CLI::App& app) {
  auto opt = std::make_shared<FitCommandOptions>();
  CLI::App* sub = app.add_subcommand("fit", "Certified regression: globally optimal model fit with proof");
  sub->add_option("FILE", opt->file, "Spec file with a regression section")->required();
  sub->add_option("--eps-rel", opt->eps_rel, "Relative width of the loss enclosure (default 1e-10)")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--eps-abs", opt->eps_abs,
                  "Absolute width of the loss enclosure (default: 1e-3 of the spec's eps, else 1e-24 of sum y^2, "
                  "none with certified_loss)")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--range-eps", opt->range_eps,
                  "eps of the eps-optimal parameter ranges (exact decimal; default the spec's eps, else 1e-3 of the "
                  "minimum loss)");
  sub->add_option("--timeout", opt->timeout, "Stop after S seconds with status timeout (0: none)")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--max-boxes", opt->max_boxes, "Stop after N boxes with status timeout");
  sub->add_option("--certificate", opt->certificate, "Write the minimum certificate (JSON) to this file");
  sub->add_option("--plot", opt->plot, "Draw data, fitted model and residuals (SVG)");
  sub->add_flag("--json", opt->json, "Print one JSON object");
  sub->add_flag("--no-ranges", opt->no_ranges, "Skip the eps-optimal parameter ranges");
  sub->add_flag("--no-precondition", opt->no_precondition,
                "Search in the spec's own parameters (no Gauss-Newton whitening; for comparison)");
  sub->add_flag("--no-projection", opt->no_projection,
                "Branch on the parameters that enter the model linearly too (no variable projection; for comparison)");
  sub->add_option("--probe", opt->probe,
                  "When the whitened search does not finish within N boxes, also search N boxes in the spec's own "
                  "parameters and continue in whichever left the smaller gap (0: off, the default)");
  sub->add_flag("--quiet", opt->quiet, "No progress on stderr");
  return [opt]() -> int {
    const search::RegressionSpec rs = search::parse_regression_spec_file(opt->file);
    const search::FitOptions fo = fit_options(*opt);
    const search::FitResult r = search::fit(rs, fo);
    std::string cert_note;
    if (!opt->certificate.empty()) {
      if (!r.certificate) {
        cert_note = "not written: " + r.certificate_check;
      } else {
        cert::write_certificate(*r.certificate, opt->certificate);
        cert_note = opt->certificate + (r.certified ? " (accepted by the checker)" : " (" + r.certificate_check + ")");
      }
    }
    if (!opt->plot.empty()) write_plot(rs, r, opt->plot);
    if (opt->json) std::cout << to_json(rs, r, cert_note).dump(2) << "\n";
    else print_text(rs, r, cert_note);
    return exit_code(r);
  };
}

std::string run_fit_proof(const std::string& file, const std::optional<Rational>& contains, std::string& detail) {
  const search::RegressionSpec rs = search::parse_regression_spec_file(file);
  search::FitOptions fo;
  fo.search.timeout_s = 900;  // NIST Hahn1: about 310 s of search on one core
  fo.ranges = rs.certified_parameters.has_value();  // the ranges are only checked against stated values
  fo.range_boxes = 300;
  const search::FitResult r = search::fit(rs, fo);
  detail = "loss in [" + format_lower(r.search.lower, 12) + ", " + format_upper(r.search.upper, 12) + "], " +
           std::to_string(r.search.boxes_processed) + " boxes";
  if (r.theorem) detail += "; " + std::string(search::to_string(r.theorem->which));
  if (contains && r.certified) {
    if (!(numeric::to_rational(r.search.lower) <= *contains && *contains <= numeric::to_rational(r.search.upper)))
      return "wrong (the loss enclosure misses " + numeric::to_string(*contains) + ")";
  }
  return search::fit_verdict_word(rs, r);
}

const bool registered = add_engine_command({40, register_fit, "fit", run_fit_proof});

}  // namespace
}  // namespace cerval::cli
