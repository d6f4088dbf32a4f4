#pragma once

#include <string>

#include "reports/report.h"

namespace litelint::reports {

/// `--format github`: one GitHub Actions workflow command per finding and Python source line
/// (`::error file=model.py,line=12,title=LL101 select-tf-op::node 'x' (Erf): ...`; warning
/// and notice for the other severities), at the Python line from debug info when known, else
/// at the model file; one `::error` per unreadable model. Data and properties are escaped as
/// the Actions runner unescapes them (%, CR, LF; also ':' and ',' in properties).
std::string render_github(const RunReport& run);

}  // namespace litelint::reports
