#pragma once

#include <map>
#include <string>
#include <vector>

#include "analyzer/ir/graph.h"
#include "analyzer/ir/model.h"
#include "analyzer/ir/shape.h"
#include "analyzer/support/expected.h"

namespace litelint::converter {

/// The TensorFlow side of a conversion after import: one flat graph per converted signature
/// (an "entry", which becomes a TFLite subgraph with a SignatureDef) and one flat graph per
/// control-flow body (While cond/body, If branches) that an entry or another body uses.
///
/// Every graph here is in one normal form, so that legalization sees no TensorFlow
/// function-library detail:
///  - `nodes` use graph syntax only ("node", "node:1", "^node"), in topological order
///    (producers before consumers; a node's data inputs are earlier in the list);
///  - function calls (PartitionedCall, StatefulPartitionedCall, calls of library functions by
///    name) are inlined; Identity, IdentityN, NoOp, Snapshot, StopGradient and
///    PreventGradient are removed (their consumers read the forwarded tensor, and a signature
///    output names the forwarded tensor) except where an output would then name a graph input
///    or the same tensor as an earlier output: that output keeps its Identity, so that every
///    output is a distinct tensor computed by a node;
///  - the graph's inputs are Placeholder nodes (attrs `dtype`, `shape`), one per input, in the
///    order of `signatures[0].inputs`; for a body they are its arguments in order;
///  - read-only variables are frozen: a ReadVariableOp of a variable nothing assigns, and a
///    TF1 VariableV2, becomes a Const node whose `value` attr is the checkpoint tensor (lazy,
///    read from the mapped shard only when asked); mutable variables stay as
///    VarHandleOp/ReadVariableOp/AssignVariableOp;
///  - only what the outputs reach (data and control edges) is kept;
///  - every node's `outputs` holds its dtype and static shape as far as inference knows;
///  - `signatures` has exactly one entry: its `inputs[i].tensor_name` is the i-th Placeholder
///    ("name:0"), `outputs[j].tensor_name` the tensor computing output j ("node:k"), keys as
///    TensorFlow names them (SignatureDef keys; for GraphDefs the tensor names).
struct Program {
  std::vector<ir::Graph> entries;
  /// Control-flow bodies by function name (the While's `body`/`cond`, the If's branches).
  std::map<std::string, ir::Graph, std::less<>> bodies;
  /// Composite functions left unfused, one line each: which and why ("Keras LSTM
  /// __inference_standard_lstm_12: it takes 7 arguments; ..."). Their loops stay loops.
  std::vector<std::string> fusions_declined;
};

/// What to import.
struct ImportOptions {
  /// SavedModel signature keys; empty: every signature of the chosen MetaGraph (a GraphDef
  /// has one pseudo-signature from `inputs`/`outputs`).
  std::vector<std::string> signatures;
  std::vector<std::string> inputs;   ///< GraphDef input arrays
  std::vector<std::string> outputs;  ///< GraphDef output arrays
  std::map<std::string, ir::Shape> input_shapes;  ///< by input node name or signature key
};

/// Builds the Program of a loaded TensorFlow model. Fails with a one-line reason naming the
/// node or function (a call of an unknown function, a variable without a checkpoint value).
Expected<Program> import_program(const ir::Model& model, const ImportOptions& options);

}  // namespace litelint::converter
