#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/ir/model.h"
#include "rules/engine/engine.h"

// Loading a model for rule tests: the same steps `litelint check` takes (load, infer shapes,
// lint), without the CLI.
namespace litelint::testing {

/// Loads a text/binary GraphDef or a SavedModel; fails the test when it cannot.
ir::Model load_model(const std::filesystem::path& path);
/// Runs shape inference on the model's graph and lints it with `options` (shape diagnostics
/// are added to the options).
rules::LintResult check(ir::Model& model, rules::LintOptions options = {});

}  // namespace litelint::testing
