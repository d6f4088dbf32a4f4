#include <fmt/format.h>

#include "rules/checks/perf/budget.h"
#include "rules/engine/rule.h"

namespace litelint::rules {
namespace {

constexpr std::string_view kDoc = R"md(
## What it does
Flags a model whose peak activation memory exceeds the `max-activation-bytes` budget: the
largest total of intermediate tensors alive at once when the ops run in order (each tensor
lives from the op that makes it to the last op that reads it; Reshape and Identity share
their input's memory). Names the node at the peak and the largest tensors alive there.
## Why is this bad?
TFLite's arena planner allocates at least this much for activations when the interpreter
is created, on top of the weights; on a phone that memory competes with the camera, the UI
and other apps, and a model over the device's budget is killed or never loads.
## Example
    # litelint.toml
    max-activation-bytes = "8MiB"
    # a Conv2D with 64 channels at 512x512 makes one 64 MiB float32 tensor
## Fix
Downsample earlier (strided convolutions or pooling before the widest layers), use fewer
channels at high resolution, or a smaller input.
## Options
`max-activation-bytes` (config) or `--max-activation-bytes` (flag, wins): a number of bytes,
or a string with a unit ("8MB", "8MiB"). Unset by default: no budget, no finding.
)md";

class ActivationsOverBudget final : public Rule {
 public:
  RuleInfo info() const override {
    return {.code = "LL503", .name = "activations-over-budget", .severity = Severity::Warning,
            .summary = "peak activation memory exceeds the max-activation-bytes budget", .doc = kDoc};
  }
  void check_graph(const ir::Graph& graph, RuleContext& ctx) const override {
    (void)graph;
    const auto budget = ctx.options().budgets.max_activation_bytes;
    if (!budget) return;
    const footprint::Footprint fp = checks::measured_footprint(ctx);
    if (fp.peak_activation_bytes <= *budget || fp.peak_at.empty()) return;
    checks::report_at_named(
        ctx, fp.peak_at,
        fmt::format("activations alive at once peak at {} ({} bytes){} when this node runs, over the "
                    "max-activation-bytes budget of {}; largest alive: {}",
                    footprint::byte_size(fp.peak_activation_bytes), fp.peak_activation_bytes,
                    fp.peak_unknown_dims ? " with unknown dims counted as 1" : "",
                    footprint::byte_size(*budget), checks::tensor_list(fp.peak_tensors)),
        "downsample before the widest layers or use fewer channels at high resolution");
  }
};

}  // namespace

std::unique_ptr<Rule> make_activations_over_budget() { return std::make_unique<ActivationsOverBudget>(); }

}  // namespace litelint::rules
