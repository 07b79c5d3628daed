#pragma once
// Functional equations F(x, y, T y, ..., T^n y) = 0 for a formal power series
// y = sum c_k x^k, and the `series` section of the spec language that states
// them (docs/spec-language.md, "Functional equations").
//
// Guarantees:
//   - the equation is stored exactly: a polynomial with rational coefficients
//     in x and the operators T^j y, normalised to the form of Gontsov and
//     Goryuchkina (arXiv:2412.00778): T = delta = x d/dx for differential
//     equations (y^(k) = x^-k delta(delta-1)...(delta-k+1) y, then the whole
//     equation is multiplied by the least power of x making it polynomial),
//     T = sigma_q (y(q^j x)) for q-difference equations, T y = y(x^d) for
//     Mahler equations;
//   - the shift q of a q-difference equation may be irrational (`q =
//     sqrt(2)`, `pi/2`, an interval constant `q in [0.9, 1.1]`): it is then
//     kept as its constant expression and enclosed at any precision
//     (Equation::q_enclosure); every other number is rational;
//   - irrational constants of the spec may also be factors of coefficients
//     (`a = sqrt(2);` then `y' = a*y`): they are kept as expressions
//     (Equation::constants) and enclosed at any precision;
//   - everything that is not such a polynomial (functions, division by a
//     non-constant or by an irrational constant, mixed operator types,
//     y'(q x), |q| = 1) is an InputError at the offending token; nothing is
//     approximated.
#include <cerval/expr/diagnostics.hpp>
#include <cerval/expr/spec.hpp>
#include <cerval/numeric/mp_interval.hpp>
#include <cerval/numeric/rational.hpp>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace cerval::series {

using numeric::Rational;

enum class EquationType { Differential, QDifference, Mahler };
const char* equation_type_name(EquationType t);  // "differential", "q-difference", "Mahler"

// A monomial coef * x^x_power * prod_j (T^j y)^powers[j].
struct Term {
  int x_power = 0;
  std::vector<int> powers;  // size order + 1
  Rational coefficient;
  // Irrational constant factors of the coefficient: (index into
  // Equation::constants, power); empty for a rational coefficient.
  std::vector<std::pair<int, int>> constants;
  int degree() const;  // total degree in the T^j y
};

// An irrational (or interval) shift q = (Q^power)^(1/root), Q a constant
// expression of the spec (`q = sqrt(2)`, `q in [0.9, 1.1]`); root > 1 for a
// Puiseux series (the real root: Q^power > 0, or < 0 with root odd).
// Immutable; shared by copies.
struct IrrationalQ {
  std::shared_ptr<const expr::ExprGraph> graph;  // a copy of the spec's graph
  expr::NodeId node = 0;                         // Q
  int power = 1;
  int root = 1;
  std::string text;                              // "sqrt(2)", "(pi)^2", "(sqrt(2))^(1/2)"
  // Contains q for every value of Q (prec >= 2 bits).
  numeric::MpInterval enclose(mpfr_prec_t prec) const;
};

struct Equation {
  EquationType type = EquationType::Differential;
  int order = 0;        // n: the highest j with T^j y present
  Rational q = 0;       // QDifference: T y = y(q x), when q is rational
  // QDifference with an irrational q: set, and `q` is 0 (unused).
  std::shared_ptr<const IrrationalQ> irrational_q;
  int d = 0;            // Mahler: T y = y(x^d)
  // Puiseux series: y = sum c_k x^(k/p). The equation is stored in the
  // variable t = x^(1/p) (x = t^p, delta_x = delta_t / p, y(q x) = y(q^(1/p) t)
  // with q^(1/p) rational, y(x^d) = y(t^d)); p = 1 for power series.
  int ramification = 1;
  // Leading exponent mu: y = x^mu * z with z = sum c_k x^(k/p); the equation
  // is stored for z (delta (x^mu z) = x^mu (delta + mu) z, y(q x) =
  // q^mu x^mu z(q x) with mu integer, y(x^d) = x^(d mu) z(x^d)), divided by
  // the common power of x. 0 for ordinary series.
  Rational exponent = 0;
  // Irrational constants of the spec that appear in coefficients
  // (`constants a = sqrt(2);`, then `a*y`); each enclosed at any precision
  // (power = root = 1). Empty when every coefficient is rational.
  std::vector<std::shared_ptr<const IrrationalQ>> constants;
  std::vector<Term> terms;  // nonzero coefficients, distinct (monomial, constant factors)
  std::string text;         // the source text of the equation statement
  expr::SourceLocation where;

  bool linear() const;      // every term has degree <= 1
  bool q_rational() const { return !irrational_q; }
  bool rational_coefficients() const { return constants.empty(); }
  // Every number of the equation is rational (q and the coefficients).
  bool exact_data() const { return q_rational() && rational_coefficients(); }
  // An enclosure of a term's coefficient (rational times its constants).
  numeric::MpInterval coefficient_enclosure(const Term& t, mpfr_prec_t prec) const;
  // An enclosure of q at `prec` bits (the exact q enclosed when rational).
  numeric::MpInterval q_enclosure(mpfr_prec_t prec) const;
  // q for reports: "1/2", or the constant's text "sqrt(2)".
  std::string q_text() const;
  // Name of T^j y for reports: "delta^2 y", "y(q^2 x)", "y(x^4)".
  std::string atom_name(int j) const;
  // For a linear equation: a_j(x) as dense coefficient vectors (index = power
  // of x), j = 0..order, and the inhomogeneous part b(x) (terms of degree 0).
  // Rational coefficients only (std::logic_error otherwise).
  std::vector<std::vector<Rational>> linear_coefficients() const;
  std::vector<Rational> inhomogeneous_part() const;
  // The same as enclosures (any coefficients); an entry is the point 0 where
  // no term contributes.
  std::vector<std::vector<numeric::MpInterval>> linear_coefficient_enclosures(mpfr_prec_t prec) const;
  std::vector<numeric::MpInterval> inhomogeneous_enclosure(mpfr_prec_t prec) const;
  // The normal form "sum of terms = 0" as text, e.g. "x*delta y + y - x = 0".
  std::string normal_form() const;
};

// What the `series` section asks for.
struct SeriesSpec {
  expr::Spec base;                       // the core sections (constants, ...)
  Equation equation;
  std::vector<Rational> coefficients;    // given c_0, c_1, ... (may be empty)
  std::optional<int> terms;
  std::optional<Rational> at;
  std::optional<int> digits;
  std::string unknown = "y";
  std::string variable = "x";
  expr::SourceLocation where;            // the `series` keyword
};

// Parses a spec with a `series` section (exactly one). InputError
// `file:line:col: error: message` on bad input.
SeriesSpec parse_series_spec(std::string_view text, const std::string& file_name);
SeriesSpec parse_series_spec_file(const std::string& path);

}  // namespace cerval::series
