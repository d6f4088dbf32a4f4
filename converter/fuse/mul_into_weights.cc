// CONV_2D(x, w, b) * c  ->  CONV_2D(x, w * c, b * c), when c is a constant per output channel
// (or a scalar): the MUL half of an inference batch norm after a convolution, which
// TensorFlow's converter folds the same way (a DIV by a constant folds as a MUL by 1/c). From
// before the convolution only a scalar MUL folds (into the weights, not the bias), as in
// TensorFlow's converter; a per-channel one there stays. Likewise DEPTHWISE_CONV_2D (weights
// [1,H,W,C*M], channel last) and FULLY_CONNECTED (weights [units, depth], channel first).
#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "converter/fuse/fused_activation.h"
#include "converter/fuse/passes.h"
#include "converter/fuse/use_count.h"

namespace litelint::converter {
namespace {

using B = tflite::BuiltinOperator;

bool foldable_producer(B op) { return op == B::CONV_2D || op == B::DEPTHWISE_CONV_2D || op == B::FULLY_CONNECTED; }

std::vector<float> floats_of(std::span<const std::byte> bytes) {
  std::vector<float> v(bytes.size() / 4);
  std::memcpy(v.data(), bytes.data(), v.size() * 4);
  return v;
}

// The factor per output channel of a constant operand: a scalar (broadcast to every channel)
// or exactly `channels` values along the last axis ([C], [1,C], [1,1,1,C]); empty otherwise.
std::vector<float> channel_factors(const tfl::Model& model, const tfl::Subgraph& sg, std::int32_t t,
                                   std::int32_t channels) {
  const auto& tensor = sg.tensors[t];
  if (tensor.type != tflite::TensorType::FLOAT32 || tensor.is_variable || !tensor.has_rank) return {};
  const auto bytes = constant_bytes(model, sg, t);
  if (bytes.empty()) return {};
  std::int64_t count = 1;
  for (auto d : tensor.shape) count *= d;
  if (static_cast<std::size_t>(count) * 4 != bytes.size()) return {};
  if (count == 1) return std::vector<float>(static_cast<std::size_t>(channels), floats_of(bytes)[0]);
  for (std::size_t i = 0; i + 1 < tensor.shape.size(); ++i) {
    if (tensor.shape[i] != 1) return {};
  }
  if (tensor.shape.empty() || tensor.shape.back() != channels) return {};
  return floats_of(bytes);
}

// A new float32 constant tensor of `shape` holding `bytes` (float32, little-endian).
std::int32_t add_float_constant(tfl::Model& model, tfl::Subgraph& sg, const std::string& name,
                                std::vector<std::int32_t> shape, std::vector<std::byte> bytes) {
  tfl::Tensor t;
  t.name = name;
  t.type = tflite::TensorType::FLOAT32;
  t.signature = shape;
  t.shape = std::move(shape);
  t.buffer = model.add_buffer(std::move(bytes));
  return sg.add_tensor(std::move(t));
}

// A new float32 constant tensor of `shape` holding `values`.
std::int32_t add_float_constant(tfl::Model& model, tfl::Subgraph& sg, const std::string& name,
                                std::vector<std::int32_t> shape, const std::vector<float>& values) {
  std::vector<std::byte> bytes(values.size() * 4);
  std::memcpy(bytes.data(), values.data(), bytes.size());
  return add_float_constant(model, sg, name, std::move(shape), std::move(bytes));
}

// dst = src (float32 weights) times the factor of each element's output channel, looping per
// channel: no float copy of the weights and no division per element (ResNet50 scales ~100 MB
// of weights here). `dst` may be `src`.
void scale_by_channel(const std::byte* in, std::byte* dst, std::size_t count, const std::vector<float>& factors,
                      bool channel_last) {
  const std::size_t channels = factors.size();
  const std::size_t per_channel = count / channels;
  auto scale = [&](std::size_t i, float f) {
    float v;
    std::memcpy(&v, in + 4 * i, 4);
    v *= f;
    std::memcpy(dst + 4 * i, &v, 4);
  };
  if (channel_last) {
    for (std::size_t row = 0; row < per_channel; ++row) {
      for (std::size_t c = 0; c < channels; ++c) scale(row * channels + c, factors[c]);
    }
  } else {
    for (std::size_t c = 0; c < channels; ++c) {
      const float f = factors[c];
      for (std::size_t k = 0; k < per_channel; ++k) scale(c * per_channel + k, f);
    }
  }
}

std::vector<std::byte> scaled_weight_bytes(std::span<const std::byte> src, const std::vector<float>& factors,
                                           bool channel_last) {
  std::vector<std::byte> out(src.size() / 4 * 4);
  scale_by_channel(src.data(), out.data(), src.size() / 4, factors, channel_last);
  return out;
}

void scale_in_place(std::vector<std::byte>& bytes, const std::vector<float>& factors, bool channel_last) {
  scale_by_channel(bytes.data(), bytes.data(), bytes.size() / 4, factors, channel_last);
}

tflite::ActivationFunctionType activation_of(const tfl::Operator& op) {
  if (const auto* o = op.options.AsMulOptions()) return o->fused_activation_function;
  if (const auto* o = op.options.AsDivOptions()) return o->fused_activation_function;
  return tflite::ActivationFunctionType::NONE;
}

// Whether no operator, subgraph output or other tensor reads `tensor`'s buffer.
bool buffer_unread(const tfl::Model& model, const tfl::Subgraph& sg, std::int32_t tensor) {
  const auto buffer = sg.tensors[tensor].buffer;
  if (buffer == 0 || buffer >= model.buffers.size()) return false;
  if (std::find(sg.outputs.begin(), sg.outputs.end(), tensor) != sg.outputs.end()) return false;
  for (const auto& op : sg.operators) {
    if (std::find(op.inputs.begin(), op.inputs.end(), tensor) != op.inputs.end()) return false;
  }
  for (const auto& other : model.subgraphs) {
    for (std::size_t t = 0; t < other.tensors.size(); ++t) {
      if (other.tensors[t].buffer == buffer && (&other != &sg || t != static_cast<std::size_t>(tensor))) return false;
    }
  }
  return true;
}

// Frees the bytes of a constant that no operator reads any more (the weights a fusion just
// replaced), unless another tensor shares its buffer. remove_unused drops the tensor at the
// end; freeing now keeps a batch-normed model's weights from being held twice during fusion
// (ResNet50: ~90 MB of peak RSS).
void release_if_unread(tfl::Model& model, const tfl::Subgraph& sg, std::int32_t tensor) {
  if (buffer_unread(model, sg, tensor)) model.buffers[sg.tensors[tensor].buffer] = tfl::Buffer{};
}

// Scales the producer's weights and bias by `factors` (one per output channel), writing new
// constants so that weights another operator shares stay as they were. False when the
// weights or the bias are not float32 constants of the expected layout.
bool scale_weights(tfl::Model& model, tfl::Subgraph& sg, tfl::Operator& prod, const std::vector<float>& factors,
                   bool scale_bias = true) {
  const auto channels = static_cast<std::int32_t>(factors.size());
  const auto w = prod.inputs.size() > 1 ? prod.inputs[1] : -1;
  if (w < 0 || sg.tensors[w].type != tflite::TensorType::FLOAT32) return false;
  const auto& wt = sg.tensors[w];
  const auto wbytes = constant_bytes(model, sg, w);
  if (wbytes.empty() || wt.shape.empty()) return false;
  // Output channel of weight element i: the first axis of CONV_2D and FULLY_CONNECTED weights,
  // the last of DEPTHWISE_CONV_2D's.
  const bool channel_last = prod.builtin == B::DEPTHWISE_CONV_2D;
  if (channels <= 0 || (channel_last ? wt.shape.back() : wt.shape.front()) != channels) return false;
  std::vector<float> bias;
  const bool has_bias = scale_bias && prod.inputs.size() > 2 && prod.inputs[2] >= 0;
  if (has_bias) {
    const auto b = prod.inputs[2];
    const auto bbytes = constant_bytes(model, sg, b);
    if (sg.tensors[b].type != tflite::TensorType::FLOAT32 || bbytes.size() != factors.size() * 4) return false;
    bias = floats_of(bbytes);
    for (std::int32_t k = 0; k < channels; ++k) bias[k] *= factors[k];
  }
  const std::string wname = wt.name;
  const auto wshape = wt.shape;
  // Weights only this operator reads, in bytes of their own (a filter legalization permuted),
  // are scaled where they are and move to the new tensor: no second ~100 MB for ResNet50.
  prod.inputs[1] = -1;
  std::vector<std::byte> scaled;
  auto& wbuffer = model.buffers[wt.buffer];
  if (buffer_unread(model, sg, w) && !wbuffer.owned.empty() && wbuffer.owned.data() == wbytes.data()) {
    scaled = std::move(wbuffer.owned);
    wbuffer = tfl::Buffer{};
    scale_in_place(scaled, factors, channel_last);
  } else {
    scaled = scaled_weight_bytes(wbytes, factors, channel_last);
  }
  prod.inputs[1] = add_float_constant(model, sg, wname, wshape, std::move(scaled));
  release_if_unread(model, sg, w);
  if (has_bias) {
    const auto old_bias = prod.inputs[2];
    const std::string bname = sg.tensors[old_bias].name;
    prod.inputs[2] = add_float_constant(model, sg, bname, {channels}, bias);
    release_if_unread(model, sg, old_bias);
  }
  return true;
}

// The only operator that reads `tensor`, or -1.
int sole_reader(const tfl::Subgraph& sg, std::int32_t tensor) {
  int reader = -1;
  for (std::size_t i = 0; i < sg.operators.size(); ++i) {
    for (auto t : sg.operators[i].inputs) {
      if (t != tensor) continue;
      if (reader >= 0) return -1;
      reader = static_cast<int>(i);
    }
  }
  return reader;
}

// MUL(x, s) -> CONV_2D / DEPTHWISE_CONV_2D with a scalar s: conv(s * x) = (s * w) conv x, also
// at zero-padded borders, so s moves into the weights (the bias stays). A per-channel factor
// does not move, as in TensorFlow's converter.
bool fuse_scalar_mul_before(tfl::Model& model, tfl::Subgraph& sg, const std::vector<int>& uses, std::size_t m,
                            ConvertReport& report) {
  auto& mul = sg.operators[m];
  if (mul.builtin != B::MUL || mul.inputs.size() != 2 || mul.outputs.size() != 1) return false;
  if (activation_of(mul) != tflite::ActivationFunctionType::NONE) return false;
  const auto out = mul.outputs[0];
  if (uses[out] != 1) return false;
  const int r = sole_reader(sg, out);
  if (r < 0) return false;
  auto& conv = sg.operators[r];
  if (conv.builtin != B::CONV_2D && conv.builtin != B::DEPTHWISE_CONV_2D) return false;
  if (conv.inputs.empty() || conv.inputs[0] != out || conv.inputs.size() < 2 || conv.inputs[1] < 0) return false;
  for (int side = 0; side < 2; ++side) {
    const auto x = mul.inputs[side];
    const auto c = mul.inputs[1 - side];
    if (x < 0 || c < 0 || sg.tensors[x].shape != sg.tensors[out].shape) continue;
    const auto& ct = sg.tensors[c];
    const auto bytes = constant_bytes(model, sg, c);
    if (ct.type != tflite::TensorType::FLOAT32 || bytes.size() != 4) continue;
    const auto& wshape = sg.tensors[conv.inputs[1]].shape;
    if (wshape.empty()) return false;
    const auto channels = conv.builtin == B::DEPTHWISE_CONV_2D ? wshape.back() : wshape.front();
    const std::vector<float> factors(static_cast<std::size_t>(channels), floats_of(bytes)[0]);
    if (!scale_weights(model, sg, conv, factors, /*scale_bias=*/false)) return false;
    conv.inputs[0] = x;
    conv.origin.insert(conv.origin.begin(), mul.origin.begin(), mul.origin.end());
    report.fusions.push_back(fmt::format("MUL+{} -> {} ({})", tfl::op_name(conv), tfl::op_name(conv),
                                         sg.tensors[conv.outputs[0]].name));
    sg.operators.erase(sg.operators.begin() + static_cast<std::ptrdiff_t>(m));
    return true;
  }
  return false;
}

}  // namespace

bool fuse_mul_into_weights(tfl::Model& model, std::size_t subgraph, ConvertReport& report) {
  auto& sg = model.subgraphs[subgraph];
  const auto uses = use_counts(sg);
  for (std::size_t m = 0; m < sg.operators.size(); ++m) {
    if (fuse_scalar_mul_before(model, sg, uses, m, report)) return true;
    auto& mul = sg.operators[m];
    const bool is_div = mul.builtin == B::DIV;
    if ((mul.builtin != B::MUL && !is_div) || mul.inputs.size() != 2 || mul.outputs.size() != 1) continue;
    // x * c and c * x; x / c only (c / x is no scaling).
    for (int side = 0; side < (is_div ? 1 : 2); ++side) {
      const auto x = mul.inputs[side];
      const auto c = mul.inputs[1 - side];
      if (x < 0 || c < 0 || uses[x] != 1) continue;
      const int p = producer_of(sg, x);
      if (p < 0 || !foldable_producer(sg.operators[p].builtin) || sg.operators[p].outputs.size() != 1) continue;
      auto& prod = sg.operators[p];
      auto* act = fused_activation(prod);
      if (act == nullptr || *act != tflite::ActivationFunctionType::NONE) continue;
      const auto& out = sg.tensors[x];
      if (out.type != tflite::TensorType::FLOAT32 || out.shape.empty()) continue;
      // The MUL must not broadcast the output to a larger shape.
      if (sg.tensors[mul.outputs[0]].shape != out.shape) continue;
      auto factors = channel_factors(model, sg, c, out.shape.back());
      if (factors.empty()) continue;
      if (is_div) {
        bool zero = false;
        for (auto& f : factors) {
          zero = zero || f == 0.0F;
          f = 1.0F / f;
        }
        if (zero) continue;
      }
      if (!scale_weights(model, sg, prod, factors)) continue;
      *act = activation_of(mul);
      prod.outputs[0] = mul.outputs[0];
      prod.origin.insert(prod.origin.end(), mul.origin.begin(), mul.origin.end());
      report.fusions.push_back(fmt::format("{}+{} -> {} ({})", tfl::op_name(prod), tfl::op_name(mul),
                                           tfl::op_name(prod), sg.tensors[mul.outputs[0]].name));
      sg.operators.erase(sg.operators.begin() + static_cast<std::ptrdiff_t>(m));
      return true;
    }
  }
  return false;
}

}  // namespace litelint::converter
