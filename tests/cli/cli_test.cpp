// End-to-end tests of the `cerval` command: outputs, exit codes and error
// messages as a user sees them.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cerval/numeric/rational.hpp>

#include "run_cerval.hpp"

#include <filesystem>
#include <fstream>
#include <string>

using cerval_test::run;
using cerval_test::Run;
using cerval_test::temp_file;

namespace {

// lower <= q <= upper for the decimal strings of an eval --json output.
bool json_encloses(const nlohmann::json& j, const std::string& exact) {
  const auto q = *cerval::numeric::parse_rational(exact);
  return *cerval::numeric::parse_decimal(j["lower"].get<std::string>()) <= q &&
         q <= *cerval::numeric::parse_decimal(j["upper"].get<std::string>());
}

}  // namespace

TEST_CASE("eval encloses exact values and prints bounds rounded outward", "[cli]") {
  Run r = run("eval \"0.1 + 0.2\" --json");
  REQUIRE(r.exit_code == 0);
  auto j = nlohmann::json::parse(r.out);
  CHECK(json_encloses(j, "3/10"));
  CHECK(j["defined"] == true);

  r = run("eval \"x^2 - 2\" --var x=[1,2] --json");
  REQUIRE(r.exit_code == 0);
  j = nlohmann::json::parse(r.out);
  CHECK(json_encloses(j, "-1"));
  CHECK(json_encloses(j, "2"));

  r = run("eval \"exp(x)*sin(x)\" --var x=[0.1,0.2] --prec 256 --json");
  REQUIRE(r.exit_code == 0);
  j = nlohmann::json::parse(r.out);
  const auto lo = *cerval::numeric::parse_decimal(j["lower"].get<std::string>());
  const auto hi = *cerval::numeric::parse_decimal(j["upper"].get<std::string>());
  // f is increasing: its range is [exp(0.1) sin(0.1), exp(0.2) sin(0.2)]
  // = [0.11033298873020371171..., 0.24265526859492293505...].
  CHECK(lo <= *cerval::numeric::parse_decimal("0.11033298873020371172"));
  CHECK(hi >= *cerval::numeric::parse_decimal("0.24265526859492293505"));
  CHECK(hi - lo < *cerval::numeric::parse_decimal("0.14"));
}

TEST_CASE("eval reports where an expression is not defined", "[cli]") {
  Run r = run("eval \"sqrt(x)\" --var x=[-1,4] --json");
  REQUIRE(r.exit_code == 0);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j["defined"] == false);
  r = run("eval \"1/x\" --var x=[-1,1]");
  CHECK(r.out.find("not defined") != std::string::npos);
}

TEST_CASE("bad input gives file:line:col and exit 65", "[cli]") {
  Run r = run("eval \"exp(x\" --var x=[0,1]");
  CHECK(r.exit_code == 65);
  CHECK(r.out.find("<command line>:1:") != std::string::npos);
  CHECK(r.out.find("error:") != std::string::npos);

  r = run("eval \"expp(x)\" --var x=[0,1]");
  CHECK(r.exit_code == 65);
  CHECK(r.out.find("expp") != std::string::npos);

  const std::string bad = temp_file("bad.spec", "variables\n  x in [0, 1];\nminimize\n  x +* 2;\n");
  r = run("search " + bad);
  CHECK(r.exit_code == 65);
  CHECK(r.out.find(bad + ":4:") != std::string::npos);

  const std::string empty_box = temp_file("empty.spec", "variables\n  x in [3, 1];\nminimize x;\n");
  r = run("search " + empty_box);
  CHECK(r.exit_code == 65);
  CHECK(r.out.find(empty_box + ":2:") != std::string::npos);

  r = run("search /nonexistent/file.spec");
  CHECK(r.exit_code == 65);
}

TEST_CASE("usage errors exit 64", "[cli]") {
  CHECK(run("").exit_code == 64);
  CHECK(run("frobnicate").exit_code == 64);
  CHECK(run("eval").exit_code == 64);
  CHECK(run("eval x --prec 1").exit_code == 64);
  CHECK(run("search").exit_code == 64);
}

TEST_CASE("search prints a certified enclosure and writes a checkable certificate", "[cli]") {
  const std::string spec = temp_file("camel.spec",
                                     "variables x in [-3, 3]; y in [-2, 2];\n"
                                     "minimize (4 - 2.1*x^2 + x^4/3)*x^2 + x*y + (-4 + 4*y^2)*y^2;\n");
  const std::string cert = (std::filesystem::temp_directory_path() / "cerval_cli_test_camel.json").string();
  Run r = run("search " + spec + " --json --certificate " + cert);
  REQUIRE(r.exit_code == 0);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j["status"] == "success");
  // Six-hump camel: f* = -1.0316284534898...
  CHECK(*cerval::numeric::parse_decimal(j["optimum"]["lower"].get<std::string>()) <=
        *cerval::numeric::parse_decimal("-1.03162845348"));
  CHECK(*cerval::numeric::parse_decimal(j["optimum"]["upper"].get<std::string>()) >=
        *cerval::numeric::parse_decimal("-1.03162845349"));
  r = run("check " + cert);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("valid") != std::string::npos);
}

TEST_CASE("verify exit codes follow the verdicts", "[cli]") {
  const std::string proven = temp_file("proven.spec", "variables x in [-1, 1];\nprove exp(x) >= 1 + x;\n");
  CHECK(run("verify " + proven).exit_code == 0);
  const std::string refuted = temp_file("refuted.spec", "variables x in [0, 2];\nprove x^2 <= 3;\n");
  const Run r = run("verify " + refuted + " --json");
  CHECK(r.exit_code == 1);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j["claims"][0]["verdict"] == "refuted");
  CHECK(j["claims"][0].contains("witness"));
  const std::string unknown = temp_file("unknown.spec", "variables x in [-1, 1];\nprove exp(x) > 1 + x;\n");
  CHECK(run("verify " + unknown + " --max-boxes 50").exit_code == 2);
}

TEST_CASE("a tampered certificate is rejected by check", "[cli]") {
  const std::string spec = temp_file("tamper.spec", "variables x in [0, 3];\nprove sin(x) <= x;\n");
  const std::string cert = (std::filesystem::temp_directory_path() / "cerval_cli_test_tamper.json").string();
  REQUIRE(run("verify " + spec + " --certificate " + cert).exit_code == 0);
  REQUIRE(run("check " + cert).exit_code == 0);
  nlohmann::json j;
  std::ifstream(cert) >> j;
  j["claim"]["bound"] = "-1/1000";  // sin(x) <= x - 1/1000 is false at 0
  std::ofstream(cert) << j.dump();
  const Run r = run("check " + cert);
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("INVALID") != std::string::npos);
}

TEST_CASE("cerval stefan: the inverse problem certified per grid, its certificates re-checked", "[cli][stefan]") {
  const std::string spec = temp_file(
      "inverse.spec",
      "variables q in [0, 1]; p in [1/2, 3/2];\nstefan\n  problem inverse; scheme implicit; grid 2 2; refinements 1;\n"
      "  final_time 1/2; initial_front 1/2;\n  flux exp(t + q); front 1/2 + p * t; initial exp(1/2 - x) - 1;\n"
      "  true_parameter 1/2, 1;\nend\n");
  const std::string out = (std::filesystem::temp_directory_path() / "cerval_cli_test_inverse.json").string();
  Run r = run("stefan " + spec + " --json --certificate " + out);
  REQUIRE(r.exit_code == 0);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j["verdict"] == "proven");
  REQUIRE(j["grids"].size() == 2);
  for (const auto& g : j["grids"]) {
    CHECK(g["certified"] == true);
    CHECK(g["minimizers_certified"] == true);
    CHECK(g["true_parameter_in_box"] == true);
  }
  const std::string second = (std::filesystem::temp_directory_path() / "cerval_cli_test_inverse.2.json").string();
  r = run("check " + second);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("valid"));
  // A front that does not start at s0 is bad input, with its location.
  r = run("stefan " + temp_file("inverse_bad.spec",
                                "variables q in [0, 1];\nstefan problem inverse; scheme implicit; grid 2 2;\n"
                                "initial_front 1; flux q; front 2 + q * t; initial 1 - x; true_parameter 1;\nend\n"));
  CHECK(r.exit_code == 65);
  CHECK_THAT(r.out, Catch::Contains("inverse_bad.spec:2:8: error: the front s(p, t) must equal s0 at t = 0"));
}

TEST_CASE("cerval stefan: variable coefficients, certified against the manufactured solution", "[cli][stefan]") {
  // specs/stefan/general-manufactured.spec: u = (s - x)(1 + x), s = 1/2 + t/4,
  // so s(1) = 3/4; each grid's certified front must lie within its certified
  // error bound of 3/4.
  Run r = run("stefan " + std::string(CERVAL_SOURCE_DIR) + "/specs/stefan/general-manufactured.spec --json");
  REQUIRE(r.exit_code == 0);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j["verdict"] == "proven");
  REQUIRE(j["forward"]["grids"].size() == 3);
  for (const auto& g : j["forward"]["grids"]) {
    REQUIRE(g["certified"] == true);
    const double lo = std::stod(g["front"][0].get<std::string>()), hi = std::stod(g["front"][1].get<std::string>());
    const double e = std::stod(g["error_s_upper"].get<std::string>());
    CHECK(lo - e <= 0.75);
    CHECK(0.75 <= hi + e);
  }
  // A diffusivity that is not positive on the domain: its location.
  r = run("stefan " + temp_file("general_bad.spec", "stefan\n problem general;\n scheme implicit;\n initial 1 - x;\n"
                                                    " initial_front 1/2;\n boundary_value 1;\n diffusivity x - 1/4;\nend\n"));
  CHECK(r.exit_code == 65);
  CHECK_THAT(r.out, Catch::Contains("general_bad.spec:7:14: error: the diffusivity a(x, t) must be positive"));
}
