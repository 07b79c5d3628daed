#pragma once
// Box: an axis-aligned box in R^n, the product of n Intervals.
//
// Contract: every query is exact or rounded in the safe direction (widths and
// volume rounded up); bisection produces two boxes whose union is the input
// and which share the split point, so a branch and bound that bisects never
// loses a point. A box is empty when any component is empty; a
// zero-dimensional box (R^0) is one point, not empty. Operations on two boxes
// of different dimension, or on an index out of range, throw
// std::invalid_argument / std::out_of_range.
#include <cerval/numeric/interval.hpp>

#include <cstddef>
#include <initializer_list>
#include <iosfwd>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace cerval::numeric {

class Box {
 public:
  Box() = default;  // zero-dimensional
  explicit Box(std::vector<Interval> components) : x_(std::move(components)) {}
  Box(std::initializer_list<Interval> components) : x_(components) {}

  std::size_t size() const noexcept { return x_.size(); }
  const Interval& operator[](std::size_t i) const { return x_[i]; }
  Interval& operator[](std::size_t i) { return x_[i]; }
  const std::vector<Interval>& components() const noexcept { return x_; }
  auto begin() const noexcept { return x_.begin(); }
  auto end() const noexcept { return x_.end(); }

  bool is_empty() const noexcept;
  // Largest component width, rounded up (+inf if unbounded; 0 for an empty
  // or zero-dimensional box).
  double width() const noexcept;
  // Index of a component of largest width (the first one on ties). Throws
  // std::domain_error for a zero-dimensional box.
  std::size_t widest_dimension() const;
  // A point of the box: each component's Interval::midpoint(). Throws
  // std::domain_error for an empty box.
  std::vector<double> midpoint() const;
  // The two halves of the box cut across dimension `dim` at its midpoint or
  // at `point` (lower <= point <= upper of that component): they differ
  // from the box only in that component, [lower, point] and [point, upper].
  // Throws std::out_of_range for a bad dim, std::domain_error when that
  // component is empty, std::invalid_argument for a point outside it.
  std::pair<Box, Box> bisect(std::size_t dim) const;
  std::pair<Box, Box> bisect(std::size_t dim, double point) const;
  // Exact membership of a point (same dimension required).
  bool contains(std::span<const double> point) const;
  // `other` is a subset (an empty box is a subset of every box of its
  // dimension).
  bool contains(const Box& other) const;
  // Product of the widths, rounded up (0 for an empty box, 1 in dimension 0;
  // a zero width wins over an infinite one).
  double volume() const noexcept;

  // Componentwise exact equality (two empty intervals are equal).
  friend bool operator==(const Box& a, const Box& b) noexcept;

 private:
  std::vector<Interval> x_;
};

// Componentwise hull and intersection (same dimension required). The
// intersection is empty when any component intersection is.
Box hull(const Box& a, const Box& b);
Box intersect(const Box& a, const Box& b);

// "([a, b], [c, d])" with each component as to_string(Interval).
std::string to_string(const Box& b);
std::ostream& operator<<(std::ostream& os, const Box& b);

}  // namespace cerval::numeric
