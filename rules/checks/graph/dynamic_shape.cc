#include <memory>
#include <string>

#include <fmt/format.h>

#include "rules/checks/common.h"
#include "rules/engine/rule.h"

namespace litelint::rules {
namespace {

constexpr std::string_view kDoc = R"md(
## What it does
Flags model inputs whose shape is unknown where it matters: an input of unknown rank, or
unknown dimensions other than the batch.
## Why is this bad?
TFLite tensors have a static rank. Unknown dimensions convert (as -1 in
`shape_signature`), but the app must call `resize_input_tensor` before every new shape, the
GPU and NNAPI delegates reject dynamic tensors, and ops whose lowering needs static shapes
(tensor lists, some reshapes) may stay TensorFlow ops.
## Example
    @tf.function(input_signature=[tf.TensorSpec(None, tf.float32)])   # unknown rank
Use instead:
    @tf.function(input_signature=[tf.TensorSpec([1, 224, 224, 3], tf.float32)])
## Fix
Give the signature a static shape (at least a static rank and static non-batch
dimensions) when exporting.
)md";

class DynamicShape final : public Rule {
 public:
  RuleInfo info() const override {
    return {.code = "LL401", .name = "dynamic-shape", .severity = Severity::Warning,
            .summary = "model input has an unknown rank or unknown non-batch dimensions",
            .doc = kDoc};
  }
  std::vector<std::string_view> ops() const override { return {"Placeholder", "PlaceholderV2"}; }
  void check(const ir::Node& node, RuleContext& ctx) const override {
    if (ctx.function()) return;
    ir::Shape shape;
    if (!node.outputs.empty()) shape = node.outputs[0].shape;
    if (!shape.has_rank()) {
      if (const auto* a = node.attr("shape"); a && a->as_shape()) shape = *a->as_shape();
    }
    if (!shape.has_rank()) {
      ctx.report(node, "input has an unknown rank; TFLite tensors need a static rank")
          .suggestion("give the input a shape in the signature, e.g. "
                      "tf.TensorSpec([None, 224, 224, 3], tf.float32)");
      return;
    }
    for (std::size_t i = 1; i < shape.rank(); ++i) {
      if (shape.dim(i) >= 0) continue;
      ctx.report(node, fmt::format("input shape {} has unknown dimensions beyond the batch; the "
                                   "app must resize the input, and GPU/NNAPI delegates reject "
                                   "dynamic tensors",
                                   shape.to_string()))
          .suggestion("export with static non-batch dimensions in the input signature");
      return;
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_dynamic_shape() { return std::make_unique<DynamicShape>(); }

}  // namespace litelint::rules
