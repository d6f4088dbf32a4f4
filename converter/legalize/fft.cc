// Real FFTs. TFLite has only RFFT2D, so RFFT over the last axis becomes, as in TensorFlow's
// converter, RESHAPE [..., n] -> [..., 1, n], RFFT2D with fft_length [1, L], and RESHAPE
// [..., 1, L/2+1] -> [..., L/2+1]. ComplexAbs becomes COMPLEX_ABS. The RFFT2D kernel takes
// power-of-two lengths only.
#include <fmt/format.h>

#include "converter/legalize/families.h"

namespace litelint::converter::lowerings {
namespace {

bool is_power_of_two(std::int64_t v) { return v > 0 && (v & (v - 1)) == 0; }

// A reshape target for `shape`: its dims, with -1 for the one dynamic dim; nullopt if more
// than one is dynamic (the target would need computing at run time).
std::optional<std::vector<std::int32_t>> static_target(const ir::Shape& shape) {
  if (!shape.has_rank()) return std::nullopt;
  std::vector<std::int32_t> dims;
  int dynamic = 0;
  for (auto d : shape.dims()) {
    dynamic += d < 0 ? 1 : 0;
    dims.push_back(d < 0 ? -1 : static_cast<std::int32_t>(d));
  }
  if (dynamic > 1) return std::nullopt;
  return dims;
}

Expected<void> lower_rfft(LoweringContext& ctx) {
  const ConstValue* length = ctx.constant(1);
  const auto lengths = length != nullptr ? length->ints() : std::nullopt;
  if (!lengths || lengths->size() != 1) return ctx.fail("fft_length is not a constant of one element");
  const std::int64_t n = (*lengths)[0];
  if (!is_power_of_two(n)) return ctx.fail(fmt::format("fft_length {} is not a power of two, as RFFT2D requires", n));
  const ir::TensorType in_type = ctx.input_type(0);
  auto in_dims = static_target(in_type.shape);
  if (!in_dims || in_dims->empty()) return ctx.fail("input shape with more than one unknown dimension");
  auto input = ctx.input(0);
  if (!input) return unexpected(input.error());

  std::vector<std::int32_t> expanded = *in_dims;
  expanded.insert(expanded.end() - 1, 1);
  std::vector<std::int64_t> expanded_shape(in_type.shape.dims().begin(), in_type.shape.dims().end());
  expanded_shape.insert(expanded_shape.end() - 1, 1);
  const std::int32_t x2d = ctx.add_tensor("expanded", {in_type.dtype, ir::Shape(expanded_shape)});
  ctx.emit("RESHAPE", {*input, ctx.add_i32("expanded_shape", expanded)}, {x2d});

  const std::int32_t fft_length[] = {1, static_cast<std::int32_t>(n)};
  std::vector<std::int64_t> spectrum_shape = expanded_shape;
  spectrum_shape.back() = n / 2 + 1;
  const ir::DType complex = ctx.attr_type("Tcomplex").value_or(ir::DType::Complex64);
  const std::int32_t spectrum = ctx.add_tensor("rfft2d", {complex, ir::Shape(spectrum_shape)});
  ctx.emit("RFFT2D", {x2d, ctx.add_i32("fft_length", fft_length)}, {spectrum});

  std::vector<std::int32_t> out_dims = *in_dims;
  out_dims.back() = static_cast<std::int32_t>(n / 2 + 1);
  // Inference may not know RFFT; the result is complex whatever it left.
  std::vector<std::int64_t> out_shape(in_type.shape.dims().begin(), in_type.shape.dims().end());
  out_shape.back() = n / 2 + 1;
  ctx.builder().slot(ctx.node().name, 0).type = {complex, ir::Shape(out_shape)};
  ctx.emit("RESHAPE", {spectrum, ctx.add_i32("output_shape", out_dims)}, {ctx.output(0)});
  return {};
}

Expected<void> lower_same_operands(LoweringContext& ctx, std::string_view builtin) {
  std::vector<std::int32_t> inputs;
  for (std::size_t i = 0; i < ctx.input_count(); ++i) {
    auto t = ctx.input(i);
    if (!t) return unexpected(t.error());
    inputs.push_back(*t);
  }
  ctx.emit(builtin, std::move(inputs), {ctx.output(0)});
  return {};
}

Expected<void> lower_rfft2d(LoweringContext& ctx) {
  const ConstValue* length = ctx.constant(1);
  const auto lengths = length != nullptr ? length->ints() : std::nullopt;
  if (!lengths || lengths->size() != 2 || !is_power_of_two((*lengths)[0]) || !is_power_of_two((*lengths)[1])) {
    return ctx.fail("fft_length is not a constant pair of powers of two, as RFFT2D requires");
  }
  return lower_same_operands(ctx, "RFFT2D");
}

Expected<void> lower_complex_abs(LoweringContext& ctx) { return lower_same_operands(ctx, "COMPLEX_ABS"); }

}  // namespace

std::span<const Lowering> fft() {
  static constexpr Lowering kLowerings[] = {
      {"ComplexAbs", lower_complex_abs},
      {"RFFT", lower_rfft},
      {"RFFT2D", lower_rfft2d},
  };
  return kLowerings;
}

}  // namespace litelint::converter::lowerings
