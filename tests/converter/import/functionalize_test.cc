#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "analyzer/loaders/load.h"
#include "converter/import/functionalize.h"
#include "converter/import/program.h"
#include "tests/support/testing.h"

using namespace litelint;

namespace {

ir::Model load_pbtxt(const testing::TempDir& dir, const std::string& text) {
  auto file = dir.path() / "graph.pbtxt";
  testing::write_file(file, text);
  auto model = analyzer::load(file);
  REQUIRE(model);
  return std::move(*model);
}

const ir::Node& only_node(const ir::NodeList& list, const std::string& op) {
  const ir::Node* found = nullptr;
  for (const auto& n : list.nodes()) {
    if (n.op != op) continue;
    INFO("second " << op << ": " << n.name);
    REQUIRE(found == nullptr);
    found = &n;
  }
  INFO("no " << op);
  REQUIRE(found != nullptr);
  return *found;
}

const ir::Function& function_of(const ir::Graph& g, const ir::Node& n, const std::string& attr) {
  const ir::AttrValue* a = n.attr(attr);
  REQUIRE(a);
  REQUIRE(a->as_func());
  const ir::Function* fn = g.find_function(a->as_func()->name);
  REQUIRE(fn);
  return *fn;
}

std::vector<ir::DType> types(const ir::Node& n, const std::string& attr) {
  const ir::AttrValue* a = n.attr(attr);
  REQUIRE(a);
  REQUIRE(a->as_list());
  return a->as_list()->type;
}

// tf.compat.v1.cond(reduce_sum(x) > 0, lambda: x * 2, lambda: x - 1) as TF1 writes it: the
// Merge lists the else branch first; the Consts hang on the pivots by control edges.
const char* kCond = R"pb(
node { name: "x" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } }
       attr { key: "shape" value { shape { dim { size: 4 } } } } }
node { name: "axis" op: "Const" attr { key: "dtype" value { type: DT_INT32 } }
       attr { key: "value" value { tensor { dtype: DT_INT32 tensor_shape {} int_val: 0 } } } }
node { name: "Sum" op: "Sum" input: "x" input: "axis" attr { key: "T" value { type: DT_FLOAT } }
       attr { key: "Tidx" value { type: DT_INT32 } } attr { key: "keep_dims" value { b: false } } }
node { name: "zero" op: "Const" attr { key: "dtype" value { type: DT_FLOAT } }
       attr { key: "value" value { tensor { dtype: DT_FLOAT tensor_shape {} float_val: 0 } } } }
node { name: "Greater" op: "Greater" input: "Sum" input: "zero" attr { key: "T" value { type: DT_FLOAT } } }
node { name: "cond/Switch" op: "Switch" input: "Greater" input: "Greater" attr { key: "T" value { type: DT_BOOL } } }
node { name: "cond/switch_t" op: "Identity" input: "cond/Switch:1" attr { key: "T" value { type: DT_BOOL } } }
node { name: "cond/switch_f" op: "Identity" input: "cond/Switch" attr { key: "T" value { type: DT_BOOL } } }
node { name: "cond/pred_id" op: "Identity" input: "Greater" attr { key: "T" value { type: DT_BOOL } } }
node { name: "cond/mul/y" op: "Const" input: "^cond/switch_t" attr { key: "dtype" value { type: DT_FLOAT } }
       attr { key: "value" value { tensor { dtype: DT_FLOAT tensor_shape {} float_val: 2 } } } }
node { name: "cond/mul/Switch" op: "Switch" input: "x" input: "cond/pred_id" attr { key: "T" value { type: DT_FLOAT } } }
node { name: "cond/mul" op: "Mul" input: "cond/mul/Switch:1" input: "cond/mul/y" attr { key: "T" value { type: DT_FLOAT } } }
node { name: "cond/sub/y" op: "Const" input: "^cond/switch_f" attr { key: "dtype" value { type: DT_FLOAT } }
       attr { key: "value" value { tensor { dtype: DT_FLOAT tensor_shape {} float_val: 1 } } } }
node { name: "cond/sub/Switch" op: "Switch" input: "x" input: "cond/pred_id" attr { key: "T" value { type: DT_FLOAT } } }
node { name: "cond/sub" op: "Sub" input: "cond/sub/Switch" input: "cond/sub/y" attr { key: "T" value { type: DT_FLOAT } } }
node { name: "cond/Merge" op: "Merge" input: "cond/sub" input: "cond/mul"
       attr { key: "T" value { type: DT_FLOAT } } attr { key: "N" value { i: 2 } } }
node { name: "out" op: "Identity" input: "cond/Merge" attr { key: "T" value { type: DT_FLOAT } } }
)pb";

// i, x = 0, x; while i < 10: i, x = i + 1, x * 2 (tf.compat.v1.while_loop), returning x.
const char* kWhile = R"pb(
node { name: "x" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } }
       attr { key: "shape" value { shape { dim { size: 3 } } } } }
node { name: "start" op: "Const" attr { key: "dtype" value { type: DT_INT32 } }
       attr { key: "value" value { tensor { dtype: DT_INT32 tensor_shape {} int_val: 0 } } } }
node { name: "while/Enter" op: "Enter" input: "start" attr { key: "T" value { type: DT_INT32 } }
       attr { key: "frame_name" value { s: "while/while_context" } } attr { key: "is_constant" value { b: false } }
       attr { key: "parallel_iterations" value { i: 10 } } }
node { name: "while/Enter_1" op: "Enter" input: "x" attr { key: "T" value { type: DT_FLOAT } }
       attr { key: "frame_name" value { s: "while/while_context" } } attr { key: "is_constant" value { b: false } }
       attr { key: "parallel_iterations" value { i: 10 } } }
node { name: "while/Merge" op: "Merge" input: "while/Enter" input: "while/NextIteration"
       attr { key: "T" value { type: DT_INT32 } } attr { key: "N" value { i: 2 } } }
node { name: "while/Merge_1" op: "Merge" input: "while/Enter_1" input: "while/NextIteration_1"
       attr { key: "T" value { type: DT_FLOAT } } attr { key: "N" value { i: 2 } } }
node { name: "while/Less/y" op: "Const" input: "^while/Merge" attr { key: "dtype" value { type: DT_INT32 } }
       attr { key: "value" value { tensor { dtype: DT_INT32 tensor_shape {} int_val: 10 } } } }
node { name: "while/Less" op: "Less" input: "while/Merge" input: "while/Less/y" attr { key: "T" value { type: DT_INT32 } } }
node { name: "while/LoopCond" op: "LoopCond" input: "while/Less" }
node { name: "while/Switch" op: "Switch" input: "while/Merge" input: "while/LoopCond" attr { key: "T" value { type: DT_INT32 } } }
node { name: "while/Switch_1" op: "Switch" input: "while/Merge_1" input: "while/LoopCond" attr { key: "T" value { type: DT_FLOAT } } }
node { name: "while/Identity" op: "Identity" input: "while/Switch:1" attr { key: "T" value { type: DT_INT32 } } }
node { name: "while/Identity_1" op: "Identity" input: "while/Switch_1:1" attr { key: "T" value { type: DT_FLOAT } } }
node { name: "while/add/y" op: "Const" input: "^while/Identity" attr { key: "dtype" value { type: DT_INT32 } }
       attr { key: "value" value { tensor { dtype: DT_INT32 tensor_shape {} int_val: 1 } } } }
node { name: "while/add" op: "AddV2" input: "while/Identity" input: "while/add/y" attr { key: "T" value { type: DT_INT32 } } }
node { name: "while/mul/y" op: "Const" input: "^while/Identity" attr { key: "dtype" value { type: DT_FLOAT } }
       attr { key: "value" value { tensor { dtype: DT_FLOAT tensor_shape {} float_val: 2 } } } }
node { name: "while/mul" op: "Mul" input: "while/Identity_1" input: "while/mul/y" attr { key: "T" value { type: DT_FLOAT } } }
node { name: "while/NextIteration" op: "NextIteration" input: "while/add" attr { key: "T" value { type: DT_INT32 } } }
node { name: "while/NextIteration_1" op: "NextIteration" input: "while/mul" attr { key: "T" value { type: DT_FLOAT } } }
node { name: "while/Exit" op: "Exit" input: "while/Switch" attr { key: "T" value { type: DT_INT32 } } }
node { name: "while/Exit_1" op: "Exit" input: "while/Switch_1" attr { key: "T" value { type: DT_FLOAT } } }
node { name: "out" op: "Identity" input: "while/Exit_1" attr { key: "T" value { type: DT_FLOAT } } }
)pb";

bool reads(const ir::Node& n, const std::string& ref) {
  return std::any_of(n.inputs.begin(), n.inputs.end(), [&](const ir::TensorRef& in) { return in.to_string() == ref; });
}

}  // namespace

TEST_CASE("functionalize turns a Switch/Merge conditional into an If with branch functions", "[converter][import]") {
  testing::TempDir dir;
  auto model = load_pbtxt(dir, kCond);
  ir::Graph g = model.graph();
  REQUIRE(converter::import::has_v1_control_flow(g));
  auto r = converter::import::functionalize_control_flow(g);
  INFO((r ? "" : r.error().reason()));
  REQUIRE(r);
  CHECK_FALSE(converter::import::has_v1_control_flow(g));

  const ir::Node& node = only_node(g.nodes, "If");
  // The predicate behind pred_id's Identity, then x: the one tensor both branches read.
  REQUIRE(node.inputs.size() == 2);
  CHECK(node.inputs[0].to_string() == "Greater");
  CHECK(node.inputs[1].to_string() == "x");
  CHECK(types(node, "Tin") == std::vector<ir::DType>{ir::DType::Float});
  CHECK(types(node, "Tout") == std::vector<ir::DType>{ir::DType::Float});
  const ir::Node* merge = g.nodes.find("cond/Merge");
  REQUIRE(merge);
  CHECK(merge->op == "Identity");
  CHECK(reads(*merge, node.name));
  CHECK_FALSE(g.nodes.find("cond/mul"));
  CHECK_FALSE(g.nodes.find("cond/Switch"));

  // then = the side behind Switch:1 (Mul), though the Merge lists it second.
  const ir::Function& then_fn = function_of(g, node, "then_branch");
  const ir::Function& else_fn = function_of(g, node, "else_branch");
  REQUIRE(then_fn.inputs.size() == 1);
  REQUIRE(else_fn.inputs.size() == 1);
  CHECK(then_fn.inputs[0].type == ir::DType::Float);
  const ir::Node* mul = then_fn.body.find("cond/mul");
  REQUIRE(mul);
  CHECK(mul->inputs.size() == 2);  // the pivot's control edge is gone
  CHECK(mul->inputs[0].to_string() == then_fn.inputs[0].name);
  CHECK(then_fn.ret.at(then_fn.outputs.at(0).name) == "cond/mul");
  const ir::Node* sub = else_fn.body.find("cond/sub");
  REQUIRE(sub);
  CHECK(sub->inputs[0].to_string() == else_fn.inputs[0].name);
  CHECK(else_fn.body.find("cond/sub/y"));
  CHECK_FALSE(else_fn.body.find("cond/mul"));

  // Import then takes the branches as bodies of the program.
  auto program = converter::import_program(model, {});
  INFO((program ? "" : program.error().reason()));
  REQUIRE(program);
  CHECK(program->bodies.size() == 2);
  CHECK(program->bodies.count(then_fn.name));
}

TEST_CASE("functionalize turns a TF1 while frame into a While with cond and body", "[converter][import]") {
  testing::TempDir dir;
  auto model = load_pbtxt(dir, kWhile);
  ir::Graph g = model.graph();
  auto r = converter::import::functionalize_control_flow(g);
  INFO((r ? "" : r.error().reason()));
  REQUIRE(r);
  CHECK_FALSE(converter::import::has_v1_control_flow(g));

  const ir::Node& w = only_node(g.nodes, "While");
  REQUIRE(w.inputs.size() == 2);
  CHECK(w.inputs[0].to_string() == "start");
  CHECK(w.inputs[1].to_string() == "x");
  CHECK(types(w, "T") == std::vector<ir::DType>{ir::DType::Int32, ir::DType::Float});
  const ir::AttrValue* shapes = w.attr("output_shapes");
  REQUIRE(shapes);
  REQUIRE(shapes->as_list());
  REQUIRE(shapes->as_list()->shape.size() == 2);
  CHECK(shapes->as_list()->shape[1].to_string() == "[3]");
  // The Exits read the While's results.
  const ir::Node* exit = g.nodes.find("while/Exit_1");
  REQUIRE(exit);
  CHECK(exit->op == "Identity");
  CHECK(reads(*exit, w.name + ":1"));
  CHECK_FALSE(g.nodes.find("while/Merge"));

  const ir::Function& cond = function_of(g, w, "cond");
  REQUIRE(cond.inputs.size() == 2);
  REQUIRE(cond.outputs.size() == 1);
  CHECK(cond.outputs[0].type == ir::DType::Bool);
  const ir::Node* less = cond.body.find("while/Less");
  REQUIRE(less);
  CHECK(less->inputs[0].to_string() == cond.inputs[0].name);
  CHECK(cond.ret.at(cond.outputs[0].name) == "while/Less");
  CHECK_FALSE(cond.body.find("while/mul"));

  const ir::Function& body = function_of(g, w, "body");
  REQUIRE(body.inputs.size() == 2);
  REQUIRE(body.outputs.size() == 2);
  const ir::Node* mul = body.body.find("while/mul");
  REQUIRE(mul);
  CHECK(mul->inputs[0].to_string() == "while/Identity_1");
  CHECK(body.body.find("while/Identity_1")->inputs[0].to_string() == body.inputs[1].name);
  CHECK(body.ret.at(body.outputs[0].name) == "while/add");
  CHECK(body.ret.at(body.outputs[1].name) == "while/mul");
  CHECK_FALSE(body.body.find("while/Less"));

  auto program = converter::import_program(model, {});
  INFO((program ? "" : program.error().reason()));
  REQUIRE(program);
  CHECK(program->bodies.count(cond.name));
  CHECK(program->bodies.count(body.name));
}

TEST_CASE("functionalize rejects a Merge of three inputs and a Switch without a Merge, naming the node",
          "[converter][import]") {
  testing::TempDir dir;
  SECTION("three-way Merge") {
    std::string text = kCond;
    text.replace(text.find("input: \"cond/sub\" input: \"cond/mul\""), 35,
                 "input: \"cond/sub\" input: \"cond/mul\" input: \"x\"");
    auto model = load_pbtxt(dir, text);
    ir::Graph g = model.graph();
    auto r = converter::import::functionalize_control_flow(g);
    REQUIRE_FALSE(r);
    CHECK_THAT(r.error().reason(), Catch::Contains("'cond/Merge'") && Catch::Contains("3 inputs"));
  }
  SECTION("Switch without Merge") {
    std::string text = kCond;
    auto at = text.find("node { name: \"cond/Merge\"");
    text.erase(at, text.find("node { name: \"out\"") - at);
    text.replace(text.find("input: \"cond/Merge\""), 19, "input: \"cond/mul\"");
    auto model = load_pbtxt(dir, text);
    ir::Graph g = model.graph();
    auto r = converter::import::functionalize_control_flow(g);
    REQUIRE_FALSE(r);
    CHECK_THAT(r.error().reason(), Catch::Contains("(Switch)") && Catch::Contains("can be functionalized"));
  }
}
