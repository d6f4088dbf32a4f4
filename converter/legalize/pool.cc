// 2-D pooling: MaxPool / AvgPool (and MaxPoolV2, whose window and strides are operands) ->
// MAX_POOL_2D / AVERAGE_POOL_2D, NHWC only, so an NCHW pool runs between two TRANSPOSEs as
// in TensorFlow's converter.
#include <fmt/format.h>

#include "converter/legalize/families.h"
#include "converter/legalize/layout.h"

namespace litelint::converter::lowerings {
namespace {

// Height and width of a 4-entry ksize/strides list in the node's layout; the batch and
// channel entries must be 1 (TFLite pools only over space).
Expected<std::pair<std::int32_t, std::int32_t>> spatial_pair(const LoweringContext& ctx, std::string_view what,
                                                             const std::vector<std::int64_t>& v, bool nchw) {
  if (v.size() != 4) return ctx.fail(fmt::format("'{}' has {} entries, expected 4", what, v.size()));
  const std::size_t h = nchw ? 2 : 1;
  const std::size_t c = nchw ? 1 : 3;
  if (v[0] != 1 || v[c] != 1) return ctx.fail(fmt::format("'{}' pools over the batch or channel axis", what));
  return std::pair{static_cast<std::int32_t>(v[h]), static_cast<std::int32_t>(v[h + 1])};
}

Expected<void> lower_pool(LoweringContext& ctx, std::string_view builtin, std::vector<std::int64_t> ksize,
                          std::vector<std::int64_t> strides) {
  const auto dtype = ir::base_dtype(ctx.input_type(0).dtype);
  if (dtype != ir::DType::Float) return ctx.fail("only float32 pooling is lowered");
  auto nchw = is_channels_first(ctx);
  if (!nchw) return unexpected(nchw.error());
  auto window = spatial_pair(ctx, "ksize", ksize, *nchw);
  if (!window) return unexpected(window.error());
  auto stride = spatial_pair(ctx, "strides", strides, *nchw);
  if (!stride) return unexpected(stride.error());
  const auto padding = tfl_padding(ctx.attr_string("padding"));
  if (!padding) return ctx.fail("padding '" + ctx.attr_string("padding") + "' has no TFLite pooling equivalent");

  auto x = ctx.input(0);
  if (!x) return unexpected(x.error());
  std::int32_t in = *x;
  std::int32_t out = ctx.output(0);
  if (*nchw) {
    in = emit_transpose(ctx, "input_nhwc", in, ctx.input_type(0), kToNhwc);
    out = ctx.add_tensor("output_nhwc", permute_type(ctx.output_type(0), kToNhwc));
  }
  auto& op = ctx.emit(builtin, {in}, {out});
  tflite::Pool2DOptionsT options;
  options.padding = *padding;
  options.filter_height = window->first;
  options.filter_width = window->second;
  options.stride_h = stride->first;
  options.stride_w = stride->second;
  op.options.Set(std::move(options));
  if (*nchw) emit_transpose_into(ctx, out, kToNchw, ctx.output(0));
  return {};
}

Expected<void> lower_max_pool(LoweringContext& ctx) {
  return lower_pool(ctx, "MAX_POOL_2D", ctx.attr_ints("ksize"), ctx.attr_ints("strides"));
}

Expected<void> lower_avg_pool(LoweringContext& ctx) {
  return lower_pool(ctx, "AVERAGE_POOL_2D", ctx.attr_ints("ksize"), ctx.attr_ints("strides"));
}

// MaxPoolV2(input, ksize, strides): the same, once window and strides are constants.
Expected<void> lower_max_pool_v2(LoweringContext& ctx) {
  const auto* ksize = ctx.constant(1);
  const auto* strides = ctx.constant(2);
  if (ksize == nullptr || strides == nullptr) return ctx.fail("ksize and strides are computed at run time");
  auto k = ksize->ints();
  auto s = strides->ints();
  if (!k || !s) return ctx.fail("ksize and strides are not integer tensors");
  return lower_pool(ctx, "MAX_POOL_2D", std::move(*k), std::move(*s));
}

}  // namespace

std::span<const Lowering> pool() {
  static constexpr Lowering kLowerings[] = {
      {"AvgPool", lower_avg_pool},
      {"MaxPool", lower_max_pool},
      {"MaxPoolV2", lower_max_pool_v2},
  };
  return kLowerings;
}

}  // namespace litelint::converter::lowerings
