// CONV_2D(x, w, b) + c  ->  CONV_2D(x, w, b + c), when c is a per-channel constant: what
// TensorFlow's converter does for BiasAdd (and the ADD half of an inference batch norm).
#include <cstring>

#include <fmt/format.h>

#include "converter/fuse/fused_activation.h"
#include "converter/fuse/passes.h"
#include "converter/fuse/use_count.h"

namespace litelint::converter {
namespace {

// Where each fusable operator takes its bias.
int bias_operand(tflite::BuiltinOperator op) {
  using B = tflite::BuiltinOperator;
  switch (op) {
    case B::CONV_2D: case B::DEPTHWISE_CONV_2D: case B::FULLY_CONNECTED: return 2;
    case B::TRANSPOSE_CONV: return 3;
    default: return -1;
  }
}

// The float values of a constant with exactly `channels` elements laid out along the last
// axis (shape [C], [1,C], [1,1,1,C], ...), or of one element broadcast to `channels` (a scalar
// such as hard_sigmoid's + 3, which TensorFlow folds into the bias as well), or empty.
std::vector<float> per_channel(const tfl::Model& model, const tfl::Subgraph& sg, std::int32_t t,
                               std::int32_t channels) {
  const auto& tensor = sg.tensors[t];
  if (tensor.type != tflite::TensorType::FLOAT32) return {};
  for (std::size_t i = 0; i + 1 < tensor.shape.size(); ++i) {
    if (tensor.shape[i] != 1) return {};
  }
  const bool one = tensor.shape.empty() || tensor.shape.back() == 1;
  if (!one && tensor.shape.back() != channels) return {};
  const auto bytes = constant_bytes(model, sg, t);
  if (bytes.size() != (one ? 1U : static_cast<std::size_t>(channels)) * 4) return {};
  std::vector<float> v(one ? 1 : channels);
  std::memcpy(v.data(), bytes.data(), bytes.size());
  const float first = v[0];
  v.resize(channels, first);
  return v;
}

tflite::ActivationFunctionType add_activation(const tfl::Operator& add) {
  const auto* o = add.options.AsAddOptions();
  return o != nullptr ? o->fused_activation_function : tflite::ActivationFunctionType::NONE;
}

}  // namespace

bool fuse_bias_add(tfl::Model& model, std::size_t subgraph, ConvertReport& report) {
  auto& sg = model.subgraphs[subgraph];
  const auto uses = use_counts(sg);
  for (std::size_t a = 0; a < sg.operators.size(); ++a) {
    auto& add = sg.operators[a];
    if (add.builtin != tflite::BuiltinOperator::ADD || add.inputs.size() != 2) continue;
    if (add_activation(add) != tflite::ActivationFunctionType::NONE) continue;
    for (int side = 0; side < 2; ++side) {
      const auto x = add.inputs[side];
      const auto c = add.inputs[1 - side];
      if (x < 0 || c < 0 || uses[x] != 1) continue;
      const int p = producer_of(sg, x);
      if (p < 0) continue;
      auto& prod = sg.operators[p];
      const int bias_at = bias_operand(prod.builtin);
      if (bias_at < 0 || prod.outputs.size() != 1) continue;
      // A fused activation runs before the ADD: the ADD cannot move into the bias.
      if (const auto* act = fused_activation(prod); act != nullptr && *act != tflite::ActivationFunctionType::NONE) continue;
      const auto& out = sg.tensors[x];
      if (out.type != tflite::TensorType::FLOAT32 || out.shape.empty()) continue;
      // The ADD must not change the shape (a bias never broadcasts the output up).
      if (sg.tensors[add.outputs[0]].shape != out.shape) continue;
      const std::int32_t channels = out.shape.back();
      auto addend = per_channel(model, sg, c, channels);
      if (addend.empty()) continue;
      std::vector<float> bias(channels, 0.0F);
      const bool has_bias = static_cast<int>(prod.inputs.size()) > bias_at && prod.inputs[bias_at] >= 0;
      if (has_bias) {
        bias = per_channel(model, sg, prod.inputs[bias_at], channels);
        if (bias.empty()) continue;  // a computed bias: leave the ADD
      }
      for (std::int32_t k = 0; k < channels; ++k) bias[k] += addend[k];
      std::vector<std::byte> bytes(bias.size() * 4);
      std::memcpy(bytes.data(), bias.data(), bytes.size());
      tfl::Tensor t;
      t.name = sg.tensors[c].name;
      t.type = tflite::TensorType::FLOAT32;
      t.shape = {channels};
      t.signature = {channels};
      t.buffer = model.add_buffer(std::move(bytes));
      const auto bias_tensor = sg.add_tensor(std::move(t));
      if (static_cast<int>(prod.inputs.size()) <= bias_at) prod.inputs.resize(bias_at + 1, -1);
      prod.inputs[bias_at] = bias_tensor;
      prod.outputs[0] = add.outputs[0];
      prod.origin.insert(prod.origin.end(), add.origin.begin(), add.origin.end());
      report.fusions.push_back(fmt::format("{}+ADD -> {} ({})", tfl::op_name(prod), tfl::op_name(prod),
                                           sg.tensors[add.outputs[0]].name));
      sg.operators.erase(sg.operators.begin() + static_cast<std::ptrdiff_t>(a));
      return true;
    }
  }
  return false;
}

}  // namespace litelint::converter
