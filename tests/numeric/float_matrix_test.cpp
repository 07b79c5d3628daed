// Floating-point helpers (include/cerval/numeric/float_matrix.hpp): exact on
// small integer systems, and they report singular matrices.
#include <cerval/numeric/float_matrix.hpp>

#include <catch2/catch.hpp>

#include <cmath>

using namespace cerval::numeric;

TEST_CASE("solve_in_place solves small systems and reports singular ones", "[float_matrix]") {
  // 2x + y = 5, x + 3y = 10: x = 1, y = 3 (exact in binary64 here).
  std::vector<double> rhs{5, 10};
  REQUIRE(solve_in_place({2, 1, 1, 3}, rhs, 2));
  CHECK(rhs[0] == 1);
  CHECK(rhs[1] == 3);
  // A zero leading entry needs the pivot search: y = 2, x = 1.
  rhs = {2, 3};
  REQUIRE(solve_in_place({0, 1, 1, 1}, rhs, 2));
  CHECK(rhs[0] == 1);
  CHECK(rhs[1] == 2);
  rhs = {1, 2};
  CHECK_FALSE(solve_in_place({1, 2, 2, 4}, rhs, 2));
}

TEST_CASE("approximate_inverse inverts and refuses singular matrices", "[float_matrix]") {
  const std::vector<double> inv = approximate_inverse({4, 7, 2, 6}, 2);
  REQUIRE(inv.size() == 4);
  // The inverse of [[4, 7], [2, 6]] is [[0.6, -0.7], [-0.2, 0.4]]: check a * inv ~ I.
  const double a[4] = {4, 7, 2, 6};
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 2; ++j) {
      const double p = a[i * 2] * inv[j] + a[i * 2 + 1] * inv[2 + j];
      CHECK(std::fabs(p - (i == j ? 1.0 : 0.0)) < 1e-14);
    }
  CHECK(approximate_inverse({1, 2, 2, 4}, 2).empty());
  CHECK(approximate_inverse({0, 0, 0, 0}, 2).empty());
}

TEST_CASE("cholesky_lower factors positive definite matrices and refuses others", "[float_matrix]") {
  // [[4, 2], [2, 10]] = L L^T with L = [[2, 0], [1, 3]] (exact in binary64).
  const std::vector<double> l = cholesky_lower({4, 2, 2, 10}, 2);
  REQUIRE(l.size() == 4);
  CHECK(l[0] == 2);
  CHECK(l[1] == 0);
  CHECK(l[2] == 1);
  CHECK(l[3] == 3);
  CHECK(cholesky_lower({1, 2, 2, 4}, 2).empty());   // singular
  CHECK(cholesky_lower({1, 2, 2, 1}, 2).empty());   // indefinite
  CHECK(cholesky_lower({1, 0, 0}, 2).empty());      // wrong size
}

TEST_CASE("least_squares_on_box finds the box-constrained minimiser of a sum of squares", "[float_matrix]") {
  // (d0 - 2)^2 + (d1 + 1)^2 on [0, 1] x [-3, 3]: d = (1, -1), d0 at its bound.
  std::vector<double> d = least_squares_on_box({1, 1}, {-2, 1}, {1, 0, 0, 1}, {0, -3}, {1, 3});
  CHECK(d[0] == 1);
  CHECK(std::fabs(d[1] + 1) < 1e-12);
  // Correlated: (d0 + d1 - 1)^2 + 0.01 (d0 - d1)^2 on [0, 0.2] x [0, 2]. The
  // unconstrained minimiser (0.5, 0.5) is outside; on d0 = 0.2 the minimum
  // in d1 solves 2 (d1 - 0.8) + 0.02 (d1 - 0.2) = 0: d1 = 1.604 / 2.02.
  d = least_squares_on_box({1, 0.01}, {-1, 0}, {1, 1, 1, -1}, {0, 0}, {0.2, 2});
  CHECK(d[0] == 0.2);
  CHECK(std::fabs(d[1] - 1.604 / 2.02) < 1e-12);
  // A zero-width coordinate stays put; non-finite data give the start.
  d = least_squares_on_box({1}, {-5}, {1, 1}, {-1, 0.5}, {1, 0.5});
  CHECK(d[1] == 0.5);
  CHECK(d[0] == 1);
  d = least_squares_on_box({1}, {std::nan("")}, {1}, {-1}, {1});
  CHECK(d[0] == 0);
}
