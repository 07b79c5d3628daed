#include <catch2/catch.hpp>

#include <cerval/seasonal/perron.hpp>

#include <stdexcept>

using cerval::numeric::Interval;
using cerval::numeric::MpInterval;
using namespace cerval::seasonal;

namespace {

MpInterval mp(double v) { return MpInterval(v, v, 400); }

template <class I>
Matrix<I> matrix(const I& like, std::initializer_list<double> values, std::size_t n) {
  Matrix<I> m;
  m.n = n;
  for (double v : values) m.a.push_back(make_point(like, v));
  return m;
}

bool encloses(const Interval& x, const MpInterval& ref) { return MpInterval(x, 400).contains(ref); }

}  // namespace

TEST_CASE("Perron root of point matrices encloses the closed form") {
  // [[2, 1], [1, 2]]: rho = 3.
  CHECK(perron_root(matrix(Interval(0.0), {2, 1, 1, 2}, 2)).contains(3.0));
  // [[1, 2], [3, 4]]: rho = (5 + sqrt(33)) / 2.
  const MpInterval ref = (mp(5) + sqrt(mp(33))) / mp(2);
  CHECK(encloses(perron_root(matrix(Interval(0.0), {1, 2, 3, 4}, 2)), ref));
  const MpInterval r = perron_root(matrix(MpInterval(300), {1, 2, 3, 4}, 2));
  CHECK(r.contains(ref));
  CHECK(r.width() < 1e-80);
  // Reducible: diagonal.
  CHECK(perron_root(matrix(Interval(0.0), {1, 0, 0, 2}, 2)).contains(2.0));
  // 3x3 cyclic-plus-identity: rho = 1 + 1 = 2 (circulant with first row 1, 1, 0).
  CHECK(perron_root(matrix(Interval(0.0), {1, 1, 0, 0, 1, 1, 1, 0, 1}, 3)).contains(2.0));
}

TEST_CASE("Perron root of an interval matrix encloses the roots of its members") {
  Matrix<Interval> m = matrix(Interval(0.0), {1, 1, 1, 1}, 2);
  m(0, 1) = Interval(1.0, 2.0);
  const Interval r = perron_root(m);
  CHECK(r.contains(2.0));                              // [[1, 1], [1, 1]]
  CHECK(encloses(r, mp(1) + sqrt(mp(2))));             // [[1, 2], [1, 1]]
}

TEST_CASE("Perron root requires a nonnegative matrix") {
  CHECK_THROWS_AS(perron_root(matrix(Interval(0.0), {1, -1, 1, 1}, 2)), std::invalid_argument);
}
