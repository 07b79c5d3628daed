#pragma once
// The `stefan` section of a spec (docs/spec-language.md, "Stefan problems"):
//
//   stefan
//     problem neumann_dirichlet;   # or neumann_flux, travelling_wave, inverse (stefan/inverse_spec.hpp)
//     stefan_number 1;             # St (Dirichlet case) or Q (flux case), > 0, exact
//     final_time 1;                # T > 0, exact
//     points 8;                    # the exact u is reported at x_i = i s(T) / points
//     digits 30;                   # lambda to absolute width <= 10^-digits
//     # the forward problem by finite differences (stefan/forward.hpp):
//     scheme crank_nicolson;       # or implicit
//     grid 4 128;                  # m space intervals, n time steps (first grid)
//     refinements 2;               # then (2m, 2n), (4m, 4n)
//     start_time 1/4;              # t0 (Neumann problems: > 0)
//     # travelling wave u = gamma (e^{a t + s0 - x} - 1), s = a t + s0:
//     boundary flux;               # or dirichlet (at x = 0)
//     initial_front 1/2;           # s0 > 0
//     diffusivity 1;               # a > 0
//     latent_heat 1;               # gamma > 0
//     # problem general: the data as expressions in x and t (stefan/general.hpp)
//     diffusivity 1 + x/2;         # a(x, t) > 0 (also convection b, reaction c, source f)
//     boundary_value 1 + t;        # g(t): u(0, t) (dirichlet) or -a u_x(0, t) (flux)
//     initial 1 - x;               # phi(x) on [0, s0]
//     chi 0;  front_temperature 0; # chi(t), mu(t)
//     exact_temperature ...;  exact_front ...;   # optional: certified errors
//     # claims for proof instances:
//     error_bound 1/100;           # e_u and e_s on the finest grid are <= this
//     min_order 9/5;               # every observed order is >= this
//   end
//
// Bad input throws expr::InputError with file:line:col.
#include <cerval/expr/diagnostics.hpp>
#include <cerval/expr/spec.hpp>
#include <cerval/numeric/rational.hpp>
#include <cerval/stefan/general.hpp>
#include <cerval/stefan/inverse.hpp>
#include <cerval/stefan/scheme.hpp>
#include <cerval/stefan/similarity.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace cerval::stefan {

// Inverse: stefan/inverse_spec.hpp; General: data as expressions (stefan/general.hpp).
enum class StefanProblemKind { Neumann, TravellingWave, Inverse, General };

// The finite-difference part of the section (present when `scheme` is given).
struct ForwardSettings {
  bool enabled = false;
  numeric::Rational theta = 1;  // implicit: 1, crank_nicolson: 1/2
  int m = 8, n = 8;
  int refinements = 0;
  numeric::Rational start_time = 0;  // default: 1/4 T (Neumann), 0 (travelling wave)
  LeftCondition boundary = LeftCondition::Dirichlet;  // travelling wave
  numeric::Rational initial_front = 1, diffusivity = 1, latent_heat = 1;  // travelling wave
  std::optional<numeric::Rational> error_bound;
  std::optional<numeric::Rational> min_order;
};

struct StefanSpec {
  expr::Spec base;
  StefanProblemKind kind = StefanProblemKind::Neumann;
  NeumannCase problem = NeumannCase::Dirichlet;  // Neumann problems
  numeric::Rational parameter = 1;  // St or Q
  numeric::Rational final_time = 1;
  int points = 4;
  int digits = 20;
  ForwardSettings forward;
  std::optional<InverseProblem> inverse;  // kind Inverse (statements: stefan/inverse_spec.hpp)
  std::optional<GeneralProblem> general;  // kind General
  expr::SourceLocation diffusivity_where; // General: where a(x, t) is stated (or the problem statement)
  expr::SourceLocation where;
};

StefanSpec parse_stefan_spec(std::string_view text, const std::string& file_name);
StefanSpec parse_stefan_spec_file(const std::string& path);

}  // namespace cerval::stefan
