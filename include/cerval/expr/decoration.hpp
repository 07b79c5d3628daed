#pragma once
// Definedness of an evaluation, after the IEEE 1788 decorations.
//
// Every function in cerval's set is continuous wherever it is defined, so the
// decorations that matter are: `trv` (the function may be undefined somewhere
// on the box: nothing may be concluded about all points), `dac` (defined and
// continuous on the whole box) and `com` (dac and the enclosure is bounded).
// A claim is proven only on boxes where its expression is at least `dac`.
#include <algorithm>
#include <cstdint>

namespace cerval::expr {

enum class Decoration : std::uint8_t { trv = 0, dac = 1, com = 2 };

inline Decoration worst(Decoration a, Decoration b) { return std::min(a, b); }
inline bool is_defined_everywhere(Decoration d) { return d >= Decoration::dac; }
const char* to_string(Decoration d);

}  // namespace cerval::expr
