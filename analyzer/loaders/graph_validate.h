#pragma once

#include "analyzer/ir/graph.h"
#include "analyzer/proto/op_def.pb.h"
#include "analyzer/support/expected.h"

namespace litelint::analyzer {

/// Whether Const nodes must carry their `value` attr: TensorFlow requires it, TF.js graph
/// models drop it and keep the bytes in weight shards.
enum class ConstValues { Required, External };

/// Checks the structure that TensorFlow's GraphDef importer checks, so that a graph
/// TensorFlow would refuse is refused here too, with the node named:
///  - node names: non-empty, unique (also against function arguments in a body), and for
///    top-level nodes TensorFlow's character set; op types non-empty;
///  - inputs: every data or control input names an existing node (in a function body: a body
///    node or a function argument), control inputs come after data inputs, and an output index
///    or output-argument name exists on the producing op when its outputs are known (from the
///    MetaGraph's stripped op list `declared_ops`, the function library, or a small table of
///    common ops);
///  - attributes: no empty keys, no function reference without a name, no `placeholder`
///    outside a function body, Const nodes carry a `value` tensor (with ConstValues::Required);
///  - functions: non-empty unique names, every output argument in `ret` and every control
///    output in `control_ret`, and their values name existing tensors/nodes.
/// Cycles are allowed (TF1 loops use NextIteration back edges). All problems are found in one
/// pass; the Error gives the first and how many more there are.
Expected<void> validate_graph(const ir::Graph& graph, const tensorflow::OpList* declared_ops,
                              ConstValues const_values = ConstValues::Required);

}  // namespace litelint::analyzer
