// Joining and splitting along an axis: ConcatV2/Concat -> CONCATENATION (the axis operand
// becomes the axis option, so it must be constant), Pack/Unpack -> PACK/UNPACK, Split ->
// SPLIT (axis first, as in TensorFlow), SplitV -> SPLIT_V (value, sizes, axis).
#include "converter/legalize/families.h"
#include "converter/legalize/operands.h"

namespace litelint::converter::lowerings {
namespace {

// A constant scalar axis operand, normalized against `rank` when the rank is known.
Expected<std::int32_t> const_axis(LoweringContext& ctx, std::size_t i, std::int64_t rank) {
  const ConstValue* v = ctx.constant(i);
  const auto axis = v != nullptr ? v->scalar_int() : std::nullopt;
  if (!axis) return ctx.fail("the axis operand is not a constant");
  if (rank < 0) return static_cast<std::int32_t>(*axis);
  const auto normalized = normalize_axis(*axis, rank);
  if (!normalized) return ctx.fail("the axis is out of range");
  return *normalized;
}

std::int64_t rank_of(const ir::TensorType& t) {
  return t.shape.has_rank() ? static_cast<std::int64_t>(t.shape.rank()) : -1;
}

Expected<void> emit_concat(LoweringContext& ctx, std::size_t first, std::size_t count, std::size_t axis_input) {
  std::int64_t rank = -1;
  std::vector<std::int32_t> values;
  for (std::size_t i = first; i < first + count; ++i) {
    if (rank < 0) rank = rank_of(ctx.input_type(i));
    auto t = ctx.input(i);
    if (!t) return unexpected(t.error());
    values.push_back(*t);
  }
  auto axis = const_axis(ctx, axis_input, rank);
  if (!axis) return unexpected(axis.error());
  auto& op = ctx.emit("CONCATENATION", std::move(values), {ctx.output(0)});
  tflite::ConcatenationOptionsT options;
  options.axis = *axis;
  op.options.Set(std::move(options));
  return {};
}

Expected<void> lower_concat_v2(LoweringContext& ctx) {
  if (ctx.input_count() < 2) return ctx.fail("needs values and an axis");
  return emit_concat(ctx, 0, ctx.input_count() - 1, ctx.input_count() - 1);
}

Expected<void> lower_concat(LoweringContext& ctx) {
  if (ctx.input_count() < 2) return ctx.fail("needs an axis and values");
  return emit_concat(ctx, 1, ctx.input_count() - 1, 0);
}

Expected<void> lower_pack(LoweringContext& ctx) {
  auto values = all_inputs(ctx);
  if (!values) return unexpected(values.error());
  std::int64_t axis = ctx.attr_int("axis", 0);
  if (axis < 0 && ctx.input_type(0).shape.has_rank()) axis += rank_of(ctx.input_type(0)) + 1;
  const auto n = static_cast<std::int32_t>(values->size());
  auto& op = ctx.emit("PACK", std::move(*values), {ctx.output(0)});
  tflite::PackOptionsT options;
  options.values_count = n;
  options.axis = static_cast<std::int32_t>(axis);
  op.options.Set(std::move(options));
  return {};
}

Expected<void> lower_unpack(LoweringContext& ctx) {
  auto x = ctx.input(0);
  if (!x) return unexpected(x.error());
  std::int64_t axis = ctx.attr_int("axis", 0);
  if (axis < 0 && ctx.input_type(0).shape.has_rank()) axis += rank_of(ctx.input_type(0));
  const auto num = ctx.attr_int("num", static_cast<std::int64_t>(ctx.output_count()));
  std::vector<std::int32_t> outputs;
  for (std::int64_t i = 0; i < num; ++i) outputs.push_back(ctx.output(static_cast<std::size_t>(i)));
  auto& op = ctx.emit("UNPACK", {*x}, std::move(outputs));
  tflite::UnpackOptionsT options;
  options.num = static_cast<std::int32_t>(num);
  options.axis = static_cast<std::int32_t>(axis);
  op.options.Set(std::move(options));
  return {};
}

std::vector<std::int32_t> split_outputs(LoweringContext& ctx, std::int64_t n) {
  std::vector<std::int32_t> outputs;
  for (std::int64_t i = 0; i < n; ++i) outputs.push_back(ctx.output(static_cast<std::size_t>(i)));
  return outputs;
}

Expected<void> lower_split(LoweringContext& ctx) {
  auto axis = i32_input(ctx, 0);
  if (!axis) return unexpected(axis.error());
  auto x = ctx.input(1);
  if (!x) return unexpected(x.error());
  const auto n = ctx.attr_int("num_split", static_cast<std::int64_t>(ctx.output_count()));
  auto& op = ctx.emit("SPLIT", {*axis, *x}, split_outputs(ctx, n));
  tflite::SplitOptionsT options;
  options.num_splits = static_cast<std::int32_t>(n);
  op.options.Set(std::move(options));
  return {};
}

Expected<void> lower_split_v(LoweringContext& ctx) {
  auto x = ctx.input(0);
  if (!x) return unexpected(x.error());
  auto sizes = i32_input(ctx, 1);
  if (!sizes) return unexpected(sizes.error());
  auto axis = i32_input(ctx, 2);
  if (!axis) return unexpected(axis.error());
  const auto n = ctx.attr_int("num_split", static_cast<std::int64_t>(ctx.output_count()));
  auto& op = ctx.emit("SPLIT_V", {*x, *sizes, *axis}, split_outputs(ctx, n));
  tflite::SplitVOptionsT options;
  options.num_splits = static_cast<std::int32_t>(n);
  op.options.Set(std::move(options));
  return {};
}

}  // namespace

std::span<const Lowering> concat_split() {
  static constexpr Lowering kLowerings[] = {
      {"Concat", lower_concat},
      {"ConcatV2", lower_concat_v2},
      {"Pack", lower_pack},
      {"Split", lower_split},
      {"SplitV", lower_split_v},
      {"Unpack", lower_unpack},
  };
  return kLowerings;
}

}  // namespace litelint::converter::lowerings
