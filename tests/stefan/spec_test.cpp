#include <catch2/catch.hpp>

#include <cerval/stefan/spec.hpp>

#include <string>

using cerval::expr::InputError;
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
  auto message = [](const std::string& text) {
    try {
      parse_stefan_spec(text, "t.spec");
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
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
