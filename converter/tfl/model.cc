#include "converter/tfl/model.h"

#include <algorithm>

#include "rules/engine/opdb.h"

namespace litelint::converter::tfl {

bool Tensor::is_dynamic() const {
  return !has_rank || std::any_of(signature.begin(), signature.end(), [](std::int32_t d) { return d < 0; });
}

std::int32_t Subgraph::add_tensor(Tensor t) {
  tensors.push_back(std::move(t));
  return static_cast<std::int32_t>(tensors.size() - 1);
}

std::uint32_t Model::add_buffer(Buffer b) {
  buffers.push_back(std::move(b));
  return static_cast<std::uint32_t>(buffers.size() - 1);
}

std::uint32_t Model::add_buffer(std::vector<std::byte> bytes) {
  Buffer b;
  b.owned = std::move(bytes);
  return add_buffer(std::move(b));
}

std::size_t type_size(tflite::TensorType t) {
  using T = tflite::TensorType;
  switch (t) {
    case T::FLOAT32: case T::INT32: case T::UINT32: return 4;
    case T::FLOAT16: case T::INT16: case T::UINT16: case T::BFLOAT16: return 2;
    case T::INT64: case T::UINT64: case T::FLOAT64: case T::COMPLEX64: return 8;
    case T::COMPLEX128: return 16;
    case T::UINT8: case T::INT8: case T::BOOL: return 1;
    default: return 0;
  }
}

std::optional<tflite::BuiltinOperator> builtin_by_name(std::string_view name) {
  const auto* info = rules::find_builtin(name);
  if (info == nullptr) return std::nullopt;
  return static_cast<tflite::BuiltinOperator>(info->code);
}

std::string op_name(const Operator& op) {
  if (op.builtin == tflite::BuiltinOperator::CUSTOM) return op.custom_code;
  return tflite::EnumNameBuiltinOperator(op.builtin);
}

}  // namespace litelint::converter::tfl
