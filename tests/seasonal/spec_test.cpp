#include <catch2/catch.hpp>

#include <cerval/seasonal/spec.hpp>

#include <string>

using cerval::expr::InputError;
using cerval::numeric::Rational;
using namespace cerval::seasonal;

namespace {

const char* kGood =
    "constants\n r = 1;\nvariables\n J in [0, 10];\n A in [0, 20];\nseasonal\n period 2;\n"
    " season unfavourable\n  J' = -J - J^2;\n  A' = J - A;\n"
    " season favourable:\n  A' = J - A;\n  J' = r*A*(1 - J/10) - J;\n"
    " theta = 1/2;\n theta in [0.25, 0.5];\n digits 40;\nend\n";

// The message of the InputError thrown while parsing `text`.
std::string error_of(const std::string& text) {
  try {
    parse_seasonal_spec(text, "bad.spec");
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

std::string with_seasons(const std::string& seasons) {
  return "variables\n x in [0, 1];\n y in [0, 1];\nseasonal\n period 1;\n" + seasons + "end\n";
}

}  // namespace

TEST_CASE("a seasonal section is parsed into states, seasons, period and requests") {
  const SeasonalSpec s = parse_seasonal_spec(kGood, "good.spec");
  REQUIRE(s.dimension() == 2);
  CHECK(s.states == std::vector<std::string>{"J", "A"});
  CHECK(s.region_upper[0] == 10);
  CHECK(s.region_upper[1] == 20);
  CHECK(s.period_text == "2");
  REQUIRE(s.unfavourable.rhs.size() == 2);
  REQUIRE(s.favourable.rhs.size() == 2);
  // Equations may come in any order: each lands at its state variable.
  CHECK(s.favourable.text[0] == "r*A*(1 - J/10) - J");
  CHECK(s.favourable.text[1] == "J - A");
  CHECK(s.unfavourable.text[0] == "-J - J^2");
  REQUIRE(s.thetas.size() == 2);
  CHECK(s.thetas[0].is_point());
  CHECK(s.thetas[0].lower == Rational(1, 2));
  CHECK(s.thetas[1].lower == Rational(1, 4));
  CHECK(s.thetas[1].upper == Rational(1, 2));
  CHECK(s.digits == 40);
  CHECK_FALSE(s.threshold);  // only classifications requested
}

TEST_CASE("without requests the threshold is computed") {
  const SeasonalSpec s = parse_seasonal_spec(
      with_seasons(" season unfavourable\n x' = -x; y' = -y;\n season favourable\n x' = y; y' = x;\n"), "t.spec");
  CHECK(s.threshold);
  CHECK(s.thetas.empty());
}

TEST_CASE("bad seasonal specs are rejected with file:line:col") {
  SECTION("missing season") {
    const std::string e = error_of(with_seasons(" season favourable\n x' = y; y' = x;\n"));
    CHECK(e.find("bad.spec:") == 0);
    CHECK(e.find("'season unfavourable'") != std::string::npos);
  }
  SECTION("non-square system: an equation missing") {
    const std::string e =
        error_of(with_seasons(" season unfavourable\n x' = -x;\n season favourable\n x' = y; y' = x;\n"));
    CHECK(e.find("bad.spec:6:9: error: season 'unfavourable' has no equation y'") == 0);
  }
  SECTION("unknown variable") {
    const std::string e =
        error_of(with_seasons(" season unfavourable\n x' = -x; z' = -y;\n season favourable\n x' = y; y' = x;\n"));
    CHECK(e.find("bad.spec:7:11: error: unknown state variable 'z'") == 0);
  }
  SECTION("unknown name in a right-hand side") {
    const std::string e =
        error_of(with_seasons(" season unfavourable\n x' = -w; y' = -y;\n season favourable\n x' = y; y' = x;\n"));
    CHECK(e.find("bad.spec:7:8: error:") == 0);
    CHECK(e.find("'w'") != std::string::npos);
  }
  SECTION("equation given twice") {
    const std::string e = error_of(
        with_seasons(" season unfavourable\n x' = -x; x' = -x; y' = -y;\n season favourable\n x' = y; y' = x;\n"));
    CHECK(e.find("twice") != std::string::npos);
  }
  SECTION("derivative outside a season") {
    const std::string e = error_of(
        "variables\n x in [0, 1];\nseasonal\n period 1;\n x' = -x;\n season unfavourable\n x' = -x;\n"
        " season favourable\n x' = x;\nend\n");
    CHECK(e.find("bad.spec:5:2:") == 0);
  }
  SECTION("prime in an expression") {
    const std::string e = error_of(with_seasons(" season unfavourable\n x' = -x'; y' = -y;\n season favourable\n"
                                                " x' = y; y' = x;\n"));
    CHECK(e.find("bad.spec:7:") == 0);
  }
  SECTION("region must start at 0 and be bounded") {
    CHECK(error_of("variables\n x in [1, 2];\nseasonal\n period 1;\nend\n").find("must start at 0") != std::string::npos);
    CHECK(error_of("variables\n x in [0, oo];\nseasonal\n period 1;\nend\n").find("finite upper bound") !=
          std::string::npos);
  }
  SECTION("theta outside [0, 1]") {
    const std::string e = error_of(with_seasons(" season unfavourable\n x' = -x; y' = -y;\n season favourable\n"
                                                " x' = y; y' = x;\n theta = 3/2;\n"));
    CHECK(e.find("theta must lie in [0, 1]") != std::string::npos);
  }
  SECTION("period not positive") {
    CHECK(error_of("variables\n x in [0, 1];\nseasonal\n period -1;\nend\n").find("certainly > 0") !=
          std::string::npos);
  }
  SECTION("no seasonal section") {
    CHECK(error_of("variables\n x in [0, 1];\n").find("no 'seasonal' section") != std::string::npos);
  }
}
