#pragma once
// Similarity (Neumann) solutions of the one-phase Stefan problem, certified.
//
// Units u_t = u_xx on 0 < x < s(t), u(s(t), t) = 0, s'(t) = -u_x(s(t), t),
// s(0) = 0 (docs/stefan.md, ../shared/docs/references/stefan.md):
//  - Dirichlet case u(0, t) = St > 0: s = 2 lambda sqrt(t),
//    u = St (1 - erf(x / (2 sqrt t)) / erf(lambda)), where lambda > 0 solves
//    F(lambda) = lambda e^{lambda^2} erf(lambda) - St / sqrt(pi) = 0;
//  - flux case -u_x(0, t) = Q / sqrt(t), Q > 0: s = 2 lambda sqrt(t),
//    u = Q sqrt(pi) (erf(lambda) - erf(x / (2 sqrt t))), where lambda > 0
//    solves F(lambda) = lambda e^{lambda^2} - Q = 0.
//
// Theorem used (existence and uniqueness of lambda): on (0, oo) F is
// continuous and strictly increasing (a product of positive strictly
// increasing factors minus a constant), F(0+) < 0 and F(oo) = oo. Hence there
// is exactly one positive root. The code certifies F(lo) < 0 < F(hi) with
// MPFR/MPFI interval arithmetic at each bisection step, so the returned
// [lo, hi] contains the unique positive root (intermediate value theorem;
// uniqueness from the monotonicity, which is a theorem, not a computation).
//
// erf is not in the Interval/MpInterval function set: erf_enclosure uses
// MPFR's correctly rounded mpfr_erf with rounding down at the lower endpoint
// and up at the upper one; erf is increasing, so the result contains erf(x)
// for every x in the input.
#include <cerval/numeric/mp_interval.hpp>
#include <cerval/numeric/rational.hpp>

#include <string>
#include <vector>

namespace cerval::stefan {

// erf over an interval, outward rounded (empty stays empty).
numeric::MpInterval erf_enclosure(const numeric::MpInterval& x);

enum class NeumannCase { Dirichlet, Flux };
const char* neumann_case_name(NeumannCase c);

struct LambdaEnclosure {
  numeric::MpInterval lambda{53};  // contains the unique positive root
  bool existence = false;          // F(lower) < 0 < F(upper) certified
  bool uniqueness = false;         // strict monotonicity of F on (0, oo) (theorem), requires parameter > 0
  bool digits_met = false;         // width <= 10^-digits
  int iterations = 0;              // bisection steps
  long precision_bits = 0;
};

// lambda of the one-phase Neumann problem, `parameter` = St (Dirichlet) or Q
// (flux), > 0 (throws std::invalid_argument otherwise), to an absolute width
// <= 10^-digits (1 <= digits <= 10000).
LambdaEnclosure neumann_lambda(NeumannCase c, const numeric::Rational& parameter, int digits);

// Exact free boundary s(t) = 2 lambda sqrt(t), t >= 0, enclosed.
numeric::MpInterval neumann_front(const numeric::MpInterval& lambda, const numeric::Rational& t);
// Exact temperature u(x, t) for 0 <= x <= s(t), t > 0, enclosed (lambda the
// enclosure above; the formula is monotone in nothing assumed: plain interval
// evaluation).
numeric::MpInterval neumann_temperature(NeumannCase c, const numeric::Rational& parameter,
                                        const numeric::MpInterval& lambda, const numeric::MpInterval& x,
                                        const numeric::Rational& t);

// The a-priori bound of the reference (Dirichlet case, from the first-moment
// identity and the comparison principle): St / (2 + 2 St / 3) <= lambda^2 <= St / 2.
// Returns the verdict word for "the certified lambda satisfies it":
// "proven" (every point of the enclosure satisfies both), "refuted" (no point
// does; would reveal a bug), or "unknown".
std::string check_lambda_bounds(const numeric::Rational& st, const numeric::MpInterval& lambda);

}  // namespace cerval::stefan
