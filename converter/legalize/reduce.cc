// Reductions: Sum, Mean, Max, Min, Prod, Any, All -> the reducer builtin the op database names,
// with the axes as an int32 operand (negative axes are kept: the kernels resolve them) and
// keep_dims in ReducerOptions. A reduction over dims of size 1 only moves no value: it becomes
// a RESHAPE (removed by fuse/redundant_reshape.cc under keep_dims), as TensorFlow's converter
// folds it (squeeze-and-excite pools of a 1x1 feature map in MobileNetV3).
#include <algorithm>

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
  const auto& in = ctx.input_type(0).shape;
  const auto out = ctx.output_type(0).shape;
  const auto unknown_out = out.has_rank() ? std::count_if(out.dims().begin(), out.dims().end(), [](auto d) { return d < 0; }) : 2;
  if (const auto axes = const_ints(ctx, 1); axes && in.has_rank() && unknown_out <= 1) {
    const auto rank = static_cast<std::int64_t>(in.rank());
    const bool only_unit_dims = std::all_of(axes->begin(), axes->end(), [&](std::int64_t a) {
      const auto n = normalize_axis(a, rank);
      return n && in.dim(static_cast<std::size_t>(*n)) == 1;
    });
    if (only_unit_dims) {
      std::vector<std::int64_t> target;
      for (auto d : out.dims()) target.push_back(d < 0 ? -1 : d);
      emit_reshape(ctx, *x, target, ctx.output(0));
      return {};
    }
  }
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
