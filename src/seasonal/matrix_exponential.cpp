#include <cerval/seasonal/matrix_exponential.hpp>

#include <cerval/seasonal/detail/number.hpp>

#include <cmath>
#include <stdexcept>

namespace cerval::seasonal {

using numeric::Interval;
using numeric::MpInterval;

template <class I>
Matrix<I> constant_matrix(std::size_t n, const I& like, double v) {
  Matrix<I> m;
  m.n = n;
  m.a.reserve(n * n);
  for (std::size_t k = 0; k < n * n; ++k) m.a.push_back(make_point(like, v));
  return m;
}

template <class I>
Matrix<I> identity_matrix(std::size_t n, const I& like) {
  Matrix<I> m = constant_matrix(n, like, 0.0);
  for (std::size_t i = 0; i < n; ++i) m(i, i) = make_point(like, 1.0);
  return m;
}

template <class I>
Matrix<I> operator*(const Matrix<I>& x, const Matrix<I>& y) {
  const std::size_t n = x.n;
  Matrix<I> r;
  r.n = n;
  r.a.reserve(n * n);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) {
      I s = x(i, 0) * y(0, j);
      for (std::size_t k = 1; k < n; ++k) s += x(i, k) * y(k, j);
      r.a.push_back(std::move(s));
    }
  return r;
}

template <class I>
Matrix<I> operator+(const Matrix<I>& x, const Matrix<I>& y) {
  Matrix<I> r;
  r.n = x.n;
  r.a.reserve(x.a.size());
  for (std::size_t k = 0; k < x.a.size(); ++k) r.a.push_back(x.a[k] + y.a[k]);
  return r;
}

template <class I>
Matrix<I> operator-(const Matrix<I>& x, const Matrix<I>& y) {
  Matrix<I> r;
  r.n = x.n;
  r.a.reserve(x.a.size());
  for (std::size_t k = 0; k < x.a.size(); ++k) r.a.push_back(x.a[k] - y.a[k]);
  return r;
}

template <class I>
Matrix<I> scale(const Matrix<I>& x, const I& c) {
  Matrix<I> r;
  r.n = x.n;
  r.a.reserve(x.a.size());
  for (const I& v : x.a) r.a.push_back(v * c);
  return r;
}

template <class I>
Matrix<I> hull(const Matrix<I>& x, const Matrix<I>& y) {
  Matrix<I> r;
  r.n = x.n;
  r.a.reserve(x.a.size());
  for (std::size_t k = 0; k < x.a.size(); ++k) r.a.push_back(hull(x.a[k], y.a[k]));
  return r;
}

template <class I>
bool is_metzler(const Matrix<I>& a) {
  for (std::size_t i = 0; i < a.n; ++i)
    for (std::size_t j = 0; j < a.n; ++j)
      if (i != j && !a(i, j).certainly_ge(0.0)) return false;
  return true;
}

template <class I>
bool is_nonnegative(const Matrix<I>& a) {
  for (const I& v : a.a)
    if (!v.certainly_ge(0.0)) return false;
  return true;
}

template <class I>
Matrix<I> expm_nonnegative(const Matrix<I>& q) {
  if (!is_nonnegative(q)) throw std::invalid_argument("expm_nonnegative: an entry is not certainly >= 0");
  const std::size_t n = q.n;
  const I& like = q.a.front();
  const I zero = make_point(like, 0.0);
  const I one = make_point(like, 1.0);
  // Infinity norm, rounded up.
  double norm = 0;
  for (std::size_t i = 0; i < n; ++i) {
    I row = zero;
    for (std::size_t j = 0; j < n; ++j) row += upper_endpoint(q(i, j));
    norm = std::max(norm, detail::upper_double(row));
  }
  if (!std::isfinite(norm)) throw std::domain_error("expm_nonnegative: unbounded matrix");
  int s = 0;
  double scaled = norm;
  while (scaled > 0.5) {
    scaled /= 2;
    ++s;
  }
  if (s > 1000) throw std::domain_error("expm_nonnegative: matrix norm too large");
  const I factor = make_point(like, std::ldexp(1.0, -s));
  const Matrix<I> qs = scale(q, factor);
  // Taylor degree: the remainder bound q^{N+1}/(N+1)! below 2^-(bits + 8).
  const long bits = detail::precision_bits(like);
  const double target = std::ldexp(1.0, -static_cast<int>(std::min<long>(bits + 8, 1000)));
  int degree = 1;
  double term = scaled;
  while (degree < 400 && term / (degree + 1) * scaled >= target) {
    ++degree;
    term = term * scaled / degree;
  }
  if (scaled == 0) degree = 1;
  // Horner: H = I + Q/1 (I + Q/2 (I + ... (I + Q/N))).
  const Matrix<I> id = identity_matrix(n, like);
  Matrix<I> h = id;
  for (int k = degree; k >= 1; --k) h = id + scale(qs * h, one / make_point(like, static_cast<double>(k)));
  // Remainder entries in [0, q^{N+1}/(N+1)! / (1 - q/(N+2))], q = ||Q/2^s|| <= 1/2.
  const I qn = make_point(like, scaled);  // exact: norm / 2^s
  I fact = one;
  for (int k = 2; k <= degree + 1; ++k) fact *= make_point(like, static_cast<double>(k));
  const I rem = pow(qn, static_cast<long>(degree + 1)) / fact / (one - qn / make_point(like, degree + 2.0));
  const I rem_box = join_bounds(zero, upper_endpoint(rem));
  for (I& v : h.a) v += rem_box;
  for (int k = 0; k < s; ++k) h = h * h;
  return h;
}

template <class I>
Matrix<I> expm_metzler(const Matrix<I>& a, const I& t) {
  if (!t.certainly_ge(0.0)) throw std::invalid_argument("expm_metzler: t must be >= 0");
  if (!is_metzler(a)) throw std::invalid_argument("expm_metzler: the matrix is not certainly Metzler");
  const std::size_t n = a.n;
  const I& like = a.a.front();
  I c = make_point(like, 0.0);
  for (std::size_t i = 0; i < n; ++i) c = max(c, -lower_endpoint(a(i, i)));
  c = upper_endpoint(c);
  Matrix<I> p = a;
  for (std::size_t i = 0; i < n; ++i) p(i, i) = max(a(i, i) + c, make_point(like, 0.0));
  bool point = t.is_point();
  for (const I& v : p.a) point = point && v.is_point();
  Matrix<I> lo, hi;
  if (point) {
    lo = expm_nonnegative(scale(p, t));
    hi = lo;
  } else {
    Matrix<I> plo = p, phi = p;
    for (std::size_t k = 0; k < p.a.size(); ++k) {
      plo.a[k] = lower_endpoint(p.a[k]);
      phi.a[k] = upper_endpoint(p.a[k]);
    }
    lo = expm_nonnegative(scale(plo, lower_endpoint(t)));
    hi = expm_nonnegative(scale(phi, upper_endpoint(t)));
  }
  const I f = exp(-(c * t));
  Matrix<I> r;
  r.n = n;
  r.a.reserve(n * n);
  for (std::size_t k = 0; k < n * n; ++k) r.a.push_back(f * join_bounds(lo.a[k], hi.a[k]));
  return r;
}

#define CERVAL_SEASONAL_INSTANTIATE(I)                                          \
  template Matrix<I> constant_matrix(std::size_t, const I&, double);            \
  template Matrix<I> identity_matrix(std::size_t, const I&);                    \
  template Matrix<I> operator*(const Matrix<I>&, const Matrix<I>&);             \
  template Matrix<I> operator+(const Matrix<I>&, const Matrix<I>&);             \
  template Matrix<I> operator-(const Matrix<I>&, const Matrix<I>&);             \
  template Matrix<I> scale(const Matrix<I>&, const I&);                         \
  template Matrix<I> hull(const Matrix<I>&, const Matrix<I>&);                  \
  template bool is_metzler(const Matrix<I>&);                                   \
  template bool is_nonnegative(const Matrix<I>&);                               \
  template Matrix<I> expm_nonnegative(const Matrix<I>&);                        \
  template Matrix<I> expm_metzler(const Matrix<I>&, const I&);
CERVAL_SEASONAL_INSTANTIATE(Interval)
CERVAL_SEASONAL_INSTANTIATE(MpInterval)
#undef CERVAL_SEASONAL_INSTANTIATE

}  // namespace cerval::seasonal
