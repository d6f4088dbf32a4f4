#include <memory>
#include <string>

#include "rules/checks/common.h"
#include "rules/engine/rule.h"

namespace litelint::rules {
namespace {

constexpr std::string_view kDoc = R"md(
## What it does
Flags TF1 reference variables (`VariableV2`) and other training-only ops that the op
database says make the conversion fail when an output depends on them, unless the model's
checkpoint gives their value (a SavedModel, whose variables the converter freezes).
## Why is this bad?
A GraphDef that still reads `VariableV2` was not frozen; TFLiteConverter stops with
"'tf.VariableV2' op is illegal in a TFLite pipeline".
## Example
    # TF1: saving graph_def without freezing
    tf.io.write_graph(sess.graph_def, ".", "model.pb")
## Fix
Freeze the graph (`tf.compat.v1.graph_util.convert_variables_to_constants`, or
`convert_variables_to_constants_v2` for a concrete function), or export a SavedModel.
)md";

class UnfrozenVariable final : public Rule {
 public:
  RuleInfo info() const override {
    return {.code = "LL104", .name = "unfrozen-variable", .severity = Severity::Error,
            .summary = "TF1 variable or training op is not frozen, so the conversion fails",
            .doc = kDoc};
  }
  void check(const ir::Node& node, RuleContext& ctx) const override {
    const TfOpInfo* info = ctx.op_info(node);
    if (!info || info->status != TfOpStatus::Training ||
        info->otherwise != Fallback::ConvertError) {
      return;
    }
    // A SavedModel's variables come with a checkpoint and are frozen by the converter.
    for (const auto& v : ctx.graph().variables) {
      if (v.node_name == node.name && !ctx.function() &&
          (!v.checkpoint_key.empty() || v.value.has_value())) {
        return;
      }
    }
    ctx.report(node, "variable is not frozen; the converter rejects it (\"op is illegal in a "
                     "TFLite pipeline\")")
        .impact(Impact::Fails)
        .suggestion(info->hint.empty() ? "freeze the graph before converting"
                                       : std::string(info->hint));
  }
};

}  // namespace

std::unique_ptr<Rule> make_unfrozen_variable() { return std::make_unique<UnfrozenVariable>(); }

}  // namespace litelint::rules
