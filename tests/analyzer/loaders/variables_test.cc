#include "analyzer/loaders/variables.h"

#include <catch2/catch.hpp>
#include <cstring>
#include <string>

#include "analyzer/loaders/load.h"
#include "tests/support/testing.h"

namespace litelint::analyzer {
namespace {
namespace fs = std::filesystem;
using litelint::testing::corpus;

ir::Node node(std::string name, std::string op, std::vector<std::string> inputs = {}) {
  ir::Node n;
  n.name = std::move(name);
  n.op = std::move(op);
  for (const auto& text : inputs) n.inputs.push_back(ir::TensorRef::parse(text).value());
  return n;
}

ir::Node variable(std::string name, std::string op, ir::DType dtype, ir::Shape shape) {
  ir::Node n = node(std::move(name), std::move(op));
  n.attrs["dtype"].value = dtype;
  n.attrs["shape"].value = std::move(shape);
  return n;
}

ir::Node string_const(std::string name, std::vector<std::string> values) {
  ir::Node n = node(std::move(name), "Const");
  const auto count = static_cast<std::int64_t>(values.size());
  n.attrs["value"].value = ir::Tensor(ir::DType::String, ir::Shape({count}), [values] {
    ir::TensorBytes bytes;
    bytes.strings = values;
    return Expected<ir::TensorBytes>(bytes);
  });
  return n;
}

float first_float(const ir::Variable& v) {
  REQUIRE(v.value.has_value());
  auto bytes = v.value.load();
  REQUIRE(bytes);
  REQUIRE(bytes->bytes.size() >= 4);
  float f = 0;
  std::memcpy(&f, bytes->bytes.data(), 4);
  return f;
}

const ir::Variable* find_variable(const ir::Graph& graph, std::string_view node_name) {
  for (const auto& v : graph.variables) {
    if (v.node_name == node_name) return &v;
  }
  return nullptr;
}

TEST_CASE("attach_variables follows a TF1 restore op to keys that differ from node names",
          "[loader][variables]") {
  auto bundle = TensorBundle::open(corpus("savedmodel/tf_cc_half_plus_two") / "variables/variables");
  REQUIRE(bundle);
  ir::Graph graph;
  // Saver(var_list={"b": x, "a": y}): node x is restored from key "b", y from key "a".
  graph.nodes.add(variable("x", "VariableV2", ir::DType::Float, ir::Shape::scalar()));
  graph.nodes.add(variable("y", "VariableV2", ir::DType::Float, ir::Shape::scalar()));
  graph.nodes.add(variable("c", "VariableV2", ir::DType::Float, ir::Shape::scalar()));
  graph.nodes.add(variable("orphan", "VariableV2", ir::DType::Float, ir::Shape::scalar()));
  graph.nodes.add(node("save/Const", "Placeholder"));
  graph.nodes.add(string_const("save/RestoreV2/tensor_names", {"b", "a"}));
  graph.nodes.add(string_const("save/RestoreV2/shape_and_slices", {"", ""}));
  graph.nodes.add(node("save/RestoreV2", "RestoreV2",
                       {"save/Const", "save/RestoreV2/tensor_names", "save/RestoreV2/shape_and_slices"}));
  graph.nodes.add(node("save/Assign", "Assign", {"x", "save/RestoreV2"}));
  graph.nodes.add(node("save/Identity", "Identity", {"save/RestoreV2:1"}));
  graph.nodes.add(node("save/Assign_1", "Assign", {"y", "save/Identity"}));
  REQUIRE(attach_variables(graph, nullptr, *bundle));
  REQUIRE(graph.variables.size() == 4);
  CHECK(find_variable(graph, "x")->checkpoint_key == "b");
  CHECK(first_float(*find_variable(graph, "x")) == 2.0f);
  CHECK(find_variable(graph, "y")->checkpoint_key == "a");
  CHECK(first_float(*find_variable(graph, "y")) == 0.5f);
  CHECK(find_variable(graph, "c")->checkpoint_key == "c");  // by name
  const ir::Variable* orphan = find_variable(graph, "orphan");
  CHECK(orphan->checkpoint_key.empty());
  CHECK_FALSE(orphan->value.has_value());
}

TEST_CASE("attach_variables maps a call to a restore function back to the caller's handles",
          "[loader][variables]") {
  auto bundle = TensorBundle::open(corpus("savedmodel/tf_cc_half_plus_two") / "variables/variables");
  REQUIRE(bundle);
  ir::Graph graph;
  graph.nodes.add(variable("h1", "VarHandleOp", ir::DType::Float, ir::Shape::scalar()));
  graph.nodes.add(variable("h2", "VarHandleOp", ir::DType::Float, ir::Shape::unknown()));
  graph.nodes.add(node("saver_filename", "Placeholder"));
  ir::Node call = node("StatefulPartitionedCall_2", "StatefulPartitionedCall", {"saver_filename", "h1", "h2"});
  call.attrs["f"].value = ir::FuncRef{"__inference__traced_restore_9", {}};
  graph.nodes.add(std::move(call));
  ir::Function fn;
  fn.name = "__inference__traced_restore_9";
  for (const char* arg : {"file_prefix", "assignvariableop_resource", "assignvariableop_1_resource"}) {
    ir::ArgDef def;
    def.name = arg;
    def.type = ir::DType::Resource;
    fn.inputs.push_back(def);
  }
  fn.body.add(string_const("RestoreV2/tensor_names", {"c", "b"}));
  fn.body.add(string_const("RestoreV2/shape_and_slices", {"", ""}));
  fn.body.add(node("RestoreV2", "RestoreV2",
                   {"file_prefix", "RestoreV2/tensor_names:output:0", "RestoreV2/shape_and_slices:output:0"}));
  fn.body.add(node("Identity", "Identity", {"RestoreV2:tensors:0"}));
  fn.body.add(node("AssignVariableOp", "AssignVariableOp", {"assignvariableop_resource", "Identity:output:0"}));
  fn.body.add(node("Identity_1", "Identity", {"RestoreV2:tensors:1"}));
  fn.body.add(node("AssignVariableOp_1", "AssignVariableOp", {"assignvariableop_1_resource", "Identity_1:output:0"}));
  graph.functions.push_back(std::move(fn));
  REQUIRE(attach_variables(graph, nullptr, *bundle));
  CHECK(find_variable(graph, "h1")->checkpoint_key == "c");
  CHECK(first_float(*find_variable(graph, "h1")) == 3.0f);
  CHECK(find_variable(graph, "h2")->checkpoint_key == "b");
  CHECK(find_variable(graph, "h2")->shape == ir::Shape::scalar());  // completed from the entry
}

TEST_CASE("attach_variables rejects a checkpoint tensor of another dtype or shape",
          "[loader][variables]") {
  auto bundle = TensorBundle::open(corpus("savedmodel/tf_cc_half_plus_two") / "variables/variables");
  REQUIRE(bundle);
  SECTION("dtype") {
    ir::Graph graph;
    graph.nodes.add(variable("a", "VariableV2", ir::DType::Int32, ir::Shape::scalar()));
    auto r = attach_variables(graph, nullptr, *bundle);
    REQUIRE_FALSE(r);
    CHECK_THAT(r.error().reason(), Catch::Contains("variable 'a' is int32 but its checkpoint tensor 'a' is float32"));
  }
  SECTION("shape") {
    ir::Graph graph;
    graph.nodes.add(variable("a", "VariableV2", ir::DType::Float, ir::Shape({3})));
    auto r = attach_variables(graph, nullptr, *bundle);
    REQUIRE_FALSE(r);
    CHECK_THAT(r.error().reason(), Catch::Contains("has shape [3]"));
  }
}

TEST_CASE("loading TF1 half_plus_two gives variables a and b their values", "[loader][variables]") {
  auto model = load(corpus("savedmodel/tf_cc_half_plus_two"));
  REQUIRE(model);
  const ir::Graph& graph = model->graph();
  const ir::Variable* a = find_variable(graph, "a");
  const ir::Variable* b = find_variable(graph, "b");
  REQUIRE(a != nullptr);
  REQUIRE(b != nullptr);
  CHECK(a->checkpoint_key == "a");
  CHECK(a->dtype == ir::DType::Float);
  CHECK(a->shape == ir::Shape::scalar());
  CHECK(first_float(*a) == 0.5f);
  CHECK(first_float(*b) == 2.0f);
}

TEST_CASE("loading a TF2 SavedModel maps its VarHandleOp through the object graph",
          "[loader][variables]") {
  auto model = load(corpus("savedmodel/tfjs_node_times_three_float"));
  REQUIRE(model);
  const ir::Graph& graph = model->graph();
  REQUIRE(graph.variables.size() == 1);
  const ir::Variable& v = graph.variables[0];
  CHECK(v.node_name == "Variable");
  CHECK(v.checkpoint_key == "v/.ATTRIBUTES/VARIABLE_VALUE");
  CHECK(v.object_path == "v");
  CHECK(first_float(v) == 3.0f);
}

TEST_CASE("loading a Keras SavedModel attaches every layer weight", "[loader][variables]") {
  auto model = load(corpus("savedmodel/user_tetris_dqn_mlp"));
  REQUIRE(model);
  const ir::Graph& graph = model->graph();
  std::size_t attached = 0;
  std::uint64_t bytes = 0;
  for (const auto& v : graph.variables) {
    INFO(v.node_name);
    if (v.checkpoint_key.empty()) continue;
    ++attached;
    bytes += v.value.byte_size();
    CHECK(v.value.has_value());
    CHECK_FALSE(v.object_path.empty());
  }
  // Three Dense layers: kernel and bias each; 4*32 + 32 + 32*64 + 64 + 64*1 + 1 floats.
  CHECK(attached >= 6);
  bool found_kernel = false;
  for (const auto& v : graph.variables) {
    if (v.checkpoint_key != "layer_with_weights-1/kernel/.ATTRIBUTES/VARIABLE_VALUE") continue;
    found_kernel = true;
    CHECK(v.shape == ir::Shape({32, 64}));
    CHECK(v.object_path == "layer_with_weights-1/kernel");
    CHECK(v.value.byte_size() == 8192);
  }
  CHECK(found_kernel);
  CHECK(bytes >= 4u * (4 * 32 + 32 + 32 * 64 + 64 + 64 + 1));
}

TEST_CASE("loading a SavedModel whose variables sit in two shards reads the second shard",
          "[loader][variables]") {
  auto model = load(corpus("savedmodel/tf_trt_tftrt_2_0"));
  REQUIRE(model);
  const ir::Graph& graph = model->graph();
  bool found = false;
  for (const auto& v : graph.variables) {
    if (v.checkpoint_key != "v/.ATTRIBUTES/VARIABLE_VALUE") continue;
    found = true;
    CHECK(first_float(v) == 1.0f);
  }
  CHECK(found);
}

}  // namespace
}  // namespace litelint::analyzer
