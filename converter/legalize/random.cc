// Stateful random ops: RandomUniform, RandomStandardNormal and Multinomial become the TFLite
// builtins of the same name with the same operands; both seeds go into RandomOptions, where
// the kernels read them (seed == seed2 == 0 means "seed from the clock", as in TensorFlow).
// The stateless variants (StatelessRandom*) have no builtin and stay TF ops.
#include "converter/legalize/families.h"

namespace litelint::converter::lowerings {
namespace {

Expected<void> lower_random(LoweringContext& ctx, std::string_view builtin) {
  std::vector<std::int32_t> inputs;
  for (std::size_t i = 0; i < ctx.input_count(); ++i) {
    auto t = ctx.input(i);
    if (!t) return unexpected(t.error());
    inputs.push_back(*t);
  }
  auto& op = ctx.emit(builtin, std::move(inputs), {ctx.output(0)});
  tflite::RandomOptionsT options;
  options.seed = ctx.attr_int("seed", 0);
  options.seed2 = ctx.attr_int("seed2", 0);
  op.options.Set(std::move(options));
  return {};
}

Expected<void> lower_uniform(LoweringContext& ctx) { return lower_random(ctx, "RANDOM_UNIFORM"); }
Expected<void> lower_normal(LoweringContext& ctx) { return lower_random(ctx, "RANDOM_STANDARD_NORMAL"); }
Expected<void> lower_multinomial(LoweringContext& ctx) { return lower_random(ctx, "MULTINOMIAL"); }

}  // namespace

std::span<const Lowering> random() {
  static constexpr Lowering kLowerings[] = {
      {"Multinomial", lower_multinomial},
      {"RandomStandardNormal", lower_normal},
      {"RandomUniform", lower_uniform},
  };
  return kLowerings;
}

}  // namespace litelint::converter::lowerings
