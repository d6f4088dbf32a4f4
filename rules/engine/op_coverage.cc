#include "rules/engine/op_coverage.h"

#include "analyzer/ir/op_stats.h"
#include "rules/engine/opdb.h"

namespace litelint::rules {

std::vector<OpCoverage> op_coverage(const ir::Graph& graph) {
  std::vector<OpCoverage> out;
  for (const auto& [op, count] : ir::op_histogram(graph).ops) {
    OpCoverage c;
    c.op = op;
    c.count = count;
    c.flex_allowlisted = on_flex_allowlist(op);
    if (const TfOpInfo* info = find_tf_op(op)) {
      c.status = std::string(to_string(info->status));
      // A fusion entry's builtin (Erf -> GELU) is what a whole pattern becomes, not the op.
      if (info->fusion.empty()) {
        for (auto b : info->builtins) c.builtins.emplace_back(b);
      }
    } else {
      c.status = "unknown";
    }
    out.push_back(std::move(c));
  }
  return out;  // op_histogram's map is already sorted by op name
}

bool converts_natively(std::string_view status) {
  return status == "builtin" || status == "lowered" || status == "removed" || status == "io" ||
         status == "control-flow" || status == "control-flow-v1" || status == "variable" ||
         status == "hash-table" || status == "tensor-list" || status == "training" ||
         status == "internal";
}

}  // namespace litelint::rules
