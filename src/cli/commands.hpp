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
#include <vector>

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

// Engine commands (threshold, series, stefan, fit) register themselves from
// their own source file with a namespace-scope
//   const bool registered = add_engine_command({...});
// so that adding an engine touches no other command.
//
// A ProofRunner runs one theorem instance of `cerval prove` (a spec file whose
// header says `# cerval-proof: KIND expect=VERDICT [contains=EXACT]`): it
// returns the verdict word compared with expect= and fills `detail` with a
// one-line summary. `contains`, when given, is an exact number the engine's
// main certified enclosure must contain; a miss returns "wrong (...)".
// Bad input throws expr::InputError.
using ProofRunner = std::string (*)(const std::string& spec_file, const std::optional<numeric::Rational>& contains,
                                    std::string& detail);
struct EngineCommand {
  int order = 0;                                 // position in `cerval --help`
  Action (*register_command)(CLI::App&) = nullptr;
  const char* proof_kind = nullptr;              // KIND in proof headers, or nullptr
  ProofRunner run_proof = nullptr;
};
bool add_engine_command(const EngineCommand& command);
// Sorted by order.
std::vector<EngineCommand> engine_commands();

// Shared option parsing.
// --eps-h: a nonnegative exact decimal, or nothing.
std::optional<numeric::Rational> parse_eps_h(const std::string& text);

}  // namespace cerval::cli
