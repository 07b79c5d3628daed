// `verify --coq` and `prove --coq` end to end: the exported Coq proofs of
// tight claims are accepted by coqc, and a wrong export (an altered bound)
// is rejected by it. Where coqc or Coq's Interval library is missing the
// coqc parts are skipped with a warning (scripts/bootstrap installs both, so
// CI runs them).
#include <catch2/catch.hpp>

#include "run_cerval.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

using cerval_test::run;
using cerval_test::Run;
using cerval_test::temp_file;

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// coqc on PATH with the Interval library installed.
bool coq_interval_available() {
  FILE* pipe = popen("coqc -where 2>/dev/null", "r");
  if (!pipe) return false;
  char buffer[4096] = {0};
  const bool got = std::fgets(buffer, sizeof buffer, pipe) != nullptr;
  const int status = pclose(pipe);
  if (!got || status != 0) return false;
  std::string where(buffer);
  while (!where.empty() && (where.back() == '\n' || where.back() == '\r')) where.pop_back();
  return std::filesystem::exists(std::filesystem::path(where) / "user-contrib" / "Interval");
}

// Compiles a .v file in a fresh folder; true when coqc accepts it.
bool coqc_accepts(const std::string& coq_text, const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / ("cerval_coq_test_" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "CervalTest.v") << coq_text;
  const std::string command = "cd '" + dir.string() + "' && coqc CervalTest.v > coqc.log 2>&1";
  const int status = std::system(command.c_str());
  std::filesystem::remove_all(dir);
  return status == 0;
}

// Every occurrence of `from` replaced by `to`.
std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

}  // namespace

TEST_CASE("verify --coq exports the proof of a claim tight at a point, and coqc checks it", "[cli][coq]") {
  const std::string spec = temp_file("coq_exp.spec",
                                     "variables\n  x in [-1, 1];\nprove\n  exp(x) >= 1 + x;\nend\n");
  const std::string out = (std::filesystem::temp_directory_path() / "cerval_cli_test_exp.v").string();
  std::filesystem::remove(out);
  const Run r = run("verify " + spec + " --coq " + out);
  REQUIRE(r.exit_code == 0);
  REQUIRE(std::filesystem::exists(out));
  const std::string text = read_file(out);
  CHECK(text.find("Theorem cerval_claim") != std::string::npos);
  CHECK(text.find("Rle_or_lt") != std::string::npos);  // the split at the tight point
  if (!coq_interval_available()) {
    WARN("coqc or Coq's Interval library not installed: the Coq re-check is skipped");
    return;
  }
  CHECK(coqc_accepts(text, "exp_valid"));
  // The claim made false at x = 0 (exp(0) - 1 >= 1/1000): coqc must fail.
  const std::string wrong = replace_all(text, ") >= 0", ") >= 1/1000");
  REQUIRE(wrong != text);
  CHECK_FALSE(coqc_accepts(wrong, "exp_wrong"));
}

TEST_CASE("verify --coq on a square-root bound tight at 0, with its wrong variant", "[cli][coq]") {
  const std::string spec = temp_file("coq_sqrt.spec",
                                     "variables\n  x in [0, 3];\nprove\n  sqrt(1 + x) <= 1 + x/2;\nend\n");
  const std::string out = (std::filesystem::temp_directory_path() / "cerval_cli_test_sqrt.v").string();
  std::filesystem::remove(out);
  const Run r = run("verify " + spec + " --coq " + out);
  REQUIRE(r.exit_code == 0);
  REQUIRE(std::filesystem::exists(out));
  const std::string text = read_file(out);
  if (!coq_interval_available()) {
    WARN("coqc or Coq's Interval library not installed: the Coq re-check is skipped");
    return;
  }
  CHECK(coqc_accepts(text, "sqrt_valid"));
  const std::string wrong = replace_all(text, "<= 0.", "<= -1/1000.");
  REQUIRE(wrong != text);
  CHECK_FALSE(coqc_accepts(wrong, "sqrt_wrong"));
}

TEST_CASE("prove --coq re-checks the shipped bound claims with coqc", "[cli][coq]") {
  if (!coq_interval_available()) {
    WARN("coqc or Coq's Interval library not installed: prove --coq is not exercised");
    return;
  }
  const Run r = run("prove --coq " + std::string(CERVAL_SOURCE_DIR) + "/proofs/bounds");
  INFO(r.out);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("re-checked by Coq") != std::string::npos);
  CHECK(r.out.find("REJECTED by coqc") == std::string::npos);
}
