#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "analyzer/ir/dtype.h"
#include "analyzer/ir/shape.h"
#include "analyzer/ir/tensor.h"
#include "analyzer/support/expected.h"

namespace litelint::converter {

/// A constant tensor as legalization and folding see it: a Const node's value, a frozen
/// variable or a folded result. Fully defined shape; bytes row-major, little-endian.
struct ConstValue {
  ir::DType dtype = ir::DType::Invalid;
  ir::Shape shape = ir::Shape::scalar();
  std::vector<std::byte> owned;
  std::span<const std::byte> borrowed;
  std::shared_ptr<const void> keep_alive;
  std::vector<std::string> strings;  ///< DT_STRING elements

  std::span<const std::byte> bytes() const {
    return owned.empty() ? borrowed : std::span<const std::byte>(owned);
  }
  std::int64_t num_elements() const { return shape.num_elements().value_or(0); }
  /// Elements as int64 (int/uint/bool types); nullopt for other types.
  std::optional<std::vector<std::int64_t>> ints() const;
  /// Elements as double (float/half/double and integer types); nullopt otherwise.
  std::optional<std::vector<double>> doubles() const;
  /// A scalar or one-element tensor as int64 / double.
  std::optional<std::int64_t> scalar_int() const;
  std::optional<double> scalar_double() const;

  /// Reads an ir::Tensor (Const attr, checkpoint) into a value; fails on damaged data.
  static Expected<ConstValue> from_tensor(const ir::Tensor& t);
  /// Builds a value of `dtype` from numbers (converted element-wise, row-major).
  static ConstValue from_ints(ir::DType dtype, ir::Shape shape, std::span<const std::int64_t> v);
  static ConstValue from_doubles(ir::DType dtype, ir::Shape shape, std::span<const double> v);
};

}  // namespace litelint::converter
