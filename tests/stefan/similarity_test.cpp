#include <catch2/catch.hpp>

#include <cerval/stefan/similarity.hpp>

#include <mpfr.h>

using cerval::numeric::MpInterval;
using cerval::numeric::Rational;
using namespace cerval::stefan;

namespace {

// Independent reference: Newton's method in plain MPFR at 400 bits on
// lambda e^{lambda^2} erf(lambda) - St/sqrt(pi) (Dirichlet) or lambda e^{lambda^2} - Q.
Rational reference_lambda(NeumannCase c, long p, long q) {
  const mpfr_prec_t prec = 400;
  mpfr_t x, f, df, t, e, pi, par;
  for (mpfr_ptr v : {x, f, df, t, e, pi, par}) mpfr_init2(v, prec);
  mpfr_set_d(x, 0.5, MPFR_RNDN);
  mpfr_const_pi(pi, MPFR_RNDN);
  mpfr_set_si(par, p, MPFR_RNDN);
  mpfr_div_si(par, par, q, MPFR_RNDN);
  if (c == NeumannCase::Dirichlet) {
    mpfr_sqrt(t, pi, MPFR_RNDN);
    mpfr_div(par, par, t, MPFR_RNDN);
  }
  for (int k = 0; k < 60; ++k) {
    // g = x e^{x^2}, g' = (1 + 2x^2) e^{x^2}
    mpfr_sqr(t, x, MPFR_RNDN);
    mpfr_exp(e, t, MPFR_RNDN);
    mpfr_mul(f, x, e, MPFR_RNDN);
    mpfr_mul_2ui(t, t, 1, MPFR_RNDN);
    mpfr_add_ui(t, t, 1, MPFR_RNDN);
    mpfr_mul(df, t, e, MPFR_RNDN);
    if (c == NeumannCase::Dirichlet) {
      // (g erf)' = g' erf + g * 2/sqrt(pi) e^{-x^2} = g' erf + 2x/sqrt(pi)
      mpfr_erf(t, x, MPFR_RNDN);
      mpfr_mul(df, df, t, MPFR_RNDN);
      mpfr_mul(f, f, t, MPFR_RNDN);
      mpfr_sqrt(t, pi, MPFR_RNDN);
      mpfr_ui_div(t, 2, t, MPFR_RNDN);
      mpfr_mul(t, t, x, MPFR_RNDN);
      mpfr_add(df, df, t, MPFR_RNDN);
    }
    mpfr_sub(f, f, par, MPFR_RNDN);
    mpfr_div(f, f, df, MPFR_RNDN);
    mpfr_sub(x, x, f, MPFR_RNDN);
  }
  MpInterval r(x, x, prec);
  const Rational out = r.lower_rational();
  for (mpfr_ptr v : {x, f, df, t, e, pi, par}) mpfr_clear(v);
  return out;
}

}  // namespace

TEST_CASE("erf enclosure contains known values") {
  const MpInterval x(0.5, 0.5, 200);
  const MpInterval e = erf_enclosure(x);
  // erf(1/2) = 0.52049987781304653768274665389196452873645157575796...
  // erf(1/2) = 0.52049987781304653768...
  CHECK(e.certainly_gt(0.5204998778130465));
  CHECK(e.certainly_lt(0.5204998778130466));
  CHECK(e.width() < 1e-55);
  const MpInterval w = erf_enclosure(MpInterval(-1.0, 2.0, 80));
  CHECK(w.lower_down() < -0.84);  // erf(-1) = -0.8427...
  CHECK(w.upper_up() > 0.99);      // erf(2) = 0.9953...
  CHECK(w.contains(*cerval::numeric::parse_decimal("0.5")));
  CHECK(erf_enclosure(MpInterval::empty(53)).is_empty());
}

TEST_CASE("lambda of the Dirichlet Neumann problem contains the MPFR reference") {
  for (long st : {1L, 2L, 5L}) {
    const auto l = neumann_lambda(NeumannCase::Dirichlet, Rational(st), 40);
    CHECK(l.existence);
    CHECK(l.uniqueness);
    CHECK(l.digits_met);
    CHECK(l.lambda.contains(reference_lambda(NeumannCase::Dirichlet, st, 1)));
    CHECK(check_lambda_bounds(Rational(st), l.lambda) == "proven");
  }
  const auto one = neumann_lambda(NeumannCase::Dirichlet, Rational(1), 15);
  // St = 1: lambda = 0.62006263331359549...
  CHECK(one.lambda.certainly_gt(0.62006263331358));
  CHECK(one.lambda.certainly_lt(0.62006263331361));
  const auto tenth = neumann_lambda(NeumannCase::Dirichlet, Rational(1, 10), 30);
  CHECK(tenth.lambda.contains(reference_lambda(NeumannCase::Dirichlet, 1, 10)));
}

TEST_CASE("lambda of the flux problem contains the MPFR reference") {
  for (long q : {1L, 3L}) {
    const auto l = neumann_lambda(NeumannCase::Flux, Rational(q), 50);
    CHECK(l.existence);
    CHECK(l.digits_met);
    CHECK(l.lambda.contains(reference_lambda(NeumannCase::Flux, q, 1)));
  }
}

TEST_CASE("exact temperature and front") {
  const auto l = neumann_lambda(NeumannCase::Dirichlet, Rational(1), 30);
  const MpInterval s = neumann_front(l.lambda, Rational(1));
  // u(0, t) = St and u(s(t), t) = 0 (the enclosures contain the boundary values).
  CHECK(neumann_temperature(NeumannCase::Dirichlet, Rational(1), l.lambda, MpInterval(0.0, 0.0, 200), Rational(1))
            .contains(Rational(1)));
  CHECK(neumann_temperature(NeumannCase::Dirichlet, Rational(1), l.lambda, s, Rational(1)).contains(Rational(0)));
  const auto f = neumann_lambda(NeumannCase::Flux, Rational(1), 30);
  CHECK(neumann_temperature(NeumannCase::Flux, Rational(1), f.lambda, neumann_front(f.lambda, Rational(4)), Rational(4))
            .contains(Rational(0)));
}

TEST_CASE("bad parameters are rejected") {
  CHECK_THROWS_AS(neumann_lambda(NeumannCase::Dirichlet, Rational(0), 10), std::invalid_argument);
  CHECK_THROWS_AS(neumann_lambda(NeumannCase::Flux, Rational(-1), 10), std::invalid_argument);
  CHECK_THROWS_AS(neumann_lambda(NeumannCase::Flux, Rational(1), 0), std::invalid_argument);
}
