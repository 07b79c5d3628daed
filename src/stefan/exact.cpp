#include <cerval/stefan/exact.hpp>

#include <cerval/numeric/mp_interval.hpp>

#include <algorithm>
#include <stdexcept>

namespace cerval::stefan {

using numeric::Interval;
using numeric::MpInterval;
using numeric::Rational;

namespace {

Interval to_interval(const MpInterval& x) { return Interval(x.lower_down(), x.upper_up()); }

}  // namespace

ExactProblem neumann_forward_problem(NeumannCase c, const Rational& parameter, const Rational& t0,
                                     const Rational& final_time, int digits) {
  if (t0 <= 0) throw std::invalid_argument("the Neumann problem starts at t0 > 0 (s(0) = 0 is singular)");
  if (final_time <= t0) throw std::invalid_argument("the final time must be after the start time");
  const LambdaEnclosure le = neumann_lambda(c, parameter, digits);
  if (!le.existence) throw std::runtime_error("lambda could not be certified");
  const MpInterval lambda = le.lambda;
  ExactProblem e;
  e.lambda = to_interval(lambda);
  e.exact.front = [lambda](const Rational& t) { return to_interval(neumann_front(lambda, t)); };
  e.exact.temperature = [c, parameter, lambda](const Interval& x, const Rational& t) {
    return to_interval(neumann_temperature(c, parameter, lambda, MpInterval(x, lambda.precision()), t));
  };
  ForwardProblem& p = e.problem;
  p.left = c == NeumannCase::Dirichlet ? LeftCondition::Dirichlet : LeftCondition::Flux;
  p.t0 = t0;
  p.final_time = final_time;
  if (c == NeumannCase::Dirichlet) {
    const Interval st = Interval::enclose(parameter);
    p.left_value = [st](const Rational&) { return st; };
  } else {
    const Interval q = Interval::enclose(parameter);
    p.left_value = [q](const Rational& t) { return q / sqrt(Interval::enclose(t)); };
  }
  p.initial_front = [lambda, t0]() { return to_interval(neumann_front(lambda, t0)); };
  p.initial_profile = [c, parameter, lambda, t0](int m) {
    const MpInterval s = neumann_front(lambda, t0);
    std::vector<Interval> z;
    for (int i = 0; i <= m; ++i) {
      const MpInterval x = s * MpInterval::enclose(Rational(i, m), lambda.precision());
      z.push_back(to_interval(neumann_temperature(c, parameter, lambda, x, t0)));
    }
    z.back() = Interval(0.0);  // u(s(t0), t0) = 0 exactly
    return z;
  };
  return e;
}

ExactProblem travelling_wave_problem(LeftCondition left, const Rational& a, const Rational& gamma, const Rational& s0,
                                     const Rational& t0, const Rational& final_time) {
  if (a <= 0 || gamma <= 0 || s0 <= 0) throw std::invalid_argument("the travelling wave needs a, gamma, s0 > 0");
  if (t0 < 0 || final_time <= t0) throw std::invalid_argument("the travelling wave needs 0 <= t0 < T");
  ExactProblem e;
  e.lambda = Interval::entire();
  const Interval A = Interval::enclose(a), G = Interval::enclose(gamma), S0 = Interval::enclose(s0);
  auto front = [A, S0](const Rational& t) { return A * Interval::enclose(t) + S0; };
  e.exact.front = front;
  e.exact.temperature = [G, front](const Interval& x, const Rational& t) {
    return G * (exp(front(t) - x) - Interval(1.0));
  };
  ForwardProblem& p = e.problem;
  p.a = a;
  p.gamma = gamma;
  p.left = left;
  p.t0 = t0;
  p.final_time = final_time;
  if (left == LeftCondition::Dirichlet)
    p.left_value = [G, front](const Rational& t) { return G * (exp(front(t)) - Interval(1.0)); };
  else
    p.left_value = [A, G, front](const Rational& t) { return A * G * exp(front(t)); };
  p.initial_front = [front, t0]() { return front(t0); };
  p.initial_profile = [G, front, t0](int m) {
    const Interval s = front(t0);
    std::vector<Interval> z;
    for (int i = 0; i <= m; ++i) {
      // x = xi s: s - x = (1 - xi) s.
      z.push_back(G * (exp(Interval::enclose(Rational(m - i, m)) * s) - Interval(1.0)));
    }
    z.back() = Interval(0.0);  // u(s, t0) = 0 exactly
    return z;
  };
  return e;
}

CertifiedError certified_error(const ForwardSolution& sol, const ExactProblem& ex) {
  CertifiedError r;
  if (!sol.certified || !ex.exact.front || !ex.exact.temperature) return r;
  const Rational& T = ex.problem.final_time;
  const Interval sT = ex.exact.front(T);
  r.front = (sol.front.back() - sT).mag();
  const int m = sol.m;
  double e = 0;
  for (int i = 0; i <= m; ++i) {
    const Interval x = Interval::enclose(Rational(i, m)) * sT;
    // u(s(T), T) = mu(T) (0 for the Neumann problems and the travelling wave).
    const Interval u = i < m                ? ex.exact.temperature(x, T)
                       : ex.problem.mu_value ? ex.problem.mu_value(T)
                                             : Interval::enclose(ex.problem.mu);
    e = std::max(e, (sol.profile[static_cast<std::size_t>(i)] - u).mag());
  }
  r.profile = e;
  r.valid = std::isfinite(r.front) && std::isfinite(r.profile);
  return r;
}

}  // namespace cerval::stefan
