#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "analyzer/ir/dtype.h"
#include "analyzer/ir/shape.h"
#include "analyzer/support/expected.h"

namespace litelint::ir {

/// Element bytes of a tensor, owned or borrowed from a mapped file that `keep_alive` pins.
struct TensorBytes {
  std::span<const std::byte> bytes;
  std::shared_ptr<const void> keep_alive;
  /// For DT_STRING tensors: the elements (bytes is empty then).
  std::vector<std::string> strings;
};

/// A constant or variable value whose bytes are read only when a pass asks for them: a Const
/// node's TensorProto is decoded on demand and a variable's bytes come from a mapped
/// checkpoint shard. Copies share the loader and its cached result.
class Tensor {
 public:
  using Loader = std::function<Expected<TensorBytes>()>;

  Tensor() = default;
  Tensor(DType dtype, Shape shape, Loader loader)
      : dtype_(dtype), shape_(std::move(shape)), loader_(std::make_shared<Loader>(std::move(loader))) {}

  DType dtype() const { return dtype_; }
  const Shape& shape() const { return shape_; }
  /// Byte size the loader reported or the shape implies (0 when unknown).
  std::uint64_t byte_size() const { return byte_size_; }
  void set_byte_size(std::uint64_t n) { byte_size_ = n; }
  bool has_value() const { return static_cast<bool>(loader_); }

  /// Reads (or decodes) the element bytes; row-major, little-endian.
  Expected<TensorBytes> load() const {
    if (!loader_) return fail(ErrorCode::Internal, "tensor has no value");
    return (*loader_)();
  }

 private:
  DType dtype_ = DType::Invalid;
  Shape shape_;
  std::uint64_t byte_size_ = 0;
  std::shared_ptr<Loader> loader_;
};

}  // namespace litelint::ir
