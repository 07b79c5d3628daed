// The inverse problem's statements in the stefan section
// (stefan/inverse_spec.hpp): a complete section gives the problem, shared
// statements come from the section, and bad input is an error at its token.
#include <catch2/catch.hpp>

#include <cerval/expr/diagnostics.hpp>
#include <cerval/stefan/spec.hpp>

#include <string>

using namespace cerval;
using numeric::Rational;

namespace {

const std::string kHead = "variables q in [0, 1]; p in [1/2, 3/2];\nstefan\n  problem inverse;\n  scheme implicit;\n";
const std::string kBody =
    "  grid 2 4; refinements 2; final_time 1/2; initial_front 1/2;\n"
    "  flux exp(t + q); front 1/2 + p * t; initial exp(1/2 - x) - 1;\n";

stefan::StefanSpec parse(const std::string& text) { return stefan::parse_stefan_spec(text, "inv.spec"); }

}  // namespace

TEST_CASE("an inverse problem is read from the stefan section", "[stefan][inverse][spec]") {
  const auto s = parse(kHead + kBody + "  true_parameter 1/2, 1;\n  weights 1, 0, 2;\n  chi 1/3;\nend\n");
  REQUIRE(s.kind == stefan::StefanProblemKind::Inverse);
  REQUIRE(s.inverse);
  const stefan::InverseProblem& pr = *s.inverse;
  REQUIRE(pr.parameters.size() == 2);
  CHECK(pr.parameters[1].name == "p");
  CHECK(pr.graph.variable_count() == 4);
  CHECK(pr.graph.variable_name(2) == "t");
  CHECK(pr.graph.variable_name(3) == "x");
  CHECK(pr.m0 == 2);
  CHECK(pr.n0 == 4);
  CHECK(pr.levels == 3);
  CHECK(pr.s0 == Rational(1, 2));
  CHECK(pr.final_time == Rational(1, 2));
  CHECK(pr.theta == 1);
  CHECK(pr.beta1 == 0);
  CHECK(pr.beta2 == 2);
  CHECK(pr.chi == Rational(1, 3));
  CHECK(pr.true_parameter == std::vector<Rational>{Rational(1, 2), Rational(1)});
  CHECK(!pr.final_temperature);
  CHECK(pr.graph.to_string(pr.front) == "1/2 + p * t");
  const auto cn = parse(
      "variables q in [0, 1];\nstefan problem inverse; scheme crank_nicolson; grid 3 3; initial_front 1;\n"
      "flux q; front 1 + t; initial 1 - x; final_temperature 0; final_front 3/2; front_temperature 0;\nend\n");
  CHECK(cn.inverse->theta == Rational(1, 2));
  CHECK(cn.inverse->levels == 1);
  CHECK(!cn.inverse->true_parameter);
}

TEST_CASE("bad inverse sections are errors at their token", "[stefan][inverse][spec]") {
  auto fails = [](const std::string& text, const std::string& message) {
    CHECK_THROWS_WITH(parse(text), Catch::Contains(message));
  };
  fails(kHead + kBody + "end\n", "true_parameter");  // measurements generated, no true control
  fails(kHead + kBody + "  true_parameter 1/2;\nend\n", "needs 2 values");
  fails(kHead + kBody + "  true_parameter 2, 1;\nend\n", "outside its domain");
  fails(kHead + "  grid 2 4; final_time 1/2; initial_front 1/2;\n  front 1/2 + p * t; initial 1 - x;\n"
                "  true_parameter 1/2, 1;\nend\n",
        "needs 'flux'");
  fails(kHead + kBody + "  flux q;\n  true_parameter 1/2, 1;\nend\n", "given twice");
  fails(kHead + kBody + "  stefan_number 1;\n  true_parameter 1/2, 1;\nend\n", "does not belong to the inverse problem");
  fails(kHead + kBody + "  weights 1, -1, 1;\n  true_parameter 1/2, 1;\nend\n", "nonnegative");
  fails(kHead + kBody + "  final_front y;\n  true_parameter 1/2, 1;\nend\n", "unknown name 'y'");
  fails("variables q in [0, 1];\nstefan problem neumann_dirichlet; stefan_number 1; flux q;\nend\n",
        "belongs to the inverse problem");
  fails("variables t in [0, 1];\nstefan problem inverse;\nend\n", "'t' is the time variable");
  fails("stefan problem inverse;\nend\n", "needs its controls as variables");
  fails("variables q in [0, 1];\nstefan problem inverse; scheme implicit; grid 2 2; initial_front 1;\n"
        "flux q; front 2 + q * t; initial 1 - x; true_parameter 1;\nend\n",
        "must equal s0 at t = 0");
  fails("variables q in [0, 1];\nstefan problem inverse; grid 2 2;\n"
        "flux q; front 1 + q * t; initial 1 - x; true_parameter 1;\nend\n",
        "needs a 'scheme' statement");
}
