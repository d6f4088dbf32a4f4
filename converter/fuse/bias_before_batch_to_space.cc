// BATCH_TO_SPACE_ND(CONV_2D(x)) + c  ->  BATCH_TO_SPACE_ND(CONV_2D(x) + c), for a per-channel
// constant c. Dilated convolutions reach the converter as SpaceToBatchND -> Conv2D ->
// BatchToSpaceND -> BiasAdd; BATCH_TO_SPACE_ND only moves pixels between the batch and the
// spatial axes, so the bias can be added before it, where bias_add.cc folds it into the
// convolution. TensorFlow's converter ends with the same three operators and no ADD.
#include <fmt/format.h>

#include "converter/fuse/passes.h"
#include "converter/fuse/use_count.h"

namespace litelint::converter {
namespace {

using B = tflite::BuiltinOperator;

// A float32 constant of shape [C] or [1,...,1,C].
bool is_channel_vector(const tfl::Model& model, const tfl::Subgraph& sg, std::int32_t t, std::int32_t channels) {
  const auto& tensor = sg.tensors[t];
  if (tensor.type != tflite::TensorType::FLOAT32 || tensor.shape.empty() || tensor.shape.back() != channels) return false;
  for (std::size_t i = 0; i + 1 < tensor.shape.size(); ++i) {
    if (tensor.shape[i] != 1) return false;
  }
  return constant_bytes(model, sg, t).size() == static_cast<std::size_t>(channels) * 4;
}

}  // namespace

bool move_bias_before_batch_to_space(tfl::Model& model, std::size_t subgraph, ConvertReport& report) {
  auto& sg = model.subgraphs[subgraph];
  const auto uses = use_counts(sg);
  for (std::size_t a = 0; a < sg.operators.size(); ++a) {
    auto& add = sg.operators[a];
    if (add.builtin != B::ADD || add.inputs.size() != 2 || add.outputs.size() != 1) continue;
    for (int side = 0; side < 2; ++side) {
      const auto moved = add.inputs[side];  // BATCH_TO_SPACE_ND's output
      const auto c = add.inputs[1 - side];
      if (moved < 0 || c < 0 || uses[moved] != 1) continue;
      const int s = producer_of(sg, moved);
      if (s < 0 || sg.operators[s].builtin != B::BATCH_TO_SPACE_ND) continue;
      const auto y = sg.operators[s].inputs[0];
      const int p = producer_of(sg, y);
      if (p < 0 || uses[y] != 1) continue;
      const auto conv = sg.operators[p].builtin;
      if (conv != B::CONV_2D && conv != B::DEPTHWISE_CONV_2D) continue;
      const auto& out = sg.tensors[moved];
      if (out.shape.empty() || sg.tensors[add.outputs[0]].shape != out.shape) continue;
      if (!is_channel_vector(model, sg, c, out.shape.back())) continue;
      // ADD(y, c) -> t, then BATCH_TO_SPACE_ND(t) -> the ADD's old output.
      const auto result = add.outputs[0];
      add.inputs[side] = y;
      add.outputs[0] = moved;
      sg.tensors[moved].shape = sg.tensors[y].shape;
      sg.tensors[moved].signature = sg.tensors[y].signature;
      auto& b2s = sg.operators[s];
      b2s.inputs[0] = moved;
      b2s.outputs[0] = result;
      std::swap(sg.operators[a], sg.operators[s]);
      report.fusions.push_back(
          fmt::format("BATCH_TO_SPACE_ND+ADD -> ADD+BATCH_TO_SPACE_ND ({})", sg.tensors[result].name));
      return true;
    }
  }
  return false;
}

}  // namespace litelint::converter
