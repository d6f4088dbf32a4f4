// rules/engine/fix_builder.h: constants followed through function calls (a tf.function's
// captured constant is an argument of its body), and the builder's Identity hand-over.
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "rules/engine/fix_builder.h"
#include "rules/engine/fix_graph.h"

namespace lr = litelint::rules;
namespace ir = litelint::ir;

namespace {

ir::Node const_node(const std::string& name, std::vector<float> values) {
  ir::Node n;
  n.name = name;
  n.op = "Const";
  n.attrs["dtype"] = lr::type_attr(ir::DType::Float);
  const ir::Shape shape({static_cast<std::int64_t>(values.size())});
  n.attrs["value"].value = ir::Box<ir::Tensor>(lr::float_tensor(shape, std::move(values)));
  return n;
}

ir::Node call(const std::string& name, const std::string& fn, const std::string& input) {
  ir::Node n;
  n.name = name;
  n.op = "PartitionedCall";
  n.inputs = {*ir::TensorRef::parse(input)};
  n.attrs["f"].value = ir::Box<ir::FuncRef>(ir::FuncRef{fn, {}});
  return n;
}

// main: Const "boxes" -> PartitionedCall(fn) ; fn(arg): Identity "use" of arg.
ir::Graph captured_constant_graph() {
  ir::Graph g;
  g.nodes.add(const_node("boxes", {0.0f, 0.5f}));
  g.nodes.add(call("call", "fn", "boxes"));
  ir::Function fn;
  fn.name = "fn";
  ir::ArgDef arg;
  arg.name = "arg";
  arg.type = ir::DType::Float;
  fn.inputs = {arg};
  ir::AttrList shapes;
  shapes.shape = {ir::Shape({2})};
  fn.arg_attrs[0]["_output_shapes"].value = ir::Box<ir::AttrList>(shapes);
  ir::Node use;
  use.name = "use";
  use.op = "Identity";
  use.inputs = {*ir::TensorRef::parse("arg")};
  use.attrs["T"] = lr::type_attr(ir::DType::Float);
  fn.body.add(use);
  g.functions.push_back(std::move(fn));
  return g;
}

}  // namespace

TEST_CASE("resolve_const follows a function argument to the constant its caller feeds",
          "[rules][fix][fix-builder]") {
  const ir::Graph g = captured_constant_graph();
  const ir::Node* c = lr::resolve_const(g, "fn", *ir::TensorRef::parse("arg"));
  REQUIRE(c != nullptr);
  CHECK(c->name == "boxes");
  CHECK(*lr::const_floats(*c) == std::vector<float>{0.0f, 0.5f});
  auto t = lr::ref_type(g, "fn", *ir::TensorRef::parse("arg"));
  REQUIRE(t);
  CHECK(t->shape.to_string() == "[2]");
}

TEST_CASE("resolve_const refuses an argument whose callers feed different values",
          "[rules][fix][fix-builder]") {
  ir::Graph g = captured_constant_graph();
  g.nodes.add(const_node("other", {1.0f, 1.0f}));
  g.nodes.add(call("call_2", "fn", "other"));
  CHECK(lr::resolve_const(g, "fn", *ir::TensorRef::parse("arg")) == nullptr);
}

TEST_CASE("RewriteBuilder turns the replaced node into an Identity of the result",
          "[rules][fix][fix-builder]") {
  ir::Graph g = captured_constant_graph();
  const ir::Node original = *g.functions[0].body.find("use");
  lr::RewriteBuilder b(g, "fn", original);
  const auto two = b.floats("two", ir::Shape::scalar(), {2.0f});
  const auto y = b.binary("double", "Mul", original.inputs[0], two);
  const auto edit = b.finish(y, ir::DType::Float);
  const ir::NodeList& body = g.functions[0].body;
  REQUIRE(body.find("use/two") != nullptr);
  const ir::Node* mul = body.find("use/double");
  REQUIRE(mul != nullptr);
  // In a function body, references name the producing op's output argument (Mul: "z").
  CHECK(y.to_string() == "use/double:z:0");
  const ir::Node* use = body.find("use");
  REQUIRE(use != nullptr);
  CHECK(use->op == "Identity");
  CHECK(use->inputs.front().to_string() == "use/double:z:0");
  CHECK(edit.removed == std::vector<std::string>{"use (Identity)"});
  CHECK(edit.added.size() == 2);
  // Producers come before the node that reads them.
  CHECK(body.nodes().back().name == "use");
}
