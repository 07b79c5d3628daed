#include <cerval/search/branch_and_bound.hpp>
#include <cerval/expr/existence.hpp>
#include <cerval/expr/partial_minimiser.hpp>
#include <cerval/expr/quadratic.hpp>
#include <cerval/numeric/float_matrix.hpp>
#include <cerval/search/feasibility.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iostream>
#include <optional>

namespace cerval::search {

const char* to_string(SearchStatus s) {
  switch (s) {
    case SearchStatus::Success: return "success";
    case SearchStatus::Infeasible: return "infeasible";
    case SearchStatus::NoFeasibleFound: return "no_feasible_found";
    case SearchStatus::Timeout: return "timeout";
    case SearchStatus::UnreachedPrecision: return "unreached_precision";
  }
  return "?";
}

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

using Clock = std::chrono::steady_clock;

struct Entry {
  double lb;
  std::uint32_t node;
  std::uint32_t depth;
  Box tree_box;
  BoxBound bound;
};

struct EntryOrder {
  // std::push_heap keeps the largest first: invert to pop the smallest lower bound,
  // deeper boxes first among equals (they are nearer to a decision).
  bool operator()(const Entry& a, const Entry& b) const {
    if (a.lb != b.lb) return a.lb > b.lb;
    return a.depth < b.depth;
  }
};

}  // namespace

MinimizationResult minimize(const expr::Spec& spec, expr::NodeId f, const SearchOptions& options) {
  const auto start = Clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(Clock::now() - start).count(); };
  MinimizationResult r;
  BoxBounder bounder(spec, f, options.eps_h);
  r.root_box = expr::enclose_domains(spec.variables);
  ProofTree& tree = r.tree;
  tree.add();
  const std::vector<double> resolution = default_resolution(r.root_box);
  const std::size_t n = r.root_box.size();
  // The second-order form costs O(n^2) per operation: worth it for small n,
  // where it removes the cluster effect around nondegenerate minimisers.
  const bool use_taylor = n <= 8;
  // The stationary-point exclusion needs a Hessian per box: O(n^2) too.
  const bool stationary_exclusion = spec.constraints.empty() && n <= 16;
  double upper = kInf;
  bool any_feasibility_unknown = false;

  // Variable projection (SearchOptions::projected). For f convex quadratic
  // in beta, on a tree box T = theta x B: every feasible (t, b) in T has
  // f(t, b) >= f(t, b^(t)), b^(t) the minimiser over all of R^k, which
  // Krawczyk's test encloses in E for all t in theta at once; and (t, b^(t))
  // satisfies the constraints free of beta. So a lower bound of f over
  // theta x E, contracted with those constraints and the cut-off only, is a
  // lower bound over the feasible points of T (the checker's argument,
  // cert/checker.cpp). Only theta is split on such boxes.
  std::vector<std::size_t> projected;
  if (!options.projected.empty() && expr::is_convex_quadratic_in(spec.graph, f, options.projected))
    projected = options.projected;
  std::optional<BoxBounder> projected_bounder;
  // The faces of the feasible set in beta (ProofNode::boundary): each end of
  // each constraint that depends on beta, bounded with that end as one more
  // constraint.
  struct ConstraintFace {
    int constraint;
    bool upper;
    BoxBounder bounder;
  };
  std::vector<ConstraintFace> constraint_faces;
  expr::NodeId last_face_constraint = 0;  // the largest node id among their constraints
  std::optional<expr::Hc4Contractor> free_of_projected;  // the constraints free of beta, when any
  // The split resolution that leaves the projected variables alone: all of
  // them (`theta_only`), or those projected on the box, or all of them where
  // the projection failed (theta is split first, so that it may succeed on
  // the children).
  auto theta_resolution = [&](const BoxBound& b, bool theta_only) {
    std::vector<double> res = resolution;
    for (std::size_t k = 0; k < projected.size(); ++k)
      if (theta_only || b.projection.empty() || !b.projection[k].is_empty()) res[projected[k]] = kInf;
    return res;
  };
  if (!projected.empty()) {
    const std::vector<expr::ContractorConstraint> all = contractor_constraints(spec, options.eps_h);
    const std::vector<Interval> all_targets = inner_targets(spec, options.eps_h);
    std::vector<expr::ContractorConstraint> kept;
    std::vector<Interval> kept_targets;
    std::vector<expr::Comparison> kept_exact;
    for (std::size_t k = 0; k < all.size(); ++k)
      if (expr::is_free_of(spec.graph, all[k].expr, projected)) {
        kept.push_back(all[k]);
        kept_targets.push_back(all_targets[k]);
        kept_exact.push_back(spec.constraints[k]);
      }
    if (!kept.empty()) free_of_projected.emplace(spec.graph, kept);
    projected_bounder.emplace(spec.graph, f, std::move(kept), std::move(kept_targets));
    projected_bounder->set_exact_constraints(exact_constraints(kept_exact));
    for (std::size_t k = 0; k < all.size(); ++k) {
      if (expr::is_free_of(spec.graph, all[k].expr, projected)) continue;
      last_face_constraint = std::max(last_face_constraint, all[k].expr);
      for (const bool upper_end : {false, true}) {
        const auto& c = spec.constraints[k];
        const auto face = expr::boundary_target(c.relation, c.bound, options.eps_h.value_or(0), upper_end);
        if (!face) continue;
        std::vector<expr::ContractorConstraint> with_face = all;
        std::vector<Interval> face_targets = all_targets;
        with_face.push_back({all[k].expr, *face});
        face_targets.push_back(*face);
        constraint_faces.push_back(
            {static_cast<int>(k), upper_end, BoxBounder(spec.graph, f, std::move(with_face), std::move(face_targets))});
        constraint_faces.back().bounder.set_exact_constraints(exact_constraints(spec.constraints));
      }
    }
  }

  const FeasibilityProver feasibility(spec, f, options.eps_h);
  const std::vector<expr::ConstraintTerm> terms = constraint_terms(spec);
  // A better incumbent moves the Lagrangian multipliers to its KKT estimate
  // (a bounded number of times: each change adds nodes to a private graph).
  int multiplier_updates = 0;
  auto new_incumbent = [&](const std::vector<double>& x) {
    if (terms.empty() || multiplier_updates >= 64) return;
    ++multiplier_updates;
    bounder.set_multipliers(terms, estimate_multipliers(spec.graph, f, terms, x, r.root_box), Side::Lower,
                            options.eps_h.has_value());
  };
  auto try_point = [&](const std::vector<double>& x) {
    if (feasibility.needed()) {
      // No point satisfies the equalities exactly: prove a box near x.
      const auto proven = feasibility.prove_near(x);
      if (proven && proven->objective.upper() < upper) {
        upper = proven->objective.upper();
        r.witness = proven->center;
        r.witness_box = proven->box;
        new_incumbent(proven->center);
      }
      return;
    }
    auto accept = [&](const std::vector<double>& p) {
      if (!in_exact_domain(spec, p) || !bounder.point_feasible(p)) return false;
      const Interval v = bounder.value_at(p);
      if (!v.is_empty() && v.upper() < upper) {
        upper = v.upper();
        r.witness = p;
        new_incumbent(p);
      }
      return true;
    };
    // An infeasible candidate is moved onto the feasible set first.
    if (!accept(x) && !spec.constraints.empty()) accept(feasibility.restore(x));
  };

  // Projected gradient steps from x inside `box` (floating-point heuristics;
  // every point it proposes is checked rigorously by try_point).
  auto descend = [&](std::vector<double> x, const Box& box) {
    auto value = [&](const std::vector<double>& p) {
      const Interval v = bounder.value_at(p);
      return v.is_empty() || !v.is_bounded() ? kInf : v.lower() / 2 + v.upper() / 2;
    };
    double fx = value(x);
    double step = 0;
    for (const auto& c : box) step = std::max(step, std::isfinite(c.width()) ? c.width() : 1.0);
    step *= 0.25;
    for (int iteration = 0; iteration < 12 && std::isfinite(fx); ++iteration) {
      std::vector<expr::Dual<Interval>> seeded;
      for (std::size_t i = 0; i < n; ++i) seeded.push_back(expr::Dual<Interval>::variable(Interval(x[i]), i, n));
      expr::Evaluator<expr::Dual<Interval>> ad(spec.graph);
      ad.evaluate_until(seeded, f);
      std::vector<double> g(n);
      double norm = 0;
      for (std::size_t i = 0; i < n; ++i) {
        const Interval gi = expr::detail::at(ad.value(f).grad, i, ad.value(f).value);
        g[i] = gi.is_bounded() ? gi.midpoint() : 0.0;
        norm = std::max(norm, std::fabs(g[i]));
      }
      if (norm == 0) break;
      bool improved = false;
      for (int halving = 0; halving < 30 && !improved; ++halving, step *= 0.5) {
        std::vector<double> y(n);
        for (std::size_t i = 0; i < n; ++i)
          y[i] = std::clamp(x[i] - step * g[i] / norm, box[i].lower(), box[i].upper());
        const double fy = value(y);
        if (fy < fx) {
          x = y;
          fx = fy;
          improved = true;
        }
      }
      if (!improved) break;
      step *= 2;
    }
    // Newton steps on grad f = 0 from there: near a nondegenerate minimiser
    // they reach it to full precision, so the upper bound meets the lower one.
    for (int iteration = 0; iteration < 8 && std::isfinite(fx) && n <= 64; ++iteration) {
      std::vector<expr::HessianDual<Interval>> seeded;
      for (std::size_t i = 0; i < n; ++i)
        seeded.push_back(expr::HessianDual<Interval>::variable(Interval(x[i]), i, n));
      expr::Evaluator<expr::HessianDual<Interval>> ad(spec.graph);
      ad.evaluate_until(seeded, f);
      const auto& d = ad.value(f);
      std::vector<double> hessian(n * n), direction(n);
      bool finite = true;
      for (std::size_t i = 0; i < n && finite; ++i) {
        const Interval gi = expr::detail::at(d.grad, i, d.value);
        direction[i] = gi.is_bounded() ? -gi.midpoint() : NAN;
        for (std::size_t j = 0; j < n; ++j) {
          const Interval hij = d.hessian(i, j, n);
          hessian[i * n + j] = hij.is_bounded() ? hij.midpoint() : NAN;
        }
        finite = std::isfinite(direction[i]);
      }
      if (!finite || !numeric::solve_in_place(hessian, direction, n)) break;
      std::vector<double> y(n);
      for (std::size_t i = 0; i < n; ++i) y[i] = std::clamp(x[i] + direction[i], r.root_box[i].lower(), r.root_box[i].upper());
      const double fy = value(y);
      if (!(fy < fx)) break;
      x = y;
      fx = fy;
    }
    try_point(x);
  };

  auto record = [&](std::uint32_t node, const BoxBound& b, LeafKind kind) {
    if (options.record_tree) record_leaf(tree, node, b, kind);
  };

  std::vector<Entry> heap;
  std::vector<Entry> small;  // boxes at binary64 resolution that could not be decided
  std::size_t infeasible_with_cutoff = 0;

  // The relaxation to beta in R^k is loose where beta^(theta) is infeasible
  // (outside the box, or violating a constraint): there the minimum over the
  // feasible beta lies on a face where a constraint or a bound of the tree
  // box is active (f is convex in beta). So f over the feasible part of
  // theta x E and over each face bounds the box too; `b` takes the least of
  // these when it beats the relaxation. Tried only where the relaxation does
  // not discard the box; given up at the first part that does not beat it.
  auto bound_on_boundary = [&](BoxBound& b, const Box& tree_box, const Box& projected_box,
                               std::optional<double> cutoff) {
    auto lower_of = [](const BoxBound& x) {
      if (x.infeasible) return kInf;
      return expr::is_defined_everywhere(x.decoration) && !x.enclosure.is_empty() ? x.enclosure.lower() : -kInf;
    };
    const double relaxed = lower_of(b);
    if (!cutoff || !(relaxed <= *cutoff)) return;
    // The faces bound the feasible set only where its constraints are continuous (the checker asks the same).
    if (!constraint_faces.empty()) {
      expr::Evaluator<Interval> ev(spec.graph);
      ev.evaluate_until(tree_box, last_face_constraint);
      for (const auto& c : constraint_faces)
        if (!expr::is_defined_everywhere(ev.decoration(bounder.constraints()[c.constraint].expr))) return;
    }
    BoxBound inside = bounder.bound(projected_box, Side::Lower, cutoff, use_taylor);
    if (inside.certainly_feasible) return;  // beta^ feasible everywhere: the relaxation is exact
    double lower = lower_of(inside);
    if (!(lower > relaxed)) return;
    std::vector<FaceBound> faces;
    bool all_infeasible = inside.infeasible;
    auto add_face = [&](int constraint, int variable, bool upper_end, BoxBound face) {
      const double l = lower_of(face);
      if (!(l > relaxed)) return false;
      lower = std::min(lower, l);
      all_infeasible = all_infeasible && face.infeasible;
      faces.push_back({constraint, variable, upper_end, std::move(face)});
      return true;
    };
    for (const auto& c : constraint_faces)
      if (!add_face(c.constraint, -1, c.upper, c.bounder.bound(tree_box, Side::Lower, cutoff, use_taylor))) return;
    for (std::size_t i : projected)
      for (const bool upper_end : {false, true}) {
        Box face = tree_box;
        face[i] = Interval(upper_end ? tree_box[i].upper() : tree_box[i].lower());
        if (!add_face(-1, static_cast<int>(i), upper_end, bounder.bound(face, Side::Lower, cutoff, use_taylor)))
          return;
      }
    if (inside.infeasible) {  // the feasible part of theta x E is empty: keep the search's view of the box
      inside.infeasible = all_infeasible;
      inside.box = std::move(b.box);
      inside.decoration = b.decoration;
      inside.gradient = std::move(b.gradient);
      inside.enclosure = all_infeasible ? Interval::empty() : Interval(lower, kInf);
    } else {
      inside.enclosure = Interval(lower, inside.enclosure.upper());
    }
    inside.projection = std::move(b.projection);
    inside.boundary = std::move(faces);
    b = std::move(inside);
  };

  auto leaves_box = [](const Box& e, const Box& tree_box, const std::vector<std::size_t>& subset) {
    for (std::size_t i : subset)
      if (!tree_box[i].contains(e[i])) return true;
    return false;
  };
  auto relative_width = [](const Box& e, const Box& tree_box, const std::vector<std::size_t>& subset) {
    double sum = 0;
    for (std::size_t i : subset) sum += e[i].width() / tree_box[i].width();
    return sum;
  };
  // The bound of a tree box: through projection where Krawczyk's test
  // encloses the minimisers in beta, else directly. Theta is first
  // contracted with the constraints free of beta (the checker does the same):
  // a whitened search box is much larger than the feasible set.
  auto bound_box = [&](const Box& tree_box, std::optional<double> cutoff) {
    Box theta = tree_box;
    if (!projected.empty() && (!free_of_projected || free_of_projected->contract(theta))) {
      // All projected variables, else all but one (near a set where the
      // Hessian block is singular, e.g. two equal rates of a sum of
      // exponentials, a smaller block is regular).
      std::vector<std::vector<std::size_t>> subsets{projected};
      for (std::size_t drop = projected.size(); drop-- > 0 && projected.size() > 1;) {
        subsets.push_back(projected);
        subsets.back().erase(subsets.back().begin() + static_cast<std::ptrdiff_t>(drop));
      }
      for (const auto& subset : subsets) {
        std::vector<double> guess;
        for (std::size_t i : subset) {
          const double m = r.witness ? (*r.witness)[i] : tree_box[i].midpoint();
          guess.push_back(std::isfinite(m) ? m : 0.0);
        }
        auto e = expr::partial_stationary_point_enclosure(spec.graph, f, theta, subset, guess);
        // Where Krawczyk's test fails, or its enclosure leaves the tree box
        // or spans more than a tenth of it in the mean (on an
        // ill-conditioned Hessian block it takes the block's entries as
        // independent and can be hundreds of times wider than the range of
        // beta^), also the perturbation bound, which keeps beta^'s
        // correlation with theta; the narrower of the two.
        if (!e || leaves_box(*e, tree_box, subset) || relative_width(*e, tree_box, subset) > 0.1 * subset.size()) {
          auto p = expr::partial_minimiser_enclosure(spec.graph, f, theta, subset, guess);
          if (p && (!e || relative_width(*p, tree_box, subset) < relative_width(*e, tree_box, subset))) e = std::move(p);
        }
        if (!e) continue;
        BoxBound b = projected_bounder->bound(*e, Side::Lower, cutoff, use_taylor);
        for (std::size_t i : projected)
          b.projection.push_back(std::find(subset.begin(), subset.end(), i) != subset.end() ? (*e)[i]
                                                                                            : Interval::empty());
        if (subset.size() == projected.size()) bound_on_boundary(b, tree_box, *e, cutoff);
        return b;
      }
    }
    return bounder.bound(tree_box, Side::Lower, cutoff, use_taylor);
  };

  auto bound_node = [&](std::uint32_t node, Box tree_box, std::uint32_t depth) {
    const std::optional<double> cutoff = std::isfinite(upper) ? std::optional<double>(upper) : std::nullopt;
    BoxBound b = bound_box(tree_box, cutoff);
    ++r.boxes_processed;
    if (b.infeasible) {
      if (b.cutoff) ++infeasible_with_cutoff;
      record(node, b, LeafKind::Infeasible);
      return;
    }
    if (!b.certainly_feasible) any_feasibility_unknown = true;
    const bool explore = depth == 0 || r.boxes_processed % 16 == 0;
    if (!feasibility.needed() || explore) try_point(expr::default_center(b.box));
    if (explore) descend(expr::default_center(b.box), r.root_box);
    const bool defined = expr::is_defined_everywhere(b.decoration);
    const double lb = b.enclosure.is_empty() ? kInf : b.enclosure.lower();
    if (defined && lb > upper) {
      record(node, b, LeafKind::Proven);
      return;
    }
    // Without constraints, a global minimiser inside the domain is a
    // stationary point: a box in the interior where the gradient has no zero
    // holds none (Krawczyk's exclusion test).
    if (stationary_exclusion && b.projection.empty() && strictly_inside_bounded_domain(spec, b.box) &&
        expr::krawczyk_excludes_stationary_point(spec.graph, f, b.box)) {
      ++r.boxes_without_stationary_point;
      record(node, b, LeafKind::NoStationaryPoint);
      return;
    }
    heap.push_back(Entry{lb, node, depth, std::move(tree_box), std::move(b)});
    std::push_heap(heap.begin(), heap.end(), EntryOrder{});
  };

  // Splits an open box's tree node by smear, or parks the box with the ones
  // at binary64 resolution when no coordinate can be split.
  auto split_or_park = [&](Entry& e) -> std::optional<Children> {
    int variable;
    double point;
    // With projection, theta is split first: beta only where theta cannot
    // be. Where a subset of beta is projected, the one left out only when
    // theta cannot be split either: its range is the tree box's (wide), and
    // slabs of it are many boxes, while a smaller theta box may let the
    // whole of beta be projected (NIST Kirby2: 2.7 times the boxes when the
    // smear chose the amplitude).
    const bool split_theta =
        !projected.empty() && (choose_split(e.tree_box, e.bound, theta_resolution(e.bound, true), variable, point) ||
                               choose_split(e.tree_box, e.bound, theta_resolution(e.bound, false), variable, point));
    if (!split_theta && (!e.bound.projection.empty() ||
                         !choose_split(e.tree_box, e.bound, resolution, variable, point))) {
      small.push_back(std::move(e));
      return std::nullopt;
    }
    return split_node(tree, e.node, std::move(e.tree_box), variable, point);
  };

  for (const auto& p : options.start_points)
    if (p.size() == n) try_point(p);
  bound_node(0, r.root_box, 0);
  double last_report = 1.0;
  auto current_lower = [&] {
    double lo = heap.empty() ? kInf : heap.front().lb;
    for (const auto& e : small) lo = std::min(lo, e.lb);
    return std::min(lo, upper);
  };
  bool out_of_budget = false;
  while (!heap.empty()) {
    const double lower_now = current_lower();
    if (std::isfinite(upper) && upper - lower_now <= std::max(options.eps_abs, options.eps_rel * std::fabs(upper)))
      break;
    if ((options.timeout_s > 0 && elapsed() > options.timeout_s) || r.boxes_processed >= options.max_boxes) {
      out_of_budget = true;
      break;
    }
    if (options.progress && elapsed() > last_report) {
      last_report = elapsed() + 1.0;
      std::cerr << "search: " << r.boxes_processed << " boxes, " << heap.size() << " open, f* in ["
                << lower_now << ", " << upper << "], gap " << upper - lower_now << "\n";
    }
    std::pop_heap(heap.begin(), heap.end(), EntryOrder{});
    Entry e = std::move(heap.back());
    heap.pop_back();
    if (expr::is_defined_everywhere(e.bound.decoration) && e.lb > upper) {
      record(e.node, e.bound, LeafKind::Proven);
      continue;
    }
    std::optional<Children> c = split_or_park(e);
    if (!c) continue;
    bound_node(c->lower_id, std::move(c->lower), e.depth + 1);
    bound_node(c->upper_id, std::move(c->upper), e.depth + 1);
  }

  // Boxes left open whose enclosure is not proven defined (an interval
  // division by an enclosure holding 0, where the function itself may well be
  // defined: an unrolled scheme on a wide box) cannot become proven leaves of
  // a certificate; their lower bound may be far above the minimum, so the
  // loop above never reached them. Split them until their pieces are defined
  // (and discarded, or kept open with their own lower bounds), at binary64
  // resolution, or the extra work reaches 3 times the work done so far plus
  // 4096 boxes (a function
  // undefined on a whole region stays open: no certificate).
  if (!out_of_budget) {
    std::vector<Entry> undefined;
    for (std::size_t k = 0; k < heap.size();) {
      if (!expr::is_defined_everywhere(heap[k].bound.decoration)) {
        undefined.push_back(std::move(heap[k]));
        if (k + 1 != heap.size()) heap[k] = std::move(heap.back());  // never a self-move
        heap.pop_back();
      } else {
        ++k;
      }
    }
    std::make_heap(heap.begin(), heap.end(), EntryOrder{});
    const std::size_t cap = 4 * r.boxes_processed + 4096;
    while (!undefined.empty()) {
      if ((options.timeout_s > 0 && elapsed() > options.timeout_s) || r.boxes_processed >= options.max_boxes ||
          r.boxes_processed >= cap) {
        for (Entry& e : undefined) heap.push_back(std::move(e));
        break;
      }
      Entry e = std::move(undefined.back());
      undefined.pop_back();
      if (e.bound.enclosure.is_empty()) {  // defined nowhere on the box: splitting cannot help
        heap.push_back(std::move(e));
        continue;
      }
      std::optional<Children> c = split_or_park(e);
      if (!c) continue;
      // bound_node pushes the children that stay open onto `heap`: collect
      // them on an empty one, the undefined ones go back to the work list.
      std::vector<Entry> kept;
      std::swap(kept, heap);
      bound_node(c->lower_id, std::move(c->lower), e.depth + 1);
      bound_node(c->upper_id, std::move(c->upper), e.depth + 1);
      for (Entry& child : heap)
        (expr::is_defined_everywhere(child.bound.decoration) ? kept : undefined).push_back(std::move(child));
      heap = std::move(kept);
    }
    std::make_heap(heap.begin(), heap.end(), EntryOrder{});
  }

  // Open boxes become leaves: each is bounded below by its own lower bound,
  // hence by the final lower bound, which is the least of them.
  r.lower = current_lower();
  for (auto* list : {&heap, &small})
    for (const Entry& e : *list) {
      const bool defined = expr::is_defined_everywhere(e.bound.decoration);
      record(e.node, e.bound, defined ? LeafKind::Proven : LeafKind::Open);
      r.minimizer_boxes.push_back(e.bound.box);
    }
  r.upper = upper;
  r.time_s = elapsed();
  const bool closed = heap.empty() && small.empty();
  if (!r.witness) {
    if (closed && infeasible_with_cutoff == 0) {
      r.status = SearchStatus::Infeasible;
      r.lower = kInf;
    } else {
      r.status = out_of_budget ? SearchStatus::Timeout : SearchStatus::NoFeasibleFound;
      if (!std::isfinite(r.lower) && r.lower > 0) r.lower = -kInf;
    }
  } else if (out_of_budget) {
    r.status = SearchStatus::Timeout;
  } else if (upper - r.lower <= std::max(options.eps_abs, options.eps_rel * std::fabs(upper))) {
    r.status = SearchStatus::Success;
  } else {
    r.status = SearchStatus::UnreachedPrecision;
  }
  (void)any_feasibility_unknown;
  return r;
}

}  // namespace cerval::search
