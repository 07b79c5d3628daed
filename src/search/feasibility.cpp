// Feasible boxes for equality-constrained problems (feasibility.hpp).
#include <cerval/expr/autodiff.hpp>
#include <cerval/expr/eval.hpp>
#include <cerval/numeric/float_matrix.hpp>
#include <cerval/search/feasibility.hpp>
#include <cerval/search/problem.hpp>

#include <algorithm>
#include <cmath>

namespace cerval::search {

namespace {

using numeric::Interval;

// Values and gradients of `nodes` at a point, in floating point (midpoints
// of rigorous enclosures): heuristics only. False when one is not finite.
bool values_and_gradients(const expr::ExprGraph& graph, const std::vector<expr::NodeId>& nodes,
                          const std::vector<double>& x, std::vector<double>& values, std::vector<double>& gradients) {
  const std::size_t n = x.size();
  std::vector<expr::Dual<Interval>> seeded;
  for (std::size_t i = 0; i < n; ++i) seeded.push_back(expr::Dual<Interval>::variable(Interval(x[i]), i, n));
  expr::Evaluator<expr::Dual<Interval>> ad(graph);
  ad.evaluate(seeded);
  values.assign(nodes.size(), 0);
  gradients.assign(nodes.size() * n, 0);
  for (std::size_t k = 0; k < nodes.size(); ++k) {
    const auto& d = ad.value(nodes[k]);
    if (d.value.is_empty() || !d.value.is_bounded()) return false;
    values[k] = d.value.midpoint();
    for (std::size_t i = 0; i < n; ++i) {
      const Interval g = expr::detail::at(d.grad, i, d.value);
      if (!g.is_bounded() || g.is_empty()) return false;
      gradients[k * n + i] = g.midpoint();
    }
  }
  return true;
}

// m columns of the m x n Jacobian that form a well-conditioned square block:
// Gaussian elimination with complete pivoting.
std::vector<std::size_t> pivot_columns(std::vector<double> j, std::size_t m, std::size_t n) {
  std::vector<std::size_t> chosen;
  std::vector<bool> used_row(m, false), used_col(n, false);
  for (std::size_t step = 0; step < m; ++step) {
    double best = 0;
    std::size_t br = 0, bc = 0;
    for (std::size_t r = 0; r < m; ++r)
      for (std::size_t c = 0; c < n; ++c)
        if (!used_row[r] && !used_col[c] && std::fabs(j[r * n + c]) > best) {
          best = std::fabs(j[r * n + c]);
          br = r;
          bc = c;
        }
    if (best == 0 || !std::isfinite(best)) return {};
    used_row[br] = used_col[bc] = true;
    chosen.push_back(bc);
    for (std::size_t r = 0; r < m; ++r) {
      if (used_row[r]) continue;
      const double factor = j[r * n + bc] / j[br * n + bc];
      for (std::size_t c = 0; c < n; ++c) j[r * n + c] -= factor * j[br * n + c];
    }
  }
  return chosen;
}

}  // namespace

FeasibilityProver::FeasibilityProver(const expr::Spec& spec, expr::NodeId f,
                                     const std::optional<numeric::Rational>& eps_h)
    : spec_(&spec), f_(f) {
  for (const auto& c : spec.constraints) {
    if (c.relation == expr::Relation::Equal && !eps_h) {
      equations_.push_back({c.expr, c.bound});
    } else {
      inequalities_.push_back(c.expr);
      inequality_targets_.push_back(inner_target(c.relation, c.bound, eps_h));
    }
  }
}

std::vector<double> FeasibilityProver::restore(std::vector<double> x) const {
  const expr::ExprGraph& graph = spec_->graph;
  const std::size_t n = x.size();
  const std::vector<Interval> domain = expr::enclose_domains(spec_->variables);
  std::vector<expr::NodeId> nodes;
  for (const auto& e : equations_) nodes.push_back(e.expr);
  nodes.insert(nodes.end(), inequalities_.begin(), inequalities_.end());
  std::vector<double> values, gradients;
  // Coordinates that a step pushed onto a bound of the domain stay there
  // (an active-set projection): otherwise clamping undoes each step.
  std::vector<bool> fixed(n, false);
  for (int iteration = 0; iteration < 16; ++iteration) {
    if (!values_and_gradients(graph, nodes, x, values, gradients)) return x;
    // The active rows: every equality, and each violated inequality aimed a
    // little inside its target.
    std::vector<double> residual, jac;
    for (std::size_t k = 0; k < nodes.size(); ++k) {
      double goal;
      if (k < equations_.size()) {
        goal = numeric::to_double_down(equations_[k].value);
      } else {
        const Interval& t = inequality_targets_[k - equations_.size()];
        const double v = values[k];
        if (t.lower() <= v && v <= t.upper()) continue;
        const double margin = 1e-12 * (1 + std::fabs(v));
        goal = v > t.upper() ? t.upper() - margin : t.lower() + margin;
      }
      residual.push_back(values[k] - goal);
      jac.insert(jac.end(), gradients.begin() + static_cast<std::ptrdiff_t>(k * n),
                 gradients.begin() + static_cast<std::ptrdiff_t>((k + 1) * n));
    }
    const std::size_t m = residual.size();
    double size = 0;
    for (double v : residual) size = std::max(size, std::fabs(v));
    if (m == 0 || size == 0) break;
    // Minimum-norm Newton step x <- x - J^T (J J^T)^{-1} r, kept in the domain.
    std::vector<double> jjt(m * m, 0);
    for (std::size_t k = 0; k < m; ++k)
      for (std::size_t i = 0; i < n; ++i)
        if (fixed[i]) jac[k * n + i] = 0;
    for (std::size_t a = 0; a < m; ++a)
      for (std::size_t b = 0; b < m; ++b)
        for (std::size_t i = 0; i < n; ++i) jjt[a * m + b] += jac[a * n + i] * jac[b * n + i];
    for (std::size_t a = 0; a < m; ++a) jjt[a * m + a] *= 1 + 1e-12;
    if (!numeric::solve_in_place(jjt, residual, m)) return x;
    double change = 0;
    for (std::size_t i = 0; i < n; ++i) {
      double step = 0;
      for (std::size_t k = 0; k < m; ++k) step += jac[k * n + i] * residual[k];
      const double next = std::clamp(x[i] - step, domain[i].lower(), domain[i].upper());
      if (next != x[i] - step) fixed[i] = true;
      change = std::max(change, std::fabs(next - x[i]) / std::max(1.0, std::fabs(x[i])));
      x[i] = next;
    }
    if (change < 1e-15) break;
  }
  return x;
}

std::optional<FeasibleBox> FeasibilityProver::prove_near(const std::vector<double>& candidate) const {
  const expr::ExprGraph& graph = spec_->graph;
  const std::size_t n = candidate.size(), m = equations_.size();
  if (m == 0 || m > n) return std::nullopt;
  const std::vector<double> x = restore(candidate);
  std::vector<expr::NodeId> equation_nodes;
  for (const auto& e : equations_) equation_nodes.push_back(e.expr);
  std::vector<double> h, jac;
  if (!values_and_gradients(graph, equation_nodes, x, h, jac)) return std::nullopt;
  const std::vector<std::size_t> unknowns = pivot_columns(jac, m, n);
  if (unknowns.size() != m) return std::nullopt;

  // Krawczyk on boxes of growing radius around x in the chosen coordinates.
  for (double relative : {1e-12, 1e-10, 1e-8, 1e-6}) {
    std::vector<Interval> box;
    for (double v : x) box.emplace_back(v);
    std::vector<double> lower = x, upper = x;
    for (std::size_t u : unknowns) {
      const double r = relative * std::max(1.0, std::fabs(x[u]));
      lower[u] = x[u] - r;
      upper[u] = x[u] + r;
      box[u] = Interval(lower[u], upper[u]);
    }
    if (!in_exact_domain(*spec_, lower) || !in_exact_domain(*spec_, upper)) continue;
    if (!expr::krawczyk_proves_zero(graph, equations_, box, unknowns)) continue;
    expr::Evaluator<Interval> ev(graph);
    ev.evaluate(box);
    bool inequalities_hold = true;
    for (std::size_t k = 0; k < inequalities_.size() && inequalities_hold; ++k) {
      const Interval v = ev.value(inequalities_[k]);
      inequalities_hold = expr::is_defined_everywhere(ev.decoration(inequalities_[k])) && !v.is_empty() &&
                          inequality_targets_[k].lower() <= v.lower() && v.upper() <= inequality_targets_[k].upper();
    }
    if (!inequalities_hold || !expr::is_defined_everywhere(ev.decoration(f_))) return std::nullopt;
    const Interval objective = ev.value(f_);
    if (objective.is_empty() || !objective.is_bounded()) return std::nullopt;
    return FeasibleBox{std::move(box), x, objective};
  }
  return std::nullopt;
}

}  // namespace cerval::search
