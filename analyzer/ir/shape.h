#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/support/input_limits.h"

namespace litelint::ir {

/// A static tensor shape as far as it is known: unknown rank, or a list of dimensions where
/// kUnknownDim marks a dimension that is only known at run time. Never guessed.
class Shape {
 public:
  static constexpr std::int64_t kUnknownDim = -1;
  /// Rank of a shape read from a file is bounded; TensorFlow's own limit is 254 (the rank row
  /// of kInputLimits).
  static constexpr std::size_t kMaxRank = input_limit_info(InputLimit::Rank).default_value;

  /// A shape of unknown rank.
  Shape() = default;
  /// A shape of known rank; dims may be kUnknownDim.
  explicit Shape(std::vector<std::int64_t> dims) : known_rank_(true), dims_(std::move(dims)) {}

  static Shape unknown() { return Shape(); }
  static Shape scalar() { return Shape(std::vector<std::int64_t>{}); }

  bool has_rank() const { return known_rank_; }
  /// Rank; only meaningful when has_rank().
  std::size_t rank() const { return dims_.size(); }
  const std::vector<std::int64_t>& dims() const { return dims_; }
  std::int64_t dim(std::size_t i) const { return dims_[i]; }
  /// True when the rank and every dimension are known.
  bool is_fully_defined() const;
  /// Number of elements, when fully defined and it fits in int64.
  std::optional<std::int64_t> num_elements() const;

  /// "[?,224,224,3]", "[]" for a scalar, "<unknown>" for unknown rank.
  std::string to_string() const;

  friend bool operator==(const Shape&, const Shape&) = default;

 private:
  bool known_rank_ = false;
  std::vector<std::int64_t> dims_;
};

}  // namespace litelint::ir
