#pragma once
// A parsed spec file: the problem a user states (docs/spec-language.md).
#include <cerval/expr/diagnostics.hpp>
#include <cerval/expr/expr.hpp>
#include <cerval/numeric/interval.hpp>
#include <cerval/numeric/mp_interval.hpp>

#include <optional>
#include <string>
#include <vector>

namespace cerval::expr {

// Domain of one scalar variable; an absent endpoint is infinite (`oo`).
// Endpoints are exact: `x in [0.1, 0.2]` has the rational endpoints 1/10, 1/5.
struct VariableDomain {
  std::string name;  // as in the graph: "x", or "y(2)" for element 2 of vector y
  std::optional<Rational> lower;
  std::optional<Rational> upper;
  SourceLocation where;
  // A declared bound that is not rational (`pi`, `sqrt(2)`) is stored in
  // lower/upper as a rational on its outer side, so the searched box contains
  // the declared domain; these then hold a rational on its inner side, so
  // that a point in [inside_lower, inside_upper] is certainly in the declared
  // domain (witness points must be). nullopt: the bound is exact.
  std::optional<Rational> inner_lower;
  std::optional<Rational> inner_upper;
  const std::optional<Rational>& inside_lower() const { return inner_lower ? inner_lower : lower; }
  const std::optional<Rational>& inside_upper() const { return inner_upper ? inner_upper : upper; }
};

enum class Relation { LessEqual, Less, GreaterEqual, Greater, Equal };
const char* relation_symbol(Relation r);  // "<=", "<", ">=", ">", "="

// `expr rel bound`: a constraint (restricts the feasible set) or a claim (must
// hold at every feasible point). `a <= f <= b` becomes two of these.
struct Comparison {
  NodeId expr;
  Relation relation;
  Rational bound;
  std::string text;  // the source text of the whole statement, for reports
  SourceLocation where;
};

enum class Sense { Minimize, Maximize };

struct Objective {
  Sense sense;
  NodeId expr;
  std::string text;
  SourceLocation where;
};

// Outward enclosures of a variable's exact domain (infinite where unbounded).
numeric::Interval enclose_domain(const VariableDomain& d);
numeric::MpInterval enclose_domain(const VariableDomain& d, long precision);
// The box of all variables of a spec, in graph variable order.
std::vector<numeric::Interval> enclose_domains(const std::vector<VariableDomain>& domains);

struct Spec {
  std::string file;
  ExprGraph graph;
  std::vector<VariableDomain> variables;  // index i is graph variable i
  std::optional<Objective> objective;
  std::vector<Comparison> constraints;
  std::vector<Comparison> claims;  // the `prove` section
};

}  // namespace cerval::expr
