#pragma once

#include <vector>

#include "analyzer/ir/graph.h"

namespace litelint::passes {

/// Which nodes of a function body survive TensorFlow's import: the nodes that the function's
/// results (`ret`) and control results (`control_ret`) reach backwards over data and control
/// edges. The converter's importer prunes every other node (tf_executor graph pruning) before
/// any legalization, so ops only there never need a kernel. tf.function lists every stateful
/// op it must run (variable writes, asserts, prints) in `control_ret`, which keeps them.
/// Indexed like `fn.body.nodes()`.
std::vector<bool> live_body_nodes(const ir::Function& fn);

}  // namespace litelint::passes
