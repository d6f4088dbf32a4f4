#include <catch2/catch.hpp>

#include "analyzer/ir/graph.h"
#include "analyzer/passes/prune.h"

using namespace litelint;

namespace {

ir::Node node(std::string name, std::string op, std::vector<std::string> inputs = {}, ir::AttrMap attrs = {}) {
  ir::Node n;
  n.name = std::move(name);
  n.op = std::move(op);
  for (const auto& in : inputs) n.inputs.push_back(*ir::TensorRef::parse(in));
  n.attrs = std::move(attrs);
  return n;
}

ir::AttrValue func(std::string name) { return ir::AttrValue{ir::FuncRef{std::move(name), {}}}; }

ir::Function function(std::string name, std::vector<ir::Node> body = {}) {
  ir::Function f;
  f.name = std::move(name);
  for (auto& n : body) f.body.add(std::move(n));
  return f;
}

/// Two signatures over one graph: "serving_default" computes y through a call into `fwd`
/// (which itself calls `inner` through a While body); "other" computes z.
ir::Graph two_signature_graph() {
  ir::Graph g;
  g.nodes.add(node("x", "Placeholder"));
  g.nodes.add(node("var", "VarHandleOp"));
  g.nodes.add(node("init", "NoOp"));
  g.nodes.add(node("call", "StatefulPartitionedCall", {"x", "var", "^init"}, {{"f", func("fwd")}}));
  g.nodes.add(node("y", "Identity", {"call"}));
  g.nodes.add(node("unused_input", "Placeholder"));
  g.nodes.add(node("z", "Neg", {"x"}));
  g.nodes.add(node("other_var", "VarHandleOp"));
  g.nodes.add(node("z2", "ReadVariableOp", {"other_var"}));
  g.nodes.add(node("sub", "StatefulPartitionedCall", {"x"}, {{"f", func("unused_fn")}}));
  ir::AttrList branches;
  branches.func.push_back(ir::FuncRef{"inner", {}});
  g.functions.push_back(function("fwd", {node("loop", "While", {"x"}, {{"body", func("loop_body")}, {"cond", func("loop_cond")}})}));
  g.functions.push_back(function("loop_body", {node("case", "Case", {}, {{"branches", ir::AttrValue{branches}}})}));
  g.functions.push_back(function("loop_cond"));
  g.functions.push_back(function("inner"));
  g.functions.push_back(function("unused_fn"));
  g.functions.push_back(function("sig_fn"));
  g.variables.push_back(ir::Variable{"var", "v/.ATTRIBUTES/VARIABLE_VALUE", "v", ir::DType::Float, {}, {}});
  g.variables.push_back(ir::Variable{"other_var", "w", "w", ir::DType::Float, {}, {}});
  ir::Signature serving;
  serving.key = "serving_default";
  serving.inputs.push_back(ir::SignatureTensor{"x", "x:0", {}});
  serving.inputs.push_back(ir::SignatureTensor{"u", "unused_input:0", {}});
  serving.outputs.push_back(ir::SignatureTensor{"y", "y:0", {}});
  serving.function_name = "sig_fn";
  ir::Signature other;
  other.key = "other";
  other.outputs.push_back(ir::SignatureTensor{"z", "z:0", {}});
  g.signatures = {serving, other};
  return g;
}

std::vector<std::string> node_names(const ir::Graph& g) {
  std::vector<std::string> out;
  for (const auto& n : g.nodes.nodes()) out.push_back(n.name);
  return out;
}

std::vector<std::string> function_names(const ir::Graph& g) {
  std::vector<std::string> out;
  for (const auto& f : g.functions) out.push_back(f.name);
  return out;
}

}  // namespace

TEST_CASE("pruning to a signature keeps what its outputs reach and the functions they call",
          "[passes][prune]") {
  auto g = two_signature_graph();
  REQUIRE(passes::prune_to_signature(g, "serving_default"));
  CHECK(node_names(g) == std::vector<std::string>{"x", "var", "init", "call", "y", "unused_input"});
  CHECK(function_names(g) == std::vector<std::string>{"fwd", "loop_body", "loop_cond", "inner", "sig_fn"});
  REQUIRE(g.variables.size() == 1);
  CHECK(g.variables[0].node_name == "var");
  REQUIRE(g.signatures.size() == 1);
  CHECK(g.signatures[0].key == "serving_default");
  CHECK(g.nodes.find("y") != nullptr);
  CHECK(g.nodes.find("z") == nullptr);
}

TEST_CASE("pruning to an unknown signature lists the available keys", "[passes][prune]") {
  auto g = two_signature_graph();
  auto r = passes::prune_to_signature(g, "predict");
  REQUIRE_FALSE(r);
  CHECK(r.error().reason() == "no signature 'predict'; available: serving_default, other");
  CHECK(g.nodes.size() == 10);  // untouched
}

TEST_CASE("a signature naming a missing node is an error", "[passes][prune]") {
  auto g = two_signature_graph();
  g.signatures[1].outputs[0].tensor_name = "gone:0";
  auto r = passes::prune_to_signature(g, "other");
  REQUIRE_FALSE(r);
  CHECK(r.error().code() == ErrorCode::BadInput);
  CHECK(r.error().reason() == "signature 'other' names tensor 'gone:0' for 'z', but the graph has no such node");
}

TEST_CASE("pruning to explicit outputs stops at the given inputs", "[passes][prune]") {
  auto g = two_signature_graph();
  REQUIRE(passes::prune_to_outputs(g, {"call:0"}, {"y:0", "z2"}));
  CHECK(node_names(g) == std::vector<std::string>{"call", "y", "other_var", "z2"});
  CHECK(g.functions.size() == 4);  // call keeps fwd and what fwd calls; not sig_fn or unused_fn
  CHECK(g.signatures.empty());     // both signatures name removed nodes
  auto missing = passes::prune_to_outputs(g, {}, {"nothing:0"});
  REQUIRE_FALSE(missing);
  CHECK(missing.error().reason() == "output 'nothing:0' is not a node of the graph");
}
