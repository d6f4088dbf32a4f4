#include "reports/report.h"

#include <algorithm>

namespace litelint::reports {

std::size_t error_count(const ModelReport& model) {
  return model.ok() ? model.result.counts[static_cast<std::size_t>(rules::Severity::Error)] : 0;
}

const FindingFix* fix_for(const ModelReport& model, const rules::Finding& finding) {
  if (finding.nodes.empty()) return nullptr;
  // By code and any node of the finding as found: --baseline may have dropped its first nodes.
  const std::string& name = finding.nodes.front().name;
  for (const auto& fix : model.fixes) {
    if (fix.code == finding.code && std::ranges::find(fix.nodes, name) != fix.nodes.end()) return &fix;
  }
  return nullptr;
}

int exit_code(const RunReport& run) {
  int code = 0;
  for (const auto& m : run.models) {
    if (!m.ok()) return 2;
    if (error_count(m) > 0) code = 1;
  }
  return code;
}

}  // namespace litelint::reports
