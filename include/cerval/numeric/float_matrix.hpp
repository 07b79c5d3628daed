#pragma once
// Dense floating-point linear algebra for the heuristic parts of rigorous
// methods: approximate inverses (Krawczyk's preconditioner) and solutions of
// small systems (Newton steps, multiplier estimates). Nothing computed here
// is trusted: every use feeds a result that is verified in interval
// arithmetic afterwards, so accuracy affects only success, never soundness.
#include <cstddef>
#include <vector>

namespace cerval::numeric {

// Solves the m x m system a z = rhs (a row-major) by Gaussian elimination
// with partial pivoting; rhs becomes z. False when a pivot is zero or not
// finite (rhs is then unspecified).
bool solve_in_place(std::vector<double> a, std::vector<double>& rhs, std::size_t m);

// Approximate inverse of the m x m matrix a (row-major) by Gauss-Jordan
// elimination with partial pivoting; empty when singular or not finite.
std::vector<double> approximate_inverse(std::vector<double> a, std::size_t m);

// The lower-triangular Cholesky factor L of the symmetric m x m matrix a
// (row-major; L L^T = a up to rounding), row-major with zeros above the
// diagonal; empty when a pivot (the square of a diagonal entry of L) is not
// finite or not above `min_relative_pivot` times its diagonal entry of a
// (0: not positive).
std::vector<double> cholesky_lower(const std::vector<double>& a, std::size_t m, double min_relative_pivot = 0);

// A point d with lower <= d <= upper near the minimiser of the convex
// quadratic sum_i weights[i] (offsets[i] + rows_i . d)^2, rows row-major
// (one row of n = lower.size() entries per weight, weights >= 0): the primal
// active-set method for a convex quadratic over a box (Nocedal & Wright,
// "Numerical Optimization", 2006, sec. 16.5), in coordinates scaled to the
// box's widths. Coordinates with zero or infinite width stay at the lower
// end when it is 0-wide, else at 0 clamped into the box. The zero vector
// clamped into the box when the iteration fails (singular free block, non-
// finite data).
std::vector<double> least_squares_on_box(const std::vector<double>& weights, const std::vector<double>& offsets,
                                         const std::vector<double>& rows, const std::vector<double>& lower,
                                         const std::vector<double>& upper);

}  // namespace cerval::numeric
