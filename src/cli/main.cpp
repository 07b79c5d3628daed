// cerval: the command-line entry point. Parses the subcommand, runs it, and
// maps every outcome to the exit codes of commands.hpp. Nothing escapes as a
// crash: bad input is reported as `file:line:col: error: ...` with exit 65.
#include "commands.hpp"

#include <cerval/expr/diagnostics.hpp>

#include <iostream>
#include <vector>

int main(int argc, char** argv) {
  using namespace cerval::cli;
  CLI::App app{"cerval: formal-numeric verification with certified interval arithmetic"};
  app.require_subcommand(1);
  std::vector<std::pair<CLI::App*, Action>> actions;
  auto add = [&](Action (*reg)(CLI::App&)) {
    const std::size_t before = app.get_subcommands({}).size();
    Action a = reg(app);
    actions.emplace_back(app.get_subcommands({})[before], std::move(a));
  };
  add(register_eval);
  add(register_search);
  add(register_verify);
  add(register_check);
  add(register_prove);
  for (const EngineCommand& engine : engine_commands()) add(engine.register_command);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kSuccess : kUsage;
  }
  try {
    for (auto& [sub, action] : actions)
      if (sub->parsed()) return action();
  } catch (const cerval::expr::InputError& e) {
    std::cerr << e.what() << "\n";
    return kBadInput;
  } catch (const std::exception& e) {
    std::cerr << "cerval: internal error: " << e.what() << "\n";
    return kInternal;
  }
  return kUsage;
}
