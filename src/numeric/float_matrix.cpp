// Dense floating-point linear algebra (float_matrix.hpp).
#include <cerval/numeric/float_matrix.hpp>

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

}  // namespace cerval::numeric
