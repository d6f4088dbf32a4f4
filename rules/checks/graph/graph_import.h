#pragma once

#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "analyzer/ir/function_refs.h"
#include "analyzer/ir/graph.h"
#include "rules/engine/rule_context.h"

// What the graph-import rules (LL410-LL413) share: which graphs TensorFlow reads with
// tf.compat.v1.import_graph_def, and which function bodies that import instantiates.
namespace litelint::rules::checks {

/// True when TFLiteConverter reads the graph with tf.compat.v1.import_graph_def (and
/// import_meta_graph): frozen GraphDefs, MetaGraphs and TF1 SavedModels. That importer runs
/// with allow_internal_ops = false and validates `_output_shapes`, and Python's side of it
/// turns every library FunctionDef into a _DefinedFunction. TF2 SavedModels (with an object
/// graph) are imported by the converter's own SavedModel loader instead.
inline bool imported_by_import_graph_def(const RuleContext& ctx) {
  return ctx.options().read_by_tensorflow && !ctx.graph().has_object_graph;
}

/// True when TensorFlow imports the graph at all (every format but TF.js graph models).
inline bool read_by_tensorflow(const RuleContext& ctx) { return ctx.options().read_by_tensorflow; }

/// Library functions the main graph reaches, directly or through other functions, in
/// breadth-first order; only those with a loaded body.
inline std::vector<const ir::Function*> reachable_functions(const ir::Graph& graph) {
  std::vector<const ir::Function*> out;
  std::unordered_set<std::string_view> seen;
  auto visit = [&](const std::string& name) {
    const ir::Function* f = graph.find_function(name);
    if (f != nullptr && seen.insert(f->name).second) out.push_back(f);
  };
  for (const auto& node : graph.nodes.nodes()) ir::for_each_function_ref(node, visit);
  for (std::size_t i = 0; i < out.size(); ++i) {
    const ir::Function* f = out[i];
    ir::for_each_function_ref(*f, visit);
    for (const auto& node : f->body.nodes()) ir::for_each_function_ref(node, visit);
  }
  std::erase_if(out, [](const ir::Function* f) { return !f->body_loaded; });
  return out;
}

/// Reports at `node` of `fn` (nullptr: the main graph), which the engine's walk may not
/// have visited: TensorFlow imports the whole graph, not only what the outputs need.
inline FindingBuilder report_at(RuleContext& ctx, const ir::Node& node, const ir::Function* fn,
                                std::string cause) {
  VisitedNode at{.node = &node, .function = fn, .path = 0};
  // The walk's entry, when it has one, carries the call path into the function.
  for (const auto& v : ctx.visited()) {
    if (v.node == &node) {
      at = v;
      break;
    }
  }
  ctx.focus(at);
  return ctx.report(node, std::move(cause));
}

}  // namespace litelint::rules::checks
