// cerval eval EXPR [--var NAME=[a,b] ...] [--prec BITS] [--json]
#include "commands.hpp"
#include "output.hpp"

#include <cerval/expr/eval.hpp>
#include <cerval/expr/parser.hpp>

#include <nlohmann/json.hpp>

#include <iostream>
#include <memory>

namespace cerval::cli {

namespace {

struct EvalOptions {
  std::string expression;
  std::vector<std::string> vars;
  long precision = 53;
  bool json = false;
};

// `--var x=[a,b]` and `--var x=v` are read by the spec parser itself (as the
// declaration `x in [a, b];`), so domains on the command line follow exactly
// the rules of spec files: exact decimals, `oo`, constants such as pi.
expr::Spec parse_variable_options(const std::vector<std::string>& vars) {
  std::string text = "variables\n";
  for (const std::string& v : vars) {
    const auto eq = v.find('=');
    if (eq == std::string::npos)
      throw expr::InputError({"--var " + v, 1, 1}, "expected NAME=[a,b] or NAME=value");
    const std::string name = v.substr(0, eq);
    const std::string domain = v.substr(eq + 1);
    text += name + " in " + (!domain.empty() && domain[0] == '[' ? domain : "[" + domain + ", " + domain + "]") + ";\n";
  }
  return expr::parse_spec(text, "--var");
}

template <class I>
int print_enclosure(const EvalOptions& opt, const expr::Enclosure<I>& result) {
  const bool defined = expr::is_defined_everywhere(result.decoration);
  const int digits = decimal_digits_for(opt.precision);
  const std::string lower = format_lower(result.value, digits);
  const std::string upper = format_upper(result.value, digits);
  if (opt.json) {
    nlohmann::json j;
    j["lower"] = lower;
    j["upper"] = upper;
    j["defined"] = defined;
    j["precision"] = opt.precision;
    std::cout << j.dump() << "\n";
  } else {
    if (result.value.is_empty())
      std::cout << "empty";
    else
      std::cout << "[" << lower << ", " << upper << "]";
    std::cout << (defined ? "" : "  (not defined everywhere on the box)") << "\n";
  }
  return kSuccess;
}

}  // namespace

Action register_eval(CLI::App& app) {
  auto opt = std::make_shared<EvalOptions>();
  CLI::App* sub = app.add_subcommand("eval", "Rigorous enclosure of an expression over a box");
  sub->add_option("EXPR", opt->expression, "Expression in the spec language")->required();
  sub->add_option("--var", opt->vars, "Variable domain NAME=[a,b] or NAME=value (exact decimals)");
  sub->add_option("--prec", opt->precision, "Precision in bits (53: binary64; more: MPFI)")
      ->check(CLI::Range(2L, 1000000L));
  sub->add_flag("--json", opt->json, "Print one JSON object");
  return [opt]() -> int {
    expr::Spec spec = parse_variable_options(opt->vars);
    const expr::NodeId root = expr::parse_expression(opt->expression, spec.graph, "<command line>");
    if (opt->precision <= 53) {
      const std::vector<numeric::Interval> box = expr::enclose_domains(spec.variables);
      return print_enclosure(*opt, expr::evaluate<numeric::Interval>(spec.graph, root, box));
    }
    std::vector<numeric::MpInterval> box;
    for (const auto& d : spec.variables) box.push_back(expr::enclose_domain(d, opt->precision));
    return print_enclosure(*opt, expr::evaluate<numeric::MpInterval>(
                                     spec.graph, root, box, expr::NumberFactory<numeric::MpInterval>{opt->precision}));
  };
}

}  // namespace cerval::cli
