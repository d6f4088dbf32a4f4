#include <algorithm>
#include <string>

#include <catch2/catch.hpp>

#include "reports/graph_sketch.h"
#include "tests/reports/html/check_support.h"
#include "tests/support/testing.h"

namespace {

namespace ir = litelint::ir;
namespace rules = litelint::rules;
using litelint::reports::GraphSketch;
using litelint::reports::SketchGraph;

const litelint::reports::SketchNode* find_node(const SketchGraph& g, const std::string& name) {
  for (const auto& n : g.nodes) {
    if (n.name == name) return &n;
  }
  return nullptr;
}

// A chain n0 -> n1 -> ... of Relu nodes; the output is the last node.
ir::Graph chain(std::size_t length) {
  ir::Graph graph;
  for (std::size_t i = 0; i < length; ++i) {
    ir::Node node;
    node.name = "n" + std::to_string(i);
    node.op = i == 0 ? "Placeholder" : "Relu";
    if (i > 0) node.inputs.push_back(*ir::TensorRef::parse("n" + std::to_string(i - 1)));
    REQUIRE(graph.nodes.add(std::move(node)));
  }
  return graph;
}

}  // namespace

TEST_CASE("graph sketch keeps the main graph with file positions and valid edges",
          "[reports][sketch]") {
  ir::Graph graph;
  const auto report = litelint::testing::check_model(
      litelint::testing::corpus("savedmodel/tf_cc_half_plus_two"), &graph);
  const GraphSketch& sketch = report.graph;
  REQUIRE_FALSE(sketch.empty());
  const SketchGraph& main = sketch.graphs.front();
  CHECK(main.function.empty());
  CHECK_FALSE(main.truncated());
  const auto* parse = find_node(main, "ParseExample/ParseExample");
  REQUIRE(parse != nullptr);
  CHECK(parse->op == "ParseExample");
  // `index` is the node's position in the file, which is how Model Explorer numbers it.
  const auto& nodes = graph.nodes.nodes();
  REQUIRE(parse->index < nodes.size());
  CHECK(nodes[parse->index].name == "ParseExample/ParseExample");
  for (const auto& e : main.edges) {
    CHECK(e.from < main.nodes.size());
    CHECK(e.to < main.nodes.size());
  }
  // ParseExample reads the serialized tf_example placeholder.
  const auto* input = find_node(main, "tf_example");
  REQUIRE(input != nullptr);
  const auto from = static_cast<std::uint32_t>(input - main.nodes.data());
  const auto to = static_cast<std::uint32_t>(parse - main.nodes.data());
  CHECK(std::any_of(main.edges.begin(), main.edges.end(),
                    [&](const auto& e) { return e.from == from && e.to == to && !e.control; }));
}

TEST_CASE("graph sketch follows calls into function bodies", "[reports][sketch]") {
  const auto report = litelint::testing::check_model(
      litelint::testing::corpus("savedmodel/tf_cc_x_plus_y_v2_debuginfo"));
  const GraphSketch& sketch = report.graph;
  REQUIRE(sketch.graphs.size() >= 2);
  const SketchGraph& main = sketch.graphs.front();
  bool calls_a_function = false;
  for (const auto& n : main.nodes) {
    for (auto callee : n.calls) {
      REQUIRE(callee < sketch.graphs.size());
      CHECK_FALSE(sketch.graphs[callee].function.empty());
      calls_a_function = true;
    }
  }
  CHECK(calls_a_function);
}

TEST_CASE("graph sketch of a huge graph is bounded and keeps offending nodes in context",
          "[reports][sketch][bounds]") {
  const std::size_t length = litelint::reports::kMaxSketchGraphNodes + 3000;
  const ir::Graph graph = chain(length);
  rules::LintResult result;
  rules::Finding finding;
  finding.code = "LL101";
  finding.nodes.push_back({"n4000", {"n4000"}, std::nullopt});
  result.findings.push_back(finding);
  rules::LintOptions options;
  options.outputs = {"n" + std::to_string(length - 1)};
  const GraphSketch sketch = litelint::reports::sketch_graph(graph, options, result);
  REQUIRE(sketch.graphs.size() == 1);
  const SketchGraph& g = sketch.graphs.front();
  CHECK(g.total_nodes == length);
  CHECK(g.nodes.size() == litelint::reports::kMaxSketchGraphNodes);
  CHECK(g.truncated());
  for (const char* name : {"n3999", "n4000", "n4001"}) {
    INFO(name);
    CHECK(find_node(g, name) != nullptr);
  }
  CHECK(find_node(g, "n4000")->index == 4000);
  // Deterministic: the same input gives the same sketch.
  const GraphSketch again = litelint::reports::sketch_graph(graph, options, result);
  REQUIRE(again.graphs.front().nodes.size() == g.nodes.size());
  CHECK(again.graphs.front().nodes.back().name == g.nodes.back().name);
  CHECK(again.graphs.front().edges.size() == g.edges.size());
}

TEST_CASE("graph sketch draws only what the signature's outputs depend on", "[reports][sketch]") {
  ir::Graph graph = chain(10);
  ir::Node stray;
  stray.name = "unrelated";
  stray.op = "NoOp";
  REQUIRE(graph.nodes.add(std::move(stray)));
  rules::LintOptions options;
  options.outputs = {"n5"};
  const GraphSketch sketch = litelint::reports::sketch_graph(graph, options, {});
  REQUIRE(sketch.graphs.size() == 1);
  CHECK(sketch.graphs[0].nodes.size() == 6);
  CHECK(find_node(sketch.graphs[0], "unrelated") == nullptr);
  CHECK(find_node(sketch.graphs[0], "n9") == nullptr);
}
