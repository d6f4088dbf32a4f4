// 0.5 * x * erfc(-x * sqrt(1/2)) -> GELU(x, approximate=false): tf.nn.gelu's exact form (Keras
// "gelu"), which TensorFlow's optimizer fuses (MatchGeluWithErfc) when 0.5 * x, the erfc and
// the scaled -x are each used once. Legalization turns Erfc into builtin math (misc_math.cc),
// all with the Erfc node as origin; this pass replaces the whole pattern by one GELU.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <set>

#include <fmt/format.h>

#include "converter/fuse/passes.h"
#include "converter/fuse/use_count.h"

namespace litelint::converter {
namespace {

using B = tflite::BuiltinOperator;

bool near(std::optional<float> v, float want) { return v && std::abs(*v - want) < 1e-6F; }

bool is_plain_mul(const tfl::Operator& op) {
  if (op.builtin != B::MUL || op.inputs.size() != 2) return false;
  const auto* o = op.options.AsMulOptions();
  return o == nullptr || o->fused_activation_function == tflite::ActivationFunctionType::NONE;
}

// For MUL(a, c) or MUL(c, a) with c a scalar constant near `want`: a; else -1.
std::int32_t scaled_operand(const tfl::Model& model, const tfl::Subgraph& sg, const tfl::Operator& op, float want) {
  if (!is_plain_mul(op)) return -1;
  for (int side = 0; side < 2; ++side) {
    if (near(scalar_f32(model, sg, op.inputs[1 - side]), want)) return op.inputs[side];
  }
  return -1;
}

bool is_output(const tfl::Subgraph& sg, std::int32_t t) {
  return std::find(sg.outputs.begin(), sg.outputs.end(), t) != sg.outputs.end();
}

}  // namespace

bool fuse_gelu(tfl::Model& model, std::size_t subgraph, ConvertReport& report) {
  auto& sg = model.subgraphs[subgraph];
  const auto uses = use_counts(sg);
  constexpr float kSqrtHalf = 0.70710678118654752F;
  for (std::size_t m = 0; m < sg.operators.size(); ++m) {
    if (!is_plain_mul(sg.operators[m])) continue;
    for (int side = 0; side < 2; ++side) {
      const auto e = sg.operators[m].inputs[side];
      const auto h = sg.operators[m].inputs[1 - side];
      if (e < 0 || h < 0 || uses[e] != 1 || uses[h] != 1 || is_output(sg, e) || is_output(sg, h)) continue;
      const int pe = producer_of(sg, e);
      const int ph = producer_of(sg, h);
      if (pe < 0 || ph < 0 || sg.operators[pe].origin.size() != 1) continue;
      // h = 0.5 * x.
      const auto x = scaled_operand(model, sg, sg.operators[ph], 0.5F);
      if (x < 0) continue;
      // The erfc's operators: those with its origin; the ABS among them reads z.
      const std::string& erfc = sg.operators[pe].origin[0];
      std::vector<std::size_t> chain;
      std::int32_t z = -1;
      for (std::size_t i = 0; i < sg.operators.size(); ++i) {
        const auto& op = sg.operators[i];
        if (op.origin.size() != 1 || op.origin[0] != erfc) continue;
        chain.push_back(i);
        if (op.builtin == B::ABS) z = op.inputs[0];
      }
      if (chain.size() != 21 || z < 0 || uses[z] != 2 || is_output(sg, z)) continue;  // ABS and SIGN read z
      // z = -x * sqrt(1/2), as NEG then MUL or as MUL by -sqrt(1/2).
      const int pz = producer_of(sg, z);
      if (pz < 0) continue;
      std::vector<std::size_t> dead = chain;
      dead.push_back(static_cast<std::size_t>(pz));
      dead.push_back(static_cast<std::size_t>(ph));
      const auto negated = scaled_operand(model, sg, sg.operators[pz], kSqrtHalf);
      if (negated >= 0) {
        const int pn = producer_of(sg, negated);
        if (pn < 0 || sg.operators[pn].builtin != B::NEG || sg.operators[pn].inputs[0] != x || uses[negated] != 1) continue;
        dead.push_back(static_cast<std::size_t>(pn));
      } else if (scaled_operand(model, sg, sg.operators[pz], -kSqrtHalf) != x) {
        continue;
      }
      auto& gelu = sg.operators[m];
      gelu.builtin = B::GELU;
      gelu.inputs = {x};
      gelu.options.Set(tflite::GeluOptionsT{});
      for (auto i : dead) gelu.origin.insert(gelu.origin.end(), sg.operators[i].origin.begin(), sg.operators[i].origin.end());
      report.fusions.push_back(fmt::format("MUL+ERFC -> GELU ({})", sg.tensors[gelu.outputs[0]].name));
      std::sort(dead.begin(), dead.end(), std::greater<>());
      dead.erase(std::unique(dead.begin(), dead.end()), dead.end());
      for (auto i : dead) sg.operators.erase(sg.operators.begin() + static_cast<std::ptrdiff_t>(i));
      return true;
    }
  }
  return false;
}

}  // namespace litelint::converter
