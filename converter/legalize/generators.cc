// Ops that make a tensor from a shape or repeat one: Fill, ZerosLike, OnesLike, Range,
// BroadcastTo, Tile, OneHot. Most are folded when their inputs are constant; these lowerings
// handle the computed cases (a dynamic batch dim, a run-time count).
#include "converter/legalize/families.h"
#include "converter/legalize/operands.h"

namespace litelint::converter::lowerings {
namespace {

Expected<void> lower_fill(LoweringContext& ctx) {
  auto dims = i32_input(ctx, 0);
  if (!dims) return unexpected(dims.error());
  auto value = ctx.input(1);
  if (!value) return unexpected(value.error());
  ctx.emit("FILL", {*dims, *value}, {ctx.output(0)});
  return {};
}

// BroadcastTo(scalar `v`, Shape(x)): lower_tf's form of OnesLike and of ZerosLike for types
// ZEROS_LIKE does not take.
Expected<void> broadcast_scalar_like(LoweringContext& ctx, double v) {
  auto x = ctx.input(0);
  if (!x) return unexpected(x.error());
  const auto& type = ctx.input_type(0);
  const double values[] = {v};
  auto scalar = ctx.add_constant("value", ConstValue::from_doubles(type.dtype, ir::Shape::scalar(), values));
  if (!scalar) return unexpected(scalar.error());
  std::int32_t shape = -1;
  if (type.shape.is_fully_defined()) {
    shape = i32_constant(ctx, "shape", type.shape.dims());
  } else {
    const auto rank = type.shape.has_rank() ? ir::Shape({static_cast<std::int64_t>(type.shape.rank())})
                                            : ir::Shape::unknown();
    shape = ctx.add_tensor("shape", {ir::DType::Int32, rank});
    auto& op = ctx.emit("SHAPE", {*x}, {shape});
    tflite::ShapeOptionsT options;
    options.out_type = tflite::TensorType::INT32;
    op.options.Set(std::move(options));
  }
  ctx.emit("BROADCAST_TO", {*scalar, shape}, {ctx.output(0)});
  return {};
}

Expected<void> lower_zeros_like(LoweringContext& ctx) {
  const auto dtype = ir::base_dtype(ctx.input_type(0).dtype);
  if (dtype != ir::DType::Float && dtype != ir::DType::Int32 && dtype != ir::DType::Int64) {
    return broadcast_scalar_like(ctx, 0.0);
  }
  auto x = ctx.input(0);
  if (!x) return unexpected(x.error());
  ctx.emit("ZEROS_LIKE", {*x}, {ctx.output(0)}).options.Set(tflite::ZerosLikeOptionsT{});
  return {};
}

Expected<void> lower_ones_like(LoweringContext& ctx) { return broadcast_scalar_like(ctx, 1.0); }

Expected<void> lower_range(LoweringContext& ctx) {
  auto in = all_inputs(ctx);
  if (!in) return unexpected(in.error());
  ctx.emit("RANGE", std::move(*in), {ctx.output(0)});
  return {};
}

// BroadcastTo, Tile: the data and an int32 shape/multiples operand.
Expected<void> lower_with_i32_operand(LoweringContext& ctx) {
  auto x = ctx.input(0);
  if (!x) return unexpected(x.error());
  auto operand = i32_input(ctx, 1);
  if (!operand) return unexpected(operand.error());
  ctx.emit(ctx.op() == "Tile" ? "TILE" : "BROADCAST_TO", {*x, *operand}, {ctx.output(0)});
  return {};
}

Expected<void> lower_one_hot(LoweringContext& ctx) {
  auto indices = ctx.input(0);
  if (!indices) return unexpected(indices.error());
  auto depth = i32_input(ctx, 1);
  if (!depth) return unexpected(depth.error());
  auto on = ctx.input(2);
  if (!on) return unexpected(on.error());
  auto off = ctx.input(3);
  if (!off) return unexpected(off.error());
  auto& op = ctx.emit("ONE_HOT", {*indices, *depth, *on, *off}, {ctx.output(0)});
  tflite::OneHotOptionsT options;
  options.axis = static_cast<std::int32_t>(ctx.attr_int("axis", -1));
  op.options.Set(std::move(options));
  return {};
}

}  // namespace

std::span<const Lowering> generators() {
  static constexpr Lowering kLowerings[] = {
      {"BroadcastTo", lower_with_i32_operand},
      {"Fill", lower_fill},
      {"OneHot", lower_one_hot},
      {"OnesLike", lower_ones_like},
      {"Range", lower_range},
      {"Tile", lower_with_i32_operand},
      {"ZerosLike", lower_zeros_like},
  };
  return kLowerings;
}

}  // namespace litelint::converter::lowerings
