#pragma once

#include "analyzer/ir/graph.h"
#include "analyzer/support/expected.h"

// TF1 control flow (Switch/Merge conditionals, Enter/Merge/Switch/LoopCond/NextIteration/Exit
// loop frames) rewritten into If and While nodes whose branches, cond and body are new
// library functions, as TensorFlow's converter functionalizes a graph before importing it.
namespace litelint::converter::import {

/// True when the main graph holds TF1 control-flow ops (Switch, Merge, Enter, ...).
bool has_v1_control_flow(const ir::Graph& graph);

/// Replaces each while frame of the main graph (innermost first) by a While node and then
/// each Switch/Merge conditional (in the main graph and in the new loop bodies) by an If
/// node. The new functions are added to `graph.functions` in function-body form: arguments
/// are read by bare name, other body nodes in graph syntax ("node:1"). Fails with a one-line
/// reason naming a node when a structure is not one TensorFlow functionalizes.
Expected<void> functionalize_control_flow(ir::Graph& graph);

}  // namespace litelint::converter::import
