#include <cerval/seasonal/perron.hpp>

#include <cerval/seasonal/detail/number.hpp>

#include <algorithm>
#include <cmath>
#include <optional>
#include <stdexcept>

namespace cerval::seasonal {

bool strongly_connected(std::size_t n, const std::function<bool(std::size_t, std::size_t)>& edge) {
  for (int direction = 0; direction < 2; ++direction) {
    std::vector<bool> seen(n, false);
    std::vector<std::size_t> stack{0};
    seen[0] = true;
    while (!stack.empty()) {
      const std::size_t u = stack.back();
      stack.pop_back();
      for (std::size_t v = 0; v < n; ++v)
        if (!seen[v] && (direction == 0 ? edge(u, v) : edge(v, u))) {
          seen[v] = true;
          stack.push_back(v);
        }
    }
    if (std::find(seen.begin(), seen.end(), false) != seen.end()) return false;
  }
  return true;
}

using numeric::Interval;
using numeric::MpInterval;

namespace {

template <class I>
bool finite(const I& x) {
  return !x.is_empty() && std::isfinite(detail::lower_double(x)) && std::isfinite(detail::upper_double(x));
}

// Divides every entry by the largest one (a point), keeping points.
template <class I>
bool normalise(std::vector<I>& v) {
  I big = make_point(v.front(), 0.0);
  for (const I& x : v) big = max(big, x);
  if (!big.certainly_gt(0.0) || !finite(big)) return false;
  const I d = detail::center_point(big);
  for (I& x : v) x = detail::center_point(x / d);
  return true;
}

}  // namespace

template <class I>
std::vector<I> approximate_perron_vector(const Matrix<I>& m) {
  const std::size_t n = m.n;
  const I& like = m.a.front();
  std::vector<I> ones(n, make_point(like, 1.0));
  Matrix<I> s = m;
  for (I& v : s.a) {
    if (!finite(v)) return ones;
    v = detail::center_point(max(v, make_point(like, 0.0)));
  }
  if (!normalise(s.a)) return ones;
  auto row_sums = [&](const Matrix<I>& x) {
    std::vector<I> r;
    r.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
      I t = x(i, 0);
      for (std::size_t j = 1; j < n; ++j) t += x(i, j);
      r.push_back(detail::center_point(t));
    }
    return r;
  };
  std::vector<I> x = row_sums(s);
  if (!normalise(x)) return ones;
  const long bits = detail::precision_bits(like);
  const double tol = std::ldexp(1.0, -static_cast<int>(std::min<long>(bits - 4, 1000)));
  for (int k = 0; k < 64; ++k) {
    Matrix<I> s2 = s * s;
    for (I& v : s2.a) v = detail::center_point(v);
    if (!normalise(s2.a)) break;
    s = std::move(s2);
    std::vector<I> y = row_sums(s);
    if (!normalise(y)) break;
    double change = 0;
    for (std::size_t i = 0; i < n; ++i) change = std::max(change, detail::upper_double(abs(y[i] - x[i])));
    x = std::move(y);
    if (change <= tol) break;
  }
  const I tiny = make_point(like, tol);
  for (I& v : x)
    if (!v.certainly_ge(detail::lower_double(tiny))) v = tiny;
  return x;
}

template <class I>
I perron_root(const Matrix<I>& m) {
  if (!is_nonnegative(m)) throw std::invalid_argument("perron_root: an entry is not certainly >= 0");
  const std::size_t n = m.n;
  const std::vector<I> x = approximate_perron_vector(m);
  std::optional<I> lo, hi;
  for (std::size_t i = 0; i < n; ++i) {
    I l = lower_endpoint(m(i, 0)) * x[0];
    I u = upper_endpoint(m(i, 0)) * x[0];
    for (std::size_t j = 1; j < n; ++j) {
      l += lower_endpoint(m(i, j)) * x[j];
      u += upper_endpoint(m(i, j)) * x[j];
    }
    const I lq = lower_endpoint(l / x[i]);
    const I uq = upper_endpoint(u / x[i]);
    lo = lo ? min(*lo, lq) : lq;
    hi = hi ? max(*hi, uq) : uq;
  }
  return join_bounds(*lo, *hi);
}

template std::vector<Interval> approximate_perron_vector(const Matrix<Interval>&);
template std::vector<MpInterval> approximate_perron_vector(const Matrix<MpInterval>&);
template Interval perron_root(const Matrix<Interval>&);
template MpInterval perron_root(const Matrix<MpInterval>&);

}  // namespace cerval::seasonal
