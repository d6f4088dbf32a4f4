#include <memory>
#include <string>

#include <fmt/format.h>

#include "rules/tflite/tflite_rule.h"

namespace litelint::rules {
namespace {

constexpr std::string_view kDoc = R"md(
## What it does
Under a delegate target (`--target xnnpack`, `gpu`, `nnapi`, `edgetpu`), flags operators of
an existing .tflite model that the delegate would not run, with the reason: the op is not in
the delegate's table (rules/opdb/delegates/), its version is too new, a tensor type or
quantization the delegate does not take (XNNPACK: float32/float16 and per-tensor int8/uint8;
Edge TPU: 8-bit quantized only), a rank over the limit, runtime weights or shape operands,
a fused activation it cannot apply — or the delegate's partitioning leaves it out (GPU: only
the largest partition; NNAPI: the 3 largest; Edge TPU: everything after the first unmapped
op).
## Why is this bad?
The model still runs: these ops fall back to the CPU kernels. But each fallback splits the
graph, every split copies tensors between the delegate and the CPU, and on the GPU or an NPU
a few fallbacks can make the model slower than running it on the CPU alone. The
delegate-coverage note says how much of the graph the delegate takes.
## Example
    litelint check model.tflite --target xnnpack
    # subgraph 0 / op 7 (TOPK_V2): the xnnpack delegate has no kernel for TOPK_V2
## Fix
Replace the op in the TensorFlow model by ones the delegate runs and convert again; or move
it to the start or end of the graph so the graph splits only once. For the Edge TPU, quantize
the whole model to int8 (full-integer post-training quantization).
)md";

class DelegateCpuFallback final : public TfliteRule {
 public:
  RuleInfo info() const override {
    return {.code = "LL302", .name = "delegate-cpu-fallback", .severity = Severity::Warning,
            .summary = "the delegate does not take this .tflite op, so it falls back to the CPU",
            .doc = kDoc};
  }
  void check_tflite(TfliteContext& ctx) const override {
    if (!ctx.profile().delegate) return;
    const auto& placement = ctx.placement();
    for (std::uint32_t s = 0; s < placement.subgraphs.size(); ++s) {
      const auto& ops = placement.subgraphs[s].ops;
      for (std::uint32_t i = 0; i < ops.size(); ++i) {
        if (ops[i].delegated) continue;
        auto& f = ctx.report({s, i}, ops[i].reason.empty()
                                          ? std::string("not taken by the delegate")
                                          : ops[i].reason);
        f.suggestion = "replace the op by ones the delegate runs, or move it to the model's "
                       "start or end so the graph splits once";
      }
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_delegate_cpu_fallback() {
  return std::make_unique<DelegateCpuFallback>();
}

}  // namespace litelint::rules
