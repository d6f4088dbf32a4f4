#pragma once

#include <filesystem>
#include <string>

#include "analyzer/ir/graph.h"
#include "reports/report.h"

namespace litelint::testing {

/// Runs what `litelint check` runs on one model (load, shapes, lint, op coverage, sketch)
/// with default settings, in process; fails the test when the model cannot be read.
reports::ModelReport check_model(const std::filesystem::path& path, ir::Graph* graph_out = nullptr);

/// A one-model (or batch) run around `models`.
reports::RunReport run_of(std::vector<reports::ModelReport> models, bool batch = false);

}  // namespace litelint::testing
