#pragma once
// The one evaluator: a forward pass over an ExprGraph in any number type that
// provides cerval's function set: Interval, MpInterval (rigorous enclosures),
// and the automatic-differentiation types of autodiff.hpp over those.
//
// Guarantee: for T an interval type (or an AD type over one), the value of
// every node encloses the node's function over all points of the input box
// where it is defined, and decoration(node) is `dac` or better only if the
// node's function is defined and continuous on the whole box (see
// decoration.hpp). Point evaluation at high precision is interval evaluation
// of a degenerate box with MpInterval.
#include <cerval/expr/decoration.hpp>
#include <cerval/expr/expr.hpp>
#include <cerval/numeric/interval.hpp>
#include <cerval/numeric/mp_interval.hpp>

#include <cmath>
#include <span>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <vector>

namespace cerval::expr {

// How constants of a number type are built. Specialised for each T the
// evaluator is used with; `value_interval(t)` gives the enclosure of the value
// (t itself for interval types, the value part for AD types).
template <class T>
struct NumberFactory;

template <>
struct NumberFactory<numeric::Interval> {
  numeric::Interval constant(const ConstantValue& c) const {
    return numeric::Interval::enclose(c.lower, c.upper);
  }
  numeric::Interval pi() const { return numeric::Interval::pi(); }
};

inline const numeric::Interval& value_interval(const numeric::Interval& x) { return x; }

template <>
struct NumberFactory<numeric::MpInterval> {
  long precision = 53;  // bits
  numeric::MpInterval constant(const ConstantValue& c) const {
    return numeric::MpInterval::enclose(c.lower, c.upper, static_cast<mpfr_prec_t>(precision));
  }
  numeric::MpInterval pi() const { return numeric::MpInterval::pi(static_cast<mpfr_prec_t>(precision)); }
};

inline const numeric::MpInterval& value_interval(const numeric::MpInterval& x) { return x; }

namespace detail {

template <class I>
bool is_bounded_interval(const I& x) {
  return !x.is_empty() && x.certainly_ge(-std::numeric_limits<double>::max()) &&
         x.certainly_le(std::numeric_limits<double>::max());
}

// Decoration an operation contributes on its own (before combining with its
// operands): trv where the input leaves the function's domain.
template <class I>
Decoration local_decoration(const Node& n, const I* lhs, const I* rhs, const I& result) {
  if (result.is_empty()) return Decoration::trv;
  bool defined = true;
  switch (n.op) {
    case Op::Div: defined = !rhs->contains_zero(); break;
    case Op::Sqrt: defined = lhs->certainly_ge(0.0); break;
    case Op::Log: defined = lhs->certainly_gt(0.0); break;
    case Op::Asin: case Op::Acos: defined = lhs->certainly_ge(-1.0) && lhs->certainly_le(1.0); break;
    case Op::Tan: defined = is_bounded_interval(*lhs) && is_bounded_interval(result); break;
    case Op::PowInt: defined = n.integer >= 0 || !lhs->contains_zero(); break;
    case Op::Pow: defined = lhs->certainly_gt(0.0) || (lhs->certainly_ge(0.0) && rhs->certainly_gt(0.0)); break;
    default: break;
  }
  if (!defined) return Decoration::trv;
  return is_bounded_interval(result) ? Decoration::com : Decoration::dac;
}

template <class T>
T apply_unary(Op op, const T& x, std::int64_t integer) {
  switch (op) {
    case Op::Neg: return -x;
    case Op::Sqr: return sqr(x);
    case Op::Sqrt: return sqrt(x);
    case Op::Exp: return exp(x);
    case Op::Log: return log(x);
    case Op::Sin: return sin(x);
    case Op::Cos: return cos(x);
    case Op::Tan: return tan(x);
    case Op::Asin: return asin(x);
    case Op::Acos: return acos(x);
    case Op::Atan: return atan(x);
    case Op::Sinh: return sinh(x);
    case Op::Cosh: return cosh(x);
    case Op::Tanh: return tanh(x);
    case Op::Abs: return abs(x);
    case Op::PowInt: return pow(x, static_cast<long>(integer));
    default: throw std::logic_error("apply_unary: not a unary operation");
  }
}

template <class T>
T apply_binary(Op op, const T& a, const T& b) {
  switch (op) {
    case Op::Add: return a + b;
    case Op::Sub: return a - b;
    case Op::Mul: return a * b;
    case Op::Div: return a / b;
    case Op::Min: return min(a, b);
    case Op::Max: return max(a, b);
    case Op::Pow: return pow(a, b);
    default: throw std::logic_error("apply_binary: not a binary operation");
  }
}

}  // namespace detail

template <class T>
class Evaluator {
 public:
  // The interval type of values (T itself, or the value part of an AD type).
  using ValueInterval = std::remove_cvref_t<decltype(value_interval(std::declval<const T&>()))>;

  explicit Evaluator(const ExprGraph& graph, NumberFactory<T> factory = {})
      : graph_(&graph), factory_(std::move(factory)) {}

  // Evaluates every node (up to the graph's current size) with variable i set
  // to variables[i]. Precondition: variables.size() == graph.variable_count().
  void evaluate(std::span<const T> variables) { evaluate_up_to(variables, graph_->size()); }

  // Evaluates nodes 0 .. last only (operands always precede their users).
  void evaluate_until(std::span<const T> variables, NodeId last) { evaluate_up_to(variables, last + 1); }

  const T& value(NodeId id) const { return values_[id]; }
  Decoration decoration(NodeId id) const { return decorations_[id]; }
  const std::vector<T>& values() const { return values_; }
  const ExprGraph& graph() const { return *graph_; }
  const NumberFactory<T>& factory() const { return factory_; }

 private:
  // Stores the value of node k, reusing the storage of an earlier evaluation
  // (number types need not be default-constructible).
  void store(std::size_t k, T&& v) {
    if (k < values_.size()) values_[k] = std::move(v);
    else values_.push_back(std::move(v));
  }

  void evaluate_up_to(std::span<const T> variables, std::size_t count) {
    if (variables.size() != graph_->variable_count())
      throw std::invalid_argument("evaluate: wrong number of variables");
    const auto& nodes = graph_->nodes();
    if (!kFolds && constants_.size() < count) cache_constants(count);
    if (values_.size() > count) values_.erase(values_.begin() + static_cast<std::ptrdiff_t>(count), values_.end());
    values_.reserve(count);
    decorations_.resize(count);
    for (std::size_t k = 0; k < count; ++k) {
      const Node& n = nodes[k];
      if constexpr (kFolds) {
        if (graph_->is_constant(k)) {
          if (const auto& c = graph_->folded(k)) {
            store(k, T(c->value));
            decorations_[k] = c->decoration;
            continue;
          }
          if (n.op == Op::Constant || n.op == Op::Pi) {
            const numeric::Interval v =
                n.op == Op::Pi ? numeric::Interval::pi()
                               : NumberFactory<numeric::Interval>{}.constant(
                                     graph_->constant_value(static_cast<std::size_t>(n.integer)));
            graph_->fold(k, v, Decoration::com);
            store(k, T(v));
            decorations_[k] = Decoration::com;
            continue;
          }
        }
      }
      switch (n.op) {
        case Op::Constant:
        case Op::Pi:
          store(k, T(*constants_[k]));
          decorations_[k] = Decoration::com;
          continue;
        case Op::Variable: {
          store(k, T(variables[static_cast<std::size_t>(n.integer)]));
          const auto& v = value_interval(values_[k]);
          decorations_[k] = v.is_empty() ? Decoration::trv
                            : detail::is_bounded_interval(v) ? Decoration::com
                                                             : Decoration::dac;
          continue;
        }
        default: break;
      }
      if (is_binary(n.op)) {
        store(k, detail::apply_binary(n.op, values_[n.lhs], values_[n.rhs]));
        const Decoration operands = worst(decorations_[n.lhs], decorations_[n.rhs]);
        decorations_[k] = worst(operands, detail::local_decoration(n, &value_interval(values_[n.lhs]),
                                                                    &value_interval(values_[n.rhs]),
                                                                    value_interval(values_[k])));
      } else {
        store(k, detail::apply_unary(n.op, values_[n.lhs], n.integer));
        const ValueInterval* no_rhs = nullptr;
        decorations_[k] = worst(decorations_[n.lhs],
                                detail::local_decoration(n, &value_interval(values_[n.lhs]), no_rhs,
                                                         value_interval(values_[k])));
      }
      // The binary64 interval pass fills the cache (an AD pass computes the
      // same value part, but need not by the same operations).
      if constexpr (std::is_same_v<T, numeric::Interval>)
        if (graph_->is_constant(k)) graph_->fold(k, values_[k], decorations_[k]);
    }
  }

  // Binary64-based types (Interval and the AD types over it) share the
  // graph's cache of constant-only nodes (ExprGraph::folded).
  static constexpr bool kFolds = std::is_same_v<ValueInterval, numeric::Interval>;

  void cache_constants(std::size_t count) {
    const auto& nodes = graph_->nodes();
    for (std::size_t k = constants_.size(); k < count; ++k) {
      const Node& n = nodes[k];
      if (n.op == Op::Constant)
        constants_.emplace_back(factory_.constant(graph_->constant_value(static_cast<std::size_t>(n.integer))));
      else if (n.op == Op::Pi)
        constants_.emplace_back(factory_.pi());
      else
        constants_.emplace_back(std::nullopt);
    }
  }

  const ExprGraph* graph_;
  NumberFactory<T> factory_;
  std::vector<std::optional<T>> constants_;  // value of constant nodes, indexed by node id
  std::vector<T> values_;
  std::vector<Decoration> decorations_;
};

// Convenience: the enclosure and decoration of one expression over a box.
template <class T>
struct Enclosure {
  T value;
  Decoration decoration;
};

template <class T>
Enclosure<T> evaluate(const ExprGraph& graph, NodeId id, std::span<const T> variables,
                      NumberFactory<T> factory = {}) {
  Evaluator<T> e(graph, std::move(factory));
  e.evaluate_until(variables, id);
  return {e.value(id), e.decoration(id)};
}

}  // namespace cerval::expr
