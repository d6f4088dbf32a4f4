#pragma once

#include <array>
#include <cstddef>
#include <functional>
#include <vector>

#include "analyzer/ir/graph.h"
#include "rules/engine/finding.h"
#include "rules/engine/lint_options.h"
#include "rules/engine/plan.h"
#include "rules/engine/profiles.h"
#include "rules/engine/verdict.h"

namespace litelint::rules {

/// Everything `lint()` found about one graph.
struct LintResult {
  /// Reported findings (after `select`/`ignore`), grouped by cause, sorted by severity,
  /// code, then the first node's position in the walk.
  std::vector<Finding> findings;
  Profile profile;
  /// The model's verdict over all modes, and whether it converts under `profile`.
  Verdict verdict = Verdict::ConvertsWithBuiltins;
  bool converts = true;
  /// Per mode (indexed by Mode): does the conversion succeed.
  std::array<bool, 4> converts_in_mode{true, true, true, true};
  Plan plan;
  std::size_t nodes_checked = 0;      ///< nodes visited, main graph and function bodies
  std::size_t functions_checked = 0;  ///< function bodies visited
  /// Reported findings per severity (indexed by Severity).
  std::array<std::size_t, 3> counts{0, 0, 0};
  /// How this result's findings word their nodes; drop_nodes() rewords shortened groups with it.
  GroupMessageFn message_for = group_message;
};

/// Runs every rule that applies to the target over the graph in one walk: the main-graph
/// nodes that the chosen signature's outputs (or `options.outputs`) depend on, and every
/// function reachable from them through func-valued attributes or function-named ops. Never
/// stops at the first problem; never fails (an op the DB does not know is a finding).
LintResult lint(const ir::Graph& graph, const LintOptions& options);

/// Completes `result` (its profile set) from every finding of a model, grouped, messages set,
/// in first-seen order: the verdict, per-mode outcome and plan come from all of them; the
/// reported findings are those `options.select`/`ignore` keep, sorted by severity and code.
/// Shared by lint() and the .tflite linter.
void finish_result(LintResult& result, std::vector<Finding> all, const LintOptions& options);

/// Says whether one node of a finding is suppressed; a finding without nodes is asked once
/// with an empty FindingNode.
using NodeFilter = std::function<bool(const Finding&, const FindingNode&)>;

/// Removes suppressed nodes (per-node ignores, baselines): findings left with no node go,
/// shortened groups get a message naming only what is left, counts are recomputed. Verdict and
/// plan stay: they describe the model, not what a team chose to look at. Returns the number of
/// nodes (or nodeless findings) removed.
std::size_t drop_nodes(LintResult& result, const NodeFilter& drop);

}  // namespace litelint::rules
