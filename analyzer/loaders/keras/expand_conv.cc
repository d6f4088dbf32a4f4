// Convolution layers as Keras 3's TensorFlow backend traces them: tf.nn.convolution (1-D via
// ExpandDims + Conv2D + Squeeze), depthwise and separable convolutions, and transposed
// convolutions as Conv2DBackpropInput; then BiasAdd and the activation.
#include "analyzer/loaders/keras/expand_conv.h"

#include "analyzer/loaders/keras/expand_util.h"

namespace litelint::analyzer::keras {
namespace {

using json = nlohmann::json;

struct ConvSpec {
  int rank = 2;  // spatial dims
  std::vector<std::int64_t> kernel, strides, dilation;
  std::string padding;  // "valid", "same", "causal"
};

ConvSpec conv_spec(const json& cfg, int rank) {
  ConvSpec s;
  s.rank = rank;
  s.kernel = int_list(cfg, "kernel_size", static_cast<std::size_t>(rank), 1);
  s.strides = int_list(cfg, "strides", static_cast<std::size_t>(rank), 1);
  s.dilation = int_list(cfg, "dilation_rate", static_cast<std::size_t>(rank), 1);
  s.padding = cfg.value("padding", "valid");
  return s;
}

std::vector<std::int64_t> nhwc(std::int64_t a, std::int64_t b) { return {1, a, b, 1}; }

// Output shape of an N-D conv over NHWC-like `in` with `out_channels`.
ir::Shape conv_out_shape(const ir::Shape& in, const ConvSpec& s, std::int64_t out_channels) {
  if (!in.has_rank() || in.rank() != static_cast<std::size_t>(s.rank + 2)) return ir::Shape();
  std::vector<std::int64_t> d{in.dim(0)};
  for (int i = 0; i < s.rank; ++i) {
    d.push_back(conv_out_dim(in.dim(static_cast<std::size_t>(i + 1)), s.kernel[static_cast<std::size_t>(i)],
                             s.strides[static_cast<std::size_t>(i)], s.dilation[static_cast<std::size_t>(i)],
                             s.padding == "same"));
  }
  d.push_back(out_channels);
  return ir::Shape(d);
}

Expected<Value> bias_and_activation(LayerContext& ctx, Value y, const Value* bias) {
  if (bias != nullptr) {
    y = ctx.b.op("BiasAdd", {y, *bias}, {{"data_format", attr_string("NHWC")}}, y.dtype, y.shape);
  }
  return apply_activation(ctx, y, activation_name(ctx.cfg().value("activation", json("linear"))));
}

// Causal padding (Conv1D): pad the time axis on the left, then convolve VALID.
Value causal_pad(GraphBuilder& b, const Value& x, std::int64_t left) {
  Value pads = b.const_i32_shaped({0, 0, static_cast<std::int32_t>(left), 0, 0, 0}, {3, 2}, "Pad/paddings");
  ir::Shape out;
  if (x.shape.has_rank() && x.shape.rank() == 3) {
    auto d = x.shape.dims();
    if (d[1] >= 0) d[1] += left;
    out = ir::Shape(d);
  }
  return b.op("Pad", {x, pads}, {{"Tpaddings", attr_type(ir::DType::Int32)}}, x.dtype, out);
}

Expected<std::vector<Value>> conv(LayerContext& ctx, const std::vector<Value>& in, int rank) {
  if (in.size() != 1) return ctx.error("expects one input");
  const json& cfg = ctx.cfg();
  if (channels_first(cfg)) return ctx.unsupported("data_format='channels_first' is not modelled");
  ConvSpec s = conv_spec(cfg, rank);
  const std::int64_t filters = cfg.value("filters", std::int64_t{0});
  const bool use_bias = cfg.value("use_bias", true);
  const std::int64_t groups = cfg.value("groups", std::int64_t{1});
  Value x = in[0];
  const std::int64_t cin = dim_or_unknown(x.shape, static_cast<std::size_t>(rank + 1));
  std::vector<std::string> names{"kernel"};
  if (use_bias) names.push_back("bias");
  auto w = ctx.variables(names);
  if (!w) return unexpected(w.error());
  std::vector<std::int64_t> kshape(s.kernel.begin(), s.kernel.end());
  kshape.push_back(cin >= 0 && groups > 0 ? cin / groups : -1);
  kshape.push_back(filters);
  if (auto r = expect_shape(ctx, (*w)[0], "kernel", kshape); !r) return unexpected(r.error());
  if (use_bias) {
    if (auto r = expect_shape(ctx, (*w)[1], "bias", {filters}); !r) return unexpected(r.error());
  }
  GraphBuilder& b = ctx.b;
  Value kernel = (*w)[0];
  if (rank == 1 && s.padding == "causal") {
    x = causal_pad(b, x, s.dilation[0] * (s.kernel[0] - 1));
    s.padding = "valid";
  }
  const std::string pad = s.padding == "same" ? "SAME" : "VALID";
  Value y;
  if (rank == 1) {
    // tf.nn.conv1d: [N, W, C] -> [N, 1, W, C]; the kernel [k, in, out] -> [1, k, in, out].
    Value x4 = expand_dims(b, x, 1);
    Value k4 = expand_dims(b, kernel, 0);
    ConvSpec s2{2, {1, s.kernel[0]}, {1, s.strides[0]}, {1, s.dilation[0]}, s.padding};
    y = b.op("Conv2D", {x4, k4},
             {{"strides", attr_ints(nhwc(1, s.strides[0]))}, {"padding", attr_string(pad)},
              {"data_format", attr_string("NHWC")}, {"dilations", attr_ints(nhwc(1, s.dilation[0]))}},
             x.dtype, conv_out_shape(x4.shape, s2, filters));
    y = squeeze(b, y, 1);
  } else if (rank == 2) {
    y = b.op("Conv2D", {x, kernel},
             {{"strides", attr_ints(nhwc(s.strides[0], s.strides[1]))}, {"padding", attr_string(pad)},
              {"data_format", attr_string("NHWC")},
              {"dilations", attr_ints(nhwc(s.dilation[0], s.dilation[1]))}},
             x.dtype, conv_out_shape(x.shape, s, filters));
  } else {
    y = b.op("Conv3D", {x, kernel},
             {{"strides", attr_ints({1, s.strides[0], s.strides[1], s.strides[2], 1})},
              {"padding", attr_string(pad)}, {"data_format", attr_string("NDHWC")},
              {"dilations", attr_ints({1, s.dilation[0], s.dilation[1], s.dilation[2], 1})}},
             x.dtype, conv_out_shape(x.shape, s, filters));
  }
  auto out = bias_and_activation(ctx, y, use_bias ? &(*w)[1] : nullptr);
  if (!out) return unexpected(out.error());
  return std::vector<Value>{*out};
}

Expected<Value> depthwise(LayerContext& ctx, const Value& x4, const Value& kernel, const ConvSpec& s,
                          std::int64_t channels) {
  const std::string pad = s.padding == "same" ? "SAME" : "VALID";
  return ctx.b.op("DepthwiseConv2dNative", {x4, kernel},
                  {{"strides", attr_ints(nhwc(s.strides[0], s.strides[1]))}, {"padding", attr_string(pad)},
                   {"data_format", attr_string("NHWC")},
                   {"dilations", attr_ints(nhwc(s.dilation[0], s.dilation[1]))}},
                  x4.dtype, conv_out_shape(x4.shape, s, channels));
}

// DepthwiseConv1D/2D and SeparableConv1D/2D.
Expected<std::vector<Value>> depthwise_family(LayerContext& ctx, const std::vector<Value>& in, int rank,
                                              bool separable) {
  if (in.size() != 1) return ctx.error("expects one input");
  const json& cfg = ctx.cfg();
  if (channels_first(cfg)) return ctx.unsupported("data_format='channels_first' is not modelled");
  ConvSpec s = conv_spec(cfg, rank);
  const std::int64_t mult = cfg.value("depth_multiplier", std::int64_t{1});
  const bool use_bias = cfg.value("use_bias", true);
  const std::int64_t filters = cfg.value("filters", std::int64_t{0});
  GraphBuilder& b = ctx.b;
  Value x = in[0];
  const std::int64_t cin = dim_or_unknown(x.shape, static_cast<std::size_t>(rank + 1));
  std::vector<std::string> names{separable ? "depthwise_kernel" : "depthwise_kernel|kernel"};
  if (separable) names.push_back("pointwise_kernel");
  if (use_bias) names.push_back("bias");
  auto w = ctx.variables(names);
  if (!w) return unexpected(w.error());
  std::vector<std::int64_t> kshape(s.kernel.begin(), s.kernel.end());
  kshape.push_back(cin);
  kshape.push_back(mult);
  if (auto r = expect_shape(ctx, (*w)[0], "depthwise_kernel", kshape); !r) return unexpected(r.error());
  Value k = (*w)[0];
  if (rank == 1) {
    x = expand_dims(b, x, 1);
    k = expand_dims(b, k, 0);
    s = ConvSpec{2, {1, s.kernel[0]}, {1, s.strides[0]}, {1, s.dilation[0]}, s.padding};
  }
  const std::int64_t dw_channels = cin >= 0 ? cin * mult : -1;
  auto y = depthwise(ctx, x, k, s, dw_channels);
  if (!y) return unexpected(y.error());
  Value out = *y;
  if (separable) {
    Value pk = (*w)[1];
    if (auto r = expect_shape(ctx, pk, "pointwise_kernel",
                              rank == 1 ? std::vector<std::int64_t>{1, dw_channels, filters}
                                        : std::vector<std::int64_t>{1, 1, dw_channels, filters});
        !r) {
      return unexpected(r.error());
    }
    if (rank == 1) pk = expand_dims(b, pk, 0);
    out = b.op("Conv2D", {out, pk},
               {{"strides", attr_ints({1, 1, 1, 1})}, {"padding", attr_string("VALID")},
                {"data_format", attr_string("NHWC")}, {"dilations", attr_ints({1, 1, 1, 1})}},
               out.dtype, with_last_dim(out.shape, filters));
  }
  if (rank == 1) out = squeeze(b, out, 1);
  auto act = bias_and_activation(ctx, out, use_bias ? &(*w)[separable ? 2 : 1] : nullptr);
  if (!act) return unexpected(act.error());
  return std::vector<Value>{*act};
}

std::int64_t transpose_out_dim(std::int64_t in, std::int64_t k, std::int64_t stride, bool same) {
  if (in < 0) return ir::Shape::kUnknownDim;
  return same ? in * stride : in * stride + std::max<std::int64_t>(k - stride, 0);
}

// Conv1DTranspose / Conv2DTranspose: Conv2DBackpropInput with the output size computed from the
// input's (possibly unknown) batch, as tf.nn.conv2d_transpose traces it.
Expected<std::vector<Value>> conv_transpose(LayerContext& ctx, const std::vector<Value>& in, int rank) {
  if (in.size() != 1) return ctx.error("expects one input");
  const json& cfg = ctx.cfg();
  if (channels_first(cfg)) return ctx.unsupported("data_format='channels_first' is not modelled");
  if (cfg.contains("output_padding") && !cfg["output_padding"].is_null()) {
    return ctx.unsupported("output_padding is not modelled");
  }
  ConvSpec s = conv_spec(cfg, rank);
  for (auto d : s.dilation) {
    if (d != 1) return ctx.unsupported("dilated transposed convolutions are not modelled");
  }
  const std::int64_t filters = cfg.value("filters", std::int64_t{0});
  const bool use_bias = cfg.value("use_bias", true);
  GraphBuilder& b = ctx.b;
  Value x = in[0];
  const std::int64_t cin = dim_or_unknown(x.shape, static_cast<std::size_t>(rank + 1));
  std::vector<std::string> names{"kernel"};
  if (use_bias) names.push_back("bias");
  auto w = ctx.variables(names);
  if (!w) return unexpected(w.error());
  std::vector<std::int64_t> kshape(s.kernel.begin(), s.kernel.end());
  kshape.push_back(filters);
  kshape.push_back(cin);
  if (auto r = expect_shape(ctx, (*w)[0], "kernel", kshape); !r) return unexpected(r.error());
  Value k = (*w)[0];
  if (rank == 1) {
    x = expand_dims(b, x, 1);
    k = expand_dims(b, k, 0);
    s = ConvSpec{2, {1, s.kernel[0]}, {1, s.strides[0]}, {1, 1}, s.padding};
  }
  const bool same = s.padding == "same";
  const std::int64_t oh = transpose_out_dim(dim_or_unknown(x.shape, 1), s.kernel[0], s.strides[0], same);
  const std::int64_t ow = transpose_out_dim(dim_or_unknown(x.shape, 2), s.kernel[1], s.strides[1], same);
  const std::int64_t batch = dim_or_unknown(x.shape, 0);
  Value sizes;
  if (batch >= 0) {
    sizes = b.const_i32({static_cast<std::int32_t>(batch), static_cast<std::int32_t>(oh),
                         static_cast<std::int32_t>(ow), static_cast<std::int32_t>(filters)},
                        "conv_transpose/output_shape");
  } else {
    Value shape = b.op("Shape", {x}, {{"out_type", attr_type(ir::DType::Int32)}}, ir::DType::Int32,
                       ir::Shape({4}));
    Value batch_dim = b.op("StridedSlice",
                           {shape, b.const_i32({0}, "strided_slice/stack"), b.const_i32({1}, "strided_slice/stack_1"),
                            b.const_i32({1}, "strided_slice/stack_2")},
                           {{"Index", attr_type(ir::DType::Int32)}, {"begin_mask", attr_int(0)},
                            {"end_mask", attr_int(0)}, {"ellipsis_mask", attr_int(0)},
                            {"new_axis_mask", attr_int(0)}, {"shrink_axis_mask", attr_int(1)}},
                           ir::DType::Int32, ir::Shape::scalar());
    Value h = b.const_i32({static_cast<std::int32_t>(oh)}, "stack/1", true);
    Value wv = b.const_i32({static_cast<std::int32_t>(ow)}, "stack/2", true);
    Value c = b.const_i32({static_cast<std::int32_t>(filters)}, "stack/3", true);
    sizes = b.op("Pack", {batch_dim, h, wv, c}, {{"N", attr_int(4)}, {"axis", attr_int(0)}}, ir::DType::Int32,
                 ir::Shape({4}));
  }
  Value y = b.op("Conv2DBackpropInput", {sizes, k, x},
                 {{"T", attr_type(x.dtype)}, {"strides", attr_ints(nhwc(s.strides[0], s.strides[1]))},
                  {"padding", attr_string(same ? "SAME" : "VALID")}, {"data_format", attr_string("NHWC")},
                  {"dilations", attr_ints({1, 1, 1, 1})}},
                 x.dtype, ir::Shape({batch, oh, ow, filters}));
  if (rank == 1) y = squeeze(b, y, 1);
  auto out = bias_and_activation(ctx, y, use_bias ? &(*w)[1] : nullptr);
  if (!out) return unexpected(out.error());
  return std::vector<Value>{*out};
}

}  // namespace

Expected<std::vector<Value>> expand_conv1d(LayerContext& c, const std::vector<Value>& in) { return conv(c, in, 1); }
Expected<std::vector<Value>> expand_conv2d(LayerContext& c, const std::vector<Value>& in) { return conv(c, in, 2); }
Expected<std::vector<Value>> expand_conv3d(LayerContext& c, const std::vector<Value>& in) { return conv(c, in, 3); }
Expected<std::vector<Value>> expand_depthwise_conv1d(LayerContext& c, const std::vector<Value>& in) {
  return depthwise_family(c, in, 1, false);
}
Expected<std::vector<Value>> expand_depthwise_conv2d(LayerContext& c, const std::vector<Value>& in) {
  return depthwise_family(c, in, 2, false);
}
Expected<std::vector<Value>> expand_separable_conv1d(LayerContext& c, const std::vector<Value>& in) {
  return depthwise_family(c, in, 1, true);
}
Expected<std::vector<Value>> expand_separable_conv2d(LayerContext& c, const std::vector<Value>& in) {
  return depthwise_family(c, in, 2, true);
}
Expected<std::vector<Value>> expand_conv1d_transpose(LayerContext& c, const std::vector<Value>& in) {
  return conv_transpose(c, in, 1);
}
Expected<std::vector<Value>> expand_conv2d_transpose(LayerContext& c, const std::vector<Value>& in) {
  return conv_transpose(c, in, 2);
}

}  // namespace litelint::analyzer::keras
