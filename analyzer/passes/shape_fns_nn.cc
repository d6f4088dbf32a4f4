// Shape functions for convolutions, pooling, normalization, resizing and RNN kernels.
#include <string>

#include "analyzer/passes/shape_context.h"

namespace litelint::passes::shape_inference {
namespace {

using ir::DType;
using ir::Shape;

constexpr std::int64_t kUnknown = Shape::kUnknownDim;

DType elem_type(const InferenceContext& ctx, std::size_t input = 0) {
  return ctx.first_type_attr({"T"}).value_or(ir::base_dtype(ctx.input_dtype(input)));
}

/// Positions of batch, spatial and channel dims for a data_format ("NHWC", "NCHW", "NDHWC"...).
struct Layout {
  std::size_t batch = 0;
  std::size_t channel = 3;
  std::vector<std::size_t> spatial;
};

Layout layout(std::string_view format, std::size_t rank) {
  Layout l;
  const bool channels_first = format.size() >= 2 && format[1] == 'C';
  l.channel = channels_first ? 1 : rank - 1;
  for (std::size_t i = channels_first ? 2 : 1; i < (channels_first ? rank : rank - 1); ++i) {
    l.spatial.push_back(i);
  }
  return l;
}

/// Output size of one spatial dim of a convolution or pool, as TensorFlow's
/// GetWindowedOutputSize computes it.
std::int64_t windowed_output(InferenceContext& ctx, std::int64_t in, std::int64_t k,
                             std::int64_t stride, std::int64_t dilation, const std::string& padding,
                             std::int64_t pad_before, std::int64_t pad_after) {
  if (stride <= 0 || dilation <= 0) return kUnknown;
  if (padding == "SAME") {
    if (in < 0) return kUnknown;
    return in / stride + (in % stride != 0 ? 1 : 0);
  }
  if (in < 0 || k < 0) return kUnknown;
  const auto eff_k = add_dims(mul_dims(k - 1 < 0 ? 0 : k - 1, dilation), 1);
  if (eff_k < 0) return kUnknown;
  std::int64_t padded = in;
  if (padding == "EXPLICIT") {
    if (pad_before < 0 || pad_after < 0) return kUnknown;
    padded = add_dims(add_dims(in, pad_before), pad_after);
    if (padded < 0) return kUnknown;
  } else if (padding != "VALID") {
    return kUnknown;
  }
  if (padded < eff_k) {
    ctx.error("window of size " + std::to_string(eff_k) + " does not fit input dim " +
              std::to_string(padded));
    return kUnknown;
  }
  return (padded - eff_k) / stride + 1;
}

/// An attr list entry at a layout position, or `fallback` when the list is absent/short.
std::int64_t list_at(const std::vector<std::int64_t>* list, std::size_t i, std::int64_t fallback) {
  return list && i < list->size() ? (*list)[i] : fallback;
}

/// Convolution over `spatial_rank` dims. `depthwise` filters are [k..., in, multiplier].
void conv_nd(InferenceContext& ctx, std::size_t spatial_rank, bool depthwise) {
  const auto dtype = elem_type(ctx);
  const std::size_t rank = spatial_rank + 2;
  const auto& in = ctx.input_shape(0);
  const auto& filter = ctx.input_shape(1);
  const auto format = ctx.attr_string("data_format").value_or(rank == 4 ? "NHWC" : "NDHWC");
  if (in.has_rank() && in.rank() != rank) {
    ctx.error("input must be rank " + std::to_string(rank) + ", got " + in.to_string());
    ctx.set_output(0, dtype, unknown_dims(static_cast<std::int64_t>(rank)));
    return;
  }
  if (filter.has_rank() && filter.rank() != rank) {
    ctx.error("filter must be rank " + std::to_string(rank) + ", got " + filter.to_string());
    ctx.set_output(0, dtype, unknown_dims(static_cast<std::int64_t>(rank)));
    return;
  }
  const Layout l = layout(format, rank);
  const auto* strides = ctx.attr_ints("strides");
  const auto* dilations = ctx.attr_ints("dilations");
  const auto* explicit_pads = ctx.attr_ints("explicit_paddings");
  const auto padding = ctx.attr_string("padding").value_or("");
  std::vector<std::int64_t> out(rank, kUnknown);
  if (in.has_rank()) out[l.batch] = in.dim(l.batch);
  const std::int64_t in_c = in.has_rank() ? in.dim(l.channel) : kUnknown;
  const std::int64_t f_in = filter.has_rank() ? filter.dim(spatial_rank) : kUnknown;
  const std::int64_t f_out = filter.has_rank() ? filter.dim(spatial_rank + 1) : kUnknown;
  if (depthwise) {
    if (in_c >= 0 && f_in >= 0 && in_c != f_in) {
      ctx.error("input depth " + std::to_string(in_c) + " does not match filter in-channels " +
                std::to_string(f_in) + " (input " + in.to_string() + " " + format + ", filter " +
                filter.to_string() + ")");
    }
    out[l.channel] = mul_dims(in_c >= 0 ? in_c : f_in, f_out);
  } else {
    if (in_c >= 0 && f_in > 0) {
      if (in_c % f_in != 0) {
        ctx.error("input depth " + std::to_string(in_c) + " is not a multiple of filter in-channels " +
                  std::to_string(f_in) + " (input " + in.to_string() + " " + format + ", filter " +
                  filter.to_string() + ")");
      } else if (f_out >= 0 && f_out % (in_c / f_in) != 0) {
        ctx.error("filter out-channels " + std::to_string(f_out) + " is not a multiple of the " +
                  std::to_string(in_c / f_in) + " groups implied by input depth " +
                  std::to_string(in_c) + " and filter in-channels " + std::to_string(f_in) +
                  " (input " + in.to_string() + " " + format + ", filter " + filter.to_string() + ")");
      }
    }
    out[l.channel] = f_out;
  }
  for (std::size_t s = 0; s < spatial_rank; ++s) {
    const std::size_t pos = l.spatial[s];
    const auto in_d = in.has_rank() ? in.dim(pos) : kUnknown;
    const auto k = filter.has_rank() ? filter.dim(s) : kUnknown;
    out[pos] = windowed_output(ctx, in_d, k, list_at(strides, pos, 1), list_at(dilations, pos, 1),
                               padding, list_at(explicit_pads, 2 * pos, 0),
                               list_at(explicit_pads, 2 * pos + 1, 0));
  }
  ctx.set_output(0, dtype, Shape(std::move(out)));
}

void conv2d(InferenceContext& ctx) { conv_nd(ctx, 2, false); }
void conv3d(InferenceContext& ctx) { conv_nd(ctx, 3, false); }
void depthwise_conv2d(InferenceContext& ctx) { conv_nd(ctx, 2, true); }

void conv_backprop_input(InferenceContext& ctx) {
  ctx.set_output(0, elem_type(ctx, 2), shape_from_input(ctx, 0));
  // The filter's out-channels must match the gradient's channels.
  const auto& filter = ctx.input_shape(1);
  const auto& grad = ctx.input_shape(2);
  const auto format = ctx.attr_string("data_format").value_or("NHWC");
  if (filter.has_rank() && grad.has_rank() && filter.rank() == grad.rank() && grad.rank() >= 3) {
    const Layout l = layout(format, grad.rank());
    const auto f_out = filter.dim(filter.rank() - 1);
    const auto g_c = grad.dim(l.channel);
    const bool depthwise = ctx.node().op.find("Depthwise") != std::string::npos;
    if (!depthwise && f_out >= 0 && g_c >= 0 && f_out != g_c) {
      ctx.error("filter out-channels " + std::to_string(f_out) + " do not match out_backprop depth " +
                std::to_string(g_c));
    }
  }
}

void conv_backprop_filter(InferenceContext& ctx) {
  ctx.set_output(0, elem_type(ctx), shape_from_input(ctx, 1));
}

void pool(InferenceContext& ctx) {
  const auto dtype = elem_type(ctx);
  const bool is3d = ctx.node().op.find("3D") != std::string::npos;
  const std::size_t rank = is3d ? 5 : 4;
  const auto& in = ctx.input_shape(0);
  if (in.has_rank() && in.rank() != rank) {
    ctx.error("input must be rank " + std::to_string(rank) + ", got " + in.to_string());
    ctx.set_output(0, dtype, unknown_dims(static_cast<std::int64_t>(rank)));
    return;
  }
  const auto format = ctx.attr_string("data_format").value_or(is3d ? "NDHWC" : "NHWC");
  const Layout l = layout(format, rank);
  const std::vector<std::int64_t>* ksize = ctx.attr_ints("ksize");
  const std::vector<std::int64_t>* strides = ctx.attr_ints("strides");
  if (ctx.node().op == "MaxPoolV2") {
    ksize = ctx.input_ints(1);
    strides = ctx.input_ints(2);
  }
  const auto padding = ctx.attr_string("padding").value_or("");
  const auto* explicit_pads = ctx.attr_ints("explicit_paddings");
  std::vector<std::int64_t> out(rank, kUnknown);
  if (in.has_rank()) {
    out[l.batch] = in.dim(l.batch);
    out[l.channel] = in.dim(l.channel);
  }
  for (auto pos : l.spatial) {
    if (!ksize || !strides) break;
    out[pos] = windowed_output(ctx, in.has_rank() ? in.dim(pos) : kUnknown, list_at(ksize, pos, kUnknown),
                               list_at(strides, pos, 1), 1, padding,
                               list_at(explicit_pads, 2 * pos, 0), list_at(explicit_pads, 2 * pos + 1, 0));
  }
  ctx.set_output(0, dtype, Shape(std::move(out)));
}

void pool_grad(InferenceContext& ctx) { ctx.set_output(0, elem_type(ctx), ctx.input_shape(0)); }

void avg_pool_grad(InferenceContext& ctx) { ctx.set_output(0, elem_type(ctx, 1), shape_from_input(ctx, 0)); }

void bias_add(InferenceContext& ctx) {
  const auto dtype = elem_type(ctx);
  const auto& value = ctx.input_shape(0);
  const auto& bias = ctx.input_shape(1);
  const auto format = ctx.attr_string("data_format").value_or("NHWC");
  if (value.has_rank() && value.rank() < 2) ctx.error("bias_add input must be at least rank 2, got " + value.to_string());
  if (bias.has_rank() && bias.rank() != 1) ctx.error("bias must be a vector, got " + bias.to_string());
  if (value.has_rank() && value.rank() >= 2 && bias.has_rank() && bias.rank() == 1) {
    const std::size_t c = format == "NCHW" ? (value.rank() >= 3 ? 1 : value.rank() - 1) : value.rank() - 1;
    if (value.dim(c) >= 0 && bias.dim(0) >= 0 && value.dim(c) != bias.dim(0)) {
      ctx.error("bias size " + std::to_string(bias.dim(0)) + " does not match channel dim " +
                std::to_string(value.dim(c)) + " of " + value.to_string());
    }
    if (value.dim(c) < 0 && bias.dim(0) >= 0) {
      auto dims = value.dims();
      dims[c] = bias.dim(0);
      ctx.set_output(0, dtype, Shape(std::move(dims)));
      return;
    }
  }
  ctx.set_output(0, dtype, value);
}

void fused_batch_norm(InferenceContext& ctx) {
  const auto dtype = elem_type(ctx);
  const auto& op = ctx.node().op;
  const auto u = op == "FusedBatchNorm" ? dtype : ctx.attr_type("U").value_or(DType::Float);
  const auto& x = ctx.input_shape(0);
  const auto format = ctx.attr_string("data_format").value_or("NHWC");
  std::int64_t c = kUnknown;
  if (x.has_rank()) {
    if (x.rank() != 4 && x.rank() != 5) ctx.error("batch norm input must be rank 4 or 5, got " + x.to_string());
    else c = x.dim(layout(format, x.rank()).channel);
  }
  for (std::size_t i = 1; i < 5 && i < ctx.num_inputs(); ++i) {
    const auto& p = ctx.input_shape(i);
    if (!p.has_rank()) continue;
    if (p.rank() != 1) {
      ctx.error("batch norm parameter " + std::to_string(i) + " must be a vector, got " + p.to_string());
      continue;
    }
    // Inference-mode mean/variance may be empty vectors when is_training is set.
    if (p.dim(0) == 0 && i >= 3) continue;
    if (c >= 0 && p.dim(0) >= 0 && p.dim(0) != c) {
      ctx.error("batch norm parameter " + std::to_string(i) + " has size " + std::to_string(p.dim(0)) +
                " but the input has " + std::to_string(c) + " channels");
    }
    if (c < 0) c = p.dim(0);
  }
  ctx.set_output(0, dtype, x.has_rank() ? x : Shape());
  for (std::size_t i = 1; i <= 4; ++i) ctx.set_output(i, u, Shape({c}));
  if (op == "FusedBatchNormV3" || op == "_FusedBatchNormEx") ctx.set_output(5, u, Shape());
}

void fused_batch_norm_grad(InferenceContext& ctx) {
  const auto dtype = elem_type(ctx);
  const auto& op = ctx.node().op;
  const auto u = op == "FusedBatchNormGrad" ? dtype : ctx.attr_type("U").value_or(DType::Float);
  const auto& x = ctx.input_shape(1);
  const auto format = ctx.attr_string("data_format").value_or("NHWC");
  std::int64_t c = kUnknown;
  if (x.has_rank() && (x.rank() == 4 || x.rank() == 5)) c = x.dim(layout(format, x.rank()).channel);
  ctx.set_output(0, dtype, x);
  ctx.set_output(1, u, Shape({c}));
  ctx.set_output(2, u, Shape({c}));
  ctx.set_output(3, u, Shape({0}));
  ctx.set_output(4, u, Shape({0}));
}

void batch_norm_global(InferenceContext& ctx) { ctx.set_output(0, elem_type(ctx), ctx.input_shape(0)); }

void resize(InferenceContext& ctx) {
  const auto& op = ctx.node().op;
  const bool keeps_type = op == "ResizeNearestNeighbor";
  const auto dtype = keeps_type ? elem_type(ctx) : DType::Float;
  const auto& in = ctx.input_shape(0);
  if (in.has_rank() && in.rank() != 4) ctx.error("images must be rank 4, got " + in.to_string());
  std::vector<std::int64_t> out(4, kUnknown);
  if (in.has_rank() && in.rank() == 4) {
    out[0] = in.dim(0);
    out[3] = in.dim(3);
  }
  if (const auto* size = ctx.input_ints(1); size && size->size() == 2) {
    out[1] = (*size)[0] >= 0 ? (*size)[0] : kUnknown;
    out[2] = (*size)[1] >= 0 ? (*size)[1] : kUnknown;
  }
  ctx.set_output(0, dtype, Shape(std::move(out)));
}

void non_max_suppression(InferenceContext& ctx) {
  ctx.set_output(0, DType::Int32, Shape({kUnknown}));
  const auto& op = ctx.node().op;
  if (op == "NonMaxSuppressionV4") ctx.set_output(1, DType::Int32, Shape::scalar());
  if (op == "NonMaxSuppressionV5") {
    ctx.set_output(1, elem_type(ctx, 1), Shape({kUnknown}));
    ctx.set_output(2, DType::Int32, Shape::scalar());
  }
}

void cudnn_rnn(InferenceContext& ctx) {
  const auto dtype = elem_type(ctx);
  const auto& in = ctx.input_shape(0);
  std::vector<std::int64_t> out{kUnknown, kUnknown, kUnknown};
  if (in.has_rank() && in.rank() == 3) {
    out[0] = in.dim(0);
    out[1] = in.dim(1);
  }
  const auto& h = ctx.input_shape(1);
  const auto dir = ctx.attr_string("direction").value_or("unidirectional") == "bidirectional" ? 2 : 1;
  if (h.has_rank() && h.rank() == 3) out[2] = mul_dims(h.dim(2), dir);
  ctx.set_output(0, dtype, Shape(std::move(out)));
  ctx.set_output(1, dtype, h);
  ctx.set_output(2, dtype, ctx.input_shape(2));
  ctx.set_output(3, dtype, Shape());
  if (ctx.node().op != "CudnnRNN") ctx.set_output(4, DType::Int8, Shape());
}

void cudnn_rnn_backprop(InferenceContext& ctx) {
  const auto dtype = elem_type(ctx);
  for (std::size_t i = 0; i < 4; ++i) ctx.set_output(i, dtype, ctx.input_shape(i));
}

void in_top_k(InferenceContext& ctx) { ctx.set_output(0, DType::Bool, ctx.input_shape(1)); }

}  // namespace

namespace {

constexpr void register_nn(Registry& r) {
  r.emplace_back("Conv2D", conv2d);
  r.emplace_back("_FusedConv2D", conv2d);
  r.emplace_back("Conv3D", conv3d);
  r.emplace_back("DepthwiseConv2dNative", depthwise_conv2d);
  r.emplace_back("FusedDepthwiseConv2dNative", depthwise_conv2d);
  r.emplace_back("_FusedDepthwiseConv2dNative", depthwise_conv2d);
  r.emplace_back("Conv2DBackpropInput", conv_backprop_input);
  r.emplace_back("Conv3DBackpropInputV2", conv_backprop_input);
  r.emplace_back("DepthwiseConv2dNativeBackpropInput", conv_backprop_input);
  r.emplace_back("Conv2DBackpropFilter", conv_backprop_filter);
  r.emplace_back("Conv3DBackpropFilterV2", conv_backprop_filter);
  r.emplace_back("DepthwiseConv2dNativeBackpropFilter", conv_backprop_filter);
  for (auto op : {"MaxPool", "AvgPool", "MaxPoolV2", "MaxPool3D", "AvgPool3D"}) r.emplace_back(op, pool);
  for (auto op : {"MaxPoolGrad", "MaxPoolGradV2", "MaxPoolGradGrad", "MaxPool3DGrad"}) r.emplace_back(op, pool_grad);
  r.emplace_back("AvgPoolGrad", avg_pool_grad);
  r.emplace_back("BiasAdd", bias_add);
  r.emplace_back("BiasAddV1", bias_add);
  for (auto op : {"FusedBatchNorm", "FusedBatchNormV2", "FusedBatchNormV3", "_FusedBatchNormEx"}) {
    r.emplace_back(op, fused_batch_norm);
  }
  for (auto op : {"FusedBatchNormGrad", "FusedBatchNormGradV2", "FusedBatchNormGradV3"}) {
    r.emplace_back(op, fused_batch_norm_grad);
  }
  r.emplace_back("BatchNormWithGlobalNormalization", batch_norm_global);
  for (auto op : {"ResizeBilinear", "ResizeNearestNeighbor", "ResizeBicubic", "ResizeArea"}) {
    r.emplace_back(op, resize);
  }
  for (auto op : {"NonMaxSuppression", "NonMaxSuppressionV2", "NonMaxSuppressionV3", "NonMaxSuppressionV4",
                  "NonMaxSuppressionV5"}) {
    r.emplace_back(op, non_max_suppression);
  }
  for (auto op : {"CudnnRNN", "CudnnRNNV2", "CudnnRNNV3"}) r.emplace_back(op, cudnn_rnn);
  for (auto op : {"CudnnRNNBackprop", "CudnnRNNBackpropV2", "CudnnRNNBackpropV3"}) {
    r.emplace_back(op, cudnn_rnn_backprop);
  }
  r.emplace_back("InTopKV2", in_top_k);
}

constexpr auto kNnShapes = make_shape_table<register_nn>();

}  // namespace

constinit const ShapeTable nn_shape_table{kNnShapes};

}  // namespace litelint::passes::shape_inference
