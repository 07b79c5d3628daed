#pragma once
// Forward-mode automatic differentiation over interval types.
//
// Dual<I> carries an enclosure of a function's value and of its gradient over
// a box; HessianDual<I> adds the Hessian. Seeding variable i of n with
// `variable(x_i, i, n)` and evaluating with the one Evaluator gives, at every
// node, enclosures of the partial derivatives over the whole box.
//
// Guarantee: where the node's function is differentiable on the box, the
// gradient enclosure contains every gradient at points of the box (and the
// Hessian enclosure every Hessian). At kinks of abs, min and max the first
// derivative enclosure is the hull of the one-sided derivatives, which
// contains Clarke's generalised gradient, so the mean-value theorem (Lebourg)
// and monotonicity tests stay valid for these locally Lipschitz functions; the
// second derivative there is unbounded (entire), so second-order forms fall
// back to no information rather than a wrong one.
#include <cerval/expr/eval.hpp>

#include <vector>

namespace cerval::expr {

// Value, first and second derivative enclosures of a unary function at u:
// the chain rule of both AD types is written once on top of this.
template <class I>
struct UnaryJet {
  I value, first, second;
};

template <class I>
UnaryJet<I> unary_jet(Op op, const I& u, long n) {
  // Exact small constants at u's precision.
  const I zero = make_point(u, 0.0), one = make_point(u, 1.0), two = make_point(u, 2.0);
  const I entire = entire_like(u);
  switch (op) {
    case Op::Neg: return {-u, -one, zero};
    case Op::Sqr: { return {sqr(u), two * u, two}; }
    case Op::Sqrt: {
      const I v = sqrt(u);
      const I d1 = one / (two * v);
      return {v, d1, -(d1 / (two * u))};
    }
    case Op::Exp: { const I v = exp(u); return {v, v, v}; }
    case Op::Log: { const I inv = one / u; return {log(u), inv, -sqr(inv)}; }
    case Op::Sin: { const I v = sin(u); return {v, cos(u), -v}; }
    case Op::Cos: { const I v = cos(u); return {v, -sin(u), -v}; }
    case Op::Tan: { const I v = tan(u); const I d1 = one + sqr(v); return {v, d1, two * v * d1}; }
    case Op::Asin: {
      const I d1 = one / sqrt((one - u) * (one + u));
      return {asin(u), d1, u * pow(d1, 3)};
    }
    case Op::Acos: {
      const I d1 = one / sqrt((one - u) * (one + u));
      return {acos(u), -d1, -(u * pow(d1, 3))};
    }
    case Op::Atan: { const I d1 = one / (one + sqr(u)); return {atan(u), d1, -(two * u * sqr(d1))}; }
    case Op::Sinh: { const I v = sinh(u); return {v, cosh(u), v}; }
    case Op::Cosh: { const I v = cosh(u); return {v, sinh(u), v}; }
    case Op::Tanh: { const I v = tanh(u); const I d1 = one - sqr(v); return {v, d1, -(two * v * d1)}; }
    case Op::Abs: {
      if (u.certainly_ge(0.0)) return {u, one, zero};
      if (u.certainly_le(0.0)) return {-u, -one, zero};
      return {abs(u), hull(-one, one), entire};
    }
    case Op::PowInt: {
      if (n == 0) return {pow(u, 0L), zero, zero};
      const I nn = make_point(u, static_cast<double>(n));
      const I d1 = nn * pow(u, n - 1);
      const I d2 = n == 1 ? zero : nn * (nn - one) * pow(u, n - 2);
      return {pow(u, n), d1, d2};
    }
    default: throw std::logic_error("unary_jet: not a unary operation");
  }
}

// Value and gradient enclosures. A gradient shorter than the variable count
// is padded with zeros: constants carry an empty gradient.
template <class I>
struct Dual {
  I value;
  std::vector<I> grad;

  Dual() = default;
  explicit Dual(I v) : value(std::move(v)) {}
  // Variable i of n: value x, derivative e_i.
  static Dual variable(const I& x, std::size_t i, std::size_t n) {
    Dual d(x);
    d.grad.assign(n, make_point(x, 0.0));
    d.grad[i] = make_point(x, 1.0);
    return d;
  }
};

template <class I>
const I& value_interval(const Dual<I>& d) { return d.value; }

namespace detail {
// Entry i of a derivative vector, zero (at the precision of `like`) past its end.
template <class I>
I at(const std::vector<I>& v, std::size_t i, const I& like) { return i < v.size() ? v[i] : make_point(like, 0.0); }
// ca * a + cb * b, componentwise.
template <class I>
std::vector<I> combine(const std::vector<I>& a, const I& ca, const std::vector<I>& b, const I& cb) {
  const std::size_t n = std::max(a.size(), b.size());
  std::vector<I> r;
  r.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (i < a.size() && i < b.size()) r.push_back(ca * a[i] + cb * b[i]);
    else if (i < a.size()) r.push_back(ca * a[i]);
    else r.push_back(cb * b[i]);
  }
  return r;
}
// a + b (or a - b), componentwise: no multiplication by the exact 1 or -1.
template <class I>
std::vector<I> add(const std::vector<I>& a, const std::vector<I>& b, bool subtract) {
  const std::size_t n = std::max(a.size(), b.size());
  std::vector<I> r;
  r.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (i < a.size() && i < b.size()) r.push_back(subtract ? a[i] - b[i] : a[i] + b[i]);
    else if (i < a.size()) r.push_back(a[i]);
    else r.push_back(subtract ? -b[i] : b[i]);
  }
  return r;
}
template <class I>
std::vector<I> scaled(const std::vector<I>& a, const I& c) {
  std::vector<I> r;
  r.reserve(a.size());
  for (const I& x : a) r.push_back(c * x);
  return r;
}
template <class I>
std::vector<I> hull_each(const std::vector<I>& a, const std::vector<I>& b) {
  const std::size_t n = std::max(a.size(), b.size());
  std::vector<I> r;
  r.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (i < a.size() && i < b.size()) r.push_back(hull(a[i], b[i]));
    else if (i < a.size()) r.push_back(hull(a[i], make_point(a[i], 0.0)));
    else r.push_back(hull(b[i], make_point(b[i], 0.0)));
  }
  return r;
}
}  // namespace detail

template <class I>
Dual<I> chain(const Dual<I>& u, const UnaryJet<I>& j) {
  Dual<I> r(j.value);
  r.grad = detail::scaled(u.grad, j.first);
  return r;
}

template <class I> Dual<I> operator+(const Dual<I>& a, const Dual<I>& b) {
  Dual<I> r(a.value + b.value);
  r.grad = detail::add(a.grad, b.grad, false);
  return r;
}
template <class I> Dual<I> operator-(const Dual<I>& a, const Dual<I>& b) {
  Dual<I> r(a.value - b.value);
  r.grad = detail::add(a.grad, b.grad, true);
  return r;
}
template <class I> Dual<I> operator-(const Dual<I>& a) {
  Dual<I> r(-a.value);
  r.grad.reserve(a.grad.size());
  for (const I& g : a.grad) r.grad.push_back(-g);
  return r;
}
template <class I> Dual<I> operator*(const Dual<I>& a, const Dual<I>& b) {
  Dual<I> r(a.value * b.value);
  r.grad = detail::combine(a.grad, b.value, b.grad, a.value);
  return r;
}
template <class I> Dual<I> operator/(const Dual<I>& a, const Dual<I>& b) {
  const I q = a.value / b.value;
  const I inv = make_point(b.value, 1.0) / b.value;
  Dual<I> r(q);
  r.grad = detail::combine(a.grad, inv, b.grad, -(q * inv));
  return r;
}
template <class I> Dual<I> min(const Dual<I>& a, const Dual<I>& b) {
  const I d = a.value - b.value;
  if (d.certainly_le(0.0)) return a;
  if (d.certainly_ge(0.0)) return b;
  Dual<I> r(min(a.value, b.value));
  r.grad = detail::hull_each(a.grad, b.grad);
  return r;
}
template <class I> Dual<I> max(const Dual<I>& a, const Dual<I>& b) { return -min(-a, -b); }
template <class I> Dual<I> pow(const Dual<I>& a, const Dual<I>& b) { return exp(b * log(a)); }
template <class I> Dual<I> pow(const Dual<I>& u, long n) { return chain(u, unary_jet(Op::PowInt, u.value, n)); }

// Value, gradient and Hessian enclosures (Hessian stored dense, row-major).
template <class I>
struct HessianDual {
  I value;
  std::vector<I> grad;
  std::vector<I> hess;  // n*n entries, or empty for zero

  HessianDual() = default;
  explicit HessianDual(I v) : value(std::move(v)) {}
  static HessianDual variable(const I& x, std::size_t i, std::size_t n) {
    HessianDual d(x);
    d.grad.assign(n, make_point(x, 0.0));
    d.grad[i] = make_point(x, 1.0);
    return d;
  }
  // Entry (i, j) of the Hessian for n variables.
  I hessian(std::size_t i, std::size_t j, std::size_t n) const { return detail::at(hess, i * n + j, value); }
};

template <class I>
const I& value_interval(const HessianDual<I>& d) { return d.value; }

namespace detail {
// ca * ha + cb * hb + cg * (ga gb^T + gb ga^T), n = gradient length.
// Hessians are symmetric, and entry (j, i) is computed by the same exact
// operations as (i, j) in another order of commutative operands (correctly
// rounded, so bit for bit the same): the upper triangle is mirrored.
template <class I>
std::vector<I> hessian_combine(const HessianDual<I>& a, const I& ca, const HessianDual<I>& b, const I& cb,
                               const I& cg) {
  const std::size_t n = std::max(a.grad.size(), b.grad.size());
  const bool outer = !a.grad.empty() && !b.grad.empty();
  if (a.hess.empty() && b.hess.empty() && !outer) return {};
  const I& z = a.value;
  std::vector<I> h(n * n, make_point(z, 0.0));
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = i; j < n; ++j) {
      I v = ca * at(a.hess, i * n + j, z) + cb * at(b.hess, i * n + j, z);
      if (outer) v = v + cg * (at(a.grad, i, z) * at(b.grad, j, z) + at(b.grad, i, z) * at(a.grad, j, z));
      if (j != i) h[j * n + i] = v;
      h[i * n + j] = std::move(v);
    }
  return h;
}
}  // namespace detail

template <class I>
HessianDual<I> chain(const HessianDual<I>& u, const UnaryJet<I>& j) {
  // (f o u)'' = f''(u) grad u grad u^T + f'(u) hess u
  HessianDual<I> r(j.value);
  r.grad = detail::scaled(u.grad, j.first);
  const std::size_t n = u.grad.size();
  if (n == 0) return r;
  r.hess.assign(n * n, make_point(u.value, 0.0));
  for (std::size_t a = 0; a < n; ++a)
    for (std::size_t b = a; b < n; ++b) {  // symmetric: see hessian_combine
      I v = j.second * (u.grad[a] * u.grad[b]) + j.first * detail::at(u.hess, a * n + b, u.value);
      if (b != a) r.hess[b * n + a] = v;
      r.hess[a * n + b] = std::move(v);
    }
  return r;
}

template <class I> HessianDual<I> operator+(const HessianDual<I>& a, const HessianDual<I>& b) {
  HessianDual<I> r(a.value + b.value);
  r.grad = detail::add(a.grad, b.grad, false);
  r.hess = detail::add(a.hess, b.hess, false);
  return r;
}
template <class I> HessianDual<I> operator-(const HessianDual<I>& a) {
  HessianDual<I> r(-a.value);
  r.grad = detail::add({}, a.grad, true);
  r.hess = detail::add({}, a.hess, true);
  return r;
}
template <class I> HessianDual<I> operator-(const HessianDual<I>& a, const HessianDual<I>& b) {
  HessianDual<I> r(a.value - b.value);
  r.grad = detail::add(a.grad, b.grad, true);
  r.hess = detail::add(a.hess, b.hess, true);
  return r;
}
template <class I> HessianDual<I> operator*(const HessianDual<I>& a, const HessianDual<I>& b) {
  HessianDual<I> r(a.value * b.value);
  r.grad = detail::combine(a.grad, b.value, b.grad, a.value);
  r.hess = detail::hessian_combine(a, b.value, b, a.value, make_point(a.value, 1.0));
  return r;
}
template <class I> HessianDual<I> operator/(const HessianDual<I>& a, const HessianDual<I>& b) {
  // a * (1/b), with 1/v having derivatives -1/v^2 and 2/v^3.
  const I inv = make_point(b.value, 1.0) / b.value;
  return a * chain(b, UnaryJet<I>{inv, -sqr(inv), make_point(inv, 2.0) * pow(inv, 3L)});
}
template <class I> HessianDual<I> min(const HessianDual<I>& a, const HessianDual<I>& b) {
  const I d = a.value - b.value;
  if (d.certainly_le(0.0)) return a;
  if (d.certainly_ge(0.0)) return b;
  // A kink inside the box: no second-order information.
  HessianDual<I> r(min(a.value, b.value));
  r.grad = detail::hull_each(a.grad, b.grad);
  r.hess.assign(r.grad.size() * r.grad.size(), entire_like(a.value));
  return r;
}
template <class I> HessianDual<I> max(const HessianDual<I>& a, const HessianDual<I>& b) { return -min(-a, -b); }
template <class I> HessianDual<I> pow(const HessianDual<I>& a, const HessianDual<I>& b) { return exp(b * log(a)); }
template <class I> HessianDual<I> pow(const HessianDual<I>& u, long n) {
  return chain(u, unary_jet(Op::PowInt, u.value, n));
}

#define CERVAL_AD_UNARY(name, op)                                                   \
  template <class I> Dual<I> name(const Dual<I>& u) {                               \
    return chain(u, unary_jet(Op::op, u.value, 0));                                 \
  }                                                                                 \
  template <class I> HessianDual<I> name(const HessianDual<I>& u) {                 \
    return chain(u, unary_jet(Op::op, u.value, 0));                                 \
  }
CERVAL_AD_UNARY(sqr, Sqr)
CERVAL_AD_UNARY(sqrt, Sqrt)
CERVAL_AD_UNARY(exp, Exp)
CERVAL_AD_UNARY(log, Log)
CERVAL_AD_UNARY(sin, Sin)
CERVAL_AD_UNARY(cos, Cos)
CERVAL_AD_UNARY(tan, Tan)
CERVAL_AD_UNARY(asin, Asin)
CERVAL_AD_UNARY(acos, Acos)
CERVAL_AD_UNARY(atan, Atan)
CERVAL_AD_UNARY(sinh, Sinh)
CERVAL_AD_UNARY(cosh, Cosh)
CERVAL_AD_UNARY(tanh, Tanh)
CERVAL_AD_UNARY(abs, Abs)
#undef CERVAL_AD_UNARY

template <class I>
struct NumberFactory<Dual<I>> {
  NumberFactory<I> inner;
  Dual<I> constant(const ConstantValue& c) const { return Dual<I>(inner.constant(c)); }
  Dual<I> pi() const { return Dual<I>(inner.pi()); }
};

template <class I>
struct NumberFactory<HessianDual<I>> {
  NumberFactory<I> inner;
  HessianDual<I> constant(const ConstantValue& c) const { return HessianDual<I>(inner.constant(c)); }
  HessianDual<I> pi() const { return HessianDual<I>(inner.pi()); }
};

}  // namespace cerval::expr
