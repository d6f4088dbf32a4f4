#include "converter/fuse/use_count.h"

#include <cstring>

namespace litelint::converter {

std::vector<int> use_counts(const tfl::Subgraph& sg) {
  std::vector<int> uses(sg.tensors.size(), 0);
  for (const auto& op : sg.operators) {
    for (auto t : op.inputs) {
      if (t >= 0) ++uses[t];
    }
  }
  for (auto t : sg.outputs) ++uses[t];
  return uses;
}

int producer_of(const tfl::Subgraph& sg, std::int32_t tensor) {
  for (std::size_t i = 0; i < sg.operators.size(); ++i) {
    for (auto t : sg.operators[i].outputs) {
      if (t == tensor) return static_cast<int>(i);
    }
  }
  return -1;
}

std::span<const std::byte> constant_bytes(const tfl::Model& model, const tfl::Subgraph& sg,
                                          std::int32_t tensor) {
  if (tensor < 0) return {};
  const auto buffer = sg.tensors[tensor].buffer;
  if (buffer == 0 || buffer >= model.buffers.size()) return {};
  return model.buffers[buffer].bytes();
}

std::optional<float> scalar_f32(const tfl::Model& model, const tfl::Subgraph& sg, std::int32_t tensor) {
  if (tensor < 0 || sg.tensors[tensor].type != tflite::TensorType::FLOAT32) return std::nullopt;
  const auto bytes = constant_bytes(model, sg, tensor);
  if (bytes.size() != 4) return std::nullopt;
  float v;
  std::memcpy(&v, bytes.data(), 4);
  return v;
}

}  // namespace litelint::converter
