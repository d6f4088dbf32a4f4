#pragma once

#include <string>

#include "rules/engine/engine.h"

namespace litelint::reports {

/// `litelint check` for people: compiler-style lines grouped by severity
/// (`<model>: error[LL101]: node 'x' (Erf): ...`, then the source line and suggestion),
/// the fallback plan when one is needed, and a one-line summary.
std::string check_text(const rules::LintResult& result, const std::string& model_name);

}  // namespace litelint::reports
