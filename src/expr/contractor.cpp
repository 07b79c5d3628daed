#include <cerval/expr/contractor.hpp>

namespace cerval::expr {

using numeric::Interval;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

const Interval& nonnegative() {
  static const Interval r(0.0, kInf);
  return r;
}

// The set {x : x^n in z} for integer n >= 3, enclosed through z^(1/n).
Interval root_preimage(const Interval& z, long n) {
  const Interval inverse = Interval(1.0) / Interval(static_cast<double>(n));
  const Interval positive_root = pow(intersect(z, nonnegative()), inverse);
  if (n % 2 == 0) return hull(positive_root, -positive_root);
  const Interval negative_root = -pow(intersect(-z, nonnegative()), inverse);
  return hull(positive_root, negative_root);
}

// Narrows the operands of node n (values in `v`) so that they stay
// consistent with the node's value v[id]. Returns false on an empty operand.
bool project(const Node& n, NodeId id, std::vector<Interval>& v) {
  const Interval& z = v[id];
  Interval& x = v[n.lhs];
  switch (n.op) {
    case Op::Add: {
      Interval& y = v[n.rhs];
      x = intersect(x, z - y);
      y = intersect(y, z - x);
      return !x.is_empty() && !y.is_empty();
    }
    case Op::Sub: {
      Interval& y = v[n.rhs];
      x = intersect(x, z + y);
      y = intersect(y, x - z);
      return !x.is_empty() && !y.is_empty();
    }
    case Op::Mul: {
      Interval& y = v[n.rhs];
      // x = z / y wherever y != 0; where y = 0 the product is 0, so x is
      // unconstrained exactly when 0 is an admissible value.
      if (!(y.contains_zero() && z.contains_zero())) x = intersect(x, z / y);
      if (!(x.contains_zero() && z.contains_zero())) y = intersect(y, z / x);
      return !x.is_empty() && !y.is_empty();
    }
    case Op::Div: {
      Interval& y = v[n.rhs];
      x = intersect(x, z * y);
      if (!(x.contains_zero() && z.contains_zero())) y = intersect(y, x / z);
      return !x.is_empty() && !y.is_empty();
    }
    case Op::Neg: x = intersect(x, -z); break;
    case Op::Sqr: {
      const Interval r = sqrt(z);
      x = hull(intersect(x, r), intersect(x, -r));
      break;
    }
    case Op::Sqrt: x = intersect(x, sqr(intersect(z, nonnegative()))); break;
    case Op::Exp: x = intersect(x, log(z)); break;
    case Op::Log: x = intersect(x, exp(z)); break;
    case Op::Atan: {
      // x = tan(z) when z lies strictly inside (-pi/2, pi/2), where tan is
      // continuous and increasing.
      const double half_pi_low = (Interval::pi() / Interval(2.0)).lower();
      if (z.lower() > -half_pi_low && z.upper() < half_pi_low) x = intersect(x, tan(z));
      break;
    }
    case Op::Asin: {
      const Interval half_pi = Interval::pi() / Interval(2.0);
      x = intersect(x, sin(intersect(z, Interval(-half_pi.upper(), half_pi.upper()))));
      break;
    }
    case Op::Acos: x = intersect(x, cos(intersect(z, Interval(0.0, Interval::pi().upper())))); break;
    case Op::Abs: {
      const Interval r = intersect(z, nonnegative());
      x = hull(intersect(x, r), intersect(x, -r));
      break;
    }
    case Op::PowInt:
      if (n.integer == 1) x = intersect(x, z);
      else if (n.integer == 2) x = hull(intersect(x, sqrt(z)), intersect(x, -sqrt(z)));
      else if (n.integer >= 3) x = intersect(x, root_preimage(z, static_cast<long>(n.integer)));
      break;
    case Op::Min: {
      Interval& y = v[n.rhs];
      // min(x, y) in z implies x >= z.lower and y >= z.lower.
      if (!z.is_empty()) {
        x = intersect(x, Interval(z.lower(), kInf));
        y = intersect(y, Interval(z.lower(), kInf));
      }
      return !x.is_empty() && !y.is_empty() && !z.is_empty();
    }
    case Op::Max: {
      Interval& y = v[n.rhs];
      if (!z.is_empty()) {
        x = intersect(x, Interval(-kInf, z.upper()));
        y = intersect(y, Interval(-kInf, z.upper()));
      }
      return !x.is_empty() && !y.is_empty() && !z.is_empty();
    }
    default:
      return !z.is_empty();  // no projection: sound, only less contraction
  }
  return !x.is_empty();
}

}  // namespace

std::optional<Interval> boundary_target(Relation relation, const Rational& bound, const Rational& eps,
                                        bool upper_end) {
  switch (relation) {
    case Relation::LessEqual:
    case Relation::Less: return upper_end ? std::optional<Interval>(Interval::enclose(bound)) : std::nullopt;
    case Relation::GreaterEqual:
    case Relation::Greater: return upper_end ? std::nullopt : std::optional<Interval>(Interval::enclose(bound));
    case Relation::Equal:
      if (eps == 0) return upper_end ? std::nullopt : std::optional<Interval>(Interval::enclose(bound));
      return Interval::enclose(upper_end ? Rational(bound + eps) : Rational(bound - eps));
  }
  return std::nullopt;
}

Interval relation_target(Relation relation, const Rational& bound) {
  const Interval b = Interval::enclose(bound);
  switch (relation) {
    case Relation::LessEqual:
    case Relation::Less: return Interval(-kInf, b.upper());
    case Relation::GreaterEqual:
    case Relation::Greater: return Interval(b.lower(), kInf);
    case Relation::Equal: return b;
  }
  return Interval::entire();
}

Hc4Contractor::Hc4Contractor(const ExprGraph& graph, std::vector<ContractorConstraint> constraints)
    : graph_(&graph), constraints_(std::move(constraints)) {}

bool Hc4Contractor::revise(const ContractorConstraint& c, std::vector<Interval>& box) const {
  Evaluator<Interval> forward(*graph_);
  forward.evaluate_until(box, c.expr);
  std::vector<Interval> v(forward.values().begin(), forward.values().begin() + c.expr + 1);
  v[c.expr] = intersect(v[c.expr], c.target);
  if (v[c.expr].is_empty()) return false;
  const auto& nodes = graph_->nodes();
  // Reverse topological order: a shared node receives the narrowing of all its
  // users before it narrows its own operands.
  std::vector<bool> reached(c.expr + 1, false);
  reached[c.expr] = true;
  for (NodeId k = c.expr + 1; k-- > 0;) {
    if (!reached[k]) continue;
    const Node& n = nodes[k];
    if (n.op == Op::Variable) {
      Interval& x = box[static_cast<std::size_t>(n.integer)];
      x = intersect(x, v[k]);
      if (x.is_empty()) return false;
      continue;
    }
    if (n.op == Op::Constant || n.op == Op::Pi) {
      if (v[k].is_empty()) return false;
      continue;
    }
    if (!project(n, k, v)) return false;
    reached[n.lhs] = true;
    if (is_binary(n.op)) reached[n.rhs] = true;
  }
  return true;
}

bool Hc4Contractor::contract(std::vector<Interval>& box) const {
  // Propagate until the box stops shrinking noticeably (at most a few rounds:
  // HC4 alone converges slowly on some systems, and bisection takes over).
  for (int round = 0; round < 4; ++round) {
    double before = 0;
    for (const auto& x : box) before += x.width();
    for (const auto& c : constraints_)
      if (!revise(c, box)) return false;
    double after = 0;
    for (const auto& x : box) after += x.width();
    if (!(after < 0.9 * before)) break;
  }
  return true;
}

}  // namespace cerval::expr
