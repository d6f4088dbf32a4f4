#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "analyzer/ir/model.h"
#include "analyzer/support/expected.h"
#include "cli/commands.h"
#include "rules/engine/analyze.h"

namespace litelint::cli {

/// Adds `litelint fix`: applies the fixes rules offer, re-checks, and optionally converts the
/// fixed graph, writes it as a frozen GraphDef, or saves the decisions as a plan.
void register_fix(CLI::App& app, CommandSet& commands);

/// Reads the plan at `plan_path` and replays it on a copy of `model` (`convert --plan`): the
/// analysis of the rewritten model. Fails naming the plan file when it cannot be read, its
/// target is not `options.lint.target`, or an entry is stale.
Expected<rules::Analysis> replay_plan_file(const std::string& plan_path, const ir::Model& model,
                                           const rules::AnalyzeOptions& options);

}  // namespace litelint::cli
