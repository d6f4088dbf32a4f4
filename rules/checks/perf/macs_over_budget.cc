#include <fmt/format.h>

#include "rules/checks/perf/budget.h"
#include "rules/engine/rule.h"

namespace litelint::rules {
namespace {

constexpr std::string_view kDoc = R"md(
## What it does
Flags a model that needs more multiply-accumulates (MACs) per run than the `max-macs` budget,
and names the ops that cost the most. MACs are estimated from the inferred shapes: a conv
costs output elements x kernel height x width x input channels, a MatMul M x N x K,
elementwise ops one per element; unknown dimensions (a batch of `?`) count as 1 unless
`--input-shape` fixes them.
## Why is this bad?
MACs are what the phone's CPU, GPU or NPU spends its time and battery on: latency grows
roughly with them. A budget catches a model that became too slow for its frame rate before
anyone measures it on a device.
## Example
    # litelint.toml
    max-macs = "300M"
    # ResNet50 at 224x224 needs about 4 G MACs per image
## Fix
Use a cheaper architecture (MobileNet-style depthwise-separable blocks), a smaller input
resolution, or fewer channels in the layers the finding names.
## Options
`max-macs` (config) or `--max-macs` (flag, wins): a number, or a string with a unit ("300M",
"1.5G"). Unset by default: no budget, no finding.
)md";

class MacsOverBudget final : public Rule {
 public:
  RuleInfo info() const override {
    return {.code = "LL502", .name = "macs-over-budget", .severity = Severity::Warning,
            .summary = "one run of the model needs more MACs than the max-macs budget", .doc = kDoc};
  }
  void check_graph(const ir::Graph& graph, RuleContext& ctx) const override {
    (void)graph;
    const auto budget = ctx.options().budgets.max_macs;
    if (!budget) return;
    const footprint::Footprint fp = checks::measured_footprint(ctx);
    if (fp.macs <= *budget || fp.top_ops.empty()) return;
    std::string top;
    for (std::size_t i = 0; i < fp.top_ops.size() && i < 3; ++i) {
      const auto& t = fp.top_ops[i];
      top += fmt::format("{}'{}' ({}) {}", i ? ", " : "", t.node, t.op, footprint::si_count(t.macs));
    }
    checks::report_at_named(
        ctx, fp.top_ops.front().node,
        fmt::format("one run needs {} MACs ({}){}, over the max-macs budget of {}; costliest: {}",
                    footprint::si_count(fp.macs), fp.macs,
                    fp.macs_unknown_dim_ops ? " with unknown dims counted as 1" : "",
                    footprint::si_count(*budget), top),
        "use fewer channels or a smaller input in the costliest layers, or "
                    "depthwise-separable convolutions");
  }
};

}  // namespace

std::unique_ptr<Rule> make_macs_over_budget() { return std::make_unique<MacsOverBudget>(); }

}  // namespace litelint::rules
