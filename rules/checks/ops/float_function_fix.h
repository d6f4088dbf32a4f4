#pragma once

// Shared pieces of the fixes that replace a float32 special function (Erfc, Erfinv, Igamma)
// by builtin element-wise math ending in a SelectV2: which nodes they match, the node a match
// names, and the SelectV2 that takes over the replaced node's name.
#include <cstddef>
#include <string>
#include <vector>

#include "analyzer/support/expected.h"
#include "rules/checks/node_builder.h"
#include "rules/engine/fix.h"

namespace litelint::rules {

/// Whether `node` is a float32 `op` with `data_inputs` data inputs; else false, with why not
/// when it is such an op.
bool is_float32_function(const ir::Node& node, const std::string& op, std::size_t data_inputs, std::string& why_not);

/// One match of fix `fix_id` per node of `finding` (an `op` finding) is_float32_function
/// accepts, summarised "compute <op> '<name>' <how>".
std::vector<FixMatch> match_float32_functions(const Finding& finding, const ir::Graph& graph, const std::string& op,
                                              std::size_t data_inputs, const std::string& fix_id,
                                              const std::string& how, std::string& why_not);

/// A copy of the node `match` names (the rewrite changes the body), or why it is not one to replace.
Expected<ir::Node> float32_function_node(const ir::Graph& graph, const FixMatch& match, const std::string& op,
                                         std::size_t data_inputs);

/// Inserts the built nodes and turns the replaced node `original` into SelectV2(cond, x, y);
/// it keeps its name, so its readers keep their references.
void select_into_replaced(ir::Graph& graph, ir::NodeList& nodes, NodeBuilder& b, GraphEdit& edit,
                          const ir::Node& original, ir::TensorRef cond, ir::TensorRef x, ir::TensorRef y);

}  // namespace litelint::rules
