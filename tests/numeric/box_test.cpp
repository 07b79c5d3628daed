// Tests of include/cerval/numeric/box.hpp.
#include <cerval/numeric/box.hpp>

#include "containment.hpp"

#include <sstream>

using namespace cerval::numeric;
using namespace cerval::test;

namespace {

Box random_box(Rng& rng, std::size_t n) {
  std::vector<Interval> c;
  for (std::size_t i = 0; i < n; ++i) {
    double a = rng.sign() * rng.log_uniform(1e-6, 1e6), b = rng.sign() * rng.log_uniform(1e-6, 1e6);
    if (a > b) std::swap(a, b);
    if (rng.chance(0.05)) b = kInf;
    if (rng.chance(0.05)) a = b == kInf ? -kInf : a;
    c.emplace_back(a, b);
  }
  return Box(std::move(c));
}

std::vector<double> random_point_in(Rng& rng, const Box& b) {
  std::vector<double> p;
  for (const Interval& c : b)
    p.push_back(random_double_in(rng, std::max(c.lower(), -kMax), std::min(c.upper(), kMax)));
  return p;
}

}  // namespace

TEST_CASE("Box: components, width, widest dimension, midpoint", "[box]") {
  const Box b{Interval(0, 1), Interval(-1, 2), Interval(5, 5)};
  CHECK(b.size() == 3);
  CHECK(b[1] == Interval(-1, 2));
  CHECK(b.width() == 3);
  CHECK(b.widest_dimension() == 1);
  CHECK(Box{Interval(0, 2), Interval(1, 3)}.widest_dimension() == 0);  // first on ties
  CHECK(Box{Interval(0, 2), Interval(1, kInf)}.widest_dimension() == 1);
  CHECK(Box{Interval(0, 2), Interval(1, kInf)}.width() == kInf);
  CHECK_THROWS_AS(Box().widest_dimension(), std::domain_error);
  CHECK(Box().width() == 0);
  const auto m = b.midpoint();
  REQUIRE(m.size() == 3);
  CHECK(m[0] == 0.5);
  CHECK(m[1] == 0.5);
  CHECK(m[2] == 5);
  CHECK(b.contains(m));
  Box c = b;
  c[2] = Interval(6, 7);
  CHECK(c[2] == Interval(6, 7));
  CHECK_FALSE(c == b);
  // Width is rounded up.
  const Box thin{Interval(0.1, 0.3)};
  CHECK(to_rational(thin.width()) >= to_rational(0.3) - to_rational(0.1));
}

TEST_CASE("Box: emptiness, containment, hull, intersection", "[box]") {
  const Box a{Interval(0, 2), Interval(0, 2)};
  const Box b{Interval(1, 3), Interval(-1, 1)};
  const Box e{Interval(0, 1), Interval::empty()};
  CHECK_FALSE(a.is_empty());
  CHECK(e.is_empty());
  CHECK_FALSE(Box().is_empty());  // R^0 is a point
  CHECK(hull(a, b) == Box{Interval(0, 3), Interval(-1, 2)});
  CHECK(intersect(a, b) == Box{Interval(1, 2), Interval(0, 1)});
  CHECK(intersect(a, Box{Interval(5, 6), Interval(0, 1)}).is_empty());
  CHECK(hull(a, e) == a);
  CHECK(hull(e, b) == b);
  CHECK(a.contains(Box{Interval(0.5, 1), Interval(0, 2)}));
  CHECK_FALSE(a.contains(b));
  CHECK(a.contains(e));
  CHECK_FALSE(e.contains(a));
  CHECK(a.contains(std::vector<double>{0, 2}));
  CHECK_FALSE(a.contains(std::vector<double>{0, 2.5}));
  CHECK_FALSE(a.contains(std::vector<double>{std::nan(""), 1}));
  CHECK_FALSE(e.contains(std::vector<double>{0, 0}));
  CHECK_THROWS_AS(a.contains(std::vector<double>{0}), std::invalid_argument);
  CHECK_THROWS_AS(a.contains(Box{Interval(0, 1)}), std::invalid_argument);
  CHECK_THROWS_AS(hull(a, Box{Interval(0, 1)}), std::invalid_argument);
  CHECK_THROWS_AS(intersect(a, Box()), std::invalid_argument);
  CHECK_THROWS_AS(e.midpoint(), std::domain_error);
}

TEST_CASE("Box: bisection shares the split point and loses nothing", "[box]") {
  const Box b{Interval(0, 4), Interval(-1, 1)};
  const auto [lo, hi] = b.bisect(0);
  CHECK(lo == Box{Interval(0, 2), Interval(-1, 1)});
  CHECK(hi == Box{Interval(2, 4), Interval(-1, 1)});
  const auto [l2, h2] = b.bisect(1, 0.25);
  CHECK(l2 == Box{Interval(0, 4), Interval(-1, 0.25)});
  CHECK(h2 == Box{Interval(0, 4), Interval(0.25, 1)});
  CHECK_NOTHROW(b.bisect(1, -1));  // at an endpoint: a degenerate half
  CHECK_THROWS_AS(b.bisect(2), std::out_of_range);
  CHECK_THROWS_AS(b.bisect(0, 5), std::invalid_argument);
  CHECK_THROWS_AS(b.bisect(0, std::nan("")), std::invalid_argument);
  CHECK_THROWS_AS((Box{Interval(0, kInf)}.bisect(0, kInf)), std::invalid_argument);
  CHECK_THROWS_AS((Box{Interval::empty()}.bisect(0)), std::domain_error);
  const auto [u1, u2] = Box{Interval(0, kInf)}.bisect(0);
  CHECK(u1[0].upper() == u2[0].lower());
  CHECK(hull(u1, u2) == Box{Interval(0, kInf)});

  Rng rng("box bisection");
  for (int i = 0; i < iterations(300); ++i) {
    const Box x = random_box(rng, static_cast<std::size_t>(rng.integer(1, 6)));
    const std::size_t dim = rng.chance(0.5) ? x.widest_dimension() : static_cast<std::size_t>(rng.integer(0, static_cast<long>(x.size()) - 1));
    const auto [p, q] = x.bisect(dim);
    INFO(to_string(x) << " at " << dim << " -> " << to_string(p) << " | " << to_string(q));
    CHECK(hull(p, q) == x);
    CHECK(p[dim].upper() == q[dim].lower());
    CHECK(x.contains(p));
    CHECK(x.contains(q));
    for (std::size_t k = 0; k < x.size(); ++k)
      if (k != dim) CHECK((p[k] == x[k] && q[k] == x[k]));
    for (int j = 0; j < 5; ++j) {
      const auto pt = random_point_in(rng, x);
      CHECK(x.contains(pt));
      CHECK((p.contains(pt) || q.contains(pt)));
    }
    const auto mid = x.midpoint();
    CHECK(x.contains(mid));
  }
}

TEST_CASE("Box: volume is rounded up", "[box]") {
  CHECK(Box().volume() == 1);
  CHECK(Box{Interval(0, 2), Interval(1, 4)}.volume() == 6);
  CHECK(Box{Interval(0, 2), Interval::empty()}.volume() == 0);
  CHECK(Box{Interval(0, kInf), Interval(1, 4)}.volume() == kInf);
  CHECK(Box{Interval(0, kInf), Interval(1, 1)}.volume() == 0);
  CHECK(Box{Interval(0, 1e200), Interval(0, 1e200)}.volume() == kInf);  // overflow rounds up
  Rng rng("box volume");
  for (int i = 0; i < iterations(300); ++i) {
    std::vector<Interval> c;
    Rational exact = 1;
    for (long k = rng.integer(1, 5); k > 0; --k) {
      const double a = rng.sign() * rng.log_uniform(1e-3, 1e3);
      const double b = a + rng.log_uniform(1e-10, 1e3);
      c.emplace_back(a, b);
      exact *= to_rational(b) - to_rational(a);
    }
    const Box x(std::move(c));
    INFO(to_string(x) << " volume " << hex(x.volume()));
    CHECK(to_rational(x.volume()) >= exact);
  }
}

TEST_CASE("Box: printing", "[box]") {
  std::ostringstream os;
  os << Box{Interval(0, 1), Interval(-2, 2)};
  CHECK(os.str() == "([0, 1], [-2, 2])");
  CHECK(to_string(Box()) == "()");
}
