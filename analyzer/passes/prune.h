#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "analyzer/ir/graph.h"
#include "analyzer/support/expected.h"

namespace litelint::passes {

/// Keeps only what the signature `signature_key` computes: main-graph nodes its outputs reach
/// backwards over data and control edges (plus its input nodes), the library functions those
/// nodes call (transitively, through any func-valued attr or an op naming a function), and the
/// variables and assets of kept nodes. Other signatures are dropped. Fails for an unknown key
/// (naming the available ones) or a signature tensor whose node does not exist.
Expected<void> prune_to_signature(ir::Graph& graph, std::string_view signature_key);

/// Keeps only what computes `outputs` ("node" or "node:1") from `inputs`: traversal stops at
/// the input nodes, which are kept. For GraphDefs, whose inputs/outputs the user names.
/// Signatures that refer to removed nodes are dropped. Fails when a name is not a node.
Expected<void> prune_to_outputs(ir::Graph& graph, const std::vector<std::string>& inputs,
                                const std::vector<std::string>& outputs);

}  // namespace litelint::passes
