#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "analyzer/ir/graph.h"
#include "analyzer/ir/model.h"

namespace litelint::ir {

/// Node counts per op type over a graph's main body and every function body. Nodes whose op
/// names a library function are calls, not op types, and are counted under `function_calls`.
struct OpHistogram {
  std::map<std::string, std::int64_t> ops;
  std::int64_t main_nodes = 0;
  std::int64_t function_nodes = 0;
  std::int64_t function_calls = 0;
};

/// Counts the op types of one graph (main body and function library).
OpHistogram op_histogram(const Graph& graph);

/// The sorted distinct op types of every graph of a TensorFlow model (every MetaGraph), not
/// counting direct calls of library functions: the `ops` of the corpus manifest.
std::vector<std::string> tf_op_types(const Model& model);

}  // namespace litelint::ir
