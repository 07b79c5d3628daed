#pragma once
// Source locations and the one error type for bad input.
//
// Every error about user input carries the file, line and column it refers
// to and prints as `file:line:col: error: message` (the form compilers use,
// so editors can jump to it).
#include <stdexcept>
#include <string>

namespace cerval::expr {

struct SourceLocation {
  std::string file;  // "<command line>" for text given as an argument
  int line = 1;      // 1-based
  int column = 1;    // 1-based, in bytes
};

class InputError : public std::runtime_error {
 public:
  InputError(SourceLocation where, const std::string& message)
      : std::runtime_error(where.file + ":" + std::to_string(where.line) + ":" +
                           std::to_string(where.column) + ": error: " + message),
        where_(std::move(where)),
        message_(message) {}
  const SourceLocation& where() const noexcept { return where_; }
  const std::string& message() const noexcept { return message_; }

 private:
  SourceLocation where_;
  std::string message_;
};

}  // namespace cerval::expr
