// Functional equations and the `series` spec section (equation.hpp).
#include <cerval/series/equation.hpp>

#include <cerval/expr/eval.hpp>
#include <cerval/expr/parser.hpp>

#include <algorithm>
#include <stdexcept>
#include <cctype>
#include <cmath>
#include <fstream>
#include <numeric>
#include <sstream>

namespace cerval::series {

using expr::InputError;
using expr::Token;
using expr::TokenKind;

const char* equation_type_name(EquationType t) {
  switch (t) {
    case EquationType::Differential: return "differential";
    case EquationType::QDifference: return "q-difference";
    case EquationType::Mahler: return "Mahler";
  }
  return "?";
}

int Term::degree() const {
  int s = 0;
  for (int p : powers) s += p;
  return s;
}

numeric::MpInterval IrrationalQ::enclose(mpfr_prec_t prec) const {
  std::vector<numeric::MpInterval> vars(graph->variable_count(), numeric::MpInterval::entire(prec));
  expr::NumberFactory<numeric::MpInterval> factory;
  factory.precision = prec;
  expr::Evaluator<numeric::MpInterval> e(*graph, factory);
  e.evaluate_until(std::span<const numeric::MpInterval>(vars), node);
  const numeric::MpInterval v = numeric::pow(e.value(node), static_cast<long>(power));
  if (root == 1) return v;
  // the real root: the sign was decided when the equation was ramified
  const numeric::MpInterval n = numeric::MpInterval::enclose(Rational(root), prec);
  if (v.certainly_gt(0.0)) return numeric::exp(numeric::log(v) / n);
  if (v.certainly_lt(0.0) && root % 2 == 1) return -numeric::exp(numeric::log(-v) / n);
  return numeric::MpInterval::entire(prec);  // not reached for a parsed equation
}

numeric::MpInterval Equation::q_enclosure(mpfr_prec_t prec) const {
  if (irrational_q) return irrational_q->enclose(prec);
  return numeric::MpInterval::enclose(q, prec);
}

std::string Equation::q_text() const { return irrational_q ? irrational_q->text : numeric::to_string(q); }

bool Equation::linear() const {
  return std::all_of(terms.begin(), terms.end(), [](const Term& t) { return t.degree() <= 1; });
}

std::string Equation::atom_name(int j) const {
  if (j == 0) return "y";
  switch (type) {
    case EquationType::Differential: return j == 1 ? "delta y" : "delta^" + std::to_string(j) + " y";
    case EquationType::QDifference: return j == 1 ? "y(q x)" : "y(q^" + std::to_string(j) + " x)";
    case EquationType::Mahler: {
      Rational e = 1;
      for (int i = 0; i < j; ++i) e *= d;
      return "y(x^" + numeric::to_string(e) + ")";
    }
  }
  return "?";
}

numeric::MpInterval Equation::coefficient_enclosure(const Term& t, mpfr_prec_t prec) const {
  numeric::MpInterval v = numeric::MpInterval::enclose(t.coefficient, prec);
  for (auto [i, p] : t.constants) v *= numeric::pow(constants.at(static_cast<std::size_t>(i))->enclose(prec), static_cast<long>(p));
  return v;
}

std::vector<std::vector<numeric::MpInterval>> Equation::linear_coefficient_enclosures(mpfr_prec_t prec) const {
  std::vector<std::vector<numeric::MpInterval>> a(static_cast<std::size_t>(order) + 1);
  for (const Term& t : terms) {
    if (t.degree() != 1) continue;
    for (int j = 0; j <= order; ++j) {
      if (t.powers[static_cast<std::size_t>(j)] != 1) continue;
      auto& v = a[static_cast<std::size_t>(j)];
      if (v.size() <= static_cast<std::size_t>(t.x_power)) v.resize(static_cast<std::size_t>(t.x_power) + 1, numeric::MpInterval(prec));
      v[static_cast<std::size_t>(t.x_power)] += coefficient_enclosure(t, prec);
    }
  }
  return a;
}

std::vector<numeric::MpInterval> Equation::inhomogeneous_enclosure(mpfr_prec_t prec) const {
  std::vector<numeric::MpInterval> b;
  for (const Term& t : terms) {
    if (t.degree() != 0) continue;
    if (b.size() <= static_cast<std::size_t>(t.x_power)) b.resize(static_cast<std::size_t>(t.x_power) + 1, numeric::MpInterval(prec));
    b[static_cast<std::size_t>(t.x_power)] += coefficient_enclosure(t, prec);
  }
  return b;
}

std::vector<std::vector<Rational>> Equation::linear_coefficients() const {
  if (!rational_coefficients()) throw std::logic_error("Equation::linear_coefficients: irrational coefficients");
  std::vector<std::vector<Rational>> a(static_cast<std::size_t>(order) + 1);
  for (const Term& t : terms) {
    if (t.degree() != 1) continue;
    for (int j = 0; j <= order; ++j) {
      if (t.powers[static_cast<std::size_t>(j)] != 1) continue;
      auto& v = a[static_cast<std::size_t>(j)];
      if (v.size() <= static_cast<std::size_t>(t.x_power)) v.resize(static_cast<std::size_t>(t.x_power) + 1, Rational(0));
      v[static_cast<std::size_t>(t.x_power)] += t.coefficient;
    }
  }
  return a;
}

std::vector<Rational> Equation::inhomogeneous_part() const {
  if (!rational_coefficients()) throw std::logic_error("Equation::inhomogeneous_part: irrational coefficients");
  std::vector<Rational> b;
  for (const Term& t : terms) {
    if (t.degree() != 0) continue;
    if (b.size() <= static_cast<std::size_t>(t.x_power)) b.resize(static_cast<std::size_t>(t.x_power) + 1, Rational(0));
    b[static_cast<std::size_t>(t.x_power)] += t.coefficient;
  }
  return b;
}

std::string Equation::normal_form() const {
  std::string out;
  for (const Term& t : terms) {
    const bool negative = t.coefficient < 0;
    const Rational c = abs(t.coefficient);
    std::string factors;
    auto add_factor = [&](const std::string& f) { factors += (factors.empty() ? "" : "*") + f; };
    for (auto [i, p] : t.constants) {
      const std::string name = constants.at(static_cast<std::size_t>(i))->text;
      add_factor(p == 1 ? name : name + "^" + std::to_string(p));
    }
    if (t.x_power == 1) add_factor("x");
    if (t.x_power > 1) add_factor("x^" + std::to_string(t.x_power));
    for (std::size_t j = 0; j < t.powers.size(); ++j) {
      if (t.powers[j] == 0) continue;
      const std::string a = atom_name(static_cast<int>(j));
      const std::string base = a.find(' ') != std::string::npos ? "(" + a + ")" : a;
      add_factor(t.powers[j] == 1 ? base : base + "^" + std::to_string(t.powers[j]));
    }
    std::string term;
    if (factors.empty()) term = numeric::to_string(c);
    else if (c == 1) term = factors;
    else term = numeric::to_string(c) + "*" + factors;
    if (out.empty()) out = negative ? "-" + term : term;
    else out += (negative ? " - " : " + ") + term;
  }
  return out + " = 0";
}

namespace {

// ---------------------------------------------------------------------------
// Polynomials in x (Laurent, during normalisation) and raw operator atoms.

struct RawAtom {
  // y^(k), delta^k y, y(c x) or y(Q^k x), y(x^e); Irrational: a constant Q
  // that is not rational (allowed only in the argument of a shift).
  enum class Kind { Derivative, Delta, Shift, Power, Irrational };
  Kind kind = Kind::Derivative;
  int k = 0;         // Derivative/Delta order; Power: exponent e; Shift by Q^k: k
  Rational factor;   // Shift by a rational factor
  Token at;
  expr::NodeId node = 0;  // Irrational, and Shift by Q^k: Q's node (factor = 0)
  bool same(const RawAtom& o) const {
    return kind == o.kind && k == o.k && factor == o.factor && node == o.node;
  }
};

// Monomial: x power and sorted (atom index, power) pairs.
using Key = std::pair<int, std::vector<std::pair<int, int>>>;
using Poly = std::map<Key, Rational>;

void add_to(Poly& p, const Key& k, const Rational& c) {
  if (c == 0) return;
  auto it = p.find(k);
  if (it == p.end()) {
    p.emplace(k, c);
  } else {
    it->second += c;
    if (it->second == 0) p.erase(it);
  }
}

Poly constant_poly(const Rational& c) {
  Poly p;
  add_to(p, Key{0, {}}, c);
  return p;
}

Poly add(const Poly& a, const Poly& b, const Rational& sb = 1) {
  Poly r = a;
  for (const auto& [k, c] : b) add_to(r, k, c * sb);
  return r;
}

Key mul_key(const Key& a, const Key& b) {
  std::map<int, int> m;
  for (auto [i, p] : a.second) m[i] += p;
  for (auto [i, p] : b.second) m[i] += p;
  return Key{a.first + b.first, std::vector<std::pair<int, int>>(m.begin(), m.end())};
}

Poly mul(const Poly& a, const Poly& b) {
  Poly r;
  for (const auto& [ka, ca] : a)
    for (const auto& [kb, cb] : b) add_to(r, mul_key(ka, kb), ca * cb);
  return r;
}

std::optional<Rational> as_constant(const Poly& p) {
  if (p.empty()) return Rational(0);
  if (p.size() == 1 && p.begin()->first.first == 0 && p.begin()->first.second.empty()) return p.begin()->second;
  return std::nullopt;
}

// ---------------------------------------------------------------------------

class SeriesParser : public expr::SpecParser {
 public:
  SeriesParser(std::string_view text, std::string file, std::string original)
      : SpecParser(text, std::move(file), {"series"}), original_(std::move(original)) {}

  SeriesSpec run() {
    SeriesSpec s;
    s.base = parse();
    if (!seen_) throw InputError({s.base.file, 1, 1}, "no 'series' section: nothing to compute");
    s.equation = std::move(equation_);
    s.coefficients = std::move(coefficients_);
    s.terms = terms_;
    s.at = at_;
    s.digits = digits_;
    s.unknown = unknown_;
    s.variable = variable_;
    s.where = where_;
    return s;
  }

 protected:
  bool parse_extension_section(const Token& keyword) override {
    if (keyword.keyword != "series") return false;
    if (seen_) tokens().fail(keyword, "only one 'series' section is allowed");
    seen_ = true;
    where_ = keyword.where;
    tokens().next();
    bool have_equation = false;
    while (!at_section_end()) {
      const Token t = tokens().next();
      if (t.kind != TokenKind::Identifier)
        tokens().fail(t, "expected a statement of the series section ('unknown', 'equation', 'coefficients', "
                         "'terms', 'at', 'digits'), got " + t.describe());
      tokens().accept(TokenKind::Colon);
      if (t.text == "unknown") {
        if (have_equation) tokens().fail(t, "'unknown' must come before the equation");
        const Token y = tokens().expect(TokenKind::Identifier, "(the unknown function's name)");
        tokens().expect(TokenKind::LParen, "after the unknown's name");
        const Token x = tokens().expect(TokenKind::Identifier, "(the variable's name)");
        tokens().expect(TokenKind::RParen, "after the variable's name");
        for (const Token* n : {&y, &x}) {
          if (n->text.back() == '_' || n->text == "delta" || expr::is_reserved_name(n->text) || symbols().find(n->text))
            tokens().fail(*n, "'" + n->text + "' cannot be used as a name here");
        }
        if (y.text == x.text) tokens().fail(x, "the unknown and the variable need different names");
        unknown_ = y.text;
        variable_ = x.text;
      } else if (t.text == "equation") {
        if (have_equation) tokens().fail(t, "only one equation is allowed");
        have_equation = true;
        parse_equation(t);
      } else if (t.text == "coefficients") {
        do {
          const Token& first = tokens().peek();
          const Token at = first;
          const expr::NodeId id = expressions().parse_constant_expression("a coefficient");
          auto v = expressions().point_value(id);
          if (!v) tokens().fail(at, "coefficients must be rational numbers");
          coefficients_.push_back(*v);
        } while (tokens().accept(TokenKind::Comma));
      } else if (t.text == "terms" || t.text == "digits") {
        const Token at = tokens().peek();
        const std::int64_t v = expressions().parse_integer_constant(t.text);
        const std::int64_t limit = t.text == "terms" ? 1000000 : 10000;
        if (v < 1 || v > limit) tokens().fail(at, "'" + t.text + "' must be between 1 and " + std::to_string(limit));
        (t.text == "terms" ? terms_ : digits_) = static_cast<int>(v);
      } else if (t.text == "ramification") {
        if (have_equation) tokens().fail(t, "'ramification' must come before the equation");
        const Token at = tokens().peek();
        const std::int64_t v = expressions().parse_integer_constant("the ramification");
        if (v < 1 || v > 64) tokens().fail(at, "'ramification' must be an integer between 1 and 64");
        ramification_ = static_cast<int>(v);
      } else if (t.text == "exponent") {
        if (have_equation) tokens().fail(t, "'exponent' must come before the equation");
        const Token at = tokens().peek();
        const expr::NodeId id = expressions().parse_constant_expression("the leading exponent");
        auto v = expressions().point_value(id);
        if (!v || abs(*v) > 1000) tokens().fail(at, "the leading exponent must be a rational number of modulus <= 1000");
        exponent_ = *v;
        exponent_at_ = at;
      } else if (t.text == "at") {
        const Token at = tokens().peek();
        const expr::NodeId id = expressions().parse_constant_expression("the evaluation point");
        auto v = expressions().point_value(id);
        if (!v) tokens().fail(at, "the evaluation point must be a rational number");
        at_ = *v;
      } else {
        tokens().fail(t, "unknown statement '" + t.text + "' in the series section (expected 'unknown', 'equation', "
                         "'coefficients', 'terms', 'at' or 'digits')");
      }
      expect_statement_end("after the statement");
    }
    if (!have_equation) tokens().fail(tokens().peek(), "the series section needs an 'equation' statement");
    return true;
  }

 private:
  // Multiplication with a work budget, so that `(1+x)^5000*(1+x)^5000` is an
  // error at `at` rather than minutes of expansion.
  Poly mulc(const Poly& a, const Poly& b, const Token& at) {
    work_ += static_cast<double>(a.size()) * static_cast<double>(b.size());
    if (work_ > 4e6) tokens().fail(at, "the expanded equation is too large (polynomial expansion budget exceeded)");
    return mul(a, b);
  }

  // --- the equation grammar: a polynomial in x, y and operators on y -------
  Poly parse_sum() {
    Poly p = parse_product();
    while (true) {
      if (tokens().accept(TokenKind::Plus)) {
        p = add(p, parse_product());
      } else if (tokens().accept(TokenKind::Minus)) {
        p = add(p, parse_product(), Rational(-1));
      } else {
        return p;
      }
    }
  }
  Poly parse_product() {
    Poly p = parse_unary();
    while (true) {
      if (tokens().peek().is(TokenKind::Star)) {
        const Token star = tokens().next();
        p = mulc(p, parse_unary(), star);
      } else if (tokens().peek().is(TokenKind::Slash)) {
        const Token slash = tokens().next();
        const Token at = tokens().peek();
        Poly d = parse_unary();
        auto c = as_constant(d);
        if (!c && d.size() == 1 && d.begin()->first.first == 0 && d.begin()->first.second.size() == 1 &&
            atoms_[static_cast<std::size_t>(d.begin()->first.second[0].first)].kind == RawAtom::Kind::Irrational)
          tokens().fail(at, "division by the irrational constant '" + at.text + "': define its inverse as a constant "
                            "(e.g. p = 1/" + at.text + ";) and write " + unknown_ + "(p*" + variable_ + ")");
        if (!c) tokens().fail(at, "division by a non-constant: the equation must be a polynomial in x and y");
        if (*c == 0) tokens().fail(at, "division by zero");
        p = mul(p, constant_poly(1 / *c));
      } else if (tokens().peek().is(TokenKind::Identifier) && tokens().peek().text == "delta") {
        const Token at = tokens().peek();
        p = mulc(p, parse_unary(), at);  // `2 delta y` reads as 2 * delta y
      } else {
        return p;
      }
    }
  }
  Poly parse_unary() {
    if (tokens().accept(TokenKind::Minus)) return mul(constant_poly(-1), parse_unary());
    if (tokens().accept(TokenKind::Plus)) return parse_unary();
    return parse_power();
  }
  // An exponent: an integer literal or a parenthesised integer constant.
  int parse_exponent() {
    const Token t = tokens().peek();
    std::int64_t e = 0;
    if (t.is(TokenKind::Number)) {
      tokens().next();
      if (denominator(t.number) != 1 || t.number > 10000) tokens().fail(t, "exponents in equations must be integers between 0 and 10000");
      e = static_cast<std::int64_t>(numerator(t.number));
    } else if (tokens().accept(TokenKind::LParen)) {
      e = expressions().parse_integer_constant("an exponent");
      tokens().expect(TokenKind::RParen, "to close the exponent");
    } else {
      tokens().fail(t, "expected an integer exponent, got " + t.describe());
    }
    if (e < 0 || e > 10000) tokens().fail(t, "exponents in equations must be integers between 0 and 10000");
    return static_cast<int>(e);
  }
  Poly parse_power() {
    Poly base = parse_primary();
    if (tokens().peek().is(TokenKind::Caret)) {
      const Token caret = tokens().next();
      const int e = parse_exponent();
      Poly r = constant_poly(1);
      for (int i = 0; i < e; ++i) r = mulc(r, base, caret);
      if (tokens().peek().is(TokenKind::Caret)) tokens().fail(tokens().peek(), "a^b^c is ambiguous: use parentheses");
      return r;
    }
    return base;
  }
  Poly atom_poly(RawAtom a) {
    for (std::size_t i = 0; i < atoms_.size(); ++i)
      if (atoms_[i].same(a)) return Poly{{Key{0, {{static_cast<int>(i), 1}}}, Rational(1)}};
    atoms_.push_back(std::move(a));
    return Poly{{Key{0, {{static_cast<int>(atoms_.size() - 1), 1}}}, Rational(1)}};
  }
  // Number of primes if `name` is the unknown followed by primes (written
  // `_` after preprocessing), else -1.
  int primes_of(const std::string& name) const {
    if (name.compare(0, unknown_.size(), unknown_) != 0) return -1;
    for (std::size_t i = unknown_.size(); i < name.size(); ++i)
      if (name[i] != '_') return -1;
    return static_cast<int>(name.size() - unknown_.size());
  }
  std::string shown(const Token& t) const {
    return original_.substr(t.offset, t.length);
  }
  Poly parse_primary() {
    const Token t = tokens().next();
    if (t.is(TokenKind::Number)) return constant_poly(t.number);
    if (t.is(TokenKind::LParen)) {
      Poly p = parse_sum();
      tokens().expect(TokenKind::RParen, "to close '('");
      return p;
    }
    if (!t.is(TokenKind::Identifier))
      tokens().fail(t, "expected a term of the equation (a number, " + variable_ + ", " + unknown_ +
                           ", a derivative or an operator on " + unknown_ + "), got " + t.describe());
    if (t.text == variable_) return Poly{{Key{1, {}}, Rational(1)}};
    if (t.text == "delta") {
      int k = 1;
      if (tokens().accept(TokenKind::Caret)) k = parse_exponent();
      const bool paren = tokens().accept(TokenKind::LParen);
      const Token y = tokens().next();
      if (!y.is(TokenKind::Identifier) || y.text != unknown_)
        tokens().fail(y, "delta applies to the unknown '" + unknown_ + "' only");
      if (tokens().peek().is(TokenKind::LParen)) tokens().fail(tokens().peek(), "delta applies to " + unknown_ + " itself, not to " + unknown_ + "(...)");
      if (paren) tokens().expect(TokenKind::RParen, "after delta(" + unknown_);
      return atom_poly(RawAtom{RawAtom::Kind::Delta, k, 0, t});
    }
    const int primes = primes_of(t.text);
    if (primes > 0) {
      if (tokens().peek().is(TokenKind::LParen))
        tokens().fail(tokens().peek(), "derivatives of " + unknown_ + " at a transformed argument are not supported");
      return atom_poly(RawAtom{RawAtom::Kind::Derivative, primes, 0, t});
    }
    if (primes == 0) {
      if (!tokens().peek().is(TokenKind::LParen)) return atom_poly(RawAtom{RawAtom::Kind::Derivative, 0, 0, t});
      const Token open = tokens().next();
      const Token at = tokens().peek();
      in_argument_ = true;
      Poly arg = parse_sum();
      in_argument_ = false;
      tokens().expect(TokenKind::RParen, "to close " + unknown_ + "(");
      if (arg.size() != 1)
        tokens().fail(at, "unsupported argument of " + unknown_ + ": expected " + variable_ + ", q*" + variable_ +
                              " (q a constant) or " + variable_ + "^d (d >= 2)");
      const int e = arg.begin()->first.first;
      const Rational c = arg.begin()->second;
      if (!arg.begin()->first.second.empty()) {
        // y(Q^k x) with Q an irrational constant.
        const auto& factors = arg.begin()->first.second;
        bool only_irrational = true;
        for (auto [i, p] : factors)
          only_irrational = only_irrational && atoms_[static_cast<std::size_t>(i)].kind == RawAtom::Kind::Irrational;
        if (!only_irrational || e != 1)
          tokens().fail(at, "unsupported argument of " + unknown_ + ": expected " + variable_ + ", q*" + variable_ +
                                " (q a constant) or " + variable_ + "^d (d >= 2)");
        if (factors.size() != 1 || c != 1)
          tokens().fail(at, "unsupported argument of " + unknown_ + ": with an irrational constant the argument must be Q*" +
                                variable_ + " or Q^j*" + variable_ + " for one constant Q (define q = ... in 'constants')");
        RawAtom a{RawAtom::Kind::Shift, factors[0].second, 0, t};
        a.node = atoms_[static_cast<std::size_t>(factors[0].first)].node;
        return atom_poly(a);
      }
      if (arg.size() != 1 || arg.begin()->first.first < 1)
        tokens().fail(at, "unsupported argument of " + unknown_ + ": expected " + variable_ + ", q*" + variable_ +
                              " (q a rational constant) or " + variable_ + "^d (d >= 2)");
      if (e == 1 && c == 1) return atom_poly(RawAtom{RawAtom::Kind::Derivative, 0, 0, t});
      if (e == 1) {
        if (c == -1) tokens().fail(at, unknown_ + "(-" + variable_ + "): |q| = 1 is not supported");
        return atom_poly(RawAtom{RawAtom::Kind::Shift, 0, c, t});
      }
      if (c != 1) tokens().fail(at, "unsupported argument of " + unknown_ + ": c*" + variable_ + "^d with c != 1");
      return atom_poly(RawAtom{RawAtom::Kind::Power, e, 0, t});
    }
    if (const expr::Symbol* s = symbols().find(t.text)) {
      if (s->kind == expr::Symbol::Kind::Constant && s->is_scalar()) {
        auto v = expressions().point_value(s->elements[0]);
        if (v) return constant_poly(*v);
        RawAtom a{RawAtom::Kind::Irrational, 0, 0, t};
        a.node = s->elements[0];
        for (std::size_t i = 0; i < atoms_.size(); ++i)
          if (atoms_[i].same(a)) return Poly{{Key{0, {{static_cast<int>(i), 1}}}, Rational(1)}};
        atoms_.push_back(a);
        return Poly{{Key{0, {{static_cast<int>(atoms_.size() - 1), 1}}}, Rational(1)}};
      }
      tokens().fail(t, "'" + t.text + "' cannot be used in an equation (only scalar constants, " + variable_ +
                           " and " + unknown_ + ")");
    }
    if (expr::find_function(t.text) || t.text == "pi")
      tokens().fail(t, "'" + t.text + "' is not allowed: the equation must be a polynomial in " + variable_ + ", " +
                           unknown_ + " and operators on " + unknown_);
    tokens().fail(t, "unknown name '" + shown(t) + "' (the unknown is " + unknown_ + "(" + variable_ + "))");
  }

  void parse_equation(const Token& start) {
    const Token first = tokens().peek();
    Poly lhs = parse_sum();
    tokens().expect(TokenKind::Equal, "in the equation (LHS = RHS)");
    Poly rhs = parse_sum();
    Poly f = add(lhs, rhs, Rational(-1));
    equation_.text = original_.substr(first.offset, tokens().consumed_end() - first.offset);
    equation_.where = first.where;
    normalise(f, first);
    (void)start;
  }

  void normalise(const Poly& f, const Token& at) {
    bool diff = false, shift = false, power = false;
    for (const auto& [k, c] : f)
      for (auto [i, p] : k.second) {
        const RawAtom& a = atoms_[static_cast<std::size_t>(i)];
        if (a.kind == RawAtom::Kind::Derivative && a.k > 0) diff = true;
        if (a.kind == RawAtom::Kind::Delta && a.k > 0) diff = true;
        if (a.kind == RawAtom::Kind::Shift) shift = true;
        if (a.kind == RawAtom::Kind::Power) power = true;
      }
    if (int(diff) + int(shift) + int(power) > 1)
      tokens().fail(at, "equations mixing derivatives, q-shifts y(q x) and Mahler operators y(x^d) are not supported");
    Equation& eq = equation_;
    eq.type = shift ? EquationType::QDifference : power ? EquationType::Mahler : EquationType::Differential;
    // Index j of every atom in the normal form, or a substitution (derivatives).
    std::vector<Poly> subst(atoms_.size());  // in terms of pseudo-atoms j (index j = T^j y)
    auto pseudo = [](int j) { return Poly{{Key{0, {{j, 1}}}, Rational(1)}}; };
    Rational q = 0;
    int d = 0;
    // Irrational shifts y(Q^k x): T = Q^g with g = gcd of the k, T^(k/g).
    int irrational_shifts = 0, rational_shifts = 0, qg = 0;
    const RawAtom* irrational = nullptr;
    for (const RawAtom& a : atoms_) {
      if (a.kind != RawAtom::Kind::Shift) continue;
      if (a.factor == 0) {
        ++irrational_shifts;
        if (irrational && irrational->node != a.node)
          tokens().fail(a.at, "the q-shifts must all be y(q^j x) for one constant q");
        irrational = &a;
        qg = std::gcd(qg, a.k);
      } else {
        ++rational_shifts;
      }
    }
    if (irrational_shifts > 0 && rational_shifts > 0)
      tokens().fail(at, "the q-shifts must all be y(q^j x) for one constant q (here a rational and an irrational one)");
    if (irrational_shifts > 0) {
      auto iq = std::make_shared<IrrationalQ>();
      iq->graph = std::make_shared<const expr::ExprGraph>(expressions().graph());
      iq->node = irrational->node;
      iq->power = qg;
      iq->text = iq->graph->to_string(iq->node);
      if (qg > 1) iq->text = "(" + iq->text + ")^" + std::to_string(qg);
      const numeric::MpInterval qe = iq->enclose(64);
      if (qe.contains_zero() && qe.is_point()) tokens().fail(at, "q = 0 is not supported");
      if (!qe.is_bounded()) tokens().fail(at, "the constant q is unbounded");
      equation_.irrational_q = std::move(iq);
    } else if (shift) {
      // q: the factor closest to modulus 1; every factor must be q^j, j >= 1.
      for (const RawAtom& a : atoms_)
        if (a.kind == RawAtom::Kind::Shift) {
          auto spread = [](const Rational& v) {
            Rational m = abs(v);
            if (m < 1) m = 1 / m;
            return m;
          };
          const Rational m = spread(a.factor);
          const Rational mq = q == 0 ? Rational(0) : spread(q);
          if (q == 0 || m < mq) q = a.factor;
        }
    }
    if (power) {
      for (const RawAtom& a : atoms_)
        if (a.kind == RawAtom::Kind::Power && (d == 0 || a.k < d)) d = a.k;
    }
    for (std::size_t i = 0; i < atoms_.size(); ++i) {
      const RawAtom& a = atoms_[i];
      switch (a.kind) {
        case RawAtom::Kind::Delta: subst[i] = pseudo(a.k); break;
        case RawAtom::Kind::Derivative: {
          // y^(k) = x^-k delta (delta - 1) ... (delta - k + 1) y.
          std::vector<Rational> falling{Rational(1)};  // coefficients in delta
          for (int r = 0; r < a.k; ++r) {
            std::vector<Rational> next(falling.size() + 1, Rational(0));
            for (std::size_t m = 0; m < falling.size(); ++m) {
              next[m + 1] += falling[m];
              next[m] -= falling[m] * r;
            }
            falling = std::move(next);
          }
          Poly p;
          for (std::size_t m = 0; m < falling.size(); ++m) add_to(p, Key{-a.k, {{static_cast<int>(m), 1}}}, falling[m]);
          subst[i] = p;
          break;
        }
        case RawAtom::Kind::Irrational: {
          // a coefficient factor: pseudo-atom -(1 + index of the constant)
          bool used = false;  // (not only inside a shift's argument)
          for (const auto& [k, c] : f)
            for (auto [u, p] : k.second) used = used || u == static_cast<int>(i);
          if (!used) break;
          int index = -1;
          for (std::size_t c = 0; c < constant_nodes_.size(); ++c)
            if (constant_nodes_[c] == a.node) index = static_cast<int>(c);
          if (index < 0) {
            auto k = std::make_shared<IrrationalQ>();
            k->graph = std::make_shared<const expr::ExprGraph>(expressions().graph());
            k->node = a.node;
            k->text = a.at.text;
            const numeric::MpInterval v = k->enclose(64);
            if (!v.is_bounded()) tokens().fail(a.at, "the constant '" + a.at.text + "' is unbounded");
            index = static_cast<int>(constant_nodes_.size());
            constant_nodes_.push_back(a.node);
            eq.constants.push_back(std::move(k));
          }
          subst[i] = Poly{{Key{0, {{-1 - index, 1}}}, Rational(1)}};
          break;
        }
        case RawAtom::Kind::Shift: {
          if (a.factor == 0) {
            subst[i] = pseudo(a.k / qg);
            break;
          }
          Rational power_of_q = q;
          int j = 1;
          for (; j < 64 && power_of_q != a.factor; ++j) {
            if (abs(q) > 1 && abs(power_of_q) > abs(a.factor)) break;
            if (abs(q) < 1 && abs(power_of_q) < abs(a.factor)) break;
            power_of_q *= q;
          }
          if (power_of_q != a.factor)
            tokens().fail(a.at, "the q-shifts must all be y(q^j x) for one rational q; " + numeric::to_string(a.factor) +
                                    " is not a power of " + numeric::to_string(q));
          subst[i] = pseudo(j);
          break;
        }
        case RawAtom::Kind::Power: {
          long long e = d;
          int j = 1;
          while (e < a.k) {
            e *= d;
            ++j;
          }
          if (e != a.k)
            tokens().fail(a.at, "the Mahler operators must all be y(x^(d^j)) for one d; " + std::to_string(a.k) +
                                    " is not a power of " + std::to_string(d));
          subst[i] = pseudo(j);
          break;
        }
      }
    }
    Poly g;
    for (const auto& [k, c] : f) {
      Poly m = Poly{{Key{k.first, {}}, c}};
      for (auto [i, p] : k.second)
        for (int r = 0; r < p; ++r) m = mulc(m, subst[static_cast<std::size_t>(i)], at);
      g = add(g, m);
    }
    if (g.empty()) tokens().fail(at, "the equation is identically zero");
    int min_x = g.begin()->first.first;
    int order = -1;
    for (const auto& [k, c] : g) {
      min_x = std::min(min_x, k.first);
      for (auto [j, p] : k.second) order = std::max(order, j);
    }
    if (order < 0) tokens().fail(at, "the equation does not involve " + unknown_);
    if (eq.type == EquationType::QDifference && !eq.irrational_q && abs(q) == 1) tokens().fail(at, "|q| = 1 is not supported");
    eq.order = order;
    eq.q = q;
    eq.d = d;
    for (const auto& [k, c] : g) {
      Term t;
      t.x_power = k.first - min_x;
      t.powers.assign(static_cast<std::size_t>(order) + 1, 0);
      for (auto [j, p] : k.second) {
        if (j < 0) t.constants.emplace_back(-1 - j, p);
        else t.powers[static_cast<std::size_t>(j)] += p;
      }
      t.coefficient = c;
      eq.terms.push_back(std::move(t));
    }
    if (ramification_ > 1) ramify(at);
    if (exponent_ != 0) shift_exponent(at);
  }

  // y = t^m z with m = exponent * p (t = x^(1/p)).
  void shift_exponent(const Token& at) {
    Equation& eq = equation_;
    const Rational m = exponent_ * eq.ramification;
    eq.exponent = exponent_;
    if (eq.irrational_q)
      tokens().fail(exponent_at_, "leading exponents of q-difference equations with an irrational q are not supported "
                                  "(q^mu would be an irrational coefficient)");
    if (!eq.rational_coefficients())
      tokens().fail(exponent_at_, "leading exponents together with irrational coefficients are not supported");
    if (eq.type == EquationType::QDifference && denominator(m) != 1)
      tokens().fail(exponent_at_, "q-difference equations need an integer leading exponent (in x^(1/p) units): q^mu must be rational");
    std::vector<Rational> e;
    std::vector<Poly> parts;
    for (const Term& t : eq.terms) {
      Rational w = 0;
      Poly mono = constant_poly(t.coefficient);
      for (std::size_t j = 0; j < t.powers.size(); ++j) {
        const int pj = t.powers[j];
        if (pj == 0) continue;
        Rational dj = 1;
        if (eq.type == EquationType::Mahler)
          for (std::size_t i = 0; i < j; ++i) dj *= eq.d;
        w += (eq.type == EquationType::Mahler ? dj : Rational(1)) * pj;
        Poly factor;
        if (eq.type == EquationType::Differential) {
          // (delta + m)^j
          Rational binom = 1;
          for (std::size_t i = 0; i <= j; ++i) {
            add_to(factor, Key{0, {{static_cast<int>(i), 1}}}, binom * detail_pow(m, static_cast<long>(j - i)));
            binom = binom * Rational(static_cast<long>(j - i)) / Rational(static_cast<long>(i + 1));
          }
        } else if (eq.type == EquationType::QDifference) {
          // q^(j m) z(q^j x)
          Rational qp = detail_pow(eq.q, static_cast<long>(j));
          const long mi = static_cast<long>(numerator(m));
          factor = Poly{{Key{0, {{static_cast<int>(j), 1}}}, mi >= 0 ? detail_pow(qp, mi) : 1 / detail_pow(qp, -mi)}};
        } else {
          factor = Poly{{Key{0, {{static_cast<int>(j), 1}}}, Rational(1)}};
        }
        for (int r = 0; r < pj; ++r) mono = mulc(mono, factor, at);
      }
      e.push_back(Rational(t.x_power) + m * w);
      parts.push_back(std::move(mono));
    }
    Rational lowest = e[0];
    for (const Rational& v : e) {
      if (denominator(Rational(v - e[0])) != 1)
        tokens().fail(exponent_at_, "with this leading exponent the terms of the equation have powers of x that do not differ "
                                    "by integers: unsupported");
      lowest = std::min(lowest, v);
    }
    Poly g;
    for (std::size_t i = 0; i < parts.size(); ++i) {
      const int shift = static_cast<int>(numerator(Rational(e[i] - lowest)));
      for (const auto& [k, c] : parts[i]) add_to(g, Key{k.first + shift, k.second}, c);
    }
    if (g.empty()) tokens().fail(at, "the equation for z vanishes identically");
    int order = -1;
    for (const auto& [k, c] : g)
      for (auto [j, p] : k.second) order = std::max(order, j);
    if (order < 0) tokens().fail(at, "the equation for z does not involve z");
    eq.order = order;
    eq.terms.clear();
    for (const auto& [k, c] : g) {
      Term t;
      t.x_power = k.first;
      t.powers.assign(static_cast<std::size_t>(order) + 1, 0);
      for (auto [j, p] : k.second) t.powers[static_cast<std::size_t>(j)] += p;
      t.coefficient = c;
      eq.terms.push_back(std::move(t));
    }
  }

  static Rational detail_pow(const Rational& b, long e) {
    Rational r = 1;
    for (long i = 0; i < e; ++i) r *= b;
    return r;
  }

  // x = t^p: x^a -> t^(pa); delta_x^j -> p^-j delta_t^j; q -> q^(1/p).
  void ramify(const Token& at) {
    Equation& eq = equation_;
    const int p = ramification_;
    eq.ramification = p;
    for (Term& t : eq.terms) {
      t.x_power *= p;
      if (eq.type == EquationType::Differential) {
        int weight = 0;
        for (std::size_t j = 0; j < t.powers.size(); ++j) weight += static_cast<int>(j) * t.powers[j];
        for (int i = 0; i < weight; ++i) t.coefficient /= p;
      }
    }
    if (eq.type == EquationType::QDifference && eq.irrational_q) {
      // q^(1/p), enclosed as a real root: the sign of q must be decided.
      const numeric::MpInterval v = eq.irrational_q->enclose(64);
      if (!v.certainly_gt(0.0) && !(v.certainly_lt(0.0) && p % 2 == 1))
        tokens().fail(at, "q^(1/" + std::to_string(p) + ") with this q: " +
                              (v.certainly_lt(0.0) ? std::string("q < 0 has no real root of even order")
                                                   : std::string("the sign of q is not decided by its enclosure")));
      auto iq = std::make_shared<IrrationalQ>(*eq.irrational_q);
      iq->root *= p;
      iq->text = "(" + eq.irrational_q->text + ")^(1/" + std::to_string(p) + ")";
      eq.irrational_q = std::move(iq);
      return;
    }
    if (eq.type == EquationType::QDifference) {
      // the exact p-th root of q, if rational
      const Rational q = eq.q;
      if (q < 0 && p % 2 == 0) tokens().fail(at, "q < 0 has no real " + std::to_string(p) + "-th root: unsupported");
      auto root = [&](const numeric::Integer& v) -> std::optional<numeric::Integer> {
        const double guess = std::pow(static_cast<double>(v), 1.0 / p);
        for (long c = static_cast<long>(guess) - 2; c <= static_cast<long>(guess) + 2; ++c) {
          if (c < 0) continue;
          numeric::Integer r = 1;
          for (int i = 0; i < p; ++i) r *= c;
          if (r == v) return numeric::Integer(c);
        }
        return std::nullopt;
      };
      auto rn = root(abs(numerator(q)));
      auto rd = root(denominator(q));
      if (!rn || !rd) {
        // q^(1/p) is irrational: kept as the real root of the constant q, enclosed.
        auto graph = std::make_shared<expr::ExprGraph>();
        auto iq = std::make_shared<IrrationalQ>();
        iq->node = graph->constant(q);
        iq->graph = std::move(graph);
        iq->root = p;
        iq->text = "(" + numeric::to_string(q) + ")^(1/" + std::to_string(p) + ")";
        eq.irrational_q = std::move(iq);
        eq.q = 0;
        return;
      }
      eq.q = Rational(*rn) / Rational(*rd);
      if (q < 0) eq.q = -eq.q;
    }
  }

  std::string original_;
  double work_ = 0;
  bool seen_ = false;
  bool in_argument_ = false;
  expr::SourceLocation where_;
  Equation equation_;
  std::vector<RawAtom> atoms_;
  std::vector<expr::NodeId> constant_nodes_;  // Equation::constants, by node
  std::vector<Rational> coefficients_;
  std::optional<int> terms_;
  std::optional<Rational> at_;
  std::optional<int> digits_;
  int ramification_ = 1;
  Rational exponent_ = 0;
  Token exponent_at_;
  std::string unknown_ = "y";
  std::string variable_ = "x";
};

// Primes after an identifier (y', y'') become '_' (same length, so every
// location stays exact); the lexer rejects any other quote at its place.
std::string replace_primes(std::string_view text) {
  std::string s(text);
  for (std::size_t i = 1; i < s.size(); ++i) {
    if (s[i] != '\'') continue;
    const char p = s[i - 1];
    if (std::isalnum(static_cast<unsigned char>(p)) || p == '_') s[i] = '_';
  }
  return s;
}

}  // namespace

SeriesSpec parse_series_spec(std::string_view text, const std::string& file_name) {
  const std::string prepared = replace_primes(text);
  SeriesParser parser(prepared, file_name, std::string(text));
  return parser.run();
}

SeriesSpec parse_series_spec_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError({path, 1, 1}, "cannot read the file");
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse_series_spec(ss.str(), path);
}

}  // namespace cerval::series
