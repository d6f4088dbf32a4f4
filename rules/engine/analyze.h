#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/footprint/footprint.h"
#include "analyzer/ir/model.h"
#include "analyzer/loaders/load.h"
#include "analyzer/support/expected.h"
#include "rules/engine/engine.h"
#include "rules/engine/lint_options.h"
#include "rules/engine/op_coverage.h"

namespace litelint::rules {

/// Everything analyze() needs besides the path: how to load, how to lint, what to hide.
/// cli/ fills it from flags and the config file; `check`, `convert` and `fix` share it.
struct AnalyzeOptions {
  analyzer::LoadOptions load;
  LintOptions lint;
  /// Node-name glob -> code prefixes whose findings are dropped for matching nodes.
  std::map<std::string, std::vector<std::string>> per_node_ignores;
  /// --input-shape: fixed shapes for graph inputs (by Placeholder name or signature input key),
  /// set before shape inference as TFLiteConverter's input_shapes does.
  std::map<std::string, ir::Shape> input_shapes;
};

/// What reports say about the model file, known as soon as it is loaded.
struct ModelFacts {
  std::string format;      ///< ir::format_name ("savedmodel", ...)
  std::uint64_t size = 0;  ///< bytes of the model's files
  std::string sha256;      ///< of the main file; "" when it could not be read again
};

/// Wall-clock milliseconds per stage of one analysis.
struct StageTimes {
  double load_ms = 0;
  double shapes_ms = 0;
  double lint_ms = 0;
  double total_ms = 0;
};

/// One model loaded, normalized and linted: the input of every later stage (fix, convert,
/// report). It owns the model; callers move it on rather than copy it.
struct Analysis {
  ir::Model model;
  /// The options lint() ran with, shape diagnostics included (the graph sketch reads them).
  LintOptions lint;
  LintResult result;  ///< after per-node ignores
  std::vector<OpCoverage> op_coverage;
  StageTimes times;
  footprint::Footprint footprint;  ///< sizes and costs of the converted part of the graph
};

/// format, size and SHA-256 of a loaded model, for reports. Hashes the main file (from the
/// loader's mapping when it kept one), so call it once.
ModelFacts model_facts(const ir::Model& model);

/// normalize → lint over a loaded model: shape inference, the --inputs/--outputs check, the
/// rules, per-node ignores and op coverage. Fails (ErrorCode::Usage, naming the model's path)
/// when --inputs/--outputs name no tensor of the graph; otherwise never fails. `times.load_ms`
/// stays 0: the caller loaded the model (`check` does, to report the file's facts even when
/// the arrays are wrong; `fix` re-lints a rewritten model this way).
Expected<Analysis> analyze(ir::Model model, const AnalyzeOptions& options);

/// load → normalize → lint: the entry point `check`, `convert` and `fix` call for one path.
/// Fails when the model cannot be read or its --inputs/--outputs are wrong; the error's
/// message() is the one line the CLI prints.
Expected<Analysis> analyze(const std::filesystem::path& path, const AnalyzeOptions& options);

/// Shell-style glob over node names: '*' any run of characters, '?' one character.
bool glob_match(std::string_view pattern, std::string_view name);

}  // namespace litelint::rules
