#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/ir/graph.h"
#include "rules/engine/finding.h"

namespace litelint::rules {

/// The function whose body holds a finding's node ("" for the main graph).
std::string body_of(const FindingNode& node);

/// The nodes of the main graph ("") or of a function body; nullptr when there is no such body.
ir::NodeList* body_nodes(ir::Graph& graph, std::string_view body);
const ir::NodeList* body_nodes(const ir::Graph& graph, std::string_view body);

/// A reference to output `index` of `node` in `body`: graph syntax in the main graph, and the
/// OpDef output argument (`arg`, e.g. "z" for Mul) in a function body, as TensorFlow writes it.
ir::TensorRef output_ref(std::string_view body, std::string_view node, std::string_view arg,
                         std::int32_t index = 0);

/// Inserts `added` just before node `anchor` (so producers stay before their readers), or at
/// the end when there is no such node; the name index is rebuilt.
void insert_before(ir::NodeList& nodes, std::string_view anchor, std::vector<ir::Node> added);

/// Inserts `added` just after node `producer` (its readers come later), or first when there is
/// no such node (`producer` is a function argument); the name index is rebuilt.
void insert_after(ir::NodeList& nodes, std::string_view producer, ir::Node added);

/// A node name not yet taken in `nodes`: `base`, else `base_1`, `base_2`, ...
std::string unique_name(const ir::NodeList& nodes, const std::string& base);

/// "name (Op)", as --diff prints a node.
std::string describe(const ir::Node& node);

/// A short hex digest of what a rewrite depends on: each named node's op, inputs, attributes
/// and output types, in the order given. A plan stores it; a replay whose nodes digest
/// differently is stale. "" when a node is missing.
std::string subgraph_fingerprint(const ir::NodeList& nodes, const std::vector<std::string>& names);

/// Every node of `nodes` reading any output of `name` (data or control).
std::vector<const ir::Node*> consumers(const ir::NodeList& nodes, std::string_view name);

/// The value of a Const int32/int64 scalar (or one-element tensor) that `ref` names in
/// `nodes`; nullopt when it is not one.
std::optional<std::int64_t> const_int_scalar(const ir::NodeList& nodes, const ir::TensorRef& ref);

/// After a node of a function body changed op under the same name, its readers (and the
/// function's returns) must name the new op's output argument: rewrites every reference to
/// `node` in `body` to output argument `arg`. Nothing to do in the main graph.
void retarget_output_arg(ir::Graph& graph, std::string_view body, std::string_view node,
                         std::string_view arg);

}  // namespace litelint::rules
