#include <cerval/seasonal/monodromy.hpp>

#include <cerval/expr/autodiff.hpp>
#include <cerval/expr/diagnostics.hpp>
#include <cerval/expr/eval.hpp>
#include <cerval/seasonal/detail/number.hpp>
#include <cerval/seasonal/perron.hpp>

#include <cmath>
#include <stdexcept>
#include <string>

namespace cerval::seasonal {

using numeric::Interval;
using numeric::MpInterval;

namespace {

template <class I>
Linearisation<I> linearise_at(const SeasonalSpec& spec, expr::NumberFactory<I> factory, const I& zero) {
  const std::size_t n = spec.dimension();
  const auto& graph = spec.base.graph;
  std::vector<expr::Dual<I>> vars;
  vars.reserve(n);
  for (std::size_t i = 0; i < n; ++i) vars.push_back(expr::Dual<I>::variable(zero, i, n));
  expr::Evaluator<expr::Dual<I>> ev(graph, expr::NumberFactory<expr::Dual<I>>{factory});
  ev.evaluate(vars);
  auto jacobian = [&](const Season& s, const char* name) {
    Matrix<I> a = constant_matrix(n, zero, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
      const auto& d = ev.value(s.rhs[i]);
      for (std::size_t j = 0; j < n; ++j) {
        I g = j < d.grad.size() ? d.grad[j] : zero;
        if (g.is_empty() || !std::isfinite(detail::lower_double(g)) || !std::isfinite(detail::upper_double(g)) ||
            ev.decoration(s.rhs[i]) < expr::Decoration::dac)
          throw expr::InputError(s.where, std::string("the Jacobian of the ") + name + " season at 0 is not bounded "
                                          "(the right-hand side of " + spec.states[i] +
                                          "' must be differentiable at 0)");
        a(i, j) = std::move(g);
      }
    }
    return a;
  };
  Linearisation<I> lin{jacobian(spec.unfavourable, "unfavourable"), jacobian(spec.favourable, "favourable"), zero};
  expr::Evaluator<I> pe(graph, factory);
  std::vector<I> points(n, zero);
  pe.evaluate_until(points, spec.period);
  lin.period = pe.value(spec.period);
  return lin;
}

}  // namespace

Linearisation<Interval> linearise(const SeasonalSpec& spec) {
  return linearise_at<Interval>(spec, {}, Interval(0.0));
}

Linearisation<MpInterval> linearise(const SeasonalSpec& spec, long bits) {
  expr::NumberFactory<MpInterval> f;
  f.precision = bits;
  return linearise_at<MpInterval>(spec, f, MpInterval(static_cast<mpfr_prec_t>(bits)));
}

template <class I>
bool is_metzler(const Linearisation<I>& lin) {
  return is_metzler(lin.unfavourable) && is_metzler(lin.favourable);
}

template <class I>
Matrix<I> monodromy(const Linearisation<I>& lin, const I& theta) {
  const I one = make_point(theta, 1.0);
  const Matrix<I> ef = expm_metzler(lin.favourable, (one - theta) * lin.period);
  const Matrix<I> eu = expm_metzler(lin.unfavourable, theta * lin.period);
  Matrix<I> m = ef * eu;
  for (I& v : m.a) v = max(v, make_point(v, 0.0));  // a product of nonnegative matrices
  return m;
}

template <class I>
I spectral_radius(const Linearisation<I>& lin, const I& theta) {
  return perron_root(monodromy(lin, theta));
}

template <class I>
Matrix<I> monodromy_derivative(const Linearisation<I>& lin, const I& theta) {
  const I one = make_point(theta, 1.0);
  const Matrix<I> ef = expm_metzler(lin.favourable, (one - theta) * lin.period);
  const Matrix<I> eu = expm_metzler(lin.unfavourable, theta * lin.period);
  return scale(ef * (lin.unfavourable - lin.favourable) * eu, lin.period);
}

#define CERVAL_SEASONAL_INSTANTIATE(I)                                   \
  template bool is_metzler(const Linearisation<I>&);                     \
  template Matrix<I> monodromy(const Linearisation<I>&, const I&);       \
  template I spectral_radius(const Linearisation<I>&, const I&);         \
  template Matrix<I> monodromy_derivative(const Linearisation<I>&, const I&);
CERVAL_SEASONAL_INSTANTIATE(Interval)
CERVAL_SEASONAL_INSTANTIATE(MpInterval)
#undef CERVAL_SEASONAL_INSTANTIATE

}  // namespace cerval::seasonal
