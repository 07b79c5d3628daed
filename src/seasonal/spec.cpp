#include <cerval/seasonal/spec.hpp>

#include <cerval/expr/parser.hpp>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

namespace cerval::seasonal {

using expr::InputError;
using expr::SourceLocation;
using expr::Token;
using expr::TokenKind;

namespace {

bool is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// The lexer has no token for the prime of `J' = ...`. The spec text is copied
// with every prime that follows a name and precedes `=` replaced by a blank
// (so lines and columns are unchanged) and the offsets of those primes kept;
// the season parser accepts a name as a derivative only when its prime was
// recorded, and every recorded prime must be consumed by a season block.
// Primes anywhere else stay in the text and the lexer rejects them.
struct PrimedText {
  std::string text;
  std::set<std::size_t> primes;  // offsets of the replaced primes

  explicit PrimedText(std::string_view source) : text(source) {
    const std::size_t n = text.size();
    std::size_t i = 0;
    while (i < n) {
      const char c = text[i];
      if (c == '#' || (c == '/' && i + 1 < n && text[i + 1] == '/')) {
        while (i < n && text[i] != '\n' && text[i] != '\r') ++i;
        continue;
      }
      if (c == '/' && i + 1 < n && text[i + 1] == '*') {
        i += 2;
        while (i + 1 < n && !(text[i] == '*' && text[i + 1] == '/')) ++i;
        i += 2;
        continue;
      }
      if (c == '\'' && i > 0 && is_word_char(text[i - 1])) {
        std::size_t j = i + 1;
        while (j < n && (text[j] == ' ' || text[j] == '\t')) ++j;
        if (j < n && text[j] == '=' && !(j + 1 < n && text[j + 1] == '=')) {
          text[i] = ' ';
          primes.insert(i);
        }
      }
      ++i;
    }
  }
};

SourceLocation location_of(const std::string& text, std::size_t offset, const std::string& file) {
  SourceLocation where{file, 1, 1};
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n' || (text[i] == '\r' && !(i + 1 < text.size() && text[i + 1] == '\n'))) {
      ++where.line;
      where.column = 1;
    } else {
      ++where.column;
    }
  }
  return where;
}

class SeasonalParser : private PrimedText, public expr::SpecParser {
 public:
  SeasonalParser(std::string_view text, std::string file)
      : PrimedText(text), SpecParser(PrimedText::text, file, {"seasonal"}), file_(std::move(file)) {}

  SeasonalSpec run() {
    SeasonalSpec s;
    s.base = parse();
    if (!seen_) throw InputError({file_, 1, 1}, "no 'seasonal' section: nothing to compute");
    for (std::size_t p : primes)
      if (!consumed_.count(p))
        throw InputError(location_of(PrimedText::text, p, file_),
                         "a derivative (x') may only start an equation of a 'season' block");
    s.states = states_;
    s.region_upper = region_upper_;
    s.unfavourable = std::move(unfavourable_);
    s.favourable = std::move(favourable_);
    s.period = period_;
    s.period_text = period_text_;
    s.threshold = threshold_ || thetas_.empty();
    s.thetas = thetas_;
    s.digits = digits_;
    s.digits_given = digits_given_;
    s.where = where_;
    return s;
  }

 protected:
  bool parse_extension_section(const Token& keyword) override {
    if (keyword.keyword != "seasonal") return false;
    if (seen_) tokens().fail(keyword, "only one 'seasonal' section is allowed");
    seen_ = true;
    where_ = keyword.where;
    tokens().next();
    collect_states(keyword);
    bool have_period = false;
    while (!at_section_end()) {
      const Token t = tokens().next();
      if (t.kind != TokenKind::Identifier)
        tokens().fail(t, "expected a statement of the seasonal section ('period', 'season', 'threshold', 'theta', "
                         "'digits'), got " + t.describe());
      if (is_derivative(t))
        tokens().fail(t, "an equation " + t.text + "' = ... must follow 'season favourable' or "
                         "'season unfavourable'");
      if (t.text == "period") {
        tokens().accept(TokenKind::Colon);
        tokens().accept(TokenKind::Equal);
        const Token at = tokens().peek();
        period_ = expressions().parse_constant_expression("the period");
        period_text_ = tokens().text_since(at);
        const auto b = expr::constant_bounds(spec().graph, period_);
        if (!b || b->lower <= 0) tokens().fail(at, "the period must be a constant that is certainly > 0");
        if (b->upper > 100000) tokens().fail(at, "the period must be at most 100000");
        have_period = true;
        expect_statement_end("after the period");
      } else if (t.text == "season") {
        tokens().accept(TokenKind::Colon);
        const Token name = tokens().expect(TokenKind::Identifier, "(the season: favourable or unfavourable)");
        Season* season = nullptr;
        bool* seen = nullptr;
        if (name.text == "favourable" || name.text == "favorable") {
          season = &favourable_;
          seen = &seen_favourable_;
        } else if (name.text == "unfavourable" || name.text == "unfavorable") {
          season = &unfavourable_;
          seen = &seen_unfavourable_;
        } else {
          tokens().fail(name, "unknown season '" + name.text + "' (expected favourable or unfavourable)");
        }
        if (*seen) tokens().fail(name, "season '" + name.text + "' is given twice");
        *seen = true;
        tokens().accept(TokenKind::Colon);
        parse_season(name, *season);
      } else if (t.text == "threshold") {
        threshold_ = true;
        expect_statement_end("after 'threshold'");
      } else if (t.text == "theta") {
        parse_theta(t);
        expect_statement_end("after the theta request");
      } else if (t.text == "digits") {
        tokens().accept(TokenKind::Colon);
        const Token at = tokens().peek();
        const std::int64_t v = expressions().parse_integer_constant("digits");
        if (v < 1 || v > 1000) tokens().fail(at, "'digits' must be between 1 and 1000");
        digits_ = static_cast<int>(v);
        digits_given_ = true;
        expect_statement_end("after 'digits'");
      } else {
        const expr::Symbol* sym = symbols().find(t.text);
        if (sym && sym->kind == expr::Symbol::Kind::Variable)
          tokens().fail(t, "expected an equation " + t.text + "' = ... inside a 'season' block");
        tokens().fail(t, "unknown statement '" + t.text + "' in the seasonal section (expected 'period', 'season', "
                         "'threshold', 'theta' or 'digits')");
      }
    }
    const Token& end = tokens().peek();
    if (!have_period) tokens().fail(end, "the seasonal section needs a 'period' statement (the period T)");
    if (!seen_unfavourable_) tokens().fail(end, "the seasonal section needs a 'season unfavourable' block");
    if (!seen_favourable_) tokens().fail(end, "the seasonal section needs a 'season favourable' block");
    return true;
  }

 private:
  bool is_derivative(const Token& t) const {
    return t.kind == TokenKind::Identifier && primes.count(t.offset + t.length) > 0;
  }

  // The state variables are the spec's variables: scalars with region [0, K].
  void collect_states(const Token& keyword) {
    const auto& vars = spec().variables;
    if (vars.empty())
      tokens().fail(keyword, "a seasonal system needs state variables: declare them in a 'variables' section "
                             "with their region, e.g. 'J in [0, 100];'");
    if (vars.size() > 16) tokens().fail(keyword, "at most 16 state variables are supported");
    for (const auto& v : vars) {
      if (v.name.find('(') != std::string::npos)
        throw InputError(v.where, "state variables must be scalars (vector variable '" + v.name + "')");
      if (!v.lower || *v.lower != 0)
        throw InputError(v.where, "the region of state variable '" + v.name +
                                      "' must start at 0: declare it as '" + v.name + " in [0, K];'");
      if (!v.upper) throw InputError(v.where, "the region of state variable '" + v.name + "' needs a finite upper bound K");
      if (*v.upper <= 0) throw InputError(v.where, "the region of state variable '" + v.name + "' must have K > 0");
      states_.push_back(v.name);
      region_upper_.push_back(*v.upper);
    }
  }

  void parse_season(const Token& name, Season& season) {
    season.where = name.where;
    const std::size_t n = states_.size();
    season.rhs.assign(n, 0);
    season.text.assign(n, "");
    std::vector<bool> given(n, false);
    while (!at_section_end() && is_derivative(tokens().peek())) {
      const Token v = tokens().next();
      consumed_.insert(v.offset + v.length);
      const expr::Symbol* sym = symbols().find(v.text);
      if (!sym) tokens().fail(v, "unknown state variable '" + v.text + "' (declare it in the 'variables' section)");
      if (sym->kind != expr::Symbol::Kind::Variable)
        tokens().fail(v, "'" + v.text + "' is a constant, not a state variable");
      const long index = spec().graph.find_variable(v.text);
      if (index < 0) tokens().fail(v, "'" + v.text + "' is not a scalar state variable");
      const auto i = static_cast<std::size_t>(index);
      if (given[i]) tokens().fail(v, "season '" + name.text + "' gives " + v.text + "' twice");
      tokens().expect(TokenKind::Equal, "after " + v.text + "'");
      const Token first = tokens().peek();
      if (at_section_end()) tokens().fail(first, "expected the right-hand side of " + v.text + "', got " + first.describe());
      season.rhs[i] = expressions().parse_expression();
      season.text[i] = tokens().text_since(first);
      given[i] = true;
      expect_statement_end("after the equation of " + v.text + "'");
    }
    for (std::size_t i = 0; i < n; ++i)
      if (!given[i])
        throw InputError(name.where, "season '" + name.text + "' has no equation " + states_[i] + "' = ... (" +
                                           std::to_string(n) + " state variables need " + std::to_string(n) +
                                           " equations)");
  }

  Rational theta_value(Token at) {  // a copy: parsing pops the token stream's deque
    const expr::NodeId id = expressions().parse_constant_expression("theta");
    auto q = expressions().point_value(id);
    if (!q) tokens().fail(at, "theta must be an exact rational number");
    if (*q < 0 || *q > 1) tokens().fail(at, "theta must lie in [0, 1]");
    return *q;
  }

  void parse_theta(const Token& t) {
    ThetaRequest r;
    r.where = t.where;
    const Token first = tokens().peek();
    if (tokens().accept(TokenKind::Equal)) {
      r.lower = r.upper = theta_value(tokens().peek());
    } else if (tokens().accept_keyword("in")) {
      const Token open = tokens().expect(TokenKind::LBracket, "(theta in [a, b])");
      r.lower = theta_value(tokens().peek());
      tokens().expect(TokenKind::Comma, "in theta in [a, b]");
      r.upper = theta_value(tokens().peek());
      tokens().expect(TokenKind::RBracket, "to close theta in [a, b]");
      if (r.lower > r.upper) tokens().fail(open, "empty theta interval");
    } else {
      tokens().fail(first, "expected 'theta = q;' or 'theta in [a, b];', got " + first.describe());
    }
    r.text = "theta " + tokens().text_since(first);
    thetas_.push_back(std::move(r));
  }

  std::string file_;
  bool seen_ = false;
  bool seen_favourable_ = false;
  bool seen_unfavourable_ = false;
  SourceLocation where_;
  std::vector<std::string> states_;
  std::vector<Rational> region_upper_;
  Season unfavourable_;
  Season favourable_;
  expr::NodeId period_ = 0;
  std::string period_text_;
  bool threshold_ = false;
  std::vector<ThetaRequest> thetas_;
  int digits_ = 15;
  bool digits_given_ = false;
  std::set<std::size_t> consumed_;
};

}  // namespace

SeasonalSpec parse_seasonal_spec(std::string_view text, const std::string& file_name) {
  SeasonalParser parser(text, file_name);
  return parser.run();
}

SeasonalSpec parse_seasonal_spec_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError({path, 1, 1}, "cannot read the file");
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse_seasonal_spec(ss.str(), path);
}

}  // namespace cerval::seasonal
