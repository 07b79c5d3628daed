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

}  // namespace cerval::numeric
