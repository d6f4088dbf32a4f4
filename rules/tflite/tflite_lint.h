#pragma once

#include <vector>

#include "analyzer/ir/tflite_model.h"
#include "rules/engine/engine.h"
#include "rules/engine/lint_options.h"
#include "rules/engine/op_coverage.h"

namespace litelint::rules {

/// Lints an existing .tflite model for the runtime and delegate of `options.target`: Select
/// TF ops, custom ops, the runtime its op versions need, and under delegate targets which
/// ops the delegate takes. Findings name operators "subgraph S / op I (CONV_2D)"; the verdict
/// and plan say what the runtime needs (Flex delegate, custom op registrations). Never fails.
LintResult lint_tflite(const ir::TfliteModel& model, const LintOptions& options);

/// The op table of a .tflite for reports: builtin names and "CUSTOM:<code>" with their
/// operator counts over every subgraph, sorted by name.
std::vector<OpCoverage> op_coverage_tflite(const ir::TfliteModel& model);

}  // namespace litelint::rules
