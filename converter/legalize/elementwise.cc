// Element-wise TF ops: each becomes the TFLite builtin of the same meaning with the same
// operands (TFLite broadcasts like TensorFlow for the binary ops). The TF -> builtin names are
// the op database's (`builtin` in rules/opdb/tf_ops.toml); this file only knows which
// options table each builtin carries.
#include <fmt/format.h>

#include "converter/legalize/families.h"
#include "rules/engine/opdb.h"

namespace litelint::converter::lowerings {
namespace {

// The builtin the op database names for this TF op (the first of `builtins`).
Expected<std::string_view> builtin_of(LoweringContext& ctx) {
  const auto* info = rules::find_tf_op(ctx.op());
  if (info == nullptr || info->builtins.empty()) return ctx.fail("the op database names no builtin for it");
  return info->builtins.front();
}

// Emits builtin(inputs...) -> output 0, with the options table the builtin needs.
Expected<void> lower_same_operands(LoweringContext& ctx) {
  auto builtin = builtin_of(ctx);
  if (!builtin) return unexpected(builtin.error());
  std::vector<std::int32_t> inputs;
  for (std::size_t i = 0; i < ctx.input_count(); ++i) {
    auto t = ctx.input(i);
    if (!t) return unexpected(t.error());
    inputs.push_back(*t);
  }
  auto& op = ctx.emit(*builtin, std::move(inputs), {ctx.output(0)});
  // The kernels of these four read a fused activation from their options; TensorFlow's
  // converter always writes the table (activation NONE until fusion sets one).
  if (*builtin == "ADD") {
    op.options.Set(tflite::AddOptionsT{});
  } else if (*builtin == "SUB") {
    op.options.Set(tflite::SubOptionsT{});
  } else if (*builtin == "MUL") {
    op.options.Set(tflite::MulOptionsT{});
  } else if (*builtin == "DIV") {
    op.options.Set(tflite::DivOptionsT{});
  }
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
      {"Less", lower_same_operands},
      {"LessEqual", lower_same_operands},
      {"Log", lower_same_operands},
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
