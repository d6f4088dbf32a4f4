#include <memory>
#include <string>

#include <fmt/format.h>

#include "rules/checks/common.h"
#include "rules/engine/rule.h"

namespace litelint::rules {
namespace {

constexpr std::string_view kDoc = R"md(
## What it does
Flags TensorFlow ops that have no TFLite builtin but are on the Select TF ops (Flex)
allowlist, so the converter can only keep them as TensorFlow ops.
## Why is this bad?
With default settings TFLiteConverter fails with `ERROR_NEEDS_FLEX_OPS`. With
`SELECT_TF_OPS` the model converts, but the app must link the Flex delegate (about 20 MB,
a few MB with a selective build) and cannot use LiteRT in Google Play services.
## Example
    y = tf.math.erfinv(x)          # no builtin: FlexErfinv
    s = tf.strings.split(text)     # string ops are Flex-only
## Fix
Replace the op by builtin-friendly math (the finding's suggestion names one when the op
database knows it), move it out of the model (pre/post-processing in the app), or accept
the fallback plan: `converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS,
tf.lite.OpsSet.SELECT_TF_OPS]`.
)md";

class SelectTfOp final : public Rule {
 public:
  RuleInfo info() const override {
    return {.code = "LL101", .name = "select-tf-op", .severity = Severity::Error,
            .summary = "op has no TFLite builtin and runs only as a Select TF op",
            .doc = kDoc};
  }
  void check(const ir::Node& node, RuleContext& ctx) const override {
    const TfOpInfo* info = ctx.op_info(node);
    if (!info || info->flex != FlexList::Main) return;
    // Case folds to one branch when the branch index is a constant; otherwise it stays a TF op.
    if (info->status == TfOpStatus::ControlFlow && info->otherwise == Fallback::StaysTf &&
        node.op.ends_with("Case") && !ctx.is_constant(node, 0)) {
      ctx.report(node, "a Case whose branch index is computed at run time has no TFLite builtin; "
                       "it can only run as a Select TF op")
          .impact(Impact::Flex)
          .suggestion("replace tf.switch_case by tf.cond chains (If) or compute every branch and "
                      "select with tf.gather");
      return;
    }
    const bool flex_only = info->status == TfOpStatus::FlexOnly;
    // A training/checkpoint op the outputs depend on stays a TF op too; the ones that make
    // the conversion fail outright (VariableV2) are LL104's.
    const bool training = info->status == TfOpStatus::Training &&
                          info->otherwise != Fallback::ConvertError;
    if (!flex_only && !training) return;
    std::string cause =
        training ? "training or checkpoint op on the path of an output has no TFLite builtin; "
                   "it can only run as a Select TF op"
                 : "no TFLite builtin; it can only run as a Select TF op";
    std::string hint = info->hint.empty()
                           ? fmt::format("replace tf.raw_ops.{} by ops with TFLite builtins, or "
                                         "convert with SELECT_TF_OPS (see the plan)",
                                         node.op)
                           : std::string(info->hint);
    ctx.report(node, std::move(cause)).impact(Impact::Flex).suggestion(std::move(hint));
  }
};

}  // namespace

std::unique_ptr<Rule> make_select_tf_op() { return std::make_unique<SelectTfOp>(); }

}  // namespace litelint::rules
