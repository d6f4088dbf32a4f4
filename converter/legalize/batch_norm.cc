// Inference batch normalization: FusedBatchNorm{,V2,V3} with is_training=false is the affine
// map y = x * m + s per channel, m = scale / sqrt(variance + epsilon) and
// s = offset - mean * m, folded here into two constants. It becomes MUL then ADD, as in
// TensorFlow's converter; after a convolution both fold into its weights and bias during
// fusion (mul_into_weights, bias_add).
//
// Training mode (is_training=true) normalizes with the statistics of the batch itself, as
// TensorFlow's converter decomposes it (prepare_tf's FusedBatchNormV3 pattern): mean = MEAN of
// x over all axes but the channel axis, variance = MEAN(SQUARED_DIFFERENCE(x, mean)),
// m = RSQRT(variance + epsilon) * scale, y = x * m + (offset - mean * m). The statistics
// outputs follow TensorFlow's CPU kernel: batch_mean and batch_variance (Bessel-corrected,
// n / (n - 1)) blended with the given running values by exponential_avg_factor, and
// reserve_space_1/2 the plain batch mean and variance. Outputs nothing reads cost no operator:
// fusion removes dead ones.
#include <cmath>

#include <fmt/format.h>

#include "converter/legalize/families.h"
#include "converter/legalize/layout.h"

namespace litelint::converter::lowerings {
namespace {

tflite::BuiltinOptionsUnion binary_options(std::string_view builtin) {
  tflite::BuiltinOptionsUnion options;
  if (builtin == "ADD") options.Set(tflite::AddOptionsT{});
  if (builtin == "SUB") options.Set(tflite::SubOptionsT{});
  if (builtin == "MUL") options.Set(tflite::MulOptionsT{});
  return options;
}

Expected<void> lower_training_batch_norm(LoweringContext& ctx) {
  const auto& type = ctx.input_type(0);
  if (ir::base_dtype(type.dtype) != ir::DType::Float) return ctx.fail("only float32 batch normalization is lowered");
  auto nchw = is_channels_first(ctx);
  if (!nchw) return unexpected(nchw.error());
  if (*nchw) return ctx.fail("training-mode batch normalization is lowered for channels-last data only");
  if (!type.shape.has_rank() || type.shape.rank() < 2) return ctx.fail("training-mode batch normalization needs a known rank");
  const std::size_t rank = type.shape.rank();
  // The count of values per channel sets the Bessel correction of batch_variance.
  std::int64_t count = 1;
  for (std::size_t i = 0; i + 1 < rank; ++i) {
    const auto d = type.shape.dim(i);
    if (d < 0) return ctx.fail("training-mode batch normalization needs static batch and spatial dims");
    count *= d;
  }
  const ir::TensorType channel_type{type.dtype, ir::Shape({type.shape.dim(rank - 1)})};
  auto x = ctx.input(0);
  if (!x) return unexpected(x.error());
  auto scale = ctx.input(1);
  if (!scale) return unexpected(scale.error());
  auto offset = ctx.input(2);
  if (!offset) return unexpected(offset.error());

  auto binary = [&](std::string_view builtin, std::int32_t a, std::int32_t b, std::int32_t out) {
    ctx.emit(builtin, {a, b}, {out}).options = binary_options(builtin);
    return out;
  };
  auto scalar = [&](std::string_view name, float v) {
    const float values[] = {v};
    return ctx.add_f32(name, values, {});
  };
  std::vector<std::int32_t> axes(rank - 1);
  for (std::size_t i = 0; i + 1 < rank; ++i) axes[i] = static_cast<std::int32_t>(i);
  const auto axes_tensor = ctx.add_i32("axes", axes);
  auto mean_of = [&](std::string_view name, std::int32_t in) {
    const auto out = ctx.add_tensor(name, channel_type);
    auto& op = ctx.emit("MEAN", {in, axes_tensor}, {out});
    tflite::ReducerOptionsT options;
    options.keep_dims = false;
    op.options.Set(std::move(options));
    return out;
  };
  const auto mean = mean_of("batch_mean", *x);
  const auto squared = binary("SQUARED_DIFFERENCE", *x, mean, ctx.add_tensor("squared_difference", type));
  const auto variance = mean_of("batch_variance", squared);
  const float epsilon = ctx.attr_float("epsilon").value_or(1e-4F);
  const auto shifted = binary("ADD", variance, scalar("epsilon", epsilon), ctx.add_tensor("variance_epsilon", channel_type));
  const auto rsqrt = ctx.add_tensor("rsqrt", channel_type);
  ctx.emit("RSQRT", {shifted}, {rsqrt});
  const auto multiplier = binary("MUL", rsqrt, *scale, ctx.add_tensor("multiplier", channel_type));
  const auto scaled = binary("MUL", *x, multiplier, ctx.add_tensor("scaled", type));
  const auto mean_scaled = binary("MUL", mean, multiplier, ctx.add_tensor("mean_multiplier", channel_type));
  const auto shift = binary("SUB", *offset, mean_scaled, ctx.add_tensor("shift", channel_type));
  binary("ADD", scaled, shift, ctx.output(0));

  // The statistics outputs, as TensorFlow's CPU kernel computes them.
  const float bessel = count > 1 ? static_cast<float>(count) / static_cast<float>(count - 1) : 1.0F;
  const float factor = ctx.attr_float("exponential_avg_factor").value_or(1.0F);
  if (ctx.output_count() > 2) {
    const auto unbiased = binary("MUL", variance, scalar("bessel", bessel), ctx.add_tensor("unbiased_variance", channel_type));
    if (factor == 1.0F) {
      ctx.forward(1, mean);
      ctx.forward(2, unbiased);
    } else {
      // running * (1 - factor) + batch * factor, the update of the moving statistics.
      auto blend = [&](std::size_t output, std::size_t running_input, std::int32_t batch) -> Expected<void> {
        auto running = ctx.input(running_input);
        if (!running) return unexpected(running.error());
        const auto kept = binary("MUL", *running, scalar("keep", 1.0F - factor),
                                 ctx.add_tensor(fmt::format("kept_{}", output), channel_type));
        const auto added = binary("MUL", batch, scalar("factor", factor),
                                  ctx.add_tensor(fmt::format("added_{}", output), channel_type));
        binary("ADD", kept, added, ctx.output(output));
        return {};
      };
      if (auto r = blend(1, 3, mean); !r) return r;
      if (auto r = blend(2, 4, unbiased); !r) return r;
    }
  }
  if (ctx.output_count() > 4) {
    ctx.forward(3, mean);
    ctx.forward(4, variance);
  }
  return {};
}

Expected<void> lower_fused_batch_norm(LoweringContext& ctx) {
  if (ctx.attr_bool("is_training", true)) return lower_training_batch_norm(ctx);
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
