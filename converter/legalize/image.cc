// Non-max suppression, as TensorFlow's converter lowers it: NonMaxSuppressionV2/V3/V4 become
// NON_MAX_SUPPRESSION_V4 and NonMaxSuppressionV5 becomes NON_MAX_SUPPRESSION_V5, with the
// same operands. V4 also returns the number of valid indices; for V2/V3, which do not, that
// output is a tensor nothing reads. V2 has no score threshold: -inf lets every box through,
// which is what V2 does.
#include <limits>

#include "converter/legalize/families.h"
#include "converter/legalize/operands.h"

namespace litelint::converter::lowerings {
namespace {

Expected<void> lower_nms_v4(LoweringContext& ctx) {
  auto inputs = all_inputs(ctx);
  if (!inputs) return unexpected(inputs.error());
  if (ctx.op() == "NonMaxSuppressionV2") {
    if (inputs->size() != 4) return ctx.fail("takes boxes, scores, max_output_size and iou_threshold");
    const float lowest[] = {-std::numeric_limits<float>::infinity()};
    inputs->push_back(ctx.add_f32("score_threshold", lowest, {}));
  }
  if (inputs->size() != 5) return ctx.fail("takes boxes, scores, max_output_size, iou_threshold and score_threshold");
  std::int32_t valid = -1;
  if (ctx.output_count() >= 2) {
    valid = ctx.output(1);
  } else {
    valid = ctx.add_tensor("valid_outputs", {ir::DType::Int32, ir::Shape::scalar()});
  }
  ctx.emit("NON_MAX_SUPPRESSION_V4", std::move(*inputs), {ctx.output(0), valid});
  return {};
}

Expected<void> lower_nms_v5(LoweringContext& ctx) {
  auto inputs = all_inputs(ctx);
  if (!inputs) return unexpected(inputs.error());
  if (inputs->size() != 6 || ctx.output_count() != 3) {
    return ctx.fail("takes boxes, scores, max_output_size, iou_threshold, score_threshold and soft_nms_sigma");
  }
  ctx.emit("NON_MAX_SUPPRESSION_V5", std::move(*inputs), {ctx.output(0), ctx.output(1), ctx.output(2)});
  return {};
}

}  // namespace

std::span<const Lowering> image() {
  static constexpr Lowering kLowerings[] = {
      {"NonMaxSuppressionV2", lower_nms_v4},
      {"NonMaxSuppressionV3", lower_nms_v4},
      {"NonMaxSuppressionV4", lower_nms_v4},
      {"NonMaxSuppressionV5", lower_nms_v5},
  };
  return kLowerings;
}

}  // namespace litelint::converter::lowerings
