#include <cerval/search/certificate_export.hpp>

#include <limits>

#include <cstdint>
#include <optional>
#include <vector>

namespace cerval::search {

namespace {

// Above this many nodes unfolded (claim and constraints together), the
// expressions are written with definitions (shared subexpressions) instead
// of as trees, whose text grows exponentially for an unrolled scheme.
constexpr std::uint64_t kMaxTreeNodes = std::uint64_t{1} << 14;

// The certificate's variables, constraints and eps_h, and the claim's
// expression text when `claim` is given.
cert::Certificate common(const expr::Spec& spec, const SearchOptions& options,
                         std::optional<expr::NodeId> claim = std::nullopt) {
  cert::Certificate c;
  for (const auto& d : spec.variables) c.variables.push_back({d.name, d.lower, d.upper});
  std::vector<expr::NodeId> roots;
  if (claim) roots.push_back(*claim);
  for (const auto& k : spec.constraints) roots.push_back(k.expr);
  std::uint64_t total = 0;
  for (expr::NodeId r : roots) total += spec.graph.tree_size(r);
  std::vector<std::string> texts;
  if (total <= kMaxTreeNodes) {
    for (expr::NodeId r : roots) texts.push_back(spec.graph.to_string(r));
  } else {
    expr::ExprGraph::SharedText shared = spec.graph.to_shared_text(roots);
    for (auto& [name, text] : shared.definitions) c.definitions.push_back({name, std::move(text)});
    texts = std::move(shared.roots);
  }
  std::size_t k = 0;
  if (claim) c.claim.expression = texts[k++];
  for (const auto& con : spec.constraints) c.constraints.push_back({texts[k++], con.relation, con.bound});
  c.eps_h = options.eps_h;
  return c;
}

// The leaf data of a settled (not open) leaf.
void copy_leaf(const ProofNode& p, cert::CertNode& n) {
  n.leaf = p.kind == LeafKind::Proven       ? cert::LeafKind::Proven
           : p.kind == LeafKind::Infeasible ? cert::LeafKind::Infeasible
                                            : cert::LeafKind::NoStationaryPoint;
  n.form = p.form;
  n.precision = p.precision;
  n.contract = p.contract;
  n.cutoff = p.cutoff;
  n.center = p.center;
  n.multipliers = p.multipliers;
  for (const Interval& x : p.projection) {  // empty: not projected on this leaf
    n.projection_lower.push_back(x.is_empty() ? std::numeric_limits<double>::quiet_NaN() : x.lower());
    n.projection_upper.push_back(x.is_empty() ? std::numeric_limits<double>::quiet_NaN() : x.upper());
  }
  for (const ProofFace& f : p.boundary) {
    cert::CertFace face{f.constraint, f.variable, f.upper, {}};
    copy_leaf(f.leaf, face.leaf);
    n.boundary.push_back(std::move(face));
  }
}

// Copies the proof tree; false when a leaf is open.
bool copy_tree(const ProofTree& tree, cert::Certificate& c, std::string& why) {
  c.nodes.resize(tree.nodes.size());
  for (std::size_t k = 0; k < tree.nodes.size(); ++k) {
    const ProofNode& p = tree.nodes[k];
    cert::Node& n = c.nodes[k];
    if (p.split_variable >= 0) {
      n.split_variable = p.split_variable;
      n.at = p.split_point;
      n.children[0] = p.children[0];
      n.children[1] = p.children[1];
      continue;
    }
    if (p.kind == LeafKind::Open) {
      why = "a box was left undecided (the expression is not defined on all of it, or the budget ran out)";
      return false;
    }
    copy_leaf(p, n);
  }
  return true;
}

// The names of the projected variables, when a leaf of the tree uses projection.
void name_projected(const expr::Spec& spec, const ProofTree& tree, const SearchOptions& options,
                    cert::Certificate& c) {
  for (const ProofNode& p : tree.nodes)
    if (p.split_variable < 0 && !p.projection.empty()) {
      for (std::size_t i : options.projected) c.projected.push_back(spec.variables.at(i).name);
      return;
    }
}

}  // namespace

std::optional<cert::Certificate> bound_certificate(const expr::Spec& spec, const expr::Comparison& claim,
                                                   const ClaimResult& r, const SearchOptions& options,
                                                   std::string& why) {
  cert::Certificate c = common(spec, options, claim.expr);
  c.kind = "bound";
  c.claim.relation = claim.relation;
  c.claim.bound = claim.bound;
  if (!copy_tree(r.tree, c, why)) return std::nullopt;
  name_projected(spec, r.tree, options, c);
  return c;
}

std::optional<cert::Certificate> minimum_certificate(const expr::Spec& spec, expr::NodeId f,
                                                     const MinimizationResult& r, const SearchOptions& options,
                                                     std::string& why) {
  if (r.status == SearchStatus::Infeasible) {
    // No feasible point: the claim 0 >= 1, false everywhere, holds at every
    // feasible point exactly when there is none; every leaf must be
    // infeasible (or emptied by HC4 without a cut-off).
    cert::Certificate c = common(spec, options);
    c.kind = "bound";
    c.claim = {"0", expr::Relation::GreaterEqual, numeric::Rational(1)};
    if (!copy_tree(r.tree, c, why)) return std::nullopt;
    return c;
  }
  if (!r.witness || !std::isfinite(r.lower)) {
    why = "no feasible witness";
    return std::nullopt;
  }
  cert::Certificate c = common(spec, options, f);
  c.kind = "minimum";
  c.claim.relation = expr::Relation::GreaterEqual;
  c.claim.bound = numeric::to_rational(r.lower);
  c.witness = cert::Witness{*r.witness, numeric::to_rational(r.upper), 53, {}, {}};
  if (r.witness_box)
    for (const Interval& x : *r.witness_box) {
      c.witness->box_lower.push_back(x.lower());
      c.witness->box_upper.push_back(x.upper());
    }
  if (!copy_tree(r.tree, c, why)) return std::nullopt;
  name_projected(spec, r.tree, options, c);
  return c;
}

}  // namespace cerval::search
