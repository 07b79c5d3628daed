#include <catch2/catch.hpp>

#include <cerval/seasonal/matrix_exponential.hpp>

#include <stdexcept>

using cerval::numeric::Interval;
using cerval::numeric::MpInterval;
using namespace cerval::seasonal;

namespace {

constexpr mpfr_prec_t kRef = 400;

MpInterval mp(double v, mpfr_prec_t p = kRef) { return MpInterval(v, v, p); }

// Independent closed form: B = [[-1, 2], [1, -1]] has eigenvalues -1 +- sqrt(2) and
// e^{tB} = e^{-t} [cosh(sqrt2 t) I + sinh(sqrt2 t)/sqrt2 (B + I)], (B + I) = [[0, 2], [1, 0]].
std::vector<MpInterval> exp_tB(const MpInterval& t) {
  const MpInterval s2 = sqrt(mp(2));
  const MpInterval e = exp(-t);
  const MpInterval c = cosh(s2 * t), s = sinh(s2 * t) / s2;
  return {e * c, e * s * mp(2), e * s, e * c};
}

template <class I>
Matrix<I> matrix(const I& like, std::initializer_list<double> values) {
  Matrix<I> m;
  m.n = values.size() == 4 ? 2 : 1;
  for (double v : values) m.a.push_back(make_point(like, v));
  return m;
}

bool encloses(const Interval& x, const MpInterval& ref) { return MpInterval(x, kRef).contains(ref); }

}  // namespace

TEST_CASE("scalar exponential encloses MPFI exp") {
  for (double a : {-3.0, -0.5, 0.0, 0.25, 2.0})
    for (double t : {0.0, 0.1, 1.0, 7.5}) {
      const Matrix<Interval> e = expm_metzler(matrix(Interval(0.0), {a}), Interval(t));
      CHECK(encloses(e.a[0], exp(mp(a) * mp(t))));
      const Matrix<MpInterval> em = expm_metzler(matrix(MpInterval(200), {a}), MpInterval(t, t, 200));
      CHECK(em.a[0].contains(exp(mp(a) * mp(t))));
      CHECK(em.a[0].width() < 1e-50 * std::max(1.0, em.a[0].upper_up()));
    }
}

TEST_CASE("2x2 Metzler exponential encloses the closed form, binary64 and MPFI") {
  for (double t : {0.3, 1.0, 4.0}) {
    const auto ref = exp_tB(mp(t));
    const Matrix<Interval> e = expm_metzler(matrix(Interval(0.0), {-1, 2, 1, -1}), Interval(t));
    for (int k = 0; k < 4; ++k) CHECK(encloses(e.a[k], ref[k]));
    const Matrix<MpInterval> em = expm_metzler(matrix(MpInterval(256), {-1, 2, 1, -1}), MpInterval(t, t, 256));
    for (int k = 0; k < 4; ++k) {
      CHECK(em.a[k].contains(ref[k]));
      CHECK(em.a[k].width() < 1e-60 * std::max(1.0, em.a[k].upper_up()));
    }
  }
}

TEST_CASE("an interval of times encloses every exponential in it") {
  const Matrix<Interval> a = matrix(Interval(0.0), {-1, 2, 1, -1});
  const Matrix<Interval> e = expm_metzler(a, Interval(0.5, 0.75));
  for (double t : {0.5, 0.6, 0.75}) {
    const auto ref = exp_tB(mp(t));
    for (int k = 0; k < 4; ++k) CHECK(encloses(e.a[k], ref[k]));
  }
}

TEST_CASE("an interval matrix encloses the exponential of each member") {
  Matrix<Interval> a = matrix(Interval(0.0), {-1, 2, 1, -1});
  a(0, 1) = Interval(1.5, 2.0);
  const Matrix<Interval> e = expm_metzler(a, Interval(1.0));
  const auto ref = exp_tB(mp(1.0));
  for (int k = 0; k < 4; ++k) CHECK(encloses(e.a[k], ref[k]));
}

TEST_CASE("preconditions are checked") {
  CHECK_THROWS_AS(expm_metzler(matrix(Interval(0.0), {-1, -2, 1, -1}), Interval(1.0)), std::invalid_argument);
  CHECK_THROWS_AS(expm_metzler(matrix(Interval(0.0), {-1, 2, 1, -1}), Interval(-1.0, 1.0)), std::invalid_argument);
  CHECK_THROWS_AS(expm_nonnegative(matrix(Interval(0.0), {-1})), std::invalid_argument);
}
