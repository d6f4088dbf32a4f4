#pragma once

#include <cstdint>
#include <vector>

#include "analyzer/footprint/footprint.h"
#include "analyzer/ir/graph.h"
#include "analyzer/ir/node.h"

// The converted graph as TFLite would run it: function calls inlined, ops in an execution
// order, each tensor a value with a kind. Internal to analyzer/footprint.
namespace litelint::footprint {

/// What a value holds, which decides where TFLite keeps it.
enum class ValueKind : std::uint8_t {
  Activation,  ///< computed at run time: lives in the arena
  Constant,    ///< a constant, a variable's value or computed from those only: a buffer
  Resource,    ///< a variable handle; `variable` names its node
};

/// One tensor of the flattened graph.
struct FlatValue {
  ir::TensorType type;
  ValueKind kind = ValueKind::Activation;
  std::int32_t producer = -1;  ///< index into FlatGraph::ops; -1 for none
  std::int32_t output = 0;     ///< output index of the producer
  /// Activations that share memory (Reshape, Identity of one buffer) share this index.
  std::int32_t buffer = -1;
  const ir::Node* variable = nullptr;  ///< VarHandleOp/VariableV2 behind a Resource/its value
};

/// One op in execution order; calls are inlined and have no op of their own.
struct FlatOp {
  const ir::Node* node = nullptr;
  const ir::Function* function = nullptr;  ///< the body it came from; nullptr: main graph
  std::vector<std::int32_t> inputs;        ///< data inputs; -1 where not resolved
  std::vector<std::int32_t> outputs;
};

/// The inlined graph.
struct FlatGraph {
  std::vector<FlatValue> values;
  std::vector<FlatOp> ops;             ///< execution order (a topological order)
  std::vector<std::int32_t> results;   ///< values the graph returns
  std::int32_t buffers = 0;            ///< activation buffers (FlatValue::buffer < buffers)
};

/// Inlines the calls the chosen outputs reach (PartitionedCall, StatefulPartitionedCall and
/// ops named for a library function) into one op list in post-order from the outputs.
/// Control-flow ops (While, If, Case) stay single ops. Iterative: a deep graph cannot
/// overflow the stack; recursion in the function library stops at a fixed depth.
FlatGraph flatten(const ir::Graph& graph, const MeasureOptions& options);

}  // namespace litelint::footprint
