// Spatial rearrangements: padding, space/batch and depth/space shuffles, image resizing. Each
// maps onto one TFLite builtin with the same operands, except that TFLite reads paddings,
// block shapes, crops and sizes as int32 only (i32_input converts them).
#include "converter/legalize/families.h"
#include "converter/legalize/operands.h"

namespace litelint::converter::lowerings {
namespace {

// builtin(x, int32 operand 1, ..., int32 operand n-1) -> output 0.
Expected<tfl::Operator*> emit_with_int32_operands(LoweringContext& ctx, std::string_view builtin,
                                                  std::size_t int32_operands) {
  auto x = ctx.input(0);
  if (!x) return unexpected(x.error());
  std::vector<std::int32_t> inputs{*x};
  for (std::size_t i = 1; i <= int32_operands; ++i) {
    auto t = i32_input(ctx, i);
    if (!t) return unexpected(t.error());
    inputs.push_back(*t);
  }
  return &ctx.emit(builtin, std::move(inputs), {ctx.output(0)});
}

Expected<void> lower_pad(LoweringContext& ctx) {
  auto op = emit_with_int32_operands(ctx, "PAD", 1);
  if (!op) return unexpected(op.error());
  (*op)->options.Set(tflite::PadOptionsT{});
  return {};
}

// PadV2(x, paddings, constant_values): the fill value stays a scalar of x's type.
Expected<void> lower_pad_v2(LoweringContext& ctx) {
  auto op = emit_with_int32_operands(ctx, "PADV2", 1);
  if (!op) return unexpected(op.error());
  auto fill = ctx.input(2);
  if (!fill) return unexpected(fill.error());
  (*op)->inputs.push_back(*fill);
  (*op)->options.Set(tflite::PadV2OptionsT{});
  return {};
}

Expected<void> lower_mirror_pad(LoweringContext& ctx) {
  const auto mode = ctx.attr_string("mode");
  tflite::MirrorPadOptionsT options;
  if (mode == "REFLECT") {
    options.mode = tflite::MirrorPadMode::REFLECT;
  } else if (mode == "SYMMETRIC") {
    options.mode = tflite::MirrorPadMode::SYMMETRIC;
  } else {
    return ctx.fail("mirror padding mode '" + mode + "' has no TFLite equivalent");
  }
  auto op = emit_with_int32_operands(ctx, "MIRROR_PAD", 1);
  if (!op) return unexpected(op.error());
  (*op)->options.Set(std::move(options));
  return {};
}

// SpaceToBatchND(x, block_shape, paddings) / BatchToSpaceND(x, block_shape, crops): the
// operands carry everything; TensorFlow's converter writes no options table.
Expected<void> lower_space_to_batch(LoweringContext& ctx) {
  auto op = emit_with_int32_operands(ctx, "SPACE_TO_BATCH_ND", 2);
  if (!op) return unexpected(op.error());
  return {};
}

Expected<void> lower_batch_to_space(LoweringContext& ctx) {
  auto op = emit_with_int32_operands(ctx, "BATCH_TO_SPACE_ND", 2);
  if (!op) return unexpected(op.error());
  return {};
}

Expected<void> lower_depth_space(LoweringContext& ctx, std::string_view builtin) {
  if (ctx.attr_string("data_format", "NHWC") != "NHWC") return ctx.fail("only NHWC is lowered");
  const auto block = ctx.attr_int("block_size");
  if (!block) return ctx.fail("no block_size");
  auto op = emit_with_int32_operands(ctx, builtin, 0);
  if (!op) return unexpected(op.error());
  if (builtin == "DEPTH_TO_SPACE") {
    tflite::DepthToSpaceOptionsT options;
    options.block_size = static_cast<std::int32_t>(*block);
    (*op)->options.Set(std::move(options));
  } else {
    tflite::SpaceToDepthOptionsT options;
    options.block_size = static_cast<std::int32_t>(*block);
    (*op)->options.Set(std::move(options));
  }
  return {};
}

Expected<void> lower_depth_to_space(LoweringContext& ctx) { return lower_depth_space(ctx, "DEPTH_TO_SPACE"); }
Expected<void> lower_space_to_depth(LoweringContext& ctx) { return lower_depth_space(ctx, "SPACE_TO_DEPTH"); }

// ResizeBilinear / ResizeNearestNeighbor(images, size): the same two flags in the options.
Expected<void> lower_resize_bilinear(LoweringContext& ctx) {
  auto op = emit_with_int32_operands(ctx, "RESIZE_BILINEAR", 1);
  if (!op) return unexpected(op.error());
  tflite::ResizeBilinearOptionsT options;
  options.align_corners = ctx.attr_bool("align_corners");
  options.half_pixel_centers = ctx.attr_bool("half_pixel_centers");
  (*op)->options.Set(std::move(options));
  return {};
}

Expected<void> lower_resize_nearest(LoweringContext& ctx) {
  auto op = emit_with_int32_operands(ctx, "RESIZE_NEAREST_NEIGHBOR", 1);
  if (!op) return unexpected(op.error());
  tflite::ResizeNearestNeighborOptionsT options;
  options.align_corners = ctx.attr_bool("align_corners");
  options.half_pixel_centers = ctx.attr_bool("half_pixel_centers");
  (*op)->options.Set(std::move(options));
  return {};
}

}  // namespace

std::span<const Lowering> spatial() {
  static constexpr Lowering kLowerings[] = {
      {"BatchToSpaceND", lower_batch_to_space},
      {"DepthToSpace", lower_depth_to_space},
      {"MirrorPad", lower_mirror_pad},
      {"Pad", lower_pad},
      {"PadV2", lower_pad_v2},
      {"ResizeBilinear", lower_resize_bilinear},
      {"ResizeNearestNeighbor", lower_resize_nearest},
      {"SpaceToBatchND", lower_space_to_batch},
      {"SpaceToDepth", lower_space_to_depth},
  };
  return kLowerings;
}

}  // namespace litelint::converter::lowerings
