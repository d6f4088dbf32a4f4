#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "reports/report.h"

namespace litelint::reports {

/// Home of the project; SARIF's informationUri, and the base of every rule's helpUri
/// (`<kRepositoryUrl>/blob/main/docs/rules/<CODE>-<name>.md`).
inline constexpr std::string_view kRepositoryUrl = "https://github.com/litelint/litelint";

/// `--format sarif`: one SARIF 2.1.0 log with one run for all models: every registered rule,
/// one result per finding and Python source line (nodes without debug info share one result
/// located at the model file, with the nodes as logical locations), the model files as
/// artifacts, unreadable models as tool execution notifications. Pretty-printed, ends in a
/// newline.
std::string render_sarif(const RunReport& run);

// Locations shared by the annotation formats (SARIF and GitHub workflow commands).

/// The file a code-scanning annotation about the whole model points at: the model path
/// itself for a file, the main file inside a directory model (saved_model.pb, model.json).
std::string model_main_file(const ModelReport& model);

/// The nodes of one finding that share a Python source line (or have none).
struct NodeGroup {
  const rules::SourceLocation* location = nullptr;  ///< null: nodes without debug info
  std::vector<const rules::FindingNode*> nodes;     ///< in graph order, at least one
};

/// Splits a finding's nodes by Python file:line, in order of first appearance; the nodes
/// without a location form one group. One annotation per group keeps a finding on 300 nodes
/// of one layer to one line in the PR instead of 300.
std::vector<NodeGroup> group_by_source_line(const rules::Finding& finding);

/// The finding's message for a subset of its nodes, worded as the engine words groups.
std::string group_message(const rules::Finding& finding, const NodeGroup& group);

}  // namespace litelint::reports
