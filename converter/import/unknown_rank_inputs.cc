// Inputs of unknown rank, as TensorFlow's converter leaves them and where it should not.
// Measured with TF 2.21: graphdef/tf2onnx_gru (X feeds Shape/StridedSlice/Reshape to
// [batch, 28, 28]) and graphdef/neural_encryption_frozen (X_input feeds a MatMul) convert to
// inputs of shape [] whose .tflite fails in LiteRT until the app resizes them, while the zoo's
// unknown_rank (softmax(x * 2)) runs with any shape. Shape inference with stand-in shapes tells
// the two kinds apart without running anything.
#include "converter/import/unknown_rank_inputs.h"

#include <algorithm>
#include <set>
#include <vector>

#include <fmt/format.h>

#include "analyzer/passes/infer_shapes.h"

namespace litelint::converter {
namespace {

constexpr std::size_t kMaxStandInRank = 4;

std::set<passes::ShapeDiagnostic> diagnostics_of(ir::Graph graph) {
  const auto report = passes::infer_shapes(graph, {.uncalled_functions = false});
  return {report.diagnostics.begin(), report.diagnostics.end()};
}

// What inference finds wrong with `graph` when Placeholder `input` has `shape`, beyond what
// it finds anyway; nullopt when nothing new.
std::optional<passes::ShapeDiagnostic> rejects(const ir::Graph& graph, const std::string& input, const ir::Shape& shape,
                                               const std::set<passes::ShapeDiagnostic>& baseline) {
  ir::Graph trial = graph;
  if (!passes::set_input_shapes(trial, {{input, shape}})) return std::nullopt;
  for (const auto& d : diagnostics_of(std::move(trial))) {
    if (!baseline.count(d)) return d;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> unknown_rank_refusal(const Program& program) {
  for (const auto& entry : program.entries) {
    if (entry.signatures.empty()) continue;
    std::optional<std::set<passes::ShapeDiagnostic>> baseline;
    for (const auto& in : entry.signatures[0].inputs) {
      const auto ref = ir::TensorRef::parse(in.tensor_name);
      const ir::Node* node = ref ? entry.nodes.find(ref->node) : nullptr;
      if (node == nullptr || node->op != "Placeholder" || node->outputs.empty()) continue;
      if (node->outputs[0].shape.has_rank()) continue;
      if (!baseline) baseline = diagnostics_of(entry);
      std::optional<passes::ShapeDiagnostic> as_scalar;
      bool runs = false;
      for (std::size_t rank = 0; rank <= kMaxStandInRank && !runs; ++rank) {
        auto why = rejects(entry, node->name, ir::Shape(std::vector<std::int64_t>(rank, 1)), *baseline);
        if (!why) runs = true;
        if (rank == 0) as_scalar = why;
      }
      if (runs) continue;
      return fmt::format(
          "input '{}' has an unknown rank; TFLite would make it a scalar, which node '{}' ({}) rejects ({}), "
          "and no shape of ones up to rank {} runs the graph: give the input's shape with --input-shape {}=...",
          in.key, as_scalar->node, as_scalar->op, as_scalar->message, kMaxStandInRank, in.key);
    }
  }
  return std::nullopt;
}

}  // namespace litelint::converter
