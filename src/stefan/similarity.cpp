#include <cerval/stefan/similarity.hpp>

#include <cmath>
#include <stdexcept>

namespace cerval::stefan {

using numeric::MpInterval;
using numeric::Rational;

MpInterval erf_enclosure(const MpInterval& x) {
  const mpfr_prec_t prec = x.precision();
  if (x.is_empty()) return MpInterval::empty(prec);
  mpfr_t lo, hi;
  mpfr_init2(lo, prec);
  mpfr_init2(hi, prec);
  // Correctly rounded erf (MPFR), directed outward; erf is increasing, and
  // erf(-oo) = -1, erf(oo) = 1 are handled by MPFR.
  mpfr_erf(lo, x.lower_mpfr(), MPFR_RNDD);
  mpfr_erf(hi, x.upper_mpfr(), MPFR_RNDU);
  MpInterval r(lo, hi, prec);
  mpfr_clear(lo);
  mpfr_clear(hi);
  return r;
}

const char* neumann_case_name(NeumannCase c) { return c == NeumannCase::Dirichlet ? "dirichlet" : "flux"; }

namespace {

// F(lambda) enclosed; lambda an interval (usually a point).
MpInterval residual(NeumannCase c, const MpInterval& param, const MpInterval& lambda) {
  const mpfr_prec_t prec = lambda.precision();
  MpInterval g = lambda * exp(sqr(lambda));
  if (c == NeumannCase::Dirichlet) return g * erf_enclosure(lambda) - param / sqrt(MpInterval::pi(prec));
  return g - param;
}

MpInterval point(mpfr_srcptr v, mpfr_prec_t prec) { return MpInterval(v, v, prec); }

}  // namespace

LambdaEnclosure neumann_lambda(NeumannCase c, const Rational& parameter, int digits) {
  if (parameter <= 0) throw std::invalid_argument("the Stefan number / flux constant must be positive");
  if (digits < 1 || digits > 10000) throw std::invalid_argument("digits must be between 1 and 10000");
  LambdaEnclosure out;
  mpfr_prec_t prec = static_cast<mpfr_prec_t>(std::ceil(digits * 3.3219280948873622)) + 64;
  const Rational target = [&] {
    Rational t = 1;
    for (int i = 0; i < digits; ++i) t /= 10;
    return t;
  }();
  MpInterval param = MpInterval::enclose(parameter, prec);
  // Bracket: F(0) = -St/sqrt(pi) or -Q < 0; find hi with F(hi) > 0 by doubling.
  MpInterval lo(0.0, 0.0, prec);
  MpInterval hi(1.0, 1.0, prec);
  if (!residual(c, param, lo).certainly_lt(0)) return out;
  for (int k = 0; !residual(c, param, hi).certainly_gt(0); ++k) {
    if (k > 64) return out;
    hi = hi + hi;
  }
  out.existence = true;
  out.uniqueness = true;  // strict monotonicity of F on (0, oo), parameter > 0 (header)
  for (int guard = 0; guard < 4 * digits * 4 + 400; ++guard) {
    MpInterval bracket(lo.lower_mpfr(), hi.upper_mpfr(), prec);
    if (bracket.upper_rational() - bracket.lower_rational() <= target) break;
    auto halves = numeric::bisect(bracket);
    MpInterval mid = point(halves.first.upper_mpfr(), prec);
    MpInterval f = residual(c, param, mid);
    ++out.iterations;
    if (f.certainly_lt(0)) {
      lo = mid;
    } else if (f.certainly_gt(0)) {
      hi = mid;
    } else {
      // F(mid) not decided at this precision: raise it and retry.
      if (prec > 4 * (static_cast<mpfr_prec_t>(digits) * 4 + 64)) break;
      prec *= 2;
      param = MpInterval::enclose(parameter, prec);
      lo = MpInterval(lo.lower_mpfr(), lo.upper_mpfr(), prec);
      hi = MpInterval(hi.lower_mpfr(), hi.upper_mpfr(), prec);
    }
  }
  out.lambda = MpInterval(lo.lower_mpfr(), hi.upper_mpfr(), prec);
  out.precision_bits = prec;
  out.digits_met = out.lambda.upper_rational() - out.lambda.lower_rational() <= target;
  return out;
}

MpInterval neumann_front(const MpInterval& lambda, const Rational& t) {
  const mpfr_prec_t prec = lambda.precision();
  return MpInterval(2.0, 2.0, prec) * lambda * sqrt(MpInterval::enclose(t, prec));
}

MpInterval neumann_temperature(NeumannCase c, const Rational& parameter, const MpInterval& lambda,
                               const MpInterval& x, const Rational& t) {
  const mpfr_prec_t prec = std::max(lambda.precision(), x.precision());
  if (t <= 0) throw std::invalid_argument("the temperature is evaluated at t > 0");
  const MpInterval eta = x / (MpInterval(2.0, 2.0, prec) * sqrt(MpInterval::enclose(t, prec)));
  const MpInterval p = MpInterval::enclose(parameter, prec);
  if (c == NeumannCase::Dirichlet) return p * (MpInterval(1.0, 1.0, prec) - erf_enclosure(eta) / erf_enclosure(lambda));
  return p * sqrt(MpInterval::pi(prec)) * (erf_enclosure(lambda) - erf_enclosure(eta));
}

std::string check_lambda_bounds(const Rational& st, const MpInterval& lambda) {
  const Rational low = st / (Rational(2) + Rational(2) * st / 3);
  const Rational high = st / 2;
  const MpInterval l2 = sqr(lambda);
  if (l2.is_empty() || !l2.is_bounded()) return "unknown";
  const Rational a = l2.lower_rational(), b = l2.upper_rational();
  if (a >= low && b <= high) return "proven";
  if (b < low || a > high) return "refuted";
  return "unknown";
}

}  // namespace cerval::stefan
