#pragma once

#include <cstddef>
#include <string>

#include "reports/report.h"

namespace litelint::reports {

/// GitHub rejects comments longer than this many characters; $GITHUB_STEP_SUMMARY takes more,
/// but one limit for both keeps the output usable in either place.
inline constexpr std::size_t kMarkdownLimit = 65535;

/// `--format markdown`: a summary for pull-request comments and $GITHUB_STEP_SUMMARY. Per
/// model: verdict line (✅ converts under the target, ❌ does not, ⚠️ unreadable), findings
/// counted by code, the Flex/custom ops the fallback needs, then every finding in a collapsed
/// <details>. A batch starts with a table of all models and the counts by code over the batch.
/// Never longer than `limit` bytes: what does not fit is left out and a note says so.
std::string render_markdown(const RunReport& run, std::size_t limit = kMarkdownLimit);

}  // namespace litelint::reports
