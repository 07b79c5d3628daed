// Exact formal power series solutions (formal_solution.hpp).
#include <cerval/series/formal_solution.hpp>

#include <cerval/expr/diagnostics.hpp>

#include <algorithm>

namespace cerval::series {

using expr::InputError;

struct FormalSolution::Impl {
  Equation eq;
  std::vector<Rational> given;
  std::vector<Rational> c;
  int e0 = 0;
  std::vector<Rational> ind;  // a_j[e0]
  struct Chain {
    int x_power = 0;
    Rational coefficient;
    std::vector<int> atoms;                    // T^j y factors, with repetition
    std::vector<std::vector<Rational>> cache;  // per level >= 1: final coefficients
  };
  std::vector<Chain> chains;
  std::vector<Rational> constants;  // degree-0 part b(x)
  mutable std::vector<std::vector<Rational>> qpow;  // qpow[j][k] = (q^j)^k
  std::vector<long long> dpow;                      // d^j (Mahler)
  std::optional<std::chrono::steady_clock::time_point> deadline;
  std::function<void(std::size_t)> progress;
  std::chrono::steady_clock::time_point last_report = std::chrono::steady_clock::now();

  const Rational& q_power(int j, std::size_t k) const {
    auto& t = qpow[static_cast<std::size_t>(j)];
    if (t.empty()) t.push_back(Rational(1));
    Rational base = 1;
    for (int i = 0; i < j; ++i) base *= eq.q;
    while (t.size() <= k) t.push_back(t.back() * base);
    return t[k];
  }

  // Coefficient of x^k in T^j y (unknown coefficients count as 0).
  bool atom(int j, std::size_t k, Rational& out) const {
    std::size_t idx = k;
    if (eq.type == EquationType::Mahler && j > 0) {
      const auto dj = static_cast<std::size_t>(dpow[static_cast<std::size_t>(j)]);
      if (k % dj != 0) return false;
      idx = k / dj;
    }
    if (idx >= c.size() || c[idx] == 0) return false;
    switch (eq.type) {
      case EquationType::Differential: {
        numeric::Integer w = 1;
        for (int i = 0; i < j; ++i) w *= static_cast<unsigned long>(k);
        out = c[idx] * Rational(w);
        return k != 0 || j == 0;
      }
      case EquationType::QDifference: out = c[idx] * q_power(j, k); return true;
      case EquationType::Mahler: out = c[idx]; return true;
    }
    return false;
  }

  Rational chain_coef(const Chain& ch, std::size_t level, std::size_t k) const {
    if (level == 0) {
      Rational v;
      return atom(ch.atoms[0], k, v) ? v : Rational(0);
    }
    if (k < ch.cache[level].size()) return ch.cache[level][k];
    Rational sum = 0, a;
    for (std::size_t i = 0; i <= k; ++i) {
      if (!atom(ch.atoms[level], k - i, a)) continue;
      const Rational p = chain_coef(ch, level - 1, i);
      if (p != 0) sum += p * a;
    }
    return sum;
  }

  void finalise() {
    for (Chain& ch : chains)
      for (std::size_t level = 1; level < ch.atoms.size(); ++level)
        while (ch.cache[level].size() < c.size()) ch.cache[level].push_back(chain_coef(ch, level, ch.cache[level].size()));
  }

  Rational residual(std::size_t m) const {
    Rational r = m < constants.size() ? constants[m] : Rational(0);
    for (const Chain& ch : chains) {
      if (static_cast<std::size_t>(ch.x_power) > m) continue;
      const Rational v = chain_coef(ch, ch.atoms.size() - 1, m - static_cast<std::size_t>(ch.x_power));
      if (v != 0) r += ch.coefficient * v;
    }
    return r;
  }

  std::vector<std::vector<Rational>> linearisation(std::size_t m) const {
    const auto n = static_cast<std::size_t>(eq.order) + 1;
    std::vector<std::vector<Rational>> a(n, std::vector<Rational>(m, Rational(0)));
    std::vector<std::vector<Rational>> series(n, std::vector<Rational>(m, Rational(0)));
    for (std::size_t j = 0; j < n; ++j)
      for (std::size_t k = 0; k < m; ++k) {
        Rational v;
        if (atom(static_cast<int>(j), k, v)) series[j][k] = v;
      }
    for (const Term& t : eq.terms) {
      for (std::size_t j = 0; j < n; ++j) {
        if (t.powers[j] == 0) continue;
        std::vector<Rational> prod(m, Rational(0));
        if (static_cast<std::size_t>(t.x_power) < m) prod[static_cast<std::size_t>(t.x_power)] = t.coefficient * t.powers[j];
        for (std::size_t i = 0; i < n; ++i) {
          const int p = t.powers[i] - (i == j ? 1 : 0);
          for (int r = 0; r < p; ++r) {
            std::vector<Rational> next(m, Rational(0));
            for (std::size_t u = 0; u < m; ++u) {
              if (prod[u] == 0) continue;
              for (std::size_t v = 0; u + v < m; ++v)
                if (series[i][v] != 0) next[u + v] += prod[u] * series[i][v];
            }
            prod = std::move(next);
          }
        }
        for (std::size_t u = 0; u < m; ++u) a[j][u] += prod[u];
      }
    }
    return a;
  }

  Rational indicial(std::size_t k) const {
    Rational s = 0;
    for (std::size_t j = 0; j < ind.size(); ++j) {
      if (ind[j] == 0) continue;
      switch (eq.type) {
        case EquationType::Differential: {
          numeric::Integer w = 1;
          for (std::size_t i = 0; i < j; ++i) w *= static_cast<unsigned long>(k);
          s += ind[j] * Rational(w);
          break;
        }
        case EquationType::QDifference: s += ind[j] * q_power(static_cast<int>(j), k); break;
        case EquationType::Mahler:
          if (j == 0 || k == 0) s += ind[j];
          break;
      }
    }
    return s;
  }

  [[noreturn]] void fail(const std::string& message) const { throw InputError(eq.where, message); }

  void push(const Rational& v) {
    c.push_back(v);
    finalise();
  }
};

FormalSolution::FormalSolution(const Equation& equation, std::vector<Rational> given) : impl_(std::make_unique<Impl>()) {
  Impl& s = *impl_;
  s.eq = equation;
  s.given = std::move(given);
  s.qpow.resize(static_cast<std::size_t>(equation.order) + 1);
  s.dpow.assign(static_cast<std::size_t>(equation.order) + 1, 1);
  for (std::size_t j = 1; j < s.dpow.size(); ++j) s.dpow[j] = s.dpow[j - 1] * equation.d;
  for (const Term& t : equation.terms) {
    if (t.degree() == 0) {
      if (s.constants.size() <= static_cast<std::size_t>(t.x_power)) s.constants.resize(static_cast<std::size_t>(t.x_power) + 1, Rational(0));
      s.constants[static_cast<std::size_t>(t.x_power)] += t.coefficient;
      continue;
    }
    Impl::Chain ch;
    ch.x_power = t.x_power;
    ch.coefficient = t.coefficient;
    for (std::size_t j = 0; j < t.powers.size(); ++j)
      for (int r = 0; r < t.powers[j]; ++r) ch.atoms.push_back(static_cast<int>(j));
    ch.cache.resize(ch.atoms.size());
    s.chains.push_back(std::move(ch));
  }
  const std::size_t K = s.given.size();
  for (const Rational& v : s.given) s.push(v);
  std::vector<std::vector<Rational>> a;
  std::size_t range = K;
  if (equation.linear()) {
    a = equation.linear_coefficients();
    range = 0;
    for (const auto& v : a) range = std::max(range, v.size());
    for (auto& v : a) v.resize(range, Rational(0));
  } else {
    if (K == 0)
      s.fail("a nonlinear equation needs its leading coefficients: give c_0, c_1, ... with 'coefficients'");
    a = s.linearisation(K);
  }
  std::size_t e0 = range;
  for (const auto& v : a)
    for (std::size_t i = 0; i < v.size() && i < e0; ++i)
      if (v[i] != 0) e0 = i;
  if (e0 == range)
    s.fail("the linearisation along the given coefficients vanishes up to x^" + std::to_string(range == 0 ? 0 : range - 1) +
           ": give more leading coefficients");
  s.e0 = static_cast<int>(e0);
  for (const auto& v : a) s.ind.push_back(v[e0]);
  for (std::size_t m = 0; m < K + e0; ++m) {
    const Rational r = s.residual(m);
    if (r != 0)
      s.fail("the given coefficients do not satisfy the equation: the coefficient of x^" + std::to_string(m) + " of F(y) is " +
             numeric::to_string(r) + " instead of 0");
  }
}

FormalSolution::~FormalSolution() = default;

void FormalSolution::extend(std::size_t n) {
  Impl& s = *impl_;
  while (s.c.size() < n) {
    const std::size_t k = s.c.size();
    if ((k & 15) == 0 && (s.deadline || s.progress)) {
      const auto now = std::chrono::steady_clock::now();
      if (s.deadline && now > *s.deadline) throw SolveTimeout();
      if (s.progress && now - s.last_report > std::chrono::seconds(2)) {
        s.last_report = now;
        s.progress(k);
      }
    }
    const Rational A = s.residual(k + static_cast<std::size_t>(s.e0));
    const Rational L = s.indicial(k);
    if (L != 0) {
      s.push(-A / L);
      continue;
    }
    if (A != 0)
      s.fail("no formal power series solution: k = " + std::to_string(k) +
             " is a root of the indicial function and the coefficient of x^" + std::to_string(k + static_cast<std::size_t>(s.e0)) +
             " cannot vanish (the solution needs logarithms or other exponents)");
    s.fail("c_" + std::to_string(k) + " is not determined by the equation (k = " + std::to_string(k) +
           " is a root of the indicial function): give " + (k == 0 ? std::string("c_0") : "c_0, ..., c_" + std::to_string(k)) +
           " with 'coefficients'");
  }
}

void FormalSolution::set_deadline(std::optional<std::chrono::steady_clock::time_point> deadline) {
  impl_->deadline = deadline;
}
void FormalSolution::set_progress(std::function<void(std::size_t)> progress) { impl_->progress = std::move(progress); }

const std::vector<Rational>& FormalSolution::coefficients() const { return impl_->c; }
int FormalSolution::e0() const { return impl_->e0; }
std::size_t FormalSolution::given() const { return impl_->given.size(); }
Rational FormalSolution::indicial(std::size_t k) const { return impl_->indicial(k); }
std::vector<std::vector<Rational>> FormalSolution::linearisation(std::size_t m) const { return impl_->linearisation(m); }
Rational FormalSolution::residual(std::size_t m) const { return impl_->residual(m); }
const Equation& FormalSolution::equation() const { return impl_->eq; }

}  // namespace cerval::series
