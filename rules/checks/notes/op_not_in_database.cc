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
litelint cannot say how the converter treats the op. It assumes the op stays a TensorFlow
op: a Select TF op when it is on the Flex allowlist, else a custom op. The verdict may be
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
    Impact impact = checks::impact_if_stays(node.op);
    ctx.report(node, fmt::format("op type is not in litelint's op database; assuming it stays a "
                                 "TensorFlow op ({})",
                                 impact == Impact::Flex ? "a Select TF op" : "a custom op"))
        .impact(impact)
        .suggestion("check this op with TFLiteConverter and add it to rules/opdb/tf_ops.toml");
  }
};

}  // namespace

std::unique_ptr<Rule> make_op_not_in_database() { return std::make_unique<OpNotInDatabase>(); }

}  // namespace litelint::rules
