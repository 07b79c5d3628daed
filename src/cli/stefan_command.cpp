// cerval stefan FILE [--digits D] [--json] [--plot FILE.svg]
//
// The one-phase Stefan problem of FILE's `stefan` section (docs/stefan.md):
// the similarity parameter lambda of the Neumann solution enclosed to the
// requested digits with existence and uniqueness proven, the exact front
// s(T) and temperature u(x_i, T) enclosed on a grid, and the a-priori
// maximum-principle bounds decided on the certified values. With a `scheme`
// statement, the forward problem by the Landau front-fixing theta-scheme on a
// refinement sequence: the exact solution of the discrete equations enclosed
// (stefan/forward.hpp), certified errors against the exact solution with the
// observed orders, maximum-principle verdicts and identity residuals.
//
// With `problem inverse`: the inverse problem (stefan/inverse.hpp) on each
// grid: I_n* enclosed with a checked minimum certificate, the minimiser box
// proven by slab certificates, and the recovery of the true control.
//
// Exit codes: 0 proven, 2 unknown (digits not met), 64 usage, 65 bad input,
// 70 internal error.
#include "certificate_output.hpp"
#include "commands.hpp"
#include "output.hpp"

#include <cerval/expr/diagnostics.hpp>
#include <cerval/stefan/exact.hpp>
#include <cerval/stefan/forward.hpp>
#include <cerval/stefan/inverse.hpp>
#include <cerval/stefan/similarity.hpp>
#include <cerval/stefan/spec.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iostream>
#include <limits>
#include <memory>
#include <optional>

namespace cerval::cli {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

using numeric::MpInterval;
using numeric::Rational;

struct StefanOptions {
  std::string file;
  int digits = 0;
  bool json = false;
  std::string plot;
  double timeout = 0;  // per search of the inverse problem
  std::string certificate;  // inverse problem: the minimum certificates, OUT.1.json, OUT.2.json, ...
};

struct Verdict {
  std::string statement;
  std::string decision;  // proven / refuted / unknown
  std::string detail;
};

struct GridResult {
  stefan::ForwardSolution solution;
  stefan::CertifiedError error;
  double order_u = NAN, order_s = NAN;  // log2(E_{k-1} / E_k) of the certified upper bounds
};

struct StefanRun {
  stefan::StefanSpec spec;
  std::vector<GridResult> grids;
  std::vector<std::pair<Rational, MpInterval>> exact_front;  // for the plot
  stefan::LambdaEnclosure lambda;
  MpInterval front{53};
  std::vector<std::pair<MpInterval, MpInterval>> profile;  // (x_i, u(x_i, T))
  std::vector<Verdict> verdicts;
  std::optional<stefan::InverseResult> inverse;
  std::string verdict;
};

// Verdict word from "every check proven" / "some check refuted".
std::string decide(bool all_proven, bool some_refuted) { return some_refuted ? "refuted" : all_proven ? "proven" : "unknown"; }

void run_forward(StefanRun& r) {
  const auto& sp = r.spec;
  const auto& f = sp.forward;
  const bool wave = sp.kind == stefan::StefanProblemKind::TravellingWave;
  const bool general = sp.kind == stefan::StefanProblemKind::General;
  const bool neumann = !wave && !general;
  const stefan::ExactProblem ex =
      general ? stefan::general_problem(*sp.general)
      : wave  ? stefan::travelling_wave_problem(f.boundary, f.diffusivity, f.latent_heat, f.initial_front, f.start_time,
                                                sp.final_time)
              : stefan::neumann_forward_problem(sp.problem, sp.parameter, f.start_time, sp.final_time, 30);
  const bool has_exact = static_cast<bool>(ex.exact.front);
  bool all_certified = true, increase = true, decrease = false, nonneg = true, negative = false;
  bool bounds_ok = true, bounds_violated = false;
  for (int k = 0; k <= f.refinements; ++k) {
    stefan::ForwardGrid g{f.m << k, f.n << k, f.theta};
    GridResult gr;
    gr.solution = stefan::solve_forward(ex.problem, g);
    // a(x, t) <= 0 proven at a node: the data are invalid (exit 65 at the diffusivity).
    if (gr.solution.coefficient_not_positive)
      throw expr::InputError(sp.diffusivity_where, "the diffusivity a(x, t) must be positive: " + gr.solution.failure);
    if (has_exact) gr.error = stefan::certified_error(gr.solution, ex);
    const auto& sol = gr.solution;
    all_certified = all_certified && sol.certified;
    increase = increase && sol.front_increase_certified;
    decrease = decrease || sol.front_decrease_found;
    nonneg = nonneg && sol.nonnegative_certified;
    negative = negative || sol.negative_found;
    if (neumann) {
      // A-priori bounds of s(t)^2 / t: Dirichlet 4 St / (2 + 2 St / 3) <= s^2/t <= 2 St (reference);
      // flux 4 Q^2 e^{-2 Q^2} <= s^2/t <= 4 Q^2 (from lambda e^{lambda^2} = Q: Q e^{-Q^2} <= lambda <= Q).
      const Rational p = sp.parameter;
      numeric::Interval lo_c, hi_c;
      if (sp.problem == stefan::NeumannCase::Dirichlet) {
        lo_c = numeric::Interval::enclose(4 * p / (2 + 2 * p / 3));
        hi_c = numeric::Interval::enclose(2 * p);
      } else {
        const numeric::Interval q = numeric::Interval::enclose(p);
        lo_c = numeric::Interval(4.0) * sqr(q) * exp(-(numeric::Interval(2.0) * sqr(q)));
        hi_c = numeric::Interval(4.0) * sqr(q);
      }
      for (std::size_t j = 0; j < sol.front.size(); ++j) {
        const numeric::Interval t = numeric::Interval::enclose(f.start_time + sol.tau * static_cast<long>(j));
        const numeric::Interval s2 = sqr(sol.front[j]);
        const numeric::Interval lo = lo_c * t, hi = hi_c * t;
        if (!(s2.lower() >= lo.upper() && s2.upper() <= hi.lower())) bounds_ok = false;
        if (s2.upper() < lo.lower() || s2.lower() > hi.upper()) bounds_violated = true;
      }
    }
    if (!r.grids.empty() && gr.error.valid && r.grids.back().error.valid) {
      gr.order_u = std::log2(r.grids.back().error.profile / gr.error.profile);
      gr.order_s = std::log2(r.grids.back().error.front / gr.error.front);
    }
    r.grids.push_back(std::move(gr));
  }
  const std::string grids = std::to_string(r.grids.size()) + " grid" + (r.grids.size() > 1 ? "s" : "");
  r.verdicts.push_back({"the discrete forward problem has a unique solution (s_{j+1} unique in its enclosure) at every step, on every grid",
                        all_certified ? "proven" : "unknown",
                        all_certified ? "sign change and positive derivative of the front residual certified at every step (" + grids + ")"
                                      : "certification stopped: " + [&] {
                                          for (const auto& g : r.grids)
                                            if (!g.solution.certified) return g.solution.failure;
                                          return std::string();
                                        }()});
  r.verdicts.push_back({"the discrete front is nondecreasing: s_{j+1} >= s_j at every step, on every grid",
                        decide(increase && all_certified, decrease), "decided on the enclosures of s_j and s_{j+1}"});
  r.verdicts.push_back({"the discrete temperature is nonnegative at every node and step, on every grid",
                        decide(nonneg && all_certified, negative), "decided on the enclosures of z^j"});
  if (neumann)
    r.verdicts.push_back({sp.problem == stefan::NeumannCase::Dirichlet
                              ? "the discrete front satisfies the a-priori bounds 4 St t/(2 + 2 St/3) <= s_h(t_j)^2 <= 2 St t_j at every step"
                              : "the discrete front satisfies the a-priori bounds 4 Q^2 e^{-2Q^2} t <= s_h(t_j)^2 <= 4 Q^2 t_j at every step",
                          decide(bounds_ok && all_certified, bounds_violated),
                          "maximum-principle bounds of the continuous problem, checked on the discrete front"});
  if (f.error_bound) {
    const auto& last = r.grids.back();
    const double b = numeric::to_double_down(*f.error_bound);
    const bool ok = last.error.valid && last.error.profile <= b && last.error.front <= b;
    r.verdicts.push_back({"on the finest grid max_i |Z_i - u(xi_i s(T), T)| <= " + numeric::to_string(*f.error_bound) +
                              " and |s_h(T) - s(T)| <= " + numeric::to_string(*f.error_bound),
                          ok ? "proven" : "unknown", "certified upper bounds of both errors"});
  }
  if (f.min_order) {
    bool ok = all_certified && r.grids.size() > 1;
    const double p = numeric::to_double_up(*f.min_order);
    for (std::size_t k = 1; k < r.grids.size() && ok; ++k) {
      // E_{k-1} / E_k >= 2^p checked with margins in the safe direction.
      const auto& a = r.grids[k - 1].error;
      const auto& b = r.grids[k].error;
      for (auto [x, y] : {std::pair{a.profile, b.profile}, std::pair{a.front, b.front}})
        if (!(x >= y * std::exp2(p) * (1 + 1e-12))) ok = false;
    }
    r.verdicts.push_back({"the certified error bounds E_k (of both errors) satisfy log2(E_{k-1}/E_k) >= " +
                              numeric::to_string(*f.min_order) + " along the refinement",
                          ok ? "proven" : "unknown", "observed order of the rigorous upper bounds (not of the true errors)"});
  }
  // Exact front for the plot.
  for (int k = 0; k <= 60 && has_exact; ++k) {
    const Rational t = f.start_time + (sp.final_time - f.start_time) * Rational(k, 60);
    const numeric::Interval s = ex.exact.front(t);
    r.exact_front.emplace_back(t, MpInterval(s, 53));
  }
}

StefanRun run_stefan(const std::string& file, int digits, double timeout = 0) {
  StefanRun r;
  r.spec = stefan::parse_stefan_spec_file(file);
  if (digits > 0) r.spec.digits = digits;
  if (r.spec.inverse) {
    stefan::InverseOptions options;
    options.search.timeout_s = timeout;
    r.inverse = stefan::solve_inverse(*r.spec.inverse, options);
    r.verdict = r.inverse->verdict;
    return r;
  }
  const bool neumann = r.spec.kind == stefan::StefanProblemKind::Neumann;
  if (neumann) {
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
  }
  if (r.spec.forward.enabled) run_forward(r);
  bool all = !neumann || (r.lambda.existence && r.lambda.uniqueness && r.lambda.digits_met);
  bool refuted = false;
  for (const auto& v : r.verdicts) {
    if (v.decision != "proven") all = false;
    if (v.decision == "refuted") refuted = true;
  }
  r.verdict = refuted ? "refuted" : all ? "proven" : "unknown";
  return r;
}

// Forward problem plot: s(t) of the finest certified grid against the exact
// front (left), certified errors against h on log-log axes (right).
void write_forward_plot(const StefanRun& r, std::ostream& out) {
  const int W = 900, H = 340, M = 55, PW = 380;
  out << "<svg xmlns='http://www.w3.org/2000/svg' width='" << W << "' height='" << H << "'>\n"
      << "<rect width='100%' height='100%' fill='white'/>\n";
  auto axes = [&](int x0, const std::string& title, const std::string& xl, const std::string& yl, double xmin,
                  double xmax, double ymin, double ymax) {
    out << "<text x='" << x0 << "' y='20' font-size='13'>" << title << "</text>\n"
        << "<line x1='" << x0 << "' y1='" << H - M << "' x2='" << x0 + PW << "' y2='" << H - M << "' stroke='black'/>\n"
        << "<line x1='" << x0 << "' y1='" << H - M << "' x2='" << x0 << "' y2='30' stroke='black'/>\n"
        << "<text x='" << x0 + PW - 60 << "' y='" << H - M + 30 << "' font-size='11'>" << xl << "</text>\n"
        << "<text x='" << x0 + 4 << "' y='42' font-size='11'>" << yl << "</text>\n"
        << "<text x='" << x0 - 2 << "' y='" << H - M + 14 << "' font-size='10'>" << xmin << "</text>\n"
        << "<text x='" << x0 + PW - 30 << "' y='" << H - M + 14 << "' font-size='10'>" << xmax << "</text>\n"
        << "<text x='" << x0 - 50 << "' y='" << H - M << "' font-size='10'>" << ymin << "</text>\n"
        << "<text x='" << x0 - 50 << "' y='36' font-size='10'>" << ymax << "</text>\n";
  };
  auto px = [&](int x0, double v, double lo, double hi) { return x0 + PW * (v - lo) / (hi - lo); };
  auto py = [&](double v, double lo, double hi) { return (H - M) - (H - M - 35) * (v - lo) / (hi - lo); };
  // Left panel.
  const GridResult* best = nullptr;
  for (const auto& g : r.grids)
    if (!g.solution.front_approx.empty()) best = &g;
  const double t0 = numeric::to_double_down(r.spec.forward.start_time), T = numeric::to_double_up(r.spec.final_time);
  double smin = 1e300, smax = -1e300;
  for (const auto& [t, s] : r.exact_front) {
    smin = std::min(smin, s.lower_down());
    smax = std::max(smax, s.upper_up());
  }
  if (best)
    for (double v : best->solution.front_approx) smin = std::min(smin, v), smax = std::max(smax, v);
  if (!(smax > smin)) smax = smin + 1;
  axes(M, "free boundary: exact (red), discrete finest grid (blue)", "t", "s", t0, T, smin, smax);
  out << "<polyline fill='none' stroke='red' stroke-width='2' points='";
  for (const auto& [t, s] : r.exact_front)
    out << px(M, numeric::to_double_down(t), t0, T) << "," << py((s.lower_down() + s.upper_up()) / 2, smin, smax) << " ";
  out << "'/>\n";
  if (best) {
    const auto& sol = best->solution;
    out << "<polyline fill='none' stroke='blue' stroke-dasharray='4,3' points='";
    const double tau = numeric::to_double_down(sol.tau);
    for (std::size_t j = 0; j < sol.front_approx.size(); ++j)
      out << px(M, t0 + tau * static_cast<double>(j), t0, T) << "," << py(sol.front_approx[j], smin, smax) << " ";
    out << "'/>\n";
  }
  // Right panel: log10 of the certified bounds against log10 h.
  const int x1 = M + PW + 90;
  double emin = 1e300, emax = -1e300, hmin = 1e300, hmax = -1e300;
  for (const auto& g : r.grids) {
    if (!g.error.valid) continue;
    const double h = std::log10(1.0 / g.solution.m);
    hmin = std::min(hmin, h), hmax = std::max(hmax, h);
    for (double e : {g.error.profile, g.error.front})
      if (e > 0) emin = std::min(emin, std::log10(e)), emax = std::max(emax, std::log10(e));
  }
  if (hmax > hmin && emax > emin) {
    axes(x1, "certified errors: e_u (blue), e_s (green)", "log10 h", "log10 e", hmin, hmax, emin, emax);
    for (int which = 0; which < 2; ++which) {
      out << "<polyline fill='none' stroke='" << (which ? "green" : "blue") << "' points='";
      for (const auto& g : r.grids)
        if (g.error.valid) {
          const double e = which ? g.error.front : g.error.profile;
          out << px(x1, std::log10(1.0 / g.solution.m), hmin, hmax) << "," << py(std::log10(e), emin, emax) << " ";
        }
      out << "'/>\n";
    }
  }
  out << "</svg>\n";
}

// Inverse problem plot: the certified upper bound of I_n* against the grid
// (log scale, left); the proven minimiser boxes of the first two controls
// and the true control (right).
void write_inverse_plot(const StefanRun& r, std::ostream& out) {
  const stefan::InverseProblem& pr = *r.spec.inverse;
  const auto& grids = r.inverse->grids;
  const int W = 760, H = 340, M = 55, PW = 290;
  out << "<svg xmlns='http://www.w3.org/2000/svg' width='" << W << "' height='" << H << "'>\n"
      << "<rect width='100%' height='100%' fill='white'/>\n";
  auto frame = [&](int x0, const std::string& title) {
    out << "<text x='" << x0 << "' y='20' font-size='13'>" << title << "</text>\n"
        << "<rect x='" << x0 << "' y='35' width='" << PW << "' height='" << H - M - 35
        << "' fill='none' stroke='black'/>\n";
  };
  // Left: log10 of the upper bounds (a zero minimum is drawn at the bottom).
  frame(M, "certified upper bound of I_n* by grid (log scale)");
  double lo = 0, hi = -300;
  bool any = false;
  for (const auto& g : grids)
    if (g.search.upper > 0 && std::isfinite(g.search.upper)) {
      const double v = std::log10(g.search.upper);
      lo = any ? std::min(lo, v) : v;
      hi = any ? std::max(hi, v) : v;
      any = true;
    }
  if (!any || hi - lo < 1) hi = lo + 1;
  out << "<polyline fill='none' stroke='blue' points='";
  for (std::size_t k = 0; k < grids.size(); ++k) {
    const double v = grids[k].search.upper > 0 ? std::log10(grids[k].search.upper) : lo;
    const double x = M + 20 + (PW - 40) * (grids.size() > 1 ? double(k) / double(grids.size() - 1) : 0.5);
    const double y = (H - M) - (H - M - 45) * (v - lo) / (hi - lo);
    out << x << "," << y << " ";
  }
  out << "'/>\n";
  for (std::size_t k = 0; k < grids.size(); ++k) {
    const double x = M + 20 + (PW - 40) * (grids.size() > 1 ? double(k) / double(grids.size() - 1) : 0.5);
    out << "<text x='" << x - 20 << "' y='" << H - M + 16 << "' font-size='11'>(" << grids[k].m << ", " << grids[k].n
        << ")</text>\n";
  }
  out << "<text x='5' y='45' font-size='11'>" << std::pow(10.0, hi) << "</text>\n"
      << "<text x='5' y='" << H - M << "' font-size='11'>" << std::pow(10.0, lo) << "</text>\n";
  // Right: the boxes in the plane of the first two controls (or the first against the grid index).
  const int x1 = M + PW + 90;
  const std::size_t np = pr.parameters.size();
  const bool plane = np >= 2;
  frame(x1, plane ? "proven minimiser boxes (" + pr.parameters[0].name + ", " + pr.parameters[1].name + "), true control +"
                  : "proven minimiser box of " + pr.parameters[0].name + " by grid, true value +");
  double a0 = kInfinity, a1 = -kInfinity, b0 = kInfinity, b1 = -kInfinity;
  auto widen = [](double& l, double& h, double a, double b) { l = std::min(l, a); h = std::max(h, b); };
  for (const auto& g : grids)
    if (!g.minimizer_box.empty()) {
      widen(a0, a1, g.minimizer_box[0].lower(), g.minimizer_box[0].upper());
      if (plane) widen(b0, b1, g.minimizer_box[1].lower(), g.minimizer_box[1].upper());
    }
  if (pr.true_parameter) {
    const double t0 = numeric::to_double_down((*pr.true_parameter)[0]);
    widen(a0, a1, t0, t0);
    if (plane) {
      const double t1 = numeric::to_double_down((*pr.true_parameter)[1]);
      widen(b0, b1, t1, t1);
    }
  }
  if (!plane) { b0 = 0; b1 = double(grids.size()); }
  if (!(a0 < a1)) { a0 -= 1e-6; a1 += 1e-6; }
  if (!(b0 < b1)) { b0 -= 1e-6; b1 += 1e-6; }
  const double pa = (a1 - a0) * 0.1, pb = (b1 - b0) * 0.1;
  a0 -= pa; a1 += pa; b0 -= pb; b1 += pb;
  auto X = [&](double v) { return x1 + PW * (v - a0) / (a1 - a0); };
  auto Y = [&](double v) { return (H - M) - (H - M - 35) * (v - b0) / (b1 - b0); };
  const char* colours[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"};
  for (std::size_t k = 0; k < grids.size(); ++k) {
    const auto& box = grids[k].minimizer_box;
    if (box.empty()) continue;
    const double ylo = plane ? box[1].lower() : double(k) + 0.3, yhi = plane ? box[1].upper() : double(k) + 0.7;
    out << "<rect x='" << X(box[0].lower()) << "' y='" << Y(yhi) << "' width='"
        << std::max(1.0, X(box[0].upper()) - X(box[0].lower())) << "' height='" << std::max(1.0, Y(ylo) - Y(yhi))
        << "' fill='none' stroke='" << colours[k % 6] << "' stroke-width='2'/>\n"
        << "<text x='" << x1 + 5 << "' y='" << 50 + 14 * k << "' font-size='11' fill='" << colours[k % 6] << "'>("
        << grids[k].m << ", " << grids[k].n << ")</text>\n";
  }
  if (pr.true_parameter && plane)
    out << "<text x='" << X(numeric::to_double_down((*pr.true_parameter)[0])) - 4 << "' y='"
        << Y(numeric::to_double_down((*pr.true_parameter)[1])) + 4 << "' font-size='14'>+</text>\n";
  out << "<text x='" << x1 << "' y='" << H - M + 16 << "' font-size='11'>" << a0 << "</text>\n"
      << "<text x='" << x1 + PW - 60 << "' y='" << H - M + 16 << "' font-size='11'>" << a1 << "</text>\n"
      << "</svg>\n";
}

void write_plot(const StefanRun& r, const std::string& path) {
  std::ofstream out(path);
  if (!out) throw expr::InputError({path, 1, 1}, "cannot write the plot file");
  if (r.inverse) {
    write_inverse_plot(r, out);
    return;
  }
  if (r.spec.forward.enabled) {
    write_forward_plot(r, out);
    return;
  }
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

std::string problem_name(const stefan::StefanSpec& s) {
  if (s.kind == stefan::StefanProblemKind::TravellingWave) return "travelling_wave";
  if (s.kind == stefan::StefanProblemKind::General) return "general";
  return std::string("neumann_") + stefan::neumann_case_name(s.problem);
}

std::string order_text(double v) {
  if (std::isnan(v)) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}
std::string up(double v) { return format_upper(v, 4); }

nlohmann::json forward_json(const StefanRun& r) {
  const auto& f = r.spec.forward;
  nlohmann::json j;
  j["scheme"] = f.theta == 1 ? "implicit" : "crank_nicolson";
  j["theta"] = numeric::to_string(f.theta);
  j["start_time"] = numeric::to_string(f.start_time);
  j["error_definition"] = "e_u = max_i |Z_i - u(xi_i s(T), T)| (Landau variables), e_s = |s_h(T) - s(T)|; upper bounds";
  nlohmann::json gs = nlohmann::json::array();
  for (const auto& g : r.grids) {
    const auto& sol = g.solution;
    nlohmann::json e{{"m", sol.m}, {"n", sol.n}, {"certified", sol.certified}, {"steps", sol.steps},
                     {"seconds", sol.seconds}, {"max_profile_width", up(sol.max_profile_width)},
                     {"max_front_width", up(sol.max_front_width)}};
    if (!sol.certified) e["failure"] = sol.failure;
    if (g.error.valid) {
      e["error_u_upper"] = up(g.error.profile);
      e["error_s_upper"] = up(g.error.front);
    }
    if (sol.certified) e["front"] = {format_lower(sol.front.back(), 17), format_upper(sol.front.back(), 17)};
    if (!std::isnan(g.order_u)) e["order_u"] = order_text(g.order_u), e["order_s"] = order_text(g.order_s);
    if (sol.certified && sol.identity_residual.is_bounded())
      e["identity_residual"] = {format_lower(sol.identity_residual, 6), format_upper(sol.identity_residual, 6)};
    gs.push_back(e);
  }
  j["grids"] = gs;
  return j;
}

void print_forward(const StefanRun& r) {
  const auto& f = r.spec.forward;
  const bool flux = r.spec.kind != stefan::StefanProblemKind::Neumann ? f.boundary == stefan::LeftCondition::Flux
                                                                            : r.spec.problem == stefan::NeumannCase::Flux;
  std::cout << "forward:   Landau front fixing, " << (f.theta == 1 ? "implicit (theta = 1)" : "Crank-Nicolson (theta = 1/2)")
            << ", t0 = " << numeric::to_string(f.start_time) << ", T = " << numeric::to_string(r.spec.final_time) << "\n";
  std::cout << "errors:    e_u = max_i |Z_i - u(xi_i s(T), T)|, e_s = |s_h(T) - s(T)| (certified upper bounds; order = "
               "log2 of the ratio of consecutive bounds)\n";
  std::cout << "      m        n  certified  e_u <=      order  e_s <=      order  width(z)    time\n";
  for (const auto& g : r.grids) {
    const auto& sol = g.solution;
    char line[256];
    std::snprintf(line, sizeof line, "%7d %8d  %-9s  %-10s  %-5s  %-10s  %-5s  %-10s  %.3fs\n", sol.m, sol.n,
                  sol.certified ? "yes" : "no", g.error.valid ? up(g.error.profile).c_str() : "-",
                  order_text(g.order_u).c_str(), g.error.valid ? up(g.error.front).c_str() : "-",
                  order_text(g.order_s).c_str(), up(sol.max_profile_width).c_str(), sol.seconds);
    std::cout << line;
    if (!sol.certified) std::cout << "         (" << sol.failure << ")\n";
  }
  std::cout << "discrete front s_h(T), enclosed:\n";
  for (const auto& g : r.grids)
    if (g.solution.certified)
      std::cout << "  m = " << g.solution.m << ": [" << format_lower(g.solution.front.back(), 17) << ", "
                << format_upper(g.solution.front.back(), 17) << "]\n";
  if (r.spec.general) return;  // the identities hold for b = c = f = mu = chi = 0 only
  std::cout << (flux ? "conservation residual gamma s + int u - (gamma s0 + int phi + int q dt), trapezoid rule:\n"
                     : "first-moment residual gamma s^2/2 + int x u - (gamma s0^2/2 + int x phi + a int g dt), trapezoid rule:\n");
  for (const auto& g : r.grids)
    if (g.solution.certified && g.solution.identity_residual.is_bounded())
      std::cout << "  m = " << g.solution.m << ": [" << format_lower(g.solution.identity_residual, 6) << ", "
                << format_upper(g.solution.identity_residual, 6) << "]\n";
}

// The inverse problem: one line per grid, then the verdict.
std::string inverse_box_text(const stefan::InverseProblem& pr, const stefan::GridResult& g) {
  std::string t;
  for (std::size_t j = 0; j < g.minimizer_box.size(); ++j)
    t += (j ? ", " : "") + pr.parameters[j].name + " in [" + format_lower(g.minimizer_box[j].lower(), 9) + ", " +
         format_upper(g.minimizer_box[j].upper(), 9) + "]";
  return t;
}

int print_inverse(const StefanRun& r, bool json) {
  const stefan::InverseProblem& pr = *r.spec.inverse;
  const stefan::InverseResult& res = *r.inverse;
  const bool generated = !(pr.final_temperature && pr.final_front && pr.front_temperature);
  const int code = r.verdict == "proven" ? kSuccess : r.verdict == "refuted" ? kRefuted : kUnknown;
  if (json) {
    nlohmann::json j;
    j["problem"] = "inverse";
    j["final_time"] = numeric::to_string(pr.final_time);
    j["theta"] = numeric::to_string(pr.theta);
    nlohmann::json ps = nlohmann::json::array();
    for (std::size_t k = 0; k < pr.parameters.size(); ++k) {
      nlohmann::json e{{"name", pr.parameters[k].name},
                       {"lower", numeric::to_string(*pr.parameters[k].lower)},
                       {"upper", numeric::to_string(*pr.parameters[k].upper)}};
      if (pr.true_parameter) e["true"] = numeric::to_string((*pr.true_parameter)[k]);
      ps.push_back(e);
    }
    j["parameters"] = ps;
    j["data"] = generated ? "generated at the true parameter" : "given";
    nlohmann::json gs = nlohmann::json::array();
    for (const auto& g : res.grids) {
      nlohmann::json e{{"m", g.m}, {"n", g.n}, {"nodes", g.nodes}, {"definitions", g.definitions},
                       {"status", search::to_string(g.search.status)},
                       {"cost", {{"lower", format_lower(g.search.lower, 17)}, {"upper", format_upper(g.search.upper, 17)}}},
                       {"certified", g.certified}, {"certificate_check", g.certificate_check},
                       {"minimizers_certified", g.minimizers_certified}, {"boxes", g.search.boxes_processed},
                       {"time_s", g.time_s}};
      nlohmann::json box = nlohmann::json::array();
      for (const auto& b : g.minimizer_box) box.push_back({format_lower(b.lower(), 17), format_upper(b.upper(), 17)});
      e["minimizer_box"] = box;
      nlohmann::json slabs = nlohmann::json::array();
      for (const auto& sl : g.slabs)
        slabs.push_back({{"parameter", pr.parameters[sl.parameter].name}, {"side", sl.below ? "below" : "above"},
                         {"verdict", sl.verdict}});
      e["slabs"] = slabs;
      if (g.truth_cost)
        e["true_cost"] = {{"lower", format_lower(g.truth_cost->lower(), 17)}, {"upper", format_upper(g.truth_cost->upper(), 17)}};
      if (g.truth_in_box) e["true_parameter_in_box"] = *g.truth_in_box;
      gs.push_back(e);
    }
    j["grids"] = gs;
    j["time_s"] = res.time_s;
    j["verdict"] = r.verdict;
    std::cout << j.dump(2) << "\n";
    return code;
  }
  std::cout << "problem:   inverse one-phase Stefan problem (the front a control), "
            << (pr.theta == 1 ? "implicit" : "theta = " + numeric::to_string(pr.theta)) << " Landau scheme, T = "
            << numeric::to_string(pr.final_time) << "\n";
  std::cout << "controls: ";
  for (std::size_t k = 0; k < pr.parameters.size(); ++k)
    std::cout << (k ? ", " : " ") << pr.parameters[k].name << " in [" << numeric::to_string(*pr.parameters[k].lower)
              << ", " << numeric::to_string(*pr.parameters[k].upper) << "]"
              << (pr.true_parameter ? " (true " + numeric::to_string((*pr.true_parameter)[k]) + ")" : "");
  std::cout << "\ndata:      " << (generated ? "generated by the scheme at the true control" : "given (w, s_*, mu)")
            << "\n";
  for (const auto& g : res.grids) {
    std::cout << "grid (" << g.m << ", " << g.n << "): I_n* in [" << format_lower(g.search.lower, 10) << ", "
              << format_upper(g.search.upper, 10) << "]  (" << g.nodes << " nodes, " << g.search.boxes_processed
              << " boxes, " << g.time_s << " s)\n";
    std::cout << "  minimum certificate: "
              << (g.certified ? "accepted by the checker (" + std::to_string(g.definitions) + " definitions)"
                              : g.certificate_check)
              << "\n";
    if (!g.minimizer_box.empty())
      std::cout << "  every minimiser in " << inverse_box_text(pr, g) << ": "
                << (g.minimizers_certified ? "proven (slab certificates accepted)" : "not proven") << "\n";
    if (g.truth_cost)
      std::cout << "  I_n(true) in [" << format_lower(g.truth_cost->lower(), 10) << ", "
                << format_upper(g.truth_cost->upper(), 10) << "]"
                << (!g.truth_in_box ? ""
                    : *g.truth_in_box ? ", true control in the box"
                    : generated       ? ", true control NOT in the box"
                                      : ", true control outside the box (the discrete optimum differs from it)")
                << "\n";
  }
  if (res.grids.size() > 1) {
    std::cout << "I_n* upper bounds by grid:";
    for (const auto& g : res.grids) std::cout << " " << format_upper(g.search.upper, 4);
    std::cout << "\n";
  }
  std::cout << "verdict:   " << r.verdict << "\n";
  return code;
}

int print(const StefanRun& r, bool json) {
  if (r.inverse) return print_inverse(r, json);
  const int d = r.spec.digits + 3;
  const int du = 17;
  const auto& lam = r.lambda.lambda;
  const bool neumann = r.spec.kind == stefan::StefanProblemKind::Neumann;
  const char* eq = r.spec.problem == stefan::NeumannCase::Dirichlet ? "lambda exp(lambda^2) erf(lambda) = St/sqrt(pi)"
                                                                     : "lambda exp(lambda^2) = Q";
  const int code = r.verdict == "proven" ? kSuccess : r.verdict == "refuted" ? kRefuted : kUnknown;
  if (json) {
    nlohmann::json j;
    j["problem"] = problem_name(r.spec);
    j["final_time"] = numeric::to_string(r.spec.final_time);
    if (neumann) {
      j["parameter"] = numeric::to_string(r.spec.parameter);
      j["equation"] = eq;
      j["lambda"] = {{"lower", format_lower(lam, d)}, {"upper", format_upper(lam, d)}, {"digits", r.spec.digits},
                     {"digits_met", r.lambda.digits_met}, {"bisection_steps", r.lambda.iterations},
                     {"precision_bits", r.lambda.precision_bits}};
    }
    nlohmann::json vs = nlohmann::json::array();
    for (const auto& v : r.verdicts) vs.push_back({{"statement", v.statement}, {"decision", v.decision}, {"detail", v.detail}});
    j["verdicts"] = vs;
    if (neumann && r.lambda.existence) {
      j["front"] = {{"lower", format_lower(r.front, du)}, {"upper", format_upper(r.front, du)}};
      nlohmann::json p = nlohmann::json::array();
      for (const auto& [x, u] : r.profile)
        p.push_back({{"x", {format_lower(x, du), format_upper(x, du)}}, {"u", {format_lower(u, du), format_upper(u, du)}}});
      j["profile"] = p;
    }
    if (r.spec.forward.enabled) j["forward"] = forward_json(r);
    j["verdict"] = r.verdict;
    std::cout << j.dump(2) << "\n";
    return code;
  }
  if (neumann) {
    std::cout << "problem:   one-phase Neumann, " << stefan::neumann_case_name(r.spec.problem) << " case, "
              << (r.spec.problem == stefan::NeumannCase::Dirichlet ? "St = " : "Q = ") << numeric::to_string(r.spec.parameter)
              << ", T = " << numeric::to_string(r.spec.final_time) << "\n";
    std::cout << "equation:  " << eq << "\n";
    std::cout << "lambda in  [" << format_lower(lam, d) << ", " << format_upper(lam, d) << "]  (" << r.lambda.iterations
              << " bisection steps at " << r.lambda.precision_bits << " bits"
              << (r.lambda.digits_met ? "" : "; requested digits NOT met") << ")\n";
  } else if (r.spec.general) {
    const auto& g = *r.spec.general;
    std::cout << "problem:   u_t = a u_xx + b u_x + c u - f, a = " << g.graph.to_string(g.a)
              << ", b = " << g.graph.to_string(g.b) << ", c = " << g.graph.to_string(g.c)
              << ", f = " << g.graph.to_string(g.f) << "\n           "
              << (g.left == stefan::LeftCondition::Flux ? "-a u_x(0, t) = " : "u(0, t) = ")
              << g.graph.to_string(g.boundary) << ", u(x, t0) = " << g.graph.to_string(g.initial)
              << ", s0 = " << numeric::to_string(g.s0) << ", u(s, t) = " << g.graph.to_string(g.mu)
              << ", a u_x(s, t) + " << numeric::to_string(g.gamma) << " s' = " << g.graph.to_string(g.chi) << "\n";
    if (g.exact_front)
      std::cout << "exact:     u = " << g.graph.to_string(*g.exact_temperature)
                << ", s = " << g.graph.to_string(*g.exact_front) << "\n";
  } else {
    const auto& f = r.spec.forward;
    std::cout << "problem:   travelling wave u = gamma (e^{a t + s0 - x} - 1), s = a t + s0, a = "
              << numeric::to_string(f.diffusivity) << ", gamma = " << numeric::to_string(f.latent_heat)
              << ", s0 = " << numeric::to_string(f.initial_front) << ", "
              << (f.boundary == stefan::LeftCondition::Flux ? "flux" : "Dirichlet") << " condition at x = 0\n";
  }
  for (const auto& v : r.verdicts) std::cout << "  [" << v.decision << "] " << v.statement << "  (" << v.detail << ")\n";
  if (neumann && r.lambda.existence) {
    std::cout << "s(T) in    [" << format_lower(r.front, du) << ", " << format_upper(r.front, du) << "]\n";
    std::cout << "u(x_i, T), x_i = i s(T)/" << r.spec.points << ":\n";
    for (std::size_t i = 0; i < r.profile.size(); ++i)
      std::cout << "  i = " << i << ": [" << format_lower(r.profile[i].second, du) << ", "
                << format_upper(r.profile[i].second, du) << "]\n";
  }
  if (r.spec.forward.enabled) print_forward(r);
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
  sub->add_option("--plot", opt->plot,
                  "Write an SVG of s(t) (and, with a scheme, the errors against refinement; for an inverse problem, "
                  "I_n* and the minimiser boxes by grid)");
  sub->add_option("--timeout", opt->timeout, "Time budget in seconds of each search of an inverse problem (0: none)")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--certificate", opt->certificate,
                  "Inverse problem: write the minimum certificate of grid k to OUT.k.json (cerval check re-verifies it)");
  return [opt]() {
    const StefanRun r = run_stefan(opt->file, opt->digits, opt->timeout);
    if (r.inverse && !opt->certificate.empty())
      for (std::size_t k = 0; k < r.inverse->grids.size(); ++k)
        if (r.inverse->grids[k].certificate)
          cert::write_certificate(*r.inverse->grids[k].certificate, numbered_path(opt->certificate, k + 1));
    if (!opt->plot.empty() && (r.inverse || r.lambda.existence || r.spec.forward.enabled)) write_plot(r, opt->plot);
    return print(r, opt->json);
  };
}

std::string run_stefan_proof(const std::string& file, const std::optional<Rational>& contains, std::string& detail) {
  const StefanRun r = run_stefan(file, 0);
  if (r.inverse) {
    for (const auto& g : r.inverse->grids)
      detail += std::string(detail.empty() ? "" : "; ") + std::to_string(g.m) + "x" + std::to_string(g.n) + ": I_n* <= " +
                format_upper(g.search.upper, 3) +
                (g.truth_in_box ? (*g.truth_in_box ? ", truth in box" : ", truth NOT in box") : "");
    if (contains) return "wrong (contains= needs a Neumann problem)";
    return r.verdict;
  }
  const auto& lam = r.lambda.lambda;
  if (r.spec.kind == stefan::StefanProblemKind::Neumann)
    detail = "lambda in [" + format_lower(lam, r.spec.digits + 3) + ", " + format_upper(lam, r.spec.digits + 3) + "]";
  if (!r.grids.empty()) {
    const auto& g = r.grids.back();
    detail += std::string(detail.empty() ? "" : "; ") + "finest grid " + std::to_string(g.solution.m) + "x" +
              std::to_string(g.solution.n) + (g.error.valid ? ": e_u <= " + up(g.error.profile) + ", e_s <= " + up(g.error.front)
                                                            : ": not certified");
    if (!std::isnan(g.order_u)) detail += ", orders " + order_text(g.order_u) + " / " + order_text(g.order_s);
  }
  if (contains) {
    if (r.spec.kind != stefan::StefanProblemKind::Neumann) return "wrong (contains= needs a Neumann problem)";
    if (!lam.contains(*contains)) return "wrong (the lambda enclosure misses " + numeric::to_string(*contains) + ")";
  }
  return r.verdict;
}

const bool registered = add_engine_command({30, register_stefan, "stefan", run_stefan_proof});

}  // namespace
}  // namespace cerval::cli
