#include <catch2/catch.hpp>

#include <cerval/stefan/exact.hpp>

using cerval::numeric::Interval;
using cerval::numeric::Rational;
using namespace cerval::stefan;

TEST_CASE("exact problems: initial data are consistent and enclosed") {
  const ExactProblem n = neumann_forward_problem(NeumannCase::Dirichlet, 1, Rational(1, 4), 1, 30);
  // s(1/4) = lambda, lambda(St = 1) = 0.62006263331359549...
  CHECK(n.problem.initial_front().certainly_gt(0.6200626333135));
  CHECK(n.problem.initial_front().certainly_lt(0.6200626333136));
  const auto z = n.problem.initial_profile(4);
  REQUIRE(z.size() == 5);
  CHECK(z.front().contains(1.0));  // u(0, t) = St
  CHECK(z.back().contains(0.0));   // u(s, t) = 0
  for (std::size_t i = 0; i + 1 < z.size(); ++i) CHECK(z[i].lower() > z[i + 1].upper());
  CHECK(n.problem.left_value(Rational(1, 2)).contains(1.0));
  const ExactProblem f = neumann_forward_problem(NeumannCase::Flux, 2, Rational(1, 4), 1, 30);
  CHECK(f.problem.left_value(Rational(1, 4)).contains(4.0));  // Q / sqrt(t) = 2 / (1/2)
  const ExactProblem w = travelling_wave_problem(LeftCondition::Dirichlet, 2, 3, Rational(1, 2), 0, 1);
  // u = 3 (e^{2 t + 1/2 - x} - 1): u(0, 0) = 3 (e^{1/2} - 1) = 1.9461638...
  CHECK(w.problem.initial_profile(2).front().certainly_gt(1.94616));
  CHECK(w.problem.initial_profile(2).front().certainly_lt(1.94617));
  CHECK(w.exact.front(1).contains(2.5));
  CHECK(w.exact.temperature(Interval(2.5), 1).contains(0.0));
}

TEST_CASE("certified_error is invalid for an uncertified solution") {
  const ExactProblem w = travelling_wave_problem(LeftCondition::Dirichlet, 1, 1, 1, 0, 1);
  ForwardSolution sol;
  CHECK_FALSE(certified_error(sol, w).valid);
}
