// Dense floating-point linear algebra (float_matrix.hpp).
#include <cerval/numeric/float_matrix.hpp>

#include <algorithm>
#include <cmath>
#include <utility>

namespace cerval::numeric {

namespace {

// Index of the row at or below `col` with the largest |a[row][col]|.
std::size_t pivot_row(const std::vector<double>& a, std::size_t m, std::size_t col) {
  std::size_t pivot = col;
  for (std::size_t r = col + 1; r < m; ++r)
    if (std::fabs(a[r * m + col]) > std::fabs(a[pivot * m + col])) pivot = r;
  return pivot;
}

}  // namespace

bool solve_in_place(std::vector<double> a, std::vector<double>& rhs, std::size_t m) {
  for (std::size_t col = 0; col < m; ++col) {
    const std::size_t pivot = pivot_row(a, m, col);
    if (a[pivot * m + col] == 0 || !std::isfinite(a[pivot * m + col])) return false;
    for (std::size_t k = 0; k < m; ++k) std::swap(a[pivot * m + k], a[col * m + k]);
    std::swap(rhs[pivot], rhs[col]);
    for (std::size_t r = col + 1; r < m; ++r) {
      const double factor = a[r * m + col] / a[col * m + col];
      for (std::size_t k = col; k < m; ++k) a[r * m + k] -= factor * a[col * m + k];
      rhs[r] -= factor * rhs[col];
    }
  }
  for (std::size_t i = m; i-- > 0;) {
    for (std::size_t k = i + 1; k < m; ++k) rhs[i] -= a[i * m + k] * rhs[k];
    rhs[i] /= a[i * m + i];
  }
  for (double v : rhs)
    if (!std::isfinite(v)) return false;
  return true;
}

std::vector<double> cholesky_lower(const std::vector<double>& a, std::size_t m, double min_relative_pivot) {
  if (a.size() != m * m) return {};
  std::vector<double> l(m * m, 0.0);
  for (std::size_t j = 0; j < m; ++j) {
    double pivot = a[j * m + j];
    for (std::size_t q = 0; q < j; ++q) pivot -= l[j * m + q] * l[j * m + q];
    if (!(pivot > 0) || !(pivot > min_relative_pivot * a[j * m + j]) || !std::isfinite(pivot)) return {};
    l[j * m + j] = std::sqrt(pivot);
    for (std::size_t i = j + 1; i < m; ++i) {
      double v = a[i * m + j];
      for (std::size_t q = 0; q < j; ++q) v -= l[i * m + q] * l[j * m + q];
      l[i * m + j] = v / l[j * m + j];
    }
  }
  return l;
}

std::vector<double> approximate_inverse(std::vector<double> a, std::size_t m) {
  std::vector<double> inv(m * m, 0.0);
  for (std::size_t i = 0; i < m; ++i) inv[i * m + i] = 1.0;
  for (std::size_t col = 0; col < m; ++col) {
    const std::size_t pivot = pivot_row(a, m, col);
    const double p = a[pivot * m + col];
    if (p == 0 || !std::isfinite(p)) return {};
    for (std::size_t k = 0; k < m; ++k) {
      std::swap(a[pivot * m + k], a[col * m + k]);
      std::swap(inv[pivot * m + k], inv[col * m + k]);
    }
    for (std::size_t k = 0; k < m; ++k) {
      a[col * m + k] /= p;
      inv[col * m + k] /= p;
    }
    for (std::size_t r = 0; r < m; ++r) {
      if (r == col) continue;
      const double factor = a[r * m + col];
      if (factor == 0) continue;
      for (std::size_t k = 0; k < m; ++k) {
        a[r * m + k] -= factor * a[col * m + k];
        inv[r * m + k] -= factor * inv[col * m + k];
      }
    }
  }
  for (double v : inv)
    if (!std::isfinite(v)) return {};
  return inv;
}

std::vector<double> least_squares_on_box(const std::vector<double>& weights, const std::vector<double>& offsets,
                                         const std::vector<double>& rows, const std::vector<double>& lower,
                                         const std::vector<double>& upper) {
  const std::size_t n = lower.size(), count = weights.size();
  std::vector<double> start(n);
  for (std::size_t j = 0; j < n; ++j) start[j] = std::clamp(0.0, lower[j], upper[j]);
  if (offsets.size() != count || rows.size() != count * n || upper.size() != n) return start;
  // Scaled coordinates t: d = start + scale t, lo <= t <= hi.
  std::vector<double> lo(n), hi(n), scale(n);
  for (std::size_t j = 0; j < n; ++j) {
    const double width = upper[j] - lower[j];
    scale[j] = width > 0 && std::isfinite(width) ? width : 0.0;
    lo[j] = scale[j] > 0 ? (lower[j] - start[j]) / scale[j] : 0.0;
    hi[j] = scale[j] > 0 ? (upper[j] - start[j]) / scale[j] : 0.0;
  }
  std::vector<double> hessian(n * n, 0.0);
  for (std::size_t i = 0; i < count; ++i)
    for (std::size_t j = 0; j < n; ++j)
      for (std::size_t m = 0; m < n; ++m)
        hessian[j * n + m] += 2 * weights[i] * rows[i * n + j] * scale[j] * rows[i * n + m] * scale[m];
  auto gradient_at = [&](const std::vector<double>& t) {
    std::vector<double> gradient(n, 0.0);
    for (std::size_t i = 0; i < count; ++i) {
      double residual = offsets[i];
      for (std::size_t j = 0; j < n; ++j) residual += rows[i * n + j] * (start[j] + scale[j] * t[j]);
      for (std::size_t j = 0; j < n; ++j) gradient[j] += 2 * weights[i] * residual * rows[i * n + j] * scale[j];
    }
    return gradient;
  };
  // A Newton step on the free coordinates, cut at the first bound it meets
  // (which becomes active); at a minimum on the free set, the active
  // coordinate whose gradient points inside the most is released; stop when
  // none does.
  std::vector<double> t(n, 0.0);
  std::vector<int> active(n, 0);  // -1 at lo, +1 at hi, 0 free
  for (std::size_t j = 0; j < n; ++j)
    if (scale[j] == 0) active[j] = -1;
  for (int iteration = 0; iteration < 8 * static_cast<int>(n) + 8; ++iteration) {
    std::vector<double> gradient = gradient_at(t);
    std::vector<std::size_t> free;
    for (std::size_t j = 0; j < n; ++j)
      if (active[j] == 0) free.push_back(j);
    bool moved = false;
    if (!free.empty()) {
      std::vector<double> step(free.size());
      std::vector<double> h(free.size() * free.size());
      for (std::size_t r = 0; r < free.size(); ++r) {
        step[r] = -gradient[free[r]];
        for (std::size_t c = 0; c < free.size(); ++c) h[r * free.size() + c] = hessian[free[r] * n + free[c]];
      }
      if (!solve_in_place(h, step, free.size())) break;
      double alpha = 1.0;
      std::size_t blocking = n;
      for (std::size_t r = 0; r < free.size(); ++r) {
        const std::size_t j = free[r];
        if (!std::isfinite(step[r])) return start;
        const double limit = step[r] > 0 ? (hi[j] - t[j]) / step[r] : step[r] < 0 ? (lo[j] - t[j]) / step[r] : 1.0;
        if (limit < alpha) {
          alpha = std::max(limit, 0.0);
          blocking = j;
        }
      }
      for (std::size_t r = 0; r < free.size(); ++r)
        t[free[r]] = std::clamp(t[free[r]] + alpha * step[r], lo[free[r]], hi[free[r]]);
      if (blocking < n) {
        t[blocking] =
            step[std::find(free.begin(), free.end(), blocking) - free.begin()] > 0 ? hi[blocking] : lo[blocking];
        active[blocking] = t[blocking] == hi[blocking] ? 1 : -1;
        moved = true;
      }
    }
    if (moved) continue;
    gradient = gradient_at(t);
    std::size_t release = n;
    double most = 0;
    for (std::size_t j = 0; j < n; ++j) {
      if (active[j] == 0 || scale[j] == 0) continue;
      const double inward = active[j] < 0 ? -gradient[j] : gradient[j];
      if (inward > most) {
        most = inward;
        release = j;
      }
    }
    if (release == n) break;
    active[release] = 0;
  }
  std::vector<double> d(n);
  for (std::size_t j = 0; j < n; ++j) d[j] = std::clamp(start[j] + scale[j] * t[j], lower[j], upper[j]);
  return d;
}

}  // namespace cerval::numeric
