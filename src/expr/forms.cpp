#include <cerval/expr/forms.hpp>

#include <cmath>

#include <stdexcept>

namespace cerval::expr {

const char* to_string(Form f) {
  switch (f) {
    case Form::Natural: return "natural";
    case Form::MeanValue: return "mean_value";
    case Form::Taylor2: return "taylor2";
    case Form::Monotone: return "monotone";
    case Form::Rational: return "rational";
    case Form::GaussNewton: return "gauss_newton";
  }
  return "?";
}

Form form_from_string(const std::string& name) {
  if (name == "natural") return Form::Natural;
  if (name == "mean_value") return Form::MeanValue;
  if (name == "taylor2") return Form::Taylor2;
  if (name == "monotone") return Form::Monotone;
  if (name == "rational") return Form::Rational;
  if (name == "gauss_newton") return Form::GaussNewton;
  throw std::invalid_argument("unknown bounding form '" + name + "'");
}

namespace detail {

std::vector<double> symmetric_eigenvalues(std::vector<double> a, std::size_t n) {
  for (int sweep = 0; sweep < 50; ++sweep) {
    double off = 0;
    for (std::size_t p = 0; p < n; ++p)
      for (std::size_t q = p + 1; q < n; ++q) off += a[p * n + q] * a[p * n + q];
    if (!std::isfinite(off)) return {};
    if (off == 0) break;
    for (std::size_t p = 0; p < n; ++p)
      for (std::size_t q = p + 1; q < n; ++q) {
        const double apq = a[p * n + q];
        if (apq == 0) continue;
        // The rotation that zeroes a[p][q] (Golub & Van Loan, Alg. 8.4.1).
        const double theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        const double t = (theta >= 0 ? 1.0 : -1.0) / (std::fabs(theta) + std::sqrt(theta * theta + 1));
        const double c = 1 / std::sqrt(t * t + 1), s = t * c;
        for (std::size_t k = 0; k < n; ++k) {  // columns p, q
          const double akp = a[k * n + p], akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (std::size_t k = 0; k < n; ++k) {  // rows p, q
          const double apk = a[p * n + k], aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
      }
  }
  std::vector<double> eigen(n);
  for (std::size_t i = 0; i < n; ++i) eigen[i] = a[i * n + i];
  return eigen;
}

}  // namespace detail

std::vector<double> default_center(const std::vector<numeric::Interval>& box) {
  std::vector<double> c;
  c.reserve(box.size());
  for (const auto& x : box) c.push_back(x.midpoint());
  return c;
}

}  // namespace cerval::expr
