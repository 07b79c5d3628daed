// Tests of the spec-language lexer (include/cerval/expr/lexer.hpp).
#include <cerval/expr/lexer.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using cerval::expr::InputError;
using cerval::expr::Lexer;
using cerval::expr::Token;
using cerval::expr::TokenKind;
using cerval::expr::TokenStream;
using cerval::expr::tokenize;
using cerval::numeric::Rational;

namespace {

// The full message (`file:line:col: error: ...`) of the InputError that
// tokenizing `text` throws, or "" when it throws nothing.
std::string lex_error(const std::string& text) {
  try {
    tokenize(text, "t.spec");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

std::vector<TokenKind> kinds(const std::string& text) {
  std::vector<TokenKind> result;
  for (const Token& t : tokenize(text, "t.spec")) result.push_back(t.kind);
  return result;
}

Rational number(const std::string& text) {
  const auto tokens = tokenize(text, "t.spec");
  REQUIRE(tokens.size() == 2);
  REQUIRE(tokens[0].kind == TokenKind::Number);
  CHECK(tokens[0].text == text);
  return tokens[0].number;
}

}  // namespace

TEST_CASE("lexer: tokens carry file, line and column", "[lexer]") {
  const auto tokens = tokenize("variables\n  x in [-3, 3];\n\ty <= 2.5e-1;", "a.spec");
  REQUIRE(tokens.size() == 15);
  CHECK(tokens[0].kind == TokenKind::Keyword);
  CHECK(tokens[0].keyword == "variables");
  CHECK(tokens[0].where.file == "a.spec");
  CHECK(tokens[0].where.line == 1);
  CHECK(tokens[0].where.column == 1);
  CHECK(tokens[1].text == "x");
  CHECK(tokens[1].kind == TokenKind::Identifier);
  CHECK(tokens[1].where.line == 2);
  CHECK(tokens[1].where.column == 3);
  CHECK(tokens[2].is_keyword("in"));
  CHECK(tokens[3].kind == TokenKind::LBracket);
  CHECK(tokens[3].where.column == 8);
  CHECK(tokens[4].kind == TokenKind::Minus);
  CHECK(tokens[5].kind == TokenKind::Number);
  CHECK(tokens[5].number == 3);
  CHECK(tokens[6].kind == TokenKind::Comma);
  CHECK(tokens[8].kind == TokenKind::RBracket);
  CHECK(tokens[9].kind == TokenKind::Semicolon);
  CHECK(tokens[9].where.column == 15);
  // A tab counts as one byte.
  CHECK(tokens[10].text == "y");
  CHECK(tokens[10].where.line == 3);
  CHECK(tokens[10].where.column == 2);
  CHECK(tokens[11].kind == TokenKind::LessEqual);
  CHECK(tokens[11].where.column == 4);
  CHECK(tokens[12].number == Rational(1, 4));
  CHECK(tokens[12].text == "2.5e-1");
  CHECK(tokens[12].offset == std::string("variables\n  x in [-3, 3];\n\ty <= ").size());
  CHECK(tokens[12].length == 6);
  CHECK(tokens[13].kind == TokenKind::Semicolon);
  CHECK(tokens[14].kind == TokenKind::EndOfInput);  // tokenize ends with one end token
  CHECK(tokens[14].where.line == 3);
  CHECK(tokens[14].where.column == 14);
}

TEST_CASE("lexer: all punctuation", "[lexer]") {
  using K = TokenKind;
  CHECK(kinds("( ) [ ] , ; : = < <= > >= + - * / ^") ==
        std::vector<K>{K::LParen, K::RParen, K::LBracket, K::RBracket, K::Comma, K::Semicolon, K::Colon, K::Equal,
                       K::Less, K::LessEqual, K::Greater, K::GreaterEqual, K::Plus, K::Minus, K::Star, K::Slash,
                       K::Caret, K::EndOfInput});
  // Without blanks: `<=` is one token, `<-` two.
  CHECK(kinds("a<=b>=c<-d") == std::vector<K>{K::Identifier, K::LessEqual, K::Identifier, K::GreaterEqual,
                                               K::Identifier, K::Less, K::Minus, K::Identifier, K::EndOfInput});
}

TEST_CASE("lexer: numbers are exact rationals", "[lexer]") {
  CHECK(number("0") == 0);
  CHECK(number("12") == 12);
  CHECK(number("0.1") == Rational(1, 10));
  CHECK(number(".5") == Rational(1, 2));
  CHECK(number("5.") == 5);
  CHECK(number("1.e8") == 100000000);
  CHECK(number("1.5e-3") == Rational(3, 2000));
  CHECK(number("2E10") == Rational(20000000000LL));
  CHECK(number("1e+2") == 100);
  CHECK(number("0x1.8p-3") == Rational(3, 16));
  CHECK(number("0X10P0") == 16);
  CHECK(number("3.14159265358979323846264338327950288") ==
        *cerval::numeric::parse_decimal("3.14159265358979323846264338327950288"));
  CHECK(number("1e-10000") == *cerval::numeric::parse_decimal("1e-10000"));
  // No sign in a number: the sign is an operator.
  CHECK(kinds("-1") == std::vector<TokenKind>{TokenKind::Minus, TokenKind::Number, TokenKind::EndOfInput});
  // `2e` is not an exponent unless digits follow, and then it is malformed.
  CHECK(kinds("2*e") == std::vector<TokenKind>{TokenKind::Number, TokenKind::Star, TokenKind::Identifier,
                                                TokenKind::EndOfInput});
}

TEST_CASE("lexer: malformed numbers are errors at their location", "[lexer]") {
  CHECK(lex_error("x + 2x") == "t.spec:1:5: error: malformed number '2x'");
  CHECK(lex_error("1.2.3") == "t.spec:1:1: error: malformed number '1.2.3'");
  CHECK(lex_error("\n  1e") == "t.spec:2:3: error: malformed number '1e'");
  CHECK(lex_error("1e+") == "t.spec:1:1: error: malformed number '1e'");
  CHECK(lex_error("0x1.8") == "t.spec:1:1: error: malformed number '0x1.8'");
  CHECK(lex_error("0x") == "t.spec:1:1: error: malformed number '0x'");
  CHECK(lex_error("0x1p") == "t.spec:1:1: error: malformed number '0x1p'");
  CHECK(lex_error("3.5_a") == "t.spec:1:1: error: malformed number '3.5_a'");
  CHECK(lex_error("1e20000") ==
        "t.spec:1:1: error: number '1e20000' is out of range: decimal exponents are limited to +-10000");
  CHECK(lex_error("1e-99999999999999999999") ==
        "t.spec:1:1: error: number '1e-99999999999999999999' is out of range: decimal exponents are limited to "
        "+-10000");
}

TEST_CASE("lexer: keywords are case-insensitive, names are not", "[lexer]") {
  const auto tokens = tokenize("Variables VARIABLES variables vArIaBlEs Minimize END x X Pi sin", "t.spec");
  for (int i = 0; i < 4; ++i) {
    CHECK(tokens[i].kind == TokenKind::Keyword);
    CHECK(tokens[i].keyword == "variables");
  }
  CHECK(tokens[0].text == "Variables");  // the spelling is kept
  CHECK(tokens[4].is_keyword("minimize"));
  CHECK(tokens[5].is_keyword("end"));
  CHECK_FALSE(tokens[5].is_keyword("End"));  // is_keyword takes the lower-case word
  for (int i = 6; i < 10; ++i) CHECK(tokens[i].kind == TokenKind::Identifier);
  CHECK(tokens[6].text == "x");
  CHECK(tokens[7].text == "X");
  // Words that merely start with a keyword are names.
  CHECK(tokenize("endvariables inx", "t.spec")[0].kind == TokenKind::Identifier);
  CHECK(tokenize("endvariables inx", "t.spec")[1].kind == TokenKind::Identifier);
  for (const char* k : {"constants", "variables", "parameters", "function", "minimize", "maximize", "constraints",
                        "prove", "end", "in", "for"})
    CHECK(tokenize(k, "t.spec")[0].is_keyword(k));
}

TEST_CASE("lexer: engines can add keywords", "[lexer]") {
  auto keywords = cerval::expr::core_keywords();
  keywords.push_back("seasons");
  const auto tokens = tokenize("Seasons seasons2", "t.spec", keywords);
  CHECK(tokens[0].is_keyword("seasons"));
  CHECK(tokens[1].kind == TokenKind::Identifier);
  CHECK(tokenize("seasons", "t.spec")[0].kind == TokenKind::Identifier);
}

TEST_CASE("lexer: comments", "[lexer]") {
  const auto tokens = tokenize("a // one\nb # two\n/* three\n four */ c /**/d//\n#\ne", "t.spec");
  REQUIRE(tokens.size() == 6);
  CHECK(tokens[0].text == "a");
  CHECK(tokens[1].text == "b");
  CHECK(tokens[1].where.line == 2);
  CHECK(tokens[2].text == "c");
  CHECK(tokens[2].where.line == 4);
  CHECK(tokens[2].where.column == 10);
  CHECK(tokens[3].text == "d");
  CHECK(tokens[3].where.column == 16);
  CHECK(tokens[4].text == "e");
  CHECK(tokens[4].where.line == 6);
  // Anything goes inside a comment, including non-ASCII text.
  CHECK(kinds("x // \xc3\xa9t\xc3\xa9 $ @\ny") ==
        std::vector<TokenKind>{TokenKind::Identifier, TokenKind::Identifier, TokenKind::EndOfInput});
  // `/` alone is division, `1/2` is not a comment.
  CHECK(kinds("1/2") == std::vector<TokenKind>{TokenKind::Number, TokenKind::Slash, TokenKind::Number,
                                                TokenKind::EndOfInput});
  CHECK(lex_error("x /* never\nclosed") == "t.spec:1:3: error: unterminated comment: '/*' without '*/'");
  CHECK(lex_error("/*/") == "t.spec:1:1: error: unterminated comment: '/*' without '*/'");
}

TEST_CASE("lexer: line ends LF, CR LF and CR", "[lexer]") {
  const auto tokens = tokenize("a\r\nb\rc\n\rd", "t.spec");
  CHECK(tokens[0].where.line == 1);
  CHECK(tokens[1].where.line == 2);
  CHECK(tokens[1].where.column == 1);
  CHECK(tokens[2].where.line == 3);
  CHECK(tokens[3].where.line == 5);
  CHECK(tokens[3].where.column == 1);
}

TEST_CASE("lexer: stray characters are errors at their location", "[lexer]") {
  CHECK(lex_error("x $ y") == "t.spec:1:3: error: unexpected character '$'");
  CHECK(lex_error("x\n  @") == "t.spec:2:3: error: unexpected character '@'");
  CHECK(lex_error("x != y") == "t.spec:1:3: error: unexpected character '!'");
  CHECK(lex_error("{") == "t.spec:1:1: error: unexpected character '{'");
  CHECK(lex_error("x . y") == "t.spec:1:3: error: unexpected character '.'");
  CHECK(lex_error("x \xc3\xa9") == "t.spec:1:3: error: unexpected byte 0xC3 (only ASCII is allowed outside comments)");
  CHECK(lex_error(std::string("x \0 y", 5)) == "t.spec:1:3: error: unexpected byte 0x00");
}

TEST_CASE("lexer: empty input and blanks", "[lexer]") {
  const auto tokens = tokenize("", "t.spec");
  REQUIRE(tokens.size() == 1);
  CHECK(tokens[0].kind == TokenKind::EndOfInput);
  CHECK(tokens[0].where.line == 1);
  CHECK(tokens[0].where.column == 1);
  CHECK(tokens[0].describe() == "end of input");
  const auto blank = tokenize(" \t\f\v\n  // only a comment", "t.spec");
  REQUIRE(blank.size() == 1);
  CHECK(blank[0].where.line == 2);
  CHECK(blank[0].where.column == 20);
}

TEST_CASE("lexer: the lexer produces tokens on demand", "[lexer]") {
  // The error after `x` is only seen when that token is requested.
  Lexer lexer("x $", "t.spec");
  CHECK(lexer.next().text == "x");
  CHECK_THROWS_AS(lexer.next(), InputError);
}

TEST_CASE("token stream: peek, next, accept, expect", "[lexer]") {
  TokenStream ts("a + b ; c", "t.spec");
  CHECK(ts.peek().text == "a");
  CHECK(ts.peek(1).kind == TokenKind::Plus);
  CHECK(ts.peek(3).kind == TokenKind::Semicolon);
  CHECK(ts.peek(10).kind == TokenKind::EndOfInput);
  const Token first = ts.next();
  CHECK(first.text == "a");
  CHECK_FALSE(ts.accept(TokenKind::Minus));
  CHECK(ts.accept(TokenKind::Plus));
  CHECK(ts.expect(TokenKind::Identifier, "").text == "b");
  CHECK(ts.text_since(first) == "a + b");
  CHECK(ts.consumed_end() == 5);
  try {
    ts.expect(TokenKind::RParen, "to close the call");
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()) == "t.spec:1:7: error: expected ')' to close the call, got ';'");
    CHECK(e.message() == "expected ')' to close the call, got ';'");
    CHECK(e.where().column == 7);
  }
  CHECK(ts.accept(TokenKind::Semicolon));
  CHECK_FALSE(ts.accept_keyword("end"));
  CHECK(ts.next().text == "c");
  // The end repeats.
  CHECK(ts.next().kind == TokenKind::EndOfInput);
  CHECK(ts.next().kind == TokenKind::EndOfInput);
  CHECK(ts.peek().kind == TokenKind::EndOfInput);
  try {
    ts.expect(TokenKind::Semicolon, "after constraint");
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()) == "t.spec:1:10: error: expected ';' after constraint, got end of input");
  }
}

TEST_CASE("token stream: keywords", "[lexer]") {
  TokenStream ts("END", "t.spec");
  CHECK(ts.accept_keyword("end"));
  CHECK(ts.peek().kind == TokenKind::EndOfInput);
}

TEST_CASE("token kind names for messages", "[lexer]") {
  CHECK(std::string(cerval::expr::token_kind_name(TokenKind::Semicolon)) == "';'");
  CHECK(std::string(cerval::expr::token_kind_name(TokenKind::LessEqual)) == "'<='");
  CHECK(std::string(cerval::expr::token_kind_name(TokenKind::EndOfInput)) == "end of input");
  CHECK(std::string(cerval::expr::token_kind_name(TokenKind::Number)) == "number");
}
