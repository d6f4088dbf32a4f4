#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "reports/formats.h"
#include "reports/model_explorer_report.h"
#include "tests/reports/html/check_support.h"
#include "tests/support/testing.h"

namespace {

using litelint::testing::check_model;
using litelint::testing::corpus;
using litelint::testing::run_of;
using nlohmann::json;

// The node-data format as Model Explorer documents it (model_explorer/node_data_builder.py:
// ModelNodeData -> GraphNodeData -> NodeDataResult / ThresholdItem): graph id -> {results:
// {node id: {value, bgColor?, textColor?}}, thresholds?: [{value, bgColor, textColor?}]}.
void require_model_node_data(const json& doc) {
  REQUIRE(doc.is_object());
  // A top-level "results" key would make Model Explorer read the file as one graph's data.
  CHECK_FALSE(doc.contains("results"));
  for (const auto& [graph_id, graph] : doc.items()) {
    INFO("graph " << graph_id);
    CHECK_FALSE(graph_id.empty());
    REQUIRE(graph.is_object());
    REQUIRE(graph.contains("results"));
    REQUIRE(graph["results"].is_object());
    for (const auto& [node_id, result] : graph["results"].items()) {
      INFO("node " << node_id);
      CHECK(node_id.find_first_not_of("0123456789") == std::string::npos);
      REQUIRE(result.is_object());
      CHECK(result.at("value").is_number());
    }
    REQUIRE(graph.at("thresholds").is_array());
    double last = -1;
    for (const auto& t : graph["thresholds"]) {
      CHECK(t.at("value").is_number());
      CHECK(t.at("bgColor").is_string());
      CHECK(t.at("value").get<double>() > last);  // ascending upper bounds
      last = t["value"].get<double>();
    }
    for (const auto& [key, value] : graph.items()) {
      CHECK((key == "results" || key == "thresholds" || key == "gradient"));
    }
  }
}

std::size_t position_of(const litelint::ir::NodeList& list, const std::string& name) {
  const auto& nodes = list.nodes();
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    if (nodes[i].name == name) return i;
  }
  FAIL("no node " << name);
  return 0;
}

}  // namespace

TEST_CASE("model explorer overlay scores main-graph nodes by their worst finding",
          "[reports][model-explorer]") {
  litelint::ir::Graph graph;
  const auto model = check_model(corpus("savedmodel/tf_cc_half_plus_two"), &graph);
  const json doc = json::parse(litelint::reports::render(
      litelint::reports::ReportFormat::ModelExplorer, run_of({model})));
  require_model_node_data(doc);
  REQUIRE(doc.size() == 1);
  const json& results = doc.at("main").at("results");
  // LL101 (error) on ParseExample, LL401 (warning) on the tf_example placeholder.
  const auto parse = std::to_string(position_of(graph.nodes, "ParseExample/ParseExample"));
  const auto input = std::to_string(position_of(graph.nodes, "tf_example"));
  CHECK(results.at(parse).at("value") == 3);
  CHECK(results.at(input).at("value") == 2);
  CHECK(results.size() == 2);
}

TEST_CASE("model explorer overlay keys function bodies by name, after their GraphInputs node",
          "[reports][model-explorer]") {
  litelint::ir::Graph graph;
  const auto model = check_model(corpus("savedmodel/tf_cc_cyclic_module"), &graph);
  const json doc = litelint::reports::model_explorer_json(model);
  require_model_node_data(doc);
  const std::string fn = "__inference__traced_save_30";
  REQUIRE(doc.contains(fn));
  const auto* body = graph.find_function(fn);
  REQUIRE(body != nullptr);
  // SaveV2 is LL101 (error); Model Explorer's node 0 of a function is "GraphInputs".
  const auto save = std::to_string(position_of(body->body, "SaveV2") + 1);
  CHECK(doc[fn].at("results").at(save).at("value") == 3);
}

TEST_CASE("model explorer overlay of a batch is keyed by model path", "[reports][model-explorer]") {
  litelint::reports::ModelReport broken;
  broken.path = "zoo/broken";
  broken.error = "unreadable";
  const auto clean = check_model(corpus("savedmodel/tf_cc_x_plus_y_v2_debuginfo"));
  const auto run = run_of({clean, broken});
  const json doc = json::parse(litelint::reports::render_model_explorer(run));
  REQUIRE(doc.size() == 2);
  CHECK(doc.at("zoo/broken") == json::object());
  // A model without findings colours nothing.
  CHECK(doc.at(clean.path) == json::object());
}
