// Decorations (include/cerval/expr/decoration.hpp): the order trv < dac <
// com, worst() as the meet, definedness and names.
#include <cerval/expr/decoration.hpp>

#include <catch2/catch.hpp>

#include <string>

using namespace cerval;
using expr::Decoration;

TEST_CASE("decorations: order, worst and definedness", "[decoration]") {
  const Decoration all[] = {Decoration::trv, Decoration::dac, Decoration::com};
  for (Decoration a : all)
    for (Decoration b : all) {
      CHECK(expr::worst(a, b) == expr::worst(b, a));
      CHECK(expr::worst(a, b) <= a);
      CHECK(expr::worst(a, b) <= b);
      CHECK((expr::worst(a, b) == a || expr::worst(a, b) == b));
    }
  CHECK(expr::worst(Decoration::com, Decoration::trv) == Decoration::trv);
  CHECK(expr::worst(Decoration::com, Decoration::dac) == Decoration::dac);
  CHECK(expr::worst(Decoration::com, Decoration::com) == Decoration::com);
  CHECK_FALSE(expr::is_defined_everywhere(Decoration::trv));
  CHECK(expr::is_defined_everywhere(Decoration::dac));
  CHECK(expr::is_defined_everywhere(Decoration::com));
}

TEST_CASE("decoration names", "[decoration]") {
  CHECK(std::string(expr::to_string(Decoration::trv)) == "trv");
  CHECK(std::string(expr::to_string(Decoration::dac)) == "dac");
  CHECK(std::string(expr::to_string(Decoration::com)) == "com");
}
