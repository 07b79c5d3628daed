#pragma once
// The formal power series solution y = sum c_k x^k of a functional equation
// (equation.hpp), computed exactly in rational arithmetic.
//
// Method: along the linearisation a_j(x) = dF/d(T^j y) at y, let e0 be the
// least order of the a_j. For k >= K (the number of given coefficients, with
// K > e0 for nonlinear equations) the coefficient of x^(k+e0) in F(y) is
// Ind(k) c_k + (a polynomial in c_0..c_{k-1}), with the indicial function
// Ind(k) = sum_j a_j[e0] w_j(k), w_j(k) = k^j (delta), q^(jk) (sigma_q),
// [j = 0 or k = 0] (Mahler). So c_k = -(rest)/Ind(k) while Ind(k) != 0.
// Products of series are computed incrementally (each product coefficient
// once): a linear equation costs a few rational operations per term and per
// monomial of the equation, a nonlinear one O(N^2) for N terms.
//
// Guarantees: every returned c_k is the exact coefficient of the unique
// formal solution with the given leading coefficients; the given
// coefficients are checked against the equation (every coefficient of F(y)
// that they determine must vanish). InputError (at the equation) when there
// is no formal power series solution (an indicial root k with a nonzero
// obstruction: the solution needs logarithms or other exponents), when c_k is
// free (Ind(k) = 0) and not given, or when the given data contradict the
// equation.
#include <cerval/series/equation.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <vector>

namespace cerval::series {

// Thrown by FormalSolution::extend when the deadline passes.
class SolveTimeout : public std::runtime_error {
 public:
  SolveTimeout() : std::runtime_error("timeout while computing coefficients") {}
};

class FormalSolution {
 public:
  FormalSolution(const Equation& equation, std::vector<Rational> given);
  ~FormalSolution();
  FormalSolution(const FormalSolution&) = delete;
  FormalSolution& operator=(const FormalSolution&) = delete;

  // Extends the solution to at least n coefficients (c_0..c_{n-1}).
  // Throws SolveTimeout once the deadline (if set) has passed.
  void extend(std::size_t n);
  // A deadline for extend(), and a progress callback called about every two
  // seconds with the number of coefficients computed.
  void set_deadline(std::optional<std::chrono::steady_clock::time_point> deadline);
  void set_progress(std::function<void(std::size_t)> progress);
  const std::vector<Rational>& coefficients() const;
  int e0() const;                 // least order of the linearisation's coefficients
  std::size_t given() const;      // K
  // The indicial function Ind(k) (exact).
  Rational indicial(std::size_t k) const;
  // Coefficients of x^i, i < m, of the linearisation a_j (j = 0..order) along
  // the computed truncation; exact for i < coefficients().size().
  std::vector<std::vector<Rational>> linearisation(std::size_t m) const;
  // The coefficient of x^m in F(sum_{k<size} c_k x^k) (exact).
  Rational residual(std::size_t m) const;
  const Equation& equation() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cerval::series
