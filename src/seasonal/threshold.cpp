#include <cerval/seasonal/threshold.hpp>

#include <cerval/seasonal/detail/number.hpp>
#include <cerval/seasonal/perron.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace cerval::seasonal {

using numeric::Interval;
using numeric::MpInterval;

const char* to_string(ThresholdStatus s) {
  switch (s) {
    case ThresholdStatus::Crossing: return "crossing";
    case ThresholdStatus::AlwaysPersistence: return "always-persistence";
    case ThresholdStatus::AlwaysExtinction: return "always-extinction";
    case ThresholdStatus::MultipleCrossings: return "multiple-crossings";
    default: return "unknown";
  }
}

const char* to_string(Outcome o) {
  switch (o) {
    case Outcome::Extinction: return "extinction";
    case Outcome::Persistence: return "persistence";
    case Outcome::Mixed: return "mixed";
    default: return "unknown";
  }
}

namespace {

template <class I>
int sign_of(const I& rho) {
  if (rho.certainly_gt(1.0)) return 1;
  if (rho.certainly_lt(1.0)) return -1;
  return 0;
}

// rho over [lo, hi] in binary64; entire when the enclosure cannot be formed
// (an overflowing exponential).
Interval rho64(const Linearisation<Interval>& lin, double lo, double hi, std::size_t& evaluations) {
  ++evaluations;
  try {
    return spectral_radius(lin, Interval(lo, hi));
  } catch (const std::domain_error&) {
    return Interval::entire();
  }
}

// The sign of rho - 1 on pieces covering [lo, hi] (refined where undecided).
std::vector<ThetaPiece> sign_pieces(const Linearisation<Interval>& lin, double lo, double hi, int initial,
                                    std::size_t max_pieces, double min_piece, std::size_t& evaluations,
                                    const std::optional<std::chrono::steady_clock::time_point>& deadline) {
  std::vector<ThetaPiece> done, stack;
  for (int k = initial - 1; k >= 0; --k) {
    const double a = k == 0 ? lo : lo + (hi - lo) * k / initial;
    const double b = k == initial - 1 ? hi : lo + (hi - lo) * (k + 1) / initial;
    if (a < b || (k == 0 && a == b)) stack.push_back({a, b, 0, Interval()});
  }
  std::size_t count = 0;
  while (!stack.empty()) {
    ThetaPiece p = stack.back();
    stack.pop_back();
    p.rho = rho64(lin, p.lower, p.upper, evaluations);
    p.sign = sign_of(p.rho);
    ++count;
    const bool out_of_time = deadline && std::chrono::steady_clock::now() > *deadline;
    const double mid = p.lower / 2 + p.upper / 2;
    if (p.sign != 0 || p.upper - p.lower <= min_piece || count + stack.size() >= max_pieces || out_of_time ||
        !(p.lower < mid && mid < p.upper)) {
      done.push_back(p);
      continue;
    }
    stack.push_back({mid, p.upper, 0, Interval()});
    stack.push_back({p.lower, mid, 0, Interval()});
  }
  std::sort(done.begin(), done.end(), [](const ThetaPiece& x, const ThetaPiece& y) { return x.lower < y.lower; });
  return done;
}

// Piece k of [a0, b0] cut into `pieces` equal parts (binary64 cut points;
// the first and last pieces end exactly at a0 and b0, so the pieces cover it).
Interval theta_piece(double a0, double b0, int k, int pieces) {
  const double lo = k == 0 ? a0 : a0 + (b0 - a0) * k / pieces;
  const double hi = k == pieces - 1 ? b0 : a0 + (b0 - a0) * (k + 1) / pieces;
  return Interval(lo, std::max(lo, hi));
}

// (a) A_u <= A_f entrywise, not equal, A_f irreducible.
bool globally_decreasing(const Linearisation<Interval>& lin) {
  const Matrix<Interval> d = lin.favourable - lin.unfavourable;
  bool some = false;
  for (const Interval& v : d.a) {
    if (!v.certainly_ge(0.0)) return false;
    some = some || v.certainly_gt(0.0);
  }
  const Matrix<Interval>& f = lin.favourable;
  return some && strongly_connected(f.n, [&](std::size_t i, std::size_t j) { return i != j && f(i, j).certainly_gt(0.0); });
}

// (b) dM/dtheta <= 0 entrywise, some entry < 0, and M > 0, on every piece.
bool locally_decreasing(const Linearisation<Interval>& lin, double a0, double b0, std::size_t& evaluations) {
  for (int pieces = 1; pieces <= 64; pieces *= 4) {
    bool ok = true;
    for (int k = 0; k < pieces && ok; ++k) {
      const Interval theta = theta_piece(a0, b0, k, pieces);
      ++evaluations;
      try {
        const Matrix<Interval> dm = monodromy_derivative(lin, theta);
        const Matrix<Interval> m = monodromy(lin, theta);
        bool some = false;
        for (const Interval& v : dm.a) {
          if (!v.certainly_le(0.0)) ok = false;
          some = some || v.certainly_lt(0.0);
        }
        for (const Interval& v : m.a) ok = ok && v.certainly_gt(0.0);
        ok = ok && some;
      } catch (const std::domain_error&) {
        ok = false;
      }
    }
    if (ok) return true;
  }
  return false;
}

// (c) n = 2: q(theta) = 1 - tr M + det M has a derivative of one strict sign.
bool two_by_two_newton(const Linearisation<Interval>& lin, double a0, double b0, std::size_t& evaluations) {
  if (lin.favourable.n != 2) return false;
  const Interval trf = lin.favourable(0, 0) + lin.favourable(1, 1);
  const Interval tru = lin.unfavourable(0, 0) + lin.unfavourable(1, 1);
  for (int pieces = 1; pieces <= 64; pieces *= 4) {
    int sign = 0;
    bool ok = true;
    for (int k = 0; k < pieces && ok; ++k) {
      const Interval theta = theta_piece(a0, b0, k, pieces);
      ++evaluations;
      try {
        const Matrix<Interval> dm = monodromy_derivative(lin, theta);
        const Interval det = exp(lin.period * ((Interval(1.0) - theta) * trf + theta * tru));
        const Interval dq = -(dm(0, 0) + dm(1, 1)) + lin.period * (tru - trf) * det;
        const int s = dq.certainly_gt(0.0) ? 1 : dq.certainly_lt(0.0) ? -1 : 0;
        if (s == 0 || (sign != 0 && s != sign)) ok = false;
        sign = s;
      } catch (const std::domain_error&) {
        ok = false;
      }
    }
    if (ok) return true;
  }
  return false;
}

Rational power_of_ten_inverse(int digits) {
  numeric::Integer p = 1;
  for (int k = 0; k < digits; ++k) p *= 10;
  return Rational(numeric::Integer(1), p);
}

int digits_of(const Rational& width) {
  if (width <= 0) return 1000;
  int k = 0;
  Rational t = 1;
  while (k < 1000) {
    t /= 10;
    if (width > t) break;
    ++k;
  }
  return k;
}

// The rho sign at an exact theta at `bits` (or binary64 when bits == 53).
int sign_at(const Linearisation<MpInterval>& lin, const Rational& theta, long bits, std::size_t& evaluations) {
  ++evaluations;
  try {
    return sign_of(spectral_radius(lin, MpInterval::enclose(theta, static_cast<mpfr_prec_t>(bits))));
  } catch (const std::domain_error&) {
    return 0;
  }
}

}  // namespace

MpInterval rho_at(const SeasonalSpec& spec, const Rational& theta, long bits) {
  const Linearisation<MpInterval> lin = linearise(spec, bits);
  if (!is_metzler(lin)) throw std::domain_error("the linearisation at 0 is not certainly Metzler");
  return spectral_radius(lin, MpInterval::enclose(theta, static_cast<mpfr_prec_t>(bits)));
}

ThresholdResult find_threshold(const SeasonalSpec& spec, const ThresholdOptions& options) {
  const auto t0 = std::chrono::steady_clock::now();
  ThresholdResult r;
  r.digits_requested = options.digits;
  auto finish = [&]() {
    r.time_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    return r;
  };
  const Linearisation<Interval> lin = linearise(spec);
  if (!is_metzler(lin)) {
    r.detail = "the Jacobian at 0 is not certainly Metzler in both seasons: the Perron theory behind rho does not apply";
    return finish();
  }
  // 1. Signs of rho - 1 over [0, 1].
  r.pieces = sign_pieces(lin, 0.0, 1.0, 32, options.max_pieces, options.min_piece, r.evaluations, options.deadline);
  const auto& pieces = r.pieces;
  const bool all_plus = std::all_of(pieces.begin(), pieces.end(), [](const ThetaPiece& p) { return p.sign > 0; });
  const bool all_minus = std::all_of(pieces.begin(), pieces.end(), [](const ThetaPiece& p) { return p.sign < 0; });
  if (all_plus) {
    r.status = ThresholdStatus::AlwaysPersistence;
    r.detail = "rho > 1 certified on all of [0, 1] (" + std::to_string(pieces.size()) + " pieces)";
    return finish();
  }
  if (all_minus) {
    r.status = ThresholdStatus::AlwaysExtinction;
    r.detail = "rho < 1 certified on all of [0, 1] (" + std::to_string(pieces.size()) + " pieces)";
    return finish();
  }
  // A piece with rho < 1 before one with rho > 1 refutes SSTP.
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    if (pieces[i].sign >= 0) continue;
    for (std::size_t j = i + 1; j < pieces.size(); ++j)
      if (pieces[j].sign > 0) {
        r.status = ThresholdStatus::MultipleCrossings;
        r.witness = std::make_pair(pieces[i], pieces[j]);
        r.detail = "rho < 1 on a piece left of a piece where rho > 1: {rho > 1} is not an interval [0, theta*)";
        return finish();
      }
    break;
  }
  std::size_t p = 0;
  while (p < pieces.size() && pieces[p].sign > 0) ++p;
  std::size_t q = pieces.size();
  while (q > 0 && pieces[q - 1].sign < 0) --q;
  const double a0 = pieces[p].lower;
  const double b0 = pieces[q - 1].upper;
  if (p == 0 || q == pieces.size()) {
    r.detail = std::string("rho - 1 is not certified nonzero near theta = ") + (p == 0 ? "0" : "1") +
               " (a crossing at the end of [0, 1] or rho too close to 1 there)";
    r.lower = numeric::to_rational(a0);
    r.upper = numeric::to_rational(b0);
    return finish();
  }
  // 2. Uniqueness on [a0, b0].
  if (globally_decreasing(lin)) {
    r.unique = true;
    r.uniqueness = "A_u <= A_f entrywise with A_u != A_f and A_f irreducible: rho strictly decreasing on [0, 1]";
  } else if (locally_decreasing(lin, a0, b0, r.evaluations)) {
    r.unique = true;
    r.uniqueness = "dM/dtheta <= 0 entrywise (not 0) and M > 0 on the crossing bracket: rho strictly decreasing there";
  } else if (two_by_two_newton(lin, a0, b0, r.evaluations)) {
    r.unique = true;
    r.uniqueness = "d/dtheta (1 - tr M + det M) != 0 on the crossing bracket: at most one theta with rho = 1";
  } else {
    r.uniqueness = "no criterion certified a single crossing on the bracket";
  }
  r.status = ThresholdStatus::Crossing;
  // 3. Refinement keeping rho(lo) > 1 and rho(hi) < 1 certified at exact points.
  const Rational target = power_of_ten_inverse(options.digits);
  const double a = a0, b = b0;
  Rational lo = numeric::to_rational(a), hi = numeric::to_rational(b);
  if (hi - lo > target) {
    // Secant-guided refinement in MPFI: the secant root r of the centres of
    // the rho enclosures at the bracket's ends is tested at r - eps and
    // r + eps; every certified sign at an interior point shrinks the
    // bracket, so the guess only affects speed. eps follows the secant's
    // quadratic error model K eps^2, K raised whenever the guess misses.
    long bits = static_cast<long>(std::ceil(options.digits * 3.3219280948873623)) + 32;
    Linearisation<MpInterval> mp = linearise(spec, bits);
    std::optional<Rational> g_lo, g_hi;
    Rational eps = (hi - lo) / 16;
    Rational K = 16;
    const Rational quarter_target = target / 4;
    int raises = 0;
    auto dyadic = [&](const Rational& c) {
      return MpInterval::enclose(c, static_cast<mpfr_prec_t>(bits)).lower_rational();
    };
    while (hi - lo > target) {
      if (options.deadline && std::chrono::steady_clock::now() > *options.deadline) {
        r.detail = "timeout during the refinement";
        break;
      }
      const Rational w = hi - lo;
      Rational guess = lo + w / 2;
      if (g_lo && g_hi && *g_lo > 0 && *g_hi < 0) guess = lo + w * (*g_lo / (*g_lo - *g_hi));
      if (eps > w / 4) eps = w / 4;
      if (eps < quarter_target) eps = quarter_target;
      int landed = 0, decided = 0;
      for (int side = 0; side < 2; ++side) {
        const Rational c = dyadic(side == 0 ? Rational(guess - eps) : Rational(guess + eps));
        if (!(lo < c && c < hi)) continue;
        ++r.evaluations;
        std::optional<MpInterval> rho;
        try {
          rho = spectral_radius(mp, MpInterval::enclose(c, static_cast<mpfr_prec_t>(bits)));
        } catch (const std::domain_error&) {
        }
        const int sgn = rho ? sign_of(*rho) : 0;
        if (sgn == 0) continue;
        ++decided;
        const Rational g = rho->midpoint_rational() - 1;
        if (sgn > 0) {
          lo = c;
          g_lo = g;
        } else {
          hi = c;
          g_hi = g;
        }
        if ((side == 0) == (sgn > 0)) ++landed;
      }
      if (landed == 2) {
        eps = K * eps * eps;
      } else {
        K *= 16;
        eps *= 16;
      }
      if (decided > 0) continue;
      // Undecided at both points: try the centre, then raise the precision.
      const Rational c = dyadic(lo + (hi - lo) / 2);
      const int sgn = lo < c && c < hi ? sign_at(mp, c, bits, r.evaluations) : 0;
      if (sgn > 0) lo = c;
      if (sgn < 0) hi = c;
      if (sgn != 0) continue;
      // Interval data (constants given as intervals) limit the width of
      // every enclosure whatever the precision: raise it three times at most.
      if (++raises > 3 || bits * 3 / 2 > options.max_bits) {
        r.detail = "rho - 1 not decided at the bracket's interior points at " + std::to_string(bits) +
                   " bits (interval constants, or rho too flat near theta*)";
        break;
      }
      bits = bits * 3 / 2;
      mp = linearise(spec, bits);
    }
    r.bits = bits;
  }
  r.lower = lo;
  r.upper = hi;
  r.digits_reached = digits_of(hi - lo);
  if (r.detail.empty())
    r.detail = "rho > 1 certified on [0, " + numeric::to_decimal_down(lo, 20) + "], rho < 1 on [" +
               numeric::to_decimal_up(hi, 20) + ", 1]";
  return finish();
}

Classification classify(const SeasonalSpec& spec, const ThetaRequest& request, int digits) {
  Classification c{request, MpInterval(53), Outcome::Unknown, ""};
  if (request.is_point()) {
    long bits = static_cast<long>(std::ceil(std::max(digits, 15) * 3.3219280948873623)) + 32;
    for (int attempt = 0; attempt < 3; ++attempt, bits *= 2) {
      try {
        c.rho = rho_at(spec, request.lower, bits);
      } catch (const std::domain_error& e) {
        c.detail = e.what();
        return c;
      }
      if (c.rho.certainly_le(1.0) || c.rho.certainly_gt(1.0)) break;
    }
    if (c.rho.certainly_le(1.0)) {
      c.outcome = Outcome::Extinction;
      c.detail = "rho <= 1";
    } else if (c.rho.certainly_gt(1.0)) {
      c.outcome = Outcome::Persistence;
      c.detail = "rho > 1";
    } else {
      c.detail = "rho - 1 not decided";
    }
    return c;
  }
  const Linearisation<Interval> lin = linearise(spec);
  if (!is_metzler(lin)) {
    c.detail = "the linearisation at 0 is not certainly Metzler";
    return c;
  }
  std::size_t evaluations = 0;
  const Interval range = Interval::enclose(request.lower, request.upper);
  const auto pieces = sign_pieces(lin, std::max(0.0, range.lower()), std::min(1.0, range.upper()), 8, 2000,
                                  (range.upper() - range.lower()) * 1e-9, evaluations, std::nullopt);
  Interval hull_rho = pieces.front().rho;
  int plus = 0, minus = 0, zero = 0;
  for (const auto& p : pieces) {
    hull_rho = hull(hull_rho, p.rho);
    if (p.sign > 0) ++plus;
    else if (p.rho.certainly_le(1.0)) ++minus;
    else ++zero;
  }
  c.rho = MpInterval(hull_rho, 53);
  if (zero == 0 && plus == 0) {
    c.outcome = Outcome::Extinction;
    c.detail = "rho <= 1 for every theta of the interval";
  } else if (zero == 0 && minus == 0) {
    c.outcome = Outcome::Persistence;
    c.detail = "rho > 1 for every theta of the interval";
  } else if (plus > 0 && minus > 0) {
    c.outcome = Outcome::Mixed;
    c.detail = "rho > 1 on part of the interval and rho <= 1 on another part";
  } else {
    c.detail = "rho - 1 not decided on part of the interval";
  }
  return c;
}

}  // namespace cerval::seasonal
