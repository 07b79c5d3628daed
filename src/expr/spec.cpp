#include <cerval/expr/spec.hpp>

namespace cerval::expr {

const char* relation_symbol(Relation r) {
  switch (r) {
    case Relation::LessEqual: return "<=";
    case Relation::Less: return "<";
    case Relation::GreaterEqual: return ">=";
    case Relation::Greater: return ">";
    case Relation::Equal: return "=";
  }
  return "?";
}

numeric::Interval enclose_domain(const VariableDomain& d) {
  const double inf = std::numeric_limits<double>::infinity();
  const double lo = d.lower ? numeric::to_double_down(*d.lower) : -inf;
  const double hi = d.upper ? numeric::to_double_up(*d.upper) : inf;
  return numeric::Interval(lo, hi);
}

numeric::MpInterval enclose_domain(const VariableDomain& d, long precision) {
  const auto prec = static_cast<mpfr_prec_t>(precision);
  if (d.lower && d.upper) return numeric::MpInterval::enclose(*d.lower, *d.upper, prec);
  numeric::MpInterval result = numeric::MpInterval::entire(prec);
  if (d.lower) result = numeric::intersect(result, numeric::MpInterval::enclose(*d.lower, *d.lower, prec) +
                                                       numeric::MpInterval(0.0, std::numeric_limits<double>::infinity(), prec));
  if (d.upper) result = numeric::intersect(result, numeric::MpInterval::enclose(*d.upper, *d.upper, prec) -
                                                       numeric::MpInterval(0.0, std::numeric_limits<double>::infinity(), prec));
  return result;
}

std::vector<numeric::Interval> enclose_domains(const std::vector<VariableDomain>& domains) {
  std::vector<numeric::Interval> box;
  box.reserve(domains.size());
  for (const auto& d : domains) box.push_back(enclose_domain(d));
  return box;
}

}  // namespace cerval::expr
