#pragma once

#include <string>
#include <vector>

#include "analyzer/footprint/budgets.h"
#include "analyzer/passes/infer_shapes.h"
#include "rules/engine/profiles.h"

namespace litelint::rules {

/// Everything `lint()` needs besides the graph: a plain struct with every default filled in
/// (cli/ merges flags and config into it).
struct LintOptions {
  Target target = Target::Builtins;
  bool allow_custom_ops = false;
  /// Signature whose outputs define what is converted; "" means `outputs` when given, else
  /// every signature (as from_saved_model without signature_keys), else every main-graph node.
  std::string signature;
  /// Input tensors ("node" or "node:1") for GraphDefs, as given to from_frozen_graph; empty
  /// means every placeholder the outputs depend on.
  std::vector<std::string> inputs;
  /// Output tensors ("node" or "node:1") for GraphDefs, as given to from_frozen_graph.
  std::vector<std::string> outputs;
  /// Code prefixes of the findings to report ("LL1", "LL201"); empty = all. The verdict and
  /// plan always use every rule: they are facts about the model, not about what is shown.
  std::vector<std::string> select;
  /// Code prefixes of findings not to report; wins over `select`.
  std::vector<std::string> ignore;
  /// True when TensorFlow imports the graph (analyze() sets it from the format: every
  /// TensorFlow format, not TF.js graph models, which litelint converts itself). The
  /// graph-import rules (LL410-LL415) run only then; graphs built in code leave it false.
  bool read_by_tensorflow = false;
  /// Inconsistencies found by passes::infer_shapes (ShapeReport::diagnostics).
  std::vector<passes::ShapeDiagnostic> shape_diagnostics;
  /// Size and cost limits (config `max-weight-bytes`, ...); the LL5xx rules check them.
  footprint::Budgets budgets;
};

}  // namespace litelint::rules
