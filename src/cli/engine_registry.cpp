// The registry of engine commands (commands.hpp, add_engine_command).
#include "commands.hpp"

#include <algorithm>

namespace cerval::cli {

namespace {
// A function-local static: engine files register during static
// initialisation, in an order the language leaves unspecified.
std::vector<EngineCommand>& registry() {
  static std::vector<EngineCommand> commands;
  return commands;
}
}  // namespace

bool add_engine_command(const EngineCommand& command) {
  registry().push_back(command);
  return true;
}

std::vector<EngineCommand> engine_commands() {
  std::vector<EngineCommand> sorted = registry();
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const EngineCommand& a, const EngineCommand& b) { return a.order < b.order; });
  return sorted;
}

}  // namespace cerval::cli
