#pragma once

// The matching the one-node fixes share: a `plan_for` check that yields what the rewrite needs
// (a plan, an axis, an order; empty and why not when the node cannot be rewritten), one match
// per finding node it accepts, and the same check again when the match is applied.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "analyzer/support/expected.h"
#include "rules/engine/fix.h"
#include "rules/engine/fix_graph.h"

namespace litelint::rules {

/// One match of fix `fix_id` per node of `finding` that `plan_for(graph, body, node, why_not)`
/// accepts (an optional with a value), summarised by `summary(node, plan)`.
template <typename PlanFor, typename Summary>
std::vector<FixMatch> match_planned_nodes(const Finding& finding, const ir::Graph& graph, const std::string& fix_id,
                                          std::string& why_not, PlanFor&& plan_for, Summary&& summary) {
  std::vector<FixMatch> out;
  for (const auto& fn : finding.nodes) {
    const std::string body = body_of(fn);
    const ir::NodeList* nodes = body_nodes(graph, body);
    const ir::Node* node = nodes ? nodes->find(fn.name) : nullptr;
    if (node == nullptr) continue;
    auto plan = plan_for(graph, body, *node, why_not);
    if (!plan) continue;
    FixMatch m;
    m.fix_id = fix_id;
    m.body = body;
    m.nodes = {node->name};
    m.summary = summary(*node, *plan);
    out.push_back(std::move(m));
  }
  return out;
}

/// A copy of the node `match` names (the rewrite changes the body) and its plan, or why it
/// cannot be rewritten ("no rewritable <what>: ...").
template <typename PlanFor>
auto planned_node(const ir::Graph& graph, const FixMatch& match, const std::string& what, PlanFor&& plan_for)
    -> Expected<std::pair<ir::Node, typename decltype(plan_for(graph, match.body, std::declval<const ir::Node&>(),
                                                               std::declval<std::string&>()))::value_type>> {
  const ir::NodeList* nodes = body_nodes(graph, match.body);
  const ir::Node* node = nodes && !match.nodes.empty() ? nodes->find(match.nodes.front()) : nullptr;
  std::string why;
  auto plan = node ? plan_for(graph, match.body, *node, why) : std::nullopt;
  if (!plan) return fail(ErrorCode::BadInput, "no rewritable " + what + ": " + why);
  return std::pair{*node, std::move(*plan)};
}

}  // namespace litelint::rules
