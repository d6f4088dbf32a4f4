#pragma once

#include <span>
#include <string>
#include <unordered_set>

#include "analyzer/ir/graph.h"

// Patterns TFLite's optimizer fuses into one builtin, for ops whose database entry names a
// `fusion`: the fused nodes never need kernels of their own, so the engine does not lint them.
namespace litelint::rules {

/// One scope of the walk: the nodes of a function body (or the main graph) that survive dead
/// code elimination, and the tensors the scope returns ("node:out:0" in bodies, "node:0" in
/// graphs). `nodes` resolves names.
struct FusionScope {
  const ir::NodeList& nodes;
  std::span<const ir::Node* const> live;
  std::span<const std::string> results;
};

/// Nodes of `scope` that a fusion absorbs. A pattern matches as the optimizer's rewrite does:
/// f32 constants of exactly the pattern's values, and the intermediate results used once,
/// counting uses after common-subexpression elimination (two identical `0.5 * x` nodes are one
/// value with two uses, so two GELUs of one input fuse neither).
std::unordered_set<const ir::Node*> fused_nodes(const FusionScope& scope);

}  // namespace litelint::rules
