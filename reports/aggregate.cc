#include "reports/aggregate.h"

namespace litelint::reports {

Aggregate aggregate(const RunReport& run) {
  Aggregate a;
  for (const auto& m : run.models) {
    ++a.models;
    if (!m.ok()) {
      ++a.unreadable;
      continue;
    }
    const auto& r = m.result;
    ++a.verdicts[std::string(rules::to_string(r.verdict))];
    if (r.converts) ++a.converting;
    for (const auto& f : r.findings) ++a.findings_by_code[f.code];
    a.errors += r.counts[0];
    a.warnings += r.counts[1];
    a.notes += r.counts[2];
    for (const auto& op : m.op_coverage) {
      auto& agg = a.ops[op.op];
      agg.nodes += op.count;
      ++agg.models;
      agg.status = op.status;
    }
    for (const auto& op : r.plan.flex_ops) ++a.flex_ops[op];
    for (const auto& op : r.plan.custom_ops) ++a.custom_ops[op];
    a.bytes += m.size;
  }
  std::size_t native = 0;
  for (const auto& [op, agg] : a.ops) native += rules::converts_natively(agg.status) ? 1 : 0;
  if (!a.ops.empty()) a.op_coverage = static_cast<double>(native) / static_cast<double>(a.ops.size());
  return a;
}

}  // namespace litelint::reports
