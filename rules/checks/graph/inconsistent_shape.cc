#include <map>
#include <memory>
#include <set>
#include <utility>
#include <string>

#include "rules/checks/common.h"
#include "rules/checks/graph/graph_import.h"
#include "rules/engine/rule.h"

namespace litelint::rules {
namespace {

constexpr std::string_view kDoc = R"md(
## What it does
Reports shapes that contradict each other, as litelint's shape inference finds them: a
Conv2D whose input channels differ from its filter's, a MatMul with different inner
dimensions or an operand not of rank 2, a Reshape to another element count, ConcatV2
inputs that differ outside the axis, operands that do not broadcast. In a graph read with
tf.compat.v1.import_graph_def, nodes the outputs do not need count too.
## Why is this bad?
TensorFlow's own shape inference rejects such a graph when the converter imports it (with
the declared input shapes), so the conversion fails before any op is legalized
("Dimensions must be equal, but are 3 and 4", "Shape must be rank 2 but is rank 3"). The
import infers every node of the GraphDef, before pruning to the output arrays.
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
    const auto& diagnostics = ctx.options().shape_diagnostics;
    if (diagnostics.empty()) return;
    // The nodes the converted outputs depend on first, each at its call path.
    std::multimap<std::pair<std::string_view, std::string_view>, const passes::ShapeDiagnostic*>
        by_node;
    for (const auto& d : diagnostics) by_node.emplace(std::pair{std::string_view(d.function),
                                                                std::string_view(d.node)}, &d);
    std::set<const passes::ShapeDiagnostic*> reported;
    for (const auto& v : ctx.visited()) {
      const std::string_view fn = v.function ? std::string_view(v.function->name) : "";
      auto [first, last] = by_node.equal_range({fn, std::string_view(v.node->name)});
      for (auto it = first; it != last; ++it) {
        ctx.focus(v);
        finish(ctx.report(*v.node, it->second->message + std::string(kCause)));
        reported.insert(it->second);
      }
    }
    // tf.compat.v1.import_graph_def runs shape inference on every node of the GraphDef,
    // before the converter prunes to the outputs: a contradiction in a branch the outputs
    // do not need fails the import all the same.
    if (!checks::imported_by_import_graph_def(ctx)) return;
    for (const auto& d : diagnostics) {
      if (!d.function.empty() || reported.contains(&d)) continue;
      if (const ir::Node* node = graph.nodes.find(d.node)) {
        finish(checks::report_at(ctx, *node, nullptr, d.message + std::string(kCause)));
      }
    }
  }

 private:
  static constexpr std::string_view kCause =
      "; TensorFlow rejects the graph at import, so the conversion fails";

  static void finish(FindingBuilder finding) {
    finding.impact(Impact::Fails)
        .suggestion("declare the input shape the graph was built for, or fix the weights "
                    "of this layer");
  }
};

}  // namespace

std::unique_ptr<Rule> make_inconsistent_shape() { return std::make_unique<InconsistentShape>(); }

}  // namespace litelint::rules
