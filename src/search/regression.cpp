#include <cerval/search/regression.hpp>

#include <cerval/cert/checker.hpp>
#include <cerval/expr/eval.hpp>
#include <cerval/numeric/float_matrix.hpp>
#include <cerval/search/box_bounder.hpp>
#include <cerval/search/certificate_export.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <limits>
#include <queue>

namespace cerval::search {

using numeric::Interval;
using numeric::Rational;

const char* to_string(TheoremCase c) {
  switch (c) {
    case TheoremCase::FitWithinEps: return "fit within eps";
    case TheoremCase::PerfectModel: return "perfect model";
    case TheoremCase::ImperfectModel: return "imperfect model";
  }
  return "?";
}

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Half a unit in the last of `digits` significant digits of |v| (0 when
// digits == 0 or v == 0).
Rational half_unit(const Rational& v, int digits) {
  if (digits <= 0 || v == 0) return 0;
  const Rational a = v < 0 ? Rational(-v) : v;
  // e with 10^e <= a < 10^(e+1).
  long e = 0;
  Rational p = 1;
  while (p > a) {
    p /= 10;
    --e;
  }
  while (p * 10 <= a) {
    p *= 10;
    ++e;
  }
  Rational unit = 1;
  const long k = e - digits + 1;
  for (long i = 0; i < std::labs(k); ++i) unit *= 10;
  if (k < 0) unit = 1 / unit;
  return unit / 2;
}

// Outer bound on min over S of s * p_j (s = +1: lower end of the range,
// s = -1: minus the upper end), S = {p in the box : constraints, L(p) <= level}.
// `inner` starts at s * witness_j (a point of S).
struct ExtremeResult {
  double outer;
  double inner;
  bool complete;
  std::size_t boxes;
};

ExtremeResult coordinate_extreme(const BoxBounder& bounder, const Box& root, std::size_t j, int s, double level,
                                 const double from, double inner, std::size_t budget, bool taylor) {
  const std::size_t n = root.size();
  auto key = [&](const Box& b) { return s > 0 ? b[j].lower() : -b[j].upper(); };
  struct Item {
    double key;
    Box box;
    bool operator<(const Item& o) const { return key > o.key; }  // min-heap
  };
  std::priority_queue<Item> heap;
  heap.push({key(root), root});
  double stuck = kInf;
  std::size_t boxes = 0;
  // Stop when the outer end is within 1% of the distance from the witness to
  // the inner end (or at binary64-level resolution).
  bool complete = true;
  while (!heap.empty()) {
    const double tol = std::max(1e-2 * (from - inner), 1e-12 * std::max(std::fabs(from), root[j].width()));
    if (heap.top().key >= inner - tol) break;
    if (boxes >= budget) {
      complete = false;
      break;
    }
    Item item = heap.top();
    heap.pop();
    const BoxBound b = bounder.bound(item.box, Side::Lower, level, taylor);
    ++boxes;
    if (b.infeasible || b.box.empty()) continue;
    const bool defined = expr::is_defined_everywhere(b.decoration);
    if (defined && !b.enclosure.is_empty() && b.enclosure.lower() > level) continue;
    const Box& c = b.box;
    if (defined && !b.enclosure.is_empty() && b.enclosure.upper() <= level && b.certainly_feasible) {
      inner = std::min(inner, key(c));  // the whole contracted box lies in S
      continue;
    }
    // The point of the box at its extreme in p_j (other coordinates at the
    // centre): where it is proven in S, the range reaches it.
    std::vector<double> q = expr::default_center(c);
    q[j] = s > 0 ? c[j].lower() : c[j].upper();
    if (s * q[j] < inner && bounder.point_feasible(q)) {
      const Interval v = bounder.value_at(q);
      if (!v.is_empty() && v.upper() <= level) inner = s * q[j];
    }
    // Split the widest coordinate relative to the root box.
    std::size_t best = n;
    double widest = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const double w = c[i].width();
      const double mid = c[i].midpoint();
      if (!(mid > c[i].lower() && mid < c[i].upper())) continue;
      const double rel = std::isfinite(root[i].width()) && root[i].width() > 0 ? w / root[i].width() : w;
      if (rel > widest) {
        widest = rel;
        best = i;
      }
    }
    if (best == n) {
      stuck = std::min(stuck, key(c));
      continue;
    }
    const double mid = c[best].midpoint();
    Box lo = c, hi = c;
    lo[best] = Interval(c[best].lower(), mid);
    hi[best] = Interval(mid, c[best].upper());
    heap.push({key(lo), std::move(lo)});
    heap.push({key(hi), std::move(hi)});
  }
  if (std::getenv("CERVAL_FIT_DEBUG")) std::cerr << "extreme j=" << j << " s=" << s << " inner=" << inner << " top=" << (heap.empty() ? 0 : heap.top().key) << " boxes=" << boxes << " heap=" << heap.size() << "\n";
  double outer = std::min(inner, stuck);
  if (!heap.empty()) outer = std::min(outer, heap.top().key);
  return {outer, inner, complete, boxes};
}

}  // namespace

bool agrees_with_reference(double lower, double upper, const ReferenceValue& ref) {
  const Rational h = half_unit(ref.value, ref.digits);
  if (!std::isfinite(lower) && lower > 0) return false;
  if (!std::isfinite(upper) && upper < 0) return false;
  const bool below_ok = !std::isfinite(lower) || numeric::to_rational(lower) <= ref.value + h;
  const bool above_ok = !std::isfinite(upper) || ref.value - h <= numeric::to_rational(upper);
  return below_ok && above_ok;
}

Interval loss_at(const RegressionSpec& rs, const std::vector<Rational>& params, long precision) {
  std::vector<numeric::MpInterval> point;
  for (const auto& q : params) point.push_back(numeric::MpInterval::enclose(q, static_cast<mpfr_prec_t>(precision)));
  expr::NumberFactory<numeric::MpInterval> factory;
  factory.precision = precision;
  const auto e = expr::evaluate<numeric::MpInterval>(rs.spec.graph, rs.loss_node, point, factory);
  if (!expr::is_defined_everywhere(e.decoration) || e.value.is_empty()) return Interval::entire();
  return Interval(e.value.lower_down(), e.value.upper_up());
}

FitResult fit(const RegressionSpec& rs, const FitOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
  FitResult result;
  const bool progress = options.search.progress;

  // 1. Levenberg-Marquardt: candidate incumbents.
  result.lm = levenberg_marquardt(rs, options.lm);
  if (progress)
    std::cerr << "fit: Levenberg-Marquardt, " << result.lm.starts << " starts, best loss " << result.lm.loss << " ("
              << result.lm.time_s << " s)\n";

  // 2. The certified global minimum.
  SearchOptions so = options.search;
  if (rs.eps) so.eps_abs = std::max(so.eps_abs, numeric::to_double_down(*rs.eps) * 1e-3);
  so.start_points = result.lm.local_optima;
  if (so.timeout_s > 0) so.timeout_s = std::max(0.1, so.timeout_s - elapsed());
  result.search = minimize(rs.spec, rs.loss_node, so);
  const MinimizationResult& m = result.search;
  if (progress)
    std::cerr << "fit: loss in [" << m.lower << ", " << m.upper << "], " << m.boxes_processed << " boxes ("
              << m.time_s << " s)\n";
  result.certificate_check = "not checked";
  if (m.status == SearchStatus::Success && options.check_certificate) {
    std::string why;
    const auto c = minimum_certificate(rs.spec, rs.loss_node, m, so, why);
    if (!c) {
      result.certificate_check = "rejected: " + why;
    } else {
      const cert::CheckResult check = cert::check(*c);
      result.certificate_check = check.valid ? "" : "rejected: " + check.reason;
      result.certificate = c;
    }
    result.certified = result.certificate_check.empty();
    if (progress) std::cerr << "fit: certificate " << (result.certified ? "accepted" : result.certificate_check) << "\n";
  }

  // 3. The eps-optimal parameter ranges.
  const std::size_t p = rs.parameter_count();
  if (options.ranges && m.witness && std::isfinite(m.upper)) {
    double eps = options.range_eps_rel * std::fabs(m.upper);
    if (options.range_eps) eps = numeric::to_double_down(*options.range_eps);
    else if (rs.eps) eps = numeric::to_double_down(*rs.eps);
    if (!(eps > 0)) eps = std::numeric_limits<double>::min();
    result.range_eps = eps;
    // level >= upper + eps, rounded up.
    const double level = std::nextafter(m.upper + eps, kInf);
    const BoxBounder bounder(rs.spec, rs.loss_node, so.eps_h);
    const Box root = expr::enclose_domains(rs.spec.variables);
    const bool taylor = p <= 8;
    // Gauss-Newton model of the sublevel set at the witness (floating
    // point, heuristic): L(w + d) ~ L(w) + d^T (J^T J) d, so the extreme of
    // p_j on {L <= level} is near w -+ t (J^T J)^-1 e_j with
    // t = sqrt(eps / ((J^T J)^-1)_jj). Each candidate is accepted only where
    // interval evaluation proves L <= level there.
    std::vector<double> jtj;
    if (rs.loss == LossKind::SumOfSquares) {
      const FloatResiduals model(rs);
      std::vector<double> r, J;
      if (model.evaluate(*m.witness, r, &J)) {
        jtj.assign(p * p, 0.0);
        for (std::size_t i = 0; i < model.rows(); ++i)
          for (std::size_t a = 0; a < p; ++a)
            for (std::size_t b = 0; b < p; ++b) jtj[a * p + b] += J[i * p + a] * J[i * p + b];
      }
    }
    auto inner_end = [&](std::size_t j, int sign) {
      const std::vector<double>& w = *m.witness;
      double best = sign * w[j];
      if (jtj.empty()) return best;
      std::vector<double> d(p, 0.0);
      d[j] = 1;
      if (!numeric::solve_in_place(jtj, d, p) || !(d[j] > 0)) return best;
      double t = std::sqrt(std::max(level - m.upper, 0.0) / d[j]);
      for (int attempt = 0; attempt < 40 && std::isfinite(t) && t > 0; ++attempt, t *= 0.8) {
        std::vector<double> q(p);
        for (std::size_t a = 0; a < p; ++a) q[a] = std::clamp(w[a] - sign * t * d[a], root[a].lower(), root[a].upper());
        if (!bounder.point_feasible(q)) continue;
        const Interval v = bounder.value_at(q);
        if (!v.is_empty() && v.upper() <= level) return std::min(best, sign * q[j]);
      }
      return best;
    };
    for (std::size_t j = 0; j < p; ++j) {
      const double w = (*m.witness)[j];
      const ExtremeResult lo =
          coordinate_extreme(bounder, root, j, +1, level, w, inner_end(j, +1), options.range_boxes, taylor);
      const ExtremeResult hi =
          coordinate_extreme(bounder, root, j, -1, level, -w, inner_end(j, -1), options.range_boxes, taylor);
      ParameterRange r;
      r.outer = Interval(std::max(lo.outer, root[j].lower()), std::min(-hi.outer, root[j].upper()));
      r.inner_lower = lo.inner;
      r.inner_upper = -hi.inner;
      r.complete = lo.complete && hi.complete;
      r.boxes = lo.boxes + hi.boxes;
      result.ranges.push_back(r);
    }
    if (progress) std::cerr << "fit: eps-optimal ranges (eps " << eps << ") (" << elapsed() << " s)\n";
  }

  // 4. The regression theorems.
  if (rs.eps) {
    TheoremResult t;
    t.eps = *rs.eps;
    const Rational eps = *rs.eps;
    const bool fits = result.certified && std::isfinite(m.upper) && numeric::to_rational(m.upper) <= eps;
    const bool none_fits = result.certified && std::isfinite(m.lower) && numeric::to_rational(m.lower) > eps;
    const std::string eps_text = numeric::to_decimal_up(eps, 17);
    t.verdict = fits ? Verdict::Proven : none_fits ? Verdict::Refuted : Verdict::Unknown;
    t.statement = "some parameter vector in the box fits the data within eps = " + eps_text + " (loss <= eps)";
    if (rs.truth) {
      const Interval tl = loss_at(rs, *rs.truth);
      t.truth_loss = tl;
      const bool perfect = tl.lower() <= 0;
      t.which = perfect ? TheoremCase::PerfectModel : TheoremCase::ImperfectModel;
      if (perfect) {
        t.statement = "perfect model: the data are the model at the true parameters (loss(truth) in [0, " +
                      numeric::to_decimal_up(numeric::to_rational(tl.upper()), 6) +
                      "]); the regressed model fits within eps = " + eps_text;
      } else {
        const bool hypothesis = numeric::to_rational(tl.upper()) <= eps;
        const bool hypothesis_false = numeric::to_rational(tl.lower()) > eps;
        t.statement = "imperfect model: the true model fits the distorted data within eps = " + eps_text +
                      (hypothesis ? " (proven: loss(truth) <= " + numeric::to_decimal_up(numeric::to_rational(tl.upper()), 6) + ")"
                       : hypothesis_false ? " (false: loss(truth) >= " + numeric::to_decimal_down(numeric::to_rational(tl.lower()), 6) + ")"
                                          : " (undecided)") +
                      ", so does the regressed model";
        if (hypothesis_false && !fits) t.verdict = none_fits ? Verdict::Refuted : Verdict::Unknown;
      }
    } else {
      t.which = TheoremCase::FitWithinEps;
    }
    if (fits)
      t.explanation = "the witness has loss <= " + numeric::to_decimal_up(numeric::to_rational(m.upper), 17) + " <= eps";
    else if (none_fits)
      t.explanation = "every parameter vector has loss >= " + numeric::to_decimal_down(numeric::to_rational(m.lower), 17) + " > eps";
    else if (!result.certified)
      t.explanation = "the global minimum was not certified (" + std::string(to_string(m.status)) +
                      (result.certificate_check.empty() || result.certificate_check == "not checked" ? "" : ", " + result.certificate_check) + ")";
    else
      t.explanation = "eps lies inside the certified enclosure of the minimum loss";
    result.theorem = t;
  }

  // 5. Reference values (NIST certified values).
  if (rs.certified_loss && result.certified)
    result.certified_loss_agrees = agrees_with_reference(m.lower, m.upper, *rs.certified_loss);
  if (rs.certified_parameters && !result.ranges.empty()) {
    bool all = true;
    for (std::size_t j = 0; j < p; ++j)
      all = all && agrees_with_reference(result.ranges[j].outer.lower(), result.ranges[j].outer.upper(),
                                         (*rs.certified_parameters)[j]);
    result.certified_parameters_in_ranges = all;
  }
  result.time_s = elapsed();
  return result;
}

std::string fit_verdict_word(const RegressionSpec& rs, const FitResult& r) {
  if (r.certified_loss_agrees && !*r.certified_loss_agrees) return "wrong (the loss enclosure misses the certified loss)";
  if (r.certified_parameters_in_ranges && !*r.certified_parameters_in_ranges)
    return "wrong (a certified parameter lies outside its eps-optimal range)";
  if (r.theorem) return to_string(r.theorem->verdict);
  if (r.search.status == SearchStatus::Success && !r.certified) return "unknown (" + r.certificate_check + ")";
  (void)rs;
  return to_string(r.search.status);
}

}  // namespace cerval::search
