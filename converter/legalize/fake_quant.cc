// Quantization-aware-training markers in a float conversion: FakeQuantWithMinMaxArgs,
// FakeQuantWithMinMaxVars and FakeQuantWithMinMaxVarsPerChannel. TensorFlow's converter
// (prepare_tf.cc, ConvertFakeQuantOpToQuantOps) turns each into a QUANTIZE / DEQUANTIZE pair
// whose uint8 tensor carries the scale and zero point of the fake-quant range (measured with
// TF 2.21 on graphdef/edgetpu_test_frozen: 6 pairs, weights included). Here:
//  - a constant input (a weight) is fake-quantized at conversion time with the numbers of
//    TensorFlow's kernel (fake_quant_ops_functor.h), so the weight stays one float constant
//    and the two run-time operators per weight disappear;
//  - a computed input becomes QUANTIZE -> DEQUANTIZE as TensorFlow's converter emits it. Where
//    QUANTIZE's uint8 clamp is wider than the fake-quant range (narrow_range, num_bits < 8),
//    a MAXIMUM / MINIMUM clamps to it first, since TensorFlow's kernel clamps there and
//    TensorFlow's converter's pair alone would not.
// Per-channel fake quantization of a computed tensor has no builtin form (TensorFlow's
// converter leaves it a Select TF op), so only constant inputs lower for that op.
#include <cmath>
#include <vector>

#include <fmt/format.h>

#include "converter/legalize/families.h"
#include "converter/legalize/operands.h"

namespace litelint::converter::lowerings {
namespace {

/// The fake-quant range after TensorFlow's Nudge(): zero is exactly representable.
struct NudgedRange {
  float min = 0;
  float max = 0;
  float scale = 1;
  float inv_scale = 1;
  std::int64_t zero_point = 0;
  /// min == max == 0: TensorFlow's *Vars kernels output zeros.
  bool all_zero = false;
};

struct Bits {
  std::int64_t qmin = 0;
  std::int64_t qmax = 255;
};

Bits quant_bits(std::int64_t num_bits, bool narrow_range) {
  return {narrow_range ? 1 : 0, (std::int64_t{1} << num_bits) - 1};
}

// In float, as the kernel computes it: the folded weights must equal TensorFlow's to the bit.
NudgedRange nudge(float min, float max, Bits bits) {
  NudgedRange r;
  if (min == 0.0f && max == 0.0f) {
    r.all_zero = true;
    return r;
  }
  const auto qmin = static_cast<float>(bits.qmin);
  const auto qmax = static_cast<float>(bits.qmax);
  r.scale = (max - min) / (qmax - qmin);
  r.inv_scale = (qmax - qmin) / (max - min);
  const float zero_from_min = qmin - min / r.scale;
  r.zero_point = zero_from_min < qmin   ? bits.qmin
                 : zero_from_min > qmax ? bits.qmax
                                        : static_cast<std::int64_t>(std::round(zero_from_min));
  r.min = (qmin - static_cast<float>(r.zero_point)) * r.scale;
  r.max = (qmax - static_cast<float>(r.zero_point)) * r.scale;
  return r;
}

// The *Vars kernels divide by the scale; the Args and PerChannel kernels multiply by its
// recomputed inverse. The last bit of a folded weight depends on which.
float fake_quantize(float x, const NudgedRange& r, bool divide) {
  if (r.all_zero) return 0.0f;
  const float quant_zero = std::floor(-r.min * r.inv_scale + 0.5f);
  const float shifted = std::max(std::min(x, r.max), r.min) - r.min;
  const float steps = divide ? shifted / r.scale : shifted * r.inv_scale;
  return std::floor(steps - quant_zero + 0.5f) * r.scale;
}

struct FakeQuantParams {
  std::vector<float> mins;
  std::vector<float> maxs;
  Bits bits;
};

Expected<FakeQuantParams> read_params(const LoweringContext& ctx) {
  const auto num_bits = ctx.attr_int("num_bits", 8);
  if (num_bits < 2 || num_bits > 16) return ctx.fail(fmt::format("num_bits {} is outside [2, 16]", num_bits));
  FakeQuantParams p;
  p.bits = quant_bits(num_bits, ctx.attr_bool("narrow_range"));
  if (ctx.op() == "FakeQuantWithMinMaxArgs") {
    p.mins = {ctx.attr_float("min").value_or(-6.0f)};
    p.maxs = {ctx.attr_float("max").value_or(6.0f)};
    return p;
  }
  if (ctx.input_count() != 3) return ctx.fail("expected an input, min and max");
  const auto* min = ctx.constant(1);
  const auto* max = ctx.constant(2);
  if (min == nullptr || max == nullptr) {
    return ctx.fail("min and max are computed at run time; TFLite needs a constant quantization range");
  }
  const auto mins = min->doubles();
  const auto maxs = max->doubles();
  if (!mins || !maxs || mins->size() != maxs->size() || mins->empty()) {
    return ctx.fail("min and max must be float tensors of one size");
  }
  for (std::size_t i = 0; i < mins->size(); ++i) {
    p.mins.push_back(static_cast<float>((*mins)[i]));
    p.maxs.push_back(static_cast<float>((*maxs)[i]));
  }
  return p;
}

Expected<void> fold(LoweringContext& ctx, const ConstValue& input, const FakeQuantParams& p) {
  auto values = input.doubles();
  if (!values) return ctx.fail("the constant input is not a float tensor");
  const std::size_t channels = p.mins.size();
  if (channels > 1 && (input.shape.rank() < 1 || input.shape.dims().back() != static_cast<std::int64_t>(channels))) {
    return ctx.fail(fmt::format("min and max have {} elements but the input's last dimension differs", channels));
  }
  std::vector<NudgedRange> ranges;
  for (std::size_t c = 0; c < channels; ++c) ranges.push_back(nudge(p.mins[c], p.maxs[c], p.bits));
  const bool divide = ctx.op() == "FakeQuantWithMinMaxVars";
  for (std::size_t i = 0; i < values->size(); ++i) {
    const auto& r = ranges[i % channels];
    (*values)[i] = fake_quantize(static_cast<float>((*values)[i]), r, divide);
  }
  ctx.set_constant(0, ConstValue::from_doubles(ir::DType::Float, input.shape, *values));
  return {};
}

// x clamped to [lo, hi] with MAXIMUM / MINIMUM (either bound may be absent).
std::int32_t clamp(LoweringContext& ctx, std::int32_t x, std::optional<float> lo, std::optional<float> hi) {
  const auto type = ctx.input_type(0);
  if (lo) {
    const float v[] = {*lo};
    const auto out = ctx.add_tensor("clamp_min", type);
    ctx.emit("MAXIMUM", {x, ctx.add_f32("range_min", v, {})}, {out});
    x = out;
  }
  if (hi) {
    const float v[] = {*hi};
    const auto out = ctx.add_tensor("clamp_max", type);
    ctx.emit("MINIMUM", {x, ctx.add_f32("range_max", v, {})}, {out});
    x = out;
  }
  return x;
}

Expected<void> lower_fake_quant(LoweringContext& ctx) {
  if (ir::base_dtype(ctx.input_type(0).dtype) != ir::DType::Float) return ctx.fail("input must be float32");
  auto params = read_params(ctx);
  if (!params) return unexpected(params.error());
  if (const auto* input = ctx.constant(0)) return fold(ctx, *input, *params);

  if (params->mins.size() != 1 || ctx.op() == "FakeQuantWithMinMaxVarsPerChannel") {
    return ctx.fail("per-channel fake quantization of a computed tensor has no TFLite builtin "
                    "(TensorFlow's converter keeps it as a Select TF op)");
  }
  // QUANTIZE writes uint8, which holds the range of 8 bits or fewer.
  if (params->bits.qmax > 255) return ctx.fail("fake quantization to more than 8 bits has no uint8 QUANTIZE form");
  const auto range = nudge(params->mins[0], params->maxs[0], params->bits);
  auto x = ctx.input(0);
  if (!x) return unexpected(x.error());
  if (range.all_zero) {
    // TensorFlow's kernel answers zeros; x * 0 would keep NaN and infinities.
    const auto type = ctx.input_type(0);
    if (!type.shape.is_fully_defined()) return ctx.fail("min and max are both 0 and the input shape is not static");
    const std::vector<double> zeros(static_cast<std::size_t>(type.shape.num_elements().value_or(0)), 0.0);
    ctx.set_constant(0, ConstValue::from_doubles(ir::DType::Float, type.shape, zeros));
    return {};
  }
  const auto lo = params->bits.qmin > 0 ? std::optional<float>(range.min) : std::nullopt;
  const auto hi = params->bits.qmax < 255 ? std::optional<float>(range.max) : std::nullopt;
  const auto clamped = clamp(ctx, *x, lo, hi);

  const auto q = ctx.add_tensor("quantized", {ir::DType::UInt8, ctx.input_type(0).shape});
  ctx.builder().subgraph().tensors[q].quantization = tfl::Quantization{.scale = {range.scale}, .zero_point = {range.zero_point}};
  ctx.emit("QUANTIZE", {clamped}, {q});
  ctx.emit("DEQUANTIZE", {q}, {ctx.output(0)});
  return {};
}

}  // namespace

std::span<const Lowering> fake_quant() {
  static constexpr Lowering kLowerings[] = {
      {"FakeQuantWithMinMaxArgs", lower_fake_quant},
      {"FakeQuantWithMinMaxVars", lower_fake_quant},
      {"FakeQuantWithMinMaxVarsPerChannel", lower_fake_quant},
  };
  return kLowerings;
}

}  // namespace litelint::converter::lowerings
