#include <cerval/expr/forms.hpp>

#include <stdexcept>

namespace cerval::expr {

const char* to_string(Form f) {
  switch (f) {
    case Form::Natural: return "natural";
    case Form::MeanValue: return "mean_value";
    case Form::Taylor2: return "taylor2";
    case Form::Monotone: return "monotone";
  }
  return "?";
}

Form form_from_string(const std::string& name) {
  if (name == "natural") return Form::Natural;
  if (name == "mean_value") return Form::MeanValue;
  if (name == "taylor2") return Form::Taylor2;
  if (name == "monotone") return Form::Monotone;
  throw std::invalid_argument("unknown bounding form '" + name + "'");
}

std::vector<double> default_center(const std::vector<numeric::Interval>& box) {
  std::vector<double> c;
  c.reserve(box.size());
  for (const auto& x : box) c.push_back(x.midpoint());
  return c;
}

}  // namespace cerval::expr
