// Choosing and ordering elements: Select/SelectV2, Where, ArgMax/ArgMin, TopKV2, Unique,
// ReverseV2 and Cumsum. SelectV2 of three operands of one static shape is SELECT, as in
// TensorFlow's legalization; otherwise the broadcasting SELECT_V2.
#include "converter/legalize/families.h"
#include "converter/legalize/operands.h"

namespace litelint::converter::lowerings {
namespace {

Expected<void> lower_select(LoweringContext& ctx) {
  auto in = all_inputs(ctx);
  if (!in) return unexpected(in.error());
  ctx.emit("SELECT", std::move(*in), {ctx.output(0)}).options.Set(tflite::SelectOptionsT{});
  return {};
}

Expected<void> lower_select_v2(LoweringContext& ctx) {
  const auto& shape = ctx.input_type(0).shape;
  const bool same_static = shape.is_fully_defined() && ctx.input_type(1).shape == shape &&
                           ctx.input_type(2).shape == shape;
  if (same_static) return lower_select(ctx);
  auto in = all_inputs(ctx);
  if (!in) return unexpected(in.error());
  ctx.emit("SELECT_V2", std::move(*in), {ctx.output(0)}).options.Set(tflite::SelectV2OptionsT{});
  return {};
}

Expected<void> lower_where(LoweringContext& ctx) {
  if (ctx.input_count() != 1) return ctx.fail("only the one-operand Where (indices of true elements) is lowered");
  auto x = ctx.input(0);
  if (!x) return unexpected(x.error());
  ctx.emit("WHERE", {*x}, {ctx.output(0)});
  return {};
}

tflite::TensorType index_type(const LoweringContext& ctx, std::string_view attr) {
  return tfl_type(ctx.attr_type(attr).value_or(ir::DType::Int64)).value_or(tflite::TensorType::INT64);
}

Expected<void> lower_arg(LoweringContext& ctx) {
  auto x = ctx.input(0);
  if (!x) return unexpected(x.error());
  auto axis = i32_input(ctx, 1);
  if (!axis) return unexpected(axis.error());
  const bool max = ctx.op() == "ArgMax";
  auto& op = ctx.emit(max ? "ARG_MAX" : "ARG_MIN", {*x, *axis}, {ctx.output(0)});
  if (max) {
    tflite::ArgMaxOptionsT options;
    options.output_type = index_type(ctx, "output_type");
    op.options.Set(std::move(options));
  } else {
    tflite::ArgMinOptionsT options;
    options.output_type = index_type(ctx, "output_type");
    op.options.Set(std::move(options));
  }
  return {};
}

Expected<void> lower_top_k(LoweringContext& ctx) {
  auto x = ctx.input(0);
  if (!x) return unexpected(x.error());
  auto k = i32_input(ctx, 1);
  if (!k) return unexpected(k.error());
  ctx.emit("TOPK_V2", {*x, *k}, {ctx.output(0), ctx.output(1)}).options.Set(tflite::TopKV2OptionsT{});
  return {};
}

Expected<void> lower_unique(LoweringContext& ctx) {
  auto x = ctx.input(0);
  if (!x) return unexpected(x.error());
  auto& op = ctx.emit("UNIQUE", {*x}, {ctx.output(0), ctx.output(1)});
  tflite::UniqueOptionsT options;
  options.idx_out_type = tfl_type(ctx.attr_type("out_idx").value_or(ir::DType::Int32)).value_or(tflite::TensorType::INT32);
  op.options.Set(std::move(options));
  return {};
}

Expected<void> lower_reverse(LoweringContext& ctx) {
  auto x = ctx.input(0);
  if (!x) return unexpected(x.error());
  auto axis = i32_input(ctx, 1);
  if (!axis) return unexpected(axis.error());
  ctx.emit("REVERSE_V2", {*x, *axis}, {ctx.output(0)});
  return {};
}

Expected<void> lower_cumsum(LoweringContext& ctx) {
  auto x = ctx.input(0);
  if (!x) return unexpected(x.error());
  auto axis = i32_input(ctx, 1);
  if (!axis) return unexpected(axis.error());
  auto& op = ctx.emit("CUMSUM", {*x, *axis}, {ctx.output(0)});
  tflite::CumsumOptionsT options;
  options.exclusive = ctx.attr_bool("exclusive");
  options.reverse = ctx.attr_bool("reverse");
  op.options.Set(std::move(options));
  return {};
}

}  // namespace

std::span<const Lowering> selection() {
  static constexpr Lowering kLowerings[] = {
      {"ArgMax", lower_arg},  {"ArgMin", lower_arg},           {"Cumsum", lower_cumsum},
      {"ReverseV2", lower_reverse}, {"Select", lower_select}, {"SelectV2", lower_select_v2},
      {"TopKV2", lower_top_k}, {"Unique", lower_unique},      {"Where", lower_where},
  };
  return kLowerings;
}

}  // namespace litelint::converter::lowerings
