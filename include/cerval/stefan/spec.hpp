#pragma once
// The `stefan` section of a spec (docs/spec-language.md, "Stefan problems"):
//
//   stefan
//     problem neumann_dirichlet;   # or neumann_flux
//     stefan_number 1;             # St (Dirichlet case) or Q (flux case), > 0, exact
//     final_time 1;                # T > 0, exact
//     points 8;                    # the exact u is reported at x_i = i s(T) / points
//     digits 30;                   # lambda to absolute width <= 10^-digits
//   end
//
// Bad input throws expr::InputError with file:line:col.
#include <cerval/expr/diagnostics.hpp>
#include <cerval/expr/spec.hpp>
#include <cerval/numeric/rational.hpp>
#include <cerval/stefan/similarity.hpp>

#include <string>
#include <string_view>

namespace cerval::stefan {

struct StefanSpec {
  expr::Spec base;
  NeumannCase problem = NeumannCase::Dirichlet;
  numeric::Rational parameter = 1;  // St or Q
  numeric::Rational final_time = 1;
  int points = 4;
  int digits = 20;
  expr::SourceLocation where;
};

StefanSpec parse_stefan_spec(std::string_view text, const std::string& file_name);
StefanSpec parse_stefan_spec_file(const std::string& path);

}  // namespace cerval::stefan
