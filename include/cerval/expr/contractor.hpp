#pragma once
// HC4 forward-backward contraction (Benhamou, Goualard, Granvilliers &
// Puget, "Revising hull and box consistency", ICLP 1999), on the shared DAG.
//
// Guarantee: contract(box) removes from the box only points x at which some
// constraint f(x) in target is false or f is undefined; every point of the
// original box where all constraints hold and are defined stays in the box.
// A return value of false proves that no such point exists in the box.
#include <cerval/expr/eval.hpp>
#include <cerval/expr/spec.hpp>

#include <optional>
#include <vector>

namespace cerval::expr {

struct ContractorConstraint {
  NodeId expr;
  numeric::Interval target;  // f(x) must lie in target
};

// The outward enclosure of the set of values allowed by `relation bound`
// (closed: `<` is treated as `<=`, which is the safe direction for pruning).
numeric::Interval relation_target(Relation relation, const Rational& bound);

// The outward enclosure of the value at one end (lower or upper) of the set
// of values `relation bound` allows, equalities relaxed to |g - b| <= eps:
// the face of a constraint where it is active. None where that end is
// infinite; an exact equality (eps = 0) has its one face at the lower end.
std::optional<numeric::Interval> boundary_target(Relation relation, const Rational& bound, const Rational& eps,
                                                 bool upper_end);

class Hc4Contractor {
 public:
  Hc4Contractor(const ExprGraph& graph, std::vector<ContractorConstraint> constraints);
  // Contracts `box` in place; returns false when the box is proven to hold no
  // point satisfying all constraints (the box is then left unspecified).
  bool contract(std::vector<numeric::Interval>& box) const;
  // One HC4-Revise of a single constraint.
  bool revise(const ContractorConstraint& c, std::vector<numeric::Interval>& box) const;
  const std::vector<ContractorConstraint>& constraints() const { return constraints_; }

 private:
  const ExprGraph* graph_;
  std::vector<ContractorConstraint> constraints_;
};

}  // namespace cerval::expr
