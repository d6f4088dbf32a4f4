#pragma once

#include <string>

#include "reports/report.h"

namespace litelint::reports {

/// How text output is decorated.
struct TextStyle {
  bool color = false;  ///< ANSI colours (a TTY without NO_COLOR)
};

/// `litelint check` for people, one model: compiler-style lines grouped by severity
/// (`<model>: error[LL101]: node 'x' (Erf): ...`, then the function path, source line and
/// suggestion), the fallback plan when one is needed, and a one-line summary.
std::string model_text(const ModelReport& model, const TextStyle& style = {});

/// `--format text`: every model's text; for a batch, then a summary table (model, format,
/// verdict, errors, warnings, Flex ops) and a totals line.
std::string render_text(const RunReport& run, const TextStyle& style = {});

}  // namespace litelint::reports
