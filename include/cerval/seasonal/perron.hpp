#pragma once
// The Perron root (spectral radius) of a nonnegative interval matrix, by
// Collatz-Wielandt bounds.
//
// Theorem (Collatz-Wielandt; Perron-Frobenius monotonicity): for a
// nonnegative matrix B and any vector x > 0,
//   min_i (Bx)_i / x_i <= rho(B) <= max_i (Bx)_i / x_i,
// and 0 <= L <= B <= U entrywise implies rho(L) <= rho(B) <= rho(U). With L
// and U the lower and upper endpoints of an interval matrix, the bounds
// computed from L and U enclose rho(B) for every B in the interval matrix,
// whatever x > 0 is used. x only decides the tightness: it is an approximate
// Perron vector from power iteration by repeated squaring in point arithmetic
// at the entries' precision (iterating in intervals would blow up widths).
#include <cerval/seasonal/matrix_exponential.hpp>

#include <cstddef>
#include <functional>
#include <vector>

namespace cerval::seasonal {

// Strong connectivity of the directed graph on 0..n-1 with an edge i -> j
// exactly when edge(i, j) (n >= 1). With edge(i, j) = "i != j and entry
// (i, j) is certainly > 0" it proves a matrix irreducible (Perron-Frobenius's
// hypothesis).
bool strongly_connected(std::size_t n, const std::function<bool(std::size_t, std::size_t)>& edge);

// An approximate Perron vector of the centre matrix of m (entries > 0,
// largest 1). Heuristic: only its positivity is relied upon.
template <class I>
std::vector<I> approximate_perron_vector(const Matrix<I>& m);

// An enclosure of rho(B) for every B in m. Precondition: every entry of m is
// certainly >= 0 (throws std::invalid_argument otherwise).
template <class I>
I perron_root(const Matrix<I>& m);

}  // namespace cerval::seasonal
