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

// Values h_k(x) - b_k and the Jacobian (row-major m x n) at a point, in
// floating point (midpoints of rigorous enclosures): heuristics only.
bool residual_and_jacobian(const expr::ExprGraph& graph, const std::vector<expr::Equation>& equations,
                           const std::vector<double>& x, std::vector<double>& residual, std::vector<double>& jacobian) {
  const std::size_t n = x.size(), m = equations.size();
  std::vector<expr::Dual<Interval>> seeded;
  for (std::size_t i = 0; i < n; ++i) seeded.push_back(expr::Dual<Interval>::variable(Interval(x[i]), i, n));
  expr::Evaluator<expr::Dual<Interval>> ad(graph);
  ad.evaluate(seeded);
  residual.assign(m, 0);
  jacobian.assign(m * n, 0);
  for (std::size_t k = 0; k < m; ++k) {
    const auto& d = ad.value(equations[k].expr);
    if (d.value.is_empty() || !d.value.is_bounded()) return false;
    residual[k] = d.value.midpoint() - numeric::to_double_down(equations[k].value);
    for (std::size_t i = 0; i < n; ++i) {
      const Interval g = expr::detail::at(d.grad, i, d.value);
      if (!g.is_bounded()) return false;
      jacobian[k * n + i] = g.midpoint();
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

std::optional<FeasibleBox> FeasibilityProver::prove_near(const std::vector<double>& candidate) const {
  const expr::ExprGraph& graph = spec_->graph;
  const std::size_t n = candidate.size(), m = equations_.size();
  if (m == 0 || m > n) return std::nullopt;
  const std::vector<Interval> domain = expr::enclose_domains(spec_->variables);

  // Minimum-norm Newton steps x <- x - J^T (J J^T)^{-1} h(x), kept in the domain.
  std::vector<double> x = candidate, h, jac;
  for (int iteration = 0; iteration < 12; ++iteration) {
    if (!residual_and_jacobian(graph, equations_, x, h, jac)) return std::nullopt;
    double size = 0;
    for (double v : h) size = std::max(size, std::fabs(v));
    if (size == 0) break;
    std::vector<double> jjt(m * m, 0);
    for (std::size_t a = 0; a < m; ++a)
      for (std::size_t b = 0; b < m; ++b)
        for (std::size_t i = 0; i < n; ++i) jjt[a * m + b] += jac[a * n + i] * jac[b * n + i];
    std::vector<double> z = h;
    if (!numeric::solve_in_place(jjt, z, m)) return std::nullopt;
    double change = 0;
    for (std::size_t i = 0; i < n; ++i) {
      double step = 0;
      for (std::size_t k = 0; k < m; ++k) step += jac[k * n + i] * z[k];
      const double next = std::clamp(x[i] - step, domain[i].lower(), domain[i].upper());
      change = std::max(change, std::fabs(next - x[i]) / std::max(1.0, std::fabs(x[i])));
      x[i] = next;
    }
    if (change < 1e-15) break;
  }
  if (!residual_and_jacobian(graph, equations_, x, h, jac)) return std::nullopt;
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
