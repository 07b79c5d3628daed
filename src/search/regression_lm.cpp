#include <cerval/search/regression_lm.hpp>

#include <cerval/numeric/float_matrix.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

namespace cerval::search {

using expr::NodeId;
using expr::Op;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

double midpoint_double(const numeric::Rational& lo, const numeric::Rational& hi) {
  return numeric::to_double_down(lo) / 2 + numeric::to_double_up(hi) / 2;
}

// Derivative of a unary function at a (value v = f(a)).
double unary_derivative(Op op, double a, double v, std::int64_t n) {
  switch (op) {
    case Op::Neg: return -1;
    case Op::Sqr: return 2 * a;
    case Op::Sqrt: return 0.5 / v;
    case Op::Exp: return v;
    case Op::Log: return 1 / a;
    case Op::Sin: return std::cos(a);
    case Op::Cos: return -std::sin(a);
    case Op::Tan: return 1 + v * v;
    case Op::Asin: return 1 / std::sqrt(1 - a * a);
    case Op::Acos: return -1 / std::sqrt(1 - a * a);
    case Op::Atan: return 1 / (1 + a * a);
    case Op::Sinh: return std::cosh(a);
    case Op::Cosh: return std::sinh(a);
    case Op::Tanh: return 1 - v * v;
    case Op::Abs: return a < 0 ? -1 : 1;
    case Op::PowInt: return static_cast<double>(n) * std::pow(a, static_cast<double>(n - 1));
    default: return NAN;
  }
}

double unary_value(Op op, double a, std::int64_t n) {
  switch (op) {
    case Op::Neg: return -a;
    case Op::Sqr: return a * a;
    case Op::Sqrt: return std::sqrt(a);
    case Op::Exp: return std::exp(a);
    case Op::Log: return std::log(a);
    case Op::Sin: return std::sin(a);
    case Op::Cos: return std::cos(a);
    case Op::Tan: return std::tan(a);
    case Op::Asin: return std::asin(a);
    case Op::Acos: return std::acos(a);
    case Op::Atan: return std::atan(a);
    case Op::Sinh: return std::sinh(a);
    case Op::Cosh: return std::cosh(a);
    case Op::Tanh: return std::tanh(a);
    case Op::Abs: return std::fabs(a);
    case Op::PowInt: return std::pow(a, static_cast<double>(n));
    default: return NAN;
  }
}

double halton(std::size_t index, unsigned base) {
  double f = 1, r = 0;
  while (index > 0) {
    f /= base;
    r += f * static_cast<double>(index % base);
    index /= base;
  }
  return r;
}

}  // namespace

FloatResiduals::FloatResiduals(const RegressionSpec& rs) : rs_(&rs), p_(rs.parameter_count()) {
  const expr::ExprGraph& g = rs.model_graph;
  const std::vector<bool> needed = g.reachable({rs.model});
  constants_.assign(rs.model + 1, 0.0);
  for (NodeId id = 0; id <= rs.model; ++id) {
    if (!needed[id]) continue;
    nodes_.push_back(id);
    const expr::Node& n = g.node(id);
    if (n.op == Op::Constant) {
      const auto& c = g.constant_value(static_cast<std::size_t>(n.integer));
      constants_[id] = midpoint_double(c.lower, c.upper);
    } else if (n.op == Op::Pi) {
      constants_[id] = 3.14159265358979323846;
    }
  }
  for (std::size_t i = 0; i < rs.row_count(); ++i) {
    std::vector<double> x;
    for (const auto& v : rs.input_rows[i]) x.push_back(midpoint_double(v, v));
    x_.push_back(std::move(x));
    y_.push_back(observed_value(rs, i));
    sqrt_w_.push_back(rs.weights.empty() ? 1.0 : std::sqrt(midpoint_double(rs.weights[i], rs.weights[i])));
  }
}

bool FloatResiduals::model_row(const std::vector<double>& params, const std::vector<double>& x, double& value,
                               std::vector<double>* gradient, std::vector<double>& val, std::vector<double>& grad) const {
  const expr::ExprGraph& g = rs_->model_graph;
  const std::size_t p = p_;
  const std::size_t count = rs_->model + 1;
  const bool J = gradient != nullptr;
  val.resize(count);
  if (J) grad.resize(count * p);
  for (NodeId id : nodes_) {
    const expr::Node& n = g.node(id);
    double* gi = J ? &grad[id * p] : nullptr;
    if (gi) std::fill(gi, gi + p, 0.0);
    switch (n.op) {
      case Op::Constant:
      case Op::Pi: val[id] = constants_[id]; continue;
      case Op::Variable: {
        const auto v = static_cast<std::size_t>(n.integer);
        if (v < p) {
          val[id] = params[v];
          if (gi) gi[v] = 1;
        } else {
          val[id] = x[v - p];
        }
        continue;
      }
      default: break;
    }
    const double a = val[n.lhs];
    const double* ga = J ? &grad[n.lhs * p] : nullptr;
    if (expr::is_binary(n.op)) {
      const double b = val[n.rhs];
      const double* gb = J ? &grad[n.rhs * p] : nullptr;
      double v = 0, da = 0, db = 0;
      switch (n.op) {
        case Op::Add: v = a + b; da = 1; db = 1; break;
        case Op::Sub: v = a - b; da = 1; db = -1; break;
        case Op::Mul: v = a * b; da = b; db = a; break;
        case Op::Div: v = a / b; da = 1 / b; db = -v / b; break;
        case Op::Min: v = std::min(a, b); da = a <= b; db = a > b; break;
        case Op::Max: v = std::max(a, b); da = a >= b; db = a < b; break;
        case Op::Pow:
          v = std::pow(a, b);
          da = a == 0 ? 0 : b * v / a;
          db = a > 0 ? v * std::log(a) : 0;
          break;
        default: return false;
      }
      val[id] = v;
      if (gi)
        for (std::size_t k = 0; k < p; ++k) gi[k] = (ga[k] != 0 ? da * ga[k] : 0) + (gb[k] != 0 ? db * gb[k] : 0);
    } else {
      const double v = unary_value(n.op, a, n.integer);
      val[id] = v;
      if (gi) {
        const double d = unary_derivative(n.op, a, v, n.integer);
        for (std::size_t k = 0; k < p; ++k) gi[k] = ga[k] != 0 ? d * ga[k] : 0;
      }
    }
  }
  value = val[rs_->model];
  if (J) gradient->assign(grad.begin() + static_cast<std::ptrdiff_t>(rs_->model * p),
                          grad.begin() + static_cast<std::ptrdiff_t>(rs_->model * p + p));
  return std::isfinite(value);
}

double FloatResiduals::model_at(const std::vector<double>& params, const std::vector<double>& inputs) const {
  std::vector<double> val, grad;
  double v = NAN;
  if (!model_row(params, inputs, v, nullptr, val, grad)) return NAN;
  return v;
}

bool FloatResiduals::evaluate(const std::vector<double>& params, std::vector<double>& r, std::vector<double>* J) const {
  const std::size_t p = p_;
  std::vector<double> val, grad, gradient;
  r.assign(y_.size(), 0.0);
  if (J) J->assign(y_.size() * p, 0.0);
  for (std::size_t i = 0; i < y_.size(); ++i) {
    double m = 0;
    if (!model_row(params, x_[i], m, J ? &gradient : nullptr, val, grad)) return false;
    r[i] = sqrt_w_[i] * (y_[i] - m);
    if (!std::isfinite(r[i])) return false;
    if (J)
      for (std::size_t k = 0; k < p; ++k) {
        const double d = -sqrt_w_[i] * gradient[k];
        if (!std::isfinite(d)) return false;
        (*J)[i * p + k] = d;
      }
  }
  return true;
}

double FloatResiduals::loss(const std::vector<double>& params) const {
  std::vector<double> r;
  if (!evaluate(params, r, nullptr)) return kInf;
  double s = 0;
  for (std::size_t i = 0; i < r.size(); ++i) {
    if (rs_->loss == LossKind::MaxAbs) s = std::max(s, std::fabs(r[i]) * sqrt_w_[i]);  // w |y - m|
    else s += r[i] * r[i];
  }
  return s;
}

LevenbergMarquardtResult levenberg_marquardt(const RegressionSpec& rs, const LevenbergMarquardtOptions& options) {
  const auto start_time = std::chrono::steady_clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_time).count(); };
  LevenbergMarquardtResult result;
  const FloatResiduals model(rs);
  const std::size_t p = model.parameters(), m = model.rows();
  const std::vector<numeric::Interval> box = expr::enclose_domains(rs.spec.variables);
  std::vector<double> lo(p), hi(p);
  for (std::size_t k = 0; k < p; ++k) {
    lo[k] = box[k].lower();
    hi[k] = box[k].upper();
  }
  // Sum of squares for the iteration (least squares even for the max-abs
  // loss: its optimum is a good start), the spec's loss for ranking.
  auto sum_of_squares = [&](const std::vector<double>& x, std::vector<double>& r, std::vector<double>* J) {
    if (!model.evaluate(x, r, J)) return kInf;
    double s = 0;
    for (double v : r) s += v * v;
    return s;
  };

  auto start_point = [&](std::size_t s) {
    std::vector<double> x(p);
    static const unsigned primes[] = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53};
    for (std::size_t k = 0; k < p; ++k) {
      double a = lo[k], b = hi[k];
      if (!std::isfinite(a) && !std::isfinite(b)) a = -1, b = 1;
      else if (!std::isfinite(a)) a = b - std::max(1.0, std::fabs(b));
      else if (!std::isfinite(b)) b = a + std::max(1.0, std::fabs(a));
      const double u = s == 0 ? 0.5 : halton(s, primes[k % 16] + static_cast<unsigned>(k / 16) * 59);
      if (a > 0 && b / a > 10) x[k] = std::exp(std::log(a) + u * (std::log(b) - std::log(a)));
      else if (b < 0 && a / b > 10) x[k] = -std::exp(std::log(-b) + (1 - u) * (std::log(-a) - std::log(-b)));
      else x[k] = a + u * (b - a);
      x[k] = std::clamp(x[k], a, b);
    }
    return x;
  };

  std::vector<double> r(m), rn(m), J, A(p * p), g(p);
  // The linear parameters of x set to their least-squares optimum for the
  // others (one Gauss-Newton step, exact for them up to the clamp).
  std::vector<std::size_t> idx;  // the linear parameters, each once, in order
  for (std::size_t k = 0; k < p; ++k)
    if (std::find(options.linear.begin(), options.linear.end(), k) != options.linear.end()) idx.push_back(k);
  const std::size_t k_linear = idx.size();
  auto project_linear = [&](std::vector<double>& x) {
    if (!std::isfinite(sum_of_squares(x, r, &J))) return;
    const std::size_t q = idx.size();
    std::vector<double> N(q * q, 0.0), rhs(q, 0.0);
    for (std::size_t i = 0; i < m; ++i)
      for (std::size_t a = 0; a < q; ++a) {
        rhs[a] -= J[i * p + idx[a]] * r[i];
        for (std::size_t b = 0; b < q; ++b) N[a * q + b] += J[i * p + idx[a]] * J[i * p + idx[b]];
      }
    for (std::size_t a = 0; a < q; ++a) N[a * q + a] *= 1 + 1e-12;
    if (!numeric::solve_in_place(N, rhs, q)) return;
    for (std::size_t a = 0; a < q; ++a)
      if (std::isfinite(rhs[a])) x[idx[a]] = std::clamp(x[idx[a]] + rhs[a], lo[idx[a]], hi[idx[a]]);
  };
  std::vector<std::vector<double>> starts;
  if (k_linear > 0 && k_linear < p && options.screened > options.starts) {
    std::vector<std::pair<double, std::vector<double>>> screened;
    for (std::size_t s = 0; s < options.screened && (s == 0 || elapsed() < options.time_limit_s / 4); ++s) {
      std::vector<double> x = start_point(s);
      project_linear(x);
      const double f = sum_of_squares(x, r, nullptr);
      if (std::isfinite(f)) screened.emplace_back(f, std::move(x));
    }
    std::stable_sort(screened.begin(), screened.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (std::size_t s = 0; s < screened.size() && starts.size() < options.starts; ++s)
      starts.push_back(std::move(screened[s].second));
  }
  for (std::size_t s = 0; starts.size() < options.starts; ++s) starts.push_back(start_point(s));

  std::vector<std::pair<double, std::vector<double>>> ends;
  for (std::size_t s = 0; s < starts.size(); ++s) {
    if (s > 0 && elapsed() > options.time_limit_s) break;
    ++result.starts;
    std::vector<double> x = starts[s];
    double f = sum_of_squares(x, r, &J);
    if (!std::isfinite(f)) continue;
    double lambda = 1e-3;
    std::vector<double> diag(p, 0.0);
    for (std::size_t it = 0; it < options.max_iterations; ++it) {
      ++result.iterations;
      std::fill(A.begin(), A.end(), 0.0);
      std::fill(g.begin(), g.end(), 0.0);
      for (std::size_t i = 0; i < m; ++i)
        for (std::size_t a = 0; a < p; ++a) {
          const double ja = J[i * p + a];
          g[a] += ja * r[i];
          for (std::size_t b = 0; b <= a; ++b) A[a * p + b] += ja * J[i * p + b];
        }
      for (std::size_t a = 0; a < p; ++a) {
        for (std::size_t b = 0; b < a; ++b) A[b * p + a] = A[a * p + b];
        diag[a] = std::max(diag[a], A[a * p + a]);
        if (diag[a] == 0) diag[a] = 1e-30;
      }
      bool accepted = false;
      double change = 0;
      while (!accepted && lambda < 1e20) {
        std::vector<double> M = A, delta(p);
        for (std::size_t a = 0; a < p; ++a) {
          M[a * p + a] += lambda * diag[a];
          delta[a] = -g[a];
        }
        if (!numeric::solve_in_place(M, delta, p)) {
          lambda *= 10;
          continue;
        }
        std::vector<double> y(p);
        for (std::size_t a = 0; a < p; ++a) y[a] = std::clamp(x[a] + delta[a], lo[a], hi[a]);
        std::vector<double> Jn;
        const double fn = sum_of_squares(y, rn, &Jn);
        if (std::isfinite(fn) && fn <= f) {
          change = f - fn;
          bool moved = false;
          for (std::size_t a = 0; a < p; ++a) moved = moved || y[a] != x[a];
          x = y;
          f = fn;
          r.swap(rn);
          J.swap(Jn);
          lambda = std::max(lambda / 5, 1e-15);
          accepted = true;
          if (!moved) change = 0;
        } else {
          lambda *= 4;
        }
      }
      if (!accepted || change <= 1e-15 * f || f == 0) break;
    }
    ends.emplace_back(model.loss(x), x);
  }
  std::sort(ends.begin(), ends.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [fx, x] : ends) {
    if (!std::isfinite(fx)) continue;
    bool distinct = true;
    for (const auto& y : result.local_optima) {
      double d = 0;
      for (std::size_t a = 0; a < p; ++a) d = std::max(d, std::fabs(x[a] - y[a]) / std::max(1e-300, std::fabs(y[a])));
      if (d < 1e-6) distinct = false;
    }
    if (distinct && result.local_optima.size() < 8) result.local_optima.push_back(x);
  }
  if (!ends.empty() && std::isfinite(ends.front().first)) {
    result.point = ends.front().second;
    result.loss = ends.front().first;
  }
  result.time_s = elapsed();
  return result;
}

}  // namespace cerval::search
