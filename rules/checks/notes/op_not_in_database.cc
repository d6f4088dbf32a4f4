#include <memory>
#include <string>

#include <fmt/format.h>

#include "rules/checks/common.h"
#include "rules/engine/rule.h"

namespace litelint::rules {
namespace {

constexpr std::string_view kDoc = R"md(
## What it does
Notes op types that litelint's op database does not know.
## Why is this bad?
litelint cannot say how the converter treats the op. The database covers every op
TensorFlow registers that models commonly hold, so an op it does not know is most likely
from a custom op library, which TensorFlow's converter cannot import ("Op type not
registered", measured with the oracle's custom_op.frozen): litelint assumes the conversion
fails, or that the op is a Select TF op when it is on the Flex allowlist. The verdict may be
wrong for this model.
## Example
    y = tf.raw_ops.SomeNewOp(x=x)   # added to TensorFlow after the database was written
## Fix
Check the op with TFLiteConverter, and add it to rules/opdb/tf_ops.toml (with the evidence)
so litelint knows it next time.
)md";

class OpNotInDatabase final : public Rule {
 public:
  RuleInfo info() const override {
    return {.code = "LL901", .name = "op-not-in-database", .severity = Severity::Warning,
            .summary = "litelint's op database does not know this op type",
            .doc = kDoc};
  }
  void check(const ir::Node& node, RuleContext& ctx) const override {
    if (ctx.op_info(node) || node.op.empty() || ctx.is_function_call(node)) return;
    // A Keras layer whose code the file lacks is keras-code-not-in-file's, not an unknown op,
    // and so is a layer litelint could not model because its input comes from such a layer.
    if (node.attr("_keras_missing_code") != nullptr || node.attr("_keras_after_missing_code") != nullptr) return;
    const bool flex = on_flex_allowlist(node.op);
    Impact impact = flex ? Impact::Flex : Impact::Fails;
    ctx.report(node, flex ? std::string("op type is not in litelint's op database; it is on the "
                                        "Select TF ops allowlist, so assuming a Select TF op")
                          : std::string("op type is in neither litelint's op database nor the "
                                        "Select TF ops allowlist; assuming TensorFlow does not "
                                        "register it either, so the conversion fails at import"))
        .impact(impact)
        .suggestion("if the op comes from a custom op library, rebuild it from standard TensorFlow "
                    "ops; otherwise check it with TFLiteConverter and add it to "
                    "rules/opdb/tf_ops.toml");
  }
};

}  // namespace

std::unique_ptr<Rule> make_op_not_in_database() { return std::make_unique<OpNotInDatabase>(); }

}  // namespace litelint::rules
