// x * 1, x / 1, x + 0 and x - 0 (with a constant that does not broadcast x to a larger shape)
// are x: TensorFlow's converter drops them, e.g. the swish `beta` MUL by 1.0 of every
// EfficientNet block and the zero shift of a batch norm without offset.
#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "converter/fuse/passes.h"
#include "converter/fuse/use_count.h"

namespace litelint::converter {
namespace {

using B = tflite::BuiltinOperator;

// True when every float32 element of the constant tensor equals `value`.
bool all_equal(const tfl::Model& model, const tfl::Subgraph& sg, std::int32_t t, float value) {
  if (t < 0 || sg.tensors[t].type != tflite::TensorType::FLOAT32) return false;
  const auto bytes = constant_bytes(model, sg, t);
  if (bytes.empty() || bytes.size() % 4 != 0) return false;
  for (std::size_t i = 0; i < bytes.size(); i += 4) {
    float v;
    std::memcpy(&v, bytes.data() + i, 4);
    if (v != value) return false;
  }
  return true;
}

// The identity element of a binary op on the constant side (`side` 1: x op c, 0: c op x).
std::optional<float> identity_of(B op, int side) {
  switch (op) {
    case B::ADD: return 0.0F;
    case B::MUL: return 1.0F;
    case B::SUB: return side == 1 ? std::optional<float>(0.0F) : std::nullopt;
    case B::DIV: return side == 1 ? std::optional<float>(1.0F) : std::nullopt;
    default: return std::nullopt;
  }
}

bool no_fused_activation(const tfl::Operator& op) {
  using A = tflite::ActivationFunctionType;
  if (const auto* o = op.options.AsAddOptions()) return o->fused_activation_function == A::NONE;
  if (const auto* o = op.options.AsSubOptions()) return o->fused_activation_function == A::NONE;
  if (const auto* o = op.options.AsMulOptions()) return o->fused_activation_function == A::NONE;
  if (const auto* o = op.options.AsDivOptions()) return o->fused_activation_function == A::NONE;
  return true;
}

}  // namespace

bool remove_identity_arithmetic(tfl::Model& model, std::size_t subgraph, ConvertReport& report) {
  auto& sg = model.subgraphs[subgraph];
  for (std::size_t i = 0; i < sg.operators.size(); ++i) {
    const auto& op = sg.operators[i];
    if (op.inputs.size() != 2 || op.outputs.size() != 1 || !no_fused_activation(op)) continue;
    for (int side = 0; side < 2; ++side) {
      const auto c = op.inputs[side];
      const auto x = op.inputs[1 - side];
      const auto id = identity_of(op.builtin, side);
      if (!id || x < 0 || !all_equal(model, sg, c, *id)) continue;
      const auto out = op.outputs[0];
      // The constant must not broadcast x up, and x must not be a graph input that would then
      // also be a graph output (a subgraph may not alias the two).
      if (sg.tensors[x].signature != sg.tensors[out].signature || sg.tensors[x].type != sg.tensors[out].type) continue;
      const bool out_is_output = std::find(sg.outputs.begin(), sg.outputs.end(), out) != sg.outputs.end();
      const bool x_is_boundary = std::find(sg.inputs.begin(), sg.inputs.end(), x) != sg.inputs.end() ||
                                 std::find(sg.outputs.begin(), sg.outputs.end(), x) != sg.outputs.end() ||
                                 constant_bytes(model, sg, x).size() > 0;
      if (out_is_output && x_is_boundary) continue;
      for (auto& other : sg.operators) {
        for (auto& t : other.inputs) {
          if (t == out) t = x;
        }
      }
      for (auto& t : sg.outputs) {
        if (t == out) t = x;
      }
      for (auto& sig : model.signatures) {
        if (sig.subgraph != subgraph) continue;
        for (auto& [name, t] : sig.outputs) {
          if (t == out) t = x;
        }
      }
      if (out_is_output) sg.tensors[x].name = sg.tensors[out].name;
      report.fusions.push_back(fmt::format("{} by its identity element removed ({})", tfl::op_name(op),
                                           sg.tensors[out].name));
      sg.operators.erase(sg.operators.begin() + static_cast<std::ptrdiff_t>(i));
      return true;
    }
  }
  return false;
}

}  // namespace litelint::converter
