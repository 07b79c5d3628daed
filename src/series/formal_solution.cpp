// Formal power series solutions (formal_solution.hpp): one recurrence,
// instantiated for exact rationals (rational data) and for MPFI enclosures
// (an irrational q).
#include <cerval/series/formal_solution.hpp>

#include <cerval/expr/diagnostics.hpp>

#include <algorithm>

namespace cerval::series {

using expr::InputError;
using numeric::MpInterval;

namespace {

// The operations the recurrence needs from its number type K: building K
// from an exact rational, and the two certain tests "is 0" / "is not 0"
// (complementary for rationals; both false for an enclosure that holds 0
// without being [0, 0], which is what makes a decision Undecided).
template <class K>
struct Num;

template <>
struct Num<Rational> {
  static Rational make(const Rational& v, mpfr_prec_t) { return v; }
  static bool zero(const Rational& v) { return v == 0; }
  static bool nonzero(const Rational& v) { return v != 0; }
  static std::string text(const Rational& v) { return numeric::to_string(v); }
  static MpInterval enclose(const Rational& v, mpfr_prec_t prec) { return MpInterval::enclose(v, prec); }
  static Rational magnitude(const Rational& v) { return abs(v); }
};

template <>
struct Num<MpInterval> {
  static MpInterval make(const Rational& v, mpfr_prec_t prec) { return MpInterval::enclose(v, prec); }
  static bool zero(const MpInterval& v) { return v.is_point() && v.contains_zero(); }
  static bool nonzero(const MpInterval& v) { return !v.is_empty() && !v.contains_zero(); }
  static std::string text(const MpInterval& v) { return numeric::to_string(v); }
  static MpInterval enclose(const MpInterval& v, mpfr_prec_t prec) {
    return MpInterval(v.lower_mpfr(), v.upper_mpfr(), prec);
  }
  static Rational magnitude(const MpInterval& v) {
    if (!v.is_bounded()) throw Undecided("a coefficient enclosure is unbounded (overflow)");
    return std::max(abs(v.lower_rational()), abs(v.upper_rational()));
  }
};

// The recurrence of formal_solution.hpp over the number type K.
template <class K>
struct Solver {
  using N = Num<K>;
  Equation eq;
  std::vector<Rational> given;
  mpfr_prec_t prec = 0;  // K = MpInterval only
  std::vector<K> c;
  int e0 = 0;
  std::vector<K> ind;  // a_j[e0]
  struct Chain {
    int x_power = 0;
    K coefficient;
    std::vector<int> atoms;              // T^j y factors, with repetition
    std::vector<std::vector<K>> cache;   // per level >= 1: final coefficients
  };
  std::vector<Chain> chains;
  std::vector<K> constants;                 // degree-0 part b(x)
  mutable std::vector<std::vector<K>> qpow;  // qpow[j][k] = (q^j)^k
  std::vector<K> qbase;                     // q^j
  std::vector<long long> dpow;              // d^j (Mahler)

  K make(const Rational& v) const { return N::make(v, prec); }

  Solver(const Equation& equation, std::vector<Rational> given_coefficients, mpfr_prec_t precision)
      : eq(equation), given(std::move(given_coefficients)), prec(precision) {
    qpow.resize(static_cast<std::size_t>(eq.order) + 1);
    dpow.assign(static_cast<std::size_t>(eq.order) + 1, 1);
    for (std::size_t j = 1; j < dpow.size(); ++j) dpow[j] = dpow[j - 1] * eq.d;
    if (eq.type == EquationType::QDifference) {
      K q = q_value();
      K base = make(Rational(1));
      for (int j = 0; j <= eq.order; ++j) {
        qbase.push_back(base);
        base = base * q;
      }
    }
    for (const Term& t : eq.terms) {
      if (t.degree() == 0) {
        while (constants.size() <= static_cast<std::size_t>(t.x_power)) constants.push_back(make(Rational(0)));
        constants[static_cast<std::size_t>(t.x_power)] += term_coefficient(t);
        continue;
      }
      Chain ch{t.x_power, term_coefficient(t), {}, {}};
      for (std::size_t j = 0; j < t.powers.size(); ++j)
        for (int r = 0; r < t.powers[j]; ++r) ch.atoms.push_back(static_cast<int>(j));
      ch.cache.resize(ch.atoms.size());
      chains.push_back(std::move(ch));
    }
    const std::size_t K0 = given.size();
    for (const Rational& v : given) push(make(v));
    std::vector<std::vector<K>> a;
    std::size_t range = K0;
    if (eq.linear()) {
      const auto lc = linear_rows();
      range = 0;
      for (const auto& v : lc) range = std::max(range, v.size());
      for (const auto& v : lc) {
        std::vector<K> row;
        for (std::size_t i = 0; i < range; ++i) row.push_back(i < v.size() ? v[i] : make(Rational(0)));
        a.push_back(std::move(row));
      }
    } else {
      if (K0 == 0)
        fail("a nonlinear equation needs its leading coefficients: give c_0, c_1, ... with 'coefficients'");
      a = linearisation(K0);
    }
    std::size_t order = range;
    for (std::size_t i = 0; i < range && order == range; ++i)
      for (const auto& v : a) {
        if (N::nonzero(v[i])) order = i;
        else if (!N::zero(v[i]))
          throw Undecided("the order of the linearisation is undecided: its coefficient of x^" + std::to_string(i) +
                          " is " + N::text(v[i]));
      }
    if (order == range)
      fail("the linearisation along the given coefficients vanishes up to x^" + std::to_string(range == 0 ? 0 : range - 1) +
           ": give more leading coefficients");
    e0 = static_cast<int>(order);
    for (const auto& v : a) ind.push_back(v[order]);
    for (std::size_t m = 0; m < K0 + order; ++m) {
      const K r = residual(m);
      if (N::nonzero(r))
        fail("the given coefficients do not satisfy the equation: the coefficient of x^" + std::to_string(m) + " of F(y) is " +
             N::text(r) + " instead of 0");
      if (!N::zero(r))
        throw Undecided("whether the given coefficients satisfy the equation is undecided: the coefficient of x^" +
                        std::to_string(m) + " of F(y) is " + N::text(r));
    }
  }

  K q_value() const;
  K term_coefficient(const Term& t) const;              // rational times the constants
  std::vector<std::vector<K>> linear_rows() const;      // a_j of a linear equation

  const K& q_power(int j, std::size_t k) const {
    auto& t = qpow[static_cast<std::size_t>(j)];
    if (t.empty()) t.push_back(make(Rational(1)));
    while (t.size() <= k) t.push_back(t.back() * qbase[static_cast<std::size_t>(j)]);
    return t[k];
  }

  // Coefficient of x^k in T^j y (unknown coefficients count as 0).
  bool atom(int j, std::size_t k, K& out) const {
    std::size_t idx = k;
    if (eq.type == EquationType::Mahler && j > 0) {
      const auto dj = static_cast<std::size_t>(dpow[static_cast<std::size_t>(j)]);
      if (k % dj != 0) return false;
      idx = k / dj;
    }
    if (idx >= c.size() || N::zero(c[idx])) return false;
    switch (eq.type) {
      case EquationType::Differential: {
        if (k == 0 && j != 0) return false;
        numeric::Integer w = 1;
        for (int i = 0; i < j; ++i) w *= static_cast<unsigned long>(k);
        out = c[idx] * make(Rational(w));
        return true;
      }
      case EquationType::QDifference: out = c[idx] * q_power(j, k); return true;
      case EquationType::Mahler: out = c[idx]; return true;
    }
    return false;
  }

  K chain_coef(const Chain& ch, std::size_t level, std::size_t k) const {
    if (level == 0) {
      K v = make(Rational(0));
      return atom(ch.atoms[0], k, v) ? v : make(Rational(0));
    }
    if (k < ch.cache[level].size()) return ch.cache[level][k];
    K sum = make(Rational(0)), a = make(Rational(0));
    for (std::size_t i = 0; i <= k; ++i) {
      if (!atom(ch.atoms[level], k - i, a)) continue;
      const K p = chain_coef(ch, level - 1, i);
      if (!N::zero(p)) sum += p * a;
    }
    return sum;
  }

  void finalise() {
    for (Chain& ch : chains)
      for (std::size_t level = 1; level < ch.atoms.size(); ++level)
        while (ch.cache[level].size() < c.size()) ch.cache[level].push_back(chain_coef(ch, level, ch.cache[level].size()));
  }

  K residual(std::size_t m) const {
    K r = m < constants.size() ? constants[m] : make(Rational(0));
    for (const Chain& ch : chains) {
      if (static_cast<std::size_t>(ch.x_power) > m) continue;
      const K v = chain_coef(ch, ch.atoms.size() - 1, m - static_cast<std::size_t>(ch.x_power));
      if (!N::zero(v)) r += ch.coefficient * v;
    }
    return r;
  }

  std::vector<std::vector<K>> linearisation(std::size_t m) const {
    const auto n = static_cast<std::size_t>(eq.order) + 1;
    const K zero = make(Rational(0));
    std::vector<std::vector<K>> a(n, std::vector<K>(m, zero));
    std::vector<std::vector<K>> series(n, std::vector<K>(m, zero));
    for (std::size_t j = 0; j < n; ++j)
      for (std::size_t k = 0; k < m; ++k) {
        K v = zero;
        if (atom(static_cast<int>(j), k, v)) series[j][k] = v;
      }
    for (const Term& t : eq.terms) {
      for (std::size_t j = 0; j < n; ++j) {
        if (t.powers[j] == 0) continue;
        std::vector<K> prod(m, zero);
        if (static_cast<std::size_t>(t.x_power) < m)
          prod[static_cast<std::size_t>(t.x_power)] = term_coefficient(t) * make(Rational(t.powers[j]));
        for (std::size_t i = 0; i < n; ++i) {
          const int p = t.powers[i] - (i == j ? 1 : 0);
          for (int r = 0; r < p; ++r) {
            std::vector<K> next(m, zero);
            for (std::size_t u = 0; u < m; ++u) {
              if (N::zero(prod[u])) continue;
              for (std::size_t v = 0; u + v < m; ++v)
                if (!N::zero(series[i][v])) next[u + v] += prod[u] * series[i][v];
            }
            prod = std::move(next);
          }
        }
        for (std::size_t u = 0; u < m; ++u) a[j][u] += prod[u];
      }
    }
    return a;
  }

  K indicial(std::size_t k) const {
    K s = make(Rational(0));
    for (std::size_t j = 0; j < ind.size(); ++j) {
      if (N::zero(ind[j])) continue;
      switch (eq.type) {
        case EquationType::Differential: {
          numeric::Integer w = 1;
          for (std::size_t i = 0; i < j; ++i) w *= static_cast<unsigned long>(k);
          s += ind[j] * make(Rational(w));
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

  void push(const K& v) {
    c.push_back(v);
    finalise();
  }

  // Computes the next coefficient c_k, k = c.size().
  void step() {
    const std::size_t k = c.size();
    const K A = residual(k + static_cast<std::size_t>(e0));
    const K L = indicial(k);
    if (N::nonzero(L)) {
      push(-A / L);
      return;
    }
    if (!N::zero(L))
      throw Undecided("Ind(" + std::to_string(k) + ") = " + N::text(L) + " encloses 0: c_" + std::to_string(k) +
                      " cannot be computed (q's enclosure does not decide the resonance)");
    if (N::nonzero(A))
      fail("no formal power series solution: k = " + std::to_string(k) +
           " is a root of the indicial function and the coefficient of x^" + std::to_string(k + static_cast<std::size_t>(e0)) +
           " cannot vanish (the solution needs logarithms or other exponents)");
    if (!N::zero(A))
      throw Undecided("k = " + std::to_string(k) + " is a root of the indicial function and whether the obstruction " +
                      N::text(A) + " vanishes is undecided");
    fail("c_" + std::to_string(k) + " is not determined by the equation (k = " + std::to_string(k) +
         " is a root of the indicial function): give " + (k == 0 ? std::string("c_0") : "c_0, ..., c_" + std::to_string(k)) +
         " with 'coefficients'");
  }
};

template <>
Rational Solver<Rational>::q_value() const {
  return eq.q;
}
template <>
MpInterval Solver<MpInterval>::q_value() const {
  return eq.q_enclosure(prec);
}
template <>
Rational Solver<Rational>::term_coefficient(const Term& t) const {
  return t.coefficient;  // exact data: no irrational constants
}
template <>
MpInterval Solver<MpInterval>::term_coefficient(const Term& t) const {
  return eq.coefficient_enclosure(t, prec);
}
template <>
std::vector<std::vector<Rational>> Solver<Rational>::linear_rows() const {
  return eq.linear_coefficients();
}
template <>
std::vector<std::vector<MpInterval>> Solver<MpInterval>::linear_rows() const {
  return eq.linear_coefficient_enclosures(prec);
}

constexpr mpfr_prec_t kDefaultPrecision = 128;
constexpr mpfr_prec_t kMaxAutoPrecision = 8192;

// width(v) > 2^-bits * mig(v), or v holds 0 without being 0 (when more bits
// could help: not for an overflow to infinity or an underflow next to 0).
bool too_wide(const MpInterval& v, long bits) {
  if (v.is_empty() || !v.is_bounded()) return false;
  if (Num<MpInterval>::zero(v)) return false;
  if (v.contains_zero()) {
    const mpfr_exp_t tiny = mpfr_get_emin() + 64;
    const bool lo_tiny = mpfr_zero_p(v.lower_mpfr()) || mpfr_get_exp(v.lower_mpfr()) < tiny;
    const bool hi_tiny = mpfr_zero_p(v.upper_mpfr()) || mpfr_get_exp(v.upper_mpfr()) < tiny;
    return !(lo_tiny && hi_tiny);
  }
  mpfr_t w, m;
  mpfr_init2(w, 64);
  mpfr_init2(m, 64);
  mpfr_sub(w, v.upper_mpfr(), v.lower_mpfr(), MPFR_RNDU);
  if (mpfr_sgn(v.lower_mpfr()) > 0) mpfr_set(m, v.lower_mpfr(), MPFR_RNDD);
  else mpfr_neg(m, v.upper_mpfr(), MPFR_RNDD);
  mpfr_mul_2si(m, m, -bits, MPFR_RNDD);
  const bool wide = mpfr_cmp(w, m) > 0;
  mpfr_clear(w);
  mpfr_clear(m);
  return wide;
}

}  // namespace

struct FormalSolution::Impl {
  Equation eq;
  std::vector<Rational> given;
  std::unique_ptr<Solver<Rational>> exact;
  std::unique_ptr<Solver<MpInterval>> interval;
  bool q_narrow = false;  // q is known to the working precision (raising it helps)
  std::optional<std::chrono::steady_clock::time_point> deadline;
  std::function<void(std::size_t)> progress;
  std::chrono::steady_clock::time_point last_report = std::chrono::steady_clock::now();

  template <class F>
  decltype(auto) visit(F&& f) const {
    return exact ? f(*exact) : f(*interval);
  }

  // q and the irrational constants are known to `prec` bits (so that more
  // bits narrow the coefficients).
  bool narrow_q(mpfr_prec_t prec) const {
    if (eq.type == EquationType::QDifference) {
      const MpInterval q = eq.q_enclosure(prec);
      if (!(q.is_bounded() && !q.contains_zero() && !too_wide(q, static_cast<long>(prec) - 8))) return false;
    }
    for (const auto& k : eq.constants) {
      const MpInterval v = k->enclose(prec);
      if (!v.is_bounded() || (!Num<MpInterval>::zero(v) && too_wide(v, static_cast<long>(prec) - 8))) return false;
    }
    return true;
  }

  bool can_raise() const { return interval && q_narrow && interval->prec < kMaxAutoPrecision; }

  // A new interval solver at `prec` bits (raised while Undecided, if that can help).
  void build(mpfr_prec_t prec) {
    while (true) {
      q_narrow = narrow_q(prec);
      try {
        interval = std::make_unique<Solver<MpInterval>>(eq, given, prec);
        return;
      } catch (const Undecided&) {
        if (!q_narrow || prec >= kMaxAutoPrecision) throw;
        prec *= 2;
      }
    }
  }

  // Recomputes at `prec` bits up to the current number of coefficients.
  void rebuild(mpfr_prec_t prec) {
    const std::size_t n = interval->c.size();
    build(prec);
    grow(n);
  }

  void grow(std::size_t n) {
    while (size() < n) {
      const std::size_t k = size();
      if ((k & 15) == 0 && (deadline || progress)) {
        const auto now = std::chrono::steady_clock::now();
        if (deadline && now > *deadline) throw SolveTimeout();
        if (progress && now - last_report > std::chrono::seconds(2)) {
          last_report = now;
          progress(k);
        }
      }
      if (exact) {
        exact->step();
        continue;
      }
      try {
        interval->step();
      } catch (const Undecided&) {
        if (!can_raise()) throw;
        rebuild(interval->prec * 2);
        continue;
      }
      if (can_raise() && too_wide(interval->c.back(), static_cast<long>(interval->prec) / 2)) rebuild(interval->prec * 2);
    }
  }

  std::size_t size() const { return exact ? exact->c.size() : interval->c.size(); }
};

FormalSolution::FormalSolution(const Equation& equation, std::vector<Rational> given, mpfr_prec_t precision)
    : impl_(std::make_unique<Impl>()) {
  Impl& s = *impl_;
  s.eq = equation;
  s.given = std::move(given);
  if (equation.exact_data()) s.exact = std::make_unique<Solver<Rational>>(s.eq, s.given, 0);
  else s.build(precision > 0 ? precision : kDefaultPrecision);
}

FormalSolution::~FormalSolution() = default;

void FormalSolution::extend(std::size_t n) { impl_->grow(n); }

void FormalSolution::set_deadline(std::optional<std::chrono::steady_clock::time_point> deadline) {
  impl_->deadline = deadline;
}
void FormalSolution::set_progress(std::function<void(std::size_t)> progress) { impl_->progress = std::move(progress); }

bool FormalSolution::exact() const { return static_cast<bool>(impl_->exact); }
std::size_t FormalSolution::size() const { return impl_->size(); }

const std::vector<Rational>& FormalSolution::coefficients() const {
  if (!impl_->exact) throw std::logic_error("FormalSolution::coefficients: the coefficients are enclosures (irrational q)");
  return impl_->exact->c;
}

MpInterval FormalSolution::coefficient(std::size_t k, mpfr_prec_t prec) const {
  return impl_->visit([&](const auto& s) { return Num<std::decay_t<decltype(s.c[0])>>::enclose(s.c.at(k), prec); });
}

bool FormalSolution::certainly_zero(std::size_t k) const {
  return impl_->visit([&](const auto& s) { return Num<std::decay_t<decltype(s.c[0])>>::zero(s.c.at(k)); });
}

bool FormalSolution::certainly_nonzero(std::size_t k) const {
  return impl_->visit([&](const auto& s) { return Num<std::decay_t<decltype(s.c[0])>>::nonzero(s.c.at(k)); });
}

Rational FormalSolution::magnitude_upper(std::size_t k) const {
  return impl_->visit([&](const auto& s) { return Num<std::decay_t<decltype(s.c[0])>>::magnitude(s.c.at(k)); });
}

mpfr_prec_t FormalSolution::precision() const { return impl_->exact ? 0 : impl_->interval->prec; }

void FormalSolution::raise_precision(mpfr_prec_t bits) {
  if (impl_->exact || bits <= impl_->interval->prec || !impl_->q_narrow) return;
  impl_->rebuild(bits);
}

int FormalSolution::e0() const {
  return impl_->visit([](const auto& s) { return s.e0; });
}
std::size_t FormalSolution::given() const { return impl_->given.size(); }

Rational FormalSolution::indicial(std::size_t k) const {
  if (!impl_->exact) throw std::logic_error("FormalSolution::indicial: irrational q (use indicial_enclosure)");
  return impl_->exact->indicial(k);
}

MpInterval FormalSolution::indicial_enclosure(std::size_t k, mpfr_prec_t prec) const {
  return impl_->visit([&](const auto& s) { return Num<std::decay_t<decltype(s.c[0])>>::enclose(s.indicial(k), prec); });
}

std::vector<std::vector<Rational>> FormalSolution::linearisation(std::size_t m) const {
  if (!impl_->exact) throw std::logic_error("FormalSolution::linearisation: irrational q (use linearisation_enclosure)");
  return impl_->exact->linearisation(m);
}

std::vector<std::vector<MpInterval>> FormalSolution::linearisation_enclosure(std::size_t m, mpfr_prec_t prec) const {
  return impl_->visit([&](const auto& s) {
    using K = std::decay_t<decltype(s.c[0])>;
    std::vector<std::vector<MpInterval>> out;
    for (const auto& row : s.linearisation(m)) {
      std::vector<MpInterval> r;
      for (const auto& v : row) r.push_back(Num<K>::enclose(v, prec));
      out.push_back(std::move(r));
    }
    return out;
  });
}

Rational FormalSolution::residual(std::size_t m) const {
  if (!impl_->exact) throw std::logic_error("FormalSolution::residual: irrational q");
  return impl_->exact->residual(m);
}

const Equation& FormalSolution::equation() const { return impl_->eq; }

}  // namespace cerval::series
