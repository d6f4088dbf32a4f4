// Special functions TFLite has no kernel for, lowered to elementwise builtins as TensorFlow's
// converter does (lower_tf's LowerLgammaOp), so that a model using them needs no custom op.
//
// Lgamma is the Lanczos approximation (g = 7, 9 coefficients) for x >= 0.5 and Euler's
// reflection lgamma(x) = log(pi) - lgamma(1 - x) - log|sin(pi * x)| below it. The operator
// sequence is the one TensorFlow's converter leaves after its own canonicalization:
// (z + i) + 1 is z + (i + 1), the leading coefficient (1 - 1.9e-13) is 1.0 in float32,
// log1p(u) is LOG(u + 1), division by the constant g + 1/2 is a MUL by its reciprocal,
// IsFinite(d) is EQUAL(d - d, 0) and IsInf(x) is EQUAL(|x|, inf).
#include <cmath>
#include <limits>
#include <numbers>

#include <fmt/format.h>

#include "converter/legalize/families.h"
#include "converter/legalize/operands.h"

namespace litelint::converter::lowerings {
namespace {

// Lanczos parameters of TensorFlow's lowering (and XLA's lgamma): g and the coefficients
// beyond the leading one, which is 0.99999999999980993 and rounds to 1.0 in float32.
constexpr double kLanczosGamma = 7;
constexpr double kLanczosCoefficients[] = {
    676.520368121885098567009190444019, -1259.13921672240287047156078755283,
    771.3234287776530788486528258894,   -176.61502916214059906584551354,
    12.507343278686904814458936853,     -0.13857109526572011689554707,
    9.984369578019570859563e-6,         1.50563273514931155834e-7};

Expected<void> lower_lgamma(LoweringContext& ctx) {
  if (ir::base_dtype(ctx.input_type(0).dtype) != ir::DType::Float) return ctx.fail("Lgamma is lowered for float32 only");
  auto input = ctx.input(0);
  if (!input) return unexpected(input.error());
  const std::int32_t x = *input;
  const auto type = ctx.output_type(0).shape.has_rank() ? ctx.output_type(0) : ctx.input_type(0);
  const ir::TensorType bool_type{ir::DType::Bool, type.shape};
  // Three operands of one static shape select with SELECT, as TensorFlow's legalization does.
  const bool static_shape = type.shape.has_rank() && type.shape.is_fully_defined();

  int step = 0;
  auto tmp = [&](const ir::TensorType& t) { return ctx.add_tensor(fmt::format("lgamma_{}", step++), t); };
  auto scalar = [&](std::string_view name, double v) {
    const float values[] = {static_cast<float>(v)};
    return ctx.add_f32(name, values, {});
  };
  auto binary = [&](std::string_view builtin, std::int32_t a, std::int32_t b, std::int32_t out = -1) {
    if (out < 0) out = tmp(type);
    emit_arithmetic(ctx, builtin, {a, b}, {out});
    return out;
  };
  auto compare = [&](std::string_view builtin, std::int32_t a, std::int32_t b) {
    const auto out = tmp(bool_type);
    ctx.emit(builtin, {a, b}, {out});
    return out;
  };
  auto unary = [&](std::string_view builtin, std::int32_t a) {
    const auto out = tmp(type);
    ctx.emit(builtin, {a}, {out});
    return out;
  };
  // Both selects between computed tensors; the last, against a scalar, broadcasts.
  auto select = [&](std::int32_t cond, std::int32_t a, std::int32_t b, std::int32_t out = -1) {
    if (out < 0) out = tmp(type);
    if (static_shape) {
      ctx.emit("SELECT", {cond, a, b}, {out}).options.Set(tflite::SelectOptionsT{});
    } else {
      ctx.emit("SELECT_V2", {cond, a, b}, {out}).options.Set(tflite::SelectV2OptionsT{});
    }
    return out;
  };

  // One statement per operator: argument evaluation order must not decide operator order.
  const auto one = scalar("one", 1.0);
  const auto one_half = scalar("one_half", 0.5);
  const auto minus_x = unary("NEG", x);
  const auto x_minus_one = binary("SUB", x, one);
  // Below 0.5 the approximation runs on 1 - x (z = -x) and is reflected at the end.
  const auto reflect = compare("LESS", x, one_half);
  const auto z = select(reflect, minus_x, x_minus_one);

  // The Lanczos series 1 + sum_i c_i / (z + i + 1).
  std::int32_t series = one;
  for (std::size_t i = 0; i < std::size(kLanczosCoefficients); ++i) {
    const auto denominator = binary("ADD", z, scalar(fmt::format("index_{}", i + 1), static_cast<double>(i + 1)));
    const auto term = binary("DIV", scalar(fmt::format("lanczos_{}", i), kLanczosCoefficients[i]), denominator);
    series = binary("ADD", series, term);
  }

  // log(t) for t = z + g + 1/2, as log(g + 1/2) + log1p(z / (g + 1/2)) for accuracy.
  const auto t = binary("ADD", z, scalar("lanczos_gamma_plus_one_half", kLanczosGamma + 0.5));
  const auto ratio = binary("MUL", z, scalar("inverse_lanczos_gamma_plus_one_half", 1.0 / (kLanczosGamma + 0.5)));
  const auto ratio_plus_one = binary("ADD", ratio, one);
  const auto log1p = unary("LOG", ratio_plus_one);
  const auto log_t = binary("ADD", log1p, scalar("log_lanczos_gamma_plus_one_half", std::log(kLanczosGamma + 0.5)));

  // log_y = log(sqrt(2 pi)) + (z + 1/2 - t / log t) * log t + log(series): this order of
  // (z + 1/2) * log t - t keeps large t from overflowing.
  const auto t_over_log_t = binary("DIV", t, log_t);
  const auto half_minus = binary("SUB", one_half, t_over_log_t);
  const auto z_plus = binary("ADD", z, half_minus);
  const auto product = binary("MUL", z_plus, log_t);
  const auto log_series = unary("LOG", series);
  const auto sum = binary("ADD", product, log_series);
  const auto log_y = binary("ADD", sum, scalar("log_sqrt_two_pi", (std::log(2.0) + std::log(std::numbers::pi)) / 2));

  // The reflection: log|sin(pi x)| from the fractional part of |x|, folded into [0, 0.5]
  // so that pi * frac keeps its precision and integers give log(0) = -inf exactly.
  const auto abs_x = unary("ABS", x);
  const auto floor_abs = unary("FLOOR", abs_x);
  const auto frac = binary("SUB", abs_x, floor_abs);
  const auto one_minus_frac = binary("SUB", one, frac);
  const auto upper_half = compare("GREATER", frac, one_half);
  const auto reduced = select(upper_half, one_minus_frac, frac);
  const auto angle = binary("MUL", reduced, scalar("pi", std::numbers::pi));
  const auto sine = unary("SIN", angle);
  const auto log_sine = unary("LOG", sine);
  // log_sine - log_sine is 0 exactly when it is finite; at a pole -log_sine (+inf) wins
  // instead of log(pi) - (-inf) - inf = nan.
  const auto difference = binary("SUB", log_sine, log_sine);
  const auto finite = compare("EQUAL", difference, scalar("zero", 0.0));
  const auto pole = unary("NEG", log_sine);
  const auto log_pi_minus = binary("SUB", scalar("log_pi", std::log(std::numbers::pi)), log_sine);
  const auto reflected_finite = binary("SUB", log_pi_minus, log_y);
  const auto reflected = select(finite, reflected_finite, pole);
  const auto result = select(reflect, reflected, log_y);

  // lgamma(+-inf) = +inf.
  const auto infinity = scalar("infinity", std::numeric_limits<double>::infinity());
  const auto is_inf = compare("EQUAL", abs_x, infinity);
  ctx.emit("SELECT_V2", {is_inf, infinity, result}, {ctx.output(0)}).options.Set(tflite::SelectV2OptionsT{});
  return {};
}

}  // namespace

std::span<const Lowering> special_functions() {
  static constexpr Lowering kLowerings[] = {
      {"Lgamma", lower_lgamma},
  };
  return kLowerings;
}

}  // namespace litelint::converter::lowerings
