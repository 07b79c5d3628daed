// The regression section: data exact, loss built per residual, every kind of
// malformed input rejected with file:line:col.
#include <cerval/expr/eval.hpp>
#include <cerval/search/regression_spec.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>

using namespace cerval;
using numeric::Rational;

namespace {

const char* kLine = R"(variables
  a in [0, 10];
  k in [0, 2];
regression
  inputs x;
  output y;
  model a*exp(-k*x);
  data x, y:
    0, 2;
    1, 1.2;
    2, 0.75;
)";

// The message of the InputError `f` throws ("" when none).
template <class F>
std::string error_of(F f) {
  try {
    f();
  } catch (const expr::InputError& e) {
    return e.what();
  }
  return "";
}

std::string spec_error(const std::string& text) {
  return error_of([&] { search::parse_regression_spec(text, "t.spec"); });
}

std::string table_error(const std::string& text) {
  return error_of([&] { search::parse_data_table(text, "d.csv"); });
}

}  // namespace

TEST_CASE("inline data are exact and the loss is the sum of squared residuals", "[regression]") {
  const auto rs = search::parse_regression_spec(kLine, "t.spec");
  REQUIRE(rs.parameter_count() == 2);
  REQUIRE(rs.row_count() == 3);
  CHECK(rs.observed[1] == Rational(6, 5));
  CHECK(rs.input_rows[2][0] == Rational(2));
  CHECK(rs.loss == search::LossKind::SumOfSquares);
  REQUIRE(rs.spec.objective);
  CHECK(rs.spec.objective->expr == rs.loss_node);
  // At a = 2, k = 0 the residuals are 0, -0.8, -1.25: loss 0.64 + 1.5625.
  std::vector<numeric::Interval> point{numeric::Interval(2.0), numeric::Interval(0.0)};
  const auto e = expr::evaluate<numeric::Interval>(rs.spec.graph, rs.loss_node, point);
  CHECK(e.value.contains(2.2025));
  CHECK(e.value.width() < 1e-14);
  // The loss's text reads back (certificates carry it).
  CHECK(!rs.spec.graph.to_string(rs.loss_node).empty());
}

TEST_CASE("statements: loss kinds, weights, eps, truth, references", "[regression]") {
  const auto rs = search::parse_regression_spec(R"(variables a in [-1, 1];
regression
  inputs x; output y; model a*x;
  data x, y, w:
    1, 2, 0.5;
    -2, 3, 4;
  loss max abs weighted by w;
  eps 1/1000;
  truth a = 0.5;
  certified_loss 1.2455138894E-01;
  certified_parameters a = 2.50E+00;
end)",
                                                "t.spec");
  CHECK(rs.loss == search::LossKind::MaxAbs);
  REQUIRE(rs.weights.size() == 2);
  CHECK(rs.weights[1] == Rational(4));
  CHECK(*rs.eps == Rational(1, 1000));
  CHECK((*rs.truth)[0] == Rational(1, 2));
  CHECK(rs.certified_loss->digits == 11);
  CHECK((*rs.certified_parameters)[0].digits == 3);
  CHECK((*rs.certified_parameters)[0].value == Rational(5, 2));
}

TEST_CASE("CSV data beside the spec, comma or blank separated", "[regression]") {
  const auto dir = std::filesystem::temp_directory_path() / "cerval_regression_test";
  std::filesystem::create_directories(dir);
  {
    std::ofstream(dir / "d.csv") << "# a comment\nx, y\n0, 2\n1, 1.2E0\n\n2, 0.75\n";
    std::ofstream(dir / "blank.dat") << "y x\n2 0\n1.2 1\n0.75 2\n";
    std::ofstream(dir / "s.spec") << "variables a in [0, 10]; k in [0, 2];\nregression\n inputs x; output y;\n"
                                     " model a*exp(-k*x);\n data \"d.csv\";\n";
    std::ofstream(dir / "b.spec") << "variables a in [0, 10]; k in [0, 2];\nregression\n inputs x; output y;\n"
                                     " model a*exp(-k*x);\n data \"blank.dat\";\n";
  }
  const auto rs = search::parse_regression_spec_file((dir / "s.spec").string());
  CHECK(rs.row_count() == 3);
  CHECK(rs.observed[1] == Rational(6, 5));
  const auto rb = search::parse_regression_spec_file((dir / "b.spec").string());
  CHECK(rb.observed == rs.observed);
  CHECK(rb.input_rows == rs.input_rows);
  // A missing file is reported at the file name in the spec.
  {
    std::ofstream(dir / "m.spec") << "variables a in [0, 10];\nregression\n inputs x; output y;\n"
                                     " model a*x;\n data \"nope.csv\";\n";
  }
  const std::string e = error_of([&] { search::parse_regression_spec_file((dir / "m.spec").string()); });
  CHECK(e.find("m.spec:5:7: error: cannot read the data file") != std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST_CASE("malformed CSV data: file, line and column", "[regression]") {
  CHECK(table_error("x, y\n1, 2\n3\n") == "d.csv:3:1: error: row has 1 cell(s) but the header names 2 column(s)");
  CHECK(table_error("x, y\n1, 2\n3, abc\n") == "d.csv:3:4: error: cell 'abc' is not a number");
  CHECK(table_error("x, y\n1, NaN\n") == "d.csv:2:4: error: NaN is not a data value (every cell must be a number)");
  CHECK(table_error("x, y\n1, inf\n") == "d.csv:2:4: error: infinity is not a data value");
  CHECK(table_error("x, y\n1, \n") == "d.csv:2:3: error: empty cell (every cell must be a number)");
  CHECK(table_error("x, 2y\n") == "d.csv:1:4: error: the first line must name the columns; '2y' is not a name");
  CHECK(table_error("x, y\n") == "d.csv:2:1: error: no data rows after the header");
  CHECK(table_error("") == "d.csv:1:1: error: empty data file: expected a header line naming the columns");
  CHECK(table_error("x\n1e99999\n") == "d.csv:2:1: error: cell '1e99999' is not a number");
}

TEST_CASE("malformed inline data and statements: file, line and column", "[regression]") {
  const std::string head = "variables a in [0, 10];\nregression\n inputs x; output y;\n model a*x;\n";
  // Ragged row.
  CHECK(spec_error(head + " data x, y:\n  1, 2;\n  3;\n") ==
        "t.spec:7:3: error: row has 1 cell(s) but the data header names 2 column(s)");
  // Non-numeric cell and NaN.
  CHECK(spec_error(head + " data x, y:\n  1, abc;\n") == "t.spec:6:6: error: cell 'abc' is not a number");
  CHECK(spec_error(head + " data x, y:\n  1, NaN;\n") ==
        "t.spec:6:6: error: NaN is not a data value (every cell must be a number)");
  // Missing column: reported where the name is used.
  CHECK(spec_error(head + " data x, z:\n  1, 2;\n") ==
        "t.spec:3:19: error: the data have no column 'y' (columns: x, z)");
  // Unknown statement, unknown name in the model, input clashing with a parameter.
  CHECK(spec_error(head + " dta x;\n").find("t.spec:5:2: error: expected a statement of the regression section") == 0);
  CHECK(spec_error("variables a in [0, 1];\nregression\n inputs x; output y;\n model a*q;\n data x, y:\n 1, 2;\n")
            .find("t.spec:4:10: error:") == 0);
  CHECK(spec_error("variables a in [0, 1];\nregression\n inputs a;\n") ==
        "t.spec:3:9: error: 'a' is already declared (as a parameter or constant); data columns need names of their own");
  // Missing statements, a goal, negative weights, bad eps.
  CHECK(spec_error("variables a in [0, 1];\nregression\n inputs x;\n") ==
        "t.spec:2:1: error: the regression section needs an 'output' statement");
  CHECK(spec_error("variables a in [0, 1];\nminimize a;\nregression\n") ==
        "t.spec:2:10: error: a regression spec has no goal: `cerval fit` minimises the loss of the regression section");
  CHECK(spec_error(head + " data x, y, w:\n  1, 2, -1;\n loss sum of squares weighted by w;\n") ==
        "t.spec:6:3: error: weight -1 is negative");
  CHECK(spec_error(head + " data x, y:\n  1, 2;\n eps -1;\n") == "t.spec:7:6: error: eps must be positive");
  CHECK(spec_error(head + " data x, y:\n  1, 2;\n loss median;\n") ==
        "t.spec:7:7: error: unknown loss 'median' (expected 'sum of squares' or 'max abs')");
  CHECK(spec_error(head + " data \"unterminated;\n").find("t.spec:5:7: error: unterminated string") == 0);
  CHECK(spec_error("variables a in [0, 1];\n") == "t.spec:1:1: error: no 'regression' section: nothing to fit (see docs/spec-language.md)");
  CHECK(spec_error(head + " data x, y:\n  1, 2;\n truth b = 1;\n") ==
        "t.spec:7:8: error: 'b' is not a parameter (a declared variable)");
}

TEST_CASE("output log(y): the loss compares log(y_i) with the model", "[regression]") {
  const auto rs = search::parse_regression_spec(R"(variables a in [0, 10];
regression
  inputs x; output log(y); model a*x;
  data x, y:
    1, 1;
    2, 2.5;
)",
                                                "t.spec");
  REQUIRE(rs.output_function);
  CHECK(*rs.output_function == expr::Op::Log);
  CHECK(rs.output_text == "log(y)");
  CHECK(rs.observed[1] == Rational(5, 2));  // the data stay exact
  CHECK(std::fabs(search::observed_value(rs, 1) - std::log(2.5)) < 1e-15);
  // At a = 0 the loss is log(1)^2 + log(2.5)^2, enclosed (log(2.5) is irrational).
  std::vector<numeric::Interval> point{numeric::Interval(0.0)};
  const auto e = expr::evaluate<numeric::Interval>(rs.spec.graph, rs.loss_node, point);
  // Reference in extended precision (64-bit significand): it must lie inside.
  const long double l = std::log(2.5L), ref = l * l;
  CHECK(static_cast<long double>(e.value.lower()) <= ref);
  CHECK(ref <= static_cast<long double>(e.value.upper()));
  CHECK(e.value.width() < 1e-14);
  // Undefined transforms and unknown functions are input errors.
  const std::string head = "variables a in [0, 10];\nregression\n inputs x;";
  CHECK(spec_error(head + " output log(y); model a*x;\n data x, y:\n  1, 0;\n") ==
        "t.spec:5:3: error: log of the observed value 0 is undefined (the output must be positive)");
  CHECK(spec_error(head + " output sin(y); model a*x;\n data x, y:\n  1, 1;\n") ==
        "t.spec:3:19: error: 'sin' cannot transform the output (allowed: log, ln, sqrt, exp)");
  CHECK(spec_error(head + " output log(x); model a*x;\n data x, y:\n  1, 1;\n") ==
        "t.spec:3:23: error: 'x' is an input; the output must be another column");
}
