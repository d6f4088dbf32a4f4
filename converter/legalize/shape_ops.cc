// Ops that only rearrange a tensor's shape: Reshape, Squeeze, ExpandDims, Transpose, and the
// shape queries Shape, Size and Rank when folding could not answer them (a dynamic dim).
// TensorFlow's converter turns a Squeeze whose result has at most one unknown dim, and an
// ExpandDims of a fully known result, into RESHAPE; the fuse pass then merges reshape chains.
#include <algorithm>

#include "converter/legalize/families.h"
#include "converter/legalize/operands.h"

namespace litelint::converter::lowerings {
namespace {

// The output dims with unknown ones as -1, when at most one is unknown (RESHAPE infers one).
std::optional<std::vector<std::int64_t>> reshape_target(const ir::TensorType& out) {
  if (!out.shape.has_rank()) return std::nullopt;
  const auto& dims = out.shape.dims();
  if (std::count_if(dims.begin(), dims.end(), [](auto d) { return d < 0; }) > 1) return std::nullopt;
  std::vector<std::int64_t> target;
  for (auto d : dims) target.push_back(d < 0 ? -1 : d);
  return target;
}

Expected<void> lower_reshape(LoweringContext& ctx) {
  auto x = ctx.input(0);
  if (!x) return unexpected(x.error());
  auto shape = i32_input(ctx, 1);
  if (!shape) return unexpected(shape.error());
  ctx.emit("RESHAPE", {*x, *shape}, {ctx.output(0)});
  return {};
}

Expected<void> lower_squeeze(LoweringContext& ctx) {
  auto x = ctx.input(0);
  if (!x) return unexpected(x.error());
  if (auto target = reshape_target(ctx.output_type(0))) {
    emit_reshape(ctx, *x, *target, ctx.output(0));
    return {};
  }
  std::vector<std::int32_t> dims;
  for (auto d : ctx.attr_ints("squeeze_dims")) dims.push_back(static_cast<std::int32_t>(d));
  auto& op = ctx.emit("SQUEEZE", {*x}, {ctx.output(0)});
  tflite::SqueezeOptionsT options;
  options.squeeze_dims = std::move(dims);
  op.options.Set(std::move(options));
  return {};
}

Expected<void> lower_expand_dims(LoweringContext& ctx) {
  auto x = ctx.input(0);
  if (!x) return unexpected(x.error());
  const auto out = ctx.output_type(0);
  if (out.shape.is_fully_defined()) {
    emit_reshape(ctx, *x, out.shape.dims(), ctx.output(0));
    return {};
  }
  auto axis = i32_input(ctx, 1);
  if (!axis) return unexpected(axis.error());
  auto& op = ctx.emit("EXPAND_DIMS", {*x, *axis}, {ctx.output(0)});
  op.options.Set(tflite::ExpandDimsOptionsT{});
  return {};
}

Expected<void> lower_transpose(LoweringContext& ctx) {
  auto x = ctx.input(0);
  if (!x) return unexpected(x.error());
  auto perm = i32_input(ctx, 1);
  if (!perm) return unexpected(perm.error());
  ctx.emit("TRANSPOSE", {*x, *perm}, {ctx.output(0)});
  return {};
}

tflite::TensorType out_type(const LoweringContext& ctx) {
  return tfl_type(ctx.attr_type("out_type").value_or(ir::DType::Int32)).value_or(tflite::TensorType::INT32);
}

Expected<void> lower_shape(LoweringContext& ctx) {
  auto x = ctx.input(0);
  if (!x) return unexpected(x.error());
  auto& op = ctx.emit("SHAPE", {*x}, {ctx.output(0)});
  tflite::ShapeOptionsT options;
  options.out_type = out_type(ctx);
  op.options.Set(std::move(options));
  return {};
}

// ShapeN is one SHAPE per input.
Expected<void> lower_shape_n(LoweringContext& ctx) {
  for (std::size_t i = 0; i < ctx.input_count(); ++i) {
    auto x = ctx.input(i);
    if (!x) return unexpected(x.error());
    auto& op = ctx.emit("SHAPE", {*x}, {ctx.output(i)});
    tflite::ShapeOptionsT options;
    options.out_type = out_type(ctx);
    op.options.Set(std::move(options));
  }
  return {};
}

// Size of a tensor with a dynamic dim: the product of its shape (TensorFlow's lower_tf).
Expected<void> lower_size(LoweringContext& ctx) {
  auto x = ctx.input(0);
  if (!x) return unexpected(x.error());
  const auto dtype = ctx.attr_type("out_type").value_or(ir::DType::Int32);
  const auto rank = ctx.input_type(0).shape.has_rank() ? static_cast<std::int64_t>(ctx.input_type(0).shape.rank()) : -1;
  const auto shape = ctx.add_tensor("shape", {dtype, rank < 0 ? ir::Shape::unknown() : ir::Shape({rank})});
  auto& shape_op = ctx.emit("SHAPE", {*x}, {shape});
  tflite::ShapeOptionsT shape_options;
  shape_options.out_type = out_type(ctx);
  shape_op.options.Set(std::move(shape_options));
  const auto axis = i32_constant(ctx, "axis", {0}, std::vector<std::int64_t>{});
  auto& prod = ctx.emit("REDUCE_PROD", {shape, axis}, {ctx.output(0)});
  prod.options.Set(tflite::ReducerOptionsT{});
  return {};
}

Expected<void> lower_rank(LoweringContext& ctx) {
  auto x = ctx.input(0);
  if (!x) return unexpected(x.error());
  auto& op = ctx.emit("RANK", {*x}, {ctx.output(0)});
  op.options.Set(tflite::RankOptionsT{});
  return {};
}

}  // namespace

std::span<const Lowering> shape_ops() {
  static constexpr Lowering kLowerings[] = {
      {"ExpandDims", lower_expand_dims},
      {"Rank", lower_rank},
      {"Reshape", lower_reshape},
      {"Shape", lower_shape},
      {"ShapeN", lower_shape_n},
      {"Size", lower_size},
      {"Squeeze", lower_squeeze},
      {"Transpose", lower_transpose},
  };
  return kLowerings;
}

}  // namespace litelint::converter::lowerings
