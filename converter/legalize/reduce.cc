// Reductions: Sum, Mean, Max, Min, Prod, Any, All -> the reducer builtin the op database names,
// with the axes as an int32 operand (negative axes are kept: the kernels resolve them) and
// keep_dims in ReducerOptions.
#include "converter/legalize/families.h"
#include "converter/legalize/operands.h"
#include "rules/engine/opdb.h"

namespace litelint::converter::lowerings {
namespace {

Expected<void> lower_reduction(LoweringContext& ctx) {
  const auto* info = rules::find_tf_op(ctx.op());
  if (info == nullptr || info->builtins.empty()) return ctx.fail("the op database names no builtin for it");
  auto x = ctx.input(0);
  if (!x) return unexpected(x.error());
  auto axes = i32_input(ctx, 1);
  if (!axes) return unexpected(axes.error());
  auto& op = ctx.emit(info->builtins.front(), {*x, *axes}, {ctx.output(0)});
  tflite::ReducerOptionsT options;
  options.keep_dims = ctx.attr_bool("keep_dims");
  op.options.Set(std::move(options));
  return {};
}

}  // namespace

std::span<const Lowering> reduce() {
  static constexpr Lowering kLowerings[] = {
      {"All", lower_reduction},  {"Any", lower_reduction}, {"Max", lower_reduction}, {"Mean", lower_reduction},
      {"Min", lower_reduction},  {"Prod", lower_reduction}, {"Sum", lower_reduction},
  };
  return kLowerings;
}

}  // namespace litelint::converter::lowerings
