#include "reports/report.h"

namespace litelint::reports {

std::size_t error_count(const ModelReport& model) {
  return model.ok() ? model.result.counts[static_cast<std::size_t>(rules::Severity::Error)] : 0;
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
