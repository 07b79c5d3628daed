#include <cerval/stefan/spec.hpp>

#include <cerval/expr/parser.hpp>

#include <fstream>
#include <sstream>

namespace cerval::stefan {

using expr::InputError;
using expr::Token;
using expr::TokenKind;
using numeric::Rational;

namespace {

class StefanParser : public expr::SpecParser {
 public:
  StefanParser(std::string_view text, std::string file) : SpecParser(text, std::move(file), {"stefan"}) {}

  StefanSpec run() {
    StefanSpec s;
    s.base = parse();
    if (!seen_) throw InputError({s.base.file, 1, 1}, "no 'stefan' section: nothing to compute");
    s.problem = problem_;
    s.parameter = parameter_;
    s.final_time = final_time_;
    s.points = points_;
    s.digits = digits_;
    s.where = where_;
    return s;
  }

 protected:
  bool parse_extension_section(const Token& keyword) override {
    if (keyword.keyword != "stefan") return false;
    if (seen_) tokens().fail(keyword, "only one 'stefan' section is allowed");
    seen_ = true;
    where_ = keyword.where;
    tokens().next();
    bool have_problem = false, have_parameter = false;
    while (!at_section_end()) {
      const Token t = tokens().next();
      if (t.kind != TokenKind::Identifier)
        tokens().fail(t, "expected a statement of the stefan section ('problem', 'stefan_number', 'final_time', "
                         "'points', 'digits'), got " + t.describe());
      tokens().accept(TokenKind::Colon);
      if (t.text == "problem") {
        const Token p = tokens().expect(TokenKind::Identifier, "(the problem: neumann_dirichlet or neumann_flux)");
        if (p.text == "neumann_dirichlet") problem_ = NeumannCase::Dirichlet;
        else if (p.text == "neumann_flux") problem_ = NeumannCase::Flux;
        else tokens().fail(p, "unknown problem '" + p.text + "' (expected neumann_dirichlet or neumann_flux)");
        have_problem = true;
      } else if (t.text == "stefan_number" || t.text == "final_time") {
        const Token at = tokens().peek();
        const expr::NodeId id = expressions().parse_constant_expression(t.text);
        auto v = expressions().point_value(id);
        if (!v) tokens().fail(at, "'" + t.text + "' must be an exact rational number");
        if (*v <= 0) tokens().fail(at, "'" + t.text + "' must be positive");
        if (*v > 1000) tokens().fail(at, "'" + t.text + "' must be at most 1000");
        if (t.text == "stefan_number") {
          parameter_ = *v;
          have_parameter = true;
        } else {
          final_time_ = *v;
        }
      } else if (t.text == "points" || t.text == "digits") {
        const Token at = tokens().peek();
        const std::int64_t v = expressions().parse_integer_constant(t.text);
        const std::int64_t limit = t.text == "points" ? 100000 : 2000;
        if (v < 1 || v > limit) tokens().fail(at, "'" + t.text + "' must be between 1 and " + std::to_string(limit));
        (t.text == "points" ? points_ : digits_) = static_cast<int>(v);
      } else {
        tokens().fail(t, "unknown statement '" + t.text + "' in the stefan section (expected 'problem', "
                         "'stefan_number', 'final_time', 'points' or 'digits')");
      }
      expect_statement_end("after the statement");
    }
    if (!have_problem) tokens().fail(tokens().peek(), "the stefan section needs a 'problem' statement");
    if (!have_parameter) tokens().fail(tokens().peek(), "the stefan section needs a 'stefan_number' statement");
    return true;
  }

 private:
  bool seen_ = false;
  expr::SourceLocation where_;
  NeumannCase problem_ = NeumannCase::Dirichlet;
  Rational parameter_ = 1;
  Rational final_time_ = 1;
  int points_ = 4;
  int digits_ = 20;
};

}  // namespace

StefanSpec parse_stefan_spec(std::string_view text, const std::string& file_name) {
  StefanParser parser(text, file_name);
  return parser.run();
}

StefanSpec parse_stefan_spec_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError({path, 1, 1}, "cannot read the file");
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse_stefan_spec(ss.str(), path);
}

}  // namespace cerval::stefan
