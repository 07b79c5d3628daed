#pragma once
// The subdivision a search performed, recorded so that it can be replayed as a
// certificate: inner nodes split one variable at an exact double, leaves say
// how the claim was established on their box.
#include <cerval/expr/forms.hpp>

#include <cstdint>
#include <optional>
#include <vector>

namespace cerval::search {

enum class LeafKind : std::uint8_t {
  Open,        // not (yet) established: the search ran out of budget or precision here
  Proven,      // the bounding form proves the claim on the (contracted) box
  Infeasible,  // no feasible point: a constraint's natural extension misses its target, or HC4 emptied the box
  // Unconstrained problems on a bounded domain only: the (contracted) box
  // lies in the interior of the domain and Krawczyk's test shows that the
  // gradient has no zero in it (expr/existence.hpp), so no global minimiser
  // or maximiser lies in it (docs/certificates.md states the argument).
  NoStationaryPoint,
};

struct ProofFace;

struct ProofNode {
  // Split (inner node) when split_variable >= 0.
  int split_variable = -1;
  double split_point = 0;
  std::uint32_t children[2] = {0, 0};
  // Leaf data.
  LeafKind kind = LeafKind::Open;
  expr::Form form = expr::Form::Natural;
  bool contract = false;                 // HC4 was applied to the box before bounding
  std::optional<double> cutoff;          // contraction also used claim-negation target up to this value
  std::vector<double> center;            // expansion point of centred forms
  std::vector<double> multipliers;       // Lagrangian bound (expr/lagrangian.hpp); empty: f itself
  // Variable projection (SearchOptions::projected): the ranges that replaced
  // the projected coordinates of the box before it was bounded, one per
  // projected variable (an empty interval: not projected here); empty: none.
  std::vector<numeric::Interval> projection;
  // With a projection: the faces of the box's feasible set in the projected
  // variables, where their constrained minimum lies when the unconstrained
  // one is infeasible (cert::CertNode::boundary has the argument); the leaf
  // itself then uses every constraint. Empty: the relaxation to all of R^k.
  std::vector<ProofFace> boundary;
  int precision = 53;
};

// One face: constraint `constraint` at the lower or upper end of its set, or
// variable `variable` at that end of the leaf's box; `leaf` proves the claim
// there (on the leaf's box, no projection).
struct ProofFace {
  int constraint = -1;
  int variable = -1;
  bool upper = false;
  ProofNode leaf;
};

struct ProofTree {
  std::vector<ProofNode> nodes;  // nodes[0] is the root
  std::uint32_t add() {
    nodes.emplace_back();
    return static_cast<std::uint32_t>(nodes.size() - 1);
  }
  std::size_t leaf_count() const {
    std::size_t n = 0;
    for (const auto& node : nodes) n += node.split_variable < 0;
    return n;
  }
};

}  // namespace cerval::search
