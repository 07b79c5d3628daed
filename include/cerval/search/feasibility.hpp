#pragma once
// Feasible points for problems with equality constraints.
//
// No binary64 point satisfies h(x) = b exactly in general, so a feasible
// point is certified as a small box: Newton steps in floating point bring a
// candidate onto the constraint manifold, m coordinates (m equalities) are
// chosen by pivoting on the Jacobian, and Krawczyk's test
// (expr/existence.hpp) on a box around the candidate in those coordinates,
// with the others fixed, proves that the box holds a zero of the equalities.
// The inequality constraints must hold on the whole box and the box must lie
// inside the declared domain; then sup f over the box bounds f* from above.
#include <cerval/expr/existence.hpp>
#include <cerval/expr/spec.hpp>
#include <cerval/numeric/interval.hpp>

#include <optional>
#include <vector>

namespace cerval::search {

struct FeasibleBox {
  std::vector<numeric::Interval> box;  // degenerate outside the solved coordinates
  std::vector<double> center;          // a point of the box, for reporting
  numeric::Interval objective;         // f over the whole box
};

class FeasibilityProver {
 public:
  // `f` is the minimised function; equality constraints count only when
  // eps_h is absent (with eps_h they are inequalities |h - b| <= eps_h).
  FeasibilityProver(const expr::Spec& spec, expr::NodeId f, const std::optional<numeric::Rational>& eps_h);

  // True when the problem has equality constraints to prove by Krawczyk.
  bool needed() const { return !equations_.empty(); }

  // Minimum-norm Newton steps in floating point towards the feasible set:
  // on the equalities and the violated inequalities (aimed slightly inside),
  // within the domain box. A heuristic: the result is checked rigorously by
  // whoever uses it.
  std::vector<double> restore(std::vector<double> candidate) const;

  // A box near `candidate` proven to hold a feasible point, or nullopt.
  std::optional<FeasibleBox> prove_near(const std::vector<double>& candidate) const;

 private:
  const expr::Spec* spec_;
  expr::NodeId f_;
  std::vector<expr::Equation> equations_;
  std::vector<expr::NodeId> inequalities_;
  std::vector<numeric::Interval> inequality_targets_;  // inner targets
};

}  // namespace cerval::search
