#pragma once

// Shared pieces of the fixes that unroll small-matrix ops (Cholesky, MatrixInverse,
// MatrixDeterminant) into element-wise math: which nodes they match, the entries of the
// matrices (RESHAPE to [-1, n*n], UNPACK) and the final PACK and RESHAPE that takes over the
// replaced node's name.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "analyzer/support/expected.h"
#include "rules/checks/node_builder.h"
#include "rules/engine/fix.h"

namespace litelint::rules {

/// The static input shape of a float32 `op` node of square matrices of order 1 to `max_order`;
/// else nullopt, with why not when it is such a node.
std::optional<ir::Shape> unrollable_matrices(const ir::Node& node, const ir::NodeList& nodes, const std::string& op,
                                             std::int64_t max_order, std::string& why_not);

/// A copy of the node `match` names (the rewrite changes the body) and its input shape, or why it
/// cannot be unrolled ("no unrollable <op>: ...").
Expected<std::pair<ir::Node, ir::Shape>> unrollable_node(const ir::Graph& graph, const FixMatch& match,
                                                         const std::string& op, std::int64_t max_order);

/// The matrix order of a node a fix can unroll; else nullopt and why not.
using MatrixOrder = std::function<std::optional<std::int64_t>(const ir::Node&, const ir::NodeList&, std::string&)>;
/// The summary of a match of node `name` of order `n`.
using MatrixSummary = std::function<std::string(const std::string& name, std::int64_t n)>;

/// One match of fix `fix_id` per node of `finding` (an `op` finding) that `order` accepts.
std::vector<FixMatch> match_matrix_nodes(const Finding& finding, const ir::Graph& graph, const std::string& op,
                                         const std::string& fix_id, const MatrixOrder& order,
                                         const MatrixSummary& summary, std::string& why_not);

/// match_matrix_nodes for the nodes unrollable_matrices accepts (order up to `max_order`).
std::vector<FixMatch> match_unrollable_matrices(const Finding& finding, const ir::Graph& graph, const std::string& op,
                                                std::int64_t max_order, const std::string& fix_id,
                                                const MatrixSummary& summary, std::string& why_not);

/// The n*n entries of the matrices `in`, flattened and unpacked: the name of the Unpack node
/// (`b.out(name, i * n + j)` is entry (i, j)).
std::string unpack_entries(NodeBuilder& b, const ir::TensorRef& in, std::int64_t n);

/// Packs the n*n `entries`, inserts the built nodes and turns the replaced node `original` into
/// the Reshape of them to `shape`; it keeps its name, so its readers keep their references.
void reshape_into_replaced(ir::Graph& graph, ir::NodeList& nodes, NodeBuilder& b, GraphEdit& edit,
                           const ir::Node& original, const std::vector<ir::TensorRef>& entries,
                           const ir::Shape& shape);

}  // namespace litelint::rules
