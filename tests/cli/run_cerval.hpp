#pragma once
// Runs the `cerval` binary under test (CERVAL_BINARY) as a user would, for
// the end-to-end tests of tests/cli.
#include <catch2/catch.hpp>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <sys/wait.h>

namespace cerval_test {

struct Run {
  int exit_code;
  std::string out;  // stdout and stderr together
};

inline Run run(const std::string& arguments) {
  const std::string command = std::string(CERVAL_BINARY) + " " + arguments + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string out;
  std::array<char, 4096> buffer{};
  while (std::fgets(buffer.data(), buffer.size(), pipe)) out += buffer.data();
  const int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

inline std::string temp_file(const std::string& name, const std::string& content) {
  const auto path = std::filesystem::temp_directory_path() / ("cerval_cli_test_" + name);
  std::ofstream(path) << content;
  return path.string();
}

}  // namespace cerval_test
