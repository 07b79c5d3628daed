#include <cerval/numeric/float_matrix.hpp>
#include <cerval/search/box_bounder.hpp>

#include <algorithm>
#include <cmath>

namespace cerval::search {

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();

// True when candidate is a strictly better bound on the side the search needs.
bool better(const Interval& candidate, const Interval& incumbent, Side side) {
  if (candidate.is_empty()) return false;
  if (incumbent.is_empty()) return true;
  return side == Side::Lower ? candidate.lower() > incumbent.lower() : candidate.upper() < incumbent.upper();
}
}  // namespace

Interval cutoff_target(Side side, double cutoff) {
  return side == Side::Lower ? Interval(-kInf, cutoff) : Interval(cutoff, kInf);
}

double simplest_dyadic(double a, double b) {
  if (a <= 0 && 0 <= b) return 0.0;
  if (b < 0) return -simplest_dyadic(-b, -a);
  // 0 < a <= b: the multiple of the largest power of two that fits in [a, b].
  if (!(a <= b) || !std::isfinite(a) || !std::isfinite(b)) return a;
  int e = 0;
  std::frexp(b, &e);  // 2^(e-1) <= b < 2^e; start at 2^(e-1), which is finite
  for (double p = std::ldexp(1.0, e - 1);; p /= 2) {
    const double m = std::floor(b / p) * p;  // exact: p is a power of two
    if (m >= a && m > 0) return m;
    if (p == 0) return a;
  }
}

std::vector<double> default_resolution(const Box& root_box) {
  std::vector<double> r;
  // Capped, so that huge domains ([-1e100, 1e100] in IBEX's files) can still
  // be searched down to boxes of width 1e-9 around the minimisers.
  for (const auto& x : root_box) r.push_back(x.is_bounded() ? 1e-12 * std::min(x.width(), 1e3) : 0.0);
  return r;
}

bool choose_split(const Box& tree_box, const BoxBound& b, const std::vector<double>& resolution, int& variable,
                  double& point) {
  double best = -1;
  variable = -1;
  for (std::size_t i = 0; i < tree_box.size(); ++i) {
    const Interval& c = b.box[i];
    double m = c.midpoint();
    if (c.is_bounded() && !c.is_point()) {
      // Prefer the simplest binary number in the middle half: tight points of
      // claims and minimisers sit at simple numbers (0, 1, 1/2) far more often
      // than anywhere else, and a split exactly there lets monotonicity close
      // both sides. Each split still removes at least a quarter of the width.
      const double quarter = c.upper() / 4 - c.lower() / 4;  // no overflow near the largest doubles
      m = simplest_dyadic(c.lower() + quarter, c.upper() - quarter);
      if (!(c.lower() < m && m < c.upper())) m = c.midpoint();
    }
    if (c.is_point() || !(tree_box[i].lower() < m && m < tree_box[i].upper())) continue;
    const double w = c.width();
    // Relative resolution: below this a split gains nothing a search can use.
    if (w <= 1e-15 * std::max(1.0, std::fabs(m)) || w <= resolution[i]) continue;
    double g = i < b.gradient.size() ? b.gradient[i].mag() : kInf;
    if (!std::isfinite(g)) g = 1e300;
    const double score = std::isfinite(w) ? std::max(g * w, w * 1e-300) : kInf;
    if (score > best) {
      best = score;
      variable = static_cast<int>(i);
      point = m;
    }
  }
  return variable >= 0;
}

namespace {
void copy_leaf(ProofNode& p, const BoxBound& b, LeafKind kind) {
  p.kind = kind;
  p.form = b.form;
  p.contract = b.contracted;
  p.cutoff = b.cutoff;
  p.center = b.center;
  p.multipliers = b.multipliers;
  p.projection = b.projection;
  p.boundary.clear();
  for (const FaceBound& f : b.boundary) {
    ProofFace face{f.constraint, f.variable, f.upper, {}};
    copy_leaf(face.leaf, f.bound, f.bound.infeasible ? LeafKind::Infeasible : LeafKind::Proven);
    p.boundary.push_back(std::move(face));
  }
}
}  // namespace

void record_leaf(ProofTree& tree, std::uint32_t node, const BoxBound& b, LeafKind kind) {
  copy_leaf(tree.nodes[node], b, kind);
}

Children split_node(ProofTree& tree, std::uint32_t node, Box tree_box, int variable, double point) {
  Children c;
  c.lower_id = tree.add();
  c.upper_id = tree.add();
  ProofNode& p = tree.nodes[node];
  p.split_variable = variable;
  p.split_point = point;
  p.children[0] = c.lower_id;
  p.children[1] = c.upper_id;
  c.lower = tree_box;
  c.upper = std::move(tree_box);
  const auto v = static_cast<std::size_t>(variable);
  c.lower[v] = Interval(c.lower[v].lower(), point);
  c.upper[v] = Interval(point, c.upper[v].upper());
  return c;
}

BoxBounder::BoxBounder(const expr::ExprGraph& graph, expr::NodeId f,
                       std::vector<expr::ContractorConstraint> constraints, std::vector<Interval> inner_targets)
    : graph_(&graph), f_(f), constraints_(std::move(constraints)), inner_targets_(std::move(inner_targets)) {
  for (const auto& c : constraints_) last_constraint_node_ = std::max(last_constraint_node_, c.expr);
  squares_ = expr::squared_terms(graph, f);
  rational_ = expr::rational_loss(graph, f);
  if (rational_) rational_kept_inactive_.assign(rational_->clamps.size(), false);
}

void BoxBounder::set_exact_constraints(const std::vector<expr::ConstraintBound>& constraints) {
  if (rational_) rational_kept_inactive_ = expr::clamps_kept_inactive(*graph_, *rational_, constraints);
}

std::vector<expr::ConstraintBound> exact_constraints(const std::vector<expr::Comparison>& comparisons) {
  std::vector<expr::ConstraintBound> exact;
  for (const auto& c : comparisons) exact.push_back({c.expr, c.relation, c.bound});
  return exact;
}

BoxBound BoxBounder::bound(const Box& tree_box, Side side, std::optional<double> cutoff, bool try_taylor) const {
  BoxBound r;
  r.box = tree_box;
  std::vector<expr::ContractorConstraint> contraction = constraints_;
  // Contracting with the cut-off also removes points where f is undefined,
  // which would be unsound for a claim about f: use it only where f is
  // defined on the whole box.
  if (cutoff && expr::is_defined_everywhere(expr::evaluate<Interval>(*graph_, f_, tree_box).decoration))
    contraction.push_back({f_, cutoff_target(side, *cutoff)});
  else
    cutoff.reset();
  r.cutoff = cutoff;
  if (!contraction.empty()) {
    r.contracted = true;
    const expr::Hc4Contractor hc4(*graph_, std::move(contraction));
    if (!hc4.contract(r.box)) {
      r.infeasible = true;
      return r;
    }
  }
  // Constraints on the contracted box: infeasible, or certainly satisfied.
  r.certainly_feasible = true;
  if (!constraints_.empty()) {
    expr::Evaluator<Interval> ev(*graph_);
    ev.evaluate_until(r.box, last_constraint_node_);
    for (const auto& c : constraints_) {
      const Interval v = ev.value(c.expr);
      if (intersect(v, c.target).is_empty()) {
        r.infeasible = true;
        return r;
      }
      if (!(c.target.contains(v) && expr::is_defined_everywhere(ev.decoration(c.expr)))) r.certainly_feasible = false;
    }
  }
  // First order: one AD pass gives the natural extension and the gradient.
  const std::size_t n = r.box.size();
  std::vector<expr::Dual<Interval>> seeded;
  seeded.reserve(n);
  for (std::size_t i = 0; i < n; ++i) seeded.push_back(expr::Dual<Interval>::variable(r.box[i], i, n));
  expr::Evaluator<expr::Dual<Interval>> ad(*graph_);
  ad.evaluate_until(seeded, f_);
  const auto& d = ad.value(f_);
  r.decoration = ad.decoration(f_);
  r.enclosure = d.value;
  r.form = expr::Form::Natural;
  r.gradient.resize(n);
  bool some_sign_known = false;
  for (std::size_t i = 0; i < n; ++i) {
    r.gradient[i] = expr::detail::at(d.grad, i, d.value);
    some_sign_known = some_sign_known || r.gradient[i].certainly_ge(0.0) || r.gradient[i].certainly_le(0.0);
  }
  if (r.enclosure.is_empty()) return r;
  // Mean-value form about the centre, reusing the gradient; the graph at
  // the centre serves the Gauss-Newton form's expansion point too.
  const std::vector<double> center = expr::default_center(r.box);
  expr::Evaluator<Interval> at_center(*graph_);
  at_center.evaluate_until(expr::detail::degenerate_box(center, r.box), f_);
  {
    const Interval mv = expr::mean_value_enclosure(at_center.value(f_), d.grad, d.value, r.box, center);
    if (better(mv, r.enclosure, side)) {
      r.enclosure = mv;
      r.form = expr::Form::MeanValue;
      r.center = center;
    }
  }
  if (some_sign_known) {
    const auto mono = expr::monotone_form<Interval>(*graph_, f_, r.box);
    if (better(mono.enclosure, r.enclosure, side)) {
      r.enclosure = mono.enclosure;
      r.form = expr::Form::Monotone;
      r.center.clear();
    }
  }
  // The forms are tried cheapest first; once the bound settles the box
  // (beyond the cut-off: the search discards it), the costlier ones (and the
  // Lagrangian's below) are skipped, and the certificate leaf names the
  // cheap form, which is cheaper for the checker to re-prove too.
  const bool defined = expr::is_defined_everywhere(r.decoration);
  auto settled = [&] {
    return cutoff && defined && (side == Side::Lower ? r.enclosure.lower() > *cutoff : r.enclosure.upper() < *cutoff);
  };
  if (squares_ && side == Side::Lower && !settled()) {
    const std::vector<double> z = expr::least_squares_form_center(*graph_, f_, *squares_, ad, at_center, r.box);
    const auto q = expr::least_squares_form<Interval>(*graph_, f_, *squares_, ad, r.box, z);
    if (better(q.enclosure, r.enclosure, side)) {
      r.enclosure = q.enclosure;
      r.form = expr::Form::GaussNewton;
      r.center = z;
    }
  }
  if (rational_ && side == Side::Lower && !settled()) {
    const std::vector<double> z = expr::rational_form_center(*graph_, f_, *rational_, r.box);
    const auto q = expr::rational_form<Interval>(*graph_, f_, *rational_, rational_kept_inactive_, r.box, z);
    if (better(q.enclosure, r.enclosure, side)) {
      r.enclosure = q.enclosure;
      r.form = expr::Form::Rational;
      r.center = z;
    }
  }
  if (try_taylor && !settled()) {
    const auto t = expr::taylor2_form<Interval>(*graph_, f_, r.box, center);
    if (better(t.enclosure, r.enclosure, side)) {
      r.enclosure = t.enclosure;
      r.form = expr::Form::Taylor2;
      r.center = center;
    }
  }
  if (lagrangian_graph_ && !r.certainly_feasible && !settled()) {
    const expr::ExprGraph& g = *lagrangian_graph_;
    const auto l = try_taylor ? expr::taylor2_form<Interval>(g, lagrangian_, r.box, center)
                              : expr::mean_value_form<Interval>(g, lagrangian_, r.box, center);
    if (expr::is_defined_everywhere(l.decoration) && better(l.enclosure, r.enclosure, side)) {
      r.enclosure = l.enclosure;
      r.form = try_taylor ? expr::Form::Taylor2 : expr::Form::MeanValue;
      r.center = center;
      r.multipliers = multipliers_;
    }
    // Claims tight at a vertex of the box (a split point) need L's
    // monotonicity: its value at the vertex is then computed exactly.
    const auto mono = expr::monotone_form<Interval>(g, lagrangian_, r.box);
    if (expr::is_defined_everywhere(mono.decoration) && better(mono.enclosure, r.enclosure, side)) {
      r.enclosure = mono.enclosure;
      r.form = expr::Form::Monotone;
      r.center.clear();
      r.multipliers = multipliers_;
    }
  }
  return r;
}

void BoxBounder::set_multipliers(const std::vector<expr::ConstraintTerm>& terms, std::vector<double> multipliers,
                                 Side side, bool equalities_relaxed) {
  bool any = false;
  for (std::size_t k = 0; k < multipliers.size() && k < terms.size(); ++k) {
    if (!expr::multiplier_admissible(multipliers[k], terms[k].relation, side == Side::Lower, equalities_relaxed))
      multipliers[k] = 0;
    any = any || multipliers[k] != 0;
  }
  if (!any || multipliers.size() != terms.size()) {
    lagrangian_graph_.reset();
    multipliers_.clear();
    return;
  }
  if (!lagrangian_graph_) lagrangian_graph_ = std::make_shared<expr::ExprGraph>(*graph_);
  lagrangian_ = expr::add_lagrangian(*lagrangian_graph_, f_, terms, multipliers);
  multipliers_ = std::move(multipliers);
}

std::vector<expr::ConstraintTerm> constraint_terms(const expr::Spec& spec) {
  std::vector<expr::ConstraintTerm> terms;
  for (const auto& c : spec.constraints) terms.push_back({c.expr, c.relation, c.bound});
  return terms;
}

std::vector<double> estimate_multipliers(const expr::ExprGraph& graph, expr::NodeId f,
                                         const std::vector<expr::ConstraintTerm>& terms, const std::vector<double>& x,
                                         const Box& domain) {
  const std::size_t n = x.size();
  std::vector<expr::Dual<Interval>> seeded;
  for (std::size_t i = 0; i < n; ++i) seeded.push_back(expr::Dual<Interval>::variable(Interval(x[i]), i, n));
  expr::Evaluator<expr::Dual<Interval>> ad(graph);
  ad.evaluate(seeded);
  auto gradient = [&](expr::NodeId id, std::vector<double>& g) {
    const auto& d = ad.value(id);
    g.assign(n, 0);
    for (std::size_t i = 0; i < n; ++i) {
      const Interval gi = expr::detail::at(d.grad, i, d.value);
      if (!gi.is_bounded() || gi.is_empty()) return false;
      g[i] = gi.midpoint();
    }
    return true;
  };
  std::vector<double> gf;
  if (!gradient(f, gf)) return {};
  std::vector<std::size_t> active;
  std::vector<std::vector<double>> columns;
  for (std::size_t k = 0; k < terms.size(); ++k) {
    const Interval v = ad.value(terms[k].expr).value;
    if (v.is_empty() || !v.is_bounded()) continue;
    const double b = numeric::to_double_down(terms[k].bound);
    const bool is_active =
        terms[k].relation == expr::Relation::Equal || std::fabs(v.midpoint() - b) <= 1e-6 * (1 + std::fabs(b));
    std::vector<double> g;
    if (is_active && gradient(terms[k].expr, g)) {
      active.push_back(k);
      columns.push_back(std::move(g));
    }
  }
  std::vector<double> multipliers(terms.size(), 0.0);
  const std::size_t m = active.size();
  if (m == 0) return multipliers;
  // Stationarity only in the coordinates not held at a bound of the domain.
  std::vector<bool> free(n, true);
  for (std::size_t i = 0; i < n && i < domain.size(); ++i) {
    // Near a bound, with f decreasing towards it: the bound is active.
    const double tolerance = 1e-3 * (domain[i].is_bounded() ? domain[i].width() : 1 + std::fabs(x[i]));
    free[i] = !((x[i] - domain[i].lower() <= tolerance && gf[i] > 0) ||
                (domain[i].upper() - x[i] <= tolerance && gf[i] < 0));
  }
  // Normal equations (A^T A) l = -A^T grad f, lightly regularised.
  std::vector<double> ata(m * m, 0), rhs(m, 0);
  for (std::size_t a = 0; a < m; ++a) {
    for (std::size_t i = 0; i < n; ++i)
      if (free[i]) rhs[a] -= columns[a][i] * gf[i];
    for (std::size_t b = 0; b < m; ++b)
      for (std::size_t i = 0; i < n; ++i)
        if (free[i]) ata[a * m + b] += columns[a][i] * columns[b][i];
    ata[a * m + a] *= 1 + 1e-12;
  }
  if (!numeric::solve_in_place(ata, rhs, m)) return multipliers;
  // The simplest binary number within a relative 1e-6 of each estimate:
  // exact KKT multipliers are simple numbers far more often than not, and a
  // claim tight at a point is provable only with the exact one.
  for (std::size_t a = 0; a < m; ++a)
    if (std::isfinite(rhs[a])) {
      const double slack = 1e-6 * std::fabs(rhs[a]);
      multipliers[active[a]] = simplest_dyadic(rhs[a] - slack, rhs[a] + slack);
    }
  return multipliers;
}

bool BoxBounder::point_feasible(const std::vector<double>& point) const {
  if (constraints_.empty()) return true;
  Box box;
  for (double v : point) box.push_back(Interval(v));
  expr::Evaluator<Interval> ev(*graph_);
  ev.evaluate_until(box, last_constraint_node_);
  for (std::size_t j = 0; j < constraints_.size(); ++j) {
    const auto& c = constraints_[j];
    if (!expr::is_defined_everywhere(ev.decoration(c.expr)) || !inner_targets_[j].contains(ev.value(c.expr)))
      return false;
  }
  return true;
}

Interval BoxBounder::value_at(const std::vector<double>& point) const {
  Box box;
  for (double v : point) box.push_back(Interval(v));
  const auto e = expr::evaluate<Interval>(*graph_, f_, box);
  return expr::is_defined_everywhere(e.decoration) ? e.value : Interval::entire();
}

}  // namespace cerval::search
