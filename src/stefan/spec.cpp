#include <cerval/stefan/spec.hpp>

#include <cerval/expr/parser.hpp>
#include <cerval/stefan/inverse_spec.hpp>

#include <fstream>
#include <functional>
#include <map>
#include <sstream>

namespace cerval::stefan {

using expr::InputError;
using expr::Token;
using expr::TokenKind;
using numeric::Rational;

namespace {

// One handler per statement of the section: adding a statement (the inverse
// problem's, say) is one more entry in `handlers()`.
class StefanParser : public expr::SpecParser {
 public:
  StefanParser(std::string_view text, std::string file) : SpecParser(text, std::move(file), {"stefan"}) {}

  StefanSpec run() {
    s_.base = parse();
    if (!seen_) throw InputError({s_.base.file, 1, 1}, "no 'stefan' section: nothing to compute");
    s_.where = where_;
    return std::move(s_);
  }

 protected:
  bool parse_extension_section(const Token& keyword) override {
    if (keyword.keyword != "stefan") return false;
    if (seen_) tokens().fail(keyword, "only one 'stefan' section is allowed");
    seen_ = true;
    where_ = keyword.where;
    tokens().next();
    const auto table = handlers();
    while (!at_section_end()) {
      const Token t = tokens().next();
      const auto it = t.kind == TokenKind::Identifier ? table.find(t.text) : table.end();
      if (it == table.end()) {
        std::string names;
        for (const auto& [name, h] : table) names += (names.empty() ? "'" : ", '") + name + "'";
        if (t.kind != TokenKind::Identifier)
          tokens().fail(t, "expected a statement of the stefan section (" + names + "), got " + t.describe());
        tokens().fail(t, "unknown statement '" + t.text + "' in the stefan section (expected one of " + names + ")");
      }
      if (seen_statements_.count(t.text)) tokens().fail(t, "'" + t.text + "' is given twice");
      seen_statements_.emplace(t.text, t);
      tokens().accept(TokenKind::Colon);
      it->second(t);
      expect_statement_end("after the statement");
    }
    finish(tokens().peek());
    return true;
  }

 private:
  using Handler = std::function<void(const Token&)>;

  // An exact constant expression, checked positive (or >= 0) and <= limit.
  Rational positive(const Token& t, bool allow_zero = false, const Rational& limit = 1000) {
    const Token at = tokens().peek();
    const expr::NodeId id = expressions().parse_constant_expression(t.text);
    auto v = expressions().point_value(id);
    if (!v) tokens().fail(at, "'" + t.text + "' must be an exact rational number");
    if (allow_zero ? *v < 0 : *v <= 0)
      tokens().fail(at, "'" + t.text + "' must be " + (allow_zero ? "nonnegative" : "positive"));
    if (*v > limit) tokens().fail(at, "'" + t.text + "' must be at most " + numeric::to_string(limit));
    return *v;
  }
  int integer(const Token& t, std::int64_t low, std::int64_t high, const std::string& what) {
    const Token at = tokens().peek();
    const std::int64_t v = expressions().parse_integer_constant(t.text);
    if (v < low || v > high)
      tokens().fail(at, what + " must be between " + std::to_string(low) + " and " + std::to_string(high));
    return static_cast<int>(v);
  }

  std::map<std::string, Handler> handlers() {
    std::map<std::string, Handler> h;
    h["problem"] = [this](const Token&) {
      const Token p = tokens().expect(
          TokenKind::Identifier, "(the problem: neumann_dirichlet, neumann_flux, travelling_wave, general or inverse)");
      if (p.text == "neumann_dirichlet") s_.problem = NeumannCase::Dirichlet;
      else if (p.text == "neumann_flux") s_.problem = NeumannCase::Flux;
      else if (p.text == "travelling_wave") s_.kind = StefanProblemKind::TravellingWave;
      else if (p.text == "general") {
        s_.kind = StefanProblemKind::General;
        begin_general(p);
      } else if (p.text == "inverse") {
        s_.kind = StefanProblemKind::Inverse;
        inverse_.begin(spec(), symbols(), p.where);
      } else
        tokens().fail(p, "unknown problem '" + p.text +
                             "' (expected neumann_dirichlet, neumann_flux, travelling_wave, general or inverse)");
    };
    for (const std::string& name : InverseStatements::names())
      h[name] = [this](const Token& t) { inverse_.statement(t, expressions()); };
    // The general problem's expressions (some names shared with the inverse problem).
    auto general = [this](const char* name, bool allow_x, bool allow_t, bool inverse_too) {
      return [this, name, allow_x, allow_t, inverse_too](const Token& t) {
        if (s_.kind != StefanProblemKind::General) {
          if (inverse_too) return inverse_.statement(t, expressions());
          tokens().fail(t, std::string("'") + name + "' belongs to the general problem ('problem general;' first)");
        }
        const Token at = tokens().peek();
        const expr::NodeId id = expressions().parse_expression();
        for (std::size_t v : spec().graph.variables_of(id)) {
          if (v == x_var_ && !allow_x) tokens().fail(at, std::string("'") + name + "' may not depend on x");
          if (v == t_var_ && !allow_t) tokens().fail(at, std::string("'") + name + "' may not depend on t");
        }
        general_nodes_[name] = id;
        general_where_[name] = at.where;
      };
    };
    h["convection"] = general("convection", true, true, false);
    h["reaction"] = general("reaction", true, true, false);
    h["source"] = general("source", true, true, false);
    h["boundary_value"] = general("boundary_value", false, true, false);
    h["exact_temperature"] = general("exact_temperature", true, true, false);
    h["exact_front"] = general("exact_front", false, true, false);
    h["initial"] = general("initial", true, false, true);
    h["chi"] = general("chi", false, true, true);
    h["front_temperature"] = general("front_temperature", false, true, true);
    h["stefan_number"] = [this](const Token& t) { s_.parameter = positive(t); };
    h["final_time"] = [this](const Token& t) { s_.final_time = positive(t); };
    h["points"] = [this](const Token& t) { s_.points = integer(t, 1, 100000, "'points'"); };
    h["digits"] = [this](const Token& t) { s_.digits = integer(t, 1, 2000, "'digits'"); };
    h["scheme"] = [this](const Token&) {
      const Token p = tokens().expect(TokenKind::Identifier, "(the scheme: implicit or crank_nicolson)");
      if (p.text == "implicit") s_.forward.theta = 1;
      else if (p.text == "crank_nicolson") s_.forward.theta = Rational(1, 2);
      else tokens().fail(p, "unknown scheme '" + p.text + "' (expected implicit or crank_nicolson)");
      s_.forward.enabled = true;
    };
    h["grid"] = [this](const Token& t) {
      s_.forward.m = integer(t, 2, 100000, "the number of space intervals m");
      tokens().accept(TokenKind::Comma);
      s_.forward.n = integer(t, 1, 1000000, "the number of time steps n");
    };
    h["refinements"] = [this](const Token& t) { s_.forward.refinements = integer(t, 0, 8, "'refinements'"); };
    h["start_time"] = [this](const Token& t) { s_.forward.start_time = positive(t, true); };
    h["boundary"] = [this](const Token&) {
      const Token p = tokens().expect(TokenKind::Identifier, "(the condition at x = 0: dirichlet or flux)");
      if (p.text == "dirichlet") s_.forward.boundary = LeftCondition::Dirichlet;
      else if (p.text == "flux") s_.forward.boundary = LeftCondition::Flux;
      else tokens().fail(p, "unknown boundary condition '" + p.text + "' (expected dirichlet or flux)");
    };
    h["initial_front"] = [this](const Token& t) { s_.forward.initial_front = positive(t); };
    h["diffusivity"] = [this, general](const Token& t) {
      if (s_.kind != StefanProblemKind::General) {
        if (s_.kind == StefanProblemKind::Inverse) {
          const Token at = tokens().peek();
          const expr::NodeId id = expressions().parse_expression();
          if (!spec().graph.is_constant(id)) {  // a(p, t, x): a per-node coefficient of the scheme
            inverse_diffusivity_ = id;
            inverse_diffusivity_where_ = at.where;
            return;
          }
          const auto v = expressions().point_value(id);
          if (!v) tokens().fail(at, "'diffusivity' must be an exact rational number");
          if (*v <= 0) tokens().fail(at, "'diffusivity' must be positive");
          s_.forward.diffusivity = *v;
          return;
        }
        s_.forward.diffusivity = positive(t);
        return;
      }
      general("diffusivity", true, true, false)(t);
    };
    h["latent_heat"] = [this](const Token& t) { s_.forward.latent_heat = positive(t); };
    h["error_bound"] = [this](const Token& t) { s_.forward.error_bound = positive(t); };
    h["min_order"] = [this](const Token& t) { s_.forward.min_order = positive(t, false, 10); };
    return h;
  }

  bool has(const char* name) const { return seen_statements_.count(name) != 0; }
  const Token& at(const char* name) const { return seen_statements_.at(name); }

  // Checks that need the whole section.
  void finish(const Token& end) {
    const bool inverse = s_.kind == StefanProblemKind::Inverse;
    if (inverse) {
      finish_inverse(end);
      return;
    }
    if (s_.kind == StefanProblemKind::General) {
      finish_general(end);
      return;
    }
    const bool wave = s_.kind == StefanProblemKind::TravellingWave;
    if (!has("problem")) tokens().fail(end, "the stefan section needs a 'problem' statement");
    if (!wave && !has("stefan_number")) tokens().fail(end, "the stefan section needs a 'stefan_number' statement");
    if (wave && has("stefan_number"))
      tokens().fail(at("stefan_number"), "'stefan_number' belongs to the Neumann problems, not to travelling_wave");
    for (const char* name : {"boundary", "initial_front", "diffusivity", "latent_heat"})
      if (!wave && has(name))
        tokens().fail(at(name), std::string("'") + name + "' belongs to the travelling_wave problem");
    if (wave && !has("scheme"))
      tokens().fail(end, "the travelling_wave problem needs a 'scheme' statement (implicit or crank_nicolson)");
    for (const char* name : {"grid", "refinements", "start_time", "error_bound", "min_order"})
      if (has(name) && !has("scheme"))
        tokens().fail(at(name), std::string("'") + name + "' needs a 'scheme' statement");
    auto& f = s_.forward;
    if (!has("start_time")) f.start_time = wave ? Rational(0) : s_.final_time / 4;
    if (f.enabled) {
      const Token& where = has("start_time") ? at("start_time") : has("final_time") ? at("final_time") : at("problem");
      if (!wave && f.start_time <= 0)
        tokens().fail(where, "the Neumann problem is singular at t = 0 (s(0) = 0): 'start_time' must be positive");
      if (f.start_time >= s_.final_time) tokens().fail(where, "'start_time' must be less than 'final_time'");
      const long long scale = 1LL << f.refinements;
      if (static_cast<long long>(f.m) * scale > 100000 || static_cast<long long>(f.n) * scale > 1000000)
        tokens().fail(has("refinements") ? at("refinements") : at("scheme"),
                      "the refined grids exceed m <= 100000, n <= 1000000");
    }
  }

  // The inverse problem: the shared statements scheme, grid, refinements,
  // final_time, initial_front, diffusivity, latent_heat and its own.
  void finish_inverse(const Token& end) {
    for (const char* name : {"stefan_number", "points", "digits", "start_time", "boundary", "error_bound", "min_order"})
      if (has(name)) tokens().fail(at(name), std::string("'") + name + "' does not belong to the inverse problem");
    for (const char* name : {"scheme", "initial_front"})
      if (!has(name)) tokens().fail(end, std::string("the inverse problem needs a '") + name + "' statement");
    InverseProblem shared;
    shared.s0 = s_.forward.initial_front;
    shared.diffusivity = s_.forward.diffusivity;
    shared.latent_heat = s_.forward.latent_heat;
    shared.theta = s_.forward.theta;
    shared.final_time = s_.final_time;
    shared.m0 = s_.forward.m;
    shared.n0 = s_.forward.n;
    shared.levels = s_.forward.refinements + 1;
    s_.inverse = inverse_.finish(spec(), shared, at("problem").where);
    if (inverse_diffusivity_) {
      s_.inverse->diffusivity_field = inverse_diffusivity_;
      validate(*s_.inverse, inverse_diffusivity_where_);
    }
  }

  // `problem general`: declares the variables t and x (the spec has no variables).
  void begin_general(const Token& p) {
    if (!spec().variables.empty())
      tokens().fail(p, "the general forward problem takes no 'variables' (its expressions use x and t)");
    for (const char* name : {"t", "x"}) {
      if (symbols().find(name))
        tokens().fail(p, std::string("'") + name + "' is the " + (name[0] == 't' ? "time" : "space") +
                             " variable of a Stefan problem: rename the constant '" + name + "'");
      expr::Symbol sym;
      sym.kind = expr::Symbol::Kind::Variable;
      sym.name = name;
      const std::size_t index = spec().graph.add_variable(name);
      (name[0] == 't' ? t_var_ : x_var_) = index;
      sym.elements = {spec().graph.variable(index)};
      sym.where = p.where;
      symbols().add(std::move(sym));
    }
  }

  void finish_general(const Token& end) {
    for (const char* name : {"stefan_number", "points", "digits"})
      if (has(name)) tokens().fail(at(name), std::string("'") + name + "' does not belong to the general problem");
    for (const char* name : {"scheme", "boundary_value", "initial"})
      if (!has(name)) tokens().fail(end, std::string("the general problem needs a '") + name + "' statement");
    const bool exact_u = general_nodes_.count("exact_temperature") != 0;
    const bool exact_s = general_nodes_.count("exact_front") != 0;
    if (exact_u != exact_s)
      tokens().fail(at(exact_u ? "exact_temperature" : "exact_front"),
                    "an exact solution needs both 'exact_temperature' and 'exact_front'");
    for (const char* name : {"error_bound", "min_order"})
      if (has(name) && !exact_u)
        tokens().fail(at(name), std::string("'") + name + "' needs an exact solution ('exact_temperature', 'exact_front')");
    auto& f = s_.forward;
    if (!has("start_time")) f.start_time = 0;
    if (f.start_time >= s_.final_time)
      tokens().fail(has("start_time") ? at("start_time") : at("problem"), "'start_time' must be less than 'final_time'");
    const long long scale = 1LL << f.refinements;
    if (static_cast<long long>(f.m) * scale > 100000 || static_cast<long long>(f.n) * scale > 1000000)
      tokens().fail(has("refinements") ? at("refinements") : at("scheme"),
                    "the refined grids exceed m <= 100000, n <= 1000000");
    expr::ExprGraph& g = spec().graph;
    GeneralProblem gp;
    auto node = [&](const char* name, const Rational& fallback) {
      const auto it = general_nodes_.find(name);
      return it != general_nodes_.end() ? it->second : g.constant(fallback);
    };
    gp.a = node("diffusivity", f.diffusivity);
    gp.b = node("convection", 0);
    gp.c = node("reaction", 0);
    gp.f = node("source", 0);
    gp.boundary = node("boundary_value", 0);
    gp.initial = node("initial", 0);
    gp.chi = node("chi", 0);
    gp.mu = node("front_temperature", 0);
    if (exact_u) {
      gp.exact_temperature = general_nodes_.at("exact_temperature");
      gp.exact_front = general_nodes_.at("exact_front");
    }
    gp.graph = g;
    gp.t_var = t_var_;
    gp.x_var = x_var_;
    gp.left = f.boundary;
    gp.s0 = f.initial_front;
    gp.gamma = f.latent_heat;
    gp.t0 = f.start_time;
    gp.final_time = s_.final_time;
    s_.diffusivity_where =
        general_where_.count("diffusivity") ? general_where_.at("diffusivity") : at("problem").where;
    if (const auto bad = nonpositive_diffusivity(gp))
      throw InputError(s_.diffusivity_where, "the diffusivity a(x, t) must be positive; it is <= 0 at x = " +
                                                 numeric::to_string(bad->first) + ", t = " +
                                                 numeric::to_string(bad->second));
    s_.general = std::move(gp);
  }

  std::optional<expr::NodeId> inverse_diffusivity_;  // a(p, t, x) of the inverse problem
  expr::SourceLocation inverse_diffusivity_where_;
  std::size_t t_var_ = 0, x_var_ = 1;
  std::map<std::string, expr::NodeId> general_nodes_;
  std::map<std::string, expr::SourceLocation> general_where_;
  bool seen_ = false;
  expr::SourceLocation where_;
  StefanSpec s_;
  InverseStatements inverse_;
  std::map<std::string, Token> seen_statements_;
};

}  // namespace

StefanSpec parse_stefan_spec(std::string_view text, const std::string& file_name) {
  StefanParser parser(text, file_name);
  return parser.run();
}

StefanSpec parse_stefan_spec_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError({path, 1, 1}, "cannot read the file");
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse_stefan_spec(ss.str(), path);
}

}  // namespace cerval::stefan
