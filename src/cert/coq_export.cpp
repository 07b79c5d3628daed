// Export of a bound certificate to Coq (coq_export.hpp, docs/coq.md).
//
// The exporter is not trusted: it only writes text. Every choice it makes
// (which variables are monotone on a leaf, the expansion point of a
// mean-value step, the tactic options) is re-checked by coqc, so a wrong
// choice makes coqc fail and never proves anything false.
#include <cerval/cert/coq_export.hpp>

#include <cerval/expr/autodiff.hpp>
#include <cerval/expr/eval.hpp>
#include <cerval/expr/forms.hpp>
#include <cerval/expr/lagrangian.hpp>
#include <cerval/expr/parser.hpp>

#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <functional>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace cerval::cert {

namespace {

using numeric::Interval;
namespace fs = std::filesystem;

constexpr double kInf = std::numeric_limits<double>::infinity();
// Largest expression text written for one expression (a hash-consed DAG can
// be exponentially larger as a tree).
constexpr std::size_t kMaxExpressionText = 1'000'000;
// Integer exponents up to this use `^` (a unary nat in Coq), larger ones powerRZ.
constexpr std::int64_t kMaxNatExponent = 64;

// ---------------------------------------------------------------------------
// Numbers.

std::string integer_text(const numeric::Integer& z) {
  const std::string s = z.str();
  return z < 0 ? "(" + s + ")" : s;
}

// An exact rational as Coq real text: 3, (-3), (3 / 4), (-3 / 4).
std::string rational_text(const Rational& q) {
  const numeric::Integer p = boost::multiprecision::numerator(q);
  const numeric::Integer d = boost::multiprecision::denominator(q);
  if (d == 1) return integer_text(p);
  return "(" + p.str() + " / " + d.str() + ")";
}

std::string double_text(double x) { return rational_text(numeric::to_rational(x)); }

const char* relation_text(expr::Relation r) {
  switch (r) {
    case expr::Relation::LessEqual:
      return "<=";
    case expr::Relation::Less:
      return "<";
    case expr::Relation::GreaterEqual:
      return ">=";
    case expr::Relation::Greater:
      return ">";
    case expr::Relation::Equal:
      return "=";
  }
  return "?";
}

bool upper_side(expr::Relation r) { return r == expr::Relation::LessEqual || r == expr::Relation::Less; }

// ---------------------------------------------------------------------------
// Names.

bool is_coq_identifier(const std::string& s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  for (char ch : s)
    if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '\'')) return false;
  return s != "_";
}

// Binder names that would shadow what the exported text refers to.
const std::set<std::string>& coq_reserved() {
  static const std::set<std::string> names = {
      // vernacular and term keywords
      "as", "at", "cofix", "else", "end", "exists", "exists2", "fix", "for", "forall", "fun", "if", "IF", "in",
      "let", "match", "mod", "return", "then", "using", "where", "with", "Prop", "Set", "SProp", "Type", "struct",
      "is", "Definition", "Lemma", "Theorem", "Proof", "Qed",
      // constants and lemmas the text uses
      "R", "IZR", "PI", "exp", "ln", "sin", "cos", "tan", "atan", "sqrt", "Rabs", "pow", "powerRZ", "sinh", "cosh",
      "tanh", "Rpower", "Rle_or_lt", "True", "False", "I", "O", "S", "Z", "nat", "proj1", "proj2", "lra", "interval",
      "is_derive", "Rmin", "Rmax", "Rgt_not_eq", "Rlt_not_eq"};
  return names;
}

// Coq binder names for the variables: the spec name when it is an identifier
// that shadows nothing, else a sanitised one; all distinct.
std::vector<std::string> coq_variable_names(const std::vector<VariableEntry>& variables) {
  std::vector<std::string> names;
  std::set<std::string> used;
  for (std::size_t i = 0; i < variables.size(); ++i) {
    std::string name = variables[i].name;
    const bool fine = is_coq_identifier(name) && !coq_reserved().count(name) && name.rfind("cerval", 0) != 0;
    if (!fine) {
      std::string s;
      for (char ch : name) s += std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_';
      name = "v" + std::to_string(i) + "_" + s;
    }
    while (used.count(name)) name += "'";
    used.insert(name);
    names.push_back(name);
  }
  return names;
}

// ---------------------------------------------------------------------------
// Expressions.

class Printer {
 public:
  explicit Printer(const expr::ExprGraph& g) : g_(g) {}

  // Coq text of node `id` with variable i written as vars[i]. `derivable`
  // writes tan and tanh by their definitions (sin/cos, sinh/cosh), which
  // Coquelicot's auto_derive differentiates.
  std::string text(expr::NodeId id, const std::vector<std::string>& vars, bool derivable = false) const {
    std::string out;
    write(id, vars, derivable, out, 0);
    return out;
  }

  // Throws CoqExportError when node `id` uses a construct with no Coq export.
  void check_exportable(expr::NodeId id, const std::string& what) const {
    std::vector<expr::NodeId> stack{id};
    std::set<expr::NodeId> seen;
    while (!stack.empty()) {
      const expr::NodeId k = stack.back();
      stack.pop_back();
      if (!seen.insert(k).second) continue;
      const expr::Node& n = g_.node(k);
      switch (n.op) {
        case expr::Op::Asin:
        case expr::Op::Acos:
        case expr::Op::Min:
        case expr::Op::Max:
          throw CoqExportError(what + ": '" + expr::op_name(n.op) +
                               "' is not exportable to Coq (the Interval library has no " + expr::op_name(n.op) +
                               ")");
        case expr::Op::Constant:
          if (!g_.constant_value(static_cast<std::size_t>(n.integer)).is_point())
            throw CoqExportError(what + ": an interval constant is not exportable to Coq");
          break;
        default:
          break;
      }
      if (expr::is_unary(n.op) || expr::is_binary(n.op) || n.op == expr::Op::PowInt) stack.push_back(n.lhs);
      if (expr::is_binary(n.op)) stack.push_back(n.rhs);
    }
    (void)text(id, std::vector<std::string>(g_.variable_count(), "x"));  // size check
  }

 private:
  void write(expr::NodeId id, const std::vector<std::string>& vars, bool derivable, std::string& out,
             std::size_t depth) const {
    if (out.size() > kMaxExpressionText)
      throw CoqExportError("expression too large to export to Coq (more than 1 MB of text)");
    const expr::Node& n = g_.node(id);
    auto unary = [&](const char* f) {
      out += f;
      out += " (";
      write(n.lhs, vars, derivable, out, depth + 1);
      out += ")";
    };
    auto binary = [&](const char* op) {
      out += "(";
      write(n.lhs, vars, derivable, out, depth + 1);
      out += op;
      write(n.rhs, vars, derivable, out, depth + 1);
      out += ")";
    };
    switch (n.op) {
      case expr::Op::Constant: {
        const auto& v = g_.constant_value(static_cast<std::size_t>(n.integer));
        if (!v.is_point()) throw CoqExportError("an interval constant is not exportable to Coq");
        out += rational_text(v.lower);
        return;
      }
      case expr::Op::Pi:
        out += "PI";
        return;
      case expr::Op::Variable:
        out += vars.at(static_cast<std::size_t>(n.integer));
        return;
      case expr::Op::Add:
        return binary(" + ");
      case expr::Op::Sub:
        return binary(" - ");
      case expr::Op::Mul:
        return binary(" * ");
      case expr::Op::Div:
        return binary(" / ");
      case expr::Op::Neg:
        out += "(- ";
        write(n.lhs, vars, derivable, out, depth + 1);
        out += ")";
        return;
      case expr::Op::Sqr:
        out += "(";
        write(n.lhs, vars, derivable, out, depth + 1);
        out += " ^ 2)";
        return;
      case expr::Op::Sqrt:
        return unary("sqrt");
      case expr::Op::Exp:
        return unary("exp");
      case expr::Op::Log:
        return unary("ln");
      case expr::Op::Sin:
        return unary("sin");
      case expr::Op::Cos:
        return unary("cos");
      case expr::Op::Tan:
        if (!derivable) return unary("tan");
        out += "(";
        unary("sin");
        out += " / ";
        unary("cos");
        out += ")";
        return;
      case expr::Op::Atan:
        return unary("atan");
      case expr::Op::Sinh:
        return unary("sinh");
      case expr::Op::Cosh:
        return unary("cosh");
      case expr::Op::Tanh:
        if (!derivable) return unary("tanh");
        out += "(";
        unary("sinh");
        out += " / ";
        unary("cosh");
        out += ")";
        return;
      case expr::Op::Abs:
        return unary("Rabs");
      case expr::Op::PowInt: {
        const std::int64_t k = n.integer;
        const std::uint64_t m = k < 0 ? 0 - static_cast<std::uint64_t>(k) : static_cast<std::uint64_t>(k);
        std::string base;
        write(n.lhs, vars, derivable, base, depth + 1);
        // `^` takes a unary nat: large exponents go through powerRZ (binary Z).
        const std::string power = m <= static_cast<std::uint64_t>(kMaxNatExponent)
                                      ? "(" + base + " ^ " + std::to_string(m) + ")"
                                      : "(powerRZ (" + base + ") " + std::to_string(m) + ")";
        out += k < 0 ? "(/ " + power + ")" : power;
        return;
      }
      case expr::Op::Pow:
        // cerval's x^y with a real exponent is exp(y log x) (Coq's Rpower).
        out += "exp (";
        write(n.rhs, vars, derivable, out, depth + 1);
        out += " * ln (";
        write(n.lhs, vars, derivable, out, depth + 1);
        out += "))";
        return;
      case expr::Op::Asin:
      case expr::Op::Acos:
      case expr::Op::Min:
      case expr::Op::Max:
        throw CoqExportError(std::string("'") + expr::op_name(n.op) + "' is not exportable to Coq");
    }
    throw CoqExportError("unknown operation");
  }

  const expr::ExprGraph& g_;
};

// ---------------------------------------------------------------------------
// The file.

const char* kPreamble = R"((* Helper lemmas, proven here (nothing below is an axiom). *)

(* A function with a nonnegative derivative on [a, b] is nondecreasing there
   (mean-value theorem, Coquelicot's MVT_gen). *)
Lemma cerval_mono_inc (f df : R -> R) (a b : R) :
  (forall t, a <= t <= b -> is_derive f t (df t)) ->
  (forall t, a <= t <= b -> 0 <= df t) ->
  forall t, a <= t <= b -> f a <= f t <= f b.
Proof.
  intros Hd Hs t Ht.
  assert (M : forall u v, a <= u -> u <= v -> v <= b -> f u <= f v).
  { intros u v Hu Huv Hv.
    destruct (Req_dec u v) as [E|E]; [subst; lra|].
    destruct (MVT_gen f u v df) as [c [Hc Hfc]].
    - intros z Hz. apply Hd. rewrite Rmin_left in Hz by lra. rewrite Rmax_right in Hz by lra. lra.
    - intros z Hz. rewrite Rmin_left in Hz by lra. rewrite Rmax_right in Hz by lra.
      apply continuity_pt_filterlim. apply (ex_derive_continuous f z). exists (df z). apply Hd. lra.
    - rewrite Rmin_left in Hc by lra. rewrite Rmax_right in Hc by lra.
      assert (0 <= df c) by (apply Hs; lra).
      assert (0 <= df c * (v - u)) by (apply Rmult_le_pos; lra).
      lra. }
  split; apply M; lra.
Qed.

(* A function with a nonpositive derivative on [a, b] is nonincreasing there. *)
Lemma cerval_mono_dec (f df : R -> R) (a b : R) :
  (forall t, a <= t <= b -> is_derive f t (df t)) ->
  (forall t, a <= t <= b -> df t <= 0) ->
  forall t, a <= t <= b -> f b <= f t <= f a.
Proof.
  intros Hd Hs t Ht.
  assert (N := cerval_mono_inc (fun u => - f u) (fun u => - df u) a b).
  assert (H : (fun u => - f u) a <= (fun u => - f u) t <= (fun u => - f u) b).
  { apply N; [| | exact Ht].
    - intros u Hu. apply (is_derive_opp f u (df u)). apply Hd. exact Hu.
    - intros u Hu. assert (df u <= 0) by (apply Hs; exact Hu). lra. }
  simpl in H. lra.
Qed.

(* The mean-value theorem on [a, b], in continuation-passing style. *)
Lemma cerval_mvt (f df : R -> R) (a b c x : R) (P : Prop) :
  (forall t, a <= t <= b -> is_derive f t (df t)) -> a <= c <= b -> a <= x <= b ->
  (forall s, a <= s <= b -> f x = f c + df s * (x - c) -> P) -> P.
Proof.
  intros Hd Hc Hx K.
  destruct (Req_dec c x) as [E|E].
  - subst. apply (K x Hx). ring.
  - destruct (MVT_gen f c x df) as [s [Hs Hf]].
    + intros z Hz. apply Hd. split.
      * apply Rle_trans with (Rmin c x). apply Rmin_glb; lra. lra.
      * apply Rle_trans with (Rmax c x). lra. apply Rmax_lub; lra.
    + intros z Hz. apply continuity_pt_filterlim. apply (ex_derive_continuous f z). exists (df z). apply Hd.
      split.
      * apply Rle_trans with (Rmin c x). apply Rmin_glb; lra. lra.
      * apply Rle_trans with (Rmax c x). lra. apply Rmax_lub; lra.
    + apply (K s).
      * split.
        -- apply Rle_trans with (Rmin c x). apply Rmin_glb; lra. lra.
        -- apply Rle_trans with (Rmax c x). lra. apply Rmax_lub; lra.
      * lra.
Qed.

(* Side conditions of auto_derive (0 < e, e <> 0, ...), each by interval. *)
Ltac cerval_dom :=
  repeat match goal with
  | |- True => exact I
  | |- _ /\ _ => split
  | |- _ <> _ => first [ apply Rgt_not_eq; interval with (i_prec 80)
                       | apply Rlt_not_eq; interval with (i_prec 80) ]
  | |- _ => interval with (i_prec 80)
  end.
)";

struct Leaf {
  std::uint32_t id;
  std::vector<Interval> box;
};

class Exporter {
 public:
  Exporter(const Certificate& c, const CoqExportOptions& options) : c_(c), options_(options), printer_(g_) {}

  CoqExport run() {
    check_header();
    build_graph();
    build_root_box();
    refine_centred_leaves();
    std::ostringstream out;
    write_header(out);
    write_tree(out);
    write_theorem(out);
    result_.text = out.str();
    return result_;
  }

 private:
  void check_header() {
    if (c_.kind != "bound" && c_.kind != "minimum")
      throw CoqExportError("kind '" + c_.kind + "': only bound and minimum certificates are exportable");
    if (c_.claim.relation == expr::Relation::Equal)
      throw CoqExportError("claim: an equality claim is not exportable to Coq (interval proves inequalities)");
    if (c_.nodes.empty()) throw CoqExportError("tree: no nodes");
    eps_ = c_.eps_h.value_or(Rational(0));
    names_ = coq_variable_names(c_.variables);
  }

  expr::NodeId parse(const std::string& text, const std::string& where) {
    try {
      return expr::parse_expression(text, g_, where);
    } catch (const expr::InputError& e) {
      throw CoqExportError(where + ": cannot parse the expression: " + e.message());
    }
  }

  // Same order as the checker (checker.cpp), so that node ids agree.
  void build_graph() {
    for (const auto& v : c_.variables) g_.add_variable(v.name);
    const bool objective_first = c_.kind == "minimum";
    if (objective_first) claim_ = parse(c_.claim.expression, "claim.expression");
    for (std::size_t k = 0; k < c_.constraints.size(); ++k)
      constraints_.push_back(
          parse(c_.constraints[k].expression, "constraints[" + std::to_string(k) + "].expression"));
    if (!objective_first) claim_ = parse(c_.claim.expression, "claim.expression");
    printer_.check_exportable(claim_, "claim");
    for (std::size_t k = 0; k < constraints_.size(); ++k)
      printer_.check_exportable(constraints_[k], "constraints[" + std::to_string(k) + "]");
  }

  void build_root_box() {
    for (const VariableEntry& v : c_.variables) {
      if (v.lower && v.upper && *v.lower > *v.upper)
        throw CoqExportError("variable " + v.name + ": empty domain");
      root_.push_back(
          Interval(v.lower ? numeric::to_double_down(*v.lower) : -kInf, v.upper ? numeric::to_double_up(*v.upper) : kInf));
    }
  }

  // ---- text pieces

  std::string binders() const {
    if (names_.empty()) return "";
    std::string s = " (";
    for (const auto& n : names_) s += n + " ";
    return s + ": R)";
  }
  std::string arguments() const {
    std::string s;
    for (const auto& n : names_) s += " " + n;
    return s;
  }
  std::string f_call() const { return "cerval_f" + arguments(); }
  std::string g_call(std::size_t k) const { return "cerval_g" + std::to_string(k) + arguments(); }

  static std::string bound_hypothesis(const std::string& x, const std::optional<std::string>& lo,
                                      const std::optional<std::string>& hi) {
    if (lo && hi) return *lo + " <= " + x + " <= " + *hi;
    if (lo) return *lo + " <= " + x;
    if (hi) return x + " <= " + *hi;
    return "True";
  }
  static std::optional<std::string> finite_text(double v) {
    if (!std::isfinite(v)) return std::nullopt;
    return double_text(v);
  }
  std::string box_hypothesis(const std::vector<Interval>& box, std::size_t i) const {
    return bound_hypothesis(names_[i], finite_text(box[i].lower()), finite_text(box[i].upper()));
  }
  std::string domain_hypothesis(std::size_t i) const {
    const VariableEntry& v = c_.variables[i];
    return bound_hypothesis(names_[i], v.lower ? std::optional<std::string>(rational_text(*v.lower)) : std::nullopt,
                            v.upper ? std::optional<std::string>(rational_text(*v.upper)) : std::nullopt);
  }
  // Constraint k as a proposition about `g` (its Coq text).
  std::string constraint_prop(std::size_t k, const std::string& g) const {
    const RelationEntry& r = c_.constraints[k];
    if (r.relation != expr::Relation::Equal) return g + " " + relation_text(r.relation) + " " + rational_text(r.bound);
    if (eps_ == 0) return g + " = " + rational_text(r.bound);
    return rational_text(Rational(r.bound - eps_)) + " <= " + g + " <= " + rational_text(Rational(r.bound + eps_));
  }
  std::string claim_prop(const std::string& f) const {
    return f + " " + relation_text(c_.claim.relation) + " " + rational_text(c_.claim.bound);
  }
  // The statement of a lemma about a box (node lemmas and leaf lemmas).
  std::string statement(const std::string& name, const std::vector<Interval>& box) const {
    std::string s = "Lemma " + name + binders() + " :\n ";
    for (std::size_t i = 0; i < box.size(); ++i) s += " " + box_hypothesis(box, i) + " ->";
    for (std::size_t k = 0; k < constraints_.size(); ++k) s += " " + constraint_prop(k, g_call(k)) + " ->";
    return s + "\n  " + claim_prop(f_call()) + ".\n";
  }
  std::string intros() const {
    std::string s = "intros";
    for (std::size_t i = 0; i < names_.size(); ++i) s += " cerval_B" + std::to_string(i);
    for (std::size_t k = 0; k < constraints_.size(); ++k) s += " cerval_C" + std::to_string(k);
    return s + ".";
  }
  std::string unfold_all() const {
    std::string s = "unfold cerval_f";
    for (std::size_t k = 0; k < constraints_.size(); ++k) s += ", cerval_g" + std::to_string(k);
    return s + " in *.";
  }
  static std::string lemma_name(std::uint32_t id, bool leaf) {
    return (leaf ? "cerval_leaf_" : "cerval_node_") + std::to_string(id);
  }

  void write_header(std::ostringstream& out) {
    out << "(* Generated by cerval from a " << c_.kind << " certificate";
    if (!options_.source.empty()) out << " (" << options_.source << ")";
    out << ".\n   Claim: " << c_.claim.expression << " " << relation_text(c_.claim.relation) << " "
        << numeric::to_string(c_.claim.bound) << "\n   on";
    for (std::size_t i = 0; i < c_.variables.size(); ++i) {
      const auto& v = c_.variables[i];
      out << (i ? ", " : " ") << v.name << " in [" << (v.lower ? numeric::to_string(*v.lower) : "-oo") << ", "
          << (v.upper ? numeric::to_string(*v.upper) : "+oo") << "]";
      if (names_[i] != v.name) out << " (Coq name " << names_[i] << ")";
    }
    for (const auto& r : c_.constraints)
      out << ",\n   subject to " << r.expression << " " << relation_text(r.relation) << " "
          << numeric::to_string(r.bound);
    if (c_.kind == "minimum") out << ".\n   Only the bound is exported; the witness is checked by cerval alone";
    out << ".\n   Check with: coqc FILE.v (Coq 8.16, Coquelicot, Interval 4.6).\n"
        << "   Coq's functions are total (sqrt of a negative number is 0, x / 0 = 0): the\n"
        << "   theorem says nothing about where the expression is defined. *)\n\n"
        << "From Coq Require Import Reals Lra.\n"
        << "From Coquelicot Require Import Coquelicot.\n"
        << "From Interval Require Import Tactic.\n"
        << "Open Scope R_scope.\n\n"
        << kPreamble << "\n";
    out << "Definition cerval_f" << binders() << " : R :=\n  " << printer_.text(claim_, names_) << ".\n";
    for (std::size_t k = 0; k < constraints_.size(); ++k)
      out << "Definition cerval_g" << k << binders() << " : R :=\n  " << printer_.text(constraints_[k], names_)
          << ".\n";
    out << "\n";
  }

  // ---- leaves

  long interval_precision(const CertNode& n) const {
    return std::max<long>(n.precision, 53) + std::max<long>(options_.extra_precision, 0);
  }

  std::string interval_call(long p, const std::string& extra = "") const {
    return "interval with (i_prec " + std::to_string(p) + extra + ")";
  }

  // `interval`, then with bisection in the variables of `e` that still vary.
  std::string interval_with_fallback(long p, expr::NodeId e, const std::vector<std::string>& vars,
                                     const std::vector<Interval>& box) const {
    std::string bisect;
    std::string first_var;
    for (std::size_t i : g_.variables_of(e)) {
      if (vars[i] != names_[i] || box[i].is_point() || !std::isfinite(box[i].lower()) ||
          !std::isfinite(box[i].upper()))
        continue;
      bisect += ", i_bisect " + names_[i];
      if (first_var.empty()) first_var = names_[i];
    }
    if (bisect.empty()) return interval_call(p);
    return "first [ " + interval_call(p) + " | " + interval_call(p, bisect + ", i_autodiff " + first_var) + " ]";
  }

  // Tactic text proving the current goal `e rel bound` (e printed with the
  // variable names) on `box`, with the lemma shape of `form`.
  std::string prove_target(expr::NodeId e, expr::Form form, const CertNode& leaf, const std::vector<Interval>& box,
                           LeafShape& shape) const {
    const long p = interval_precision(leaf);
    const auto vars = g_.variables_of(e);
    const bool bounded_var = [&] {
      for (std::size_t i : vars)
        if (std::isfinite(box[i].lower()) && std::isfinite(box[i].upper()) && !box[i].is_point()) return true;
      return false;
    }();
    switch (form) {
      case expr::Form::Natural:
        break;
      case expr::Form::Rational:
        throw CoqExportError("the rational-residual form is not exportable to Coq");
      case expr::Form::GaussNewton:
        throw CoqExportError("the Gauss-Newton form is not exportable to Coq");
      case expr::Form::Monotone:
        if (bounded_var) return prove_monotone(e, box, p, shape);
        break;
      case expr::Form::MeanValue:
        if (bounded_var) return prove_mean_value(e, leaf, box, p, shape);
        break;
      case expr::Form::Taylor2:
        if (vars.size() == 1 && bounded_var) {
          shape = LeafShape::Taylor;
          const std::string v = names_[vars[0]];
          return "  first [ " + interval_call(p, ", i_taylor " + v + ", i_degree 2") + " | " +
                 interval_call(p, ", i_taylor " + v + ", i_degree 4") + " | " +
                 interval_call(p, ", i_bisect " + v + ", i_taylor " + v + ", i_degree 2") + " ].\n";
        }
        if (bounded_var) return prove_mean_value(e, leaf, box, p, shape);
        break;
    }
    shape = LeafShape::Natural;
    return "  " + interval_with_fallback(p, e, names_, box) + ".\n";
  }

  // The gradient of e over the box (binary64), or empty if e is not defined
  // on the whole box.
  std::vector<Interval> gradient(expr::NodeId e, const std::vector<Interval>& box) const {
    const std::size_t n = box.size();
    std::vector<expr::Dual<Interval>> seeded;
    for (std::size_t i = 0; i < n; ++i) seeded.push_back(expr::Dual<Interval>::variable(box[i], i, n));
    expr::Evaluator<expr::Dual<Interval>> ad(g_);
    ad.evaluate_until(seeded, e);
    if (!expr::is_defined_everywhere(ad.decoration(e))) return {};
    const auto& d = ad.value(e);
    std::vector<Interval> grad;
    for (std::size_t i = 0; i < n; ++i) grad.push_back(expr::detail::at(d.grad, i, d.value));
    return grad;
  }

  std::string goal_text(expr::NodeId e, const std::vector<std::string>& vars) const {
    return claim_prop(printer_.text(e, vars, true));
  }

  // Monotone shape: one monotonicity step per variable whose partial
  // derivative has a certain sign on the box, then interval on the face.
  std::string prove_monotone(expr::NodeId e, const std::vector<Interval>& box, long p, LeafShape& shape) const {
    const auto grad = gradient(e, box);
    const bool upper = upper_side(c_.claim.relation);
    std::vector<std::string> vars = names_;
    std::string s = "  unfold tan, tanh.\n";
    int steps = 0;
    if (!grad.empty()) {
      for (std::size_t i : g_.variables_of(e)) {
        const Interval& x = box[i];
        if (!std::isfinite(x.lower()) || !std::isfinite(x.upper()) || x.is_point()) continue;
        const bool inc = grad[i].certainly_ge(0.0), dec = grad[i].certainly_le(0.0);
        if (!inc && !dec) continue;
        // The face that maximises (upper side) or minimises (lower side) e.
        const bool at_upper = upper == inc;
        const std::string lo = double_text(x.lower()), hi = double_text(x.upper());
        std::vector<std::string> fun_vars = vars, face_vars = vars;
        fun_vars[i] = "cerval_t";
        face_vars[i] = at_upper ? hi : lo;
        const std::string lhs = printer_.text(e, vars, true), face = printer_.text(e, face_vars, true);
        const std::string step = "cerval_S" + std::to_string(steps++);
        // inc: f a <= f t <= f b; dec: f b <= f t <= f a.
        const bool second = upper;  // proj2 gives the upper bound f t <= ...
        s += "  assert (" + step + " : " + (upper ? lhs + " <= " + face : face + " <= " + lhs) + ").\n";
        s += "  { refine (" + std::string(second ? "proj2" : "proj1") + " (" +
             (inc ? "cerval_mono_inc" : "cerval_mono_dec") + " (fun cerval_t => " + printer_.text(e, fun_vars, true) +
             ") _ " + lo + " " + hi + " _ _ " + names_[i] + " cerval_B" + std::to_string(i) + "));\n";
        s += "      [ intros cerval_t cerval_Ht; auto_derive; try reflexivity; cerval_dom\n";
        s += "      | intros cerval_t cerval_Ht; cbv beta; " + interval_call(p) + " ]. }\n";
        vars = face_vars;
      }
    }
    if (steps == 0) {
      shape = LeafShape::Natural;
      return "  " + interval_with_fallback(p, e, names_, box) + ".\n";
    }
    shape = LeafShape::Monotone;
    s += "  assert (cerval_F : " + goal_text(e, vars) + ") by (" + interval_with_fallback(p, e, vars, box) + ").\n";
    s += "  lra.\n";
    return s;
  }

  // Mean-value shape: f(x) = f(c) + sum_i d_i f(c_1..c_{i-1}, s_i, x_{i+1}..) (x_i - c_i).
  std::string prove_mean_value(expr::NodeId e, const CertNode& leaf, const std::vector<Interval>& box, long p,
                               LeafShape& shape) const {
    std::vector<double> center = leaf.center;
    bool center_ok = center.size() == box.size();
    for (std::size_t i = 0; center_ok && i < box.size(); ++i) center_ok = box[i].contains(center[i]);
    if (!center_ok) center = expr::default_center(box);
    std::vector<std::string> vars = names_;
    // One tactic chain (the mean-value steps, then `interval`), so that a
    // failure of the first-order shape falls back to `interval` with
    // bisection on the leaf box (a second-order leaf of cerval may need it).
    std::string chain = "unfold tan, tanh";
    int steps = 0;
    for (std::size_t i : g_.variables_of(e)) {
      const Interval& x = box[i];
      if (!std::isfinite(x.lower()) || !std::isfinite(x.upper()) || x.is_point() || !std::isfinite(center[i]))
        continue;
      const std::string lo = double_text(x.lower()), hi = double_text(x.upper()), c = double_text(center[i]);
      std::vector<std::string> fun_vars = vars;
      fun_vars[i] = "cerval_t";
      const std::string k = std::to_string(steps++);
      chain += ";\n      eapply (cerval_mvt (fun cerval_t => " + printer_.text(e, fun_vars, true) + ") _ " + lo + " " +
               hi + " " + c + " " + names_[i] + ");\n";
      chain += "      [ intros cerval_t cerval_Ht; auto_derive; try reflexivity; cerval_dom\n";
      chain += "      | lra | exact cerval_B" + std::to_string(i) + "\n";
      chain += "      | intros cerval_s" + k + " cerval_Hs" + k + " cerval_E" + k + "; cbv beta in cerval_E" + k +
               "; rewrite cerval_E" + k + "; clear cerval_E" + k + " ]";
      vars[i] = c;
    }
    if (steps == 0) {
      shape = LeafShape::Natural;
      return "  " + interval_with_fallback(p, e, names_, box) + ".\n";
    }
    if (shape != LeafShape::Taylor) shape = LeafShape::MeanValue;
    chain += ";\n      " + interval_call(p);
    return "  first [\n    (" + chain + ")\n  | solve [ " + interval_with_fallback(p, e, names_, box) + " ] ].\n";
  }

  std::string leaf_proof(const CertNode& n, const std::vector<Interval>& box, LeafShape& shape) {
    std::string s = "Proof.\n  " + intros() + "\n  " + unfold_all() + "\n";
    const long p = interval_precision(n);
    if (n.leaf == LeafKind::NoStationaryPoint)
      throw CoqExportError("a leaf settled by the absence of stationary points (a global argument, not a lemma on the box)");
    if (n.leaf == LeafKind::Infeasible) {
      shape = LeafShape::Infeasible;
      // The checker's contraction emptied the box: through a constraint (the
      // box holds no feasible point) or, with a cut-off, through the claim's
      // negation (the claim holds on the whole box). Coq gets both routes:
      // the claim itself by `interval`, or one constraint violated.
      std::vector<std::string> routes;
      if (n.cutoff || constraints_.empty()) routes.push_back(interval_with_fallback(p, claim_, names_, box));
      std::string bisect;
      for (std::size_t i = 0; i < box.size(); ++i)
        if (std::isfinite(box[i].lower()) && std::isfinite(box[i].upper()) && !box[i].is_point())
          bisect += ", i_bisect " + names_[i];
      for (std::size_t k = 0; k < constraints_.size(); ++k) {
        const RelationEntry& r = c_.constraints[k];
        const std::string g = printer_.text(constraints_[k], names_);
        std::vector<std::string> violations;
        switch (r.relation) {
          case expr::Relation::LessEqual:
            violations.push_back(g + " > " + rational_text(r.bound));
            break;
          case expr::Relation::Less:
            violations.push_back(g + " >= " + rational_text(r.bound));
            break;
          case expr::Relation::GreaterEqual:
            violations.push_back(g + " < " + rational_text(r.bound));
            break;
          case expr::Relation::Greater:
            violations.push_back(g + " <= " + rational_text(r.bound));
            break;
          case expr::Relation::Equal:
            violations.push_back(g + " > " + rational_text(Rational(r.bound + eps_)));
            violations.push_back(g + " < " + rational_text(Rational(r.bound - eps_)));
            break;
        }
        std::vector<std::string> options{""};
        if (!bisect.empty()) options.push_back(bisect);
        for (const auto& v : violations)
          for (const auto& opts : options)
            routes.push_back("(exfalso; assert (cerval_V : " + v + ") by (" + interval_call(p, opts) + "); lra)");
      }
      s += "  first [\n";
      for (std::size_t k = 0; k < routes.size(); ++k) s += std::string(k == 0 ? "    " : "  | ") + routes[k] + "\n";
      return s + "  ].\nQed.\n";
    }
    if (!n.multipliers.empty()) {
      if (n.multipliers.size() != constraints_.size())
        throw CoqExportError("a leaf has " + std::to_string(n.multipliers.size()) + " multipliers for " +
                             std::to_string(constraints_.size()) + " constraints");
      std::vector<expr::ConstraintTerm> terms;
      for (std::size_t k = 0; k < constraints_.size(); ++k)
        terms.push_back({constraints_[k], c_.constraints[k].relation, c_.constraints[k].bound});
      for (double l : n.multipliers)
        if (!std::isfinite(l)) throw CoqExportError("a multiplier is not finite");
      const expr::NodeId L = expr::add_lagrangian(g_, claim_, terms, n.multipliers);
      s += "  (* The Lagrangian L = f + sum_k l_k (g_k - b_k) is on the safe side of f at\n"
           "     feasible points; bound it, then conclude with the constraints. *)\n";
      s += "  assert (cerval_L : " + claim_prop(printer_.text(L, names_)) + ").\n  {\n";
      s += prove_target(L, n.form, n, box, shape);
      s += "  }\n  lra.\nQed.\n";
      return s;
    }
    s += prove_target(claim_, n.form, n, box, shape);
    return s + "Qed.\n";
  }

  // ---- tree

  // cerval's second-order leaves (taylor2 in several variables) have no
  // second-order counterpart in Coq, and a first-order mean-value shape
  // misses the claim by O(H w^2) near a tight point. Such leaves (and
  // mean-value leaves) whose box the binary64 mean-value form does not prove
  // with a margin are bisected, for the export only, until it does (or a
  // budget is spent): the Coq proof then has more, smaller leaves.
  void refine_centred_leaves() {
    const bool lower_side = c_.claim.relation == expr::Relation::GreaterEqual ||
                            c_.claim.relation == expr::Relation::Greater;
    const Rational& b = c_.claim.bound;
    const double margin = 1e-9 * std::max(1.0, std::fabs(numeric::to_double_down(b)));
    auto proves = [&](const std::vector<Interval>& box) {
      const auto bound = expr::mean_value_form<Interval>(g_, claim_, box, expr::default_center(box));
      if (!expr::is_defined_everywhere(bound.decoration) || bound.enclosure.is_empty()) return false;
      return lower_side ? bound.enclosure.lower() >= numeric::to_double_up(b) + margin
                        : bound.enclosure.upper() <= numeric::to_double_down(b) - margin;
    };
    std::size_t budget = 20000;  // new nodes
    // Bisects leaf `id` on `box` until the mean-value form proves each piece.
    std::function<void(std::uint32_t, const std::vector<Interval>&, int)> subdivide =
        [&](std::uint32_t id, const std::vector<Interval>& box, int depth) {
          if (proves(box) || depth >= 16 || budget < 2) {
            c_.nodes[id].form = expr::Form::MeanValue;
            c_.nodes[id].center.clear();
            return;
          }
          std::size_t widest = box.size();
          for (std::size_t i = 0; i < box.size(); ++i)
            if (box[i].is_bounded() && !box[i].is_point() &&
                (widest == box.size() || box[i].width() > box[widest].width()))
              widest = i;
          if (widest == box.size()) return;
          const double m = box[widest].midpoint();
          if (!(box[widest].lower() < m && m < box[widest].upper())) return;
          CertNode leaf = c_.nodes[id];
          leaf.center.clear();
          const auto lower_id = static_cast<std::uint32_t>(c_.nodes.size());
          c_.nodes.push_back(leaf);
          c_.nodes.push_back(leaf);
          budget -= 2;
          CertNode& split = c_.nodes[id];
          split.split_variable = static_cast<int>(widest);
          split.at = m;
          split.children[0] = lower_id;
          split.children[1] = lower_id + 1;
          std::vector<Interval> lower = box, upper = box;
          lower[widest] = Interval(box[widest].lower(), m);
          upper[widest] = Interval(m, box[widest].upper());
          subdivide(lower_id, lower, depth + 1);
          subdivide(lower_id + 1, upper, depth + 1);
        };
    const bool several = g_.variables_of(claim_).size() >= 2;
    struct Item {
      std::uint32_t id;
      std::vector<Interval> box;
    };
    std::vector<Item> stack{{0, root_}};
    while (!stack.empty()) {
      Item item = std::move(stack.back());
      stack.pop_back();
      if (item.id >= c_.nodes.size()) return;  // write_tree reports malformed trees
      const CertNode n = c_.nodes[item.id];
      if (n.is_leaf()) {
        const bool centred = n.form == expr::Form::MeanValue || (n.form == expr::Form::Taylor2 && several);
        if (n.leaf == LeafKind::Proven && centred && n.multipliers.empty() && !proves(item.box))
          subdivide(item.id, item.box, 0);
        continue;
      }
      const auto v = static_cast<std::size_t>(n.split_variable);
      if (v >= item.box.size() || stack.size() > c_.nodes.size()) return;
      const Interval x = item.box[v];
      if (!(x.lower() < n.at && n.at < x.upper())) return;
      std::vector<Interval> lower = item.box, upper = item.box;
      lower[v] = Interval(x.lower(), n.at);
      upper[v] = Interval(n.at, x.upper());
      stack.push_back({n.children[0], std::move(lower)});
      stack.push_back({n.children[1], std::move(upper)});
    }
  }

  void write_tree(std::ostringstream& out) {
    struct Item {
      std::uint32_t id;
      std::vector<Interval> box;
      bool expanded;
    };
    std::vector<bool> reached(c_.nodes.size(), false);
    std::vector<Item> stack{{0, root_, false}};
    reached[0] = true;
    while (!stack.empty()) {
      Item item = std::move(stack.back());
      stack.pop_back();
      const CertNode& n = c_.nodes[item.id];
      if (n.is_leaf()) {
        LeafShape shape = LeafShape::Natural;
        const std::string proof = leaf_proof(n, item.box, shape);
        out << "(* leaf " << item.id << ": " << (n.leaf == LeafKind::Infeasible ? "infeasible" : expr::to_string(n.form))
            << (n.multipliers.empty() ? "" : ", Lagrangian") << " *)\n"
            << statement(lemma_name(item.id, true), item.box) << proof << "\n";
        ++result_.leaves;
        ++result_.shapes[static_cast<int>(shape)];
        continue;
      }
      const auto v = static_cast<std::size_t>(n.split_variable);
      if (v >= item.box.size()) throw CoqExportError("tree: split of a variable that does not exist");
      const Interval x = item.box[v];
      if (!(x.lower() < n.at && n.at < x.upper())) throw CoqExportError("tree: split point outside its box");
      std::vector<Interval> lower = item.box, upper = item.box;
      lower[v] = Interval(x.lower(), n.at);
      upper[v] = Interval(n.at, x.upper());
      if (!item.expanded) {
        for (int k = 0; k < 2; ++k) {
          if (n.children[k] >= c_.nodes.size() || reached[n.children[k]])
            throw CoqExportError("tree: not a tree (a child is missing or used twice)");
          reached[n.children[k]] = true;
        }
        // Children first (post-order): Coq needs a lemma before its use.
        stack.push_back({item.id, item.box, true});
        stack.push_back({n.children[1], std::move(upper), false});
        stack.push_back({n.children[0], std::move(lower), false});
        continue;
      }
      ++result_.splits;
      const std::string s = double_text(n.at);
      const std::string use = "; first [ exact I | assumption | lra ].\n";
      out << statement(lemma_name(item.id, false), item.box) << "Proof.\n  " << intros() << "\n"
          << "  destruct (Rle_or_lt " << names_[v] << " " << s << ") as [cerval_s | cerval_s].\n"
          << "  - apply (" << child_name(n.children[0]) << arguments() << ")" << use << "  - apply ("
          << child_name(n.children[1]) << arguments() << ")" << use << "Qed.\n\n";
    }
  }

  std::string child_name(std::uint32_t id) const { return lemma_name(id, c_.nodes[id].is_leaf()); }

  void write_theorem(std::ostringstream& out) {
    out << "(* The claim on the exact domain. *)\nTheorem " << options_.theorem_name << binders() << " :\n ";
    for (std::size_t i = 0; i < names_.size(); ++i) out << " " << domain_hypothesis(i) << " ->";
    for (std::size_t k = 0; k < constraints_.size(); ++k)
      out << "\n  " << constraint_prop(k, printer_.text(constraints_[k], names_)) << " ->";
    out << "\n  " << claim_prop(printer_.text(claim_, names_)) << ".\nProof.\n  " << intros() << "\n  apply ("
        << child_name(0) << arguments() << "); first [ exact I | assumption | lra ].\nQed.\n";
  }

  Certificate c_;  // a copy: refine_centred_leaves() subdivides leaves
  CoqExportOptions options_;
  expr::ExprGraph g_;
  Printer printer_;
  std::vector<std::string> names_;
  expr::NodeId claim_ = 0;
  std::vector<expr::NodeId> constraints_;
  Rational eps_;
  std::vector<Interval> root_;
  CoqExport result_;
};

}  // namespace

CoqExport export_coq(const Certificate& c, const CoqExportOptions& options) {
  if (!c.definitions.empty())
    throw CoqExportError("certificates with definitions (shared subexpressions) are not exportable to Coq yet: "
                         "the expanded expression would be exponentially large");
  if (!c.projected.empty())
    throw CoqExportError("certificates with projected variables (variable projection) are not exportable to Coq: "
                         "a projected leaf rests on a convexity argument over the whole tree box, not a lemma on it");
  return Exporter(c, options).run();
}

CoqExport write_coq(const Certificate& c, const std::string& path, const CoqExportOptions& options) {
  CoqExport e = export_coq(c, options);
  std::ofstream out(path);
  out << e.text;
  out.close();
  if (!out) throw expr::InputError({path, 1, 1}, "cannot write the Coq file");
  return e;
}

std::string coq_numbered_path(const std::string& path, std::size_t k) {
  const auto dot = path.rfind('.');
  const auto slash = path.rfind('/');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash))
    return path + "_" + std::to_string(k);
  return path.substr(0, dot) + "_" + std::to_string(k) + path.substr(dot);
}

std::string find_coqc() {
  if (const char* env = std::getenv("CERVAL_COQC"); env && *env) {
    const std::string p(env);
    if (p.find('/') != std::string::npos) return ::access(p.c_str(), X_OK) == 0 ? p : "";
    // A bare name: look it up on PATH like coqc itself.
    const char* path = std::getenv("PATH");
    std::istringstream dirs(path ? path : "");
    for (std::string dir; std::getline(dirs, dir, ':');)
      if (!dir.empty() && ::access((dir + "/" + p).c_str(), X_OK) == 0) return dir + "/" + p;
    return "";
  }
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path ? path : "");
  for (std::string dir; std::getline(dirs, dir, ':');)
    if (!dir.empty() && ::access((dir + "/coqc").c_str(), X_OK) == 0) return dir + "/coqc";
  return "";
}

CoqcResult run_coqc(const std::string& coq_text, double timeout_s) {
  CoqcResult r;
  const std::string coqc = find_coqc();
  if (coqc.empty()) {
    r.output = "coqc not found (install coq and libcoq-interval, or set CERVAL_COQC)";
    return r;
  }
  std::string pattern = (fs::temp_directory_path() / "cerval_coq_XXXXXX").string();
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (!::mkdtemp(buffer.data())) {
    r.output = "cannot create a temporary folder";
    return r;
  }
  const fs::path dir(buffer.data());
  const fs::path source = dir / "CervalExport.v";
  const fs::path log = dir / "coqc.log";
  {
    std::ofstream out(source);
    out << coq_text;
  }
  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = ::fork();
  if (pid == 0) {
    // Child: only async-signal-safe calls until exec.
    if (::chdir(dir.c_str()) != 0) ::_exit(127);
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) ::_exit(127);
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    ::close(fd);
    ::execl(coqc.c_str(), coqc.c_str(), "-q", "CervalExport.v", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  if (pid < 0) {
    r.output = "cannot start coqc";
    fs::remove_all(dir);
    return r;
  }
  r.ran = true;
  int status = 0;
  for (;;) {
    const pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (timeout_s > 0 && elapsed > timeout_s) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      r.timed_out = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  r.accepted = !r.timed_out && WIFEXITED(status) && WEXITSTATUS(status) == 0;
  {
    std::ifstream in(log);
    std::ostringstream text;
    text << in.rdbuf();
    r.output = text.str();
  }
  if (r.timed_out) r.output += "\ncoqc stopped after the timeout";
  std::error_code ignored;
  fs::remove_all(dir, ignored);
  return r;
}

}  // namespace cerval::cert
