#pragma once
// The `regression` section of a spec (docs/spec-language.md, "Regression"):
// a model with parameters, data, and the loss that `cerval fit` minimises.
//
//   variables                       # the parameters and their boxes
//     b1 in [10, 1000];
//     b2 in [1e-5, 1e-2];
//   regression
//     inputs x;                     # input columns the model reads
//     output y;                     # observed column (or `output log(y);`: the
//                                   # loss compares log(y_i) with the model)
//     model b1*(1 - exp(-b2*x));    # expression in parameters, inputs, constants
//     data "misra1a.csv";           # CSV beside the spec, header names the columns
//     data x, y:                    # ... or inline rows after a header
//       77.6, 10.07;
//       114.9, 14.73;
//     loss sum of squares;          # default; `max abs`; `... weighted by w`
//     eps 1e-6;                     # tolerance of the regression theorems
//     truth b1 = 240, b2 = 5.5e-4;  # true parameters (theorem instances)
//     certified_loss 1.2455138894E-01;            # reference values to check
//     certified_parameters b1 = 2.3894212918E+02, b2 = 5.5015643181E-04;
//   end
//
// Guarantees:
//   - every data cell is an exact rational (`77.6` is 388/5, `1E-3` is 1/1000);
//   - the loss is built in the spec's graph as a node that the search minimises
//     (spec.objective): sum_i sqr(y_i - m_i) (each residual enclosed, then
//     squared), sum_i w_i sqr(y_i - m_i), max_i |y_i - m_i| or
//     max_i w_i |y_i - m_i|, with m_i the model at row i (inputs replaced by
//     the row's exact values; with `output F(y)`, y_i stands for the node
//     F(y_i) with y_i exact, F one of log/ln, sqrt, exp). The nodes are built with the parser's folding
//     constructors, so the loss's text (a certificate's claim) reads back to
//     the same expression;
//   - bad input (a ragged row, a cell that is not a number, NaN or infinity,
//     a missing column, an unknown name, an unreadable CSV file) throws
//     expr::InputError `file:line:col: error: ...`, in the CSV file itself
//     where the fault is there.
#include <cerval/expr/diagnostics.hpp>
#include <cerval/expr/expr.hpp>
#include <cerval/expr/spec.hpp>
#include <cerval/numeric/rational.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cerval::search {

enum class LossKind { SumOfSquares, MaxAbs };
const char* to_string(LossKind k);  // "sum of squares", "max abs"

// A reference value stated in the spec, with its number of significant
// decimal digits (certified_loss 1.2455138894E-01 has 11): a computed
// enclosure agrees with it when it meets value +- half a unit in the last
// digit.
struct ReferenceValue {
  numeric::Rational value;
  int digits = 0;  // 0: the value is exact
  expr::SourceLocation where;
};

struct RegressionSpec {
  expr::Spec spec;  // variables: the parameters; objective: minimise the loss
  // The model over its own graph, whose variables are the parameters (same
  // indices as spec.variables) followed by the inputs.
  expr::ExprGraph model_graph;
  expr::NodeId model = 0;
  std::string model_text;
  std::vector<std::string> inputs;
  std::string output;
  // `output F(y);`: the observed value of row i is F(y_i) (F = Op::Log,
  // Op::Sqrt or Op::Exp); empty: y_i itself.
  std::optional<expr::Op> output_function;
  std::string output_text;  // "y" or "log(y)"
  std::string weight_column;  // empty: unweighted
  // Data, row by row, exact: input_rows[i][k] is input k of row i.
  std::vector<std::vector<numeric::Rational>> input_rows;
  std::vector<numeric::Rational> observed;
  std::vector<numeric::Rational> weights;  // empty: all 1
  std::string data_source;                 // "inline" or the CSV path
  LossKind loss = LossKind::SumOfSquares;
  expr::NodeId loss_node = 0;              // in spec.graph (== spec.objective->expr)
  std::vector<expr::NodeId> residuals;     // y_i - m_i in spec.graph, unweighted
  std::optional<numeric::Rational> eps;    // tolerance of the theorem verdicts
  std::optional<std::vector<numeric::Rational>> truth;  // one per parameter
  std::optional<ReferenceValue> certified_loss;
  std::optional<std::vector<ReferenceValue>> certified_parameters;
  expr::SourceLocation where;  // the `regression` keyword

  std::size_t parameter_count() const { return spec.variables.size(); }
  std::size_t row_count() const { return observed.size(); }
};

// The observed value of row i as the loss compares it with the model
// (F(y_i) with `output F(y)`), rounded to binary64: for heuristics only
// (Levenberg-Marquardt, plots, scales).
double observed_value(const RegressionSpec& rs, std::size_t i);

RegressionSpec parse_regression_spec(std::string_view text, const std::string& file_name);
// Reads the file; CSV data paths are relative to the spec's folder.
RegressionSpec parse_regression_spec_file(const std::string& path);

// A data table read from CSV text: a header line naming the columns, then one
// row per line. Cells are separated by commas (or, when the header has no
// comma, by blanks); blank lines and lines starting with '#' are skipped.
// Every cell must be an exact decimal number. Errors name `file:line:col`.
struct DataTable {
  std::vector<std::string> columns;
  std::vector<std::vector<numeric::Rational>> rows;
  std::vector<expr::SourceLocation> row_where;  // first cell of each row
  expr::SourceLocation header_where;
};
DataTable parse_data_table(std::string_view text, const std::string& file_name);

}  // namespace cerval::search
