#pragma once
// The subcommands of the `cerval` executable (internal to src/cli).
//
// Exit codes (docs/DESIGN.md): 0 proven / success, 1 refuted / proven
// infeasible, 2 unknown (timeout, budget, precision not reached), 64 usage
// error, 65 bad input file, 70 internal error.
#include <CLI/CLI.hpp>

#include <cerval/numeric/rational.hpp>

#include <functional>
#include <optional>
#include <string>

namespace cerval::cli {

enum ExitCode : int {
  kSuccess = 0,
  kRefuted = 1,
  kUnknown = 2,
  kUsage = 64,
  kBadInput = 65,
  kInternal = 70,
};

// Each command registers its subcommand and options on `app` and returns the
// action to run when that subcommand was chosen.
using Action = std::function<int()>;
Action register_eval(CLI::App& app);
Action register_search(CLI::App& app);
Action register_verify(CLI::App& app);
Action register_check(CLI::App& app);
Action register_prove(CLI::App& app);

// Shared option parsing.
// --eps-h: a nonnegative exact decimal, or nothing.
std::optional<numeric::Rational> parse_eps_h(const std::string& text);

}  // namespace cerval::cli
