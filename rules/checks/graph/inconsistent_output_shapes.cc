#include <memory>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "rules/checks/graph/graph_import.h"
#include "rules/engine/rule.h"

namespace litelint::rules {
namespace {

constexpr std::string_view kDoc = R"md(
## What it does
Flags `_output_shapes` attributes that `tf.compat.v1.import_graph_def` refuses: a
dimension below -1 (-1 means unknown; anything lower is no size at all), or a shape that
contradicts what the node computes from its inputs (another rank, or another known size).
## Why is this bad?
While importing, TensorFlow runs each op's shape function and then merges the recorded
`_output_shapes` into the result (GraphConstructor::ValidateShape). A contradiction fails
the import with "Node 'x' has an _output_shapes attribute inconsistent with the GraphDef
for output #0: Shapes must be equal rank, but are 0 and 1", and a dimension such as -5 with
"Shape [-5] has dimensions with values below -1", before any conversion. Such attributes
come from graphs edited after export, or from grappler's symbolic shapes written back into
a GraphDef.
## Example
    node { name: "sum" op: "Add" input: "a" input: "b"    # a and b are scalars
      attr { key: "_output_shapes" value { list { shape { dim { size: 4 } } } } } }
## Fix
Drop the `_output_shapes` attributes (they are hints: `tf.compat.v1.graph_util`
and a fresh export do not need them), or regenerate the graph so they hold.
)md";

class InconsistentOutputShapes final : public Rule {
 public:
  RuleInfo info() const override {
    return {.code = "LL413", .name = "inconsistent-output-shapes", .severity = Severity::Error,
            .summary = "recorded _output_shapes that TensorFlow's importer rejects (bad dims, or "
                       "contradicting the inputs)",
            .doc = kDoc};
  }
  void check_graph(const ir::Graph& graph, RuleContext& ctx) const override {
    if (!checks::imported_by_import_graph_def(ctx)) return;
    for (const auto& node : graph.nodes.nodes()) {
      const ir::AttrValue* attr = node.attr("_output_shapes");
      const ir::AttrList* list = attr ? attr->as_list() : nullptr;
      if (list == nullptr) continue;
      for (std::size_t k = 0; k < list->shape.size(); ++k) {
        if (auto problem = check_shape(list->shape[k], computed_shape(node, k))) {
          checks::report_at(ctx, node, nullptr,
                            fmt::format("output #{} has the shape {} in _output_shapes, {}; "
                                        "import_graph_def rejects the node",
                                        k, written(list->shape[k]), *problem))
              .impact(Impact::Fails)
              .suggestion("remove the node's _output_shapes attr, or re-export the graph so it "
                          "holds");
          break;  // TensorFlow stops at the first output too
        }
      }
    }
  }

 private:
  // The shape litelint inferred for output k, where it is comparable: handles (resource,
  // variant, reference types) carry TensorFlow's own conventions (a stack handle is a
  // vector of 2), which litelint's shape functions do not model.
  static const ir::Shape* computed_shape(const ir::Node& node, std::size_t k) {
    if (k >= node.outputs.size()) return nullptr;
    const ir::DType t = node.outputs[k].dtype;
    if (t == ir::DType::Invalid || t == ir::DType::Resource || t == ir::DType::Variant || ir::is_ref(t)) {
      return nullptr;
    }
    return &node.outputs[k].shape;
  }

  // Shapes as written, with the dims below -1 that Shape::to_string() shows as '?'.
  static std::string written(const ir::Shape& shape) {
    if (!shape.has_rank()) return shape.to_string();
    std::string out = "[";
    for (std::size_t i = 0; i < shape.rank(); ++i) {
      if (i > 0) out += ",";
      out += shape.dim(i) == ir::Shape::kUnknownDim ? "?" : std::to_string(shape.dim(i));
    }
    return out + "]";
  }

  // Why `recorded` cannot stand beside `computed` (the shape litelint infers), if it cannot.
  static std::optional<std::string> check_shape(const ir::Shape& recorded, const ir::Shape* computed) {
    if (!recorded.has_rank()) return std::nullopt;
    for (auto d : recorded.dims()) {
      if (d < ir::Shape::kUnknownDim) return fmt::format("with a dimension of {} (below -1, the unknown size)", d);
    }
    if (computed == nullptr || !computed->has_rank()) return std::nullopt;
    if (computed->rank() != recorded.rank()) {
      return fmt::format("but its inputs give rank {} ({})", computed->rank(), computed->to_string());
    }
    for (std::size_t i = 0; i < recorded.rank(); ++i) {
      const auto r = recorded.dim(i);
      const auto c = computed->dim(i);
      if (r >= 0 && c >= 0 && r != c) {
        return fmt::format("but its inputs give {} (dimension {} is {}, not {})", computed->to_string(), i, c, r);
      }
    }
    return std::nullopt;
  }
};

}  // namespace

std::unique_ptr<Rule> make_inconsistent_output_shapes() {
  return std::make_unique<InconsistentOutputShapes>();
}

}  // namespace litelint::rules
