// PAD(x, p) -> CONV_2D(VALID)  =>  CONV_2D(x, SAME), when p is zero padding of the height and
// width that equals what SAME padding adds for this input size, stride, dilation and kernel.
// Keras writes stride-2 convolutions as ZeroPadding2D + "valid" (MobileNet, EfficientNet);
// TensorFlow's converter folds that PAD away, and so does this. A PAD that differs from SAME
// (ResNet's 3-pixel stem padding) stays.
#include <cstring>

#include <fmt/format.h>

#include "converter/fuse/passes.h"
#include "converter/fuse/use_count.h"

namespace litelint::converter {
namespace {

using B = tflite::BuiltinOperator;

// SAME padding of one spatial axis as TensorFlow computes it: (before, after).
std::pair<std::int64_t, std::int64_t> same_padding(std::int64_t in, std::int64_t stride, std::int64_t dilation,
                                                   std::int64_t kernel) {
  const std::int64_t out = (in + stride - 1) / stride;
  const std::int64_t effective = (kernel - 1) * dilation + 1;
  const std::int64_t total = std::max<std::int64_t>((out - 1) * stride + effective - in, 0);
  return {total / 2, total - total / 2};
}

// The [4,2] int32/int64 paddings of a PAD as numbers; empty when not a constant of that shape.
std::vector<std::int64_t> paddings_of(const tfl::Model& model, const tfl::Subgraph& sg, std::int32_t t) {
  const auto& tensor = sg.tensors[t];
  if (tensor.shape != std::vector<std::int32_t>{4, 2}) return {};
  const auto bytes = constant_bytes(model, sg, t);
  std::vector<std::int64_t> v(8);
  if (tensor.type == tflite::TensorType::INT32 && bytes.size() == 32) {
    std::int32_t raw[8];
    std::memcpy(raw, bytes.data(), 32);
    for (int i = 0; i < 8; ++i) v[i] = raw[i];
    return v;
  }
  if (tensor.type == tflite::TensorType::INT64 && bytes.size() == 64) {
    std::memcpy(v.data(), bytes.data(), 64);
    return v;
  }
  return {};
}

struct Geometry {
  tflite::Padding* padding;
  std::int32_t stride_h, stride_w, dilation_h, dilation_w;
};

std::optional<Geometry> geometry_of(tfl::Operator& op) {
  if (auto* o = op.options.AsConv2DOptions()) {
    return Geometry{&o->padding, o->stride_h, o->stride_w, o->dilation_h_factor, o->dilation_w_factor};
  }
  if (auto* o = op.options.AsDepthwiseConv2DOptions()) {
    return Geometry{&o->padding, o->stride_h, o->stride_w, o->dilation_h_factor, o->dilation_w_factor};
  }
  return std::nullopt;
}

}  // namespace

bool fuse_pad_into_conv(tfl::Model& model, std::size_t subgraph, ConvertReport& report) {
  auto& sg = model.subgraphs[subgraph];
  const auto uses = use_counts(sg);
  for (std::size_t c = 0; c < sg.operators.size(); ++c) {
    auto& conv = sg.operators[c];
    if (conv.builtin != B::CONV_2D && conv.builtin != B::DEPTHWISE_CONV_2D) continue;
    if (conv.inputs.size() < 2 || conv.inputs[0] < 0 || conv.inputs[1] < 0) continue;
    auto geometry = geometry_of(conv);
    if (!geometry || *geometry->padding != tflite::Padding::VALID) continue;
    const auto padded = conv.inputs[0];
    if (uses[padded] != 1) continue;
    const int p = producer_of(sg, padded);
    if (p < 0 || sg.operators[p].builtin != B::PAD || sg.operators[p].inputs.size() != 2) continue;
    const auto& pad = sg.operators[p];
    const auto x = pad.inputs[0];
    const auto& in = sg.tensors[x];
    // SAME padding depends on the input's height and width, so those must be static (a
    // dynamic batch is fine).
    if (in.shape.size() != 4 || in.type != tflite::TensorType::FLOAT32) continue;
    if (in.signature.size() != 4 || in.signature[1] < 0 || in.signature[2] < 0) continue;
    const auto pads = paddings_of(model, sg, pad.inputs[1]);
    if (pads.empty() || pads[0] != 0 || pads[1] != 0 || pads[6] != 0 || pads[7] != 0) continue;
    // Filter height and width: axes 1 and 2 of both OHWI and [1,H,W,C*M].
    const auto& filter = sg.tensors[conv.inputs[1]].shape;
    if (filter.size() != 4) continue;
    const auto h = same_padding(in.shape[1], geometry->stride_h, geometry->dilation_h, filter[1]);
    const auto w = same_padding(in.shape[2], geometry->stride_w, geometry->dilation_w, filter[2]);
    if (pads[2] != h.first || pads[3] != h.second || pads[4] != w.first || pads[5] != w.second) continue;
    *geometry->padding = tflite::Padding::SAME;
    conv.inputs[0] = x;
    conv.origin.insert(conv.origin.begin(), pad.origin.begin(), pad.origin.end());
    report.fusions.push_back(fmt::format("PAD+{} -> {} SAME ({})", tfl::op_name(conv), tfl::op_name(conv),
                                         sg.tensors[conv.outputs[0]].name));
    sg.operators.erase(sg.operators.begin() + p);
    return true;
  }
  return false;
}

}  // namespace litelint::converter
