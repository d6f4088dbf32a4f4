// Shape-only operators that lowering leaves behind and TensorFlow's converter folds away: a
// RESHAPE of a RESHAPE (only the last shape matters), a RESHAPE to the static shape its input
// already has, and a TRANSPOSE by the identity permutation (Keras' Tensordot builds one from
// shape arithmetic that folding turns constant). Transposes that cancel are transpose_pairs.cc's.
#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "converter/fuse/passes.h"
#include "converter/fuse/use_count.h"

namespace litelint::converter {
namespace {

using B = tflite::BuiltinOperator;

bool is_output(const tfl::Subgraph& sg, std::int32_t t) {
  return std::find(sg.outputs.begin(), sg.outputs.end(), t) != sg.outputs.end();
}

// True when both have the same dims; one unknown dim in the same place is the same too (the
// element counts agree, so it has one value).
bool same_shape(const tfl::Tensor& a, const tfl::Tensor& b) {
  if (!a.has_rank || !b.has_rank || a.signature != b.signature || a.shape != b.shape) return false;
  return std::count_if(a.signature.begin(), a.signature.end(), [](auto d) { return d < 0; }) <= 1;
}

// Removes operator `index`, which only forwards `in` to `out`. Readers of `out` read `in`;
// when `out` is a subgraph output, `in`'s producer writes `out` instead (if `in` has no other
// reader). False when neither is possible.
bool bypass(tfl::Subgraph& sg, std::size_t index, std::int32_t in, std::int32_t out, const std::vector<int>& uses) {
  if (is_output(sg, out)) {
    const int p = producer_of(sg, in);
    if (p < 0 || uses[in] != 1 || is_output(sg, in)) return false;
    auto& producer = sg.operators[p];
    std::replace(producer.outputs.begin(), producer.outputs.end(), in, out);
  } else {
    for (auto& op : sg.operators) std::replace(op.inputs.begin(), op.inputs.end(), out, in);
  }
  sg.operators.erase(sg.operators.begin() + static_cast<std::ptrdiff_t>(index));
  return true;
}

// True when `perm` is a constant int32 [0, 1, ..., n-1].
bool is_identity_perm(const tfl::Model& model, const tfl::Subgraph& sg, std::int32_t perm) {
  if (perm < 0 || sg.tensors[perm].type != tflite::TensorType::INT32) return false;
  const auto bytes = constant_bytes(model, sg, perm);
  if (bytes.empty()) return false;
  std::vector<std::int32_t> v(bytes.size() / 4);
  std::memcpy(v.data(), bytes.data(), v.size() * 4);
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (v[i] != static_cast<std::int32_t>(i)) return false;
  }
  return true;
}

}  // namespace

bool remove_redundant_reshape(tfl::Model& model, std::size_t subgraph, ConvertReport& report) {
  auto& sg = model.subgraphs[subgraph];
  const auto uses = use_counts(sg);
  for (std::size_t i = 0; i < sg.operators.size(); ++i) {
    auto& op = sg.operators[i];
    if (op.builtin == B::RESHAPE && !op.inputs.empty() && op.outputs.size() == 1) {
      const auto in = op.inputs[0];
      const auto out = op.outputs[0];
      const int p = producer_of(sg, in);
      // RESHAPE(RESHAPE(x)) -> RESHAPE(x): the inner one goes when nothing else reads it and
      // its shape is a constant (a computed shape would leave its producers dead).
      if (p >= 0 && sg.operators[p].builtin == B::RESHAPE && uses[in] == 1 && !is_output(sg, in) &&
          (sg.operators[p].inputs.size() < 2 || !constant_bytes(model, sg, sg.operators[p].inputs[1]).empty())) {
        op.inputs[0] = sg.operators[p].inputs[0];
        op.origin.insert(op.origin.begin(), sg.operators[p].origin.begin(), sg.operators[p].origin.end());
        report.fusions.push_back(fmt::format("RESHAPE+RESHAPE -> RESHAPE ({})", sg.tensors[out].name));
        sg.operators.erase(sg.operators.begin() + p);
        return true;
      }
      const auto& a = sg.tensors[in];
      const auto& b = sg.tensors[out];
      if (same_shape(a, b) && bypass(sg, i, in, out, uses)) {
        report.fusions.push_back(fmt::format("RESHAPE to the same shape removed ({})", b.name));
        return true;
      }
    }
    if (op.builtin == B::TRANSPOSE && op.inputs.size() == 2 && op.outputs.size() == 1 &&
        is_identity_perm(model, sg, op.inputs[1])) {
      const std::string name = sg.tensors[op.outputs[0]].name;
      if (bypass(sg, i, op.inputs[0], op.outputs[0], uses)) {
        report.fusions.push_back(fmt::format("TRANSPOSE by the identity removed ({})", name));
        return true;
      }
    }
  }
  return false;
}

}  // namespace litelint::converter
