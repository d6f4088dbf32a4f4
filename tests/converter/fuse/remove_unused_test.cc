#include <catch2/catch.hpp>

#include "converter/fuse/passes.h"

using namespace litelint;
using converter::tfl::Model;
using converter::tfl::Operator;
using converter::tfl::Subgraph;
using converter::tfl::Tensor;

namespace {

Tensor tensor(const std::string& name) {
  Tensor t;
  t.name = name;
  t.shape = {1};
  return t;
}

// A subgraph named `name` whose one operator copies its input to its output.
Subgraph passthrough(const std::string& name) {
  Subgraph sg;
  sg.name = name;
  const auto in = sg.add_tensor(tensor(name + "_in"));
  const auto out = sg.add_tensor(tensor(name + "_out"));
  sg.inputs = {in};
  sg.outputs = {out};
  Operator op;
  op.builtin = tflite::BuiltinOperator::EXP;
  op.inputs = {in};
  op.outputs = {out};
  sg.operators.push_back(std::move(op));
  return sg;
}

}  // namespace

TEST_CASE("Subgraphs no operator names are dropped and the others renumbered", "[converter][fuse]") {
  Model model;
  model.subgraphs.push_back(passthrough("main"));
  model.subgraphs.push_back(passthrough("orphan_then"));  // an IF fusion removed named these
  model.subgraphs.push_back(passthrough("orphan_else"));
  model.subgraphs.push_back(passthrough("cond"));
  model.subgraphs.push_back(passthrough("body"));
  model.subgraphs.push_back(passthrough("init"));
  auto& main = model.subgraphs[0];
  Operator loop;
  loop.builtin = tflite::BuiltinOperator::WHILE;
  loop.inputs = {main.outputs[0]};
  loop.outputs = {main.add_tensor(tensor("loop_out"))};
  loop.options.Set(tflite::WhileOptionsT{});
  loop.options.AsWhileOptions()->cond_subgraph_index = 3;
  loop.options.AsWhileOptions()->body_subgraph_index = 4;
  main.outputs = {loop.outputs[0]};
  main.operators.push_back(std::move(loop));
  // The loop body runs a CALL_ONCE: reachability follows references transitively.
  Operator once;
  once.builtin = tflite::BuiltinOperator::CALL_ONCE;
  once.options.Set(tflite::CallOnceOptionsT{});
  once.options.AsCallOnceOptions()->init_subgraph_index = 5;
  model.subgraphs[4].operators.insert(model.subgraphs[4].operators.begin(), std::move(once));
  converter::tfl::SignatureDef sig;
  sig.key = "serving_default";
  model.signatures.push_back(sig);

  converter::remove_unused(model);
  REQUIRE(model.subgraphs.size() == 4);
  CHECK(model.subgraphs[0].name == "main");
  CHECK(model.subgraphs[1].name == "cond");
  CHECK(model.subgraphs[2].name == "body");
  CHECK(model.subgraphs[3].name == "init");
  const auto* w = model.subgraphs[0].operators.back().options.AsWhileOptions();
  REQUIRE(w != nullptr);
  CHECK(w->cond_subgraph_index == 1);
  CHECK(w->body_subgraph_index == 2);
  const auto* c = model.subgraphs[2].operators.front().options.AsCallOnceOptions();
  REQUIRE(c != nullptr);
  CHECK(c->init_subgraph_index == 3);
  CHECK(model.signatures[0].subgraph == 0);
}
