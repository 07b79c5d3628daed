#pragma once
// Tokens of the spec language (docs/spec-language.md).
//
// Guarantees: every token carries the file, 1-based line and 1-based byte
// column where it starts; a number token keeps its exact source text and its
// exact rational value (numeric::parse_decimal: `0.1` is 1/10, never a
// double). Anything the lexer does not understand (a stray character, a
// malformed number, an unterminated `/* */` comment) is an InputError at its
// location. Tokens are produced on demand, so errors come out in source order
// together with the parser's.
//
// Lexical rules:
//   - blanks: space, tab, CR, LF, FF, VT; LF, CR LF and a lone CR end a line;
//   - comments: `//` and `#` to the end of the line, `/* ... */` (Minibex);
//   - identifiers: [A-Za-z_][A-Za-z0-9_]*, case-sensitive;
//   - keywords: identifiers that match one of the lexer's keywords ignoring
//     case (`Variables`, `MINIMIZE`); they are reserved words;
//   - numbers: `12`, `0.5`, `.5`, `5.`, `1.e8`, `1.5e-3`, hexadecimal floats
//     `0x1.8p-3`; no sign (a sign is the unary operator); decimal exponents
//     are limited to |e| <= 10000;
//   - punctuation: ( ) [ ] , ; : = < <= > >= + - * / ^
#include <cerval/expr/diagnostics.hpp>
#include <cerval/numeric/rational.hpp>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace cerval::expr {

enum class TokenKind : std::uint8_t {
  EndOfInput,
  Number,
  Identifier,
  Keyword,
  LParen, RParen, LBracket, RBracket,
  Comma, Semicolon, Colon,
  Equal, Less, LessEqual, Greater, GreaterEqual,
  Plus, Minus, Star, Slash, Caret,
};

// How a token kind is named in messages: "';'", "number", "end of input".
const char* token_kind_name(TokenKind kind);

struct Token {
  TokenKind kind = TokenKind::EndOfInput;
  std::string text;     // exact source text (a keyword keeps its spelling)
  std::string keyword;  // Keyword tokens: the keyword in lower case
  numeric::Rational number;  // Number tokens: the exact value of `text`
  SourceLocation where;
  std::size_t offset = 0;  // byte offset of the first character in the source
  std::size_t length = 0;  // bytes

  bool is(TokenKind k) const { return kind == k; }
  // True for a Keyword token spelling `lower_case_keyword` (any case).
  bool is_keyword(std::string_view lower_case_keyword) const {
    return kind == TokenKind::Keyword && keyword == lower_case_keyword;
  }
  // "'x'" for a token with text, "end of input" at the end: for messages.
  std::string describe() const;
};

// The keywords of the core language, lower case: constants variables
// parameters function minimize maximize constraints prove end in for.
// (`parameters` and `for` are Minibex words that cerval rejects with a
// "not supported yet" message; they are reserved so that message can be given.)
const std::vector<std::string>& core_keywords();

// Splits text into tokens, one at a time. The text must outlive the lexer.
class Lexer {
 public:
  // `keywords` are lower case; an identifier equal to one of them ignoring
  // case becomes a Keyword token. Engines extending the language pass
  // core_keywords() plus their own section names.
  Lexer(std::string_view text, std::string file,
        std::vector<std::string> keywords = core_keywords());

  // The next token; EndOfInput (repeatedly) at the end. Throws InputError.
  Token next();

  const std::string& file() const { return file_; }
  std::string_view text() const { return text_; }

 private:
  void skip_blanks_and_comments();
  void advance();  // one byte, keeping line and column
  SourceLocation here() const { return {file_, line_, column_}; }
  Token lex_number();
  Token lex_word();

  std::string_view text_;
  std::string file_;
  std::vector<std::string> keywords_;
  std::size_t pos_ = 0;
  int line_ = 1;
  int column_ = 1;
};

// All tokens of a text, ending with one EndOfInput token (tests, tools).
std::vector<Token> tokenize(std::string_view text, const std::string& file,
                            const std::vector<std::string>& keywords = core_keywords());

// A lexer with lookahead: what the parsers consume. The text must outlive it.
class TokenStream {
 public:
  TokenStream(std::string_view text, std::string file,
              std::vector<std::string> keywords = core_keywords());

  // The token `ahead` positions after the current one (0: the current one).
  // The reference stays valid until the next call to next(), accept*() or expect().
  const Token& peek(std::size_t ahead = 0);
  // Consumes and returns the current token.
  Token next();
  // Consumes the current token if it has this kind / is this keyword.
  bool accept(TokenKind kind);
  bool accept_keyword(std::string_view lower_case_keyword);
  // Consumes a token of this kind or throws "expected K <context>, got T"
  // at the current token, e.g. expect(Semicolon, "after constraint").
  Token expect(TokenKind kind, std::string_view context);

  // Throws InputError at the token.
  [[noreturn]] void fail(const Token& at, const std::string& message) const;

  const std::string& file() const { return lexer_.file(); }
  std::string_view source() const { return lexer_.text(); }
  // Source text from the start of `first` to the end of the last consumed
  // token (the text of a statement, without surrounding blanks).
  std::string text_since(const Token& first) const;
  // Byte offset just past the last consumed token.
  std::size_t consumed_end() const { return consumed_end_; }

 private:
  Lexer lexer_;
  std::deque<Token> buffer_;
  std::size_t consumed_end_ = 0;
};

}  // namespace cerval::expr
