#pragma once
// Forward problems with known exact solutions, and the certified
// discretisation error of a forward solve against them.
//
//  - Neumann (similarity) problems, units a = gamma = 1, b = c = f = 0,
//    mu = chi = 0 (stefan/similarity.hpp): Dirichlet u(0, t) = St or flux
//    -u_x(0, t) = Q / sqrt(t); s(0) = 0 is singular, so the discrete problem
//    starts at t0 > 0 from the exact s(t0) and u(x, t0), enclosed (lambda in
//    MPFI, converted outward to binary64).
//  - Travelling wave, any a > 0, gamma > 0: u = gamma (e^{a t + s0 - x} - 1),
//    s = a t + s0 (check: u_t = a u_xx, u(s, t) = 0, a u_x(s) + gamma s' = 0);
//    Dirichlet u(0, t) = gamma (e^{a t + s0} - 1) or flux
//    -a u_x(0, t) = a gamma e^{a t + s0}.
//
// Error definition (Landau variables): with Z^n the discrete temperature at
// the final time and s_h(T) = s_n the discrete front,
//   e_u = max_i |Z_i^n - u(xi_i s(T), T)|,   e_s = |s_h(T) - s(T)|,
// i.e. the discrete z is compared with the exact z(xi, T) = u(xi s(T), T) at
// the same xi_i (each with its own front). certified_error returns rigorous
// upper bounds of both: every point of the discrete enclosures and of the
// exact enclosures is covered.
#include <cerval/numeric/interval.hpp>
#include <cerval/numeric/rational.hpp>
#include <cerval/stefan/forward.hpp>
#include <cerval/stefan/similarity.hpp>

#include <functional>

namespace cerval::stefan {

struct ExactSolution {
  std::function<numeric::Interval(const numeric::Rational& t)> front;  // s(t)
  std::function<numeric::Interval(const numeric::Interval& x, const numeric::Rational& t)> temperature;  // u(x, t)
};

struct ExactProblem {
  ForwardProblem problem;
  ExactSolution exact;
  numeric::Interval lambda;  // Neumann problems: the similarity parameter (else entire)
};

// Neumann problem (case, St or Q > 0) on [t0, T], t0 > 0; lambda to 10^-digits.
ExactProblem neumann_forward_problem(NeumannCase c, const numeric::Rational& parameter, const numeric::Rational& t0,
                                     const numeric::Rational& final_time, int digits = 30);
// Travelling wave on [t0, T], t0 >= 0, s0 > 0 (the front at t = 0), a, gamma > 0.
ExactProblem travelling_wave_problem(LeftCondition left, const numeric::Rational& a, const numeric::Rational& gamma,
                                     const numeric::Rational& s0, const numeric::Rational& t0,
                                     const numeric::Rational& final_time);

struct CertifiedError {
  bool valid = false;      // the solution was certified to the final time
  double profile = 0;      // upper bound of e_u (rounded up)
  double front = 0;        // upper bound of e_s (rounded up)
};
CertifiedError certified_error(const ForwardSolution& solution, const ExactProblem& exact);

}  // namespace cerval::stefan
