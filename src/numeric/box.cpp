#include <cerval/numeric/box.hpp>

#include <cmath>
#include <ostream>
#include <stdexcept>

namespace cerval::numeric {

namespace {

void require_same_size(std::size_t a, std::size_t b, const char* what) {
  if (a != b)
    throw std::invalid_argument(std::string(what) + ": dimension mismatch (" + std::to_string(a) + " vs " +
                                std::to_string(b) + ")");
}

}  // namespace

bool Box::is_empty() const noexcept {
  for (const Interval& c : x_)
    if (c.is_empty()) return true;
  return false;
}

double Box::width() const noexcept {
  if (is_empty()) return 0.0;
  double w = 0.0;
  for (const Interval& c : x_) w = std::max(w, c.width());
  return w;
}

std::size_t Box::widest_dimension() const {
  if (x_.empty()) throw std::domain_error("widest dimension of a zero-dimensional box");
  std::size_t best = 0;
  double best_width = x_[0].width();
  for (std::size_t i = 1; i < x_.size(); ++i) {
    const double w = x_[i].width();
    if (w > best_width) {
      best = i;
      best_width = w;
    }
  }
  return best;
}

std::vector<double> Box::midpoint() const {
  if (is_empty()) throw std::domain_error("midpoint of an empty box");
  std::vector<double> m;
  m.reserve(x_.size());
  for (const Interval& c : x_) m.push_back(c.midpoint());
  return m;
}

std::pair<Box, Box> Box::bisect(std::size_t dim) const {
  if (dim >= x_.size()) throw std::out_of_range("bisect: dimension " + std::to_string(dim) + " out of range");
  if (x_[dim].is_empty()) throw std::domain_error("bisect: component is empty");
  return bisect(dim, x_[dim].midpoint());
}

std::pair<Box, Box> Box::bisect(std::size_t dim, double point) const {
  if (dim >= x_.size()) throw std::out_of_range("bisect: dimension " + std::to_string(dim) + " out of range");
  const Interval& c = x_[dim];
  if (c.is_empty()) throw std::domain_error("bisect: component is empty");
  if (!c.contains(point) || std::isinf(point))
    throw std::invalid_argument("bisect: split point outside the component");
  Box lo(*this), hi(*this);
  lo.x_[dim] = Interval(c.lower(), point);
  hi.x_[dim] = Interval(point, c.upper());
  return {std::move(lo), std::move(hi)};
}

bool Box::contains(std::span<const double> point) const {
  require_same_size(x_.size(), point.size(), "Box::contains");
  for (std::size_t i = 0; i < x_.size(); ++i)
    if (!x_[i].contains(point[i])) return false;
  return true;
}

bool Box::contains(const Box& other) const {
  require_same_size(x_.size(), other.size(), "Box::contains");
  if (other.is_empty()) return true;
  if (is_empty()) return false;
  for (std::size_t i = 0; i < x_.size(); ++i)
    if (!x_[i].contains(other.x_[i])) return false;
  return true;
}

double Box::volume() const noexcept {
  if (is_empty()) return 0.0;
  double v = 1.0;
  for (const Interval& c : x_) {
    const double w = c.width();
    if (w == 0) return 0.0;
    v = detail::mul_up(v, w);
  }
  return v;
}

bool operator==(const Box& a, const Box& b) noexcept { return a.x_ == b.x_; }

Box hull(const Box& a, const Box& b) {
  require_same_size(a.size(), b.size(), "hull");
  if (a.is_empty()) return b;
  if (b.is_empty()) return a;
  std::vector<Interval> r;
  r.reserve(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) r.push_back(hull(a[i], b[i]));
  return Box(std::move(r));
}

Box intersect(const Box& a, const Box& b) {
  require_same_size(a.size(), b.size(), "intersect");
  std::vector<Interval> r;
  r.reserve(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) r.push_back(intersect(a[i], b[i]));
  return Box(std::move(r));
}

std::string to_string(const Box& b) {
  std::string s = "(";
  for (std::size_t i = 0; i < b.size(); ++i) {
    if (i > 0) s += ", ";
    s += to_string(b[i]);
  }
  return s + ")";
}

std::ostream& operator<<(std::ostream& os, const Box& b) { return os << to_string(b); }

}  // namespace cerval::numeric
