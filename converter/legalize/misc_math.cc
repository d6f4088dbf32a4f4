// Math ops without a one-to-one builtin: AddN (ADD_N for float32/int32, a chain of ADD
// otherwise, as TensorFlow's lower_tf does), Softplus (log(exp(x) + 1), float32 only), Selu
// (scale * select(x > 0, x, alpha * (exp(x) - 1))) and Erfc. TFLite has no ERFC; TensorFlow's
// converter only converts the erfc of tf.nn.gelu, by fusing 0.5 * x * erfc(-x * sqrt(1/2))
// into GELU. Here Erfc becomes builtin math (Abramowitz-Stegun 7.1.26, |error| <= 1.5e-7),
// which is right on its own, and fuse/gelu.cc replaces the GELU pattern around it.
#include <fmt/format.h>

#include "converter/legalize/families.h"
#include "converter/legalize/operands.h"

namespace litelint::converter::lowerings {
namespace {

Expected<void> lower_add_n(LoweringContext& ctx) {
  auto in = all_inputs(ctx);
  if (!in) return unexpected(in.error());
  if (in->size() == 1) {
    ctx.forward(0, in->front());
    return {};
  }
  const auto dtype = ir::base_dtype(ctx.input_type(0).dtype);
  if (dtype == ir::DType::Float || dtype == ir::DType::Int32) {
    ctx.emit("ADD_N", std::move(*in), {ctx.output(0)});
    return {};
  }
  std::int32_t sum = (*in)[0];
  for (std::size_t i = 1; i < in->size(); ++i) {
    const auto out = i + 1 == in->size() ? ctx.output(0) : ctx.add_tensor(fmt::format("sum_{}", i), ctx.output_type(0));
    ctx.emit("ADD", {sum, (*in)[i]}, {out}).options.Set(tflite::AddOptionsT{});
    sum = out;
  }
  return {};
}

Expected<void> lower_softplus(LoweringContext& ctx) {
  if (ir::base_dtype(ctx.input_type(0).dtype) != ir::DType::Float) return ctx.fail("Softplus is lowered for float32 only");
  auto x = ctx.input(0);
  if (!x) return unexpected(x.error());
  const auto type = ctx.output_type(0);
  const auto e = ctx.add_tensor("exp", type);
  ctx.emit("EXP", {*x}, {e});
  const float one[] = {1.0f};
  const auto c = ctx.add_f32("one", one, {});
  const auto sum = ctx.add_tensor("exp_plus_one", type);
  ctx.emit("ADD", {e, c}, {sum}).options.Set(tflite::AddOptionsT{});
  ctx.emit("LOG", {sum}, {ctx.output(0)});
  return {};
}

Expected<void> lower_selu(LoweringContext& ctx) {
  if (ir::base_dtype(ctx.input_type(0).dtype) != ir::DType::Float) return ctx.fail("Selu is lowered for float32 only");
  auto x = ctx.input(0);
  if (!x) return unexpected(x.error());
  // The constants of TensorFlow's Selu kernel.
  constexpr float kAlpha = 1.6732632423543772848170429916717f;
  constexpr float kScale = 1.0507009873554804934193349852946f;
  const auto type = ctx.output_type(0);
  const auto elu = ctx.add_tensor("elu", type);
  ctx.emit("ELU", {*x}, {elu});
  // alpha * (exp(x) - 1) for x <= 0 is alpha * elu(x); for x > 0 elu(x) is x.
  const float alpha[] = {kAlpha};
  const float zero[] = {0.0f};
  const float scale[] = {kScale};
  const auto scaled_neg = ctx.add_tensor("alpha_elu", type);
  ctx.emit("MUL", {elu, ctx.add_f32("alpha", alpha, {})}, {scaled_neg}).options.Set(tflite::MulOptionsT{});
  const auto positive = ctx.add_tensor("positive", {ir::DType::Bool, type.shape});
  ctx.emit("GREATER", {*x, ctx.add_f32("zero", zero, {})}, {positive});
  const auto selected = ctx.add_tensor("selected", type);
  ctx.emit("SELECT_V2", {positive, *x, scaled_neg}, {selected}).options.Set(tflite::SelectV2OptionsT{});
  ctx.emit("MUL", {selected, ctx.add_f32("scale", scale, {})}, {ctx.output(0)}).options.Set(tflite::MulOptionsT{});
  return {};
}

// erfc(z) = 1 - sign(z) * (1 - q(|z|)), q(a) = t * (a1 + t * (a2 + ... + t * a5)) * exp(-a^2),
// t = 1 / (1 + p * a). fuse/gelu.cc finds these operators by their origin, the Erfc node.
Expected<void> lower_erfc(LoweringContext& ctx) {
  if (ir::base_dtype(ctx.input_type(0).dtype) != ir::DType::Float) return ctx.fail("Erfc is lowered for float32 only");
  auto z = ctx.input(0);
  if (!z) return unexpected(z.error());
  const auto type = ctx.output_type(0);
  int step = 0;
  auto tmp = [&] { return ctx.add_tensor(fmt::format("erfc_{}", step++), type); };
  auto scalar = [&](std::string_view name, float v) {
    const float values[] = {v};
    return ctx.add_f32(name, values, {});
  };
  auto binary = [&](std::string_view builtin, std::int32_t a, std::int32_t b, std::int32_t out = -1) {
    if (out < 0) out = tmp();
    emit_arithmetic(ctx, builtin, {a, b}, {out});
    return out;
  };
  auto unary = [&](std::string_view builtin, std::int32_t a) {
    const auto out = tmp();
    ctx.emit(builtin, {a}, {out});
    return out;
  };
  // One statement per operator: argument evaluation order must not decide operator order.
  const auto one = scalar("one", 1.0F);
  const auto a = unary("ABS", *z);
  const auto pa = binary("MUL", a, scalar("p", 0.3275911F));
  const auto t = binary("DIV", one, binary("ADD", pa, one));
  auto poly = binary("MUL", t, scalar("a5", 1.061405429F));
  const float coefficients[] = {-1.453152027F, 1.421413741F, -0.284496736F, 0.254829592F};
  for (std::size_t k = 0; k < 4; ++k) {
    const auto sum = binary("ADD", poly, scalar(fmt::format("a{}", 4 - k), coefficients[k]));
    poly = binary("MUL", sum, t);
  }
  const auto square = binary("MUL", a, a);
  const auto e = unary("EXP", unary("NEG", square));
  const auto q = binary("MUL", poly, e);
  const auto sign = unary("SIGN", *z);
  const auto erf_abs = binary("SUB", one, q);
  const auto signed_erf = binary("MUL", sign, erf_abs);
  binary("SUB", one, signed_erf, ctx.output(0));
  return {};
}

}  // namespace

std::span<const Lowering> misc_math() {
  static constexpr Lowering kLowerings[] = {
      {"AddN", lower_add_n},
      {"Erfc", lower_erfc},
      {"Selu", lower_selu},
      {"Softplus", lower_softplus},
  };
  return kLowerings;
}

}  // namespace litelint::converter::lowerings
