#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "analyzer/footprint/footprint.h"
#include "reports/graph_sketch.h"
#include "rules/engine/engine.h"
#include "rules/engine/op_coverage.h"
#include "rules/engine/rule.h"

namespace litelint::reports {

/// Wall-clock milliseconds spent on one model, per stage.
struct Timings {
  double load_ms = 0;
  double shapes_ms = 0;
  double lint_ms = 0;
  double total_ms = 0;
};

/// The rewrite `litelint fix` would first propose for one finding (rules::proposals_for).
struct FindingFix {
  std::string code;                ///< the finding's rule code
  std::vector<std::string> nodes;  ///< the finding's node names when it was found
  std::string id;                  ///< the fix id, as in plans: "narrow-float64"
  rules::Applicability safety = rules::Applicability::Safe;
  std::string title;    ///< what the fix does: "compute in float32"
  std::string change;   ///< the tolerance or interface change; "" for safe fixes
  std::string summary;  ///< this rewrite: "narrow 3 float64 nodes in 'f' to float32"
};

/// Everything `litelint check` learned about one model: the input every renderer reads.
/// A model that could not be read has `error` set and an empty `result`.
struct ModelReport {
  std::string path;    ///< as given on the command line or found by --recursive
  std::string format;  ///< ir::format_name ("savedmodel", ...), "" when unreadable
  std::string sha256;  ///< of the main file (saved_model.pb, model.json, the .pb itself)
  std::uint64_t size = 0;  ///< bytes of the model's files
  std::string error;   ///< the one-line reason when the model could not be read
  rules::LintResult result;
  std::vector<rules::OpCoverage> op_coverage;
  Timings timings;
  /// Findings (node occurrences) dropped because the baseline already had them.
  std::size_t baseline_suppressed = 0;
  /// The walked graph, bounded, for the HTML graph view and the Model Explorer overlay.
  GraphSketch graph;
  /// Fixes offered for the findings (at most one each, none for .tflite models); looked up
  /// with fix_for, which survives --baseline dropping nodes.
  std::vector<FindingFix> fixes;
  /// Parameters, weight bytes, MACs and peak activations (analyzer/footprint).
  footprint::Footprint footprint;

  bool ok() const { return error.empty(); }
};

/// One `litelint check` run over one or more models.
struct RunReport {
  std::string tool_version;  ///< LITELINT_VERSION
  rules::Profile profile;    ///< the requested target
  std::vector<ModelReport> models;
  /// True for several paths or --recursive: renderers then write the aggregate form.
  bool batch = false;
  std::string baseline;  ///< the --baseline file, "" when none
};

/// Exit status of the run, as for one model: 2 if any model was unreadable, else 1 if any
/// error-severity finding remains, else 0.
int exit_code(const RunReport& run);

/// The fix offered for `finding` of `model`, or nullptr.
const FindingFix* fix_for(const ModelReport& model, const rules::Finding& finding);

/// Error-severity findings of one model (0 for an unreadable one).
std::size_t error_count(const ModelReport& model);

}  // namespace litelint::reports
