// A STRIDED_SLICE or SLICE from 0 with unit strides whose static output shape is its input's is
// its input: TensorFlow's converter folds it away (tfl.strided_slice's folder), e.g. the
// whole-signal slice at the start of tf.signal.frame.
#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "converter/fuse/passes.h"
#include "converter/fuse/use_count.h"

namespace litelint::converter {
namespace {

using B = tflite::BuiltinOperator;

// True when `t` is an int32 or int64 constant whose every element equals `value`.
bool all_ints_equal(const tfl::Model& model, const tfl::Subgraph& sg, std::int32_t t, std::int64_t value) {
  if (t < 0) return false;
  const auto type = sg.tensors[t].type;
  const std::size_t size = type == tflite::TensorType::INT32 ? 4 : type == tflite::TensorType::INT64 ? 8 : 0;
  const auto bytes = constant_bytes(model, sg, t);
  if (size == 0 || bytes.empty() || bytes.size() % size != 0) return false;
  for (std::size_t i = 0; i < bytes.size(); i += size) {
    std::int64_t v;
    if (size == 4) {
      std::int32_t v32;
      std::memcpy(&v32, bytes.data() + i, 4);
      v = v32;
    } else {
      std::memcpy(&v, bytes.data() + i, 8);
    }
    if (v != value) return false;
  }
  return true;
}

bool static_shape(const tfl::Tensor& t) {
  return t.has_rank && std::none_of(t.signature.begin(), t.signature.end(), [](std::int32_t d) { return d < 0; });
}

// True when the operator passes its first input through unchanged.
bool is_identity_slice(const tfl::Model& model, const tfl::Subgraph& sg, const tfl::Operator& op) {
  if (op.outputs.size() != 1 || op.inputs.size() < 3 || op.inputs[0] < 0) return false;
  const auto& in = sg.tensors[op.inputs[0]];
  const auto& out = sg.tensors[op.outputs[0]];
  if (!static_shape(in) || !static_shape(out) || in.signature != out.signature || in.type != out.type) return false;
  if (!all_ints_equal(model, sg, op.inputs[1], 0)) return false;  // begin
  if (op.builtin == B::SLICE) return true;  // size: the equal shapes say it covers everything
  if (op.builtin != B::STRIDED_SLICE || op.inputs.size() != 4) return false;
  const auto* o = op.options.AsStridedSliceOptions();
  if (o != nullptr && (o->ellipsis_mask != 0 || o->new_axis_mask != 0 || o->shrink_axis_mask != 0 || o->offset)) {
    return false;
  }
  return all_ints_equal(model, sg, op.inputs[3], 1);  // strides
}

}  // namespace

bool remove_identity_slice(tfl::Model& model, std::size_t subgraph, ConvertReport& report) {
  auto& sg = model.subgraphs[subgraph];
  for (std::size_t i = 0; i < sg.operators.size(); ++i) {
    const auto& op = sg.operators[i];
    if (!is_identity_slice(model, sg, op)) continue;
    const auto x = op.inputs[0];
    const auto out = op.outputs[0];
    // A subgraph may not alias an input or constant as an output: such a slice stays.
    const bool out_is_output = std::find(sg.outputs.begin(), sg.outputs.end(), out) != sg.outputs.end();
    const bool x_is_boundary = std::find(sg.inputs.begin(), sg.inputs.end(), x) != sg.inputs.end() ||
                               std::find(sg.outputs.begin(), sg.outputs.end(), x) != sg.outputs.end() ||
                               !constant_bytes(model, sg, x).empty();
    if (out_is_output && x_is_boundary) continue;
    for (auto& other : sg.operators) {
      std::replace(other.inputs.begin(), other.inputs.end(), out, x);
    }
    std::replace(sg.outputs.begin(), sg.outputs.end(), out, x);
    for (auto& sig : model.signatures) {
      if (sig.subgraph != subgraph) continue;
      for (auto& [name, t] : sig.outputs) {
        if (t == out) t = x;
      }
    }
    if (out_is_output) sg.tensors[x].name = sg.tensors[out].name;
    report.fusions.push_back(fmt::format("{} of the whole tensor removed ({})", tfl::op_name(op), sg.tensors[out].name));
    sg.operators.erase(sg.operators.begin() + static_cast<std::ptrdiff_t>(i));
    return true;
  }
  return false;
}

}  // namespace litelint::converter
