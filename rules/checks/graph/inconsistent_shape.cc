#include <map>
#include <memory>
#include <utility>
#include <string>

#include "rules/checks/common.h"
#include "rules/engine/rule.h"

namespace litelint::rules {
namespace {

constexpr std::string_view kDoc = R"md(
## What it does
Reports shapes that contradict each other, as litelint's shape inference finds them: a
Conv2D whose input channels differ from its filter's, a MatMul with different inner
dimensions, operands that do not broadcast.
## Why is this bad?
TensorFlow's own shape inference rejects such a graph when the converter imports it (with
the declared input shapes), so the conversion fails before any op is legalized.
## Example
    # input declared as [1, 3, 32, 32] (NCHW) feeding a Conv2D with data_format NHWC and a
    # filter of shape [3, 3, 3, 16]: 32 input channels against 3
## Fix
Declare the input shape the graph was built for (or pass matching input shapes to the
converter), or fix the layer whose weights disagree.
)md";

class InconsistentShape final : public Rule {
 public:
  RuleInfo info() const override {
    return {.code = "LL408", .name = "inconsistent-shape", .severity = Severity::Error,
            .summary = "operand shapes contradict each other, so TensorFlow rejects the graph",
            .doc = kDoc};
  }
  void check_graph(const ir::Graph& graph, RuleContext& ctx) const override {
    (void)graph;
    const auto& diagnostics = ctx.options().shape_diagnostics;
    if (diagnostics.empty()) return;
    // Only nodes the converted outputs depend on count.
    std::multimap<std::pair<std::string_view, std::string_view>, const passes::ShapeDiagnostic*>
        by_node;
    for (const auto& d : diagnostics) by_node.emplace(std::pair{std::string_view(d.function),
                                                                std::string_view(d.node)}, &d);
    for (const auto& v : ctx.visited()) {
      const std::string_view fn = v.function ? std::string_view(v.function->name) : "";
      auto [first, last] = by_node.equal_range({fn, std::string_view(v.node->name)});
      for (auto it = first; it != last; ++it) {
        const auto& d = *it->second;
        ctx.focus(v);
        ctx.report(*v.node, d.message + "; TensorFlow rejects the graph at import, so the "
                                        "conversion fails")
            .impact(Impact::Fails)
            .suggestion("declare the input shape the graph was built for, or fix the weights "
                        "of this layer");
      }
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_inconsistent_shape() { return std::make_unique<InconsistentShape>(); }

}  // namespace litelint::rules
