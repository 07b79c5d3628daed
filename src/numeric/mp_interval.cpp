#include <cerval/numeric/mp_interval.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <ostream>
#include <stdexcept>
#include <vector>

namespace cerval::numeric {

namespace detail {
struct MpIntervalAccess {
  static mpfi_ptr raw(MpInterval& x) noexcept { return x.v_; }
};
}  // namespace detail

namespace {

using detail::MpIntervalAccess;

mpfi_ptr raw(MpInterval& x) noexcept { return MpIntervalAccess::raw(x); }

void check_precision(mpfr_prec_t prec) {
  if (prec < MpInterval::kMinPrecision || prec > MPFR_PREC_MAX)
    throw std::invalid_argument("MpInterval precision out of range: " + std::to_string(prec));
}

void check_endpoints(double lo, double hi) {
  if (std::isnan(lo) || std::isnan(hi)) throw std::invalid_argument("interval endpoint is NaN");
  if (lo > hi) throw std::invalid_argument("interval lower endpoint exceeds upper endpoint");
  if (lo == std::numeric_limits<double>::infinity() || hi == -std::numeric_limits<double>::infinity())
    throw std::invalid_argument("interval has no real point");
}

bool nan_endpoint(mpfi_srcptr v) noexcept { return mpfr_nan_p(&v->left) || mpfr_nan_p(&v->right); }

// Released intervals' limbs, reused by the next intervals of the same
// precision: mpfi_init2 and mpfi_clear (two allocations and two frees per
// interval) were about half of the certificate checker's time on regression
// certificates, whose evaluations create and drop millions of temporaries.
// An acquired interval holds whatever value its last owner left; every
// constructor sets both endpoints before the value is read. Per thread, so
// no locking; an interval released on another thread joins that thread's
// pool (the limbs come from GMP's allocator either way).
class LimbPool {
 public:
  ~LimbPool() {
    destroyed_ = true;
    for (auto& bucket : buckets_)
      for (auto& v : bucket.free) mpfi_clear(&v);
  }
  static void acquire(mpfi_ptr v, mpfr_prec_t prec) {
    if (Bucket* bucket = destroyed_ ? nullptr : instance().bucket(prec, false); bucket && !bucket->free.empty()) {
      *v = bucket->free.back();
      bucket->free.pop_back();
      return;
    }
    mpfi_init2(v, prec);
  }
  static void release(mpfi_ptr v) noexcept {
    Bucket* bucket = destroyed_ ? nullptr : instance().bucket(mpfr_get_prec(&v->left), true);
    if (bucket && bucket->free.size() < kMaxPerPrecision) {
      try {
        bucket->free.push_back(*v);
        return;
      } catch (...) {
      }
    }
    mpfi_clear(v);
  }

 private:
  struct Bucket {
    mpfr_prec_t prec;
    std::vector<__mpfi_struct> free;
  };
  static constexpr std::size_t kMaxPerPrecision = 1 << 16;
  static constexpr std::size_t kMaxPrecisions = 8;
  // The bucket of `prec`; with `create`, a new one while fewer than
  // kMaxPrecisions exist. nullptr otherwise (also when out of memory).
  Bucket* bucket(mpfr_prec_t prec, bool create) noexcept {
    for (auto& b : buckets_)
      if (b.prec == prec) return &b;
    if (!create || buckets_.size() >= kMaxPrecisions) return nullptr;
    try {
      buckets_.push_back(Bucket{prec, {}});
    } catch (...) {
      return nullptr;
    }
    return &buckets_.back();
  }
  static LimbPool& instance() {
    thread_local LimbPool pool;
    return pool;
  }
  // Trivially destructible, so still readable while thread-local and static
  // intervals are destroyed after the pool.
  static thread_local bool destroyed_;
  std::vector<Bucket> buckets_;
};

thread_local bool LimbPool::destroyed_ = false;

void set_empty(mpfi_ptr v) noexcept {
  mpfr_set_nan(&v->left);
  mpfr_set_nan(&v->right);
}

void set_entire(mpfi_ptr v) noexcept {
  mpfr_set_inf(&v->left, -1);
  mpfr_set_inf(&v->right, 1);
}

// Called on the result of every MPFI routine whose inputs were nonempty and
// inside its domain. MPFI signals an undecided result with a NaN endpoint;
// entire is always an enclosure. An endpoint at the wrong infinity (lower
// +inf / upper -inf) cannot bound real values: replace it by the nearest
// finite MPFR number, which is still outward.
void finish(mpfi_ptr v) noexcept {
  if (nan_endpoint(v)) {
    set_entire(v);
    return;
  }
  if (mpfr_inf_p(&v->left) && mpfr_sgn(&v->left) > 0) mpfr_nextbelow(&v->left);
  if (mpfr_inf_p(&v->right) && mpfr_sgn(&v->right) < 0) mpfr_nextabove(&v->right);
}

mpfr_prec_t joint_precision(const MpInterval& a, const MpInterval& b) noexcept {
  return std::max(a.precision(), b.precision());
}

// Exact rational value of a finite MPFR number.
Rational exact_rational(mpfr_srcptr x) {
  if (!mpfr_number_p(x)) throw std::domain_error("MpInterval endpoint is not finite");
  Rational r;
  if (mpfr_zero_p(x)) return r;
  Integer m;
  const mpfr_exp_t e = mpfr_get_z_2exp(m.backend().data(), x);
  mpq_set_z(r.backend().data(), m.backend().data());
  if (e >= 0)
    mpq_mul_2exp(r.backend().data(), r.backend().data(), static_cast<mp_bitcnt_t>(e));
  else
    mpq_div_2exp(r.backend().data(), r.backend().data(), static_cast<mp_bitcnt_t>(-e));
  return r;
}

// x intersected with [lo, hi] (lo, hi representable at 2 bits), at x's precision.
MpInterval clip(const MpInterval& x, double lo, double hi) {
  MpInterval r(x);
  if (r.is_empty()) return r;
  mpfi_ptr v = raw(r);
  if (mpfr_cmp_d(&v->left, lo) < 0) mpfr_set_d(&v->left, lo, MPFR_RNDD);
  if (mpfr_cmp_d(&v->right, hi) > 0) mpfr_set_d(&v->right, hi, MPFR_RNDU);
  if (mpfr_cmp(&v->left, &v->right) > 0) set_empty(v);
  return r;
}

bool has_infinite_endpoint(const MpInterval& x) noexcept {
  return mpfr_inf_p(x.lower_mpfr()) || mpfr_inf_p(x.upper_mpfr());
}

// f applied through MPFI to a nonempty input inside f's domain, at the
// input's precision.
MpInterval through_mpfi(int (*f)(mpfi_ptr, mpfi_srcptr), const MpInterval& x) {
  MpInterval r(x.precision());
  f(raw(r), x.get());
  finish(raw(r));
  return r;
}

using Binary = int (*)(mpfi_ptr, mpfi_srcptr, mpfi_srcptr);

MpInterval binary_mpfi(Binary f, const MpInterval& a, const MpInterval& b) {
  MpInterval r(joint_precision(a, b));
  if (a.is_empty() || b.is_empty()) {
    set_empty(raw(r));
    return r;
  }
  f(raw(r), a.get(), b.get());
  finish(raw(r));
  return r;
}

// Decimal text of a nonempty endpoint with `digits` significant digits,
// rounded in direction `rnd` ("-oo" / "+oo" for infinities).
std::string endpoint_text(mpfr_srcptr x, std::size_t digits, mpfr_rnd_t rnd) {
  if (mpfr_inf_p(x)) return mpfr_sgn(x) < 0 ? "-oo" : "+oo";
  if (mpfr_zero_p(x)) return "0";
  mpfr_exp_t e10 = 0;
  char* raw_digits = mpfr_get_str(nullptr, &e10, 10, digits, x, rnd);
  std::string s(raw_digits);
  mpfr_free_str(raw_digits);
  std::string sign;
  if (!s.empty() && s[0] == '-') {
    sign = "-";
    s.erase(0, 1);
  }
  // value = 0.s * 10^e10 = s[0].s[1..] * 10^(e10 - 1)
  const long exponent = static_cast<long>(e10) - 1;
  while (s.size() > 1 && s.back() == '0') s.pop_back();
  if (exponent >= 0 && exponent < 17) {
    if (static_cast<long>(s.size()) <= exponent + 1) return sign + s + std::string(exponent + 1 - s.size(), '0');
    return sign + s.substr(0, exponent + 1) + "." + s.substr(exponent + 1);
  }
  if (exponent < 0 && exponent >= -5) return sign + "0." + std::string(-exponent - 1, '0') + s;
  std::string mantissa = s.substr(0, 1);
  if (s.size() > 1) mantissa += "." + s.substr(1);
  return sign + mantissa + "e" + std::to_string(exponent);
}

}  // namespace

// ---------------------------------------------------------------------------
// Construction, copy, move

MpInterval::MpInterval(mpfr_prec_t prec) {
  check_precision(prec);
  LimbPool::acquire(v_, prec);
  mpfr_set_zero(&v_->left, 1);
  mpfr_set_zero(&v_->right, 1);
}

MpInterval::MpInterval(double lo, double hi, mpfr_prec_t prec) {
  check_precision(prec);
  check_endpoints(lo, hi);
  LimbPool::acquire(v_, prec);
  mpfr_set_d(&v_->left, lo, MPFR_RNDD);
  mpfr_set_d(&v_->right, hi, MPFR_RNDU);
}

MpInterval::MpInterval(mpfr_srcptr lo, mpfr_srcptr hi, mpfr_prec_t prec) {
  check_precision(prec);
  if (mpfr_nan_p(lo) || mpfr_nan_p(hi)) throw std::invalid_argument("interval endpoint is NaN");
  if (mpfr_cmp(lo, hi) > 0) throw std::invalid_argument("interval lower endpoint exceeds upper endpoint");
  if ((mpfr_inf_p(lo) && mpfr_sgn(lo) > 0) || (mpfr_inf_p(hi) && mpfr_sgn(hi) < 0))
    throw std::invalid_argument("interval has no real point");
  LimbPool::acquire(v_, prec);
  mpfr_set(&v_->left, lo, MPFR_RNDD);
  mpfr_set(&v_->right, hi, MPFR_RNDU);
}

MpInterval::MpInterval(const Interval& x, mpfr_prec_t prec) {
  check_precision(prec);
  LimbPool::acquire(v_, prec);
  if (x.is_empty()) {
    set_empty(v_);
  } else {
    mpfr_set_d(&v_->left, x.lower(), MPFR_RNDD);
    mpfr_set_d(&v_->right, x.upper(), MPFR_RNDU);
  }
}

MpInterval MpInterval::enclose(const Rational& q, mpfr_prec_t prec) {
  MpInterval r(prec);
  mpfr_set_q(&r.v_->left, q.backend().data(), MPFR_RNDD);
  mpfr_set_q(&r.v_->right, q.backend().data(), MPFR_RNDU);
  return r;
}

MpInterval MpInterval::enclose(const Rational& lo, const Rational& hi, mpfr_prec_t prec) {
  if (lo > hi) throw std::invalid_argument("interval lower endpoint exceeds upper endpoint");
  MpInterval r(prec);
  mpfr_set_q(&r.v_->left, lo.backend().data(), MPFR_RNDD);
  mpfr_set_q(&r.v_->right, hi.backend().data(), MPFR_RNDU);
  return r;
}

MpInterval MpInterval::from_decimal(std::string_view text, mpfr_prec_t prec) {
  check_precision(prec);
  const auto q = parse_decimal(text);
  if (!q) throw std::invalid_argument("not a decimal literal: " + std::string(text));
  return enclose(*q, prec);
}

MpInterval MpInterval::pi(mpfr_prec_t prec) {
  MpInterval r(prec);
  mpfi_const_pi(r.v_);
  finish(r.v_);
  return r;
}

MpInterval MpInterval::empty(mpfr_prec_t prec) {
  MpInterval r(prec);
  set_empty(r.v_);
  return r;
}

MpInterval MpInterval::entire(mpfr_prec_t prec) {
  MpInterval r(prec);
  set_entire(r.v_);
  return r;
}

MpInterval::MpInterval(const MpInterval& other) {
  LimbPool::acquire(v_, other.precision());
  mpfr_set(&v_->left, &other.v_->left, MPFR_RNDD);  // same precision: exact
  mpfr_set(&v_->right, &other.v_->right, MPFR_RNDU);
}

// The moved-from object keeps null limb pointers (the idiom Boost's MPFR
// backend uses); the destructor and the assignments recognise that state.
MpInterval::MpInterval(MpInterval&& other) noexcept {
  v_[0] = other.v_[0];
  other.v_->left._mpfr_d = nullptr;
  other.v_->right._mpfr_d = nullptr;
}

MpInterval& MpInterval::operator=(const MpInterval& other) {
  if (this == &other) return *this;
  if (v_->left._mpfr_d == nullptr)
    LimbPool::acquire(v_, other.precision());
  else if (precision() != other.precision())
    mpfi_set_prec(v_, other.precision());
  mpfr_set(&v_->left, &other.v_->left, MPFR_RNDD);
  mpfr_set(&v_->right, &other.v_->right, MPFR_RNDU);
  return *this;
}

MpInterval& MpInterval::operator=(MpInterval&& other) noexcept {
  if (this == &other) return *this;
  if (v_->left._mpfr_d == nullptr) {
    v_[0] = other.v_[0];
    other.v_->left._mpfr_d = nullptr;
    other.v_->right._mpfr_d = nullptr;
  } else {
    mpfi_swap(v_, other.v_);
  }
  return *this;
}

MpInterval::~MpInterval() {
  if (v_->left._mpfr_d != nullptr) LimbPool::release(v_);
}

// ---------------------------------------------------------------------------
// Queries

bool MpInterval::is_empty() const noexcept { return nan_endpoint(v_); }

bool MpInterval::is_point() const noexcept {
  return !is_empty() && mpfr_equal_p(&v_->left, &v_->right);
}

bool MpInterval::is_bounded() const noexcept {
  return !is_empty() && mpfr_number_p(&v_->left) && mpfr_number_p(&v_->right);
}

bool MpInterval::contains(const Rational& q) const {
  if (is_empty()) return false;
  return mpfr_cmp_q(&v_->left, q.backend().data()) <= 0 && mpfr_cmp_q(&v_->right, q.backend().data()) >= 0;
}

bool MpInterval::contains(double v) const noexcept {
  if (is_empty() || std::isnan(v)) return false;
  return mpfr_cmp_d(&v_->left, v) <= 0 && mpfr_cmp_d(&v_->right, v) >= 0;
}

bool MpInterval::contains(const MpInterval& y) const noexcept {
  if (y.is_empty()) return true;
  if (is_empty()) return false;
  return mpfr_cmp(&v_->left, &y.v_->left) <= 0 && mpfr_cmp(&y.v_->right, &v_->right) <= 0;
}

bool MpInterval::certainly_ge(double c) const noexcept {
  return !is_empty() && !std::isnan(c) && mpfr_cmp_d(&v_->left, c) >= 0;
}
bool MpInterval::certainly_gt(double c) const noexcept {
  return !is_empty() && !std::isnan(c) && mpfr_cmp_d(&v_->left, c) > 0;
}
bool MpInterval::certainly_le(double c) const noexcept {
  return !is_empty() && !std::isnan(c) && mpfr_cmp_d(&v_->right, c) <= 0;
}
bool MpInterval::certainly_lt(double c) const noexcept {
  return !is_empty() && !std::isnan(c) && mpfr_cmp_d(&v_->right, c) < 0;
}

double MpInterval::lower_down() const noexcept {
  if (is_empty()) return std::numeric_limits<double>::quiet_NaN();
  return mpfr_get_d(&v_->left, MPFR_RNDD);
}

double MpInterval::upper_up() const noexcept {
  if (is_empty()) return std::numeric_limits<double>::quiet_NaN();
  return mpfr_get_d(&v_->right, MPFR_RNDU);
}

Interval MpInterval::to_interval() const {
  if (is_empty()) return Interval::empty();
  return Interval(lower_down(), upper_up());
}

Rational MpInterval::lower_rational() const {
  if (is_empty()) throw std::domain_error("lower endpoint of an empty MpInterval");
  return exact_rational(&v_->left);
}

Rational MpInterval::upper_rational() const {
  if (is_empty()) throw std::domain_error("upper endpoint of an empty MpInterval");
  return exact_rational(&v_->right);
}

Rational MpInterval::midpoint_rational() const {
  if (!is_bounded()) throw std::domain_error("midpoint of an empty or unbounded MpInterval");
  return (lower_rational() + upper_rational()) / 2;
}

double MpInterval::width() const noexcept {
  if (is_empty()) return 0.0;
  if (!is_bounded()) return std::numeric_limits<double>::infinity();
  mpfr_t w;
  mpfr_init2(w, 53);
  mpfr_sub(w, &v_->right, &v_->left, MPFR_RNDU);
  const double d = mpfr_get_d(w, MPFR_RNDU);
  mpfr_clear(w);
  return d;
}

bool operator==(const MpInterval& a, const MpInterval& b) noexcept {
  if (a.is_empty() || b.is_empty()) return a.is_empty() && b.is_empty();
  return mpfr_equal_p(a.lower_mpfr(), b.lower_mpfr()) && mpfr_equal_p(a.upper_mpfr(), b.upper_mpfr());
}

// ---------------------------------------------------------------------------
// Arithmetic

MpInterval& MpInterval::operator+=(const MpInterval& y) { return *this = *this + y; }
MpInterval& MpInterval::operator-=(const MpInterval& y) { return *this = *this - y; }
MpInterval& MpInterval::operator*=(const MpInterval& y) { return *this = *this * y; }
MpInterval& MpInterval::operator/=(const MpInterval& y) { return *this = *this / y; }

MpInterval operator+(const MpInterval& a, const MpInterval& b) { return binary_mpfi(mpfi_add, a, b); }

MpInterval operator-(const MpInterval& a, const MpInterval& b) { return binary_mpfi(mpfi_sub, a, b); }

MpInterval operator*(const MpInterval& a, const MpInterval& b) {
  // A factor [0, 0] annihilates even unbounded factors (0 * inf := 0 for
  // endpoints, as in detail/directed_rounding.hpp); handled here so that no
  // endpoint product 0 * inf reaches MPFR (where it is NaN).
  if (!a.is_empty() && !b.is_empty() && ((mpfr_zero_p(a.lower_mpfr()) && mpfr_zero_p(a.upper_mpfr())) ||
                                         (mpfr_zero_p(b.lower_mpfr()) && mpfr_zero_p(b.upper_mpfr()))))
    return MpInterval(joint_precision(a, b));
  return binary_mpfi(mpfi_mul, a, b);
}

MpInterval operator/(const MpInterval& a, const MpInterval& b) {
  MpInterval r(joint_precision(a, b));
  mpfi_ptr v = raw(r);
  if (a.is_empty() || b.is_empty()) {
    set_empty(v);
    return r;
  }
  mpfr_srcptr al = a.lower_mpfr(), au = a.upper_mpfr();
  mpfr_srcptr bl = b.lower_mpfr(), bu = b.upper_mpfr();
  const int sbl = mpfr_sgn(bl), sbu = mpfr_sgn(bu);
  if (sbl > 0 || sbu < 0) {  // 0 not in b: MPFI's own case analysis
    mpfi_div(v, a.get(), b.get());
    finish(v);
    return r;
  }
  if (sbl == 0 && sbu == 0) {  // b = [0, 0]: no nonzero divisor
    set_empty(v);
    return r;
  }
  const int sal = mpfr_sgn(al), sau = mpfr_sgn(au);
  if (sal == 0 && sau == 0) return r;  // 0 / y = 0 for every nonzero y
  if (sbl < 0 && sbu > 0) {            // 0 interior to b
    set_entire(v);
    return r;
  }
  if (sbl == 0) {  // b = [0, bu], bu > 0: divisors y in (0, bu]
    if (sal >= 0) {  // a >= 0: [al / bu, +inf)
      mpfr_div(&v->left, al, bu, MPFR_RNDD);
      mpfr_set_inf(&v->right, 1);
    } else if (sau <= 0) {  // a <= 0: (-inf, au / bu]
      mpfr_set_inf(&v->left, -1);
      mpfr_div(&v->right, au, bu, MPFR_RNDU);
    } else {
      set_entire(v);
    }
  } else {  // b = [bl, 0], bl < 0: divisors y in [bl, 0)
    if (sal >= 0) {  // a >= 0: (-inf, al / bl]
      mpfr_set_inf(&v->left, -1);
      mpfr_div(&v->right, al, bl, MPFR_RNDU);
    } else if (sau <= 0) {  // a <= 0: [au / bl, +inf)
      mpfr_div(&v->left, au, bl, MPFR_RNDD);
      mpfr_set_inf(&v->right, 1);
    } else {
      set_entire(v);
    }
  }
  finish(v);
  return r;
}

MpInterval operator-(const MpInterval& a) {
  MpInterval r(a.precision());
  if (a.is_empty()) {
    set_empty(raw(r));
    return r;
  }
  mpfi_neg(raw(r), a.get());
  return r;
}

// ---------------------------------------------------------------------------
// Set operations

MpInterval hull(const MpInterval& a, const MpInterval& b) {
  MpInterval r(joint_precision(a, b));
  mpfi_ptr v = raw(r);
  if (a.is_empty() && b.is_empty()) {
    set_empty(v);
  } else if (a.is_empty() || b.is_empty()) {
    const MpInterval& x = a.is_empty() ? b : a;
    mpfr_set(&v->left, x.lower_mpfr(), MPFR_RNDD);
    mpfr_set(&v->right, x.upper_mpfr(), MPFR_RNDU);
  } else {
    mpfr_min(&v->left, a.lower_mpfr(), b.lower_mpfr(), MPFR_RNDD);
    mpfr_max(&v->right, a.upper_mpfr(), b.upper_mpfr(), MPFR_RNDU);
  }
  return r;
}

MpInterval intersect(const MpInterval& a, const MpInterval& b) {
  MpInterval r(joint_precision(a, b));
  mpfi_ptr v = raw(r);
  if (a.is_empty() || b.is_empty()) {
    set_empty(v);
    return r;
  }
  mpfr_max(&v->left, a.lower_mpfr(), b.lower_mpfr(), MPFR_RNDD);
  mpfr_min(&v->right, a.upper_mpfr(), b.upper_mpfr(), MPFR_RNDU);
  if (mpfr_cmp(&v->left, &v->right) > 0) set_empty(v);
  return r;
}

std::pair<MpInterval, MpInterval> bisect(const MpInterval& x) {
  if (x.is_empty()) throw std::domain_error("bisect of an empty MpInterval");
  MpInterval m(x.precision());
  mpfr_ptr mid = &raw(m)->left;
  if (x.is_bounded()) {
    mpfr_add(mid, x.lower_mpfr(), x.upper_mpfr(), MPFR_RNDN);
    mpfr_div_2ui(mid, mid, 1, MPFR_RNDN);
  } else {
    // Same choice as Interval::midpoint for unbounded intervals.
    mpfr_set_d(mid, x.to_interval().midpoint(), MPFR_RNDN);
  }
  // Keep the split point inside [lower, upper] whatever the rounding did.
  mpfr_max(mid, mid, x.lower_mpfr(), MPFR_RNDN);
  mpfr_min(mid, mid, x.upper_mpfr(), MPFR_RNDN);
  MpInterval lo(x), hi(x);
  mpfr_set(&raw(lo)->right, mid, MPFR_RNDN);  // same precision: exact
  mpfr_set(&raw(hi)->left, mid, MPFR_RNDN);
  return {std::move(lo), std::move(hi)};
}

// ---------------------------------------------------------------------------
// Elementary functions

MpInterval sqr(const MpInterval& x) {
  if (x.is_empty()) return x;
  return through_mpfi(mpfi_sqr, x);
}

MpInterval sqrt(const MpInterval& x) {
  const MpInterval d = clip(x, 0.0, std::numeric_limits<double>::infinity());
  if (d.is_empty()) return d;
  return through_mpfi(mpfi_sqrt, d);
}

namespace {

// x^n for n >= 1 from correctly rounded endpoint powers.
MpInterval positive_power(const MpInterval& x, unsigned long n) {
  MpInterval r(x.precision());
  mpfi_ptr v = raw(r);
  mpfr_srcptr lo = x.lower_mpfr(), hi = x.upper_mpfr();
  if (n % 2 == 1 || mpfr_sgn(lo) >= 0) {  // increasing on x
    mpfr_pow_ui(&v->left, lo, n, MPFR_RNDD);
    mpfr_pow_ui(&v->right, hi, n, MPFR_RNDU);
  } else if (mpfr_sgn(hi) <= 0) {  // even power, x <= 0: decreasing
    mpfr_pow_ui(&v->left, hi, n, MPFR_RNDD);
    mpfr_pow_ui(&v->right, lo, n, MPFR_RNDU);
  } else {  // even power, 0 interior
    mpfr_set_zero(&v->left, 1);
    if (mpfr_cmpabs(lo, hi) > 0)
      mpfr_pow_ui(&v->right, lo, n, MPFR_RNDU);
    else
      mpfr_pow_ui(&v->right, hi, n, MPFR_RNDU);
  }
  finish(v);
  return r;
}

}  // namespace

MpInterval pow(const MpInterval& x, long n) {
  if (x.is_empty()) return x;
  if (n == 0) {
    MpInterval one(x.precision());
    mpfi_set_ui(raw(one), 1);
    return one;
  }
  if (n > 0) return positive_power(x, static_cast<unsigned long>(n));
  MpInterval one(x.precision());
  mpfi_set_ui(raw(one), 1);
  // n = LONG_MIN cannot be negated: x^n = 1 / (x^2)^(|n| / 2).
  if (n == std::numeric_limits<long>::min())
    return one / positive_power(sqr(x), static_cast<unsigned long>(-(n / 2)));
  return one / positive_power(x, static_cast<unsigned long>(-n));
}

MpInterval pow(const MpInterval& x, const MpInterval& y) {
  const mpfr_prec_t prec = joint_precision(x, y);
  if (x.is_empty() || y.is_empty()) return MpInterval::empty(prec);
  const MpInterval base = clip(x, 0.0, std::numeric_limits<double>::infinity());
  if (base.is_empty()) return MpInterval::empty(prec);
  if (mpfr_zero_p(base.upper_mpfr()))  // base = [0, 0]: 0^y = 0 for y > 0 only
    return mpfr_sgn(y.upper_mpfr()) > 0 ? MpInterval(prec) : MpInterval::empty(prec);
  // log(base) has lower endpoint -inf when base reaches 0 and exp(-inf) = 0
  // gives 0^y = 0 for y > 0; where y reaches 0 too the product is unbounded,
  // a valid (if wide) enclosure.
  return exp(y * log(base));
}

MpInterval exp(const MpInterval& x) {
  if (x.is_empty()) return x;
  return through_mpfi(mpfi_exp, x);
}

MpInterval log(const MpInterval& x) {
  const MpInterval d = clip(x, 0.0, std::numeric_limits<double>::infinity());
  if (d.is_empty() || mpfr_zero_p(d.upper_mpfr())) return MpInterval::empty(x.precision());
  return through_mpfi(mpfi_log, d);  // MPFI gives lower -inf at 0
}

MpInterval sin(const MpInterval& x) {
  if (x.is_empty()) return x;
  if (has_infinite_endpoint(x)) return MpInterval(-1.0, 1.0, x.precision());
  return through_mpfi(mpfi_sin, x);
}

MpInterval cos(const MpInterval& x) {
  if (x.is_empty()) return x;
  if (has_infinite_endpoint(x)) return MpInterval(-1.0, 1.0, x.precision());
  return through_mpfi(mpfi_cos, x);
}

MpInterval tan(const MpInterval& x) {
  if (x.is_empty()) return x;
  if (has_infinite_endpoint(x)) return MpInterval::entire(x.precision());
  return through_mpfi(mpfi_tan, x);  // entire when x holds a pole
}

MpInterval asin(const MpInterval& x) {
  const MpInterval d = clip(x, -1.0, 1.0);
  if (d.is_empty()) return d;
  return through_mpfi(mpfi_asin, d);
}

MpInterval acos(const MpInterval& x) {
  const MpInterval d = clip(x, -1.0, 1.0);
  if (d.is_empty()) return d;
  return through_mpfi(mpfi_acos, d);
}

MpInterval atan(const MpInterval& x) {
  if (x.is_empty()) return x;
  return through_mpfi(mpfi_atan, x);
}

MpInterval sinh(const MpInterval& x) {
  if (x.is_empty()) return x;
  return through_mpfi(mpfi_sinh, x);
}

MpInterval cosh(const MpInterval& x) {
  if (x.is_empty()) return x;
  return through_mpfi(mpfi_cosh, x);
}

MpInterval tanh(const MpInterval& x) {
  if (x.is_empty()) return x;
  return through_mpfi(mpfi_tanh, x);
}

MpInterval abs(const MpInterval& x) {
  if (x.is_empty()) return x;
  return through_mpfi(mpfi_abs, x);
}

MpInterval min(const MpInterval& a, const MpInterval& b) {
  MpInterval r(joint_precision(a, b));
  if (a.is_empty() || b.is_empty()) return MpInterval::empty(r.precision());
  mpfi_ptr v = raw(r);
  mpfr_min(&v->left, a.lower_mpfr(), b.lower_mpfr(), MPFR_RNDD);
  mpfr_min(&v->right, a.upper_mpfr(), b.upper_mpfr(), MPFR_RNDU);
  return r;
}

MpInterval max(const MpInterval& a, const MpInterval& b) {
  MpInterval r(joint_precision(a, b));
  if (a.is_empty() || b.is_empty()) return MpInterval::empty(r.precision());
  mpfi_ptr v = raw(r);
  mpfr_max(&v->left, a.lower_mpfr(), b.lower_mpfr(), MPFR_RNDD);
  mpfr_max(&v->right, a.upper_mpfr(), b.upper_mpfr(), MPFR_RNDU);
  return r;
}

// ---------------------------------------------------------------------------
// Printing

std::string to_string(const MpInterval& x) {
  if (x.is_empty()) return "[empty]";
  // Digits the precision carries, and enough to show the width: about
  // log10(magnitude / width) + 3 (the exact count does not matter for
  // soundness, the rounding direction does).
  const auto full = static_cast<long>(std::ceil(static_cast<double>(x.precision()) * 0.30102999566398120)) + 1;
  long digits = full;
  if (x.is_bounded() && !x.is_point()) {
    mpfr_t w;
    mpfr_init2(w, 64);
    mpfr_sub(w, x.upper_mpfr(), x.lower_mpfr(), MPFR_RNDU);
    long mag_exp = std::numeric_limits<long>::min();
    for (mpfr_srcptr e : {x.lower_mpfr(), x.upper_mpfr()})
      if (!mpfr_zero_p(e)) mag_exp = std::max(mag_exp, static_cast<long>(mpfr_get_exp(e)));
    const long width_exp = static_cast<long>(mpfr_get_exp(w));
    mpfr_clear(w);
    if (mag_exp != std::numeric_limits<long>::min()) {
      const long needed = static_cast<long>(std::ceil(static_cast<double>(mag_exp - width_exp) * 0.30102999566398120)) + 3;
      digits = std::clamp(needed, 3L, full);
    } else {
      digits = 3;
    }
  }
  const auto n = static_cast<std::size_t>(std::max(digits, 2L));
  return "[" + endpoint_text(x.lower_mpfr(), n, MPFR_RNDD) + ", " + endpoint_text(x.upper_mpfr(), n, MPFR_RNDU) + "]";
}

std::ostream& operator<<(std::ostream& os, const MpInterval& x) { return os << to_string(x); }

MpInterval lower_endpoint(const MpInterval& x) {
  if (x.is_empty() || mpfr_inf_p(x.lower_mpfr())) return x;
  return MpInterval(x.lower_mpfr(), x.lower_mpfr(), x.precision());
}

MpInterval upper_endpoint(const MpInterval& x) {
  if (x.is_empty() || mpfr_inf_p(x.upper_mpfr())) return x;
  return MpInterval(x.upper_mpfr(), x.upper_mpfr(), x.precision());
}

MpInterval join_bounds(const MpInterval& a, const MpInterval& b) {
  const mpfr_prec_t prec = std::max(a.precision(), b.precision());
  if (a.is_empty() || b.is_empty()) return MpInterval::empty(prec);
  return MpInterval(a.lower_mpfr(), b.upper_mpfr(), prec);
}

MpInterval make_point(const MpInterval& like, double v) { return MpInterval(v, v, like.precision()); }

MpInterval entire_like(const MpInterval& like) { return MpInterval::entire(like.precision()); }

}  // namespace cerval::numeric
