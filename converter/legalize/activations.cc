// Activation functions. Each is one builtin on the same operand; the fusion pass later folds
// RELU/RELU6/RELU_N1_TO_1/TANH into the operator before them when TFLite allows it.
#include "converter/legalize/families.h"

namespace litelint::converter::lowerings {
namespace {

Expected<void> unary(LoweringContext& ctx, std::string_view builtin) {
  auto in = ctx.input(0);
  if (!in) return unexpected(in.error());
  ctx.emit(builtin, {*in}, {ctx.output(0)});
  return {};
}

Expected<void> lower_relu(LoweringContext& ctx) { return unary(ctx, "RELU"); }
Expected<void> lower_relu6(LoweringContext& ctx) { return unary(ctx, "RELU6"); }
Expected<void> lower_elu(LoweringContext& ctx) { return unary(ctx, "ELU"); }
Expected<void> lower_sigmoid(LoweringContext& ctx) { return unary(ctx, "LOGISTIC"); }
Expected<void> lower_tanh(LoweringContext& ctx) { return unary(ctx, "TANH"); }
Expected<void> lower_log_softmax(LoweringContext& ctx) { return unary(ctx, "LOG_SOFTMAX"); }

Expected<void> lower_softmax(LoweringContext& ctx) {
  auto in = ctx.input(0);
  if (!in) return unexpected(in.error());
  auto& op = ctx.emit("SOFTMAX", {*in}, {ctx.output(0)});
  tflite::SoftmaxOptionsT options;
  options.beta = 1.0F;  // tf.nn.softmax has no temperature; Keras scales the logits before
  op.options.Set(std::move(options));
  return {};
}

Expected<void> lower_leaky_relu(LoweringContext& ctx) {
  auto in = ctx.input(0);
  if (!in) return unexpected(in.error());
  auto& op = ctx.emit("LEAKY_RELU", {*in}, {ctx.output(0)});
  tflite::LeakyReluOptionsT options;
  options.alpha = ctx.attr_float("alpha").value_or(0.2F);  // the OpDef's default
  op.options.Set(std::move(options));
  return {};
}

// TF.js's Prelu(x, alpha) (Keras PReLU fused by the TF.js converter) is TFLite's PRELU.
Expected<void> lower_prelu(LoweringContext& ctx) {
  auto in = ctx.input(0);
  if (!in) return unexpected(in.error());
  auto alpha = ctx.input(1);
  if (!alpha) return unexpected(alpha.error());
  ctx.emit("PRELU", {*in, *alpha}, {ctx.output(0)});
  return {};
}

}  // namespace

std::span<const Lowering> activations() {
  static constexpr Lowering kLowerings[] = {
      {"Elu", lower_elu},
      {"LeakyRelu", lower_leaky_relu},
      {"LogSoftmax", lower_log_softmax},
      {"Prelu", lower_prelu},
      {"Relu", lower_relu},
      {"Relu6", lower_relu6},
      {"Sigmoid", lower_sigmoid},
      {"Softmax", lower_softmax},
      {"Tanh", lower_tanh},
  };
  return kLowerings;
}

}  // namespace litelint::converter::lowerings
