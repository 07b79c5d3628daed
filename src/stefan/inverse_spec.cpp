#include <cerval/stefan/inverse_spec.hpp>

namespace cerval::stefan {

using expr::InputError;
using expr::Token;
using expr::TokenKind;
using numeric::Rational;

namespace {

// An exact rational constant; `positive` / `nonnegative` checked.
Rational exact_value(expr::ExpressionParser& ex, const std::string& what, bool positive, bool nonnegative) {
  const Token at = ex.tokens().peek();
  const auto v = ex.point_value(ex.parse_constant_expression(what));
  if (!v) ex.tokens().fail(at, "'" + what + "' must be an exact rational number");
  if (positive && *v <= 0) ex.tokens().fail(at, "'" + what + "' must be positive");
  if (nonnegative && *v < 0) ex.tokens().fail(at, "'" + what + "' must be nonnegative");
  return *v;
}

}  // namespace

const std::vector<std::string>& InverseStatements::names() {
  static const std::vector<std::string> kNames{"chi",         "flux",        "front",          "initial",
                                               "final_temperature", "final_front", "front_temperature",
                                               "true_parameter",    "weights"};
  return kNames;
}

void InverseStatements::begin(expr::Spec& spec, expr::SymbolTable& symbols, const expr::SourceLocation& where) {
  if (active_) throw InputError(where, "'problem inverse' given twice");
  if (spec.variables.empty())
    throw InputError(where, "an inverse problem needs its controls as variables (e.g. 'variables q in [0, 1];')");
  for (const char* name : {"t", "x"}) {
    if (symbols.find(name))
      throw InputError(where, std::string("'") + name + "' is the " + (name[0] == 't' ? "time" : "space") +
                                  " variable of an inverse Stefan problem: rename the variable or constant '" +
                                  name + "'");
    expr::Symbol s;
    s.kind = expr::Symbol::Kind::Variable;
    s.name = name;
    s.elements = {spec.graph.variable(spec.graph.add_variable(name))};
    s.where = where;
    symbols.add(std::move(s));
  }
  problem_.parameters = spec.variables;
  active_ = true;
}

void InverseStatements::statement(const Token& name, expr::ExpressionParser& ex) {
  const std::string& n = name.text;
  if (!active_) ex.tokens().fail(name, "'" + n + "' belongs to the inverse problem ('problem inverse;' first)");
  auto expression = [&](std::optional<expr::NodeId>& slot) {
    if (slot) ex.tokens().fail(name, "'" + n + "' given twice");
    slot = ex.parse_expression();
  };
  if (n == "chi") {
    problem_.chi = exact_value(ex, n, false, false);
  } else if (n == "flux") {
    expression(flux_);
  } else if (n == "front") {
    expression(front_);
  } else if (n == "initial") {
    expression(initial_);
  } else if (n == "final_temperature") {
    expression(problem_.final_temperature);
  } else if (n == "final_front") {
    expression(problem_.final_front);
  } else if (n == "front_temperature") {
    expression(problem_.front_temperature);
  } else if (n == "true_parameter") {
    std::vector<Rational> values;
    do {
      values.push_back(exact_value(ex, "true_parameter", false, false));
    } while (ex.tokens().accept(TokenKind::Comma));
    if (values.size() != problem_.parameters.size())
      ex.tokens().fail(name, "'true_parameter' needs " + std::to_string(problem_.parameters.size()) +
                                 " values (one per variable), got " + std::to_string(values.size()));
    problem_.true_parameter = std::move(values);
  } else if (n == "weights") {
    problem_.beta0 = exact_value(ex, "weights", false, true);
    ex.tokens().expect(TokenKind::Comma, "between the weights beta0, beta1, beta2");
    problem_.beta1 = exact_value(ex, "weights", false, true);
    ex.tokens().expect(TokenKind::Comma, "between the weights beta0, beta1, beta2");
    problem_.beta2 = exact_value(ex, "weights", false, true);
  } else {
    ex.tokens().fail(name, "'" + n + "' is not a statement of the inverse problem");
  }
}

InverseProblem InverseStatements::finish(const expr::Spec& spec, const InverseProblem& shared,
                                         const expr::SourceLocation& where) const {
  if (!flux_) throw InputError(where, "the inverse problem needs 'flux' (q(p, t) = -a u_x(0, t))");
  if (!front_) throw InputError(where, "the inverse problem needs 'front' (s(p, t), with s(p, 0) = s0)");
  if (!initial_) throw InputError(where, "the inverse problem needs 'initial' (phi(x) on [0, s0])");
  InverseProblem pr = problem_;
  pr.graph = spec.graph;
  pr.flux = *flux_;
  pr.front = *front_;
  pr.initial = *initial_;
  pr.s0 = shared.s0;
  pr.diffusivity = shared.diffusivity;
  pr.latent_heat = shared.latent_heat;
  pr.theta = shared.theta;
  pr.final_time = shared.final_time;
  pr.m0 = shared.m0;
  pr.n0 = shared.n0;
  pr.levels = shared.levels;
  validate(pr, where);
  return pr;
}

}  // namespace cerval::stefan
