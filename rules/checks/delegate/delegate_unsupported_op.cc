#include <memory>
#include <string>

#include <fmt/format.h>

#include "rules/checks/common.h"
#include "rules/engine/rule.h"

namespace litelint::rules {
namespace {

constexpr std::string_view kDoc = R"md(
## What it does
Under a delegate target (`--target gpu`, `xnnpack`, `nnapi`, `edgetpu`), flags ops whose
TFLite builtin that delegate does not take (the op database's `delegates/<name>.toml`).
## Why is this bad?
A delegate runs only the ops it supports; every other op splits the graph and runs on the
CPU, with a copy between the delegate's memory and the CPU's at each split. A few such ops
can make the delegated model slower than the CPU one (the Edge TPU compiler maps only the
ops before the first unsupported one).
## Example
    i = tf.range(tf.shape(x)[1])   # SHAPE and RANGE have no GPU kernels
## Fix
Replace the op by ones the delegate runs (`litelint ops NAME` shows which delegates take a
builtin), or move it to the start or end of the model so the graph splits only once.
)md";

class DelegateUnsupportedOp final : public Rule {
 public:
  RuleInfo info() const override {
    return {.code = "LL301", .name = "delegate-unsupported-op", .severity = Severity::Warning,
            .summary = "the target's delegate cannot run this op's builtin, so it falls back to the CPU",
            .doc = kDoc};
  }
  void check(const ir::Node& node, RuleContext& ctx) const override {
    const auto delegate = ctx.profile().delegate;
    if (!delegate) return;
    const TfOpInfo* info = ctx.op_info(node);
    if (!info || info->status != TfOpStatus::Builtin) return;
    auto builtin = checks::main_builtin(*info);
    if (builtin.empty() || delegate_supports(*delegate, builtin)) return;
    const DelegateOpInfo* entry = find_delegate_op(*delegate, builtin);
    std::string why = entry && !entry->constraints.empty()
                          ? fmt::format(" ({})", entry->constraints)
                          : std::string();
    ctx.report(node, fmt::format("the {} delegate does not run {}{}; the op runs on the CPU and "
                                 "splits the delegated graph",
                                 to_string(*delegate), builtin, why))
        .suggestion("replace the op by ones the delegate runs, or move it to the model's start "
                    "or end so the graph splits once");
  }
};

}  // namespace

std::unique_ptr<Rule> make_delegate_unsupported_op() { return std::make_unique<DelegateUnsupportedOp>(); }

}  // namespace litelint::rules
