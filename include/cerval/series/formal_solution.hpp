#pragma once
// The formal power series solution y = sum c_k x^k of a functional equation
// (equation.hpp), computed exactly in rational arithmetic, or as MPFI
// enclosures by the same recurrence when q is irrational.
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
// Number types: with rational data (q and every coefficient rational) the
// coefficients are exact GMP rationals. With an irrational q
// (Equation::irrational_q) or irrational coefficients (Equation::constants,
// enclosed by Equation::coefficient_enclosure) the same
// recurrence runs in MPFI interval arithmetic (the solver is one template
// over the coefficient type) at a working precision (precision(); 128 bits
// by default, raise_precision() recomputes at more, and extend() doubles it
// itself, up to 8192 bits, when a coefficient's relative width exceeds
// 2^-(prec/2) while q is known to the working precision).
//
// Guarantees: every exact c_k is the exact coefficient of the unique formal
// solution with the given leading coefficients, and every enclosure contains
// it (for every q in q's enclosure when q is an interval constant); the
// given coefficients are checked against the equation (every coefficient of
// F(y) that they determine must vanish). InputError (at the equation) when
// there is no formal power series solution (an indicial root k with a
// nonzero obstruction: the solution needs logarithms or other exponents),
// when c_k is free (Ind(k) = 0) and not given, or when the given data
// contradict the equation. With enclosures, a decision that the enclosures
// cannot make (Ind(k) or a residual encloses 0 without being 0) throws
// Undecided: never a guess.
#include <cerval/numeric/mp_interval.hpp>
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

// Thrown when enclosures cannot decide whether a number vanishes (an indicial
// value or a residual encloses 0 without being 0): the verdict is unknown.
class Undecided : public std::runtime_error {
 public:
  explicit Undecided(const std::string& what) : std::runtime_error(what) {}
};

class FormalSolution {
 public:
  // `precision`: working precision in bits for an irrational q or irrational
  // coefficients (0: 128);
  // ignored for rational data.
  FormalSolution(const Equation& equation, std::vector<Rational> given, mpfr_prec_t precision = 0);
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
  // True for rational data: the coefficients are exact rationals.
  bool exact() const;
  // Number of coefficients computed.
  std::size_t size() const;
  // The exact coefficients (exact() only; std::logic_error otherwise).
  const std::vector<Rational>& coefficients() const;
  // An enclosure of c_k at `prec` bits (k < size(); exact data enclosed tightly).
  numeric::MpInterval coefficient(std::size_t k, mpfr_prec_t prec) const;
  // Certain statements about c_k: it is 0 (exact zero or the point [0, 0]),
  // it is not 0 (its enclosure excludes 0).
  bool certainly_zero(std::size_t k) const;
  bool certainly_nonzero(std::size_t k) const;
  // A rational >= |c_k| (|c_k| itself when exact()).
  Rational magnitude_upper(std::size_t k) const;
  // Working precision of the enclosures (0 when exact()).
  mpfr_prec_t precision() const;
  // Recomputes the enclosures at >= bits (no-op when exact(), already there,
  // or when q itself is wider than the working precision, e.g. an interval
  // constant: more bits would not narrow the coefficients).
  void raise_precision(mpfr_prec_t bits);
  int e0() const;                 // least order of the linearisation's coefficients
  std::size_t given() const;      // K
  // The indicial function Ind(k) (exact; exact() only).
  Rational indicial(std::size_t k) const;
  // An enclosure of Ind(k) (both kinds of data).
  numeric::MpInterval indicial_enclosure(std::size_t k, mpfr_prec_t prec) const;
  // Coefficients of x^i, i < m, of the linearisation a_j (j = 0..order) along
  // the computed truncation; exact for i < coefficients().size() (exact() only).
  std::vector<std::vector<Rational>> linearisation(std::size_t m) const;
  // The same as enclosures (both kinds of data).
  std::vector<std::vector<numeric::MpInterval>> linearisation_enclosure(std::size_t m, mpfr_prec_t prec) const;
  // The coefficient of x^m in F(sum_{k<size} c_k x^k) (exact; exact() only).
  Rational residual(std::size_t m) const;
  const Equation& equation() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cerval::series
