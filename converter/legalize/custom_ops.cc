// A TF op kept as a custom operator: under SELECT_TF_OPS an allowlisted op becomes
// "Flex<Op>" (run by the Flex delegate), and with allow_custom_ops any other op becomes a
// CUSTOM op of its own name that the application must register.
#include "converter/legalize/custom_ops.h"

#include "converter/legalize/flex_node_def.h"

namespace litelint::converter {

Expected<void> lower_as_custom_op(LoweringContext& ctx, CustomKind kind) {
  std::vector<std::int32_t> inputs;
  for (std::size_t i = 0; i < ctx.input_count(); ++i) {
    auto t = ctx.input(i);
    if (!t) return unexpected(t.error());
    inputs.push_back(*t);
  }
  std::vector<std::int32_t> outputs;
  for (std::size_t i = 0; i < std::max<std::size_t>(ctx.output_count(), 1); ++i) outputs.push_back(ctx.output(i));
  if (kind == CustomKind::Custom) {
    ctx.emit_custom(std::string(ctx.op()), std::move(inputs), std::move(outputs));
    return {};
  }
  auto options = flex_custom_options(ctx.node());
  if (!options) return ctx.fail(options.error().reason());
  auto& op = ctx.emit_custom("Flex" + std::string(ctx.op()), std::move(inputs), std::move(outputs));
  op.custom_options = std::move(*options);
  return {};
}

}  // namespace litelint::converter
