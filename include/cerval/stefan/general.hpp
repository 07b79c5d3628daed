#pragma once
// The forward one-phase Stefan problem with data given as expressions
// (`problem general;` in the stefan section, docs/stefan.md):
//
//   u_t = a(x, t) u_xx + b(x, t) u_x + c(x, t) u - f(x, t)   on 0 < x < s(t), t0 < t <= T,
//   u(x, t0) = phi(x) on [0, s0],  s(t0) = s0,
//   u(0, t) = g(t) (Dirichlet) or -a u_x(0, t) = g(t) (flux),
//   u(s(t), t) = mu(t),  a u_x(s(t), t) + gamma s'(t) = chi(t),
//
// solved by the certified Landau scheme of stefan/forward.hpp (the
// coefficients a, b, c, f evaluated by the one evaluator at x = xi_i s_k,
// stefan::ForwardField). Optionally an exact solution u(x, t), s(t) (a
// manufactured solution, say) for certified errors.
#include <cerval/expr/diagnostics.hpp>
#include <cerval/expr/expr.hpp>
#include <cerval/numeric/rational.hpp>
#include <cerval/stefan/exact.hpp>
#include <cerval/stefan/scheme.hpp>

#include <optional>

namespace cerval::stefan {

struct GeneralProblem {
  // Variables of `graph`: t (index t_var) and x (x_var), nothing else.
  expr::ExprGraph graph;
  std::size_t t_var = 0, x_var = 1;
  expr::NodeId a = 0, b = 0, c = 0, f = 0;  // coefficients in (x, t)
  expr::NodeId boundary = 0;                // g(t)
  expr::NodeId initial = 0;                 // phi(x)
  expr::NodeId chi = 0, mu = 0;             // chi(t), mu(t)
  std::optional<expr::NodeId> exact_temperature;  // u(x, t)
  std::optional<expr::NodeId> exact_front;        // s(t)
  LeftCondition left = LeftCondition::Dirichlet;
  numeric::Rational s0 = 1, gamma = 1, t0 = 0, final_time = 1;
};

// The forward problem (ForwardProblem with its ForwardField) and, when both
// exact_temperature and exact_front are given, the exact solution (else
// exact.front and exact.temperature are empty). Data enclosures at exact
// times and points are 128-bit MPFI evaluations rounded outward; data not
// defined at a point give an entire enclosure (the solve then fails there,
// never a wrong enclosure). Throws std::invalid_argument when s0, gamma <= 0
// or t0 >= T.
ExactProblem general_problem(const GeneralProblem& problem);

// A point (x, t) of [0, s0] x [t0, T] at which a(x, t) <= 0 is proven (a
// sample of 17 x 3 exact points), or nothing: the diffusivity must be
// positive on the domain, and this decides it where it can at parse time
// (the solver certifies a > 0 at every node it uses).
std::optional<std::pair<numeric::Rational, numeric::Rational>> nonpositive_diffusivity(const GeneralProblem& problem);

}  // namespace cerval::stefan
