#include "analyzer/ir/shape.h"

#include <limits>

namespace litelint::ir {

bool Shape::is_fully_defined() const {
  if (!known_rank_) return false;
  for (auto d : dims_) {
    if (d < 0) return false;
  }
  return true;
}

std::optional<std::int64_t> Shape::num_elements() const {
  if (!is_fully_defined()) return std::nullopt;
  std::int64_t n = 1;
  for (auto d : dims_) {
    if (d != 0 && n > std::numeric_limits<std::int64_t>::max() / d) return std::nullopt;
    n *= d;
  }
  return n;
}

std::string Shape::to_string() const {
  if (!known_rank_) return "<unknown>";
  std::string out = "[";
  for (std::size_t i = 0; i < dims_.size(); ++i) {
    if (i) out += ",";
    out += dims_[i] < 0 ? "?" : std::to_string(dims_[i]);
  }
  return out + "]";
}

}  // namespace litelint::ir
