#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/ir/graph.h"

namespace litelint::rules {

/// One TF op type of a model and what TFLite makes of it, for op tables in reports.
struct OpCoverage {
  std::string op;
  std::int64_t count = 0;  ///< nodes, main graph and function bodies
  /// The op database's status ("builtin", "lowered", "flex-only", ...), or "unknown".
  std::string status;
  std::vector<std::string> builtins;  ///< TFLite builtins it becomes, main one first
  bool flex_allowlisted = false;      ///< on the Select TF ops allowlist
};

/// Op types of the graph (every node, every function body, calls excluded), sorted by name.
std::vector<OpCoverage> op_coverage(const ir::Graph& graph);

/// True when the status means "becomes TFLite builtins or disappears" (no fallback needed).
bool converts_natively(std::string_view status);

}  // namespace litelint::rules
