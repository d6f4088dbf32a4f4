#include "analyzer/ir/op_stats.h"

#include <set>
#include <unordered_set>

namespace litelint::ir {
namespace {

void count_nodes(const NodeList& nodes, const std::unordered_set<std::string>& functions,
                 OpHistogram& hist, std::int64_t& node_counter) {
  for (const auto& node : nodes.nodes()) {
    ++node_counter;
    if (functions.count(node.op)) {
      ++hist.function_calls;
      continue;
    }
    ++hist.ops[node.op];
  }
}

}  // namespace

OpHistogram op_histogram(const Graph& graph) {
  std::unordered_set<std::string> functions;
  for (const auto& f : graph.functions) functions.insert(f.name);
  OpHistogram hist;
  count_nodes(graph.nodes, functions, hist, hist.main_nodes);
  for (const auto& f : graph.functions) {
    count_nodes(f.body, functions, hist, hist.function_nodes);
    for (const auto& op : f.node_ops) {  // a body the loader did not build
      ++hist.function_nodes;
      if (functions.count(op)) ++hist.function_calls;
      else ++hist.ops[op];
    }
  }
  return hist;
}

std::vector<std::string> tf_op_types(const Model& model) {
  std::set<std::string> ops;
  for (const auto& graph : model.graphs) {
    for (const auto& [op, count] : op_histogram(graph).ops) ops.insert(op);
    for (const auto& op : graph.uncallable_function_ops) ops.insert(op);
  }
  return {ops.begin(), ops.end()};
}

}  // namespace litelint::ir
