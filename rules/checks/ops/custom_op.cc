#include <memory>
#include <string>

#include <fmt/format.h>

#include "rules/checks/common.h"
#include "rules/engine/rule.h"

namespace litelint::rules {
namespace {

constexpr std::string_view kDoc = R"md(
## What it does
Flags TensorFlow ops that have no TFLite builtin and are not on the Select TF ops
allowlist (or only on the tensorflow_text / sentencepiece lists, which the converter does
not load by default).
## Why is this bad?
Neither default settings nor `SELECT_TF_OPS` can convert them (`ERROR_NEEDS_CUSTOM_OPS`).
With `converter.allow_custom_ops = True` the op is written as a custom op named after the
TF op, and the app must implement and register a kernel for it before the model runs.
## Example
    y = tf.py_function(f, [x], tf.float32)   # PyFunc / EagerPyFunc
    ds = tf.data.Dataset.range(10)           # dataset ops inside the exported function
## Fix
Move the op out of the model (input pipelines and Python callbacks belong in the app), or
write a TFLite custom op: set `allow_custom_ops = True` and register the kernel with
`resolver.AddCustom("<Op>", Register_<Op>())`.
)md";

class CustomOp final : public Rule {
 public:
  RuleInfo info() const override {
    return {.code = "LL102", .name = "custom-op", .severity = Severity::Error,
            .summary = "op has no TFLite builtin and is not on the Select TF ops allowlist",
            .doc = kDoc};
  }
  void check(const ir::Node& node, RuleContext& ctx) const override {
    const TfOpInfo* info = ctx.op_info(node);
    if (!info) return;
    // Case folds to one branch when the branch index is a constant; otherwise the database's
    // fallback applies (measured: StatelessCase stays a TF op that is not allowlisted).
    if (info->status == TfOpStatus::ControlFlow && info->otherwise == Fallback::StaysTf &&
        info->flex != FlexList::Main && node.op.ends_with("Case") && !ctx.is_constant(node, 0)) {
      ctx.report(node, "a Case whose branch index is computed at run time has no TFLite builtin "
                       "and is not on the Select TF ops allowlist; it can only be a custom op")
          .impact(Impact::Custom)
          .suggestion("replace tf.switch_case by tf.cond chains (If) or compute every branch and "
                      "select with tf.gather");
      return;
    }
    const bool stays = info->status == TfOpStatus::Unsupported ||
                       ((info->status == TfOpStatus::FlexOnly ||
                         (info->status == TfOpStatus::Training &&
                          info->otherwise != Fallback::ConvertError)) &&
                        info->flex != FlexList::Main);
    if (!stays) return;
    std::string cause;
    if (info->flex == FlexList::TfText || info->flex == FlexList::SentencePiece) {
      cause = fmt::format("no TFLite builtin, and only the {} Select TF ops list has it, which "
                          "the converter does not load by default; it can only be a custom op",
                          to_string(info->flex));
    } else {
      cause = "no TFLite builtin and not on the Select TF ops allowlist; it can only be a "
              "custom op";
    }
    std::string hint =
        info->hint.empty()
            ? fmt::format("move {} out of the exported function, or implement it as a TFLite "
                          "custom op (allow_custom_ops = True)",
                          node.op)
            : std::string(info->hint);
    ctx.report(node, std::move(cause)).impact(Impact::Custom).suggestion(std::move(hint));
  }
};

}  // namespace

std::unique_ptr<Rule> make_custom_op() { return std::make_unique<CustomOp>(); }

}  // namespace litelint::rules
