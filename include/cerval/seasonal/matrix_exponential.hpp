#pragma once
// Interval matrices and the rigorous exponential of a Metzler matrix.
//
// I is numeric::Interval (binary64) or numeric::MpInterval (MPFI, the
// precision of the entries); both are explicitly instantiated.
//
// Method (docs/seasonal.md): for A Metzler (off-diagonal entries >= 0) and
// t >= 0, shift P = A + cI >= 0 with an exact c >= max_i(-A_ii), so that
// e^{tA} = e^{-ct} e^{tP} with every term of e^{tP} nonnegative: interval
// products of nonnegative intervals do not cancel or wrap. e^{Q} (Q >= 0) is
// computed by scaling and squaring, Q / 2^s with ||Q / 2^s||_inf <= 1/2, a
// Taylor polynomial of degree N and the remainder sum_{k>N} Q^k/k!, whose
// entries lie in [0, q^{N+1}/(N+1)! / (1 - q/(N+2))] (q the infinity norm).
// For t or A given as intervals, e^{tP} is entrywise nondecreasing in t and
// in P, so its enclosure is [lower(e^{t_lo P_lo}), upper(e^{t_hi P_hi})].
//
// Guarantee: the result contains e^{tA} for every t in the interval t and
// every matrix A whose entries lie in the interval entries of A.
#include <cerval/numeric/interval.hpp>
#include <cerval/numeric/mp_interval.hpp>

#include <cstddef>
#include <vector>

namespace cerval::seasonal {

// A square matrix of intervals, row-major.
template <class I>
struct Matrix {
  std::size_t n = 0;
  std::vector<I> a;

  I& operator()(std::size_t i, std::size_t j) { return a[i * n + j]; }
  const I& operator()(std::size_t i, std::size_t j) const { return a[i * n + j]; }
};

// The n x n matrix with every entry the point v, at the precision of `like`.
template <class I>
Matrix<I> constant_matrix(std::size_t n, const I& like, double v);
template <class I>
Matrix<I> identity_matrix(std::size_t n, const I& like);

// Interval matrix product, sum, difference and scaling (entrywise enclosures).
template <class I>
Matrix<I> operator*(const Matrix<I>& x, const Matrix<I>& y);
template <class I>
Matrix<I> operator+(const Matrix<I>& x, const Matrix<I>& y);
template <class I>
Matrix<I> operator-(const Matrix<I>& x, const Matrix<I>& y);
template <class I>
Matrix<I> scale(const Matrix<I>& x, const I& c);
// Entrywise hull.
template <class I>
Matrix<I> hull(const Matrix<I>& x, const Matrix<I>& y);

// True when every off-diagonal entry is certainly >= 0.
template <class I>
bool is_metzler(const Matrix<I>& a);
// True when every entry is certainly >= 0.
template <class I>
bool is_nonnegative(const Matrix<I>& a);

// e^{Q} for Q with every entry certainly >= 0 (precondition; throws
// std::invalid_argument otherwise, and std::domain_error for unbounded Q).
template <class I>
Matrix<I> expm_nonnegative(const Matrix<I>& q);

// e^{tA} for every t in `t` (certainly >= 0) and every A in `a` (Metzler:
// off-diagonal entries certainly >= 0). Throws std::invalid_argument when
// the preconditions fail. Every entry of the result is >= 0.
template <class I>
Matrix<I> expm_metzler(const Matrix<I>& a, const I& t);

}  // namespace cerval::seasonal
