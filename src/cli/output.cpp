#include "output.hpp"

#include <cstdio>

namespace cerval::cli {

std::string format_exact(double x) {
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%.17g", x);
  return buffer;
}

nlohmann::json box_to_json(const std::vector<numeric::Interval>& box) {
  nlohmann::json j = nlohmann::json::array();
  for (const auto& x : box) j.push_back({format_lower(x, 17), format_upper(x, 17)});
  return j;
}

}  // namespace cerval::cli
