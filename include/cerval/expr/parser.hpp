#pragma once
// The spec-language parser (docs/spec-language.md): Minibex-compatible core
// plus cerval's `prove` section.
//
// Guarantees:
//   - numbers are exact rationals (`0.1` is 1/10); arithmetic on rational
//     point constants is folded exactly (`-1/3` is the constant -1/3, `2^10`
//     is 1024); nothing is ever rounded to a double;
//   - a domain bound that is not a rational (`pi`, `sqrt(2)`) is replaced by a
//     rational on its safe side: a lower bound by a rational <= its value, an
//     upper bound by one >= it (outward, from a rigorous interval enclosure);
//   - every error is an InputError `file:line:col: error: message` at the
//     offending token; nothing is accepted silently and nothing crashes
//     (expressions nested deeper than kMaxNesting are rejected, not recursed).
//   - parse_expression(g.to_string(id), g) == id for every node id the parser
//     built in g (hash-consing gives the identical node).
#include <cerval/expr/diagnostics.hpp>
#include <cerval/expr/expr.hpp>
#include <cerval/expr/lexer.hpp>
#include <cerval/expr/spec.hpp>

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cerval::expr {

// Parses a whole spec. `file_name` is used in locations only.
Spec parse_spec(std::string_view text, const std::string& file_name);

// Reads and parses a spec file; InputError at `path:1:1` if it cannot be read.
Spec parse_spec_file(const std::string& path);

// Parses one expression over the variables already declared in `graph` (by
// their graph names: `x`, `y(2)`, `m(1,2)`; vector elements also as `y[1]`
// zero-based), the functions and the constant `pi`. Accepts everything
// ExprGraph::to_string prints. The whole text must be one expression.
NodeId parse_expression(std::string_view text, ExprGraph& graph,
                        const std::string& file_name = "<command line>");

// ---------------------------------------------------------------------------
// Building blocks, for engines that extend the language with sections of
// their own (they reuse the expression grammar, the symbol table and the
// statement syntax).

// A named constant or variable: a scalar, or an array of up to three
// dimensions whose elements are stored in row-major order.
struct Symbol {
  enum class Kind { Constant, Variable, Definition };  // Definition: a named subexpression
  Kind kind = Kind::Variable;
  std::string name;
  std::vector<std::size_t> dims;  // empty for a scalar
  // The node of each element (Constant: its value; Variable: the variable
  // node). kNoElement marks an element that does not exist (see from_graph).
  std::vector<NodeId> elements;
  SourceLocation where;

  static constexpr NodeId kNoElement = static_cast<NodeId>(-1);
  bool is_scalar() const { return dims.empty(); }
};

// Graph name of an array element: "y(2)", "m(1,3)" (one-based indices).
std::string element_name(const std::string& base, const std::vector<std::size_t>& one_based);

class SymbolTable {
 public:
  // nullptr when absent.
  const Symbol* find(const std::string& name) const;
  // Adds a symbol; InputError at symbol.where when the name is taken
  // ("variable 'x' declared twice", "'c' is already declared as a constant").
  const Symbol& add(Symbol symbol);
  // Variable symbols for every variable of the graph: "x" becomes a scalar,
  // "y(1)".."y(3)" a vector y[3], "m(i,j)" a matrix. Missing elements of an
  // array (only "y(1)" and "y(3)") are kNoElement: using them is an error.
  static SymbolTable from_graph(ExprGraph& graph);

 private:
  std::map<std::string, Symbol, std::less<>> symbols_;
};

// Expressions that may use named subexpressions (the `definitions` of a
// certificate, docs/certificates.md; ExprGraph::to_shared_text prints them).
// Each definition is parsed over the graph's variables and the names defined
// before it; a name then stands for its node, as a parenthesised atom.
class NamedExpressionParser {
 public:
  explicit NamedExpressionParser(ExprGraph& graph);

  // Parses `text` and binds `name` to it. InputError at file_name:1:1 for a
  // bad name (not an identifier, a keyword, a reserved name, a variable or an
  // earlier definition), at the offending token for a bad text.
  NodeId define(const std::string& name, std::string_view text, const std::string& file_name = "<definition>");
  // Parses one whole expression over the variables and the definitions.
  NodeId parse(std::string_view text, const std::string& file_name = "<command line>");

  // "" when `name` may name a subexpression over `graph`'s variables, else why not.
  static std::string name_problem(std::string_view name, const ExprGraph& graph);

 private:
  ExprGraph& graph_;
  SymbolTable symbols_;
};

// The functions of the language: sqrt exp ln log sin cos tan asin acos atan
// sinh cosh tanh abs sqr (one argument), min max (two or more), pow (two).
struct FunctionInfo {
  std::string_view name;
  Op op;          // for pow: Op::Pow (the parser picks PowInt for integer exponents)
  int min_args;
  int max_args;   // -1: no maximum
};
const FunctionInfo* find_function(std::string_view name);
// True for names a declaration may not use: functions, `pi`, `oo`, and the
// Minibex function names cerval does not support yet (atan2, sign, ...).
bool is_reserved_name(std::string_view name);

// Rational bounds of a constant expression (one that uses no variable):
// exact for a rational point or interval constant, otherwise the endpoints of
// a rigorous binary64 interval enclosure (lower <= every value <= upper).
// nullopt when the expression is undefined somewhere (division by an interval
// holding 0, sqrt/log/asin/acos/pow outside their domain) or unbounded.
struct RationalBounds {
  Rational lower;
  Rational upper;
  bool exact = false;  // the expression is exactly the constant [lower, upper]
};
std::optional<RationalBounds> constant_bounds(const ExprGraph& graph, NodeId id);

// Recursive-descent parser of the expression grammar over a token stream.
//
//   expression := term (('+' | '-') term)*
//   term       := unary (('*' | '/') unary)*
//   unary      := ('-' | '+') unary | power
//   power      := primary ['^' exponent]          (a^b^c is rejected: ambiguous)
//   exponent   := ('-' | '+') exponent | primary
//   primary    := number | '(' expression ')' | '[' expression ',' expression ']'
//               | 'pi' | name | name '(' index (',' index)* ')' | name ('[' index ']')+
//               | function '(' expression (',' expression)* ')'
//
// So unary minus binds tighter than '*' and looser than '^': -x^2 = -(x^2).
class ExpressionParser {
 public:
  // Deepest nesting of parentheses, brackets, calls and unary signs accepted.
  static constexpr int kMaxNesting = 500;

  ExpressionParser(TokenStream& tokens, ExprGraph& graph, const SymbolTable& symbols)
      : tokens_(tokens), graph_(graph), symbols_(symbols) {}

  NodeId parse_expression();
  // An expression that must not use variables; `what` names it in the error
  // ("the value of constant 'c'"). It must also be defined (constant_bounds).
  NodeId parse_constant_expression(std::string_view what);
  // A constant expression equal to an integer (array dimensions, indices).
  std::int64_t parse_integer_constant(std::string_view what);

  // Folding constructors: exact rational arithmetic when every operand is a
  // rational point constant, otherwise the plain graph node. The parser only
  // builds nodes through these, which is what makes to_string round-trip.
  NodeId negate(NodeId a);
  NodeId arithmetic(Op op, NodeId a, NodeId b);  // Add, Sub, Mul, Div
  NodeId power(NodeId base, NodeId exponent, const Token& at);
  NodeId pow_int(NodeId base, std::int64_t exponent);
  // Interval constant [lo, hi] from two constant expressions (outward when
  // they are not rational); `text` is the source text for the error message.
  NodeId interval_constant(NodeId lo, NodeId hi, const Token& at, const std::string& text);

  // The rational value of a point-constant node, if it is one.
  std::optional<Rational> point_value(NodeId id) const;

  ExprGraph& graph() { return graph_; }
  TokenStream& tokens() { return tokens_; }

 private:
  NodeId parse_term();
  NodeId parse_unary();
  NodeId parse_power();
  NodeId parse_exponent();
  NodeId parse_primary();
  NodeId parse_name();
  NodeId parse_call(const Token& name, const FunctionInfo& f);
  NodeId parse_symbol(const Token& name, const Symbol& s);

  // One level of nesting for the scope of an object; throws beyond kMaxNesting.
  struct Nest {
    Nest(ExpressionParser& parser, const Token& at);
    ~Nest() { --parser.depth_; }
    Nest(const Nest&) = delete;
    Nest& operator=(const Nest&) = delete;
    ExpressionParser& parser;
  };

  TokenStream& tokens_;
  ExprGraph& graph_;
  const SymbolTable& symbols_;
  int depth_ = 0;
};

// `e1 rel e2 [rel e3 ...]` as Comparisons: for each adjacent pair, a side
// that is a rational point constant becomes the bound (the relation flipped
// when it is the left side), otherwise expr = lhs - rhs and bound = 0.
// Chains (`0 <= f <= 1`) need inequalities of one direction. `what` names the
// statement in messages ("constraint", "claim"). Does not consume the ';'.
std::vector<Comparison> parse_comparison_statement(ExpressionParser& parser, std::string_view what);

// Parser of whole specs. Engines add sections by deriving from it: pass their
// section keywords to the constructor and override parse_extension_section.
class SpecParser {
 public:
  SpecParser(std::string_view text, std::string file_name,
             std::vector<std::string> extra_section_keywords = {});
  virtual ~SpecParser() = default;

  // Parses the whole text: sections in order (constants, variables, goal,
  // constraints, prove, then extension sections), optional `end`, end of input.
  Spec parse();

 protected:
  // Called with the current token being a keyword from
  // extra_section_keywords (not yet consumed). Return false to reject it.
  virtual bool parse_extension_section(const Token& keyword);

  // A list of `;`-terminated comparison statements up to the next section
  // keyword, `end` or the end of input (the last `;` may be omitted there,
  // as in Minibex).
  std::vector<Comparison> parse_comparison_list(std::string_view what);
  // Expects the ';' ending a statement; it may be omitted before a section
  // keyword, `end` or the end of input.
  void expect_statement_end(std::string_view context);
  bool at_section_end();

  TokenStream& tokens() { return tokens_; }
  SymbolTable& symbols() { return symbols_; }
  Spec& spec() { return spec_; }
  ExpressionParser& expressions() { return expressions_; }

 private:
  void parse_constants();
  void parse_variables();
  void parse_goal(Sense sense);
  void parse_constant_declaration();
  void parse_variable_declaration();
  std::vector<std::size_t> parse_dimensions(const Token& name);
  void check_new_name(const Token& name, Symbol::Kind kind);
  // A bound in `[lo, hi]`: `oo`, `+oo`, `-oo` or a constant expression.
  struct Bound {
    enum class Kind { Finite, PlusInfinity, MinusInfinity };
    Kind kind = Kind::Finite;
    RationalBounds value;  // Finite: rational bounds of its value
  };
  Bound parse_bound(const std::string& what);
  // `[lo, hi]` after `in`; `owner` names the declared symbol in messages.
  struct IntervalSyntax {
    Bound lower;
    Bound upper;
    Token open;
    std::string text;  // the source text "[lo, hi]"
  };
  IntervalSyntax parse_interval(const std::string& owner);

  std::vector<std::string> section_keywords_;
  Spec spec_;
  TokenStream tokens_;
  SymbolTable symbols_;
  ExpressionParser expressions_;
};

}  // namespace cerval::expr
