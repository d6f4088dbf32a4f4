#include "converter/legalize/operands.h"

#include "rules/engine/opdb.h"

#include <algorithm>
#include <limits>

#include <fmt/format.h>

namespace litelint::converter::lowerings {

std::optional<std::vector<std::int64_t>> const_ints(const LoweringContext& ctx, std::size_t i) {
  const ConstValue* v = ctx.constant(i);
  if (v == nullptr) return std::nullopt;
  return v->ints();
}

std::int32_t i32_constant(LoweringContext& ctx, std::string_view suffix, const std::vector<std::int64_t>& values,
                          std::optional<std::vector<std::int64_t>> shape) {
  std::vector<std::int32_t> narrowed;
  narrowed.reserve(values.size());
  for (auto v : values) {
    narrowed.push_back(static_cast<std::int32_t>(std::clamp<std::int64_t>(
        v, std::numeric_limits<std::int32_t>::min(), std::numeric_limits<std::int32_t>::max())));
  }
  return ctx.add_i32(suffix, narrowed, std::move(shape));
}

Expected<std::int32_t> i32_input(LoweringContext& ctx, std::size_t i) {
  if (const ConstValue* v = ctx.constant(i)) {
    if (v->dtype == ir::DType::Int32) return ctx.input(i);
    auto ints = v->ints();
    if (!ints) return ctx.fail(fmt::format("input {} is not an integer constant", i));
    return i32_constant(ctx, fmt::format("i32_{}", i), *ints, v->shape.dims());
  }
  auto t = ctx.input(i);
  if (!t) return t;
  const auto dtype = ir::base_dtype(ctx.input_type(i).dtype);
  if (dtype == ir::DType::Int32) return t;
  const auto from = tfl_type(dtype);
  const bool integer = dtype == ir::DType::Int64 || dtype == ir::DType::Int16 || dtype == ir::DType::Int8 ||
                       dtype == ir::DType::UInt8 || dtype == ir::DType::UInt16 || dtype == ir::DType::UInt32 ||
                       dtype == ir::DType::UInt64;
  if (!integer || !from) return ctx.fail(fmt::format("input {} is not an integer tensor", i));
  const auto cast = ctx.add_tensor(fmt::format("i32_{}", i), {ir::DType::Int32, ctx.input_type(i).shape});
  auto& op = ctx.emit("CAST", {*t}, {cast});
  tflite::CastOptionsT options;
  options.in_data_type = *from;
  options.out_data_type = tflite::TensorType::INT32;
  op.options.Set(std::move(options));
  return cast;
}

std::optional<std::int32_t> normalize_axis(std::int64_t axis, std::int64_t rank) {
  if (axis < -rank || axis >= rank) return std::nullopt;
  return static_cast<std::int32_t>(axis < 0 ? axis + rank : axis);
}

Expected<std::vector<std::int32_t>> all_inputs(LoweringContext& ctx) {
  std::vector<std::int32_t> out;
  for (std::size_t i = 0; i < ctx.input_count(); ++i) {
    auto t = ctx.input(i);
    if (!t) return unexpected(t.error());
    out.push_back(*t);
  }
  return out;
}

tfl::Operator& emit_reshape(LoweringContext& ctx, std::int32_t tensor, const std::vector<std::int64_t>& shape,
                            std::int32_t output) {
  const auto s = i32_constant(ctx, "shape", shape);
  return ctx.emit("RESHAPE", {tensor, s}, {output});
}

Expected<std::string_view> database_builtin(const LoweringContext& ctx) {
  const auto* info = rules::find_tf_op(ctx.op());
  if (info == nullptr || info->builtins.empty()) return ctx.fail("the op database names no builtin for it");
  return info->builtins.front();
}

tfl::Operator& emit_arithmetic(LoweringContext& ctx, std::string_view builtin,
                               std::vector<std::int32_t> inputs, std::vector<std::int32_t> outputs) {
  auto& op = ctx.emit(builtin, std::move(inputs), std::move(outputs));
  if (builtin == "ADD") op.options.Set(tflite::AddOptionsT{});
  if (builtin == "SUB") op.options.Set(tflite::SubOptionsT{});
  if (builtin == "MUL") op.options.Set(tflite::MulOptionsT{});
  if (builtin == "DIV") op.options.Set(tflite::DivOptionsT{});
  return op;
}

}  // namespace litelint::converter::lowerings
