#include <cerval/expr/lexer.hpp>

#include <algorithm>
#include <cstdio>

namespace cerval::expr {

namespace {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex_digit(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool is_word_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_word_char(char c) { return is_word_start(c) || is_digit(c); }

std::string lower(std::string_view s) {
  std::string r(s);
  for (char& c : r)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return r;
}

// Largest decimal exponent accepted in a literal (numeric::parse_decimal's limit).
constexpr long kMaxDecimalExponent = 10000;

}  // namespace

const char* token_kind_name(TokenKind kind) {
  switch (kind) {
    case TokenKind::EndOfInput: return "end of input";
    case TokenKind::Number: return "number";
    case TokenKind::Identifier: return "name";
    case TokenKind::Keyword: return "keyword";
    case TokenKind::LParen: return "'('";
    case TokenKind::RParen: return "')'";
    case TokenKind::LBracket: return "'['";
    case TokenKind::RBracket: return "']'";
    case TokenKind::Comma: return "','";
    case TokenKind::Semicolon: return "';'";
    case TokenKind::Colon: return "':'";
    case TokenKind::Equal: return "'='";
    case TokenKind::Less: return "'<'";
    case TokenKind::LessEqual: return "'<='";
    case TokenKind::Greater: return "'>'";
    case TokenKind::GreaterEqual: return "'>='";
    case TokenKind::Plus: return "'+'";
    case TokenKind::Minus: return "'-'";
    case TokenKind::Star: return "'*'";
    case TokenKind::Slash: return "'/'";
    case TokenKind::Caret: return "'^'";
  }
  return "token";
}

std::string Token::describe() const {
  if (kind == TokenKind::EndOfInput) return "end of input";
  return "'" + text + "'";
}

const std::vector<std::string>& core_keywords() {
  static const std::vector<std::string> words = {
      "constants", "variables", "parameters", "function", "minimize", "maximize",
      "constraints", "prove", "end", "in", "for"};
  return words;
}

Lexer::Lexer(std::string_view text, std::string file, std::vector<std::string> keywords)
    : text_(text), file_(std::move(file)), keywords_(std::move(keywords)) {}

void Lexer::advance() {
  const char c = text_[pos_++];
  if (c == '\n' || (c == '\r' && (pos_ >= text_.size() || text_[pos_] != '\n'))) {
    ++line_;
    column_ = 1;
  } else {
    ++column_;
  }
}

void Lexer::skip_blanks_and_comments() {
  while (pos_ < text_.size()) {
    const char c = text_[pos_];
    if (is_blank(c)) {
      advance();
    } else if (c == '#' || (c == '/' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '/')) {
      while (pos_ < text_.size() && text_[pos_] != '\n' && text_[pos_] != '\r') advance();
    } else if (c == '/' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '*') {
      const SourceLocation start = here();
      advance();
      advance();
      while (true) {
        if (pos_ >= text_.size()) throw InputError(start, "unterminated comment: '/*' without '*/'");
        if (text_[pos_] == '*' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '/') {
          advance();
          advance();
          break;
        }
        advance();
      }
    } else {
      break;
    }
  }
}

Token Lexer::lex_number() {
  Token t;
  t.kind = TokenKind::Number;
  t.where = here();
  t.offset = pos_;
  const std::size_t start = pos_;
  long exponent = 0;
  bool exponent_digits = true;
  if (text_[pos_] == '0' && pos_ + 1 < text_.size() && (text_[pos_ + 1] == 'x' || text_[pos_ + 1] == 'X')) {
    advance();
    advance();
    while (pos_ < text_.size() && (is_hex_digit(text_[pos_]) || text_[pos_] == '.')) advance();
    if (pos_ < text_.size() && (text_[pos_] == 'p' || text_[pos_] == 'P')) {
      advance();
      if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) advance();
      exponent_digits = false;
      while (pos_ < text_.size() && is_digit(text_[pos_])) {
        exponent_digits = true;
        advance();
      }
    }
  } else {
    while (pos_ < text_.size() && (is_digit(text_[pos_]) || text_[pos_] == '.')) advance();
    // An exponent only when digits follow (`2e3`, `2e-3`); otherwise the `e`
    // stays part of a malformed number below (`2e`, `2ex`).
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      std::size_t k = pos_ + 1;
      bool negative = false;
      if (k < text_.size() && (text_[k] == '+' || text_[k] == '-')) negative = text_[k++] == '-';
      if (k < text_.size() && is_digit(text_[k])) {
        while (pos_ < k) advance();
        while (pos_ < text_.size() && is_digit(text_[pos_])) {
          if (exponent <= kMaxDecimalExponent) exponent = exponent * 10 + (text_[pos_] - '0');
          advance();
        }
        if (negative) exponent = -exponent;
      }
    }
  }
  // Letters, digits or points glued to the number make it malformed (`2x`,
  // `1.2.3`, `0x1p`): take them into the token so the message shows them.
  bool glued = false;
  while (pos_ < text_.size() && (is_word_char(text_[pos_]) || text_[pos_] == '.')) {
    glued = true;
    advance();
  }
  t.length = pos_ - start;
  t.text = std::string(text_.substr(start, t.length));
  if (!glued && exponent_digits && (exponent > kMaxDecimalExponent || exponent < -kMaxDecimalExponent))
    throw InputError(t.where, "number '" + t.text + "' is out of range: decimal exponents are limited to +-" +
                                  std::to_string(kMaxDecimalExponent));
  const auto value = glued || !exponent_digits ? std::nullopt : numeric::parse_decimal(t.text);
  if (!value) throw InputError(t.where, "malformed number '" + t.text + "'");
  t.number = *value;
  return t;
}

Token Lexer::lex_word() {
  Token t;
  t.kind = TokenKind::Identifier;
  t.where = here();
  t.offset = pos_;
  while (pos_ < text_.size() && is_word_char(text_[pos_])) advance();
  t.length = pos_ - t.offset;
  t.text = std::string(text_.substr(t.offset, t.length));
  const std::string l = lower(t.text);
  if (std::find(keywords_.begin(), keywords_.end(), l) != keywords_.end()) {
    t.kind = TokenKind::Keyword;
    t.keyword = l;
  }
  return t;
}

Token Lexer::next() {
  skip_blanks_and_comments();
  if (pos_ >= text_.size()) {
    Token t;
    t.kind = TokenKind::EndOfInput;
    t.where = here();
    t.offset = pos_;
    return t;
  }
  const char c = text_[pos_];
  if (is_digit(c) || (c == '.' && pos_ + 1 < text_.size() && is_digit(text_[pos_ + 1]))) return lex_number();
  if (is_word_start(c)) return lex_word();

  Token t;
  t.where = here();
  t.offset = pos_;
  t.length = 1;
  const char n = pos_ + 1 < text_.size() ? text_[pos_ + 1] : '\0';
  switch (c) {
    case '(': t.kind = TokenKind::LParen; break;
    case ')': t.kind = TokenKind::RParen; break;
    case '[': t.kind = TokenKind::LBracket; break;
    case ']': t.kind = TokenKind::RBracket; break;
    case ',': t.kind = TokenKind::Comma; break;
    case ';': t.kind = TokenKind::Semicolon; break;
    case ':': t.kind = TokenKind::Colon; break;
    case '=': t.kind = TokenKind::Equal; break;
    case '+': t.kind = TokenKind::Plus; break;
    case '-': t.kind = TokenKind::Minus; break;
    case '*': t.kind = TokenKind::Star; break;
    case '/': t.kind = TokenKind::Slash; break;
    case '^': t.kind = TokenKind::Caret; break;
    case '<':
      t.kind = n == '=' ? TokenKind::LessEqual : TokenKind::Less;
      t.length = n == '=' ? 2 : 1;
      break;
    case '>':
      t.kind = n == '=' ? TokenKind::GreaterEqual : TokenKind::Greater;
      t.length = n == '=' ? 2 : 1;
      break;
    default: {
      const auto u = static_cast<unsigned char>(c);
      if (u >= 0x21 && u < 0x7f) throw InputError(t.where, std::string("unexpected character '") + c + "'");
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned>(u));
      throw InputError(t.where, std::string("unexpected byte ") + hex +
                                    (u >= 0x80 ? " (only ASCII is allowed outside comments)" : ""));
    }
  }
  t.text = std::string(text_.substr(pos_, t.length));
  for (std::size_t i = 0; i < t.length; ++i) advance();
  return t;
}

std::vector<Token> tokenize(std::string_view text, const std::string& file, const std::vector<std::string>& keywords) {
  Lexer lexer(text, file, keywords);
  std::vector<Token> tokens;
  do {
    tokens.push_back(lexer.next());
  } while (tokens.back().kind != TokenKind::EndOfInput);
  return tokens;
}

TokenStream::TokenStream(std::string_view text, std::string file, std::vector<std::string> keywords)
    : lexer_(text, std::move(file), std::move(keywords)) {}

const Token& TokenStream::peek(std::size_t ahead) {
  while (buffer_.size() <= ahead) {
    if (!buffer_.empty() && buffer_.back().kind == TokenKind::EndOfInput) return buffer_.back();
    buffer_.push_back(lexer_.next());
  }
  return buffer_[ahead];
}

Token TokenStream::next() {
  peek();
  Token t = std::move(buffer_.front());
  buffer_.pop_front();
  if (t.kind == TokenKind::EndOfInput) {
    buffer_.push_front(t);  // the end repeats
  } else {
    consumed_end_ = t.offset + t.length;
  }
  return t;
}

bool TokenStream::accept(TokenKind kind) {
  if (peek().kind != kind) return false;
  next();
  return true;
}

bool TokenStream::accept_keyword(std::string_view lower_case_keyword) {
  if (!peek().is_keyword(lower_case_keyword)) return false;
  next();
  return true;
}

Token TokenStream::expect(TokenKind kind, std::string_view context) {
  const Token& t = peek();
  if (t.kind != kind) {
    std::string message = std::string("expected ") + token_kind_name(kind);
    if (!context.empty()) message += " " + std::string(context);
    fail(t, message + ", got " + t.describe());
  }
  return next();
}

void TokenStream::fail(const Token& at, const std::string& message) const { throw InputError(at.where, message); }

std::string TokenStream::text_since(const Token& first) const {
  if (consumed_end_ <= first.offset) return {};
  return std::string(source().substr(first.offset, consumed_end_ - first.offset));
}

}  // namespace cerval::expr
