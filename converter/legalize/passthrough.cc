// Ops that compute nothing at inference and that TensorFlow's converter removes: numeric
// checks, asserts, shape assertions and gradient markers. Each output is its input's tensor; no
// operator is emitted (stateful_assert: TensorFlow's .tflite is the one MUL).
#include "converter/legalize/families.h"

namespace litelint::converter::lowerings {
namespace {

Expected<void> forward_inputs(LoweringContext& ctx) {
  const std::size_t n = std::max<std::size_t>(ctx.output_count(), 1);
  for (std::size_t i = 0; i < n && i < ctx.input_count(); ++i) {
    if (const ConstValue* c = ctx.constant(i)) {
      ctx.set_constant(i, *c);
      continue;
    }
    auto t = ctx.input(i);
    if (!t) return unexpected(t.error());
    ctx.forward(i, *t);
  }
  return {};
}

}  // namespace

std::span<const Lowering> passthrough() {
  static constexpr Lowering kLowerings[] = {
      {"Assert", forward_inputs},  // no outputs: nothing to forward, nothing emitted
      {"CheckNumerics", forward_inputs},
      {"CheckNumericsV2", forward_inputs},
      {"EnsureShape", forward_inputs},
      {"IdentityN", forward_inputs},
      {"PreventGradient", forward_inputs},
      {"Snapshot", forward_inputs},
      {"StopGradient", forward_inputs},
  };
  return kLowerings;
}

}  // namespace litelint::converter::lowerings
