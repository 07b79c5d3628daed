#include <cerval/seasonal/periodic.hpp>

#include <cerval/expr/autodiff.hpp>
#include <cerval/expr/eval.hpp>
#include <cerval/numeric/float_matrix.hpp>
#include <cerval/numeric/interval.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace cerval::seasonal {

using numeric::Interval;

namespace {

// Point evaluation of a season's right-hand side through the one evaluator
// (degenerate intervals, centre taken: a numerical value, not a bound).
class Field {
 public:
  explicit Field(const SeasonalSpec& spec) : spec_(spec), ev_(spec.base.graph) {
    const auto p = expr::evaluate<Interval>(spec.base.graph, spec.period, std::vector<Interval>(spec.dimension()));
    period_ = p.value.midpoint();
  }
  double period() const { return period_; }

  void operator()(const Season& s, const std::vector<double>& x, std::vector<double>& dx) {
    const std::size_t n = x.size();
    vars_.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      if (!std::isfinite(x[i])) throw std::overflow_error("diverged");
      vars_[i] = Interval(x[i]);
    }
    ev_.evaluate(vars_);
    dx.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      const Interval& v = ev_.value(s.rhs[i]);
      if (v.is_empty() || !v.is_bounded()) throw std::overflow_error("undefined");
      dx[i] = v.midpoint();
    }
  }

 private:
  const SeasonalSpec& spec_;
  expr::Evaluator<Interval> ev_;
  std::vector<Interval> vars_;
  double period_ = 1;
};

void rk4(Field& f, const Season& s, std::vector<double>& x, double duration, int steps) {
  if (duration <= 0) return;
  const double h = duration / steps;
  const std::size_t n = x.size();
  std::vector<double> k1, k2, k3, k4, y(n);
  for (int k = 0; k < steps; ++k) {
    f(s, x, k1);
    for (std::size_t i = 0; i < n; ++i) y[i] = x[i] + h / 2 * k1[i];
    f(s, y, k2);
    for (std::size_t i = 0; i < n; ++i) y[i] = x[i] + h / 2 * k2[i];
    f(s, y, k3);
    for (std::size_t i = 0; i < n; ++i) y[i] = x[i] + h * k3[i];
    f(s, y, k4);
    for (std::size_t i = 0; i < n; ++i) x[i] += h / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
  }
}

// max over the seasons and the points 0 and K of the largest row sum of |DF|
// (a heuristic step-size scale; the integration is not certified anyway).
double lipschitz_estimate(const SeasonalSpec& spec) {
  using D = expr::Dual<Interval>;
  const std::size_t n = spec.dimension();
  double L = 0;
  for (int corner = 0; corner < 2; ++corner) {
    std::vector<D> vars;
    for (std::size_t i = 0; i < n; ++i)
      vars.push_back(D::variable(corner == 0 ? Interval(0.0) : Interval::enclose(spec.region_upper[i]), i, n));
    expr::Evaluator<D> ev(spec.base.graph);
    ev.evaluate(vars);
    for (const Season* s : {&spec.unfavourable, &spec.favourable})
      for (std::size_t i = 0; i < n; ++i) {
        double row = 0;
        const D& d = ev.value(s->rhs[i]);
        for (const Interval& g : d.grad) row += g.is_empty() ? 0.0 : g.mag();
        if (std::isfinite(row)) L = std::max(L, row);
      }
  }
  return L;
}

struct PeriodMap {
  Field field;
  const SeasonalSpec& spec;
  double theta;
  int steps_u, steps_f;

  PeriodMap(const SeasonalSpec& s, double th) : field(s), spec(s), theta(th) {
    // Steps so that h L <= 1/4, L a Lipschitz estimate (the largest row sum
    // of |DF| at 0 and at K), at least 100 per period, at most 4000 per season.
    const double T = field.period();
    const double L = lipschitz_estimate(s);
    auto steps = [&](double duration) {
      const double want = std::max(100 * duration / T, 4 * duration * L);
      return static_cast<int>(std::clamp(std::ceil(want), 8.0, 4000.0));
    };
    steps_u = steps(theta * T);
    steps_f = steps((1 - theta) * T);
  }
  std::vector<double> to_switch(std::vector<double> x) {
    rk4(field, spec.unfavourable, x, theta * field.period(), steps_u);
    return x;
  }
  std::vector<double> operator()(std::vector<double> x) {
    x = to_switch(std::move(x));
    rk4(field, spec.favourable, x, (1 - theta) * field.period(), steps_f);
    return x;
  }
};

double distance(const std::vector<double>& a, const std::vector<double>& b) {
  double d = 0;
  for (std::size_t i = 0; i < a.size(); ++i) d = std::max(d, std::abs(a[i] - b[i]));
  return d;
}

}  // namespace

PeriodicSolution periodic_solution(const SeasonalSpec& spec, double theta) {
  PeriodicSolution out;
  out.theta = theta;
  const std::size_t n = spec.dimension();
  try {
    PeriodMap phi(spec, theta);
    out.steps_per_period = phi.steps_u + phi.steps_f;
    std::vector<std::vector<double>> starts;
    for (double f : {1.0, 0.5, 0.01}) {
      std::vector<double> x;
      for (std::size_t i = 0; i < n; ++i) x.push_back(f * spec.region_upper[i].convert_to<double>());
      starts.push_back(x);
    }
    // Iterate from the first start, then Newton.
    std::vector<double> x = starts.front();
    for (int k = 0; k < 20; ++k) x = phi(x);
    for (int it = 0; it < 30; ++it) {
      const std::vector<double> px = phi(x);
      std::vector<double> r(n);
      for (std::size_t i = 0; i < n; ++i) r[i] = px[i] - x[i];
      out.residual = distance(px, x);
      if (out.residual < 1e-13 * (1 + distance(x, std::vector<double>(n, 0.0)))) break;
      std::vector<double> jac(n * n);
      for (std::size_t c = 0; c < n; ++c) {
        std::vector<double> y = x;
        const double h = 1e-7 * std::max(1.0, std::abs(x[c]));
        y[c] += h;
        const std::vector<double> py = phi(y);
        for (std::size_t i = 0; i < n; ++i) jac[i * n + c] = (py[i] - px[i]) / h - (i == c ? 1.0 : 0.0);
      }
      for (double& v : r) v = -v;
      if (!numeric::solve_in_place(jac, r, n)) break;
      for (std::size_t i = 0; i < n; ++i) x[i] += r[i];
    }
    out.residual = distance(phi(x), x);
    out.at_start = x;
    out.at_switch = phi.to_switch(x);
    double scale = 0;
    for (double v : x) scale = std::max(scale, std::abs(v));
    out.converged = out.residual <= 1e-9 * std::max(1.0, scale);
    for (const auto& s : starts) {
      ConvergenceRun run;
      run.initial = s;
      std::vector<double> y = s;
      int done = 0;
      for (int target : {1, 2, 5, 10, 20, 50}) {
        for (; done < target; ++done) y = phi(y);
        run.periods.push_back(target);
        run.distance.push_back(distance(y, x));
      }
      out.runs.push_back(run);
    }
    out.detail = out.converged ? "Newton on the period map converged (numerical, not certified)"
                               : "the period map iteration did not converge";
  } catch (const std::exception& e) {
    out.converged = false;
    out.detail = std::string("numerical integration failed: ") + e.what();
  }
  return out;
}

std::vector<std::pair<double, std::vector<double>>> sample_period(const SeasonalSpec& spec, double theta,
                                                                   const std::vector<double>& x0, int samples) {
  std::vector<std::pair<double, std::vector<double>>> out;
  Field field(spec);
  const double T = field.period();
  std::vector<double> x = x0;
  out.emplace_back(0.0, x);
  const double dt = T / samples;
  double t = 0;
  for (int k = 0; k < samples; ++k) {
    const double t1 = t + dt;
    const double sw = theta * T;
    if (t < sw && t1 > sw) {
      rk4(field, spec.unfavourable, x, sw - t, 4);
      rk4(field, spec.favourable, x, t1 - sw, 4);
    } else {
      rk4(field, t < sw ? spec.unfavourable : spec.favourable, x, dt, 4);
    }
    t = t1;
    out.emplace_back(t, x);
  }
  return out;
}

}  // namespace cerval::seasonal
