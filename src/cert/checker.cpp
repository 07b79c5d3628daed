// The independent checker (checker.hpp, docs/certificates.md).
//
// Trusted: numeric/ (Interval, MpInterval, Rational), expr/ (parser,
// evaluator, bounding forms, HC4 contractor), MPFR/MPFI/GMP. Nothing here
// comes from the search. Clarity over speed: every leaf is re-evaluated from
// scratch, every comparison with a bound is exact (MPFR endpoint against GMP
// rational).
#include <mpfr.h>

#include <cerval/cert/checker.hpp>
#include <cerval/expr/existence.hpp>
#include <cerval/expr/partial_minimiser.hpp>
#include <cerval/expr/lagrangian.hpp>
#include <cerval/expr/least_squares_form.hpp>
#include <cerval/expr/contractor.hpp>
#include <cerval/expr/eval.hpp>
#include <cerval/expr/forms.hpp>
#include <cerval/expr/parser.hpp>
#include <cerval/expr/quadratic.hpp>
#include <cerval/expr/rational_form.hpp>
#include <cmath>
#include <limits>
#include <optional>
#include <set>
#include <vector>

namespace cerval::cert {

namespace {

using numeric::Interval;
using numeric::MpInterval;

constexpr double kInf = std::numeric_limits<double>::infinity();

struct Failure {
  std::string reason;
};

[[noreturn]] void fail(const std::string& reason) { throw Failure{reason}; }

// ---------------------------------------------------------------------------
// Exact sets of values and exact comparisons.

// The set of values a relation allows: an interval with rational endpoints
// (absent: infinite), each end open or closed.
struct Target {
  std::optional<Rational> lower;
  bool lower_open = false;
  std::optional<Rational> upper;
  bool upper_open = false;
};

// `rel bound`; an equality is relaxed to [bound - eps, bound + eps].
Target target_of(expr::Relation rel, const Rational& bound, const Rational& eps) {
  switch (rel) {
    case expr::Relation::LessEqual:
      return {std::nullopt, false, bound, false};
    case expr::Relation::Less:
      return {std::nullopt, false, bound, true};
    case expr::Relation::GreaterEqual:
      return {bound, false, std::nullopt, false};
    case expr::Relation::Greater:
      return {bound, true, std::nullopt, false};
    case expr::Relation::Equal:
      return {Rational(bound - eps), false, Rational(bound + eps), false};
  }
  fail("unknown relation");
}

// Sign of x - q, exactly (x is an MPFR number, possibly infinite, never NaN here).
int compare(mpfr_srcptr x, const Rational& q) { return mpfr_cmp_q(x, q.backend().data()); }

bool above_lower(mpfr_srcptr x, const Target& t) {
  if (!t.lower) return true;
  const int c = compare(x, *t.lower);
  return t.lower_open ? c > 0 : c >= 0;
}
bool below_upper(mpfr_srcptr x, const Target& t) {
  if (!t.upper) return true;
  const int c = compare(x, *t.upper);
  return t.upper_open ? c < 0 : c <= 0;
}

// Every value of x lies in t (false for an empty x: nothing was enclosed).
bool inside(const MpInterval& x, const Target& t) {
  return !x.is_empty() && above_lower(x.lower_mpfr(), t) && below_upper(x.upper_mpfr(), t);
}

// No value of x lies in t.
bool disjoint(const MpInterval& x, const Target& t) {
  return x.is_empty() || !above_lower(x.upper_mpfr(), t) || !below_upper(x.lower_mpfr(), t);
}

std::string endpoint_text(mpfr_srcptr x, bool round_up) {
  char* s = nullptr;
  if (mpfr_asprintf(&s, round_up ? "%.17RUg" : "%.17RDg", x) < 0 || s == nullptr) return "?";
  std::string r(s);
  mpfr_free_str(s);
  return r;
}

// Why `inside(x, t)` is false, e.g. "upper bound 1.0000001 > 1". Endpoints
// are printed rounded outward, so the printed comparison is also true.
std::string not_inside_text(const MpInterval& x, const Target& t) {
  if (x.is_empty()) return "empty enclosure";
  if (!above_lower(x.lower_mpfr(), t))
    return "lower bound " + endpoint_text(x.lower_mpfr(), false) + (t.lower_open ? " <= " : " < ") +
           numeric::to_string(*t.lower);
  if (!below_upper(x.upper_mpfr(), t))
    return "upper bound " + endpoint_text(x.upper_mpfr(), true) + (t.upper_open ? " >= " : " > ") +
           numeric::to_string(*t.upper);
  return "enclosure inside";  // not reached when inside() is false
}

std::string interval_text(const MpInterval& x) { return numeric::to_string(x); }

// ---------------------------------------------------------------------------

class Checker {
 public:
  explicit Checker(const Certificate& c) : c_(c) {}

  void run(CheckResult& result) {
    check_header();
    build_graph();
    check_projected();
    build_root_box();
    walk(result);
    if (c_.kind == "minimum") check_witness();
  }

 private:
  static void check_precision(long p, const std::string& where) {
    if (p < kMinPrecision || p > kMaxPrecision)
      fail(where + ": precision " + std::to_string(p) + " out of range [2, 100000]");
  }

  void check_header() {
    if (c_.kind != "bound" && c_.kind != "minimum")
      fail("kind: expected \"bound\" or \"minimum\", got '" + c_.kind + "'");
    if (c_.kind == "bound" && c_.witness) fail("witness: only a minimum certificate has a witness");
    if (c_.kind == "minimum") {
      if (c_.claim.relation != expr::Relation::GreaterEqual && c_.claim.relation != expr::Relation::LessEqual)
        fail("claim: a minimum certificate claims `objective >= lower` (or `objective <= upper` for a maximum)");
      if (!c_.witness) fail("witness: a minimum certificate needs a witness");
    }
    if (c_.eps_h && *c_.eps_h < 0) fail("eps_h: must be nonnegative");
    eps_ = c_.eps_h.value_or(Rational(0));
    std::set<std::string> names;
    for (std::size_t i = 0; i < c_.variables.size(); ++i) {
      const std::string& name = c_.variables[i].name;
      const std::string where = "variables[" + std::to_string(i) + "].name";
      if (name.empty()) fail(where + ": empty name");
      if (expr::is_reserved_name(name)) fail(where + ": '" + name + "' is a reserved name");
      if (!names.insert(name).second) fail(where + ": variable '" + name + "' declared twice");
    }
    if (c_.nodes.empty()) fail("tree: no nodes");
  }

  expr::NodeId parse(const std::string& text, const std::string& where) {
    try {
      return names_->parse(text, where);
    } catch (const expr::InputError& e) {
      fail(where + ": cannot parse the expression (column " + std::to_string(e.where().column) + "): " + e.message());
    }
  }

  // The definitions, in order: each name must be new and each expression
  // parse over the variables and the earlier names.
  void parse_definitions() {
    for (std::size_t k = 0; k < c_.definitions.size(); ++k) {
      const Definition& d = c_.definitions[k];
      const std::string where = "definitions[" + std::to_string(k) + "]";
      if (std::string why = expr::NamedExpressionParser::name_problem(d.name, graph_); !why.empty())
        fail(where + ".name: " + why);
      if (!definition_names_.insert(d.name).second) fail(where + ".name: '" + d.name + "' is defined twice");
      try {
        names_->define(d.name, d.expression, where + ".expression");
      } catch (const expr::InputError& e) {
        fail(where + ".expression: cannot parse the expression (column " + std::to_string(e.where().column) +
             "): " + e.message());
      }
    }
  }

  // Parses in the order of a spec (objective first for a minimum, the claim
  // after the constraints otherwise), so that the graph, and hence the
  // deterministic HC4 contraction, is the one the producer computed. (Any
  // order is sound; a different one may only contract differently.)
  void build_graph() {
    for (const auto& v : c_.variables) graph_.add_variable(v.name);
    names_.emplace(graph_);
    parse_definitions();
    const bool objective_first = c_.kind == "minimum";
    if (objective_first) claim_ = parse(c_.claim.expression, "claim.expression");
    for (std::size_t k = 0; k < c_.constraints.size(); ++k) {
      const RelationEntry& r = c_.constraints[k];
      const expr::NodeId id = parse(r.expression, "constraints[" + std::to_string(k) + "].expression");
      const Interval hc4_target = r.relation == expr::Relation::Equal
                                      ? Interval::enclose(Rational(r.bound - eps_), Rational(r.bound + eps_))
                                      : expr::relation_target(r.relation, r.bound);
      constraints_.push_back({id, hc4_target});
      targets_.push_back(target_of(r.relation, r.bound, eps_));
    }
    if (!objective_first) claim_ = parse(c_.claim.expression, "claim.expression");
    claim_target_ = target_of(c_.claim.relation, c_.claim.bound, Rational(0));
  }

  // Variable projection (docs/certificates.md). A projected leaf stands for
  // its tree box T through this argument: let (theta, beta) be a feasible
  // point of T. The claim's expression f is a convex quadratic in beta for
  // this theta (expr/quadratic.hpp: the classification holds wherever the
  // beta-free subexpressions are defined, which they are on the leaf box
  // since f is), and Krawczyk's test proves a zero beta^ of grad_beta
  // f(theta, .) in the leaf's ranges E (a stationary point of a convex
  // function is its minimum over all of R^k), or the perturbation bound
  // (expr/partial_minimiser.hpp) proves the minimiser over all of R^k in E;
  // either way f(theta, beta) >= f(theta, beta^). The point (theta, beta^) lies in the box T with beta
  // replaced by E, satisfies every constraint free of beta (theta does), and
  // violates the claim if (theta, beta) does (f >= b is a lower bound, so
  // f(theta, beta^) <= f(theta, beta) < b). The leaf's contraction (with the
  // beta-free constraints and the cut-off) keeps such a point, and its form
  // proves the claim there: so no feasible point of T violates the claim.
  // Needs a one-sided lower-bound claim (>= or >).
  void check_projected() {
    std::set<std::size_t> seen;
    for (std::size_t k = 0; k < c_.projected.size(); ++k) {
      const std::string where = "projected[" + std::to_string(k) + "]";
      std::size_t index = c_.variables.size();
      for (std::size_t i = 0; i < c_.variables.size(); ++i)
        if (c_.variables[i].name == c_.projected[k]) index = i;
      if (index == c_.variables.size()) fail(where + ": no variable '" + c_.projected[k] + "'");
      if (!seen.insert(index).second) fail(where + ": '" + c_.projected[k] + "' is projected twice");
      projected_.push_back(index);
    }
    if (projected_.empty()) return;
    if (c_.claim.relation != expr::Relation::GreaterEqual && c_.claim.relation != expr::Relation::Greater)
      fail("projected: projection is admissible only for a lower-bound claim (>= or >)");
    if (!expr::is_convex_quadratic_in(graph_, claim_, projected_))
      fail("projected: the claim's expression is not recognised as a convex quadratic in the projected variables");
    for (std::size_t k = 0; k < constraints_.size(); ++k)
      if (expr::is_free_of(graph_, constraints_[k].expr, projected_)) free_of_projected_.push_back(k);
  }

  // The outward binary64 enclosure of the exact domain.
  void build_root_box() {
    for (std::size_t i = 0; i < c_.variables.size(); ++i) {
      const VariableEntry& v = c_.variables[i];
      if (v.lower && v.upper && *v.lower > *v.upper)
        fail("variables[" + std::to_string(i) + "]: empty domain: lower " + numeric::to_string(*v.lower) + " > upper " +
             numeric::to_string(*v.upper));
      root_.push_back(Interval(v.lower ? numeric::to_double_down(*v.lower) : -kInf,
                               v.upper ? numeric::to_double_up(*v.upper) : kInf));
    }
  }

  // "tree.children[1].children[0]" for a node, from the parent links.
  std::string node_path(std::uint32_t id) const {
    std::vector<int> slots;
    for (; id != 0; id = parent_[id]) slots.push_back(slot_[id]);
    std::string s = "tree";
    for (auto it = slots.rbegin(); it != slots.rend(); ++it) s += ".children[" + std::to_string(*it) + "]";
    return s;
  }

  // Depth-first walk of the tree with the box of each node. Each node may be
  // reached once only (the arena must hold a tree, not a DAG or a cycle).
  void walk(CheckResult& result) {
    struct Item {
      std::uint32_t id;
      std::vector<Interval> box;
      std::size_t depth;
    };
    parent_.assign(c_.nodes.size(), 0);
    slot_.assign(c_.nodes.size(), 0);
    std::vector<bool> reached(c_.nodes.size(), false);
    reached[0] = true;
    std::vector<Item> stack{{0, root_, 0}};
    while (!stack.empty()) {
      Item item = std::move(stack.back());
      stack.pop_back();
      const CertNode& n = c_.nodes[item.id];
      if (item.depth > kMaxDepth) fail(node_path(item.id) + ": tree deeper than " + std::to_string(kMaxDepth));
      if (n.is_leaf()) {
        if (check_leaf(n, std::move(item.box), node_path_fn(item.id))) ++result.emptied;
        ++result.leaves;
        continue;
      }
      const auto v = static_cast<std::size_t>(n.split_variable);
      if (v >= item.box.size())
        fail(node_path(item.id) + ".split.variable: no variable " + std::to_string(v) + " (there are " +
             std::to_string(item.box.size()) + ")");
      const Interval x = item.box[v];
      if (!(x.lower() < n.at && n.at < x.upper()))  // also rejects NaN
        fail(node_path(item.id) + ".split.at: " + hex_double(n.at) + " is not strictly inside [" +
             hex_double(x.lower()) + ", " + hex_double(x.upper()) + "], the range of " + c_.variables[v].name +
             " in this box");
      for (int k = 0; k < 2; ++k) {
        const std::uint32_t child = n.children[k];
        const auto where = [&] { return node_path(item.id) + ".children[" + std::to_string(k) + "]"; };
        if (child >= c_.nodes.size()) fail(where() + ": no node " + std::to_string(child));
        if (reached[child]) fail(where() + ": node " + std::to_string(child) + " is used twice (not a tree)");
        reached[child] = true;
        parent_[child] = item.id;
        slot_[child] = k;
      }
      ++result.splits;
      std::vector<Interval> lower = item.box, upper = std::move(item.box);
      lower[v] = Interval(x.lower(), n.at);
      upper[v] = Interval(n.at, x.upper());
      stack.push_back({n.children[1], std::move(upper), item.depth + 1});
      stack.push_back({n.children[0], std::move(lower), item.depth + 1});
    }
  }

  // Paths are only needed on failure: pass a cheap closure.
  struct PathFn {
    const Checker* checker;
    std::uint32_t id;
    std::string suffix;  // below the node: a face of its boundary
    std::string operator()() const { return checker->node_path(id) + suffix; }
  };
  PathFn node_path_fn(std::uint32_t id) const { return {this, id, {}}; }

  // The target of the claim's negation up to the cut-off. Contracting with it
  // removes only points where the claim holds (f > cutoff >= bound for a
  // lower-bound claim, f < cutoff <= bound for an upper-bound claim) or where
  // f is undefined, which the caller has excluded.
  Interval cutoff_target(double cutoff, const PathFn& path) const {
    if (!std::isfinite(cutoff)) fail(path() + ".cutoff: not a finite number");
    const Rational k = numeric::to_rational(cutoff);
    switch (c_.claim.relation) {
      case expr::Relation::GreaterEqual:
      case expr::Relation::Greater:
        if (k < c_.claim.bound) fail(path() + ".cutoff: " + hex_double(cutoff) + " is below the claimed bound");
        return Interval(-kInf, cutoff);
      case expr::Relation::LessEqual:
      case expr::Relation::Less:
        if (k > c_.claim.bound) fail(path() + ".cutoff: " + hex_double(cutoff) + " is above the claimed bound");
        return Interval(cutoff, kInf);
      case expr::Relation::Equal:
        break;
    }
    fail(path() + ".cutoff: not admissible for an equality claim");
  }

  // The Lagrangian node of a leaf's multipliers (expr/lagrangian.hpp), after
  // checking that each multiplier keeps it on the safe side of the claim.
  expr::NodeId lagrangian(const std::vector<double>& multipliers, const PathFn& path) const {
    if (multipliers.size() != c_.constraints.size())
      fail(path() + ".multipliers: " + std::to_string(multipliers.size()) + " multipliers for " +
           std::to_string(c_.constraints.size()) + " constraints");
    const bool lower_side = c_.claim.relation == expr::Relation::GreaterEqual ||
                            c_.claim.relation == expr::Relation::Greater;
    if (!lower_side && c_.claim.relation != expr::Relation::LessEqual && c_.claim.relation != expr::Relation::Less)
      fail(path() + ".multipliers: not admissible for an equality claim");
    std::vector<expr::ConstraintTerm> terms;
    for (std::size_t k = 0; k < multipliers.size(); ++k) {
      const RelationEntry& r = c_.constraints[k];
      if (!expr::multiplier_admissible(multipliers[k], r.relation, lower_side, eps_ != 0))
        fail(path() + ".multipliers[" + std::to_string(k) + "]: " + hex_double(multipliers[k]) +
             " has the wrong sign for constraint " + std::to_string(k) + " (" + r.expression + " " +
             expr::relation_symbol(r.relation) + " " + numeric::to_string(r.bound) + ")");
      terms.push_back({constraints_[k].expr, r.relation, r.bound});
    }
    return expr::add_lagrangian(graph_, claim_, terms, multipliers);
  }

  // A no_stationary_point leaf is sound only through this argument: the
  // domain D is compact and the claim's expression f is defined (hence
  // continuous) on every leaf, so f attains its minimum (maximum, for an
  // upper-bound claim) on D at some x*. Were the claim false, x* would
  // violate it, so the contraction of x*'s leaf (which removes only points
  // where the claim holds) keeps x*; if that leaf is a no_stationary_point
  // leaf, x* lies in the interior of D, where an extremum of a C^1 function
  // is a zero of its gradient, which Krawczyk's test excluded. So x* lies in
  // a leaf that proves the claim at it: a contradiction. Needs: no
  // constraints (a constrained extremum need not be stationary), a bounded
  // domain, a one-sided claim.
  void check_stationary_leaf_admissible(const PathFn& path) const {
    if (!c_.constraints.empty())
      fail(path() + ": a no_stationary_point leaf is admissible only in a certificate without constraints");
    if (c_.claim.relation == expr::Relation::Equal)
      fail(path() + ": a no_stationary_point leaf is not admissible for an equality claim");
    for (const VariableEntry& v : c_.variables)
      if (!v.lower || !v.upper)
        fail(path() + ": a no_stationary_point leaf needs a bounded domain (" + v.name + " is unbounded)");
  }

  // The (contracted) leaf box lies in the interior of the exact domain and
  // the gradient of the claim's expression has no zero in it.
  void check_no_stationary_point(const std::vector<Interval>& box, const PathFn& path) const {
    for (std::size_t i = 0; i < box.size(); ++i) {
      const VariableEntry& v = c_.variables[i];
      if (!(*v.lower < numeric::to_rational(box[i].lower()) && numeric::to_rational(box[i].upper()) < *v.upper))
        fail(path() + ": the leaf box is not in the interior of the domain (" + v.name + " in [" +
             hex_double(box[i].lower()) + ", " + hex_double(box[i].upper()) + "])");
    }
    if (!expr::krawczyk_excludes_stationary_point(graph_, claim_, box))
      fail(path() + ": no stationary point not re-proven: Krawczyk's test does not exclude a zero of the gradient "
                    "on the leaf box");
  }

  // The leaf box with the projected coordinates replaced by the leaf's
  // ranges, after Krawczyk's test or the perturbation bound proves the
  // minimiser in the projected variables in them.
  std::vector<std::size_t> apply_projection(const CertNode& n, std::vector<Interval>& box, const PathFn& path) const {
    if (projected_.empty()) fail(path() + ".projection: the certificate projects no variables");
    if (n.projection_lower.size() != projected_.size() || n.projection_upper.size() != projected_.size())
      fail(path() + ".projection: " + std::to_string(n.projection_lower.size()) + " ranges for " +
           std::to_string(projected_.size()) + " projected variables");
    if (n.leaf == LeafKind::NoStationaryPoint)
      fail(path() + ".projection: not admissible on a no_stationary_point leaf");
    if (!n.multipliers.empty()) fail(path() + ".projection: not admissible with multipliers");
    // The variables projected on this leaf (a convex quadratic in all the
    // projected ones is one in any subset of them, the others fixed).
    std::vector<std::size_t> unknowns;
    for (std::size_t k = 0; k < projected_.size(); ++k) {
      const double lo = n.projection_lower[k], hi = n.projection_upper[k];
      if (std::isnan(lo) && std::isnan(hi)) continue;
      if (!std::isfinite(lo) || !std::isfinite(hi) || !(lo < hi))
        fail(path() + ".projection[" + std::to_string(k) + "]: not a finite range with lower < upper");
      box[projected_[k]] = Interval(lo, hi);
      unknowns.push_back(projected_[k]);
    }
    if (unknowns.empty()) fail(path() + ".projection: no variable is projected");
    if (!expr::krawczyk_proves_partial_stationary_point(graph_, claim_, box, unknowns) &&
        !expr::perturbation_proves_partial_minimiser(graph_, claim_, box, unknowns))
      fail(path() + ".projection: neither Krawczyk's test nor the perturbation bound proves the minimiser in the "
                    "projected variables within the ranges");
    return unknowns;
  }

  // The faces of a projected leaf (CertNode::boundary has the argument):
  // every end of every constraint that depends on the projected variables
  // `unknowns`, and both ends of each of their ranges in the leaf's tree box,
  // each listed once and proven on `tree_box` with that restriction.
  void check_boundary(const CertNode& n, const std::vector<Interval>& tree_box,
                      const std::vector<std::size_t>& unknowns, const PathFn& path) const {
    std::vector<bool> used(n.boundary.size(), false);
    auto listed = [&](int constraint, int variable, bool upper, const std::string& what) -> std::size_t {
      std::size_t found = n.boundary.size();
      for (std::size_t i = 0; i < n.boundary.size(); ++i) {
        const CertFace& f = n.boundary[i];
        if (f.constraint != constraint || f.variable != variable || f.upper != upper) continue;
        if (found < n.boundary.size()) fail(path() + ".boundary[" + std::to_string(i) + "]: listed twice");
        found = i;
      }
      if (found == n.boundary.size())
        fail(path() + ".boundary: the face where " + what + " (" + (upper ? "upper" : "lower") + " end) is missing");
      used[found] = true;
      return found;
    };
    auto face_path = [&](std::size_t i) {
      return PathFn{path.checker, path.id, path.suffix + ".boundary[" + std::to_string(i) + "].leaf"};
    };
    // The constraints that depend on the unknowns (precomputed when all
    // projected variables are projected on this leaf).
    std::vector<std::size_t> depending;
    expr::NodeId last = 0;
    for (std::size_t k = 0; k < constraints_.size(); ++k) {
      const bool free = unknowns.size() == projected_.size()
                            ? std::binary_search(free_of_projected_.begin(), free_of_projected_.end(), k)
                            : expr::is_free_of(graph_, constraints_[k].expr, unknowns);
      if (free) continue;
      depending.push_back(k);
      last = std::max(last, constraints_[k].expr);
    }
    expr::Evaluator<Interval> ev(graph_);
    if (!depending.empty()) ev.evaluate_until(tree_box, last);
    for (std::size_t k : depending) {
      const RelationEntry& r = c_.constraints[k];
      // Continuous on the box: a point where it is strictly inside its set
      // is an interior point in beta (the argument above).
      if (!expr::is_defined_everywhere(ev.decoration(constraints_[k].expr)))
        fail(path() + ".boundary: constraints[" + std::to_string(k) +
             "] is not proven defined on the whole leaf box, so its faces need not bound the feasible set");
      for (const bool upper : {false, true}) {
        const auto target = expr::boundary_target(r.relation, r.bound, eps_, upper);
        if (!target) continue;
        const std::size_t i = listed(static_cast<int>(k), -1, upper, "constraints[" + std::to_string(k) + "] is active");
        const Rational end = r.relation != expr::Relation::Equal ? r.bound
                             : upper                              ? Rational(r.bound + eps_)
                                                                  : Rational(r.bound - eps_);
        const Face face{{constraints_[k].expr, *target}, {end, false, end, false}};
        check_leaf(n.boundary[i].leaf, tree_box, face_path(i), &face);
      }
    }
    for (std::size_t v : unknowns)
      for (const bool upper : {false, true}) {
        const std::size_t i = listed(-1, static_cast<int>(v), upper, c_.variables[v].name + " is at an end of its range");
        std::vector<Interval> box = tree_box;
        box[v] = Interval(upper ? tree_box[v].upper() : tree_box[v].lower());
        check_leaf(n.boundary[i].leaf, std::move(box), face_path(i));
      }
    for (std::size_t i = 0; i < used.size(); ++i)
      if (!used[i]) fail(path() + ".boundary[" + std::to_string(i) + "]: not a face of this leaf");
  }

  // Re-proves one leaf on `box`; true when the HC4 contraction emptied it.
  // `face`: one more constraint the leaf's points satisfy (a face of a
  // projected leaf's boundary).
  struct Face {
    expr::ContractorConstraint hc4;  // the constraint with the outward enclosure of its end as target
    Target exact;                    // that end, exactly
  };
  bool check_leaf(const CertNode& n, std::vector<Interval> box, const PathFn& path,
                  const Face* face = nullptr) const {
    check_precision(n.precision, path() + ".precision");
    if (n.leaf == LeafKind::NoStationaryPoint) check_stationary_leaf_admissible(path);
    if (n.cutoff && !n.contract) fail(path() + ".cutoff: a cut-off needs \"contract\": true");
    // The constraints the leaf may use: all, or (a projection without its
    // boundary) those free of the projected variables.
    std::vector<std::size_t> usable;
    if (n.is_projected()) {
      const std::vector<Interval> tree_box = box;
      usable = free_of_projected_;
      // The search contracts theta with these constraints before projecting.
      if (n.contract && !usable.empty()) {
        std::vector<expr::ContractorConstraint> theta_constraints;
        for (std::size_t k : usable) theta_constraints.push_back(constraints_[k]);
        if (!expr::Hc4Contractor(graph_, std::move(theta_constraints)).contract(box)) return true;
      }
      const std::vector<std::size_t> unknowns = apply_projection(n, box, path);
      if (!n.boundary.empty()) {
        check_boundary(n, tree_box, unknowns, path);
        usable.clear();
        for (std::size_t k = 0; k < constraints_.size(); ++k) usable.push_back(k);
      }
    } else {
      for (std::size_t k = 0; k < constraints_.size(); ++k) usable.push_back(k);
    }
    if (n.contract) {
      std::vector<expr::ContractorConstraint> contraction;
      for (std::size_t k : usable) contraction.push_back(constraints_[k]);
      if (face) contraction.push_back(face->hc4);
      if (n.cutoff) {
        // HC4 also removes points where f is undefined: only admissible where
        // the claim's expression is defined on the whole (uncontracted) box.
        if (!expr::is_defined_everywhere(expr::evaluate<Interval>(graph_, claim_, box).decoration))
          fail(path() + ".cutoff: the claim's expression is not defined on the whole leaf box");
        contraction.push_back({claim_, cutoff_target(*n.cutoff, path)});
      }
      if (!contraction.empty() && !expr::Hc4Contractor(graph_, std::move(contraction)).contract(box))
        return true;  // no feasible point of the box (or, with a cut-off, none violating the claim)
    }
    const auto prec = static_cast<mpfr_prec_t>(n.precision);
    const expr::NumberFactory<MpInterval> factory{n.precision};
    std::vector<MpInterval> mp;
    mp.reserve(box.size());
    for (const Interval& x : box) mp.emplace_back(x, prec);

    if (n.leaf == LeafKind::NoStationaryPoint) {
      check_no_stationary_point(box, path);
      return false;
    }
    if (n.leaf == LeafKind::Infeasible) {
      for (std::size_t k : usable) {
        const auto e = expr::evaluate<MpInterval>(graph_, constraints_[k].expr, mp, factory);
        if (disjoint(e.value, targets_[k])) return false;
      }
      if (face && disjoint(expr::evaluate<MpInterval>(graph_, face->hc4.expr, mp, factory).value, face->exact))
        return false;
      fail(path() + ": infeasibility not re-proven: no constraint's enclosure misses its target on the leaf box");
    }

    std::vector<double> center;
    if (expr::is_centred(n.form)) {
      center = n.center.empty() ? expr::default_center(box) : n.center;
      if (center.size() != box.size())
        fail(path() + ".center: " + std::to_string(center.size()) + " coordinates for " + std::to_string(box.size()) +
             " variables");
      for (std::size_t i = 0; i < box.size(); ++i)
        if (!box[i].contains(center[i]))  // false for NaN
          fail(path() + ".center[" + std::to_string(i) + "]: " + hex_double(center[i]) +
               " is outside the (contracted) leaf box");
    }
    const expr::NodeId bounded = n.multipliers.empty() ? claim_ : lagrangian(n.multipliers, path);
    const expr::FormBound<MpInterval> bound = [&] {
      switch (n.form) {
        case expr::Form::Natural:
          return expr::natural_form<MpInterval>(graph_, bounded, mp, factory);
        case expr::Form::MeanValue:
          return expr::mean_value_form<MpInterval>(graph_, bounded, mp, center, factory);
        case expr::Form::Taylor2:
          return expr::taylor2_form<MpInterval>(graph_, bounded, mp, center, factory);
        case expr::Form::Monotone:
          return expr::monotone_form<MpInterval>(graph_, bounded, mp, factory);
        case expr::Form::Rational: {
          const auto loss = expr::rational_loss(graph_, bounded);
          if (!loss)
            fail(path() + ".form: rational: the claim is not a sum of squared residuals of a rational model with "
                          "affine numerator and denominator");
          std::vector<expr::ConstraintBound> kept;
          for (std::size_t k : usable)
            kept.push_back({constraints_[k].expr, c_.constraints[k].relation, c_.constraints[k].bound});
          return expr::rational_form<MpInterval>(graph_, bounded, *loss,
                                                 expr::clamps_kept_inactive(graph_, *loss, kept), mp, center, factory);
        }
        case expr::Form::GaussNewton: {
          const auto terms = expr::squared_terms(graph_, bounded);
          if (!terms) fail(path() + ".form: gauss_newton: the claim is not a sum of squares");
          return expr::least_squares_form<MpInterval>(graph_, bounded, *terms, mp, center, factory);
        }
      }
      fail(path() + ".form: unknown form");
    }();
    if (!expr::is_defined_everywhere(bound.decoration))
      fail(path() + ": claim not re-proven: its expression is not defined on the whole leaf box");
    if (!inside(bound.enclosure, claim_target_))
      fail(path() + ": claim not re-proven: " + not_inside_text(bound.enclosure, claim_target_) + " (" +
           expr::to_string(n.form) + " form at " + std::to_string(n.precision) + " bits gives " +
           interval_text(bound.enclosure) + ")");
    return false;
  }

  void check_witness() const {
    const Witness& w = *c_.witness;
    check_precision(w.precision, "witness.precision");
    if (w.point.size() != c_.variables.size())
      fail("witness.point: " + std::to_string(w.point.size()) + " coordinates for " +
           std::to_string(c_.variables.size()) + " variables");
    // In the exact domain (not merely its outward enclosure).
    for (std::size_t i = 0; i < w.point.size(); ++i) {
      const std::string where = "witness.point[" + std::to_string(i) + "]";
      if (!std::isfinite(w.point[i])) fail(where + ": not a finite number");
      const Rational x = numeric::to_rational(w.point[i]);
      const VariableEntry& v = c_.variables[i];
      if ((v.lower && x < *v.lower) || (v.upper && x > *v.upper))
        fail(where + ": " + hex_double(w.point[i]) + " is outside the domain of " + v.name);
    }
    const auto prec = static_cast<mpfr_prec_t>(w.precision);
    const expr::NumberFactory<MpInterval> factory{w.precision};
    std::vector<MpInterval> point;
    std::vector<Interval> box;  // the witness box, when it is one
    for (double x : w.point) point.emplace_back(x, x, prec);
    std::vector<expr::Equation> equations;
    if (w.is_box()) {
      if (w.box_lower.size() != w.point.size() || w.box_upper.size() != w.point.size())
        fail("witness.box: one coordinate per variable is needed");
      point.clear();
      std::vector<std::size_t> unknowns;
      for (std::size_t i = 0; i < w.point.size(); ++i) {
        const std::string where = "witness.box[" + std::to_string(i) + "]";
        const double lo = w.box_lower[i], hi = w.box_upper[i];
        if (!std::isfinite(lo) || !std::isfinite(hi) || !(lo <= w.point[i] && w.point[i] <= hi))
          fail(where + ": not a finite box holding the witness point");
        const VariableEntry& v = c_.variables[i];
        if ((v.lower && numeric::to_rational(lo) < *v.lower) || (v.upper && numeric::to_rational(hi) > *v.upper))
          fail(where + ": outside the domain of " + v.name);
        point.emplace_back(lo, hi, prec);
        box.emplace_back(lo, hi);
        if (lo < hi) unknowns.push_back(i);
      }
      for (std::size_t k = 0; k < constraints_.size(); ++k)
        if (c_.constraints[k].relation == expr::Relation::Equal && !c_.eps_h)
          equations.push_back({constraints_[k].expr, c_.constraints[k].bound});
      if (equations.size() != unknowns.size())
        fail("witness.box: " + std::to_string(unknowns.size()) + " non-degenerate coordinates for " +
             std::to_string(equations.size()) + " equality constraints");
      if (!equations.empty() && !expr::krawczyk_proves_zero(graph_, equations, box, unknowns))
        fail("witness.box: Krawczyk's test does not prove a zero of the equality constraints in the box");
    }
    for (std::size_t k = 0; k < constraints_.size(); ++k) {
      const std::string where = "witness: constraints[" + std::to_string(k) + "]";
      if (!equations.empty() && c_.constraints[k].relation == expr::Relation::Equal) continue;  // Krawczyk
      const auto e = expr::evaluate<MpInterval>(graph_, constraints_[k].expr, point, factory);
      if (!expr::is_defined_everywhere(e.decoration)) fail(where + " is not defined at the witness");
      if (!inside(e.value, targets_[k]))
        fail(where + " is not shown satisfied at the witness: " + not_inside_text(e.value, targets_[k]));
    }
    const auto f = expr::evaluate<MpInterval>(graph_, claim_, point, factory);
    if (!expr::is_defined_everywhere(f.decoration)) fail("witness: the objective is not defined at the witness");
    const bool minimum = c_.claim.relation == expr::Relation::GreaterEqual;
    const Rational& b = w.objective_bound;
    const Target objective = minimum ? Target{std::nullopt, false, b, false} : Target{b, false, std::nullopt, false};
    const char* key = minimum ? "witness.objective_upper" : "witness.objective_lower";
    if (!inside(f.value, objective))
      fail(std::string(key) + ": the objective at the witness is not shown " + (minimum ? "below" : "above") +
           " it: " + not_inside_text(f.value, objective));
    if (minimum ? b < c_.claim.bound : b > c_.claim.bound)
      fail(std::string(key) + ": " + numeric::to_string(b) + " is " + (minimum ? "below" : "above") +
           " the claimed bound " + numeric::to_string(c_.claim.bound) + " (inconsistent)");
  }

  const Certificate& c_;
  Rational eps_;
  // Mutable: Lagrangian nodes are added while leaves are checked
  // (hash-consing makes adding the same node twice a lookup).
  mutable expr::ExprGraph graph_;
  // Parses over the variables and the certificate's definitions.
  std::optional<expr::NamedExpressionParser> names_;
  std::set<std::string> definition_names_;
  expr::NodeId claim_ = 0;
  Target claim_target_;
  std::vector<expr::ContractorConstraint> constraints_;  // HC4 targets (outward, binary64)
  std::vector<Target> targets_;                          // exact targets
  std::vector<std::size_t> projected_;                   // indices of the projected variables
  std::vector<std::size_t> free_of_projected_;           // constraints that do not depend on them
  std::vector<Interval> root_;
  std::vector<std::uint32_t> parent_;
  std::vector<int> slot_;
};

}  // namespace

CheckResult check(const Certificate& c) {
  CheckResult result;
  try {
    Checker(c).run(result);
    result.valid = true;
  } catch (const Failure& f) {
    result.valid = false;
    result.reason = f.reason;
  } catch (const std::exception& e) {
    result.valid = false;
    result.reason = std::string("internal error while checking: ") + e.what();
  } catch (...) {
    result.valid = false;
    result.reason = "internal error while checking";
  }
  return result;
}

}  // namespace cerval::cert
