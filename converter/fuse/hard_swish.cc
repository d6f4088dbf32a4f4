// x * relu6(x + 3) / 6  ->  HARD_SWISH(x): Keras's hard_swish (MobileNetV3), which TensorFlow's
// optimizer fuses (optimize_patterns.td, MatchHardSwishPattern*). After legalization and
// activation fusion the pattern is an ADD(x, 3) with a fused RELU6, scaled by 1/6 (a MUL by
// 1/6 or a DIV by 6) before or after the MUL by x. Only x may be read elsewhere.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <optional>

#include <fmt/format.h>

#include "converter/fuse/fused_activation.h"
#include "converter/fuse/passes.h"
#include "converter/fuse/use_count.h"

namespace litelint::converter {
namespace {

using B = tflite::BuiltinOperator;
using Act = tflite::ActivationFunctionType;

Act activation(tfl::Operator& op) {
  const auto* a = fused_activation(op);
  return a != nullptr ? *a : Act::NONE;
}

bool is_output(const tfl::Subgraph& sg, std::int32_t t) {
  return std::find(sg.outputs.begin(), sg.outputs.end(), t) != sg.outputs.end();
}

// A float tensor read once, not a subgraph output, written by an operator: that operator.
int single_use_producer(const tfl::Subgraph& sg, const std::vector<int>& uses, std::int32_t t) {
  if (t < 0 || uses[t] != 1 || is_output(sg, t) || sg.tensors[t].type != tflite::TensorType::FLOAT32) return -1;
  return producer_of(sg, t);
}

// For a MUL by 1/6 or DIV by 6 without activation (constant on the right for DIV, either side
// for MUL): the scaled operand, else -1.
std::int32_t sixth_of(const tfl::Model& model, const tfl::Subgraph& sg, tfl::Operator& op) {
  if (op.inputs.size() != 2 || activation(op) != Act::NONE) return -1;
  if (op.builtin == B::DIV) {
    const auto c = scalar_f32(model, sg, op.inputs[1]);
    return c && *c == 6.0F ? op.inputs[0] : -1;
  }
  if (op.builtin != B::MUL) return -1;
  for (int side = 0; side < 2; ++side) {
    const auto c = scalar_f32(model, sg, op.inputs[1 - side]);
    if (c && std::abs(*c - 1.0F / 6.0F) < 1e-6F) return op.inputs[side];
  }
  return -1;
}

// For an ADD(x, 3) or ADD(3, x) with a fused RELU6: x, else -1.
std::int32_t relu6_plus_3_of(const tfl::Model& model, const tfl::Subgraph& sg, tfl::Operator& op) {
  if (op.builtin != B::ADD || op.inputs.size() != 2 || activation(op) != Act::RELU6) return -1;
  for (int side = 0; side < 2; ++side) {
    const auto c = scalar_f32(model, sg, op.inputs[1 - side]);
    if (c && *c == 3.0F) return op.inputs[side];
  }
  return -1;
}

// The pattern rooted at `root`, as (x, the operators it replaces besides root), or nullopt.
struct Match {
  std::int32_t x;
  std::vector<int> dead;
};

// MUL(x, r) or MUL(r, x) with r = relu6(x + 3) read only here.
std::optional<Match> x_times_relu6(const tfl::Model& model, tfl::Subgraph& sg, const std::vector<int>& uses,
                                   tfl::Operator& mul, std::int32_t want_x) {
  if (mul.builtin != B::MUL || mul.inputs.size() != 2 || activation(mul) != Act::NONE) return std::nullopt;
  for (int side = 0; side < 2; ++side) {
    const auto x = mul.inputs[side];
    if (x < 0 || (want_x >= 0 && x != want_x)) continue;
    const int pr = single_use_producer(sg, uses, mul.inputs[1 - side]);
    if (pr >= 0 && relu6_plus_3_of(model, sg, sg.operators[pr]) == x) return Match{x, {pr}};
  }
  return std::nullopt;
}

std::optional<Match> match(const tfl::Model& model, tfl::Subgraph& sg, const std::vector<int>& uses, std::size_t root) {
  auto& op = sg.operators[root];
  if (op.outputs.size() != 1 || sg.tensors[op.outputs[0]].type != tflite::TensorType::FLOAT32) return std::nullopt;
  // (x * relu6(x + 3)) / 6 or * 1/6.
  const auto scaled = sixth_of(model, sg, op);
  if (scaled >= 0) {
    const int pm = single_use_producer(sg, uses, scaled);
    if (pm < 0) return std::nullopt;
    auto m = x_times_relu6(model, sg, uses, sg.operators[pm], -1);
    if (m) m->dead.push_back(pm);
    return m;
  }
  // x * (relu6(x + 3) / 6 or * 1/6).
  if (op.builtin != B::MUL || op.inputs.size() != 2 || activation(op) != Act::NONE) return std::nullopt;
  for (int side = 0; side < 2; ++side) {
    const auto x = op.inputs[side];
    const int ps = single_use_producer(sg, uses, op.inputs[1 - side]);
    if (x < 0 || ps < 0) continue;
    const int pr = single_use_producer(sg, uses, sixth_of(model, sg, sg.operators[ps]));
    if (pr >= 0 && relu6_plus_3_of(model, sg, sg.operators[pr]) == x) return Match{x, {pr, ps}};
  }
  return std::nullopt;
}

}  // namespace

bool fuse_hard_swish(tfl::Model& model, std::size_t subgraph, ConvertReport& report) {
  auto& sg = model.subgraphs[subgraph];
  const auto uses = use_counts(sg);
  for (std::size_t i = 0; i < sg.operators.size(); ++i) {
    auto m = match(model, sg, uses, i);
    if (!m || sg.tensors[m->x].shape != sg.tensors[sg.operators[i].outputs[0]].shape) continue;
    auto& hs = sg.operators[i];
    hs.builtin = B::HARD_SWISH;
    hs.inputs = {m->x};
    hs.options = tflite::BuiltinOptionsUnion{};
    hs.options.Set(tflite::HardSwishOptionsT{});
    for (int d : m->dead) hs.origin.insert(hs.origin.end(), sg.operators[d].origin.begin(), sg.operators[d].origin.end());
    report.fusions.push_back(fmt::format("ADD+MUL -> HARD_SWISH ({})", sg.tensors[hs.outputs[0]].name));
    std::sort(m->dead.begin(), m->dead.end(), std::greater<>());
    for (int d : m->dead) sg.operators.erase(sg.operators.begin() + d);
    return true;
  }
  return false;
}

}  // namespace litelint::converter
