// Time per forward solve of the one-phase Stefan problem (Landau front
// fixing, stefan/forward.hpp) in binary64 intervals against the same
// discrete equations solved in plain double in the same run.
//
//   stefan_forward [m n [theta_denominator]]   (default 1000 1000 1: implicit)
//
// Problem: the Neumann problem u(0, t) = St = 1 from t0 = 1/4 to T = 1,
// started from the exact similarity solution.
#include <cerval/stefan/exact.hpp>
#include <cerval/stefan/forward.hpp>

#include <cstdio>
#include <cstdlib>

using namespace cerval::stefan;
using cerval::numeric::Rational;

int main(int argc, char** argv) {
  const int m = argc > 1 ? std::atoi(argv[1]) : 1000;
  const int n = argc > 2 ? std::atoi(argv[2]) : 1000;
  const int den = argc > 3 ? std::atoi(argv[3]) : 1;
  const ExactProblem ex = neumann_forward_problem(NeumannCase::Dirichlet, 1, Rational(1, 4), 1, 30);
  const ForwardGrid grid{m, n, Rational(1, den)};
  const ForwardApproximation d = solve_forward_double(ex.problem, grid);
  const ForwardSolution s = solve_forward(ex.problem, grid);
  const CertifiedError e = certified_error(s, ex);
  std::printf("grid m = %d, n = %d, theta = 1/%d\n", m, n, den);
  std::printf("double (Newton per step, not certified): %.3f s, %.2f us per step\n", d.seconds, 1e6 * d.seconds / n);
  std::printf("interval (certified):                    %.3f s, %.2f us per step, %d of %d steps certified%s%s\n",
              s.seconds, 1e6 * s.seconds / std::max(1, s.steps), s.steps, n, s.certified ? "" : ": ", s.failure.c_str());
  std::printf("ratio interval / double per step:        %.1f\n",
              (s.seconds / std::max(1, s.steps)) / (d.seconds / n));
  std::printf("widths: front %.3e, final profile %.3e\n", s.max_front_width, s.max_profile_width);
  if (e.valid) std::printf("certified errors: e_u <= %.4e, e_s <= %.4e\n", e.profile, e.front);
  return 0;
}
