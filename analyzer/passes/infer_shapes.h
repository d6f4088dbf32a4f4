#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "analyzer/ir/graph.h"
#include "analyzer/ir/shape.h"
#include "analyzer/support/expected.h"

namespace litelint::passes {

/// A static inconsistency shape inference found, e.g. a Conv2D whose input channels do not
/// match its filter. TensorFlow would reject the graph at run time (or at import).
struct ShapeDiagnostic {
  std::string function;  ///< function the node is in; empty for the main graph
  std::string node;
  std::string op;
  std::string message;  ///< lower-case, no final period, e.g. "matmul inner dimensions differ: 3 vs 4"
  friend bool operator==(const ShapeDiagnostic&, const ShapeDiagnostic&) = default;
  friend auto operator<=>(const ShapeDiagnostic&, const ShapeDiagnostic&) = default;
};

/// What `infer_shapes` found: diagnostics and how much of the graph it could type.
struct ShapeReport {
  std::vector<ShapeDiagnostic> diagnostics;
  /// Counts over every node output of the main graph and every function body.
  std::size_t outputs = 0;
  std::size_t dtype_known = 0;
  std::size_t rank_known = 0;
  std::size_t fully_defined = 0;
  /// Op types that have no shape function (their outputs get a dtype from attrs at best).
  std::vector<std::string> unmodeled_ops;
};

/// What `infer_shapes` covers.
struct InferOptions {
  /// Also type the functions that nothing the main graph calls reaches (gradients, the object
  /// graph's concrete functions, dead code), from their declarations. `check` analyses only
  /// what the main graph reaches and turns this off; the counts in ShapeReport need it.
  bool uncalled_functions = true;
};

/// Fills `Node::outputs` (dtype and static shape) of every node of the main graph and of every
/// function body. Seeds come from Placeholder/Const/variable attrs, `_output_shapes`, whatever a
/// loader already put into `outputs`, signature inputs and function argument attrs; inferred
/// shapes refine those seeds and never contradict a more precise one. Unknown dims stay -1.
/// Never fails: ops it does not model keep a dtype from their attrs and an unknown shape.
ShapeReport infer_shapes(ir::Graph& graph, const InferOptions& options = {});

/// Overrides the declared shapes of the main graph's Placeholders (by node name), as the
/// converter's `-tf-input-shapes` does. Shapes recorded in the graph for other nodes
/// (`_output_shapes`, `Node::outputs` shapes) were computed for the old input shapes, so they
/// are dropped (dtypes are kept); run `infer_shapes` afterwards. Fails when a name is not a
/// Placeholder of the main graph.
Expected<void> set_input_shapes(ir::Graph& graph, const std::map<std::string, ir::Shape>& shapes);

}  // namespace litelint::passes
