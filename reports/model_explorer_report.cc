#include "reports/model_explorer_report.h"

#include <algorithm>
#include <map>
#include <string_view>
#include <unordered_map>

#include "reports/json_report.h"

namespace litelint::reports {
namespace {

using nlohmann::json;

// Model Explorer's own name for the main graph of a GraphDef or MetaGraph.
constexpr std::string_view kMainGraphId = "main";

// Colours by score; a threshold item covers values up to and including its `value`.
json thresholds_json() {
  return json::array({
      {{"value", 1}, {"bgColor", "#bbdefb"}, {"textColor", "#0d47a1"}},
      {{"value", 2}, {"bgColor", "#ffb74d"}, {"textColor", "#1f1f1f"}},
      {{"value", 3}, {"bgColor", "#d32f2f"}, {"textColor", "#ffffff"}},
  });
}

}  // namespace

int model_explorer_score(rules::Severity severity) {
  switch (severity) {
    case rules::Severity::Error: return 3;
    case rules::Severity::Warning: return 2;
    case rules::Severity::Note: return 1;
  }
  return 1;
}

json model_explorer_json(const ModelReport& model) {
  json out = json::object();
  if (!model.ok()) return out;
  // (function, node name) -> Model Explorer node id, from the sketch's file positions.
  std::unordered_map<std::string, std::unordered_map<std::string, std::uint32_t>> ids;
  for (const auto& g : model.graph.graphs) {
    auto& by_name = ids[g.function];
    // Function bodies start with Model Explorer's synthetic "GraphInputs" node (id 0).
    const std::uint32_t offset = g.function.empty() ? 0 : 1;
    for (const auto& n : g.nodes) by_name.emplace(n.name, n.index + offset);
  }
  // graph id -> node id -> worst score; std::map keeps the output deterministic.
  std::map<std::string, std::map<std::uint32_t, int>> scores;
  for (const auto& f : model.result.findings) {
    const int score = model_explorer_score(f.severity);
    for (const auto& n : f.nodes) {
      const std::string fn = n.path.size() >= 2 ? n.path[n.path.size() - 2] : std::string();
      auto graph = ids.find(fn);
      if (graph == ids.end()) continue;
      auto node = graph->second.find(n.name);
      if (node == graph->second.end()) continue;
      const std::string graph_id = fn.empty() ? std::string(kMainGraphId) : fn;
      int& slot = scores[graph_id][node->second];
      slot = std::max(slot, score);
    }
  }
  for (const auto& [graph_id, nodes] : scores) {
    json results = json::object();
    for (const auto& [id, score] : nodes) results[std::to_string(id)] = {{"value", score}};
    out[graph_id] = {{"results", std::move(results)}, {"thresholds", thresholds_json()}};
  }
  return out;
}

std::string render_model_explorer(const RunReport& run) {
  if (!run.batch && run.models.size() == 1) {
    return dump_json(model_explorer_json(run.models.front()));
  }
  json out = json::object();
  for (const auto& m : run.models) out[m.path] = model_explorer_json(m);
  return dump_json(out);
}

}  // namespace litelint::reports
