// Element-wise TF ops: each becomes the TFLite builtin of the same meaning with the same
// operands (TFLite broadcasts like TensorFlow for the binary ops). The TF -> builtin names are
// the op database's (`builtin` in rules/opdb/tf_ops.toml); this file only knows which
// options table each builtin carries.
#include <fmt/format.h>

#include "converter/legalize/families.h"
#include "converter/legalize/operands.h"

namespace litelint::converter::lowerings {
namespace {

// Emits builtin(inputs...) -> output 0 (the op database names the builtin).
Expected<void> lower_same_operands(LoweringContext& ctx) {
  auto builtin = database_builtin(ctx);
  if (!builtin) return unexpected(builtin.error());
  auto inputs = all_inputs(ctx);
  if (!inputs) return unexpected(inputs.error());
  emit_arithmetic(ctx, *builtin, std::move(*inputs), {ctx.output(0)});
  return {};
}

// Cast records both element types in its options (the runtime checks them).
Expected<void> lower_cast(LoweringContext& ctx) {
  auto in = ctx.input(0);
  if (!in) return unexpected(in.error());
  const auto src = tfl_type(ctx.input_type(0).dtype);
  const auto dst = tfl_type(ctx.attr_type("DstT").value_or(ctx.output_type(0).dtype));
  if (!src || !dst) return ctx.fail("cast between types TFLite does not have");
  auto& op = ctx.emit("CAST", {*in}, {ctx.output(0)});
  tflite::CastOptionsT options;
  options.in_data_type = *src;
  options.out_data_type = *dst;
  op.options.Set(std::move(options));
  return {};
}

// 1 / x: TFLite has no RECIPROCAL; TensorFlow's converter emits DIV(1, x).
Expected<void> lower_reciprocal(LoweringContext& ctx) {
  auto in = ctx.input(0);
  if (!in) return unexpected(in.error());
  const auto dtype = ctx.input_type(0).dtype;
  const double one[] = {1.0};
  auto c = ctx.add_constant("one", ConstValue::from_doubles(dtype, ir::Shape::scalar(), one));
  if (!c) return unexpected(c.error());
  auto& op = ctx.emit("DIV", {*c, *in}, {ctx.output(0)});
  op.options.Set(tflite::DivOptionsT{});
  return {};
}

// IsNan(x) is x != x (NaN is the only value unequal to itself), as TensorFlow's lower_tf.
Expected<void> lower_is_nan(LoweringContext& ctx) {
  auto in = ctx.input(0);
  if (!in) return unexpected(in.error());
  ctx.emit("NOT_EQUAL", {*in, *in}, {ctx.output(0)});
  return {};
}

// Log1p(x) is LOG(x + 1) in TensorFlow's lowering (float32 only; the op database's `when`).
Expected<void> lower_log1p(LoweringContext& ctx) {
  auto in = ctx.input(0);
  if (!in) return unexpected(in.error());
  const double one[] = {1.0};
  auto c = ctx.add_constant("one", ConstValue::from_doubles(ctx.input_type(0).dtype, ir::Shape::scalar(), one));
  if (!c) return unexpected(c.error());
  const auto sum = ctx.add_tensor("plus_one", ctx.input_type(0));
  emit_arithmetic(ctx, "ADD", {*in, *c}, {sum});
  ctx.emit("LOG", {sum}, {ctx.output(0)});
  return {};
}

}  // namespace

std::span<const Lowering> elementwise() {
  static constexpr Lowering kLowerings[] = {
      {"Abs", lower_same_operands},
      {"Add", lower_same_operands},
      {"AddV2", lower_same_operands},
      {"Cast", lower_cast},
      {"Ceil", lower_same_operands},
      {"Cos", lower_same_operands},
      {"Div", lower_same_operands},
      {"Equal", lower_same_operands},
      {"Exp", lower_same_operands},
      {"Floor", lower_same_operands},
      {"FloorDiv", lower_same_operands},
      {"FloorMod", lower_same_operands},
      {"Greater", lower_same_operands},
      {"GreaterEqual", lower_same_operands},
      {"IsNan", lower_is_nan},
      {"Less", lower_same_operands},
      {"LessEqual", lower_same_operands},
      {"Log", lower_same_operands},
      {"Log1p", lower_log1p},
      {"LogicalAnd", lower_same_operands},
      {"LogicalNot", lower_same_operands},
      {"LogicalOr", lower_same_operands},
      {"Maximum", lower_same_operands},
      {"Minimum", lower_same_operands},
      {"Mul", lower_same_operands},
      {"Neg", lower_same_operands},
      {"NotEqual", lower_same_operands},
      {"Pow", lower_same_operands},
      {"RealDiv", lower_same_operands},
      {"Reciprocal", lower_reciprocal},
      {"Round", lower_same_operands},
      {"Rsqrt", lower_same_operands},
      {"Sign", lower_same_operands},
      {"Sin", lower_same_operands},
      {"Sqrt", lower_same_operands},
      {"Square", lower_same_operands},
      {"SquaredDifference", lower_same_operands},
      {"Sub", lower_same_operands},
  };
  return kLowerings;
}

}  // namespace litelint::converter::lowerings
