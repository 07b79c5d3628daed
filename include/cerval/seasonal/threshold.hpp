#pragma once
// The critical season length theta* of the sharp seasonal threshold property
// (SSTP: {theta in [0, 1] : rho(theta) > 1} = [0, theta*), Ji & Strugarek,
// arXiv:1804.07641) and the classification of given thetas.
//
// Method (docs/seasonal.md):
//  1. branch and bound over theta in [0, 1] in binary64: every piece gets a
//     certified sign of rho - 1 (rho enclosed for the whole piece, from the
//     monotonicity of e^{tP} in t) or is refined; the undecided pieces must
//     form one cluster [a0, b0] with rho > 1 certified left of it and rho < 1
//     right of it, otherwise SSTP is refuted (a piece with rho < 1 left of one
//     with rho > 1 is a witness) or left unknown;
//  2. uniqueness of the crossing on [a0, b0] by one of: A_u <= A_f entrywise
//     (A_u != A_f, A_f irreducible: rho strictly decreasing on [0, 1]);
//     dM/dtheta <= 0 entrywise, not 0, with M > 0 on [a0, b0] (strict Perron
//     monotonicity); for two state variables, the derivative of
//     q(theta) = 1 - tr M + det M (zero whenever rho = 1) bounded away from 0
//     (interval Newton's uniqueness test);
//  3. refinement keeping rho(a) > 1 and rho(b) < 1 certified at exact points,
//     in MPFI at ~3.33 bits per requested digit (raised when a point stays
//     undecided), until b - a <= 10^-digits: the secant root of the centres
//     of the rho enclosures at a and b is tested at two points around it, so
//     the bracket shrinks superlinearly (a missed guess still shrinks it).
// Guarantee: status Crossing with `unique` means SSTP holds for the linearised
// criterion with theta* in [lower, upper] (exact rationals); every rho
// enclosure contains the exact spectral radius.
#include <cerval/numeric/mp_interval.hpp>
#include <cerval/seasonal/monodromy.hpp>
#include <cerval/seasonal/spec.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace cerval::seasonal {

enum class ThresholdStatus { Crossing, AlwaysPersistence, AlwaysExtinction, MultipleCrossings, Unknown };
const char* to_string(ThresholdStatus s);  // crossing, always-persistence, ...

// A piece of [0, 1] with the certified sign of rho - 1 over it (0: undecided).
struct ThetaPiece {
  double lower = 0;
  double upper = 0;
  int sign = 0;
  numeric::Interval rho;
};

struct ThresholdResult {
  ThresholdStatus status = ThresholdStatus::Unknown;
  bool unique = false;              // one crossing certified (Crossing only)
  std::string uniqueness;           // the method that certified it, or why not
  Rational lower = 0, upper = 1;    // theta* enclosure (Crossing)
  int digits_requested = 15;
  int digits_reached = 0;           // floor(-log10(upper - lower))
  long bits = 53;                   // precision of the last refinement
  std::size_t evaluations = 0;      // rho enclosures computed
  double time_ms = 0;
  std::string detail;
  // MultipleCrossings: theta1 < theta2 with rho(theta1) < 1 < rho(theta2).
  std::optional<std::pair<ThetaPiece, ThetaPiece>> witness;
  std::vector<ThetaPiece> pieces;   // the branch and bound's final pieces
};

struct ThresholdOptions {
  int digits = 15;
  std::size_t max_pieces = 4000;
  double min_piece = 1.0 / (1 << 16);
  long max_bits = 20000;
  std::optional<std::chrono::steady_clock::time_point> deadline;
};

ThresholdResult find_threshold(const SeasonalSpec& spec, const ThresholdOptions& options);

// rho over a theta request and the theorem's conclusion for it.
enum class Outcome { Extinction, Persistence, Mixed, Unknown };
const char* to_string(Outcome o);  // extinction, persistence, mixed, unknown

struct Classification {
  ThetaRequest request;
  numeric::MpInterval rho{53};  // hull over the request
  Outcome outcome = Outcome::Unknown;
  std::string detail;
};

// Point requests are evaluated in MPFI at `digits` (rho to about that many
// digits); interval requests by subdivision in binary64.
Classification classify(const SeasonalSpec& spec, const ThetaRequest& request, int digits);

// rho enclosure at an exact theta, at `bits` of precision.
numeric::MpInterval rho_at(const SeasonalSpec& spec, const Rational& theta, long bits);

}  // namespace cerval::seasonal
