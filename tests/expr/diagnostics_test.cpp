// Input errors (include/cerval/expr/diagnostics.hpp): `file:line:col: error:
// message`, with the location and the bare message kept apart.
#include <cerval/expr/diagnostics.hpp>
#include <cerval/expr/parser.hpp>

#include <catch2/catch.hpp>

#include <string>

using namespace cerval;

TEST_CASE("InputError prints file:line:col: error: message", "[diagnostics]") {
  const expr::InputError e({"spec.txt", 12, 7}, "unexpected ')'");
  CHECK(std::string(e.what()) == "spec.txt:12:7: error: unexpected ')'");
  CHECK(e.where().file == "spec.txt");
  CHECK(e.where().line == 12);
  CHECK(e.where().column == 7);
  CHECK(e.message() == "unexpected ')'");
  // It is a runtime_error, so generic handlers print it unchanged.
  try {
    throw e;
  } catch (const std::runtime_error& r) {
    CHECK(std::string(r.what()) == "spec.txt:12:7: error: unexpected ')'");
  }
  const expr::SourceLocation defaults;
  CHECK(defaults.line == 1);
  CHECK(defaults.column == 1);
}

TEST_CASE("parser errors carry the location of the offending token", "[diagnostics]") {
  try {
    expr::parse_spec("variables x;\nminimize x +* 2;\n", "bad.txt");
    FAIL("no error");
  } catch (const expr::InputError& e) {
    CHECK(e.where().file == "bad.txt");
    CHECK(e.where().line == 2);
    CHECK(e.where().column == 13);
    CHECK(std::string(e.what()).rfind("bad.txt:2:13: error: ", 0) == 0);
  }
  expr::ExprGraph g;
  g.add_variable("x");
  try {
    expr::parse_expression("x + y", g);
    FAIL("no error");
  } catch (const expr::InputError& e) {
    CHECK(e.where().file == "<command line>");
    CHECK(e.where().line == 1);
    CHECK(e.where().column == 5);
  }
}
