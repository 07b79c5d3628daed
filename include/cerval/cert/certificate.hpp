#pragma once
// The certificate model and its JSON form (docs/certificates.md).
//
// A certificate states a claim `expression relation bound` about every point
// of the exact domain of its variables that satisfies its constraints, and
// carries the subdivision that proves it: inner nodes split one variable at
// an exact binary64 point, leaves name how the claim is re-established there
// (a bounding form at a precision, or infeasibility of the constraints). A
// minimum certificate adds a feasible witness point whose objective value
// brackets the optimum together with the claimed bound.
//
// This header is only the data and its I/O: reading a certificate proves
// nothing. cert::check (checker.hpp) decides whether it is valid.
#include <cerval/expr/diagnostics.hpp>
#include <cerval/expr/forms.hpp>
#include <cerval/expr/spec.hpp>
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cerval::cert {

using numeric::Rational;
// Members are written in the documented order (ordered_json keeps insertion order).
using Json = nlohmann::ordered_json;

inline constexpr int kFormatVersion = 1;
// Deepest accepted tree (the root has depth 0).
inline constexpr std::size_t kMaxDepth = 10000;
// Accepted precisions (bits) of leaves and witnesses.
inline constexpr long kMinPrecision = 2;
inline constexpr long kMaxPrecision = 100000;

struct VariableEntry {
  std::string name;               // as in the expression graph: "x", "y(2)"
  std::optional<Rational> lower;  // absent: -oo
  std::optional<Rational> upper;  // absent: +oo
};

// `expression relation bound`; a constraint restricts the feasible set, the
// claim must hold at every feasible point.
struct RelationEntry {
  std::string expression;  // spec-language text (parse_expression reads it)
  expr::Relation relation = expr::Relation::LessEqual;
  Rational bound;
};

// A named subexpression (optional "definitions" member): `name` stands for
// `expression` in every later definition, the constraints and the claim, so a
// DAG that shares subexpressions (an unrolled scheme) is written once, not as
// an exponentially large tree.
struct Definition {
  std::string name;
  std::string expression;
};

// NoStationaryPoint ("no_stationary_point"): only in certificates without
// constraints over a bounded domain; the (contracted) leaf box lies in the
// interior of the domain and Krawczyk's test excludes a zero of the claim
// expression's gradient there (docs/certificates.md has the argument).
enum class LeafKind { Proven, Infeasible, NoStationaryPoint };

struct CertFace;

// One node of the proof tree, stored in Certificate::nodes (an arena; node 0
// is the root, children are indices into the same vector).
struct CertNode {
  // Inner node when split_variable >= 0: children[0] is the box with
  // x_v in [lo, at], children[1] the box with x_v in [at, hi].
  int split_variable = -1;
  double at = 0;
  std::uint32_t children[2] = {0, 0};
  // Leaf data (used when split_variable < 0).
  LeafKind leaf = LeafKind::Proven;
  expr::Form form = expr::Form::Natural;  // Proven leaves only
  long precision = 53;                    // bits of the MPFI re-evaluation
  bool contract = false;                  // apply HC4 to the leaf box first
  // Extension used by the search: the contraction also uses the claim's
  // negation up to this value (f <= cutoff for a >= claim, f >= cutoff for a
  // <= claim). Admissible only with contract, on the safe side of the bound,
  // and where the claim's expression is defined on the whole leaf box.
  std::optional<double> cutoff;
  // Expansion point of mean_value / taylor2; empty means
  // expr::default_center of the (contracted) leaf box. Ignored by other forms.
  std::vector<double> center;
  // Lagrangian bound (expr/lagrangian.hpp), proven leaves only: one
  // multiplier per constraint; the form then bounds
  // L = claim + sum_k l_k (g_k - b_k), which is on the safe side of the claim
  // at feasible points when each l_k has the admissible sign. Empty: the
  // form bounds the claim's expression itself.
  std::vector<double> multipliers;
  // Variable projection (the certificate's `projected` variables beta):
  // one range per projected variable, in the order of `projected`, in which
  // the leaf's beta coordinates are replaced before anything else is done
  // (NaN, JSON null: that variable is not projected on this leaf, it keeps
  // its range and counts with theta; at least one must be projected).
  // Checked: the claim is `expression >= bound` (or >) and a convex quadratic
  // in beta (expr/quadratic.hpp); Krawczyk's test proves, for every theta of
  // the leaf box, a zero of grad_beta in these ranges
  // (expr/existence.hpp); contraction and infeasibility use only the
  // constraints free of beta. docs/certificates.md states the argument.
  // Empty: no projection.
  std::vector<double> projection_lower, projection_upper;
  bool is_projected() const { return !projection_lower.empty(); }
  // With a projection, optional ("boundary"): the relaxation to beta in R^k
  // is replaced by the constrained minimum. For theta in the leaf box let
  // F(theta) be the set of beta in the leaf's beta ranges at which every
  // constraint holds. A point (theta, beta) violating the claim makes the
  // minimiser beta_F of f(theta, .) over F(theta) violate it too. Either
  // beta_F = beta^ (in the projection ranges, and feasible: the leaf, which
  // then contracts with every constraint, excludes it), or beta_F is not a
  // stationary point, hence a boundary point of F(theta), where a constraint
  // that depends on beta is at an end of its set (each such constraint
  // must be defined on the whole leaf box), or a beta coordinate at an end
  // of the leaf's range. Each such face must be listed and proven
  // (CertFace). Empty: the relaxation (only beta-free constraints are used).
  std::vector<CertFace> boundary;

  bool is_leaf() const { return split_variable < 0; }
};
using Node = CertNode;

// One face of CertNode::boundary: constraint `constraint` (an index into
// Certificate::constraints) held at the lower or upper end of its set
// (expr::boundary_target), or variable `variable` fixed at the lower or upper
// end of the leaf's range. `leaf` (proven or infeasible; no projection,
// multipliers or faces of its own) proves the claim on the leaf's box with
// that restriction: a constraint face as one more contraction target.
struct CertFace {
  int constraint = -1;
  int variable = -1;
  bool upper = false;
  CertNode leaf;
};

struct Witness {
  std::vector<double> point;  // exact binary64 coordinates, in variable order
  // For a `>=` claim (minimisation) an upper bound of the objective at the
  // point ("objective_upper" in JSON); for a `<=` claim (maximisation) a
  // lower bound ("objective_lower").
  Rational objective_bound;
  long precision = 53;
  // With equality constraints no binary64 point is feasible in general. Then
  // the witness is a box (box_lower..box_upper, holding `point`) in which
  // Krawczyk's test (expr/existence.hpp) proves a zero of the equalities,
  // solved for the coordinates where the box is not degenerate; inequality
  // constraints must hold on the whole box, and objective_bound bounds the
  // objective over the whole box. Empty vectors: a point witness.
  std::vector<double> box_lower;
  std::vector<double> box_upper;
  bool is_box() const { return !box_lower.empty(); }
};

struct Certificate {
  std::string kind;  // "bound" or "minimum"
  std::vector<VariableEntry> variables;
  std::vector<Definition> definitions;  // in order; each may use the earlier ones
  std::vector<RelationEntry> constraints;
  // Equality constraints h = b are relaxed to |h - b| <= eps_h (absent: 0).
  std::optional<Rational> eps_h;
  RelationEntry claim;
  // Names of the variables that leaves may project (CertNode::projection_*);
  // empty when no leaf does.
  std::vector<std::string> projected;
  std::vector<CertNode> nodes;  // nodes[0] is the root
  std::optional<Witness> witness;
};

// The JSON value of a certificate. Throws expr::InputError at `file_name`:1:1
// whose message names the offending member, e.g.
// "tree.children[1].split.at: not exactly a binary64 number: '0.1'".
// Unknown or missing members, wrong types and malformed numbers are all
// rejected (duplicate keys can only be seen in the text: parse_certificate);
// whether the values prove anything is cert::check's business.
Certificate from_json(const Json& j, const std::string& file_name = "<certificate>");
Json to_json(const Certificate& c);

// The text of a certificate. Throws expr::InputError at the line and column
// of the problem: a JSON syntax error, a duplicate key, or the value the
// from_json message names.
Certificate parse_certificate(std::string_view text, const std::string& file_name = "<certificate>");
// "{ ... }" with one top-level member per line and the tree on one line.
std::string certificate_text(const Certificate& c);

// File I/O: read_certificate throws expr::InputError (path:line:col) for an
// unreadable file or malformed content; write_certificate throws
// expr::InputError (path:1:1) when the file cannot be written.
Certificate read_certificate(const std::string& path);
void write_certificate(const Certificate& c, const std::string& path);

// "%a" form of a double ("0x1.8p-1"), read back exactly by
// numeric::parse_decimal.
std::string hex_double(double x);

}  // namespace cerval::cert
