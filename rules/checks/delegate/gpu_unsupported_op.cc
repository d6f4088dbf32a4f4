#include <memory>
#include <string>

#include <fmt/format.h>

#include "rules/checks/common.h"
#include "rules/engine/rule.h"

namespace litelint::rules {
namespace {

constexpr std::string_view kDoc = R"md(
## What it does
Under `--target gpu`, flags ops whose TFLite builtin the GPU delegate does not take (the op
database's delegates/gpu.toml).
## Why is this bad?
The GPU delegate runs only the ops it supports; every other op splits the graph and runs
on the CPU, with a copy between GPU and CPU memory at each split. A few such ops can make
the delegated model slower than the CPU one.
## Example
    y = tf.math.cumsum(x, axis=1)   # CUMSUM has no GPU kernel
## Fix
Replace the op by GPU-friendly ones (the op database lists what the GPU delegate runs), or
move it to the start or end of the model so the graph splits only once.
)md";

class GpuUnsupportedOp final : public Rule {
 public:
  RuleInfo info() const override {
    return {.code = "LL301", .name = "gpu-unsupported-op", .severity = Severity::Warning,
            .summary = "the GPU delegate cannot run this op's builtin, so it falls back to the CPU",
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

std::unique_ptr<Rule> make_gpu_unsupported_op() { return std::make_unique<GpuUnsupportedOp>(); }

}  // namespace litelint::rules
