#include <cerval/expr/affine_form.hpp>

#include <cerval/expr/builder.hpp>

#include <algorithm>
#include <optional>
#include <stdexcept>
#include <utility>

namespace cerval::expr {

namespace {

// c + sum_k a_k t_k, terms sorted by the atom's node id, no zero coefficient.
struct Affine {
  Rational constant;
  std::vector<std::pair<NodeId, Rational>> terms;
};

Affine combine(const Affine& x, const Rational& cx, const Affine& y, const Rational& cy) {
  Affine r;
  r.constant = cx * x.constant + cy * y.constant;
  std::size_t i = 0, j = 0;
  while (i < x.terms.size() || j < y.terms.size()) {
    if (j == y.terms.size() || (i < x.terms.size() && x.terms[i].first < y.terms[j].first)) {
      r.terms.emplace_back(x.terms[i].first, cx * x.terms[i].second);
      ++i;
    } else if (i == x.terms.size() || y.terms[j].first < x.terms[i].first) {
      r.terms.emplace_back(y.terms[j].first, cy * y.terms[j].second);
      ++j;
    } else {
      Rational a = cx * x.terms[i].second + cy * y.terms[j].second;
      if (a != 0) r.terms.emplace_back(x.terms[i].first, std::move(a));
      ++i;
      ++j;
    }
  }
  return r;
}

bool is_atom(const Node& n) { return n.op == Op::Variable || n.op == Op::Min || n.op == Op::Max; }

// The affine form of node `id` from its operands' forms, if it has one. A
// clamp is an atom only when its operands are affine (defined everywhere):
// a combination whose coefficient of an atom cancels drops the atom, which
// must not drop a point where the expression is undefined.
std::optional<Affine> affine_of(const ExprGraph& g, NodeId id, const std::vector<std::optional<Affine>>& form) {
  const Node& n = g.node(id);
  if (n.op == Op::Variable || (is_atom(n) && form[n.lhs] && form[n.rhs]))
    return Affine{Rational(0), {{id, Rational(1)}}};
  if (n.op == Op::Constant) {
    if (const auto q = point_constant(g, id)) return Affine{*q, {}};
    return std::nullopt;
  }
  auto scalar = [](const std::optional<Affine>& a) -> std::optional<Rational> {
    if (a && a->terms.empty()) return a->constant;
    return std::nullopt;
  };
  switch (n.op) {
    case Op::Neg:
      if (form[n.lhs]) return combine(*form[n.lhs], Rational(-1), Affine{}, Rational(0));
      return std::nullopt;
    case Op::Add:
    case Op::Sub:
      if (form[n.lhs] && form[n.rhs])
        return combine(*form[n.lhs], Rational(1), *form[n.rhs], Rational(n.op == Op::Add ? 1 : -1));
      return std::nullopt;
    case Op::Mul:
      if (const auto c = scalar(form[n.lhs]); c && form[n.rhs]) return combine(*form[n.rhs], *c, Affine{}, Rational(0));
      if (const auto c = scalar(form[n.rhs]); c && form[n.lhs]) return combine(*form[n.lhs], *c, Affine{}, Rational(0));
      return std::nullopt;
    case Op::Div:
      if (const auto c = scalar(form[n.rhs]); c && *c != 0 && form[n.lhs])
        return combine(*form[n.lhs], Rational(1) / *c, Affine{}, Rational(0));
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

}  // namespace

std::vector<NodeId> collect_affine(const ExprGraph& source, const std::vector<NodeId>& roots, ExprGraph& target) {
  if (target.variable_count() != source.variable_count())
    throw std::invalid_argument("collect_affine: the graphs declare different variables");
  if (roots.empty()) return {};
  // The nodes below the roots, and their affine forms.
  const std::vector<bool> below = source.reachable(roots);
  const NodeId last = static_cast<NodeId>(below.size() - 1);
  std::vector<std::optional<Affine>> form(last + 1);
  for (NodeId id = 0; id <= last; ++id)
    if (below[id]) form[id] = affine_of(source, id, form);
  // A node is rebuilt in normal form when it is affine, not an atom and
  // depends on an atom; otherwise copied. Only the nodes the images use are
  // built: the roots, the operands of copied nodes, the atoms of normal forms.
  auto in_normal_form = [&](NodeId id) { return form[id] && !form[id]->terms.empty() && !is_atom(source.node(id)); };
  std::vector<bool> needed(last + 1, false);
  for (NodeId r : roots) needed[r] = true;
  for (NodeId id = last + 1; id-- > 0;) {
    if (!needed[id]) continue;
    if (in_normal_form(id)) {
      for (const auto& [atom, a] : form[id]->terms) needed[atom] = true;
      continue;
    }
    const Node& n = source.node(id);
    if (is_unary(n.op) || n.op == Op::PowInt) needed[n.lhs] = true;
    if (is_binary(n.op)) needed[n.lhs] = needed[n.rhs] = true;
  }
  std::vector<NodeId> image(last + 1, 0);
  for (NodeId id = 0; id <= last; ++id) {
    if (!needed[id]) continue;
    if (!in_normal_form(id)) {
      image[id] = copy_node(source, id, target, image);
      continue;
    }
    const Affine& f = *form[id];
    std::optional<NodeId> sum;
    if (f.constant != 0) sum = target.constant(f.constant);
    for (const auto& [atom, a] : f.terms) {
      const NodeId term = a == 1 ? image[atom] : fold_arithmetic(target, Op::Mul, target.constant(a), image[atom]);
      sum = sum ? fold_arithmetic(target, Op::Add, *sum, term) : term;
    }
    image[id] = *sum;
  }
  std::vector<NodeId> images;
  for (NodeId r : roots) images.push_back(image[r]);
  return images;
}

}  // namespace cerval::expr
