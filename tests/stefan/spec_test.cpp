#include <catch2/catch.hpp>

#include <cerval/stefan/spec.hpp>

#include "rejection.hpp"

#include <string>

using cerval::numeric::Rational;
using namespace cerval::stefan;

TEST_CASE("stefan section is parsed") {
  const auto s = parse_stefan_spec("stefan\n problem neumann_flux;\n stefan_number 3/2;\n final_time 0.5;\n points 3;\n"
                                   " digits 25;\nend\n", "t.spec");
  CHECK(s.problem == NeumannCase::Flux);
  CHECK(s.parameter == Rational(3, 2));
  CHECK(s.final_time == Rational(1, 2));
  CHECK(s.points == 3);
  CHECK(s.digits == 25);
}

TEST_CASE("bad stefan input is rejected with a location") {
  const auto message = cerval::stefan::testing::rejection_message;
  CHECK(message("stefan problem neumann_dirichlet; stefan_number 0; end").find("positive") != std::string::npos);
  CHECK(message("stefan problem neumann_dirichlet; stefan_number 1; final_time -1; end").find("positive") !=
        std::string::npos);
  CHECK(message("stefan problem laser; stefan_number 1; end").find("unknown problem") != std::string::npos);
  CHECK(message("stefan stefan_number 1; end").find("'problem'") != std::string::npos);
  CHECK(message("stefan problem neumann_flux; end").find("stefan_number") != std::string::npos);
  CHECK(message("stefan problem neumann_flux; stefan_number 1; digits 0; end").find("between") != std::string::npos);
  CHECK(message("stefan problem neumann_flux; stefan_number 1; colour 2; end").find("unknown statement") !=
        std::string::npos);
  CHECK(message("constants a = 1;").find("no 'stefan' section") != std::string::npos);
}

TEST_CASE("forward statements of the stefan section") {
  const auto s = parse_stefan_spec("stefan\n problem travelling_wave;\n boundary flux;\n initial_front 1/2;\n"
                                   " diffusivity 2;\n latent_heat 3;\n final_time 1;\n scheme crank_nicolson;\n"
                                   " grid 4, 64;\n refinements 2;\n error_bound 0.01;\n min_order 1.8;\nend\n", "t.spec");
  CHECK(s.kind == StefanProblemKind::TravellingWave);
  CHECK(s.forward.enabled);
  CHECK(s.forward.theta == Rational(1, 2));
  CHECK(s.forward.m == 4);
  CHECK(s.forward.n == 64);
  CHECK(s.forward.refinements == 2);
  CHECK(s.forward.boundary == LeftCondition::Flux);
  CHECK(s.forward.initial_front == Rational(1, 2));
  CHECK(s.forward.diffusivity == 2);
  CHECK(s.forward.latent_heat == 3);
  CHECK(s.forward.start_time == 0);
  CHECK(*s.forward.error_bound == Rational(1, 100));
  CHECK(*s.forward.min_order == Rational(9, 5));
  const auto n = parse_stefan_spec("stefan problem neumann_flux; stefan_number 1; final_time 2; scheme implicit; end", "t");
  CHECK(n.forward.start_time == Rational(1, 2));  // default T/4
  CHECK(n.forward.theta == 1);
}

TEST_CASE("bad forward input is rejected with a location") {
  const auto message = cerval::stefan::testing::rejection_message;
  const std::string wave = "stefan problem travelling_wave; scheme implicit; ";
  CHECK(message(wave + "initial_front 0; end").find("positive") != std::string::npos);
  CHECK(message(wave + "initial_front -1; end").find("positive") != std::string::npos);
  CHECK(message(wave + "diffusivity 0; end").find("t.spec:1:") != std::string::npos);
  CHECK(message(wave + "latent_heat -2; end").find("positive") != std::string::npos);
  CHECK(message(wave + "final_time 0; end").find("positive") != std::string::npos);
  CHECK(message(wave + "final_time 1; start_time 1; end").find("less than 'final_time'") != std::string::npos);
  CHECK(message(wave + "grid 1 8; end").find("between 2") != std::string::npos);
  CHECK(message(wave + "grid 8 0; end").find("between 1") != std::string::npos);
  CHECK(message(wave + "stefan_number 1; end").find("Neumann") != std::string::npos);
  CHECK(message(wave + "scheme implicit; end").find("twice") != std::string::npos);
  CHECK(message("stefan problem travelling_wave; end").find("'scheme'") != std::string::npos);
  CHECK(message("stefan problem neumann_dirichlet; stefan_number 1; grid 4 4; end").find("needs a 'scheme'") !=
        std::string::npos);
  CHECK(message("stefan problem neumann_dirichlet; stefan_number 1; scheme implicit; start_time 0; end")
            .find("singular") != std::string::npos);
  CHECK(message("stefan problem neumann_dirichlet; stefan_number 1; boundary flux; end").find("travelling_wave") !=
        std::string::npos);
  CHECK(message(wave + "scheme_x 1; end").find("unknown statement") != std::string::npos);
  CHECK(message("stefan problem travelling_wave; scheme leapfrog; end").find("unknown scheme") != std::string::npos);
  CHECK(message(wave + "boundary robin; end").find("unknown boundary") != std::string::npos);
}
