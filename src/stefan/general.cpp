#include <cerval/stefan/general.hpp>

#include <cerval/expr/eval.hpp>
#include <cerval/numeric/mp_interval.hpp>
#include <cerval/search/regression_transform.hpp>

#include <memory>
#include <stdexcept>
#include <vector>

namespace cerval::stefan {

using numeric::Interval;
using numeric::MpInterval;
using numeric::Rational;

namespace {

constexpr long kBits = 128;

// Enclosure of node `id` at (x, t) (MPFI, rounded outward to binary64);
// entire where the expression is not proven defined.
Interval value_at(const GeneralProblem& p, expr::NodeId id, const MpInterval& x, const MpInterval& t) {
  std::vector<MpInterval> vars(2, MpInterval::enclose(Rational(0), kBits));
  vars[p.t_var] = t;
  vars[p.x_var] = x;
  const auto e = expr::evaluate<MpInterval>(p.graph, id, vars, {kBits});
  if (!expr::is_defined_everywhere(e.decoration)) return Interval::entire();
  return Interval(e.value.lower_down(), e.value.upper_up());
}

MpInterval exact(const Rational& q) { return MpInterval::enclose(q, kBits); }

}  // namespace

ExactProblem general_problem(const GeneralProblem& gp) {
  if (gp.s0 <= 0) throw std::invalid_argument("the initial front s0 must be positive");
  if (gp.gamma <= 0) throw std::invalid_argument("the latent heat gamma must be positive");
  if (gp.t0 >= gp.final_time) throw std::invalid_argument("the start time must be before the final time");
  if (gp.graph.variable_count() != 2) throw std::invalid_argument("the data must be expressions in t and x");
  auto shared = std::make_shared<const GeneralProblem>(gp);
  ExactProblem e;
  e.lambda = Interval::entire();
  ForwardProblem& p = e.problem;
  // The coefficients alone in a graph of their own (the solver evaluates it
  // at every node of every level).
  auto field = std::make_shared<ForwardField>();
  field->t_var = field->graph.add_variable("t");
  field->x_var = field->graph.add_variable("x");
  std::vector<expr::NodeId> replacement(2);
  replacement[gp.t_var] = field->graph.variable(field->t_var);
  replacement[gp.x_var] = field->graph.variable(field->x_var);
  const auto roots = search::substitute(gp.graph, {gp.a, gp.b, gp.c, gp.f}, field->graph, replacement);
  field->a = roots[0];
  field->b = roots[1];
  field->c = roots[2];
  field->f = roots[3];
  p.field = field;
  p.gamma = gp.gamma;
  p.left = gp.left;
  p.t0 = gp.t0;
  p.final_time = gp.final_time;
  const MpInterval zero = exact(0);
  p.left_value = [shared, zero](const Rational& t) { return value_at(*shared, shared->boundary, zero, exact(t)); };
  p.chi_value = [shared, zero](const Rational& t) { return value_at(*shared, shared->chi, zero, exact(t)); };
  p.mu_value = [shared, zero](const Rational& t) { return value_at(*shared, shared->mu, zero, exact(t)); };
  p.initial_front = [shared] { return Interval::enclose(shared->s0); };
  p.initial_profile = [shared](int m) {
    std::vector<Interval> z;
    for (int i = 0; i <= m; ++i)
      z.push_back(value_at(*shared, shared->initial, exact(shared->s0 * Rational(i, m)), exact(shared->t0)));
    return z;
  };
  if (gp.exact_temperature && gp.exact_front) {
    e.exact.front = [shared, zero](const Rational& t) { return value_at(*shared, *shared->exact_front, zero, exact(t)); };
    e.exact.temperature = [shared](const Interval& x, const Rational& t) {
      return value_at(*shared, *shared->exact_temperature, MpInterval(x, kBits), exact(t));
    };
  }
  return e;
}

std::optional<std::pair<Rational, Rational>> nonpositive_diffusivity(const GeneralProblem& gp) {
  for (int k = 0; k <= 2; ++k) {
    const Rational t = gp.t0 + (gp.final_time - gp.t0) * Rational(k, 2);
    for (int i = 0; i <= 16; ++i) {
      const Rational x = gp.s0 * Rational(i, 16);
      std::vector<MpInterval> vars(2, exact(0));
      vars[gp.t_var] = exact(t);
      vars[gp.x_var] = exact(x);
      const auto v = expr::evaluate<MpInterval>(gp.graph, gp.a, vars, {kBits});
      if (expr::is_defined_everywhere(v.decoration) && v.value.certainly_le(0.0)) return std::pair{x, t};
    }
  }
  return std::nullopt;
}

}  // namespace cerval::stefan
