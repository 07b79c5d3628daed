#include <cerval/expr/decoration.hpp>

namespace cerval::expr {

const char* to_string(Decoration d) {
  switch (d) {
    case Decoration::trv: return "trv";
    case Decoration::dac: return "dac";
    case Decoration::com: return "com";
  }
  return "?";
}

}  // namespace cerval::expr
