#pragma once
// The monodromy matrix of the linearisation at 0 of a seasonal system, and
// its spectral radius rho(theta) (Ji & Strugarek, arXiv:1804.07641).
//
// With A_u = D_x F_u(0), A_f = D_x F_f(0) (Metzler for a cooperative system)
// and period T, the solution of y' = D_x F(t, 0) y over one period is
//   M(theta) = e^{(1 - theta) T A_f} e^{theta T A_u}
// (unfavourable season first, on [0, theta T)), and
//   dM/dtheta = T e^{(1 - theta) T A_f} (A_u - A_f) e^{theta T A_u}.
// Guarantees: the Jacobians are enclosed by interval forward-mode automatic
// differentiation at the exact point 0 (constants of the spec enclosed at
// the requested precision); every matrix returned contains the exact one for
// every theta in the interval `theta` (and every value of interval
// constants); rho encloses the spectral radius (perron.hpp).
#include <cerval/numeric/interval.hpp>
#include <cerval/numeric/mp_interval.hpp>
#include <cerval/seasonal/matrix_exponential.hpp>
#include <cerval/seasonal/spec.hpp>

namespace cerval::seasonal {

template <class I>
struct Linearisation {
  Matrix<I> unfavourable;  // A_u
  Matrix<I> favourable;    // A_f
  I period;                // T
};

// Binary64 enclosures. Throws expr::InputError (at the season) when a
// Jacobian at 0 is not bounded (F not differentiable at 0).
Linearisation<numeric::Interval> linearise(const SeasonalSpec& spec);
// MPFI enclosures at `bits` of precision.
Linearisation<numeric::MpInterval> linearise(const SeasonalSpec& spec, long bits);

// True when both A_u and A_f are certainly Metzler (needed below).
template <class I>
bool is_metzler(const Linearisation<I>& lin);

// M(theta) for every theta in `theta` (a subset of [0, 1]). Precondition:
// is_metzler(lin) (throws std::invalid_argument otherwise).
template <class I>
Matrix<I> monodromy(const Linearisation<I>& lin, const I& theta);

// rho(M(theta)) enclosure for every theta in `theta`.
template <class I>
I spectral_radius(const Linearisation<I>& lin, const I& theta);

// dM/dtheta for every theta in `theta`.
template <class I>
Matrix<I> monodromy_derivative(const Linearisation<I>& lin, const I& theta);

}  // namespace cerval::seasonal
