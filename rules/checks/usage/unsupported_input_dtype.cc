#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "analyzer/ir/node.h"
#include "rules/checks/common.h"
#include "rules/engine/rule.h"

namespace litelint::rules {
namespace {

constexpr std::string_view kDoc = R"md(
## What it does
Flags inputs of a GraphDef whose element type TFLiteConverter cannot feed: `resource`,
`variant`, `bfloat16`, the quantized `qint*` types and the sub-byte and float8 types. The
inputs are the `--inputs` arrays, or every placeholder the outputs depend on.
## Why is this bad?
`TFLiteConverter.from_frozen_graph` maps every input array to a TFLite type before it converts
anything and raises "Unsupported TensorFlow type `<dtype: 'resource'>` provided for the input
type of the TensorFlow model" for the others, under every target. (SavedModel signatures are
not checked this way: the converter takes their inputs from the signature.)
## Example
    x = tf.compat.v1.placeholder(tf.bfloat16, [1, 16], name="x")
    y = tf.cast(x, tf.float32) * 2.0
Use instead:
    x = tf.compat.v1.placeholder(tf.float32, [1, 16], name="x")
    y = x * 2.0
## Fix
Feed the model a float32, integer, bool or string tensor and cast inside the graph; a
resource or variant (a variable handle, a tensor list, a dataset) cannot be a model input:
make the variable a constant (freeze the graph) or build the list inside the model.
)md";

// The types convert.py's convert_tensor_tf_type_to_tflite_type maps (TF 2.21).
bool feedable(ir::DType t) {
  switch (ir::base_dtype(t)) {
    case ir::DType::Half: case ir::DType::Float: case ir::DType::Double:
    case ir::DType::Int8: case ir::DType::Int16: case ir::DType::UInt16:
    case ir::DType::Int32: case ir::DType::Int64: case ir::DType::UInt8:
    case ir::DType::UInt32: case ir::DType::UInt64: case ir::DType::String:
    case ir::DType::Bool: case ir::DType::Complex64: case ir::DType::Complex128:
      return true;
    default:
      return false;
  }
}

std::optional<ir::DType> output_dtype(const ir::Node& node, std::size_t index) {
  if (index < node.outputs.size() && node.outputs[index].dtype != ir::DType::Invalid) {
    return node.outputs[index].dtype;
  }
  if (index == 0) {
    if (const auto* a = node.attr("dtype"); a && a->as_type()) return *a->as_type();
  }
  return std::nullopt;
}

class UnsupportedInputDtype final : public Rule {
 public:
  RuleInfo info() const override {
    return {.code = "LL205", .name = "unsupported-input-dtype", .severity = Severity::Error,
            .summary = "input of a GraphDef with an element type the converter cannot feed",
            .doc = kDoc};
  }
  void check_graph(const ir::Graph& graph, RuleContext& ctx) const override {
    if (!ctx.options().inputs.empty()) {
      for (const auto& name : ctx.options().inputs) {
        const auto ref = ir::TensorRef::parse(name);
        if (!ref || ref->control) continue;  // the CLI rejects these before linting
        const ir::Node* node = graph.nodes.find(ref->node);
        if (node != nullptr && ref->index >= 0) check_input(*node, static_cast<std::size_t>(ref->index), ctx);
      }
      return;
    }
    if (!graph.signatures.empty()) return;  // a SavedModel: inputs come from signatures
    for (const auto& v : ctx.visited()) {
      if (v.function == nullptr && ir::is_placeholder(v.node->op)) check_input(*v.node, 0, ctx);
    }
  }

 private:
  static void check_input(const ir::Node& node, std::size_t index, RuleContext& ctx) {
    const auto dtype = output_dtype(node, index);
    if (!dtype || feedable(*dtype)) return;
    ctx.focus(VisitedNode{&node, nullptr, 0});
    ctx.report(node, fmt::format("input of type {}: TFLiteConverter cannot feed it (\"Unsupported "
                                 "TensorFlow type\"), so the conversion fails",
                                 ir::dtype_name(*dtype)))
        .impact(Impact::Fails)
        .suggestion("feed a float32/integer/bool/string tensor and cast inside the graph; a "
                    "variable handle or tensor list cannot be a model input");
  }
};

}  // namespace

std::unique_ptr<Rule> make_unsupported_input_dtype() {
  return std::make_unique<UnsupportedInputDtype>();
}

}  // namespace litelint::rules
