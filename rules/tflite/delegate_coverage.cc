#include <memory>
#include <string>

#include <fmt/format.h>

#include "rules/tflite/tflite_rule.h"

namespace litelint::rules {
namespace {

constexpr std::string_view kDoc = R"md(
## What it does
Under a delegate target, summarizes per subgraph of an existing .tflite model how many
operators the delegate takes, which share of the graph that is, and in how many partitions.
It is a warning when the delegate takes nothing.
## Why is this bad?
A delegate speeds up only what it runs. Each partition boundary is a hand-off between the
delegate and the CPU kernels; a graph cut into many small partitions can run slower than on
the CPU alone, and the GPU delegate runs only its largest partition.
## Example
    litelint check model.tflite --target gpu
    # subgraph 0: the gpu delegate takes 61 of 64 ops (95%) in 1 partition (2 candidates)
## Fix
Act on the delegate-cpu-fallback findings: the fewer CPU ops sit between delegated ones, the
fewer partitions there are.
)md";

class DelegateCoverage final : public TfliteRule {
 public:
  RuleInfo info() const override {
    return {.code = "LL303", .name = "delegate-coverage", .severity = Severity::Note,
            .summary = "how much of the .tflite graph the delegate takes, in how many partitions",
            .doc = kDoc};
  }
  void check_tflite(TfliteContext& ctx) const override {
    if (!ctx.profile().delegate) return;
    const auto& placement = ctx.placement();
    const auto name = to_string(*ctx.profile().delegate);
    for (std::size_t s = 0; s < placement.subgraphs.size(); ++s) {
      const auto& sp = placement.subgraphs[s];
      const std::size_t total = sp.ops.size();
      if (total == 0) continue;
      const double share = 100.0 * static_cast<double>(sp.delegated_ops) /
                           static_cast<double>(total);
      std::string cause;
      if (sp.delegated_ops == 0) {
        cause = fmt::format("the {} delegate takes none of the {} ops: the whole subgraph runs "
                            "on the CPU", name, total);
      } else {
        cause = fmt::format("the {} delegate takes {} of {} ops ({:.0f}%) in {} partition{}",
                            name, sp.delegated_ops, total, share, sp.delegated_partitions,
                            sp.delegated_partitions == 1 ? "" : "s");
        if (sp.supported_partitions > sp.delegated_partitions) {
          cause += fmt::format(" ({} candidates; the rest run on the CPU)", sp.supported_partitions);
        }
        if (sp.delegated_ops < total) {
          cause += fmt::format("; {} op{} run on the CPU", total - sp.delegated_ops,
                               total - sp.delegated_ops == 1 ? "" : "s");
        }
      }
      auto& f = ctx.report_model(fmt::format("subgraph {}", s), std::move(cause));
      f.severity = sp.delegated_ops == 0 ? Severity::Warning : Severity::Note;
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_delegate_coverage() { return std::make_unique<DelegateCoverage>(); }

}  // namespace litelint::rules
