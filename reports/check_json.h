#pragma once

#include <nlohmann/json.hpp>

#include "rules/engine/engine.h"

namespace litelint::reports {

/// `litelint check --format json` for one model: top-level `verdict`, `converts` (under the
/// requested target), `target`, `allow_custom_ops`, `modes` (converts per converter mode),
/// `findings` (code, rule, severity, message, op, nodes with path and source, suggestion,
/// impact), `plan` (`flex_ops`, `custom_ops`, converter snippet, size, ...) and `summary`.
nlohmann::json check_json(const rules::LintResult& result);

}  // namespace litelint::reports
