#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "reports/report.h"

namespace litelint::reports {

/// Model Explorer node-data value of a node by its worst finding: note 1, warning 2, error 3.
int model_explorer_score(rules::Severity severity);

/// One model's overlay in Model Explorer's node-data format (its `ModelNodeData`): an object
/// keyed by graph id ("main" for the main graph, the function name for a function body), each
/// {"results": {node id: {"value": score}}, "thresholds": [...]}. Node ids are those of
/// Model Explorer's "TF adapter (direct)" and "GraphDef adapter": the node's position in its
/// graph, plus one inside functions (their node 0 is "GraphInputs"). Only graphs with
/// findings appear; an unreadable model gives {}.
nlohmann::json model_explorer_json(const ModelReport& model);

/// `--format model-explorer`: for one model its overlay, loadable in Model Explorer as is;
/// for a batch an object keyed by model path whose values are the overlays (extract one with
/// `jq '.["path"]'`), since Model Explorer reads one overlay per model graph.
std::string render_model_explorer(const RunReport& run);

}  // namespace litelint::reports
