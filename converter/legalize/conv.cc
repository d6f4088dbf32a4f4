// Convolutions. TFLite's kernels are NHWC with the filter stored output-channel first, so
// each constant filter is permuted once here, as TensorFlow's converter does:
//   Conv2D                 HWIO [H,W,I,O] -> CONV_2D OHWI [O,H,W,I]
//   DepthwiseConv2dNative  [H,W,C,M]      -> DEPTHWISE_CONV_2D [1,H,W,C*M] (same bytes)
//   Conv2DBackpropInput    [H,W,O,I]      -> TRANSPOSE_CONV [O,H,W,I]
//   Conv3D / Conv3DBackpropInputV2: TFLite takes TensorFlow's [D,H,W,I,O] / [D,H,W,O,I] as is.
// CONV_2D and DEPTHWISE_CONV_2D always get a bias operand (zeros when the graph has none),
// which is what TensorFlow's converter writes and what bias fusion later adds into. NCHW
// convolutions run between two TRANSPOSEs; EXPLICIT padding becomes a PAD before a VALID
// convolution.
#include <fmt/format.h>

#include "converter/legalize/families.h"
#include "converter/legalize/layout.h"
#include "converter/legalize/operands.h"

namespace litelint::converter::lowerings {
namespace {

// Height and width (or depth, height, width) entries of a strides/dilations attribute, or
// `fallback` when the attribute is absent; batch and channel entries must be 1.
Expected<std::vector<std::int32_t>> spatial_attr(const LoweringContext& ctx, std::string_view key, bool nchw,
                                                 std::size_t rank, std::int64_t fallback) {
  auto v = ctx.attr_ints(key);
  if (v.empty()) v.assign(rank, fallback);
  if (v.size() != rank) return ctx.fail(fmt::format("'{}' has {} entries, expected {}", key, v.size(), rank));
  const std::size_t channel = nchw ? 1 : rank - 1;
  if (v[0] != 1 || v[channel] != 1) return ctx.fail(fmt::format("'{}' on the batch or channel axis", key));
  std::vector<std::int32_t> out;
  const std::size_t first = nchw ? 2 : 1;
  for (std::size_t i = first; i < first + rank - 2; ++i) out.push_back(static_cast<std::int32_t>(v[i]));
  return out;
}

Expected<void> require_float(const LoweringContext& ctx) {
  if (ir::base_dtype(ctx.input_type(0).dtype) != ir::DType::Float) {
    return ctx.fail("only float32 convolutions are lowered");
  }
  return {};
}

// The NHWC view of the convolution's data input (a TRANSPOSE when the node is NCHW).
Expected<std::int32_t> nhwc_input(LoweringContext& ctx, std::size_t i, bool nchw) {
  auto x = ctx.input(i);
  if (!x || !nchw) return x;
  return emit_transpose(ctx, "input_nhwc", *x, ctx.input_type(i), kToNhwc);
}

// Where the NHWC operator writes: the node's output, or a temporary that a TRANSPOSE turns
// back into the NCHW output.
std::int32_t nhwc_output(LoweringContext& ctx, bool nchw) {
  if (!nchw) return ctx.output(0);
  return ctx.add_tensor("output_nhwc", permute_type(ctx.output_type(0), kToNhwc));
}

void finish_nhwc_output(LoweringContext& ctx, std::int32_t nhwc, bool nchw) {
  if (nchw) emit_transpose_into(ctx, nhwc, kToNchw, ctx.output(0));
}

// EXPLICIT padding: PAD the NHWC input by the attribute's per-dimension pairs (given in the
// node's data format); the convolution itself is then VALID.
Expected<std::int32_t> explicit_pad(LoweringContext& ctx, std::int32_t x, bool nchw) {
  const auto pads = ctx.attr_ints("explicit_paddings");
  if (pads.size() != 8) return ctx.fail("EXPLICIT padding without 8 explicit_paddings");
  std::vector<std::int32_t> nhwc(8);
  for (int i = 0; i < 4; ++i) {
    const int from = nchw ? kToNhwc[i] : i;
    nhwc[2 * i] = static_cast<std::int32_t>(pads[2 * from]);
    nhwc[2 * i + 1] = static_cast<std::int32_t>(pads[2 * from + 1]);
  }
  const auto in_type = nchw ? permute_type(ctx.input_type(0), kToNhwc) : ctx.input_type(0);
  ir::TensorType padded = in_type;
  if (padded.shape.has_rank() && padded.shape.rank() == 4) {
    auto dims = padded.shape.dims();
    for (int i = 0; i < 4; ++i) {
      if (dims[i] >= 0) dims[i] += nhwc[2 * i] + nhwc[2 * i + 1];
    }
    padded.shape = ir::Shape(std::move(dims));
  }
  const auto paddings = ctx.add_i32("paddings", nhwc, std::vector<std::int64_t>{4, 2});
  const auto out = ctx.add_tensor("padded", padded);
  auto& op = ctx.emit("PAD", {x, paddings}, {out});
  op.options.Set(tflite::PadOptionsT{});
  return out;
}

// Padding of a 2-D convolution or pooling: SAME/VALID, or EXPLICIT through a PAD (which
// replaces *x).
Expected<tflite::Padding> resolve_padding(LoweringContext& ctx, std::int32_t& x, bool nchw) {
  const auto padding = ctx.attr_string("padding");
  if (auto p = tfl_padding(padding)) return *p;
  if (padding != "EXPLICIT") return ctx.fail("padding '" + padding + "' has no TFLite equivalent");
  auto padded = explicit_pad(ctx, x, nchw);
  if (!padded) return unexpected(padded.error());
  x = *padded;
  return tflite::Padding::VALID;
}

// A zero bias of `channels` elements, as TensorFlow's converter adds to every convolution
// without one.
Expected<std::int32_t> zero_bias(LoweringContext& ctx, std::int64_t channels) {
  if (channels < 0) return ctx.fail("the filter's output channels are not known");
  const std::vector<double> zeros(static_cast<std::size_t>(channels), 0.0);
  return ctx.add_constant("bias", ConstValue::from_doubles(ir::DType::Float, ir::Shape({channels}), zeros));
}

// The filter as a TFLite tensor of the layout the kernel wants: permuted at conversion time
// when constant, by a TRANSPOSE operator otherwise.
Expected<std::int32_t> permuted_filter(LoweringContext& ctx, std::size_t i, std::span<const int> perm) {
  if (const auto* w = ctx.constant(i)) {
    if (w->shape.rank() != perm.size()) return ctx.fail("the filter has the wrong rank");
    return ctx.add_constant("filter", permute_constant(*w, perm));
  }
  auto w = ctx.input(i);
  if (!w) return w;
  if (!ctx.input_type(i).shape.has_rank() || ctx.input_type(i).shape.rank() != perm.size()) {
    return ctx.fail("a computed filter of unknown rank");
  }
  return emit_transpose(ctx, "filter", *w, ctx.input_type(i), perm);
}

Expected<void> lower_conv2d(LoweringContext& ctx) {
  if (auto ok = require_float(ctx); !ok) return ok;
  auto nchw = is_channels_first(ctx);
  if (!nchw) return unexpected(nchw.error());
  auto strides = spatial_attr(ctx, "strides", *nchw, 4, 1);
  if (!strides) return unexpected(strides.error());
  auto dilations = spatial_attr(ctx, "dilations", *nchw, 4, 1);
  if (!dilations) return unexpected(dilations.error());
  const auto& filter_shape = ctx.input_type(1).shape;
  if (!filter_shape.has_rank() || filter_shape.rank() != 4) return ctx.fail("the filter is not 4-D");

  auto x = nhwc_input(ctx, 0, *nchw);
  if (!x) return unexpected(x.error());
  std::int32_t data = *x;
  auto padding = resolve_padding(ctx, data, *nchw);
  if (!padding) return unexpected(padding.error());
  static constexpr int kHwioToOhwi[] = {3, 0, 1, 2};
  auto filter = permuted_filter(ctx, 1, kHwioToOhwi);
  if (!filter) return unexpected(filter.error());
  auto bias = zero_bias(ctx, filter_shape.dim(3));
  if (!bias) return unexpected(bias.error());

  const auto out = nhwc_output(ctx, *nchw);
  auto& op = ctx.emit("CONV_2D", {data, *filter, *bias}, {out});
  tflite::Conv2DOptionsT options;
  options.padding = *padding;
  options.stride_h = (*strides)[0];
  options.stride_w = (*strides)[1];
  options.dilation_h_factor = (*dilations)[0];
  options.dilation_w_factor = (*dilations)[1];
  op.options.Set(std::move(options));
  finish_nhwc_output(ctx, out, *nchw);
  return {};
}

Expected<void> lower_depthwise(LoweringContext& ctx) {
  if (auto ok = require_float(ctx); !ok) return ok;
  auto nchw = is_channels_first(ctx);
  if (!nchw) return unexpected(nchw.error());
  auto strides = spatial_attr(ctx, "strides", *nchw, 4, 1);
  if (!strides) return unexpected(strides.error());
  auto dilations = spatial_attr(ctx, "dilations", *nchw, 4, 1);
  if (!dilations) return unexpected(dilations.error());
  const auto& fs = ctx.input_type(1).shape;
  if (!fs.is_fully_defined() || fs.rank() != 4) return ctx.fail("the filter's shape is not known");
  const std::int64_t channels = fs.dim(2) * fs.dim(3);

  auto x = nhwc_input(ctx, 0, *nchw);
  if (!x) return unexpected(x.error());
  std::int32_t data = *x;
  auto padding = resolve_padding(ctx, data, *nchw);
  if (!padding) return unexpected(padding.error());
  // [H,W,C,M] and [1,H,W,C*M] have the same row-major bytes: a reshape, not a transpose.
  const ir::Shape tfl_shape({1, fs.dim(0), fs.dim(1), channels});
  std::int32_t filter = -1;
  if (const auto* w = ctx.constant(1)) {
    ConstValue reshaped = *w;
    reshaped.shape = tfl_shape;
    auto c = ctx.add_constant("filter", reshaped);
    if (!c) return unexpected(c.error());
    filter = *c;
  } else {
    auto computed = ctx.input(1);
    if (!computed) return unexpected(computed.error());
    filter = ctx.add_tensor("filter", {ctx.input_type(1).dtype, tfl_shape});
    const std::int32_t dims[] = {1, static_cast<std::int32_t>(fs.dim(0)), static_cast<std::int32_t>(fs.dim(1)),
                                 static_cast<std::int32_t>(channels)};
    auto& reshape = ctx.emit("RESHAPE", {*computed, ctx.add_i32("filter_shape", dims)}, {filter});
    reshape.options.Set(tflite::ReshapeOptionsT{});
  }
  auto bias = zero_bias(ctx, channels);
  if (!bias) return unexpected(bias.error());

  const auto out = nhwc_output(ctx, *nchw);
  auto& op = ctx.emit("DEPTHWISE_CONV_2D", {data, filter, *bias}, {out});
  tflite::DepthwiseConv2DOptionsT options;
  options.padding = *padding;
  options.stride_h = (*strides)[0];
  options.stride_w = (*strides)[1];
  options.dilation_h_factor = (*dilations)[0];
  options.dilation_w_factor = (*dilations)[1];
  options.depth_multiplier = static_cast<std::int32_t>(fs.dim(3));
  op.options.Set(std::move(options));
  finish_nhwc_output(ctx, out, *nchw);
  return {};
}

// Conv2DBackpropInput(input_sizes, filter, out_backprop) -> TRANSPOSE_CONV(output_shape,
// filter, input) with no bias operand (TensorFlow's converter leaves it out; a following
// BiasAdd fuses in as the fourth operand).
Expected<void> lower_conv2d_backprop_input(LoweringContext& ctx) {
  if (ir::base_dtype(ctx.input_type(2).dtype) != ir::DType::Float) {
    return ctx.fail("only float32 transposed convolutions are lowered");
  }
  auto nchw = is_channels_first(ctx);
  if (!nchw) return unexpected(nchw.error());
  if (*nchw) return ctx.fail("NCHW transposed convolution is not lowered");
  auto strides = spatial_attr(ctx, "strides", false, 4, 1);
  if (!strides) return unexpected(strides.error());
  auto dilations = spatial_attr(ctx, "dilations", false, 4, 1);
  if (!dilations) return unexpected(dilations.error());
  if ((*dilations)[0] != 1 || (*dilations)[1] != 1) return ctx.fail("TRANSPOSE_CONV has no dilation");
  const auto padding = tfl_padding(ctx.attr_string("padding"));
  if (!padding) return ctx.fail("padding '" + ctx.attr_string("padding") + "' has no TRANSPOSE_CONV equivalent");

  auto output_shape = i32_input(ctx, 0);
  if (!output_shape) return unexpected(output_shape.error());
  static constexpr int kHwoiToOhwi[] = {2, 0, 1, 3};
  auto filter = permuted_filter(ctx, 1, kHwoiToOhwi);
  if (!filter) return unexpected(filter.error());
  auto x = ctx.input(2);
  if (!x) return unexpected(x.error());
  auto& op = ctx.emit("TRANSPOSE_CONV", {*output_shape, *filter, *x}, {ctx.output(0)});
  tflite::TransposeConvOptionsT options;
  options.padding = *padding;
  options.stride_h = (*strides)[0];
  options.stride_w = (*strides)[1];
  op.options.Set(std::move(options));
  return {};
}

Expected<tflite::Conv3DOptionsT> conv3d_options(const LoweringContext& ctx) {
  auto nchw = is_channels_first(ctx);
  if (!nchw) return unexpected(nchw.error());
  if (*nchw) return ctx.fail("NCDHW 3-D convolution is not lowered");
  auto strides = spatial_attr(ctx, "strides", false, 5, 1);
  if (!strides) return unexpected(strides.error());
  auto dilations = spatial_attr(ctx, "dilations", false, 5, 1);
  if (!dilations) return unexpected(dilations.error());
  const auto padding = tfl_padding(ctx.attr_string("padding"));
  if (!padding) return ctx.fail("padding '" + ctx.attr_string("padding") + "' has no CONV_3D equivalent");
  tflite::Conv3DOptionsT options;
  options.padding = *padding;
  options.stride_d = (*strides)[0];
  options.stride_h = (*strides)[1];
  options.stride_w = (*strides)[2];
  options.dilation_d_factor = (*dilations)[0];
  options.dilation_h_factor = (*dilations)[1];
  options.dilation_w_factor = (*dilations)[2];
  return options;
}

// Conv3D -> CONV_3D(input, filter) with the bias operand omitted, as TensorFlow's converter
// writes it.
Expected<void> lower_conv3d(LoweringContext& ctx) {
  if (auto ok = require_float(ctx); !ok) return ok;
  auto options = conv3d_options(ctx);
  if (!options) return unexpected(options.error());
  auto x = ctx.input(0);
  if (!x) return unexpected(x.error());
  auto filter = ctx.input(1);
  if (!filter) return unexpected(filter.error());
  auto& op = ctx.emit("CONV_3D", {*x, *filter, -1}, {ctx.output(0)});
  op.options.Set(std::move(*options));
  return {};
}

// Conv3DBackpropInputV2(input_sizes, filter, out_backprop) -> CONV_3D_TRANSPOSE(output_shape,
// filter, input).
Expected<void> lower_conv3d_backprop_input(LoweringContext& ctx) {
  if (ir::base_dtype(ctx.input_type(2).dtype) != ir::DType::Float) {
    return ctx.fail("only float32 transposed convolutions are lowered");
  }
  auto options = conv3d_options(ctx);
  if (!options) return unexpected(options.error());
  auto output_shape = i32_input(ctx, 0);
  if (!output_shape) return unexpected(output_shape.error());
  auto filter = ctx.input(1);
  if (!filter) return unexpected(filter.error());
  auto x = ctx.input(2);
  if (!x) return unexpected(x.error());
  auto& op = ctx.emit("CONV_3D_TRANSPOSE", {*output_shape, *filter, *x, -1}, {ctx.output(0)});
  op.options.Set(std::move(*options));
  return {};
}

}  // namespace

std::span<const Lowering> conv() {
  static constexpr Lowering kLowerings[] = {
      {"Conv2D", lower_conv2d},
      {"Conv2DBackpropInput", lower_conv2d_backprop_input},
      {"Conv3D", lower_conv3d},
      {"Conv3DBackpropInputV2", lower_conv3d_backprop_input},
      {"DepthwiseConv2dNative", lower_depthwise},
  };
  return kLowerings;
}

}  // namespace litelint::converter::lowerings
