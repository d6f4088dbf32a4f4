// Parts of complex numbers and the angle of a point: Real -> REAL, Imag -> IMAG (complex64 in,
// float32 out) and Atan2 -> ATAN2, one operator each, as TensorFlow's legalize_patterns.td
// maps them. `litelint fix` leaves these where it rewrites an inverse FFT or complex
// arithmetic into real math.
#include "converter/legalize/families.h"

namespace litelint::converter::lowerings {
namespace {

Expected<void> lower_one_to_one(LoweringContext& ctx, std::string_view builtin) {
  std::vector<std::int32_t> inputs;
  for (std::size_t i = 0; i < ctx.input_count(); ++i) {
    auto t = ctx.input(i);
    if (!t) return unexpected(t.error());
    inputs.push_back(*t);
  }
  ctx.emit(builtin, std::move(inputs), {ctx.output(0)});
  return {};
}

// A part of a complex64 tensor is float32 of its shape, whatever inference left for it
// (inference may type the result as its operand).
Expected<void> lower_part(LoweringContext& ctx, std::string_view builtin) {
  const ir::TensorType in = ctx.input_type(0);
  if (ir::base_dtype(in.dtype) != ir::DType::Complex64) return ctx.fail("lowered for complex64 only");
  ctx.builder().slot(ctx.node().name, 0).type = {ir::DType::Float, in.shape};
  return lower_one_to_one(ctx, builtin);
}

Expected<void> lower_real(LoweringContext& ctx) { return lower_part(ctx, "REAL"); }
Expected<void> lower_imag(LoweringContext& ctx) { return lower_part(ctx, "IMAG"); }

Expected<void> lower_atan2(LoweringContext& ctx) {
  if (ir::base_dtype(ctx.input_type(0).dtype) != ir::DType::Float) return ctx.fail("Atan2 is lowered for float32 only");
  return lower_one_to_one(ctx, "ATAN2");
}

}  // namespace

std::span<const Lowering> complex_parts() {
  static constexpr Lowering kLowerings[] = {
      {"Atan2", lower_atan2},
      {"Imag", lower_imag},
      {"Real", lower_real},
  };
  return kLowerings;
}

}  // namespace litelint::converter::lowerings
