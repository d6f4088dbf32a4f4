// Inference batch normalization: FusedBatchNorm{,V2,V3} with is_training=false is the affine
// map y = x * m + s per channel, m = scale / sqrt(variance + epsilon) and
// s = offset - mean * m, folded here into two constants. It becomes MUL then ADD, as in
// TensorFlow's converter; after a convolution both fold into its weights and bias during
// fusion (mul_into_weights, bias_add). Training-mode batch norm computes its statistics from
// the batch and is not lowered here.
#include <cmath>

#include "converter/legalize/families.h"
#include "converter/legalize/layout.h"

namespace litelint::converter::lowerings {
namespace {

Expected<void> lower_fused_batch_norm(LoweringContext& ctx) {
  if (ctx.attr_bool("is_training", true)) return ctx.fail("training-mode batch normalization is not lowered");
  if (ir::base_dtype(ctx.input_type(0).dtype) != ir::DType::Float) {
    return ctx.fail("only float32 batch normalization is lowered");
  }
  auto nchw = is_channels_first(ctx);
  if (!nchw) return unexpected(nchw.error());
  std::vector<double> params[4];  // scale, offset, mean, variance
  for (std::size_t i = 0; i < 4; ++i) {
    const auto* c = ctx.constant(i + 1);
    if (c == nullptr) return ctx.fail("scale, offset, mean and variance must be constants");
    auto v = c->doubles();
    if (!v) return ctx.fail("a non-float batch-norm parameter");
    params[i] = std::move(*v);
  }
  const std::size_t channels = params[0].size();
  for (const auto& p : params) {
    if (p.size() != channels) return ctx.fail("batch-norm parameters of different sizes");
  }
  const double epsilon = ctx.attr_float("epsilon").value_or(1e-4F);
  // float arithmetic in TensorFlow's order, so that the folded constants match its own.
  std::vector<double> multiplier(channels);
  std::vector<double> shift(channels);
  for (std::size_t k = 0; k < channels; ++k) {
    const float m = static_cast<float>(params[0][k]) /
                    std::sqrt(static_cast<float>(params[3][k]) + static_cast<float>(epsilon));
    multiplier[k] = m;
    shift[k] = static_cast<float>(params[1][k]) - static_cast<float>(params[2][k]) * m;
  }
  // Per-channel constants broadcast along the last axis, or along axis 1 of an NCHW tensor.
  const auto n = static_cast<std::int64_t>(channels);
  const ir::Shape shape = *nchw ? ir::Shape({n, 1, 1}) : ir::Shape({n});
  auto m = ctx.add_constant("multiplier", ConstValue::from_doubles(ir::DType::Float, shape, multiplier));
  if (!m) return unexpected(m.error());
  auto s = ctx.add_constant("offset", ConstValue::from_doubles(ir::DType::Float, shape, shift));
  if (!s) return unexpected(s.error());
  auto x = ctx.input(0);
  if (!x) return unexpected(x.error());

  const auto scaled = ctx.add_tensor("scaled", ctx.input_type(0));
  auto& mul = ctx.emit("MUL", {*x, *m}, {scaled});
  mul.options.Set(tflite::MulOptionsT{});
  auto& add = ctx.emit("ADD", {scaled, *s}, {ctx.output(0)});
  add.options.Set(tflite::AddOptionsT{});
  // In inference mode the batch statistics outputs are the given mean and variance.
  if (ctx.output_count() > 2) {
    ctx.set_constant(1, *ctx.constant(3));
    ctx.set_constant(2, *ctx.constant(4));
  }
  return {};
}

}  // namespace

std::span<const Lowering> batch_norm() {
  static constexpr Lowering kLowerings[] = {
      {"FusedBatchNorm", lower_fused_batch_norm},
      {"FusedBatchNormV2", lower_fused_batch_norm},
      {"FusedBatchNormV3", lower_fused_batch_norm},
  };
  return kLowerings;
}

}  // namespace litelint::converter::lowerings
