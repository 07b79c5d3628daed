#include <cerval/stefan/inverse.hpp>

#include <cerval/cert/checker.hpp>
#include <cerval/expr/builder.hpp>
#include <cerval/expr/diagnostics.hpp>
#include <cerval/expr/eval.hpp>
#include <cerval/search/certificate_export.hpp>
#include <cerval/search/regression_transform.hpp>
#include <cerval/search/verify.hpp>
#include <cerval/stefan/scheme.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iostream>
#include <limits>

namespace cerval::stefan {

// The scheme's exact constants as detached GraphScalars: they join the graph
// of the first node they meet (expr/builder.hpp).
template <>
struct SchemeConstant<expr::GraphScalar> {
  static expr::GraphScalar make(const numeric::Rational& q) { return expr::GraphScalar(q); }
};

using expr::GraphScalar;
using expr::InputError;
using expr::NodeId;
using numeric::Interval;
using numeric::MpInterval;
using numeric::Rational;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// A data expression of the problem (variables p, t, x) as a node of `target`,
// with p, t and x replaced by the given values.
GraphScalar data_at(const InverseProblem& pr, NodeId id, const std::vector<GraphScalar>& p, const GraphScalar& t,
                    const GraphScalar& x, expr::ExprGraph& target) {
  std::vector<NodeId> replacement;
  for (const GraphScalar& v : p) replacement.push_back(v.id());
  replacement.push_back(t.id());
  replacement.push_back(x.id());
  return {target, search::substitute(pr.graph, {id}, target, replacement).front()};
}

// The discrete solution at the parameters `p` (variables of `g`, or exact
// constants for the true parameter): the fronts s_j, the final profile z^n
// and the front temperatures z^j_m, j = 1..n.
struct Trajectory {
  std::vector<GraphScalar> front;       // s_0 .. s_n
  std::vector<GraphScalar> final_profile;  // z^n_0 .. z^n_m
  std::vector<GraphScalar> front_temperature;  // z^1_m .. z^n_m
};

Trajectory run_scheme(const InverseProblem& pr, int m, int n, const std::vector<GraphScalar>& p, expr::ExprGraph& g) {
  const Rational tau = pr.final_time / n;
  const GraphScalar zero = GraphScalar::constant(g, Rational(0));
  Trajectory r;
  for (int j = 0; j <= n; ++j)
    r.front.push_back(data_at(pr, pr.front, p, GraphScalar::constant(g, tau * j), zero, g));
  // Initial profile z^0_i = phi(xi_i s0).
  std::vector<GraphScalar> z;
  for (int i = 0; i <= m; ++i)
    z.push_back(data_at(pr, pr.initial, p, zero, GraphScalar::constant(g, pr.s0 * Rational(i, m)), g));
  // u_t = a u_xx, flux -a u_x = q at 0, Stefan condition at the front.
  LandauScheme<GraphScalar> scheme;
  scheme.a = GraphScalar(pr.diffusivity);
  scheme.gamma = GraphScalar(pr.latent_heat);
  scheme.theta = pr.theta;
  scheme.tau = tau;
  scheme.left = LeftCondition::Flux;
  scheme.right = RightCondition::Stefan;
  auto level = [&](int j) {
    LandauLevel<GraphScalar> lv;
    lv.s = r.front[static_cast<std::size_t>(j)];
    lv.left = data_at(pr, pr.flux, p, GraphScalar::constant(g, tau * j), zero, g);
    lv.chi = GraphScalar(pr.chi);
    if (pr.diffusivity_field)  // a(xi_i s_j, t_j) at every node
      for (int i = 0; i <= m; ++i)
        lv.a.push_back(data_at(pr, *pr.diffusivity_field, p, GraphScalar::constant(g, tau * j), lv.s * Rational(i, m), g));
    return lv;
  };
  LandauLevel<GraphScalar> old_level = level(0);
  for (int j = 0; j < n; ++j) {
    LandauLevel<GraphScalar> new_level = level(j + 1);
    z = landau_theta_step(scheme, z, old_level, new_level);
    r.front_temperature.push_back(z.back());
    old_level = std::move(new_level);
  }
  r.final_profile = z;
  return r;
}

// I_n from the trajectory at p and the measurements.
GraphScalar cost_of(const InverseProblem& pr, int m, int n, const Trajectory& at, const std::vector<GraphScalar>& p,
                    const std::optional<Trajectory>& truth, expr::ExprGraph& g) {
  const Rational h = Rational(1, m);
  const Rational tau = pr.final_time / n;
  const GraphScalar zero = GraphScalar::constant(g, Rational(0));
  const GraphScalar T = GraphScalar::constant(g, pr.final_time);
  const GraphScalar sn = at.front.back();
  // beta0 s_n h sum_i' (z^n_i - w(xi_i s_n))^2, trapezoidal weights.
  GraphScalar final_sum = zero;
  for (int i = 0; i <= m; ++i) {
    const GraphScalar w = pr.final_temperature
                              ? data_at(pr, *pr.final_temperature, p, T, sn * Rational(i, m), g)
                              : truth->final_profile[static_cast<std::size_t>(i)];
    GraphScalar term = sqr(at.final_profile[static_cast<std::size_t>(i)] - w);
    if (i == 0 || i == m) term = term / 2;
    final_sum = final_sum + term;
  }
  GraphScalar cost = zero;
  if (pr.beta0 != 0) cost = cost + pr.beta0 * h * (sn * final_sum);
  if (pr.beta1 != 0) {
    const GraphScalar s_star = pr.final_front ? data_at(pr, *pr.final_front, p, T, zero, g) : truth->front.back();
    cost = cost + pr.beta1 * sqr(sn - s_star);
  }
  if (pr.beta2 != 0) {
    GraphScalar front_sum = zero;
    for (int j = 1; j <= n; ++j) {
      const GraphScalar mu = pr.front_temperature
                                 ? data_at(pr, *pr.front_temperature, p, GraphScalar::constant(g, tau * j), zero, g)
                                 : truth->front_temperature[static_cast<std::size_t>(j - 1)];
      front_sum = front_sum + sqr(at.front_temperature[static_cast<std::size_t>(j - 1)] - mu);
    }
    cost = cost + pr.beta2 * tau * front_sum;
  }
  return cost;
}

std::string grid_text(int m, int n) { return "(m, n) = (" + std::to_string(m) + ", " + std::to_string(n) + ")"; }

bool inside(const Interval& box, const Rational& q) {
  return numeric::to_rational(box.lower()) <= q && q <= numeric::to_rational(box.upper());
}

}  // namespace

void validate(const InverseProblem& pr, const expr::SourceLocation& where) {
  if (pr.parameters.empty()) throw InputError(where, "the inverse problem needs at least one parameter");
  if (pr.graph.variable_count() != pr.parameters.size() + 2)
    throw InputError(where, "the inverse problem's data must be expressions in the parameters, t and x");
  for (const auto& d : pr.parameters) {
    if (!d.lower || !d.upper) throw InputError(d.where, "parameter '" + d.name + "' needs a bounded domain");
    if (*d.lower > *d.upper) throw InputError(d.where, "empty domain for parameter '" + d.name + "'");
  }
  if (pr.s0 <= 0) throw InputError(where, "s0 must be positive");
  if (pr.theta < 0 || pr.theta > 1) throw InputError(where, "theta must lie in [0, 1]");
  if (pr.diffusivity <= 0) throw InputError(where, "the diffusivity a must be positive");
  if (pr.final_time <= 0) throw InputError(where, "the final time must be positive");
  if (pr.beta0 < 0 || pr.beta1 < 0 || pr.beta2 < 0) throw InputError(where, "the weights beta must be nonnegative");
  if (pr.m0 < 2 || pr.n0 < 1 || pr.m0 > 1000 || pr.n0 > 1000)
    throw InputError(where, "the grid sizes must be 2 <= m0 <= 1000 and 1 <= n0 <= 1000");
  if (pr.levels < 1 || pr.levels > 6) throw InputError(where, "the number of grids must be between 1 and 6");
  // s(p, 0) = s0 on the whole box: the interval enclosure of s at t = 0 over
  // P must lie in the tightest 128-bit enclosure of s0 (`s0 + p t` passes;
  // a front that moves s(0) with p does not).
  {
    std::vector<numeric::MpInterval> box;
    for (const auto& d : pr.parameters) box.push_back(MpInterval::enclose(*d.lower, *d.upper, 128));
    box.push_back(MpInterval::enclose(Rational(0), 128));
    box.push_back(MpInterval::enclose(Rational(0), 128));
    const auto e = expr::evaluate<MpInterval>(pr.graph, pr.front, box, {128});
    if (!expr::is_defined_everywhere(e.decoration) || !e.value.contains(pr.s0) ||
        !MpInterval::enclose(pr.s0, 128).contains(e.value))
      throw InputError(where, "the front s(p, t) must equal s0 at t = 0 for every parameter in the box");
  }
  if (pr.diffusivity_field) {
    std::vector<MpInterval> at;
    for (const auto& d : pr.parameters) at.push_back(MpInterval::enclose((*d.lower + *d.upper) / 2, 128));
    at.push_back(MpInterval::enclose(Rational(0), 128));
    at.push_back(MpInterval::enclose(Rational(0), 128));
    for (int k = 0; k <= 2; ++k)
      for (int i = 0; i <= 2; ++i) {
        at[at.size() - 2] = MpInterval::enclose(pr.final_time * Rational(k, 2), 128);
        at[at.size() - 1] = MpInterval::enclose(pr.s0 * Rational(i, 2), 128);
        const auto e = expr::evaluate<MpInterval>(pr.graph, *pr.diffusivity_field, at, {128});
        if (expr::is_defined_everywhere(e.decoration) && e.value.certainly_le(0.0))
          throw InputError(where, "the diffusivity a(p, t, x) must be positive; it is <= 0 at t = " +
                                      numeric::to_string(pr.final_time * Rational(k, 2)) +
                                      ", x = " + numeric::to_string(pr.s0 * Rational(i, 2)));
      }
  }
  const bool all_data = pr.final_temperature && pr.final_front && pr.front_temperature;
  if (!all_data && !pr.true_parameter)
    throw InputError(where, "measurements that are not given (w, s_*, mu) are generated at the true parameter: "
                            "state 'true_parameter'");
  if (pr.true_parameter) {
    if (pr.true_parameter->size() != pr.parameters.size())
      throw InputError(where, "the true parameter needs one value per parameter");
    for (std::size_t k = 0; k < pr.parameters.size(); ++k) {
      const auto& d = pr.parameters[k];
      const Rational& v = (*pr.true_parameter)[k];
      if (v < *d.lower || v > *d.upper)
        throw InputError(d.where, "the true value of '" + d.name + "' lies outside its domain");
    }
  }
}

DiscreteCost discrete_cost(const InverseProblem& pr, int m, int n) {
  DiscreteCost dc;
  dc.m = m;
  dc.n = n;
  expr::ExprGraph& g = dc.spec.graph;
  std::vector<GraphScalar> p;
  for (std::size_t k = 0; k < pr.parameter_count(); ++k) {
    g.add_variable(pr.parameters[k].name);
    dc.spec.variables.push_back(pr.parameters[k]);
    p.push_back(GraphScalar::variable(g, k));
  }
  std::optional<Trajectory> truth;
  std::vector<GraphScalar> pt;
  if (pr.true_parameter) {
    for (const Rational& v : *pr.true_parameter) pt.push_back(GraphScalar::constant(g, v));
    truth = run_scheme(pr, m, n, pt, g);
  }
  const Trajectory at = run_scheme(pr, m, n, p, g);
  dc.cost = cost_of(pr, m, n, at, p, truth, g).id();
  if (truth) dc.truth_cost = cost_of(pr, m, n, *truth, pt, truth, g).id();
  dc.spec.objective = expr::Objective{expr::Sense::Minimize, dc.cost, "I_n on " + grid_text(m, n), {}};
  return dc;
}

InverseResult solve_inverse(const InverseProblem& pr, const InverseOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  const auto seconds = [](auto from) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - from).count();
  };
  const bool progress = options.search.progress;
  InverseResult result;
  std::optional<std::vector<double>> previous;  // the last grid's witness: a first incumbent
  for (int k = 0; k < pr.levels; ++k) {
    const auto grid_start = std::chrono::steady_clock::now();
    GridResult gr;
    gr.m = pr.m0 << k;
    gr.n = pr.n0 << k;
    const DiscreteCost dc = discrete_cost(pr, gr.m, gr.n);
    gr.nodes = dc.spec.graph.size();
    const std::size_t np = pr.parameter_count();
    if (dc.truth_cost) {
      std::vector<MpInterval> at;
      for (std::size_t j = 0; j < np; ++j) at.push_back(MpInterval::enclose((*pr.true_parameter)[j], 128));
      const auto e = expr::evaluate<MpInterval>(dc.spec.graph, *dc.truth_cost, at, {128});
      if (expr::is_defined_everywhere(e.decoration))
        gr.truth_cost = Interval(e.value.lower_down(), e.value.upper_up());
    }
    // 1. I_n* enclosed, certificate checked.
    search::SearchOptions so = options.search;
    if (previous) so.start_points.push_back(*previous);
    gr.search = search::minimize(dc.spec, dc.cost, so);
    const search::MinimizationResult& m = gr.search;
    if (progress)
      std::cerr << "inverse: " << grid_text(gr.m, gr.n) << ", " << gr.nodes << " nodes: I_n* in [" << m.lower << ", "
                << m.upper << "], " << m.boxes_processed << " boxes (" << m.time_s << " s)\n";
    gr.certificate_check = "not checked";
    if (m.status == search::SearchStatus::Success) {
      std::string why;
      auto c = search::minimum_certificate(dc.spec, dc.cost, m, so, why);
      if (!c) {
        gr.certificate_check = "rejected: " + why;
      } else {
        const cert::CheckResult check = cert::check(*c);
        gr.certificate_check = check.valid ? "" : "rejected: " + check.reason;
        gr.definitions = c->definitions.size();
        gr.certificate = std::move(c);
      }
      gr.certified = gr.certificate_check.empty();
    }
    if (m.witness) previous = m.witness;
    // 2. The minimiser box: the hull of the open boxes and the witness,
    // widened until I_n > upper is proven on every slab of P outside it.
    if (gr.certified && options.certify_minimizers) {
      std::vector<Interval> hull;
      for (std::size_t j = 0; j < np; ++j) hull.emplace_back((*m.witness)[j], (*m.witness)[j]);
      for (const auto& b : m.minimizer_boxes)
        for (std::size_t j = 0; j < np; ++j)
          hull[j] = Interval(std::min(hull[j].lower(), b[j].lower()), std::max(hull[j].upper(), b[j].upper()));
      const Rational level = numeric::to_rational(m.upper);
      for (int attempt = 0; attempt < 4 && !gr.minimizers_certified; ++attempt) {
        std::vector<Interval> box;
        for (std::size_t j = 0; j < np; ++j) {
          const auto& d = pr.parameters[j];
          const double lo_p = numeric::to_double_up(*d.lower), hi_p = numeric::to_double_down(*d.upper);
          // At least options.box_margin of the parameter's range: the slab
          // claims are then decided away from the minimisers (I_n grows
          // quadratically there).
          const double margin =
              std::max(hull[j].width(), options.box_margin * (hi_p - lo_p)) * std::ldexp(1.0, 2 * attempt);
          box.emplace_back(std::max(lo_p, hull[j].lower() - margin), std::min(hi_p, hull[j].upper() + margin));
        }
        gr.slabs.clear();
        bool all = true;
        for (std::size_t j = 0; j < np && all; ++j)
          for (int side = 0; side < 2 && all; ++side) {
            SlabProof sp;
            sp.parameter = j;
            sp.below = side == 0;
            expr::Spec slab = dc.spec;
            auto& d = slab.variables[j];
            if (sp.below) {
              const Rational edge = numeric::to_rational(box[j].lower());
              if (edge <= *d.lower) {
                sp.verdict = "empty";
                gr.slabs.push_back(sp);
                continue;
              }
              d.upper = edge;
              d.inner_upper.reset();
            } else {
              const Rational edge = numeric::to_rational(box[j].upper());
              if (edge >= *d.upper) {
                sp.verdict = "empty";
                gr.slabs.push_back(sp);
                continue;
              }
              d.lower = edge;
              d.inner_lower.reset();
            }
            const expr::Comparison claim{dc.cost, expr::Relation::Greater, level, "I_n > upper", {}};
            search::SearchOptions vo = options.search;
            vo.start_points.clear();
            const search::ClaimResult cr = search::verify_claim(slab, claim, vo);
            if (cr.verdict != search::Verdict::Proven) {
              sp.verdict = std::string("not proven (") + search::to_string(cr.verdict) + ")";
              all = false;
            } else {
              std::string why;
              const auto c = search::bound_certificate(slab, claim, cr, vo, why);
              const cert::CheckResult check = c ? cert::check(*c) : cert::CheckResult{};
              if (!c) sp.verdict = "rejected: " + why;
              else if (!check.valid) sp.verdict = "rejected: " + check.reason;
              else sp.verdict = "proven";
              sp.leaves = check.leaves;
              all = sp.verdict == "proven";
            }
            gr.slabs.push_back(sp);
          }
        gr.minimizer_box = box;
        gr.minimizers_certified = all;
      }
    }
    if (pr.true_parameter && !gr.minimizer_box.empty()) {
      bool in = true;
      for (std::size_t j = 0; j < np; ++j) in = in && inside(gr.minimizer_box[j], (*pr.true_parameter)[j]);
      gr.truth_in_box = in;
    }
    gr.time_s = seconds(grid_start);
    if (progress)
      std::cerr << "inverse: " << grid_text(gr.m, gr.n) << ": certificate "
                << (gr.certified ? "accepted" : gr.certificate_check) << ", minimiser box "
                << (gr.minimizers_certified ? "proven" : "not proven") << " (" << gr.time_s << " s)\n";
    result.grids.push_back(std::move(gr));
  }
  // The verdict.
  bool all = true, refuted = false;
  const bool generated = !(pr.final_temperature && pr.final_front && pr.front_temperature);
  for (const GridResult& gr : result.grids) {
    all = all && gr.certified && gr.minimizers_certified;
    if (generated && gr.truth_in_box) {
      all = all && *gr.truth_in_box;
      refuted = refuted || (gr.minimizers_certified && !*gr.truth_in_box);
    }
  }
  result.verdict = refuted ? "refuted" : all ? "proven" : "unknown";
  result.time_s = seconds(start);
  return result;
}

}  // namespace cerval::stefan
