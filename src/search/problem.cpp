#include <cerval/search/problem.hpp>

namespace cerval::search {

std::vector<expr::ContractorConstraint> contractor_constraints(const expr::Spec& spec,
                                                               const std::optional<numeric::Rational>& eps_h) {
  std::vector<expr::ContractorConstraint> result;
  for (const auto& c : spec.constraints) {
    numeric::Interval target = expr::relation_target(c.relation, c.bound);
    if (c.relation == expr::Relation::Equal && eps_h)
      target = numeric::Interval::enclose(c.bound - *eps_h, c.bound + *eps_h);
    result.push_back({c.expr, target});
  }
  return result;
}

numeric::Interval inner_target(expr::Relation relation, const numeric::Rational& bound,
                               const std::optional<numeric::Rational>& eps_h) {
  using numeric::Interval;
  const double inf = std::numeric_limits<double>::infinity();
  const double down = numeric::to_double_down(bound), up = numeric::to_double_up(bound);
  switch (relation) {
    case expr::Relation::LessEqual: return Interval(-inf, down);
    case expr::Relation::Less: return Interval(-inf, down < up ? down : numeric::detail::next_down(down));
    case expr::Relation::GreaterEqual: return Interval(up, inf);
    case expr::Relation::Greater: return Interval(down < up ? up : numeric::detail::next_up(up), inf);
    case expr::Relation::Equal: {
      if (!eps_h) return down == up ? Interval(down) : Interval::empty();
      const double lo = numeric::to_double_up(bound - *eps_h), hi = numeric::to_double_down(bound + *eps_h);
      return lo <= hi ? Interval(lo, hi) : Interval::empty();
    }
  }
  return Interval::empty();
}

std::vector<numeric::Interval> inner_targets(const expr::Spec& spec, const std::optional<numeric::Rational>& eps_h) {
  std::vector<numeric::Interval> result;
  for (const auto& c : spec.constraints) result.push_back(inner_target(c.relation, c.bound, eps_h));
  return result;
}

bool in_exact_domain(const expr::Spec& spec, const std::vector<double>& point) {
  if (point.size() != spec.variables.size()) return false;
  for (std::size_t i = 0; i < point.size(); ++i) {
    if (!std::isfinite(point[i])) return false;
    const numeric::Rational v = numeric::to_rational(point[i]);
    const auto& d = spec.variables[i];
    // Inner bounds: a witness must lie in the declared domain, not merely in
    // the rational box that encloses it.
    if ((d.inside_lower() && v < *d.inside_lower()) || (d.inside_upper() && v > *d.inside_upper())) return false;
  }
  return true;
}

bool strictly_inside_bounded_domain(const expr::Spec& spec, const std::vector<numeric::Interval>& box) {
  if (box.size() != spec.variables.size()) return false;
  for (std::size_t i = 0; i < box.size(); ++i) {
    const auto& d = spec.variables[i];
    if (!d.lower || !d.upper || box[i].is_empty() || !box[i].is_bounded()) return false;
    if (!(*d.lower < numeric::to_rational(box[i].lower()) && numeric::to_rational(box[i].upper()) < *d.upper))
      return false;
  }
  return true;
}

}  // namespace cerval::search
