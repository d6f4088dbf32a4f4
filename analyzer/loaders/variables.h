#pragma once

#include "analyzer/ir/graph.h"
#include "analyzer/loaders/tensor_bundle.h"
#include "analyzer/proto/saved_object_graph.pb.h"
#include "analyzer/support/expected.h"

namespace litelint::analyzer {

/// Connects a SavedModel graph's variables to their checkpoint tensors.
///
/// For every top-level variable node of `graph` (VarHandleOp, VariableV2, Variable) it makes
/// sure `graph.variables` has an entry (existing entries, matched by node_name, are completed,
/// not duplicated; entries are in node order) and fills `dtype`/`shape` from the node, then
/// `checkpoint_key`, `object_path` and a lazy `value` from `bundle`. The key is found, in order:
///  1. through the restore function the graph calls (a top-level call whose function runs
///     RestoreV2 and assigns its outputs to resource arguments): TF2 and TF1-resource graphs;
///  2. through the object graph: a call to a concrete function whose `bound_inputs` name a
///     SavedObjectGraph variable node, whose TrackableObjectGraph twin (matched by walking
///     both graphs by child name) has the VARIABLE_VALUE checkpoint key;
///  3. by name: the node name, then its `shared_name` attr (TF1 name-based checkpoints).
/// `object_path` is the chain of child names from the root ("layer_with_weights-1/kernel");
/// it is empty without an object graph (TF1; `object_graph` may be null) and for optimizer
/// slot variables, which hang off no child edge. With a key found, dtype and shape come from
/// the checkpoint entry.
///
/// A variable whose key is not in the bundle keeps an empty checkpoint_key and no value
/// (not an error: TF allows uninitialized variables). Errors: a checkpoint tensor whose dtype
/// or shape contradicts the variable node, or an object graph that cannot be read.
Expected<void> attach_variables(ir::Graph& graph, const tensorflow::SavedObjectGraph* object_graph,
                                const TensorBundle& bundle);

}  // namespace litelint::analyzer
