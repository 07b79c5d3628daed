#include <cerval/search/regression_spec.hpp>

#include <cerval/expr/parser.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace cerval::search {

using expr::InputError;
using expr::NodeId;
using expr::Op;
using expr::SourceLocation;
using expr::Token;
using expr::TokenKind;
using numeric::Rational;

const char* to_string(LossKind k) {
  switch (k) {
    case LossKind::SumOfSquares: return "sum of squares";
    case LossKind::MaxAbs: return "max abs";
  }
  return "?";
}

namespace {

constexpr std::size_t kMaxRows = 1'000'000;

// Significant digits of a decimal literal's mantissa ("2.3894212918E+02": 11;
// "0.00055": 2); 0 for a hexadecimal float.
int significant_digits(std::string_view text) {
  if (text.size() > 1 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) return 0;
  int digits = 0;
  bool leading = true;
  for (char c : text) {
    if (c == 'e' || c == 'E') break;
    if (!std::isdigit(static_cast<unsigned char>(c))) continue;
    if (leading && c == '0') continue;
    leading = false;
    ++digits;
  }
  return std::max(digits, 1);
}

// An exact cell value, or nullopt. Decimal exponents are limited to 10000 in
// magnitude, as in the spec language (a huge exponent would exhaust memory).
std::optional<Rational> cell_value(std::string_view text) {
  const auto e = text.find_first_of("eE");
  const bool hex = text.find_first_of("xX") != std::string_view::npos;
  if (!hex && e != std::string_view::npos) {
    std::string_view exponent = text.substr(e + 1);
    if (!exponent.empty() && (exponent[0] == '+' || exponent[0] == '-')) exponent.remove_prefix(1);
    while (exponent.size() > 1 && exponent[0] == '0') exponent.remove_prefix(1);
    if (exponent.size() > 5 || (exponent.size() == 5 && exponent > "10000")) return std::nullopt;
  }
  if (hex && text.size() > 64) return std::nullopt;
  return numeric::parse_decimal(text);
}

std::string describe_bad_cell(std::string_view cell) {
  std::string lower(cell);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  while (!lower.empty() && (lower[0] == '+' || lower[0] == '-')) lower.erase(0, 1);
  if (lower == "nan") return "NaN is not a data value (every cell must be a number)";
  if (lower == "inf" || lower == "infinity" || lower == "oo") return "infinity is not a data value";
  if (cell.empty()) return "empty cell (every cell must be a number)";
  return "cell '" + std::string(cell) + "' is not a number";
}

// The spec text with every string literal "..." (outside comments) replaced
// by underscores of the same length, so that the lexer sees an identifier at
// the same line and column; the literals are kept by location.
struct StringLiterals {
  std::string text;
  std::map<std::pair<int, int>, std::string> at;  // (line, column) -> contents
};

StringLiterals extract_strings(std::string_view source, const std::string& file) {
  StringLiterals r;
  r.text.assign(source);
  int line = 1, column = 1;
  std::size_t i = 0;
  auto advance = [&] {
    if (r.text[i] == '\n' || (r.text[i] == '\r' && (i + 1 >= r.text.size() || r.text[i + 1] != '\n'))) {
      ++line;
      column = 1;
    } else {
      ++column;
    }
    ++i;
  };
  while (i < r.text.size()) {
    const char c = r.text[i];
    if (c == '#' || (c == '/' && i + 1 < r.text.size() && r.text[i + 1] == '/')) {
      while (i < r.text.size() && r.text[i] != '\n' && r.text[i] != '\r') advance();
      continue;
    }
    if (c == '/' && i + 1 < r.text.size() && r.text[i + 1] == '*') {
      advance();
      advance();
      while (i < r.text.size() && !(r.text[i] == '*' && i + 1 < r.text.size() && r.text[i + 1] == '/')) advance();
      if (i < r.text.size()) {
        advance();
        advance();
      }
      continue;
    }
    if (c != '"') {
      advance();
      continue;
    }
    const int start_line = line, start_column = column;
    const std::size_t start = i;
    advance();
    while (i < r.text.size() && r.text[i] != '"' && r.text[i] != '\n' && r.text[i] != '\r') advance();
    if (i >= r.text.size() || r.text[i] != '"')
      throw InputError({file, start_line, start_column}, "unterminated string (a file name is written \"name.csv\")");
    const std::string contents = r.text.substr(start + 1, i - start - 1);
    if (contents.empty()) throw InputError({file, start_line, start_column}, "empty file name");
    advance();
    for (std::size_t k = start; k < i; ++k) r.text[k] = '_';
    r.at[{start_line, start_column}] = contents;
  }
  return r;
}

// Holds the (rewritten) text before the parser's token stream views it.
struct TextHolder {
  StringLiterals strings_;
};

class RegressionParser : private TextHolder, public expr::SpecParser {
 public:
  RegressionParser(StringLiterals strings, std::string file, std::string folder)
      : TextHolder{std::move(strings)},
        SpecParser(strings_.text, file, {"regression"}),
        file_(std::move(file)),
        folder_(std::move(folder)) {}

  RegressionSpec run() {
    result_.spec = parse();
    if (!seen_)
      throw InputError({file_, 1, 1}, "no 'regression' section: nothing to fit (see docs/spec-language.md)");
    return std::move(result_);
  }

 protected:
  bool parse_extension_section(const Token& keyword) override {
    if (keyword.keyword != "regression") return false;
    if (seen_) tokens().fail(keyword, "only one 'regression' section is allowed");
    seen_ = true;
    result_.where = keyword.where;
    if (spec().objective)
      throw InputError(spec().objective->where,
                       "a regression spec has no goal: `cerval fit` minimises the loss of the regression section");
    if (spec().variables.empty()) tokens().fail(keyword, "declare the parameters in a 'variables' section first");
    tokens().next();
    while (!at_section_end()) statement();
    finish(keyword);
    return true;
  }

 private:
  static bool is_statement_name(const std::string& s) {
    static const char* names[] = {"inputs", "input", "output", "model", "data", "loss", "eps", "truth",
                                  "certified_loss", "certified_parameters"};
    return std::any_of(std::begin(names), std::end(names), [&](const char* n) { return s == n; });
  }

  void statement() {
    const Token t = tokens().next();
    if (t.kind != TokenKind::Identifier || !is_statement_name(t.text))
      tokens().fail(t, "expected a statement of the regression section ('inputs', 'output', 'model', 'data', "
                       "'loss', 'eps', 'truth', 'certified_loss', 'certified_parameters'), got " + t.describe());
    if (t.text == "inputs" || t.text == "input") return parse_inputs(t);
    if (t.text == "output") return parse_output(t);
    if (t.text == "model") return parse_model(t);
    if (t.text == "data") return parse_data(t);
    if (t.text == "loss") return parse_loss(t);
    if (t.text == "eps") return parse_eps(t);
    if (t.text == "truth") {
      once(t, have_truth_);
      result_.truth = std::vector<Rational>();
      for (const auto& v : parse_assignments(t)) result_.truth->push_back(v.value);
      return expect_statement_end("after the truth");
    }
    if (t.text == "certified_loss") {
      once(t, have_certified_loss_);
      result_.certified_loss = reference_value("certified_loss");
      return expect_statement_end("after the certified loss");
    }
    once(t, have_certified_parameters_);
    result_.certified_parameters = parse_assignments(t);
    expect_statement_end("after the certified parameters");
  }

  void once(const Token& t, bool& flag) {
    if (flag) tokens().fail(t, "duplicate '" + t.text + "' statement");
    flag = true;
  }

  Token new_name(std::string_view what) {
    const Token name = tokens().expect(TokenKind::Identifier, what);
    if (expr::is_reserved_name(name.text))
      tokens().fail(name, "'" + name.text + "' is a reserved name (a function or constant of the language)");
    if (symbols().find(name.text))
      tokens().fail(name, "'" + name.text + "' is already declared (as a parameter or constant); data columns need "
                          "names of their own");
    return name;
  }

  void parse_inputs(const Token& t) {
    once(t, have_inputs_);
    do {
      const Token name = new_name("(an input column name)");
      if (std::find(result_.inputs.begin(), result_.inputs.end(), name.text) != result_.inputs.end())
        tokens().fail(name, "input '" + name.text + "' listed twice");
      result_.inputs.push_back(name.text);
      input_where_.push_back(name.where);
    } while (tokens().accept(TokenKind::Comma));
    expect_statement_end("after the inputs");
  }

  void parse_output(const Token& t) {
    once(t, have_output_);
    // `output F(y);`: the loss compares F(y_i) with the model.
    if (tokens().peek().kind == TokenKind::Identifier && tokens().peek(1).is(TokenKind::LParen)) {
      const Token f = tokens().next();
      static const std::pair<const char*, Op> functions[] = {{"log", Op::Log}, {"ln", Op::Log}, {"sqrt", Op::Sqrt},
                                                             {"exp", Op::Exp}};
      const auto it = std::find_if(std::begin(functions), std::end(functions),
                                   [&](const auto& e) { return f.text == e.first; });
      if (it == std::end(functions))
        tokens().fail(f, "'" + f.text + "' cannot transform the output (allowed: log, ln, sqrt, exp)");
      result_.output_function = it->second;
      output_function_where_ = f.where;
      tokens().next();
      const Token name = new_name("(the observed column's name)");
      if (std::find(result_.inputs.begin(), result_.inputs.end(), name.text) != result_.inputs.end())
        tokens().fail(name, "'" + name.text + "' is an input; the output must be another column");
      tokens().expect(TokenKind::RParen, "after the observed column's name");
      result_.output = name.text;
      result_.output_text = f.text + "(" + name.text + ")";
      output_where_ = name.where;
      return expect_statement_end("after the output");
    }
    const Token name = new_name("(the observed column's name)");
    if (std::find(result_.inputs.begin(), result_.inputs.end(), name.text) != result_.inputs.end())
      tokens().fail(name, "'" + name.text + "' is an input; the output must be another column");
    result_.output = name.text;
    result_.output_text = name.text;
    output_where_ = name.where;
    expect_statement_end("after the output");
  }

  void parse_model(const Token& t) {
    once(t, have_model_);
    if (!have_inputs_) tokens().fail(t, "state the 'inputs' before the model");
    // The model graph: a copy of the spec's graph (constants and parameters
    // keep their node ids) with the inputs added as further variables.
    result_.model_graph = spec().graph;
    expr::SymbolTable table = symbols();
    for (std::size_t k = 0; k < result_.inputs.size(); ++k) {
      expr::Symbol s;
      s.kind = expr::Symbol::Kind::Variable;
      s.name = result_.inputs[k];
      s.elements = {result_.model_graph.variable(result_.model_graph.add_variable(result_.inputs[k]))};
      s.where = input_where_[k];
      table.add(std::move(s));
    }
    const Token first = tokens().peek();
    if (at_section_end() || first.is(TokenKind::Semicolon))
      tokens().fail(first, "expected the model expression after 'model', got " + first.describe());
    expr::ExpressionParser parser(tokens(), result_.model_graph, table);
    result_.model = parser.parse_expression();
    result_.model_text = tokens().text_since(first);
    model_where_ = first.where;
    expect_statement_end("after the model");
  }

  std::string string_at(const Token& t) const {
    const auto it = strings_.at.find({t.where.line, t.where.column});
    if (t.kind != TokenKind::Identifier || it == strings_.at.end() || it->second.size() + 2 != t.text.size())
      return {};
    return it->second;
  }

  void parse_data(const Token& t) {
    once(t, have_data_);
    data_where_ = t.where;
    const Token first = tokens().peek();
    if (const std::string path = string_at(first); !path.empty()) {
      tokens().next();
      std::filesystem::path p(path);
      if (p.is_relative() && !folder_.empty()) p = std::filesystem::path(folder_) / p;
      std::ifstream in(p, std::ios::binary);
      if (!in) tokens().fail(first, "cannot read the data file '" + p.string() + "'");
      std::ostringstream ss;
      ss << in.rdbuf();
      table_ = parse_data_table(ss.str(), p.string());
      result_.data_source = p.string();
      return expect_statement_end("after the data file");
    }
    // Inline: `data c1, c2, ...:` then rows `v1, v2, ...;`.
    do {
      const Token name = tokens().expect(TokenKind::Identifier, "(a column name, or a file name \"data.csv\")");
      if (std::find(table_.columns.begin(), table_.columns.end(), name.text) != table_.columns.end())
        tokens().fail(name, "column '" + name.text + "' named twice");
      table_.columns.push_back(name.text);
    } while (tokens().accept(TokenKind::Comma));
    table_.header_where = first.where;
    tokens().expect(TokenKind::Colon, "after the column names (then one row per line: `1.5, 2;`)");
    result_.data_source = "inline";
    while (!at_section_end()) {
      const Token& next = tokens().peek();
      if (next.kind == TokenKind::Identifier && is_statement_name(next.text)) break;
      const Token row_start = next;
      std::vector<Rational> row;
      while (true) {
        row.push_back(inline_cell());
        if (!tokens().accept(TokenKind::Comma)) break;
      }
      if (row.size() != table_.columns.size())
        tokens().fail(row_start, "row has " + std::to_string(row.size()) + " cell(s) but the data header names " +
                                     std::to_string(table_.columns.size()) + " column(s)");
      if (table_.rows.size() >= kMaxRows) tokens().fail(row_start, "too many rows");
      table_.rows.push_back(std::move(row));
      table_.row_where.push_back(row_start.where);
      expect_statement_end("after a data row");
    }
    if (table_.rows.empty()) tokens().fail(tokens().peek(), "no data rows after the header");
  }

  Rational inline_cell() {
    bool negative = false;
    while (tokens().peek().is(TokenKind::Minus) || tokens().peek().is(TokenKind::Plus))
      if (tokens().next().is(TokenKind::Minus)) negative = !negative;
    const Token c = tokens().next();
    if (!c.is(TokenKind::Number)) {
      if (c.kind == TokenKind::Identifier || c.kind == TokenKind::Keyword) tokens().fail(c, describe_bad_cell(c.text));
      tokens().fail(c, "expected a number in the data row, got " + c.describe());
    }
    return negative ? Rational(-c.number) : c.number;
  }

  void parse_loss(const Token& t) {
    once(t, have_loss_);
    const Token w = tokens().expect(TokenKind::Identifier, "(the loss: 'sum of squares' or 'max abs')");
    auto word = [&](const char* expected) {
      const Token x = tokens().next();
      if (x.kind != TokenKind::Identifier || x.text != expected)
        tokens().fail(x, std::string("expected '") + expected + "' in the loss, got " + x.describe());
    };
    if (w.text == "sum") {
      word("of");
      word("squares");
      result_.loss = LossKind::SumOfSquares;
    } else if (w.text == "max") {
      word("abs");
      result_.loss = LossKind::MaxAbs;
    } else {
      tokens().fail(w, "unknown loss '" + w.text + "' (expected 'sum of squares' or 'max abs')");
    }
    if (tokens().peek().kind == TokenKind::Identifier && tokens().peek().text == "weighted") {
      tokens().next();
      word("by");
      const Token col = tokens().expect(TokenKind::Identifier, "(the weight column)");
      result_.weight_column = col.text;
      weight_where_ = col.where;
    }
    expect_statement_end("after the loss");
  }

  Rational exact_constant(std::string_view what) {
    const Token at = tokens().peek();
    const NodeId id = expressions().parse_constant_expression(what);
    const auto v = expressions().point_value(id);
    if (!v) tokens().fail(at, std::string(what) + " must be an exact rational number");
    return *v;
  }

  void parse_eps(const Token& t) {
    once(t, have_eps_);
    const Token at = tokens().peek();
    const Rational e = exact_constant("eps");
    if (e <= 0) tokens().fail(at, "eps must be positive");
    result_.eps = e;
    expect_statement_end("after eps");
  }

  ReferenceValue reference_value(std::string_view what) {
    ReferenceValue r;
    const Token* number = nullptr;
    std::size_t k = 0;
    while (tokens().peek(k).is(TokenKind::Minus) || tokens().peek(k).is(TokenKind::Plus)) ++k;
    if (tokens().peek(k).is(TokenKind::Number)) number = &tokens().peek(k);
    r.digits = number ? significant_digits(number->text) : 0;
    r.where = tokens().peek().where;
    r.value = exact_constant(what);
    return r;
  }

  // `name = value, name = value, ...` covering every parameter exactly once,
  // returned in parameter order.
  std::vector<ReferenceValue> parse_assignments(const Token& t) {
    const auto& vars = spec().variables;
    std::vector<std::optional<ReferenceValue>> values(vars.size());
    do {
      const Token name = tokens().expect(TokenKind::Identifier, "(a parameter name)");
      std::string full = name.text;
      if (tokens().accept(TokenKind::LParen)) {
        const Token index = tokens().expect(TokenKind::Number, "(a one-based index)");
        tokens().expect(TokenKind::RParen, "after the index");
        full += "(" + index.text + ")";
      }
      const auto it = std::find_if(vars.begin(), vars.end(), [&](const auto& v) { return v.name == full; });
      if (it == vars.end()) tokens().fail(name, "'" + full + "' is not a parameter (a declared variable)");
      const auto i = static_cast<std::size_t>(it - vars.begin());
      if (values[i]) tokens().fail(name, "parameter '" + full + "' given twice");
      tokens().expect(TokenKind::Equal, "after the parameter name");
      values[i] = reference_value(full);
    } while (tokens().accept(TokenKind::Comma));
    std::vector<ReferenceValue> result;
    for (std::size_t i = 0; i < vars.size(); ++i) {
      if (!values[i]) tokens().fail(t, "'" + t.text + "' gives no value for parameter '" + vars[i].name + "'");
      result.push_back(*values[i]);
    }
    return result;
  }

  std::size_t column_index(const std::string& name, const SourceLocation& named_at) const {
    const auto it = std::find(table_.columns.begin(), table_.columns.end(), name);
    if (it != table_.columns.end()) return static_cast<std::size_t>(it - table_.columns.begin());
    std::string list;
    for (const auto& c : table_.columns) list += (list.empty() ? "" : ", ") + c;
    const SourceLocation where = result_.data_source == "inline" ? named_at : table_.header_where;
    throw InputError(where, "the data have no column '" + name + "' (columns: " + list + ")");
  }

  // Copies the model into the spec's graph for one data row, the inputs
  // replaced by the row's exact values, through the parser's folding
  // constructors.
  NodeId instantiate(const std::vector<Rational>& inputs, std::vector<NodeId>& map) {
    const expr::ExprGraph& g = result_.model_graph;
    auto& out = expressions();
    expr::ExprGraph& target = spec().graph;
    const std::size_t p = spec().variables.size();
    for (NodeId id : reachable_) {
      const expr::Node& n = g.node(id);
      NodeId r = 0;
      switch (n.op) {
        case Op::Constant: {
          const auto& c = g.constant_value(static_cast<std::size_t>(n.integer));
          r = c.is_point() ? target.constant(c.lower) : target.constant(c.lower, c.upper);
          break;
        }
        case Op::Pi: r = target.pi(); break;
        case Op::Variable: {
          const auto v = static_cast<std::size_t>(n.integer);
          r = v < p ? target.variable(v) : target.constant(inputs[v - p]);
          break;
        }
        case Op::Add: case Op::Sub: case Op::Mul: case Op::Div:
          r = out.arithmetic(n.op, map[n.lhs], map[n.rhs]);
          break;
        case Op::Neg: r = out.negate(map[n.lhs]); break;
        case Op::PowInt: r = out.pow_int(map[n.lhs], n.integer); break;
        case Op::Pow: {
          Token at;
          at.where = model_where_;
          r = out.power(map[n.lhs], map[n.rhs], at);
          break;
        }
        case Op::Min: case Op::Max: r = target.binary(n.op, map[n.lhs], map[n.rhs]); break;
        default: r = target.unary(n.op, map[n.lhs]); break;
      }
      map[id] = r;
    }
    return map[result_.model];
  }

  // Balanced binary tree of `op` over the terms (shallow: the checker
  // re-parses the text).
  NodeId combine(Op op, const std::vector<NodeId>& terms, std::size_t lo, std::size_t hi) {
    if (hi - lo == 1) return terms[lo];
    const std::size_t mid = lo + (hi - lo) / 2;
    const NodeId a = combine(op, terms, lo, mid), b = combine(op, terms, mid, hi);
    return op == Op::Add ? expressions().arithmetic(Op::Add, a, b) : spec().graph.binary(op, a, b);
  }

  void finish(const Token& keyword) {
    const SourceLocation end = tokens().peek().where;
    if (!have_inputs_) throw InputError(keyword.where, "the regression section needs an 'inputs' statement");
    if (!have_output_) throw InputError(keyword.where, "the regression section needs an 'output' statement");
    if (!have_model_) throw InputError(keyword.where, "the regression section needs a 'model' statement");
    if (!have_data_) throw InputError(keyword.where, "the regression section needs a 'data' statement");
    (void)end;
    std::vector<std::size_t> input_columns;
    for (std::size_t k = 0; k < result_.inputs.size(); ++k)
      input_columns.push_back(column_index(result_.inputs[k], input_where_[k]));
    const std::size_t out_column = column_index(result_.output, output_where_);
    std::optional<std::size_t> weight_column;
    if (!result_.weight_column.empty()) weight_column = column_index(result_.weight_column, weight_where_);
    for (std::size_t i = 0; i < table_.rows.size(); ++i) {
      const auto& row = table_.rows[i];
      std::vector<Rational> in;
      for (std::size_t c : input_columns) in.push_back(row[c]);
      result_.input_rows.push_back(std::move(in));
      result_.observed.push_back(row[out_column]);
      if (result_.output_function == Op::Log && row[out_column] <= 0)
        throw InputError(table_.row_where[i], "log of the observed value " + row[out_column].str() +
                                                  " is undefined (the output must be positive)");
      if (result_.output_function == Op::Sqrt && row[out_column] < 0)
        throw InputError(table_.row_where[i], "sqrt of the observed value " + row[out_column].str() +
                                                  " is undefined (the output must be nonnegative)");
      if (weight_column) {
        if (row[*weight_column] < 0)
          throw InputError(table_.row_where[i], "weight " + row[*weight_column].str() + " is negative");
        result_.weights.push_back(row[*weight_column]);
      }
    }
    // Nodes the model depends on, in topological (id) order.
    const expr::ExprGraph& g = result_.model_graph;
    const std::vector<bool> needed = g.reachable({result_.model});
    for (NodeId id = 0; id <= result_.model; ++id)
      if (needed[id]) reachable_.push_back(id);

    std::vector<NodeId> map(g.size(), 0);
    std::vector<NodeId> terms;
    auto& out = expressions();
    expr::ExprGraph& target = spec().graph;
    for (std::size_t i = 0; i < result_.observed.size(); ++i) {
      const NodeId m = instantiate(result_.input_rows[i], map);
      NodeId y = target.constant(result_.observed[i]);
      if (result_.output_function) y = target.unary(*result_.output_function, y);
      const NodeId r = out.arithmetic(Op::Sub, y, m);
      result_.residuals.push_back(r);
      NodeId term = result_.loss == LossKind::SumOfSquares ? target.unary(Op::Sqr, r) : target.unary(Op::Abs, r);
      if (weight_column) term = out.arithmetic(Op::Mul, target.constant(result_.weights[i]), term);
      terms.push_back(term);
    }
    result_.loss_node = combine(result_.loss == LossKind::SumOfSquares ? Op::Add : Op::Max, terms, 0, terms.size());
    std::string text = std::string(to_string(result_.loss)) + " of (" + result_.output_text + " - (" + result_.model_text +
                       ")) over " + std::to_string(terms.size()) + " rows";
    spec().objective = expr::Objective{expr::Sense::Minimize, result_.loss_node, text, keyword.where};
  }

  std::string file_;
  std::string folder_;
  RegressionSpec result_;
  DataTable table_;
  std::vector<SourceLocation> input_where_;
  SourceLocation output_where_, output_function_where_, model_where_, data_where_, weight_where_;
  std::vector<NodeId> reachable_;
  bool seen_ = false;
  bool have_inputs_ = false, have_output_ = false, have_model_ = false, have_data_ = false, have_loss_ = false,
       have_eps_ = false, have_truth_ = false, have_certified_loss_ = false, have_certified_parameters_ = false;
};

RegressionSpec parse_with_folder(std::string_view text, const std::string& file_name, const std::string& folder) {
  RegressionParser parser(extract_strings(text, file_name), file_name, folder);
  return parser.run();
}

}  // namespace

DataTable parse_data_table(std::string_view text, const std::string& file_name) {
  DataTable t;
  bool have_header = false;
  bool comma = true;
  int line = 0;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t eol = text.find_first_of("\r\n", pos);
    if (eol == std::string_view::npos) eol = text.size();
    const std::string_view raw = text.substr(pos, eol - pos);
    ++line;
    pos = eol + 1;
    if (eol < text.size() && text[eol] == '\r' && eol + 1 < text.size() && text[eol + 1] == '\n') ++pos;
    // Cells with their 1-based columns.
    std::size_t first = raw.find_first_not_of(" \t");
    if (first == std::string_view::npos || raw[first] == '#') {
      if (eol >= text.size()) break;
      continue;
    }
    if (!have_header) comma = raw.find(',') != std::string_view::npos;
    std::vector<std::pair<std::string_view, int>> cells;
    if (comma) {
      std::size_t start = 0;
      while (true) {
        const std::size_t end = std::min(raw.find(',', start), raw.size());
        std::string_view cell = raw.substr(start, end - start);
        std::size_t a = cell.find_first_not_of(" \t");
        std::size_t b = cell.find_last_not_of(" \t");
        const int column = static_cast<int>(start + (a == std::string_view::npos ? 0 : a)) + 1;
        cells.emplace_back(a == std::string_view::npos ? std::string_view() : cell.substr(a, b - a + 1), column);
        if (end >= raw.size()) break;
        start = end + 1;
      }
    } else {
      std::size_t start = first;
      while (start < raw.size()) {
        const std::size_t end = std::min(raw.find_first_of(" \t", start), raw.size());
        cells.emplace_back(raw.substr(start, end - start), static_cast<int>(start) + 1);
        start = raw.find_first_not_of(" \t", end);
        if (start == std::string_view::npos) break;
      }
    }
    if (!have_header) {
      have_header = true;
      t.header_where = {file_name, line, static_cast<int>(first) + 1};
      for (const auto& [name, column] : cells) {
        const bool ident = !name.empty() && (std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_') &&
                           std::all_of(name.begin(), name.end(), [](unsigned char c) { return std::isalnum(c) || c == '_'; });
        if (!ident)
          throw InputError({file_name, line, column},
                           "the first line must name the columns; '" + std::string(name) + "' is not a name");
        if (std::find(t.columns.begin(), t.columns.end(), name) != t.columns.end())
          throw InputError({file_name, line, column}, "column '" + std::string(name) + "' named twice");
        t.columns.emplace_back(name);
      }
    } else {
      if (cells.size() != t.columns.size())
        throw InputError({file_name, line, static_cast<int>(first) + 1},
                         "row has " + std::to_string(cells.size()) + " cell(s) but the header names " +
                             std::to_string(t.columns.size()) + " column(s)");
      std::vector<Rational> row;
      for (const auto& [cell, column] : cells) {
        const auto v = cell_value(cell);
        if (!v) throw InputError({file_name, line, column}, describe_bad_cell(cell));
        row.push_back(*v);
      }
      if (t.rows.size() >= kMaxRows) throw InputError({file_name, line, 1}, "too many rows");
      t.rows.push_back(std::move(row));
      t.row_where.push_back({file_name, line, static_cast<int>(first) + 1});
    }
    if (eol >= text.size()) break;
  }
  if (!have_header) throw InputError({file_name, 1, 1}, "empty data file: expected a header line naming the columns");
  if (t.rows.empty()) throw InputError({file_name, line, 1}, "no data rows after the header");
  return t;
}

double observed_value(const RegressionSpec& rs, std::size_t i) {
  const double y = numeric::to_double_down(rs.observed[i]) / 2 + numeric::to_double_up(rs.observed[i]) / 2;
  if (!rs.output_function) return y;
  switch (*rs.output_function) {
    case Op::Log: return std::log(y);
    case Op::Sqrt: return std::sqrt(y);
    case Op::Exp: return std::exp(y);
    default: return y;
  }
}

RegressionSpec parse_regression_spec(std::string_view text, const std::string& file_name) {
  return parse_with_folder(text, file_name, "");
}

RegressionSpec parse_regression_spec_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError({path, 1, 1}, "cannot read the file");
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse_with_folder(ss.str(), path, std::filesystem::path(path).parent_path().string());
}

}  // namespace cerval::search
