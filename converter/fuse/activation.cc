// op + RELU -> op with fused_activation_function RELU (likewise RELU6 and RELU_N1_TO_1), for
// the float operators whose options carry a fused activation. TensorFlow's converter does the
// same; it saves an operator and a pass over the activation tensor.
#include <fmt/format.h>

#include "converter/fuse/fused_activation.h"
#include "converter/fuse/passes.h"
#include "converter/fuse/use_count.h"

namespace litelint::converter {
namespace {

std::optional<tflite::ActivationFunctionType> activation_of(tflite::BuiltinOperator op) {
  using B = tflite::BuiltinOperator;
  using A = tflite::ActivationFunctionType;
  switch (op) {
    case B::RELU: return A::RELU;
    case B::RELU6: return A::RELU6;
    case B::RELU_N1_TO_1: return A::RELU_N1_TO_1;
    default: return std::nullopt;
  }
}

}  // namespace

bool fuse_activation(tfl::Model& model, std::size_t subgraph, ConvertReport& report) {
  auto& sg = model.subgraphs[subgraph];
  const auto uses = use_counts(sg);
  for (std::size_t r = 0; r < sg.operators.size(); ++r) {
    auto& act = sg.operators[r];
    const auto kind = activation_of(act.builtin);
    if (!kind || act.inputs.size() != 1 || act.inputs[0] < 0) continue;
    const auto x = act.inputs[0];
    if (uses[x] != 1 || sg.tensors[x].type != tflite::TensorType::FLOAT32) continue;
    const int p = producer_of(sg, x);
    if (p < 0) continue;
    auto& prod = sg.operators[p];
    if (prod.outputs.size() != 1) continue;
    // TensorFlow fuses into TRANSPOSE_CONV only when its output shape is a constant
    // (conv_transpose: a computed shape keeps the RELU apart).
    if (prod.builtin == tflite::BuiltinOperator::TRANSPOSE_CONV &&
        constant_bytes(model, sg, prod.inputs.empty() ? -1 : prod.inputs[0]).empty()) {
      continue;
    }
    auto* slot = fused_activation(prod);
    if (slot == nullptr || *slot != tflite::ActivationFunctionType::NONE) continue;
    *slot = *kind;
    prod.outputs[0] = act.outputs[0];
    prod.origin.insert(prod.origin.end(), act.origin.begin(), act.origin.end());
    report.fusions.push_back(fmt::format("{}+{} -> {} ({})", tfl::op_name(prod), tfl::op_name(act),
                                         tfl::op_name(prod), sg.tensors[act.outputs[0]].name));
    sg.operators.erase(sg.operators.begin() + static_cast<std::ptrdiff_t>(r));
    return true;
  }
  return false;
}

}  // namespace litelint::converter
