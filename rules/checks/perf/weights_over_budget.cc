#include <fmt/format.h>

#include "rules/checks/perf/budget.h"
#include "rules/engine/rule.h"

namespace litelint::rules {
namespace {

constexpr std::string_view kDoc = R"md(
## What it does
Flags a model whose weights (every constant and variable the converted outputs need) take more
bytes than the `max-weight-bytes` budget, and names the largest weights.
## Why is this bad?
The weights are most of the .tflite file: they are downloaded with the app or the model,
mapped into memory when the interpreter loads, and on small devices compete with everything
else for RAM and flash. A team that has decided how large its model may be wants to hear
about a model that grew past it before shipping it.
## Example
    # litelint.toml
    max-weight-bytes = "4MiB"
    # a Dense(4096) on a 4096-wide input alone holds 64 MiB of float32 weights
## Fix
Make the model smaller: fewer or narrower layers, depthwise-separable convolutions, or
post-training quantization (`converter.optimizations = [tf.lite.Optimize.DEFAULT]` stores
weights as int8, a quarter of their float32 size).
## Options
`max-weight-bytes` (config) or `--max-weight-bytes` (flag, wins): a number of bytes, or a
string with a unit ("20MB", "20MiB"). Unset by default: no budget, no finding.
)md";

class WeightsOverBudget final : public Rule {
 public:
  RuleInfo info() const override {
    return {.code = "LL501", .name = "weights-over-budget", .severity = Severity::Warning,
            .summary = "the model's weights exceed the max-weight-bytes budget", .doc = kDoc};
  }
  void check_graph(const ir::Graph& graph, RuleContext& ctx) const override {
    (void)graph;
    const auto budget = ctx.options().budgets.max_weight_bytes;
    if (!budget) return;
    const footprint::Footprint fp = checks::measured_footprint(ctx);
    if (fp.weight_bytes <= *budget || fp.largest_weights.empty()) return;
    checks::report_at_named(
        ctx, checks::node_of(fp.largest_weights.front().tensor),
        fmt::format("the model's weights take {} ({} bytes), over the max-weight-bytes budget of {}; "
                    "largest: {}",
                    footprint::byte_size(fp.weight_bytes), fp.weight_bytes, footprint::byte_size(*budget),
                    checks::tensor_list(fp.largest_weights)),
        "shrink the largest layers, or quantize the weights to int8 "
                    "(converter.optimizations = [tf.lite.Optimize.DEFAULT])");
  }
};

}  // namespace

std::unique_ptr<Rule> make_weights_over_budget() { return std::make_unique<WeightsOverBudget>(); }

}  // namespace litelint::rules
