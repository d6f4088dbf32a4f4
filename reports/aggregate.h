#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "reports/report.h"

namespace litelint::reports {

/// Per op type over a batch.
struct AggregateOp {
  std::int64_t nodes = 0;
  std::int64_t models = 0;
  std::string status;
};

/// What a dashboard wants over a whole batch, derived from the per-model reports only.
struct Aggregate {
  std::size_t models = 0;
  std::size_t unreadable = 0;
  std::map<std::string, std::size_t> verdicts;  ///< verdict name -> models
  std::size_t converting = 0;                   ///< models that convert under the target
  std::map<std::string, std::size_t> findings_by_code;  ///< code -> findings (groups)
  std::size_t errors = 0, warnings = 0, notes = 0;
  std::map<std::string, AggregateOp> ops;              ///< op coverage over all models
  std::map<std::string, std::size_t> flex_ops;         ///< Flex op -> models needing it
  std::map<std::string, std::size_t> custom_ops;       ///< custom op -> models needing it
  std::uint64_t bytes = 0;
  /// Share of distinct op types that convert without a fallback (0..1; 1 when no ops).
  double op_coverage = 1;
};

Aggregate aggregate(const RunReport& run);

}  // namespace litelint::reports
