#pragma once
// The `seasonal` section of a spec (docs/spec-language.md, "Seasonal systems"):
// a population model that switches each period T between an unfavourable
// season, on [nT, (n + theta)T), and a favourable one, on [(n + theta)T,
// (n + 1)T) (Ji & Strugarek, arXiv:1804.07641).
//
//   constants
//     r = 1; K = 1;
//   variables            # the state variables, with the region [0, K]
//     J in [0, 1];       # on which the hypotheses are checked
//     A in [0, 1];
//   seasonal
//     period 2;                          # T > 0, a constant expression
//     season unfavourable
//       J' = -J - J^2;                   # one equation per state variable
//       A' = J - A - A^2;
//     season favourable
//       J' = r*A*(1 - J/K) - J;
//       A' = J - A;
//     threshold;                         # enclose theta* in [0, 1]
//     theta = 1/2;                       # classify at theta = 1/2 ...
//     theta in [0.25, 0.3];              # ... or for every theta in an interval
//     digits 30;                         # width of the theta* enclosure <= 10^-digits
//   end
//
// Guarantees: every state variable is a scalar with a region [0, K], K a
// finite rational (a non-rational bound is stored outward by the core
// parser); each season gives exactly one right-hand side per state variable;
// theta requests are exact rationals in [0, 1]; the period is a constant
// expression certainly > 0. Bad input throws expr::InputError with
// file:line:col at the offending token. When neither `threshold` nor a theta
// request is given, the threshold is computed.
#include <cerval/expr/diagnostics.hpp>
#include <cerval/expr/expr.hpp>
#include <cerval/expr/spec.hpp>
#include <cerval/numeric/rational.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace cerval::seasonal {

using numeric::Rational;

// One season: rhs[i] is the right-hand side of state variable i.
struct Season {
  std::vector<expr::NodeId> rhs;
  std::vector<std::string> text;  // source text of each right-hand side
  expr::SourceLocation where;
};

// `theta = q;` (lower == upper) or `theta in [a, b];`.
struct ThetaRequest {
  Rational lower;
  Rational upper;
  std::string text;
  expr::SourceLocation where;
  bool is_point() const { return lower == upper; }
};

struct SeasonalSpec {
  expr::Spec base;                   // graph, constants; variables = state variables
  std::vector<std::string> states;   // names, in graph variable order
  std::vector<Rational> region_upper;  // K_i: the region is [0, K] (outward rational)
  Season unfavourable;
  Season favourable;
  expr::NodeId period = 0;           // constant expression T
  std::string period_text;
  bool threshold = false;            // enclose theta*
  std::vector<ThetaRequest> thetas;  // classifications requested
  int digits = 15;
  bool digits_given = false;
  expr::SourceLocation where;        // the `seasonal` keyword

  std::size_t dimension() const { return states.size(); }
};

SeasonalSpec parse_seasonal_spec(std::string_view text, const std::string& file_name);
// InputError at path:1:1 when the file cannot be read.
SeasonalSpec parse_seasonal_spec_file(const std::string& path);

}  // namespace cerval::seasonal
