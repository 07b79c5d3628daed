// Certified global search on classic problems, against a plain Moore-Skelboe
// baseline implemented here (natural interval extension, best-first on lower
// bounds, bisection of the widest coordinate, upper bounds at box midpoints;
// no contraction, no centred forms, no monotonicity, no local search).
//
// Reports per problem: boxes and time of cerval's branch and bound and of
// the baseline at the same eps, and their ratios. Both run in this process.
//
//   build/bench/search_benchmark [--eps 1e-9] [--baseline-boxes 2000000]
#include <cerval/expr/parser.hpp>
#include <cerval/search/branch_and_bound.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <queue>
#include <string>
#include <vector>

using namespace cerval;
using numeric::Interval;

namespace {

struct Problem {
  const char* name;
  const char* spec;
};

// At least 15 classic problems, 2 to 10 variables, some constrained.
const Problem kProblems[] = {
    {"booth", "variables x in [-10,10]; y in [-10,10]; minimize (x + 2*y - 7)^2 + (2*x + y - 5)^2;"},
    {"matyas", "variables x in [-10,10]; y in [-10,10]; minimize 0.26*(x^2 + y^2) - 0.48*x*y;"},
    {"three_hump_camel", "variables x in [-5,5]; y in [-5,5]; minimize 2*x^2 - 1.05*x^4 + x^6/6 + x*y + y^2;"},
    {"six_hump_camel", "variables x in [-3,3]; y in [-2,2]; minimize (4 - 2.1*x^2 + x^4/3)*x^2 + x*y + (-4 + 4*y^2)*y^2;"},
    {"beale", "variables x in [-4.5,4.5]; y in [-4.5,4.5];"
              "minimize (1.5 - x + x*y)^2 + (2.25 - x + x*y^2)^2 + (2.625 - x + x*y^3)^2;"},
    {"himmelblau", "variables x in [-5,5]; y in [-5,5]; minimize (x^2 + y - 11)^2 + (x + y^2 - 7)^2;"},
    {"rosenbrock2", "variables x in [-5,10]; y in [-5,10]; minimize 100*(y - x^2)^2 + (1 - x)^2;"},
    {"goldstein_price", "variables x in [-2,2]; y in [-2,2];"
                        "minimize (1 + (x + y + 1)^2*(19 - 14*x + 3*x^2 - 14*y + 6*x*y + 3*y^2))"
                        "*(30 + (2*x - 3*y)^2*(18 - 32*x + 12*x^2 + 48*y - 36*x*y + 27*y^2));"},
    {"easom", "variables x in [-100,100]; y in [-100,100]; minimize -cos(x)*cos(y)*exp(-((x - pi)^2 + (y - pi)^2));"},
    {"rastrigin2", "variables x in [-5.12,5.12]; y in [-5.12,5.12];"
                   "minimize 20 + x^2 - 10*cos(2*pi*x) + y^2 - 10*cos(2*pi*y);"},
    {"levy3", "variables x in [-10,10]; y in [-10,10]; z in [-10,10];"
              "minimize sin(pi*(1 + (x - 1)/4))^2 + ((x - 1)/4)^2*(1 + 10*sin(pi*(1 + (y - 1)/4) + 1)^2)"
              " + ((y - 1)/4)^2*(1 + 10*sin(pi*(1 + (z - 1)/4) + 1)^2) + ((z - 1)/4)^2*(1 + sin(2*pi*(1 + (z - 1)/4))^2);"},
    {"sphere5", "variables x[5] in [-5,5]; minimize x(1)^2 + x(2)^2 + x(3)^2 + x(4)^2 + x(5)^2;"},
    {"rosenbrock4", "variables x[4] in [-5,10];"
                    "minimize 100*(x(2) - x(1)^2)^2 + (1 - x(1))^2 + 100*(x(3) - x(2)^2)^2 + (1 - x(2))^2"
                    " + 100*(x(4) - x(3)^2)^2 + (1 - x(3))^2;"},
    {"trid6", "variables x[6] in [-36,36];"
              "minimize (x(1)-1)^2 + (x(2)-1)^2 + (x(3)-1)^2 + (x(4)-1)^2 + (x(5)-1)^2 + (x(6)-1)^2"
              " - x(2)*x(1) - x(3)*x(2) - x(4)*x(3) - x(5)*x(4) - x(6)*x(5);"},
    {"sum_squares10", "variables x[10] in [-10,10];"
                      "minimize x(1)^2 + 2*x(2)^2 + 3*x(3)^2 + 4*x(4)^2 + 5*x(5)^2 + 6*x(6)^2 + 7*x(7)^2"
                      " + 8*x(8)^2 + 9*x(9)^2 + 10*x(10)^2;"},
    {"disk_linear", "variables x in [-3,3]; y in [-3,3]; minimize x + y; constraints x^2 + y^2 <= 2;"},
    {"constrained_quadratic", "variables x in [-2,2]; y in [-2,2]; minimize (x - 1)^2 + (y - 2)^2;"
                              "constraints x + y <= 1; x - y >= -2;"},
    {"hs_like_3", "variables x in [0,4]; y in [0,4]; z in [0,4]; minimize x*y*z - x - y - z;"
                  "constraints x + y + z <= 6; x*y >= 1;"},
};

struct BaselineResult {
  bool done = false;
  double lower = -1e308, upper = 1e308;
  std::size_t boxes = 0;
};

struct BaselineEntry {
  double lb;
  std::vector<Interval> box;
  bool operator<(const BaselineEntry& o) const { return lb > o.lb; }
};

// Moore-Skelboe with natural extension; constraints used only to discard
// boxes certainly infeasible and to accept midpoints certainly feasible.
BaselineResult moore_skelboe(const expr::Spec& spec, double eps, std::size_t max_boxes) {
  BaselineResult r;
  const expr::NodeId f = spec.objective->expr;
  expr::Evaluator<Interval> ev(spec.graph);
  auto feasible_status = [&](const std::vector<Interval>& box, bool& certainly) {
    ev.evaluate(box);
    certainly = true;
    for (const auto& c : spec.constraints) {
      const Interval t = expr::relation_target(c.relation, c.bound);
      const Interval v = ev.value(c.expr);
      if (intersect(v, t).is_empty()) return false;
      if (!(v.upper() <= t.upper() && v.lower() >= t.lower()) || c.relation == expr::Relation::Equal)
        certainly = false;
    }
    return true;
  };
  std::priority_queue<BaselineEntry> heap;
  heap.push({-1e308, expr::enclose_domains(spec.variables)});
  while (!heap.empty()) {
    if (heap.top().lb >= r.upper - std::max(eps, eps * std::fabs(r.upper))) {
      r.lower = heap.top().lb;
      r.done = true;
      return r;
    }
    if (r.boxes >= max_boxes) break;
    BaselineEntry e = heap.top();
    heap.pop();
    std::size_t widest = 0;
    for (std::size_t i = 1; i < e.box.size(); ++i)
      if (e.box[i].width() > e.box[widest].width()) widest = i;
    const auto halves = bisect(e.box[widest]);
    for (const Interval& half : {halves.first, halves.second}) {
      std::vector<Interval> child = e.box;
      child[widest] = half;
      ++r.boxes;
      bool certainly = false;
      if (!feasible_status(child, certainly)) continue;
      const Interval range = ev.value(f);
      if (certainly) {
        std::vector<Interval> mid;
        for (const auto& x : child) mid.push_back(Interval(x.midpoint()));
        ev.evaluate(mid);
        r.upper = std::min(r.upper, ev.value(f).upper());
      }
      if (range.lower() <= r.upper) heap.push({range.lower(), child});
    }
  }
  r.lower = heap.empty() ? r.upper : heap.top().lb;
  return r;
}

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

int main(int argc, char** argv) {
  double eps = 1e-9;
  std::size_t baseline_budget = 2'000'000;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--eps")) eps = std::atof(argv[i + 1]);
    if (!std::strcmp(argv[i], "--baseline-boxes")) baseline_budget = static_cast<std::size_t>(std::atof(argv[i + 1]));
  }
  std::printf("%-22s %3s %10s %10s %12s | %11s %10s %12s | %9s %9s\n", "problem", "n", "status", "boxes", "time_s",
              "base_boxes", "base_time", "base_status", "box_ratio", "time_ratio");
  double total_cerval = 0, total_baseline = 0;
  int certified = 0, count = 0;
  for (const Problem& p : kProblems) {
    expr::Spec spec = expr::parse_spec(p.spec, p.name);
    search::SearchOptions so;
    so.eps_abs = so.eps_rel = eps;
    so.timeout_s = 120;
    so.record_tree = true;
    auto t0 = std::chrono::steady_clock::now();
    const auto r = search::minimize(spec, spec.objective->expr, so);
    const double tc = seconds_since(t0);
    t0 = std::chrono::steady_clock::now();
    const auto b = moore_skelboe(spec, eps, baseline_budget);
    const double tb = seconds_since(t0);
    ++count;
    certified += r.status == search::SearchStatus::Success;
    total_cerval += tc;
    total_baseline += tb;
    std::printf("%-22s %3zu %10s %10zu %12.4f | %11zu %10.4f %12s | %9.3g %9.3g\n", p.name, spec.variables.size(),
                search::to_string(r.status), r.boxes_processed, tc, b.boxes, tb, b.done ? "done" : "budget",
                static_cast<double>(b.boxes) / std::max<double>(1.0, static_cast<double>(r.boxes_processed)),
                tb / std::max(tc, 1e-9));
  }
  std::printf("\ncertified %d of %d at eps %g; total time cerval %.3f s, baseline %.3f s (ratio %.3g; the baseline\n"
              "stops at its box budget on the problems it cannot finish, so the ratio is a lower bound)\n",
              certified, count, eps, total_cerval, total_baseline, total_baseline / std::max(total_cerval, 1e-9));
  return 0;
}
