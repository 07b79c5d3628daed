#include <cerval/seasonal/hypotheses.hpp>

#include <cerval/expr/autodiff.hpp>
#include <cerval/expr/eval.hpp>
#include <cerval/numeric/mp_interval.hpp>
#include <cerval/seasonal/monodromy.hpp>
#include <cerval/seasonal/perron.hpp>

#include <algorithm>
#include <functional>
#include <sstream>

namespace cerval::seasonal {

using numeric::Interval;
using numeric::MpInterval;

const char* to_string(Decision d) {
  switch (d) {
    case Decision::Proven: return "proven";
    case Decision::Refuted: return "refuted";
    default: return "unknown";
  }
}

namespace {

// Enclosures of the conditions g_k over a box and whether each is defined
// (decoration dac or better) on the whole box.
using BoxEval = std::function<void(const std::vector<Interval>& box, std::vector<Interval>& values,
                                   std::vector<bool>& defined)>;

struct SignResult {
  Decision decision = Decision::Proven;
  std::optional<Witness> witness;
  std::size_t condition = 0;  // the refuted or undecided condition
};

// A box of the region: its interval coordinates and, for a coordinate fixed
// to a face x_i = K_i, the exact value.
struct RegionBox {
  std::vector<Interval> x;
  std::vector<std::optional<Rational>> fixed;
};

bool violates(const Interval& v, int sign) { return sign > 0 ? v.certainly_lt(0.0) : v.certainly_gt(0.0); }
bool satisfies(const Interval& v, int sign) { return sign > 0 ? v.certainly_ge(0.0) : v.certainly_le(0.0); }

// The centre of a box as an exact point inside the exact region [0, K].
std::optional<std::vector<Rational>> centre(const RegionBox& b, const std::vector<Rational>& upper) {
  std::vector<Rational> p;
  for (std::size_t i = 0; i < b.x.size(); ++i) {
    if (b.fixed[i]) {
      p.push_back(*b.fixed[i]);
      continue;
    }
    const Rational q = numeric::to_rational(b.x[i].midpoint());
    if (q < 0 || q > upper[i]) return std::nullopt;
    p.push_back(q);
  }
  return p;
}

std::vector<Interval> enclose_point(const std::vector<Rational>& p) {
  std::vector<Interval> x;
  for (const Rational& q : p) x.push_back(Interval::enclose(q));
  return x;
}

// Decides g_k (sign +1: >= 0, -1: <= 0) on the region box for every k by
// subdivision; returns one result per condition.
std::vector<SignResult> decide_signs(const RegionBox& root, const std::vector<Rational>& upper, const BoxEval& eval,
                                     const std::vector<int>& sign, const HypothesisOptions& options,
                                     std::size_t& boxes_used) {
  const std::size_t m = sign.size();
  std::vector<SignResult> result(m);
  for (std::size_t k = 0; k < m; ++k) result[k].condition = k;
  std::vector<Interval> values(m), point_values(m);
  std::vector<bool> defined(m), point_defined(m);
  std::vector<double> min_width;
  for (std::size_t i = 0; i < root.x.size(); ++i) min_width.push_back(options.min_width * std::max(root.x[i].width(), 1e-300));
  struct Item {
    RegionBox box;
    std::vector<std::size_t> open;
  };
  std::vector<Item> stack;
  std::vector<std::size_t> all(m);
  for (std::size_t k = 0; k < m; ++k) all[k] = k;
  stack.push_back({root, all});
  std::size_t boxes = 0;
  while (!stack.empty()) {
    Item item = std::move(stack.back());
    stack.pop_back();
    std::vector<std::size_t> open;
    for (std::size_t k : item.open)
      if (result[k].decision != Decision::Refuted) open.push_back(k);
    if (open.empty()) continue;
    if (boxes >= options.max_boxes) {
      for (std::size_t k : open)
        if (result[k].decision == Decision::Proven) result[k].decision = Decision::Unknown;
      continue;
    }
    ++boxes;
    eval(item.box.x, values, defined);
    std::vector<std::size_t> still;
    for (std::size_t k : open)
      if (!(defined[k] && satisfies(values[k], sign[k]))) still.push_back(k);
    if (still.empty()) continue;
    // Look for a witness at the centre of the box.
    if (auto p = centre(item.box, upper)) {
      eval(enclose_point(*p), point_values, point_defined);
      for (std::size_t k : still)
        if (point_defined[k] && violates(point_values[k], sign[k]) && result[k].decision != Decision::Refuted) {
          std::ostringstream os;
          os << point_values[k];
          result[k].decision = Decision::Refuted;
          result[k].witness = Witness{*p, os.str()};
        }
    }
    std::vector<std::size_t> next;
    for (std::size_t k : still)
      if (result[k].decision != Decision::Refuted) next.push_back(k);
    if (next.empty()) continue;
    // Bisect the widest free coordinate.
    std::size_t best = 0;
    double best_ratio = 0;
    for (std::size_t i = 0; i < item.box.x.size(); ++i) {
      if (item.box.fixed[i]) continue;
      const double r = item.box.x[i].width() / min_width[i];
      if (r > best_ratio) {
        best_ratio = r;
        best = i;
      }
    }
    if (best_ratio <= 1) {
      for (std::size_t k : next)
        if (result[k].decision == Decision::Proven) result[k].decision = Decision::Unknown;
      continue;
    }
    auto [a, b] = numeric::bisect(item.box.x[best]);
    Item left{item.box, next}, right{item.box, next};
    left.box.x[best] = a;
    right.box.x[best] = b;
    stack.push_back(std::move(right));
    stack.push_back(std::move(left));
  }
  boxes_used += boxes;
  return result;
}

std::string point_text(const SeasonalSpec& spec, const std::vector<Rational>& p) {
  std::string s;
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (i) s += ", ";
    s += spec.states[i] + " = " + numeric::to_string(p[i]);
  }
  return s;
}

// Combines per-condition results into one hypothesis verdict.
void conclude(Hypothesis& h, const std::vector<SignResult>& results, const std::vector<std::string>& names,
              const SeasonalSpec& spec, std::size_t boxes) {
  h.decision = Decision::Proven;
  for (const auto& r : results)
    if (r.decision == Decision::Refuted) {
      h.decision = Decision::Refuted;
      h.witness = r.witness;
      h.detail = names[r.condition] + " fails at " + point_text(spec, r.witness->point) + ": " + r.witness->value;
      return;
    }
  for (const auto& r : results)
    if (r.decision == Decision::Unknown) {
      h.decision = Decision::Unknown;
      h.detail = names[r.condition] + " not decided after " + std::to_string(boxes) + " boxes";
      return;
    }
  h.detail = std::to_string(results.size()) + (results.size() == 1 ? " sign condition" : " sign conditions") +
             " proven on " + std::to_string(boxes) + (boxes == 1 ? " box" : " boxes");
}

RegionBox region_box(const SeasonalSpec& spec) {
  RegionBox b;
  for (std::size_t i = 0; i < spec.dimension(); ++i) {
    b.x.push_back(Interval::enclose(Rational(0), spec.region_upper[i]));
    b.fixed.push_back(std::nullopt);
  }
  return b;
}

const char* season_name(bool favourable) { return favourable ? "favourable" : "unfavourable"; }

Hypothesis zero_hypothesis(const SeasonalSpec& spec, const Season& s, bool favourable) {
  Hypothesis h{"zero", season_name(favourable), "F(t, 0) = 0", Decision::Proven, "", std::nullopt};
  const std::size_t n = spec.dimension();
  const std::vector<Rational> origin(n, Rational(0));
  for (std::size_t i = 0; i < n; ++i) {
    const std::vector<Interval> x(n, Interval(0.0));
    const auto e = expr::evaluate<Interval>(spec.base.graph, s.rhs[i], x);
    if (e.decoration >= expr::Decoration::dac && e.value.is_point() && e.value.contains(0.0)) continue;
    // Refine at high precision before giving up.
    expr::NumberFactory<MpInterval> f;
    f.precision = 256;
    const std::vector<MpInterval> xm(n, MpInterval(256));
    const auto em = expr::evaluate<MpInterval>(spec.base.graph, s.rhs[i], xm, f);
    std::ostringstream os;
    os << em.value;
    if (em.decoration >= expr::Decoration::dac && !em.value.contains(0.0)) {
      h.decision = Decision::Refuted;
      h.witness = Witness{origin, os.str()};
      h.detail = spec.states[i] + "' at 0 is " + os.str();
      return h;
    }
    if (em.decoration < expr::Decoration::dac) {
      h.decision = Decision::Refuted;
      h.witness = Witness{origin, "undefined"};
      h.detail = spec.states[i] + "' is not defined at 0";
      return h;
    }
    if (!(em.value.is_point() && em.value.contains(0.0))) {
      h.decision = Decision::Unknown;
      h.detail = spec.states[i] + "' at 0 is enclosed by " + os.str() + " (contains 0, not decided)";
    }
  }
  if (h.decision == Decision::Proven) h.detail = "every right-hand side evaluates to exactly 0 at 0";
  return h;
}

Hypothesis cooperative_hypothesis(const SeasonalSpec& spec, const Season& s, bool favourable,
                                  const HypothesisOptions& options) {
  Hypothesis h{"cooperative", season_name(favourable), "dF_i/dx_j >= 0 for i != j on the region", Decision::Proven,
               "", std::nullopt};
  const std::size_t n = spec.dimension();
  std::vector<int> sign;
  std::vector<std::string> names;
  std::vector<std::pair<std::size_t, std::size_t>> index;
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j)
      if (i != j) {
        sign.push_back(1);
        names.push_back("d(" + spec.states[i] + "')/d" + spec.states[j] + " >= 0");
        index.emplace_back(i, j);
      }
  if (sign.empty()) {
    h.detail = "one state variable: nothing to check";
    return h;
  }
  using D = expr::Dual<Interval>;
  BoxEval eval = [&](const std::vector<Interval>& box, std::vector<Interval>& values, std::vector<bool>& defined) {
    std::vector<D> vars;
    for (std::size_t i = 0; i < n; ++i) vars.push_back(D::variable(box[i], i, n));
    expr::Evaluator<D> ev(spec.base.graph);
    ev.evaluate(vars);
    for (std::size_t k = 0; k < index.size(); ++k) {
      const auto [i, j] = index[k];
      const D& d = ev.value(s.rhs[i]);
      values[k] = j < d.grad.size() ? d.grad[j] : Interval(0.0);
      defined[k] = ev.decoration(s.rhs[i]) >= expr::Decoration::dac && !values[k].is_empty();
    }
  };
  std::size_t boxes = 0;
  const auto results = decide_signs(region_box(spec), spec.region_upper, eval, sign, options, boxes);
  conclude(h, results, names, spec, boxes);
  return h;
}

// Concavity of one season; `strict` is set when some second derivative is
// certainly < 0 at the centre of the region.
Hypothesis concave_hypothesis(const SeasonalSpec& spec, const Season& s, bool favourable,
                              const HypothesisOptions& options, bool& strict) {
  Hypothesis h{"concave", season_name(favourable),
               "order concavity: d2F_i/dx_j dx_k <= 0 on the region (DF nonincreasing)", Decision::Proven, "",
               std::nullopt};
  const std::size_t n = spec.dimension();
  std::vector<int> sign;
  std::vector<std::string> names;
  struct Index {
    std::size_t i, j, k;
  };
  std::vector<Index> index;
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j)
      for (std::size_t k = j; k < n; ++k) {
        sign.push_back(-1);
        names.push_back("d2(" + spec.states[i] + "')/d" + spec.states[j] + " d" + spec.states[k] + " <= 0");
        index.push_back({i, j, k});
      }
  using H = expr::HessianDual<Interval>;
  auto evaluate_box = [&](const std::vector<Interval>& box, std::vector<Interval>& values, std::vector<bool>& defined) {
    std::vector<H> vars;
    for (std::size_t i = 0; i < n; ++i) vars.push_back(H::variable(box[i], i, n));
    expr::Evaluator<H> ev(spec.base.graph);
    ev.evaluate(vars);
    for (std::size_t q = 0; q < index.size(); ++q) {
      const H& d = ev.value(s.rhs[index[q].i]);
      values[q] = d.hessian(index[q].j, index[q].k, n);
      defined[q] = ev.decoration(s.rhs[index[q].i]) >= expr::Decoration::dac && !values[q].is_empty();
    }
  };
  BoxEval eval = evaluate_box;
  std::size_t boxes = 0;
  const auto results = decide_signs(region_box(spec), spec.region_upper, eval, sign, options, boxes);
  conclude(h, results, names, spec, boxes);
  // Strictness at the centre of the region.
  std::vector<Interval> mid;
  for (std::size_t i = 0; i < n; ++i) mid.push_back(Interval::enclose(spec.region_upper[i] / 2));
  std::vector<Interval> values(index.size());
  std::vector<bool> defined(index.size());
  evaluate_box(mid, values, defined);
  for (std::size_t q = 0; q < index.size(); ++q)
    if (defined[q] && values[q].certainly_lt(0.0)) {
      strict = true;
      if (h.decision == Decision::Proven) h.detail += "; strict at the centre of the region (" + names[q].substr(0, names[q].find(" <=")) + " < 0)";
      break;
    }
  return h;
}

Hypothesis invariant_hypothesis(const SeasonalSpec& spec, const Season& s, bool favourable,
                                const HypothesisOptions& options) {
  Hypothesis h{"invariant", season_name(favourable),
               "the region [0, K] is forward invariant (F_i >= 0 on x_i = 0, F_i <= 0 on x_i = K_i)",
               Decision::Proven, "", std::nullopt};
  const std::size_t n = spec.dimension();
  std::size_t boxes = 0;
  for (std::size_t face = 0; face < 2 * n; ++face) {
    const std::size_t i = face / 2;
    const bool top = face % 2 == 1;
    RegionBox box = region_box(spec);
    const Rational value = top ? spec.region_upper[i] : Rational(0);
    box.x[i] = Interval::enclose(value);
    box.fixed[i] = value;
    // Natural enclosure intersected with the mean-value forms at the two
    // extreme corners of the box (F often vanishes at a corner: F(0) = 0).
    using D = expr::Dual<Interval>;
    BoxEval eval = [&](const std::vector<Interval>& x, std::vector<Interval>& values, std::vector<bool>& defined) {
      std::vector<D> vars;
      for (std::size_t j = 0; j < n; ++j) vars.push_back(D::variable(x[j], j, n));
      expr::Evaluator<D> ev(spec.base.graph);
      ev.evaluate(vars);
      const D& d = ev.value(s.rhs[i]);
      Interval v = d.value;
      defined[0] = ev.decoration(s.rhs[i]) >= expr::Decoration::dac && !v.is_empty();
      if (defined[0] && d.grad.size() == n) {
        for (int corner = 0; corner < 2; ++corner) {
          std::vector<Interval> c;
          for (std::size_t j = 0; j < n; ++j) c.push_back(corner == 0 ? lower_endpoint(x[j]) : upper_endpoint(x[j]));
          const auto fc = expr::evaluate<Interval>(spec.base.graph, s.rhs[i], c);
          if (fc.decoration < expr::Decoration::dac) continue;
          Interval mv = fc.value;
          for (std::size_t j = 0; j < n; ++j) mv += d.grad[j] * (x[j] - c[j]);
          const Interval both = intersect(v, mv);
          if (!both.is_empty()) v = both;
        }
      }
      values[0] = v;
    };
    const std::vector<std::string> names{spec.states[i] + "' " + (top ? "<= 0 on the face " : ">= 0 on the face ") +
                                         spec.states[i] + " = " + numeric::to_string(value)};
    const auto results = decide_signs(box, spec.region_upper, eval, {top ? -1 : 1}, options, boxes);
    Hypothesis part = h;
    conclude(part, results, names, spec, boxes);
    if (part.decision == Decision::Refuted) return part;
    if (part.decision == Decision::Unknown) h = part;
  }
  if (h.decision == Decision::Proven)
    h.detail = std::to_string(2 * n) + " faces proven on " + std::to_string(boxes) + " boxes";
  return h;
}

Hypothesis irreducible_hypothesis(const SeasonalSpec& spec, const Matrix<Interval>& a, bool favourable) {
  Hypothesis h{"irreducible", season_name(favourable),
               "the Jacobian at 0 is irreducible",
               Decision::Unknown, "", std::nullopt};
  const std::size_t n = spec.dimension();
  if (n == 1) {
    h.decision = Decision::Proven;
    h.detail = "one state variable";
    return h;
  }
  if (strongly_connected(n, [&](std::size_t i, std::size_t j) { return i != j && a(i, j).certainly_gt(0.0); })) {
    h.decision = Decision::Proven;
    h.detail = "the graph of the entries certainly > 0 is strongly connected";
  } else if (!strongly_connected(n, [&](std::size_t i, std::size_t j) {
               return i != j && !(a(i, j).is_point() && a(i, j).contains(0.0));
             })) {
    h.decision = Decision::Refuted;
    h.witness = Witness{std::vector<Rational>(n, Rational(0)), "reducible"};
    h.detail = "the graph of the nonzero off-diagonal entries is not strongly connected";
  } else {
    h.detail = "some off-diagonal entries are not decided nonzero";
  }
  return h;
}

}  // namespace

HypothesesReport check_hypotheses(const SeasonalSpec& spec, const HypothesisOptions& options) {
  HypothesesReport r;
  const Linearisation<Interval> lin = linearise(spec);
  bool strict = false;
  std::vector<Hypothesis> concave;
  for (int f = 0; f < 2; ++f) {
    const bool favourable = f == 1;
    const Season& s = favourable ? spec.favourable : spec.unfavourable;
    r.items.push_back(zero_hypothesis(spec, s, favourable));
    r.items.push_back(cooperative_hypothesis(spec, s, favourable, options));
    r.items.push_back(irreducible_hypothesis(spec, favourable ? lin.favourable : lin.unfavourable, favourable));
    r.items.back().required = favourable;
    r.items.push_back(concave_hypothesis(spec, s, favourable, options, strict));
    r.items.push_back(invariant_hypothesis(spec, s, favourable, options));
  }
  // Irreducibility is needed in the favourable season (M(theta) > 0 for
  // theta < 1); the unfavourable season's is reported for information.
  // Concavity must be strict somewhere.
  Hypothesis strictness{"strict", "both", "order concavity is strict somewhere", strict ? Decision::Proven : Decision::Unknown,
                        strict ? "a second derivative is certainly < 0 at the centre of the region"
                               : "no second derivative found certainly < 0 at the centre of the region",
                        std::nullopt};
  r.items.push_back(strictness);
  r.overall = Decision::Proven;
  for (const auto& h : r.items) {
    if (!h.required) continue;
    if (h.decision == Decision::Refuted) r.overall = Decision::Refuted;
    else if (h.decision == Decision::Unknown && r.overall == Decision::Proven) r.overall = Decision::Unknown;
  }
  return r;
}

}  // namespace cerval::seasonal
