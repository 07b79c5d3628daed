#include <cerval/search/regression.hpp>

#include <cerval/cert/checker.hpp>
#include <cerval/expr/eval.hpp>
#include <cerval/numeric/float_matrix.hpp>
#include <cerval/search/box_bounder.hpp>
#include <cerval/search/certificate_export.hpp>
#include <cerval/search/regression_transform.hpp>

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

// A parameter as an affine function of the search variables v:
// p = c + sum_k a_k v_k (a_k, c enclosures of exact rationals).
struct Affine {
  Interval c;
  std::vector<Interval> a;
  Interval over(const Box& b) const {
    Interval r = c;
    for (std::size_t k = 0; k < a.size(); ++k)
      if (!(a[k].lower() == 0 && a[k].upper() == 0)) r = r + a[k] * b[k];
    return r;
  }
};

// Outer bound on min over S of s * p (s = +1: lower end of p's range over S,
// s = -1: minus the upper end), S = {v in the root box : constraints,
// L(v) <= level}. `inner` starts at a value s * p(v) of a point v of S (the
// witness, or a point of the Gauss-Newton guess proven in S).
struct ExtremeResult {
  double outer;
  double inner;
  bool complete;
  std::size_t boxes;
};

ExtremeResult coordinate_extreme(const BoxBounder& bounder, const Box& root, const Affine& param, int s, double level,
                                 const double from, double inner, std::size_t budget, bool taylor,
                                 std::chrono::steady_clock::time_point deadline) {
  const std::size_t n = root.size();
  auto key = [&](const Box& b) {
    const Interval v = param.over(b);
    return s > 0 ? v.lower() : -v.upper();
  };
  // The point of a box where s * p is least (centre in coordinates p does not
  // depend on), and the value s * p reached there (rounded the safe way).
  auto extreme_point = [&](const Box& b, double& reached) {
    std::vector<double> q = expr::default_center(b);
    for (std::size_t k = 0; k < n; ++k) {
      const double sign = s * param.a[k].midpoint();
      if (sign > 0) q[k] = b[k].lower();
      else if (sign < 0) q[k] = b[k].upper();
    }
    Box point;
    for (double x : q) point.emplace_back(x);
    const Interval v = param.over(point);
    reached = s > 0 ? v.upper() : -v.lower();
    return q;
  };
  struct Item {
    double key;
    Box box;
    bool operator<(const Item& o) const { return key > o.key; }  // min-heap
  };
  std::priority_queue<Item> heap;
  heap.push({key(root), root});
  double stuck = kInf;
  std::size_t boxes = 0;
  const Interval span = param.over(root);
  // Stop when the outer end is within 1% of the distance from the witness to
  // the inner end (or at binary64-level resolution).
  bool complete = true;
  while (!heap.empty()) {
    const double tol = std::max(1e-2 * (from - inner), 1e-12 * std::max(std::fabs(from), span.width()));
    if (heap.top().key >= inner - tol) break;
    if (boxes >= budget || (boxes % 32 == 0 && std::chrono::steady_clock::now() > deadline)) {
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
    double reached = kInf;
    const std::vector<double> q = extreme_point(c, reached);
    if (defined && !b.enclosure.is_empty() && b.enclosure.upper() <= level && b.certainly_feasible) {
      inner = std::min(inner, reached);  // the whole contracted box lies in S
      continue;
    }
    // The extreme point of the box: where it is proven in S, the range reaches it.
    if (reached < inner && bounder.point_feasible(q)) {
      const Interval v = bounder.value_at(q);
      if (!v.is_empty() && v.upper() <= level) inner = reached;
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
  double outer = std::min(inner, stuck);
  if (!heap.empty()) outer = std::min(outer, heap.top().key);
  return {outer, inner, complete, boxes};
}

// J^T J of the residuals at a point (floating point); empty when undefined.
std::vector<double> gauss_newton_matrix(const RegressionSpec& rs, const std::vector<double>& at) {
  const FloatResiduals model(rs);
  const std::size_t p = rs.parameter_count();
  std::vector<double> r, J;
  if (at.size() != p || !model.evaluate(at, r, &J)) return {};
  std::vector<double> jtj(p * p, 0.0);
  for (std::size_t i = 0; i < model.rows(); ++i)
    for (std::size_t a = 0; a < p; ++a)
      for (std::size_t b = 0; b < p; ++b) jtj[a * p + b] += J[i * p + a] * J[i * p + b];
  for (double v : jtj)
    if (!std::isfinite(v)) return {};
  return jtj;
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
  const std::size_t p = rs.parameter_count();

  // The parameters that enter the model linearly: the LM starts' screening
  // and the variable projection.
  const std::vector<std::size_t> enter_linearly = linear_parameters(rs);

  // 1. Levenberg-Marquardt: candidate incumbents.
  LevenbergMarquardtOptions lm = options.lm;
  if (lm.linear.empty()) lm.linear = enter_linearly;
  result.lm = levenberg_marquardt(rs, lm);
  if (progress)
    std::cerr << "fit: Levenberg-Marquardt, " << result.lm.starts << " starts, best loss " << result.lm.loss << " ("
              << result.lm.time_s << " s)\n";

  // 2. Gauss-Newton preconditioning (regression_transform.hpp).
  std::vector<double> jtj;
  if (!result.lm.point.empty()) jtj = gauss_newton_matrix(rs, result.lm.point);
  if (options.project_linear) result.projected = enter_linearly;
  if (progress && !result.projected.empty()) {
    std::cerr << "fit: variable projection over";
    for (std::size_t j : result.projected) std::cerr << " " << rs.spec.variables[j].name;
    std::cerr << " (they enter the model linearly)\n";
  }
  const std::vector<std::size_t>& linear = result.projected;
  std::optional<Preconditioned> pc;
  bool whitened = false;  // pc is a whitening (not the diagonal scaling)
  if (options.precondition && !jtj.empty()) {
    pc = precondition(rs, result.lm.point, jtj, PreconditionMode::Whiten, linear);
    // Whitening searches a box larger than the preimage of P (cut back by
    // constraints); where the loss is undefined on that box, boxes straddling
    // the boundary could not be decided: clamp the parameters into P, and
    // failing that scale the coordinates only.
    auto defined_on_box = [](const Preconditioned& q) {
      const Box ubox = expr::enclose_domains(q.spec.variables);
      return expr::is_defined_everywhere(expr::evaluate<Interval>(q.spec.graph, q.loss, ubox).decoration);
    };
    if (pc && !defined_on_box(*pc)) pc = precondition(rs, result.lm.point, jtj, PreconditionMode::WhitenClamped, linear);
    whitened = pc.has_value();
    if (pc && !defined_on_box(*pc)) {
      pc = precondition(rs, result.lm.point, jtj, PreconditionMode::Diagonal, linear);
      whitened = false;
    }
  }

  SearchOptions so = options.search;
  if (rs.eps) so.eps_abs = std::max(so.eps_abs, numeric::to_double_down(*rs.eps) * 1e-3);
  // A perfect fit has minimum 0, which no relative width reaches: unless the
  // spec states a reference loss (NIST: its relative width matters), stop at
  // an absolute width of 1e-24 of the data's scale sum_i w_i y_i^2.
  if (so.eps_abs <= 1e-300 && !rs.certified_loss) {
    double scale = 0;
    for (std::size_t i = 0; i < rs.row_count(); ++i) {
      const double y = std::fabs(observed_value(rs, i));
      scale += (rs.weights.empty() ? 1.0 : numeric::to_double_up(rs.weights[i])) * y * y;
    }
    if (std::isfinite(scale) && scale > 0) so.eps_abs = 1e-24 * scale;
  }
  auto options_for = [&](const std::optional<Preconditioned>& q) {
    SearchOptions o = so;
    o.projected = linear;
    for (const auto& x : result.lm.local_optima) o.start_points.push_back(q ? q->to_u(x) : x);
    if (o.timeout_s > 0) o.timeout_s = std::max(0.1, o.timeout_s - elapsed());
    return o;
  };

  // 2b. The coordinate probe (FitOptions::probe_boxes): the whitened search
  // and the search in the spec's own coordinates each get the same box
  // budget; the full search continues in the one with the smaller gap. Both
  // problems have the same minimum (regression_transform.hpp), and whichever
  // runs, its certificate is checked below: the choice is a heuristic only.
  std::optional<MinimizationResult> finished;  // a probe run that already met the tolerance
  if (pc && whitened && options.probe_boxes > 0) {
    const auto probe_start = std::chrono::steady_clock::now();
    SearchOptions a = options_for(pc);
    a.max_boxes = std::min(a.max_boxes, options.probe_boxes);
    if (a.timeout_s > 0) a.timeout_s = std::max(0.1, a.timeout_s / 4);
    MinimizationResult rw = minimize(pc->spec, pc->loss, a);
    if (rw.status == SearchStatus::Success) {
      finished = std::move(rw);
    } else {
      SearchOptions b = options_for(std::nullopt);
      b.max_boxes = a.max_boxes;
      if (b.timeout_s > 0) b.timeout_s = std::max(0.1, b.timeout_s / 4);
      MinimizationResult ro = minimize(rs.spec, rs.loss_node, b);
      const double gap_w = rw.upper - rw.lower, gap_o = ro.upper - ro.lower;
      result.probe_boxes = rw.boxes_processed;
      if (ro.status == SearchStatus::Success || gap_o < gap_w) {
        pc.reset();
        result.probe_chose_original = true;
        if (ro.status == SearchStatus::Success) finished = std::move(ro);
        else result.probe_boxes += ro.boxes_processed;
      } else {
        result.probe_boxes += ro.boxes_processed;
      }
      if (progress)
        std::cerr << "fit: coordinate probe, gap " << gap_w << " whitened, " << gap_o << " original: "
                  << (result.probe_chose_original ? "original" : "whitened") << "\n";
    }
    result.probe_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - probe_start).count();
    if (finished) result.probe_s -= finished->time_s;
  }
  result.preconditioned = pc.has_value();
  if (pc) {
    result.search_spec = pc->spec;
    result.search_loss = pc->loss;
    result.shift = pc->shift;
    result.matrix = pc->matrix;
  } else {
    result.search_spec = rs.spec;
    result.search_loss = rs.loss_node;
  }
  const expr::Spec& spec = result.search_spec;
  const expr::NodeId loss = result.search_loss;

  // The binary64 resolution of the loss at the LM point, against the tolerance.
  if (!result.lm.point.empty()) {
    const std::vector<double> at = pc ? pc->to_u(result.lm.point) : result.lm.point;
    std::vector<Interval> point;
    for (double x : at) point.push_back(Interval(x));
    const auto e = expr::evaluate<Interval>(spec.graph, loss, point);
    if (expr::is_defined_everywhere(e.decoration) && e.value.is_bounded() && e.value.upper() > 0)
      result.point_relative_width = e.value.width() / e.value.upper();
    if (progress && result.point_relative_width > options.search.eps_rel &&
        e.value.width() > options.search.eps_abs)
      std::cerr << "fit: note: at the Levenberg-Marquardt point the loss is enclosed in binary64 only to relative "
                   "width "
                << result.point_relative_width << ", above the tolerance " << options.search.eps_rel
                << ": the search cannot close its gap below that near the minimum\n";
  }

  // 3. The certified global minimum.
  so = options_for(pc);
  result.search = finished ? std::move(*finished) : minimize(spec, loss, so);
  const MinimizationResult& m = result.search;
  if (progress)
    std::cerr << "fit: loss in [" << m.lower << ", " << m.upper << "], " << m.boxes_processed << " boxes ("
              << m.time_s << " s)\n";
  result.certificate_check = "not checked";
  if (m.status == SearchStatus::Success && options.check_certificate) {
    std::string why;
    const auto c = minimum_certificate(spec, loss, m, so, why);
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
  // The best parameters in the user's coordinates, with their loss enclosed
  // in the original spec.
  if (m.witness) {
    result.best = pc ? pc->to_p(*m.witness) : *m.witness;
    // Rounding back to binary64 may step out of the box by an ulp: clamp.
    for (std::size_t j = 0; j < p && pc; ++j) {
      const auto& d = rs.spec.variables[j];
      if (d.lower) result.best[j] = std::max(result.best[j], numeric::to_double_up(*d.inside_lower()));
      if (d.upper) result.best[j] = std::min(result.best[j], numeric::to_double_down(*d.inside_upper()));
    }
    const BoxBounder original(rs.spec, rs.loss_node, so.eps_h);
    result.best_loss = original.value_at(result.best);
  }

  // 4. The eps-optimal parameter ranges, searched in the same coordinates.
  if (options.ranges && m.witness && std::isfinite(m.upper)) {
    double eps = options.range_eps_rel * std::fabs(m.upper);
    if (options.range_eps) eps = numeric::to_double_down(*options.range_eps);
    else if (rs.eps) eps = numeric::to_double_down(*rs.eps);
    if (!(eps > 0)) eps = std::numeric_limits<double>::min();
    result.range_eps = eps;
    const double level = std::nextafter(m.upper + eps, kInf);  // >= upper + eps
    const BoxBounder bounder(spec, loss, so.eps_h);
    const Box root = expr::enclose_domains(spec.variables);
    const bool taylor = p <= 8;
    // Gauss-Newton model of the sublevel set at the witness w (floating
    // point, heuristic): L(w + d) ~ L(w) + d^T H d with H = J^T J in the
    // search coordinates, so the extreme of a^T d on {L <= level} is near
    // d = -+ t H^-1 a, t = sqrt(eps / a^T H^-1 a). Each candidate counts only
    // where interval evaluation proves L <= level there.
    const std::vector<double> w = *m.witness;
    std::vector<double> H;
    if (!jtj.empty()) {
      if (!pc) {
        H = jtj;
      } else {
        // H_u = M^T (J^T J) M.
        std::vector<double> M(p * p);
        for (std::size_t i = 0; i < p * p; ++i) M[i] = numeric::to_double_down(pc->matrix[i]);
        H.assign(p * p, 0.0);
        for (std::size_t a = 0; a < p; ++a)
          for (std::size_t b = 0; b < p; ++b)
            for (std::size_t k = 0; k < p; ++k)
              for (std::size_t l = 0; l < p; ++l) H[a * p + b] += M[k * p + a] * jtj[k * p + l] * M[l * p + b];
      }
    }
    // Each end of each range gets an equal share of the time budget.
    double range_time = options.range_time_s;
    if (options.search.timeout_s > 0) range_time = std::min(range_time, std::max(0.0, options.search.timeout_s - elapsed()));
    const double share = range_time / static_cast<double>(2 * p);
    auto deadline_in = [&](double seconds) {
      return std::chrono::steady_clock::now() +
             std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(seconds));
    };
    for (std::size_t j = 0; j < p; ++j) {
      Affine param;
      if (pc) {
        param.c = Interval::enclose(pc->shift[j]);
        for (std::size_t k = 0; k < p; ++k) param.a.push_back(Interval::enclose(pc->matrix[j * p + k]));
      } else {
        param.c = Interval(0.0);
        for (std::size_t k = 0; k < p; ++k) param.a.push_back(Interval(k == j ? 1.0 : 0.0));
      }
      Box wbox;
      for (double x : w) wbox.emplace_back(x);
      const Interval at_w = param.over(wbox);
      auto inner_end = [&](int sign) {
        double best = sign > 0 ? at_w.upper() : -at_w.lower();
        if (H.empty()) return best;
        std::vector<double> d(p);
        for (std::size_t k = 0; k < p; ++k) d[k] = param.a[k].midpoint();
        const std::vector<double> a = d;
        if (!numeric::solve_in_place(H, d, p)) return best;
        double ahia = 0;
        for (std::size_t k = 0; k < p; ++k) ahia += a[k] * d[k];
        if (!(ahia > 0)) return best;
        auto point = [&](double t) {
          std::vector<double> q(p);
          for (std::size_t k = 0; k < p; ++k) q[k] = std::clamp(w[k] - sign * t * d[k], root[k].lower(), root[k].upper());
          return q;
        };
        auto inside = [&](const std::vector<double>& q) {
          if (!in_exact_domain(spec, q) || !bounder.point_feasible(q)) return false;
          const Interval v = bounder.value_at(q);
          return !v.is_empty() && v.upper() <= level;
        };
        // The largest t along the direction with L <= level, by bisection
        // (bracket from the quadratic model's t).
        const double guess = std::sqrt(std::max(level - m.upper, 0.0) / ahia);
        if (!std::isfinite(guess) || !(guess > 0)) return best;
        double lo = 0, hi = guess;
        for (int k = 0; k < 20 && inside(point(hi)); ++k) lo = hi, hi *= 2;
        for (int k = 0; k < 60 && hi - lo > 1e-14 * hi; ++k) {
          const double mid = lo / 2 + hi / 2;
          (inside(point(mid)) ? lo : hi) = mid;
        }
        if (!(lo > 0)) return best;
        Box qbox;
        for (double x : point(lo)) qbox.emplace_back(x);
        const Interval pq = param.over(qbox);
        return std::min(best, sign > 0 ? pq.upper() : -pq.lower());
      };
      const double from_lo = at_w.upper(), from_hi = -at_w.lower();
      const ExtremeResult lo = coordinate_extreme(bounder, root, param, +1, level, from_lo, inner_end(+1),
                                                  options.range_boxes, taylor, deadline_in(share));
      const ExtremeResult hi = coordinate_extreme(bounder, root, param, -1, level, from_hi, inner_end(-1),
                                                  options.range_boxes, taylor, deadline_in(share));
      ParameterRange r;
      const Interval declared = expr::enclose_domain(rs.spec.variables[j]);
      r.outer = Interval(std::max(lo.outer, declared.lower()), std::min(-hi.outer, declared.upper()));
      r.inner_lower = lo.inner;
      r.inner_upper = -hi.inner;
      r.complete = lo.complete && hi.complete;
      r.boxes = lo.boxes + hi.boxes;
      result.ranges.push_back(r);
    }
    if (progress) std::cerr << "fit: eps-optimal ranges (eps " << eps << ") (" << elapsed() << " s)\n";
  }

  // 5. The regression theorems.
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
      }
    } else {
      t.which = TheoremCase::FitWithinEps;
    }
    if (fits)
      t.explanation = "the certified minimum loss is <= " + numeric::to_decimal_up(numeric::to_rational(m.upper), 17) + " <= eps";
    else if (none_fits)
      t.explanation = "every parameter vector has loss >= " + numeric::to_decimal_down(numeric::to_rational(m.lower), 17) + " > eps";
    else if (!result.certified)
      t.explanation = "the global minimum was not certified (" + std::string(to_string(m.status)) +
                      (result.certificate_check.empty() || result.certificate_check == "not checked" ? "" : ", " + result.certificate_check) + ")";
    else
      t.explanation = "eps lies inside the certified enclosure of the minimum loss";
    result.theorem = t;
  }

  // 6. Reference values (NIST certified values).
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
