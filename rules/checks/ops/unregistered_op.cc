#include <memory>
#include <string>

#include "rules/checks/common.h"
#include "rules/engine/rule.h"

namespace litelint::rules {
namespace {

constexpr std::string_view kDoc = R"md(
## What it does
Flags op types that TensorFlow itself does not register: ops from custom C++ libraries
(`tf.load_op_library`), TensorRT engines, or graphs written by other tools.
## Why is this bad?
TFLiteConverter imports the graph with TensorFlow's op registry first; an unknown op fails
at import ("Op type not registered '<op>' in binary running on ..."), whatever the
settings.
## Example
    lib = tf.load_op_library("my_ops.so")
    y = lib.banana_potato_salad(a, b)      # exported graph holds 'BananaPotatoSalad'
## Fix
Rebuild the computation from standard TensorFlow ops before export, or export the model
without the custom library's ops and implement them as TFLite custom ops.
)md";

class UnregisteredOp final : public Rule {
 public:
  RuleInfo info() const override {
    return {.code = "LL103", .name = "unregistered-op", .severity = Severity::Error,
            .summary = "op type is not registered in TensorFlow, so the converter cannot import it",
            .doc = kDoc};
  }
  void check(const ir::Node& node, RuleContext& ctx) const override {
    const TfOpInfo* info = ctx.op_info(node);
    if (!info || info->status != TfOpStatus::Unregistered) return;
    ctx.report(node, "op type is not registered in TensorFlow; the converter fails at graph "
                     "import (\"Op type not registered\")")
        .impact(Impact::Fails)
        .suggestion(info->hint.empty()
                        ? "rebuild this computation from standard TensorFlow ops before export"
                        : std::string(info->hint));
  }
};

}  // namespace

std::unique_ptr<Rule> make_unregistered_op() { return std::make_unique<UnregisteredOp>(); }

}  // namespace litelint::rules
