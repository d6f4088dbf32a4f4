#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "converter/import/steps.h"
#include "tests/converter/legalize/graph_builder.h"

using namespace litelint;
using testing::GraphBuilder;

namespace {

void set_output(ir::Graph& g, const std::string& node, ir::DType dtype, ir::Shape shape) {
  ir::Node* n = g.nodes.find(node);
  REQUIRE(n);
  n->outputs = {ir::TensorType{dtype, std::move(shape)}};
}

void set_type_attr(ir::Graph& g, const std::string& node, const std::string& key, ir::DType t) {
  g.nodes.find(node)->attrs[key].value = t;
}

void set_func(ir::Graph& g, const std::string& node, const std::string& key, const std::string& fn) {
  ir::FuncRef f;
  f.name = fn;
  g.nodes.find(node)->attrs[key].value = ir::Box<ir::FuncRef>(std::move(f));
}

const ir::TensorType variant{ir::DType::Variant, ir::Shape::scalar()};

/// The tf.TensorArray / Keras RNN pattern: x unstacked into a list read in a loop, a reserved
/// list written in the loop and stacked after it. `reserve_dims` is the reserved element shape,
/// `reserve_count` the number of elements reserved.
converter::Program rnn_program(std::vector<std::int64_t> reserve_dims, int reserve_count = 4) {
  GraphBuilder entry;
  entry.input("x", {4, -1, 3})
      .constant<int>("es_in", {2}, {-1, 3}, ir::DType::Int32)
      .constant<std::int64_t>("es_out", {2}, reserve_dims, ir::DType::Int32)
      .constant<int>("n", {}, {reserve_count}, ir::DType::Int32)
      .constant<int>("i0", {}, {0}, ir::DType::Int32)
      .op("in_list", "TensorListFromTensor", {"x", "es_in"}, {})
      .op("out_list", "TensorListReserve", {"es_out", "n"}, {})
      .op("loop", "StatelessWhile", {"i0", "in_list", "out_list"}, {})
      .op("stacked", "TensorListStack", {"loop:2", "es_out"}, {4, -1, 3})
      .output("y", "stacked");
  converter::Program p = entry.program();
  ir::Graph& g = p.entries[0];
  set_output(g, "in_list", ir::DType::Variant, ir::Shape::scalar());
  set_output(g, "out_list", ir::DType::Variant, ir::Shape::scalar());
  set_output(g, "i0", ir::DType::Int32, ir::Shape::scalar());
  for (const char* n : {"in_list", "out_list"}) set_type_attr(g, n, "element_dtype", ir::DType::Float);
  ir::Node* loop = g.nodes.find("loop");
  loop->outputs = {{ir::DType::Int32, ir::Shape::scalar()}, variant, variant};
  ir::AttrList types;
  types.type = {ir::DType::Int32, ir::DType::Variant, ir::DType::Variant};
  loop->attrs["T"].value = ir::Box<ir::AttrList>(std::move(types));
  set_func(g, "loop", "cond", "cond");
  set_func(g, "loop", "body", "body");

  GraphBuilder body;
  body.input("i", {}, ir::DType::Int32)
      .input("lin", {}, ir::DType::Variant)
      .input("lout", {}, ir::DType::Variant)
      .constant<int>("es", {2}, {-1, 3}, ir::DType::Int32)
      .constant<int>("one", {}, {1}, ir::DType::Int32)
      .op("item", "TensorListGetItem", {"lin", "i", "es"}, {-1, 3})
      .op("twice", "AddV2", {"item", "item"}, {-1, 3})
      .op("write", "TensorListSetItem", {"lout", "i", "twice"}, {})
      .op("next", "AddV2", {"i", "one"}, {})
      .op("keep", "Identity", {"lin"}, {})
      .output("i", "next")
      .output("lin", "keep")
      .output("lout", "write");
  converter::Program bp = body.program();
  ir::Graph& b = bp.entries[0];
  set_output(b, "write", ir::DType::Variant, ir::Shape::scalar());
  set_output(b, "keep", ir::DType::Variant, ir::Shape::scalar());
  set_output(b, "next", ir::DType::Int32, ir::Shape::scalar());
  set_type_attr(b, "item", "element_dtype", ir::DType::Float);
  b.signatures[0].key = "body";
  p.bodies.emplace("body", std::move(b));

  GraphBuilder cond;
  cond.input("i", {}, ir::DType::Int32)
      .input("lin", {}, ir::DType::Variant)
      .input("lout", {}, ir::DType::Variant)
      .constant<int>("limit", {}, {4}, ir::DType::Int32)
      .op("less", "Less", {"i", "limit"}, {})
      .output("c", "less");
  converter::Program cp = cond.program();
  cp.entries[0].signatures[0].key = "cond";
  set_output(cp.entries[0], "less", ir::DType::Bool, ir::Shape::scalar());
  p.bodies.emplace("cond", std::move(cp.entries[0]));
  return p;
}

std::vector<std::string> ops_of(const ir::Graph& g) {
  std::vector<std::string> ops;
  for (const auto& n : g.nodes.nodes()) ops.push_back(n.op);
  return ops;
}

bool has_op(const ir::Graph& g, std::string_view op) {
  for (const auto& n : g.nodes.nodes()) {
    if (n.op == op) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("tensor lists with static element shapes become tensors", "[converter][import]") {
  converter::Program p = rnn_program({2, 3});
  converter::import::lower_tensor_lists(p);
  const ir::Graph& g = p.entries[0];
  const ir::Graph& body = p.bodies.at("body");
  const ir::Graph& cond = p.bodies.at("cond");
  for (const ir::Graph* graph : {&g, &body, &cond}) {
    for (const auto& op : ops_of(*graph)) {
      INFO(op);
      CHECK(op.find("TensorList") == std::string::npos);
    }
  }
  // Reserve -> Fill([n, 2, 3], 0); FromTensor and Stack forward their tensors.
  REQUIRE(g.nodes.find("out_list"));
  CHECK(g.nodes.find("out_list")->op == "Fill");
  const ir::Node* loop = g.nodes.find("loop");
  REQUIRE(loop);
  CHECK(loop->inputs[1].node == "x");
  CHECK(loop->attr("T")->as_list()->type == std::vector<ir::DType>{ir::DType::Int32, ir::DType::Float, ir::DType::Float});
  CHECK(loop->outputs[2].dtype == ir::DType::Float);
  CHECK(g.signatures[0].outputs[0].tensor_name == "loop:2");
  // In the body: GetItem -> GatherV2 on axis 0, SetItem -> a ConcatV2 of two slices and the row.
  CHECK(body.nodes.find("item")->op == "GatherV2");
  const ir::Node* write = body.nodes.find("write");
  REQUIRE(write);
  CHECK(write->op == "ConcatV2");
  REQUIRE(write->inputs.size() == 4);
  CHECK(body.nodes.find(write->inputs[0].node)->op == "Slice");
  CHECK(body.nodes.find(write->inputs[1].node)->op == "Reshape");
  CHECK(body.nodes.find(write->inputs[2].node)->op == "Slice");
  for (const ir::Graph* graph : {&body, &cond}) {
    const ir::Node* lout = graph->nodes.find("lout");
    REQUIRE(lout);
    CHECK(lout->outputs[0].dtype == ir::DType::Float);
    CHECK(lout->outputs[0].shape == ir::Shape({-1, 2, 3}));
    CHECK(graph->nodes.find("lin")->outputs[0].dtype == ir::DType::Float);
  }
  // Producers stay before consumers.
  for (const ir::Graph* graph : {&g, &body}) {
    std::set<std::string> seen;
    for (const auto& n : graph->nodes.nodes()) {
      for (const auto& in : n.inputs) {
        INFO(n.name << " reads " << in.node);
        CHECK(seen.count(in.node));
      }
      seen.insert(n.name);
    }
  }
}

TEST_CASE("a reserved list with an unknown batch dimension stays a list; the unstacked input does not",
          "[converter][import]") {
  // Keras RNNs with a dynamic batch: TensorFlow's converter keeps Reserve/SetItem/Stack (as
  // Flex ops) and turns FromTensor/GetItem into the tensor and a Gather.
  converter::Program p = rnn_program({-1, 3});
  converter::import::lower_tensor_lists(p);
  const ir::Graph& g = p.entries[0];
  const ir::Graph& body = p.bodies.at("body");
  CHECK(g.nodes.find("out_list")->op == "TensorListReserve");
  CHECK(g.nodes.find("stacked")->op == "TensorListStack");
  CHECK_FALSE(has_op(g, "TensorListFromTensor"));
  CHECK(body.nodes.find("write")->op == "TensorListSetItem");
  CHECK(body.nodes.find("item")->op == "GatherV2");
  const ir::Node* loop = g.nodes.find("loop");
  CHECK(loop->attr("T")->as_list()->type == std::vector<ir::DType>{ir::DType::Int32, ir::DType::Float, ir::DType::Variant});
  CHECK(body.nodes.find("lout")->outputs[0].dtype == ir::DType::Variant);
  CHECK(body.nodes.find("lin")->outputs[0].dtype == ir::DType::Float);
}

TEST_CASE("a list that an unsupported op reads stays a list", "[converter][import]") {
  converter::Program p = rnn_program({2, 3});
  ir::Graph& g = p.entries[0];
  // TensorListLength of the reserved list: no plain form here, so the whole list stays.
  ir::Node len;
  len.name = "len";
  len.op = "TensorListLength";
  len.inputs = {*ir::TensorRef::parse("out_list")};
  len.outputs = {{ir::DType::Int32, ir::Shape::scalar()}};
  g.nodes.add(std::move(len));
  g.signatures[0].outputs.push_back({"len", "len:0", {}});
  converter::import::lower_tensor_lists(p);
  CHECK(g.nodes.find("out_list")->op == "TensorListReserve");
  CHECK(p.bodies.at("body").nodes.find("write")->op == "TensorListSetItem");
  CHECK(p.bodies.at("body").nodes.find("item")->op == "GatherV2");
}

TEST_CASE("writing a list of one element is a reshape of the item", "[converter][import]") {
  // Keras's LSTM without return_sequences reserves one output row: TensorFlow's converter
  // writes it with one RESHAPE, no slices of the old list.
  converter::Program p = rnn_program({2, 3}, 1);
  converter::import::lower_tensor_lists(p);
  const ir::Graph& body = p.bodies.at("body");
  const ir::Node* write = body.nodes.find("write");
  REQUIRE(write);
  CHECK(write->op == "Reshape");
  REQUIRE(write->inputs.size() == 2);
  CHECK(write->inputs[0].node == "twice");
  CHECK_FALSE(has_op(body, "Slice"));
  CHECK_FALSE(has_op(body, "ConcatV2"));
  CHECK(p.entries[0].nodes.find("out_list")->op == "Fill");
}
