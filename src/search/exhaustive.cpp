#include <cerval/search/exhaustive.hpp>

#include <cerval/expr/autodiff.hpp>

#include <chrono>
#include <cmath>
#include <sstream>

namespace cerval::search {

namespace {

using numeric::Interval;
namespace dr = numeric::detail;
constexpr double kInf = std::numeric_limits<double>::infinity();

// sup |df/dx_i| over the box, rounded up (inf when unbounded or undefined).
std::vector<double> gradient_bounds(const expr::Spec& spec, expr::NodeId f, const std::vector<Interval>& box) {
  const std::size_t n = box.size();
  std::vector<expr::Dual<Interval>> seeded;
  for (std::size_t i = 0; i < n; ++i) seeded.push_back(expr::Dual<Interval>::variable(box[i], i, n));
  expr::Evaluator<expr::Dual<Interval>> ad(spec.graph);
  ad.evaluate_until(seeded, f);
  std::vector<double> bounds(n, kInf);
  if (!expr::is_defined_everywhere(ad.decoration(f))) return bounds;
  for (std::size_t i = 0; i < n; ++i) {
    const Interval g = expr::detail::at(ad.value(f).grad, i, ad.value(f).value);
    bounds[i] = g.is_bounded() ? g.mag() : kInf;
  }
  return bounds;
}

double sum_up(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s = dr::add_up(s, x);
  return s;
}

}  // namespace

std::vector<double> exhaustive_grid(const expr::Spec& spec, expr::NodeId f, double eps, double& lipschitz) {
  const std::vector<Interval> box = expr::enclose_domains(spec.variables);
  const std::vector<double> g = gradient_bounds(spec, f, box);
  lipschitz = sum_up(g);
  std::vector<double> m(box.size(), 1.0);
  for (std::size_t i = 0; i < box.size(); ++i)
    m[i] = std::max(1.0, std::ceil(box[i].width() * lipschitz / (2 * eps)));
  return m;
}

std::string exhaustive_cost_text(const expr::Spec& spec, expr::NodeId f, const SearchOptions& options) {
  double lipschitz = 0;
  const double eps = std::max(options.eps_abs, 1e-300);
  const std::vector<double> m = exhaustive_grid(spec, f, eps, lipschitz);
  if (!std::isfinite(lipschitz)) return "unbounded (no finite Lipschitz bound on the box)";
  double total = 1;
  for (double x : m) total *= x;
  std::ostringstream os;
  os.precision(3);
  os << total;
  return os.str();
}

ExhaustiveResult exhaustive_minimize(const expr::Spec& spec, expr::NodeId f, const SearchOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  ExhaustiveResult r;
  if (!spec.constraints.empty()) {
    r.reason = "the exhaustive method searches a box: the problem has constraints";
    return r;
  }
  const std::vector<Interval> box = expr::enclose_domains(spec.variables);
  const std::size_t n = box.size();
  for (const auto& x : box)
    if (!x.is_bounded()) {
      r.reason = "the box is unbounded (not a searchable, compact space)";
      return r;
    }
  const double eps = std::max(options.eps_abs, 1e-300);
  const std::vector<double> m = exhaustive_grid(spec, f, eps, r.lipschitz);
  if (!std::isfinite(r.lipschitz)) {
    r.reason = "no finite Lipschitz bound of f on the box (f undefined somewhere, or unbounded derivative)";
    return r;
  }
  r.net_points = 1;
  for (double x : m) r.net_points *= x;
  if (r.net_points > static_cast<double>(options.max_boxes)) {
    r.reason = "the delta-net needs more evaluations than --max-boxes allows";
    return r;
  }
  // Centres per coordinate and the covering radius d_i they actually achieve.
  std::vector<std::vector<double>> centers(n);
  std::vector<double> radius(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const auto count = static_cast<std::size_t>(m[i]);
    r.points_per_variable.push_back(count);
    const double lo = box[i].lower(), hi = box[i].upper();
    for (std::size_t k = 0; k < count; ++k) {
      const double t = (static_cast<double>(k) + 0.5) / static_cast<double>(count);
      centers[i].push_back(std::clamp(lo + t * (hi - lo), lo, hi));
    }
    double d = std::max(dr::sub_up(centers[i].front(), lo), dr::sub_up(hi, centers[i].back()));
    for (std::size_t k = 0; k + 1 < count; ++k)
      d = std::max(d, dr::mul_up(dr::sub_up(centers[i][k + 1], centers[i][k]), 0.5));
    radius[i] = d;
  }
  const std::vector<double> g = gradient_bounds(spec, f, box);
  double slack = 0;
  for (std::size_t i = 0; i < n; ++i) slack = dr::add_up(slack, dr::mul_up(g[i], radius[i]));

  std::vector<std::size_t> index(n, 0);
  std::vector<Interval> point(n);
  expr::Evaluator<Interval> ev(spec.graph);
  double best_lower = kInf;
  for (bool done = false; !done;) {
    std::vector<double> x(n);
    for (std::size_t i = 0; i < n; ++i) {
      x[i] = centers[i][index[i]];
      point[i] = Interval(x[i]);
    }
    ev.evaluate_until(point, f);
    const Interval v = ev.value(f);
    best_lower = std::min(best_lower, v.lower());
    if (v.upper() < r.upper && in_exact_domain(spec, x)) {
      r.upper = v.upper();
      r.witness = x;
    }
    done = true;
    for (std::size_t i = 0; i < n; ++i) {
      if (++index[i] < centers[i].size()) {
        done = false;
        break;
      }
      index[i] = 0;
    }
  }
  r.lower = dr::sub_down(best_lower, slack);
  r.completed = true;
  r.time_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return r;
}

}  // namespace cerval::search
