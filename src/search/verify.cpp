#include <cerval/search/verify.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iostream>

namespace cerval::search {

const char* to_string(Verdict v) {
  switch (v) {
    case Verdict::Proven: return "proven";
    case Verdict::Refuted: return "refuted";
    case Verdict::Unknown: return "unknown";
  }
  return "?";
}

bool enclosure_proves(const Interval& x, expr::Relation rel, double b_down, double b_up) {
  if (x.is_empty()) return false;
  // No double lies strictly between b_down and b_up, so each test is exact.
  switch (rel) {
    case expr::Relation::LessEqual: return x.upper() <= b_down;
    case expr::Relation::Less: return x.upper() < b_up;
    case expr::Relation::GreaterEqual: return x.lower() >= b_up;
    case expr::Relation::Greater: return x.lower() > b_down;
    case expr::Relation::Equal: return x.lower() == x.upper() && b_down == b_up && x.lower() == b_down;
  }
  return false;
}

bool enclosure_refutes(const Interval& x, expr::Relation rel, double b_down, double b_up) {
  if (x.is_empty()) return false;
  switch (rel) {
    case expr::Relation::LessEqual: return x.lower() > b_down;
    case expr::Relation::Less: return x.lower() >= b_up;
    case expr::Relation::GreaterEqual: return x.upper() < b_up;
    case expr::Relation::Greater: return x.upper() <= b_down;
    case expr::Relation::Equal: return x.upper() < b_up || x.lower() > b_down;
  }
  return false;
}

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
using Clock = std::chrono::steady_clock;

// Every point of a is greater than (or equal to) every point of b.
bool certainly_greater(const numeric::MpInterval& a, const numeric::MpInterval& b) {
  return !a.is_empty() && !b.is_empty() && mpfr_cmp(a.lower_mpfr(), b.upper_mpfr()) > 0;
}
bool certainly_greater_equal(const numeric::MpInterval& a, const numeric::MpInterval& b) {
  return !a.is_empty() && !b.is_empty() && mpfr_cmp(a.lower_mpfr(), b.upper_mpfr()) >= 0;
}

struct Open {
  double badness;  // how far the enclosure reaches past the bound: largest first
  std::uint32_t node;
  Box tree_box;
  BoxBound bound;
  double volume_fraction;
};

struct OpenOrder {
  bool operator()(const Open& a, const Open& b) const { return a.badness < b.badness; }
};

}  // namespace

ClaimResult verify_claim(const expr::Spec& spec, const expr::Comparison& claim, const SearchOptions& options) {
  const auto start = Clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(Clock::now() - start).count(); };
  ClaimResult r;
  const auto rel = claim.relation;
  const double b_down = numeric::to_double_down(claim.bound), b_up = numeric::to_double_up(claim.bound);
  const bool wants_upper = rel == expr::Relation::LessEqual || rel == expr::Relation::Less;
  const Side side = wants_upper ? Side::Upper : Side::Lower;
  // Contracting with the negated claim removes points where the claim holds.
  const double cutoff = wants_upper ? b_down : b_up;
  const bool use_cutoff = rel != expr::Relation::Equal && std::isfinite(cutoff);

  BoxBounder bounder(spec, claim.expr, options.eps_h);
  r.root_box = expr::enclose_domains(spec.variables);
  ProofTree& tree = r.tree;
  tree.add();
  const std::vector<double> resolution = default_resolution(r.root_box);
  const std::size_t n = r.root_box.size();
  const bool taylor = n <= 6;

  // A rigorous counterexample at `x`: f undefined there, or its enclosure
  // (refined up to 1024 bits) entirely on the wrong side of the bound.
  auto refutes_at = [&](const std::vector<double>& x, bool refine) -> bool {
    if (!in_exact_domain(spec, x) || !bounder.point_feasible(x)) return false;
    Box point;
    for (double v : x) point.push_back(Interval(v));
    const auto e = expr::evaluate<Interval>(spec.graph, claim.expr, point);
    if (!expr::is_defined_everywhere(e.decoration)) {
      // Undefinedness at a point is decided exactly by a high-precision
      // evaluation: a degenerate input gives a degenerate domain test.
      std::vector<numeric::MpInterval> mp;
      for (double v : x) mp.push_back(numeric::MpInterval(v, v, 256));
      const auto m = expr::evaluate<numeric::MpInterval>(spec.graph, claim.expr, mp,
                                                         expr::NumberFactory<numeric::MpInterval>{256});
      if (expr::is_defined_everywhere(m.decoration)) return false;
      r.witness = x;
      r.witness_reason = "expression undefined";
      r.witness_value = "undefined";
      return true;
    }
    if (enclosure_refutes(e.value, rel, b_down, b_up)) {
      r.witness = x;
      r.witness_reason = "violates the claim";
      r.witness_value = numeric::to_string(e.value);
      return true;
    }
    if (enclosure_proves(e.value, rel, b_down, b_up) || !refine) return false;
    for (long bits : {128L, 512L, 2048L}) {
      std::vector<numeric::MpInterval> mp;
      for (double v : x) mp.push_back(numeric::MpInterval(v, v, bits));
      const auto m = expr::evaluate<numeric::MpInterval>(spec.graph, claim.expr, mp,
                                                         expr::NumberFactory<numeric::MpInterval>{bits});
      // The exact comparison with the rational bound, at this precision.
      const numeric::MpInterval b = numeric::MpInterval::enclose(claim.bound, bits);
      const bool refuted = [&] {
        switch (rel) {
          case expr::Relation::LessEqual: return certainly_greater(m.value, b);
          case expr::Relation::Less: return certainly_greater_equal(m.value, b);
          case expr::Relation::GreaterEqual: return certainly_greater(b, m.value);
          case expr::Relation::Greater: return certainly_greater_equal(b, m.value);
          case expr::Relation::Equal: return certainly_greater(m.value, b) || certainly_greater(b, m.value);
        }
        return false;
      }();
      if (refuted) {
        r.witness = x;
        r.witness_reason = "violates the claim";
        r.witness_value = numeric::to_string(m.value);
        return true;
      }
    }
    return false;
  };

  std::vector<Open> open;
  std::vector<Open> undecided;  // at binary64 resolution
  bool refuted = false;
  auto process = [&](std::uint32_t node, Box tree_box, double volume_fraction) {
    const std::optional<double> cut = use_cutoff ? std::optional<double>(cutoff) : std::nullopt;
    BoxBound b = bounder.bound(tree_box, side, cut, taylor);
    ++r.boxes;
    if (b.infeasible) {
      record_leaf(tree, node, b, LeafKind::Infeasible);
      return;
    }
    const bool defined = expr::is_defined_everywhere(b.decoration);
    if (defined && enclosure_proves(b.enclosure, rel, b_down, b_up)) {
      record_leaf(tree, node, b, LeafKind::Proven);
      return;
    }
    // Higher-precision refinement for the first boxes (a claim false by a
    // hair is usually false at the first centres), then only at the end.
    if (refutes_at(expr::default_center(b.box), r.boxes <= 32)) {
      refuted = true;
      return;
    }
    double badness = kInf;
    if (defined && !b.enclosure.is_empty())
      badness = wants_upper ? b.enclosure.upper() - b_down : b_up - b.enclosure.lower();
    open.push_back(Open{badness, node, std::move(tree_box), std::move(b), volume_fraction});
    std::push_heap(open.begin(), open.end(), OpenOrder{});
  };

  const std::vector<expr::ConstraintTerm> terms = constraint_terms(spec);
  int multiplier_updates = 0;
  std::size_t next_multiplier_update = 0;
  process(0, r.root_box, 1.0);
  double last_report = 1.0;
  while (!open.empty() && !refuted) {
    if ((options.timeout_s > 0 && elapsed() > options.timeout_s) || r.boxes >= options.max_boxes) {
      break;
    }
    if (options.progress && elapsed() > last_report) {
      last_report = elapsed() + 1.0;
      std::cerr << "verify: " << r.boxes << " boxes, " << open.size() << " open\n";
    }
    std::pop_heap(open.begin(), open.end(), OpenOrder{});
    Open o = std::move(open.back());
    open.pop_back();
    // Lagrangian bounds with the KKT multipliers estimated at the centre of
    // the worst box: where the claim is tight on an active constraint.
    if (!terms.empty() && multiplier_updates < 64 && r.boxes >= next_multiplier_update) {
      ++multiplier_updates;
      next_multiplier_update = r.boxes + 64;
      bounder.set_multipliers(terms, estimate_multipliers(spec.graph, claim.expr, terms,
                                                       expr::default_center(o.bound.box), r.root_box),
                              side, options.eps_h.has_value());
    }
    int variable;
    double point;
    // A claim that depends on no variable is decided by its one enclosure or
    // not at all: splitting cannot tighten it.
    if (spec.graph.is_constant(claim.expr) || !choose_split(o.tree_box, o.bound, resolution, variable, point)) {
      undecided.push_back(std::move(o));
      continue;
    }
    const double fraction = o.volume_fraction;
    Children c = split_node(tree, o.node, std::move(o.tree_box), variable, point);
    process(c.lower_id, std::move(c.lower), fraction / 2);
    process(c.upper_id, std::move(c.upper), fraction / 2);
  }
  // Where binary64 could not decide, look for a counterexample at higher
  // precision at the centres of the worst undecided boxes.
  if (!refuted) {
    std::vector<const Open*> worst;
    for (auto* list : {&open, &undecided})
      for (const Open& o : *list) worst.push_back(&o);
    std::sort(worst.begin(), worst.end(), [](const Open* a, const Open* b) { return a->badness > b->badness; });
    for (std::size_t k = 0; k < worst.size() && k < 64 && !refuted; ++k)
      refuted = refutes_at(expr::default_center(worst[k]->bound.box), true);
  }
  r.time_s = elapsed();
  if (refuted) {
    r.verdict = Verdict::Refuted;
    return r;
  }
  if (open.empty() && undecided.empty()) {
    r.verdict = Verdict::Proven;
    return r;
  }
  r.verdict = Verdict::Unknown;
  r.worst_bound = wants_upper ? -kInf : kInf;
  for (auto* list : {&open, &undecided})
    for (const Open& o : *list) {
      r.undecided_fraction += o.volume_fraction;
      const double worst = wants_upper ? o.badness + b_down : b_up - o.badness;
      r.worst_bound = wants_upper ? std::max(r.worst_bound, worst) : std::min(r.worst_bound, worst);
    }
  return r;
}

}  // namespace cerval::search
