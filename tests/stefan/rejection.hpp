#pragma once
// The error message cerval gives for a Stefan spec ("accepted" when it
// parses), for the tests of bad input.
#include <cerval/expr/diagnostics.hpp>
#include <cerval/stefan/spec.hpp>

#include <string>

namespace cerval::stefan::testing {

inline std::string rejection_message(const std::string& text) {
  try {
    parse_stefan_spec(text, "t.spec");
  } catch (const expr::InputError& e) {
    return std::string(e.what());
  }
  return std::string("accepted");
}

}  // namespace cerval::stefan::testing
