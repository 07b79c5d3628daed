// Throughput of the numeric layer's arithmetic: + * / exp sin cos on plain
// double (libm, no rigor), Interval (binary64, error-free-transformation
// rounding; exp, sin and cos in binary64, other transcendentals through
// MPFI), MpInterval at 53 and 256 bits, and raw MPFR at 53 bits rounded down
// and up (two calls per operation, preallocated outputs: the cost floor of an
// MPFR-based enclosure).
//
// Every figure comes from the same run; the ratios to plain double and to raw
// MPFR are what matter (docs/DESIGN.md: benchmarks report ratios against a
// baseline measured in the same process). Each measurement applies the
// operation to an array of independent inputs, stores every result, and
// folds the results into a volatile sink, so nothing can be optimised away;
// the best of several repetitions is reported.
//
// Usage: numeric_throughput [seconds-per-measurement]   (default 0.2)
#include <cerval/numeric/interval.hpp>
#include <cerval/numeric/mp_interval.hpp>

#include <mpfr.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <iterator>
#include <random>
#include <string>
#include <type_traits>
#include <vector>

using cerval::numeric::Interval;
using cerval::numeric::MpInterval;

namespace {

volatile double g_sink = 0;

constexpr std::size_t kBatch = 1024;  // inputs per pass

// Nanoseconds per operation: runs `pass` (kBatch operations) until `budget`
// seconds have elapsed, best of 3 repetitions.
double ns_per_op(const std::function<void()>& pass, double budget) {
  using clock = std::chrono::steady_clock;
  pass();  // warm up
  double best = 1e300;
  for (int rep = 0; rep < 3; ++rep) {
    std::size_t passes = 0;
    const auto start = clock::now();
    double elapsed = 0;
    do {
      pass();
      ++passes;
      elapsed = std::chrono::duration<double>(clock::now() - start).count();
    } while (elapsed < budget / 3);
    best = std::min(best, elapsed * 1e9 / static_cast<double>(passes * kBatch));
  }
  return best;
}

struct Inputs {
  std::vector<double> a, b;  // arithmetic operands in [0.5, 2]
  std::vector<double> t;     // transcendental arguments in [-10, 10]
};

Inputs make_inputs() {
  std::mt19937_64 gen(20261128);
  std::uniform_real_distribution<double> ab(0.5, 2.0), tr(-10.0, 10.0);
  Inputs in;
  for (std::size_t i = 0; i < kBatch; ++i) {
    in.a.push_back(ab(gen));
    in.b.push_back(ab(gen));
    in.t.push_back(tr(gen));
  }
  return in;
}

enum class Op { Add, Mul, Div, Exp, Sin, Cos };
constexpr Op kOps[] = {Op::Add, Op::Mul, Op::Div, Op::Exp, Op::Sin, Op::Cos};
constexpr int kNumOps = static_cast<int>(std::size(kOps));
const char* name(Op op) {
  switch (op) {
    case Op::Add: return "+";
    case Op::Mul: return "*";
    case Op::Div: return "/";
    case Op::Exp: return "exp";
    case Op::Sin: return "sin";
    case Op::Cos: return "cos";
  }
  return "?";
}

// --- plain double ----------------------------------------------------------

double bench_double(Op op, const Inputs& in, double budget) {
  std::vector<double> out(kBatch);
  auto fold = [&] {
    double s = 0;
    for (double v : out) s += v;
    g_sink = g_sink + s;
  };
  switch (op) {
    case Op::Add: return ns_per_op([&] { for (std::size_t i = 0; i < kBatch; ++i) out[i] = in.a[i] + in.b[i]; fold(); }, budget);
    case Op::Mul: return ns_per_op([&] { for (std::size_t i = 0; i < kBatch; ++i) out[i] = in.a[i] * in.b[i]; fold(); }, budget);
    case Op::Div: return ns_per_op([&] { for (std::size_t i = 0; i < kBatch; ++i) out[i] = in.a[i] / in.b[i]; fold(); }, budget);
    case Op::Exp: return ns_per_op([&] { for (std::size_t i = 0; i < kBatch; ++i) out[i] = std::exp(in.t[i]); fold(); }, budget);
    case Op::Sin: return ns_per_op([&] { for (std::size_t i = 0; i < kBatch; ++i) out[i] = std::sin(in.t[i]); fold(); }, budget);
    case Op::Cos: return ns_per_op([&] { for (std::size_t i = 0; i < kBatch; ++i) out[i] = std::cos(in.t[i]); fold(); }, budget);
  }
  return 0;
}

// --- Interval and MpInterval (same code through templates) ----------------

template <class I, class Make>
double bench_interval(Op op, const Inputs& in, double budget, Make make) {
  std::vector<I> a, b, t, out;
  for (std::size_t i = 0; i < kBatch; ++i) {
    a.push_back(make(in.a[i]));
    b.push_back(make(in.b[i]));
    t.push_back(make(in.t[i]));
    out.push_back(make(0.0));
  }
  auto upper = [](const I& v) {
    if constexpr (std::is_same_v<I, Interval>) return v.upper();
    else return v.upper_up();
  };
  auto fold2 = [&] {
    double s = 0;
    for (const I& v : out) s += upper(v);
    g_sink = g_sink + s;
  };
  switch (op) {
    case Op::Add: return ns_per_op([&] { for (std::size_t i = 0; i < kBatch; ++i) out[i] = a[i] + b[i]; fold2(); }, budget);
    case Op::Mul: return ns_per_op([&] { for (std::size_t i = 0; i < kBatch; ++i) out[i] = a[i] * b[i]; fold2(); }, budget);
    case Op::Div: return ns_per_op([&] { for (std::size_t i = 0; i < kBatch; ++i) out[i] = a[i] / b[i]; fold2(); }, budget);
    case Op::Exp: return ns_per_op([&] { for (std::size_t i = 0; i < kBatch; ++i) out[i] = exp(t[i]); fold2(); }, budget);
    case Op::Sin: return ns_per_op([&] { for (std::size_t i = 0; i < kBatch; ++i) out[i] = sin(t[i]); fold2(); }, budget);
    case Op::Cos: return ns_per_op([&] { for (std::size_t i = 0; i < kBatch; ++i) out[i] = cos(t[i]); fold2(); }, budget);
  }
  return 0;
}

// --- raw MPFR at 53 bits, rounded down and up ------------------------------

struct MpfrArray {
  std::vector<__mpfr_struct> v;
  explicit MpfrArray(std::size_t n) : v(n) {
    for (auto& x : v) mpfr_init2(&x, 53);
  }
  ~MpfrArray() {
    for (auto& x : v) mpfr_clear(&x);
  }
  MpfrArray(const MpfrArray&) = delete;
  MpfrArray& operator=(const MpfrArray&) = delete;
  mpfr_ptr operator[](std::size_t i) { return &v[i]; }
};

double bench_mpfr(Op op, const Inputs& in, double budget) {
  MpfrArray a(kBatch), b(kBatch), t(kBatch), lo(kBatch), hi(kBatch);
  for (std::size_t i = 0; i < kBatch; ++i) {
    mpfr_set_d(a[i], in.a[i], MPFR_RNDN);
    mpfr_set_d(b[i], in.b[i], MPFR_RNDN);
    mpfr_set_d(t[i], in.t[i], MPFR_RNDN);
  }
  auto fold = [&] {
    double s = 0;
    for (std::size_t i = 0; i < kBatch; ++i) s += mpfr_get_d(hi[i], MPFR_RNDU) - mpfr_get_d(lo[i], MPFR_RNDD);
    g_sink = g_sink + s;
  };
  auto run = [&](auto f) {
    return ns_per_op([&] {
      for (std::size_t i = 0; i < kBatch; ++i) f(i);
      fold();
    }, budget);
  };
  switch (op) {
    case Op::Add: return run([&](std::size_t i) { mpfr_add(lo[i], a[i], b[i], MPFR_RNDD); mpfr_add(hi[i], a[i], b[i], MPFR_RNDU); });
    case Op::Mul: return run([&](std::size_t i) { mpfr_mul(lo[i], a[i], b[i], MPFR_RNDD); mpfr_mul(hi[i], a[i], b[i], MPFR_RNDU); });
    case Op::Div: return run([&](std::size_t i) { mpfr_div(lo[i], a[i], b[i], MPFR_RNDD); mpfr_div(hi[i], a[i], b[i], MPFR_RNDU); });
    case Op::Exp: return run([&](std::size_t i) { mpfr_exp(lo[i], t[i], MPFR_RNDD); mpfr_exp(hi[i], t[i], MPFR_RNDU); });
    case Op::Sin: return run([&](std::size_t i) { mpfr_sin(lo[i], t[i], MPFR_RNDD); mpfr_sin(hi[i], t[i], MPFR_RNDU); });
    case Op::Cos: return run([&](std::size_t i) { mpfr_cos(lo[i], t[i], MPFR_RNDD); mpfr_cos(hi[i], t[i], MPFR_RNDU); });
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const double budget = argc > 1 ? std::atof(argv[1]) : 0.2;
  if (!(budget > 0)) {
    std::fprintf(stderr, "usage: %s [seconds-per-measurement]\n", argv[0]);
    return 64;
  }
  const Inputs in = make_inputs();
  const char* columns[] = {"double", "Interval", "MpInterval53", "MpInterval256", "MPFR53 d+u"};
  constexpr int kColumns = 5;
  double ns[kNumOps][kColumns];
  for (int k = 0; k < kNumOps; ++k) {
    const Op op = kOps[k];
    ns[k][0] = bench_double(op, in, budget);
    ns[k][1] = bench_interval<Interval>(op, in, budget, [](double x) { return Interval(x, std::nextafter(x, 1e300)); });
    ns[k][2] = bench_interval<MpInterval>(op, in, budget, [](double x) { return MpInterval(x, std::nextafter(x, 1e300), 53); });
    ns[k][3] = bench_interval<MpInterval>(op, in, budget, [](double x) { return MpInterval(x, std::nextafter(x, 1e300), 256); });
    ns[k][4] = bench_mpfr(op, in, budget);
  }

  std::printf("numeric_throughput: %zu independent operations per pass, best of 3, %.2f s per measurement\n\n", kBatch,
              budget);
  std::printf("nanoseconds per operation (million operations per second)\n");
  std::printf("%-5s", "op");
  for (const char* c : columns) std::printf(" %22s", c);
  std::printf("\n");
  for (int k = 0; k < kNumOps; ++k) {
    std::printf("%-5s", name(kOps[k]));
    for (int c = 0; c < kColumns; ++c) std::printf(" %12.2f (%7.2f)", ns[k][c], 1e3 / ns[k][c]);
    std::printf("\n");
  }
  std::printf("\nslowdown relative to plain double (time ratio)\n%-5s", "op");
  for (const char* c : columns) std::printf(" %14s", c);
  std::printf("\n");
  for (int k = 0; k < kNumOps; ++k) {
    std::printf("%-5s", name(kOps[k]));
    for (int c = 0; c < kColumns; ++c) std::printf(" %14.1f", ns[k][c] / ns[k][0]);
    std::printf("\n");
  }
  std::printf("\nrelative to raw MPFR at 53 bits, rounded down and up (time ratio; < 1 is faster)\n%-5s", "op");
  for (const char* c : columns) std::printf(" %14s", c);
  std::printf("\n");
  for (int k = 0; k < kNumOps; ++k) {
    std::printf("%-5s", name(kOps[k]));
    for (int c = 0; c < kColumns; ++c) std::printf(" %14.3f", ns[k][c] / ns[k][4]);
    std::printf("\n");
  }
  std::printf("\n(sink %g)\n", static_cast<double>(g_sink));
  return 0;
}
