#pragma once
// Convergence or divergence of the formal solution (formal_solution.hpp):
// the hypotheses of the convergence theorem decided exactly, a certified lower
// bound on the radius with coefficient and tail bounds, certified divergence
// with its Gevrey order, the Newton polygon, and enclosures of the sum.
//
// Theorems (R. R. Gontsov, I. V. Goryuchkina, arXiv:2412.00778, and the
// predecessors arXiv:1407.1330, 1311.6416, 1601.05778), with a_j = dF/d(T^j y)
// along the formal solution and ord the order in x:
//   - differential (Malgrange): a_n != 0 and ord a_n <= ord a_j for j < n
//     => the formal solution converges;
//   - q-difference: |q| > 1 and ord a_n <= ord a_j for all j, or |q| < 1 and
//     ord a_0 <= ord a_j for all j => converges;
//   - Mahler: a_0 != 0 => converges.
// Orders are decided exactly: a coefficient of a_j below the number of
// computed terms is exact, so an order found there is exact, and an order not
// found there is at least that number.
//
// Certified bounds (each proven by induction, see docs/series.md):
//   - linear differential and q-difference equations: the recurrence majorant
//     P0(m) c_m = -sum_i P_i(m-i) c_{m-i} with B_i >= sup_{m>=N} |P_i(m-i)/P0(m)|
//     bounded by rational interval arithmetic, rho with sum B_i rho^i <= 1 and
//     M = max_{N-s<=k<N} |c_k| rho^k give |c_n| <= M rho^-n for n >= N - s;
//   - linear Mahler equations: the same induction with the Mahler terms
//     bounded by M rho^-(n+e0)/d, rho < 1;
//   - explicit first-order equations y' = f(x, y): the Cauchy majorant
//     Y' = F(R, Y) (F: f with absolute coefficients) and a lower Riemann sum of
//     int dY/F(R, Y) bound the radius and Y(r) >= |c_n| r^n;
//   - linear differential equations: also Fuchs' theorem (regular singular
//     point): radius >= the least modulus of the nonzero roots of a_n,
//     bounded below by Graeffe iterations and Cauchy's root bound;
//   - nonlinear differential equations of any order n satisfying Malgrange's
//     condition (Briot-Bouquet alpha delta y = h(x, y), algebraic equations
//     with dF/dy(0, c_0) != 0, y'' = 2 y y', ...): the weighted Malgrange
//     reduction y = phi_K0 + x^K0 t, |Ind(k)| >= eps k^n for k >= K0, and the
//     induction sum_{k>=K0} k^n |c_k| r^k <= B proven by the check
//     Phi(B) <= eps r^e0 B (Phi: |F(phi)|, |dF/d(delta^j y)(phi)| and the
//     nonlinear coefficients at r, outward MPFI; the comparison exact);
//   - q-difference (|q| < 1) and Mahler equations, also nonlinear: the same
//     check in the weighted l1 norm sum |c_n| r^n (contraction);
//   - divergence: for a two-term recurrence c_m = -P_s(m-s)/P_0(m) c_{m-s}
//     with deg P_s > deg P_0 (in m, or in q^m), L G(m)^g <= |c_m/c_{m-s}| <=
//     U G(m)^g for m >= N with some c_r != 0, N-s <= r < N, G(m) = m or
//     |q|^m: radius 0 and Gevrey (or q-Gevrey) order g/s, both certified;
//   - divergence with three or more terms when the first predecessor leads
//     (g = d_1 - d_0 > 0, d_i - d_0 <= g i): induction on
//     |c_m| >= theta G(m)^g |c_(m-1)|, Gevrey (q-Gevrey) order g.
// With an irrational q or irrational coefficients every decision is made on
// enclosures (a number is 0 only as the point 0, nonzero only if its
// enclosure excludes 0, |q| > 1 only if the enclosure of |q| lies above 1);
// what they cannot decide is `unknown`. Fuchs' bound and the linear Mahler
// majorant need exact coefficients.
// A series whose criterion fails is never called divergent without such a
// proof (x^2 y' + y = x + x^2 has the solution y = x).
#include <cerval/numeric/mp_interval.hpp>
#include <cerval/series/formal_solution.hpp>

#include <optional>
#include <string>
#include <vector>

namespace cerval::series {

enum class Decision { Proven, Refuted, Unknown };
const char* decision_name(Decision d);  // "proven", "refuted", "unknown"

struct Hypothesis {
  std::string statement;
  Decision decision = Decision::Unknown;
  std::string detail;
};

// |c_n| <= M rho^-n for every n >= from.
struct CoefficientBound {
  Rational rho;
  numeric::MpInterval M{128};  // M is its upper endpoint
  std::size_t from = 0;
  std::string method;
};

struct NewtonPolygon {
  std::vector<std::pair<int, int>> points;  // (j, ord a_j), orders found exactly
  std::vector<std::pair<int, int>> hull;    // lower convex hull vertices
  std::vector<Rational> slopes;
  std::optional<Rational> predicted_gevrey;  // 1/k for the theorem's slope k
};

enum class SeriesVerdict { Converges, Diverges, Unknown };
const char* verdict_name(SeriesVerdict v);  // "converges", "diverges", "unknown"

struct Analysis {
  std::string theorem;
  std::vector<Hypothesis> hypotheses;
  SeriesVerdict verdict = SeriesVerdict::Unknown;
  std::string reason;
  bool polynomial = false;                  // proven: c_n = 0 for n >= polynomial_degree + 1
  std::size_t polynomial_degree = 0;
  bool infinite_radius = false;             // proven
  std::optional<Rational> radius_lower;     // certified radius >= this
  std::optional<CoefficientBound> bound;    // at radius_lower (or a radius below it)
  std::optional<Rational> gevrey;           // certified Gevrey (q-Gevrey) order when diverging
  std::string gevrey_detail;
  NewtonPolygon polygon;
};

struct AnalysisOptions {
  std::size_t check_terms = 64;  // terms used to decide orders of nonlinear linearisations
};

// Decides the hypotheses and the verdict; extends `solution` as needed.
Analysis analyse(FormalSolution& solution, const AnalysisOptions& options = {});

// A coefficient bound with rho > `at_least` (needed for infinite radius or to
// evaluate near the disc's edge); nullopt when none is available.
std::optional<CoefficientBound> coefficient_bound_beyond(FormalSolution& solution, const Analysis& analysis,
                                                         const Rational& at_least);

struct ValueEnclosure {
  numeric::MpInterval value{64};  // contains sum c_n X^n
  std::size_t terms = 0;           // N: partial sum of c_0..c_{N-1}
  numeric::MpInterval tail{64};    // [-t, t] bound of the remainder
  bool met_digits = false;          // width <= 10^-digits
};

// Encloses the sum at X (|X| below the certified radius): N chosen from the
// tail bound so that the width is at most 10^-digits (absolute).
// For a Puiseux series (ramification p > 1) X must be >= 0 when p is even;
// the sum is evaluated at t = X^(1/p), enclosed by MPFI.
std::optional<ValueEnclosure> evaluate_sum(FormalSolution& solution, const Analysis& analysis, const Rational& X,
                                           int digits, std::size_t max_terms = 200000);
// The same at an interval point t (the series variable), |t| < radius.
std::optional<ValueEnclosure> evaluate_sum_at(FormalSolution& solution, const Analysis& analysis,
                                              const numeric::MpInterval& t, int digits, std::size_t max_terms = 200000);

}  // namespace cerval::series
