#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "analyzer/ir/graph.h"
#include "rules/engine/engine.h"
#include "rules/engine/lint_options.h"

namespace litelint::reports {

/// One node of a sketched graph: enough to draw it and to find it again in a viewer.
struct SketchNode {
  std::string name;
  std::string op;
  /// Position in its graph's node list (the main graph or a function body) in the model file;
  /// Model Explorer's TF adapters number nodes by this position.
  std::uint32_t index = 0;
  /// Sketched graphs (indices into GraphSketch::graphs) this node calls.
  std::vector<std::uint32_t> calls;
};

/// A data or control edge between two nodes of one sketched graph.
struct SketchEdge {
  std::uint32_t from = 0;  ///< index into SketchGraph::nodes
  std::uint32_t to = 0;
  bool control = false;
};

/// The main graph or one function body, possibly cut down to a bounded number of nodes.
struct SketchGraph {
  std::string function;  ///< "" for the main graph
  std::size_t total_nodes = 0;  ///< nodes of the whole graph (the sketch may keep fewer)
  std::vector<SketchNode> nodes;  ///< in graph order
  std::vector<SketchEdge> edges;

  bool truncated() const { return nodes.size() < total_nodes; }
};

/// The part of a model's graph that reports draw: the main-graph nodes the converted
/// signature depends on and the function bodies they reach, as the rule engine walks them.
/// Bounded: at most kMaxSketchGraphNodes per graph and kMaxSketchNodes in all; nodes that
/// findings name are kept first, so every offending node can be shown when it fits.
struct GraphSketch {
  std::vector<SketchGraph> graphs;  ///< main graph first, then functions in call order
  /// Reachable function bodies left out because the node budget was spent.
  std::size_t omitted_graphs = 0;

  bool empty() const { return graphs.empty(); }
};

/// Per-graph and overall node budgets of a sketch (a browser lays out a few thousand nodes
/// in well under a second; a report must stay a few MB even for large models).
inline constexpr std::size_t kMaxSketchGraphNodes = 2000;
inline constexpr std::size_t kMaxSketchNodes = 6000;

/// Sketches what `lint()` walked for `options`, keeping the nodes `result` reports on.
/// Deterministic: the same graph and findings give the same sketch.
GraphSketch sketch_graph(const ir::Graph& graph, const rules::LintOptions& options,
                         const rules::LintResult& result);

}  // namespace litelint::reports
