#include <catch2/catch.hpp>

#include "analyzer/ir/graph.h"
#include "analyzer/passes/dead_code.h"

using namespace litelint;

namespace {

ir::Node node(std::string name, std::string op, std::vector<std::string> inputs = {}) {
  ir::Node n;
  n.name = std::move(name);
  n.op = std::move(op);
  for (const auto& in : inputs) n.inputs.push_back(*ir::TensorRef::parse(in));
  return n;
}

std::vector<std::string> live_names(const ir::Function& fn) {
  auto live = passes::live_body_nodes(fn);
  REQUIRE(live.size() == fn.body.size());
  std::vector<std::string> out;
  for (std::size_t i = 0; i < live.size(); ++i) {
    if (live[i]) out.push_back(fn.body.nodes()[i].name);
  }
  return out;
}

}  // namespace

TEST_CASE("live_body_nodes keeps what ret and control_ret reach over data and control edges",
          "[passes][dead-code]") {
  // The shape of tf.strings.split(...).to_tensor(): the row lengths computed by DenseBincount
  // feed a ConcatV2 that nothing reads.
  ir::Function fn;
  fn.name = "f";
  fn.body.add(node("split", "StringSplitV2", {"s", "sep"}));
  fn.body.add(node("sep", "Const"));
  fn.body.add(node("bincount", "DenseBincount", {"split:indices:0"}));
  fn.body.add(node("row_splits", "ConcatV2", {"bincount:output:0"}));
  fn.body.add(node("to_tensor", "RaggedTensorToTensor", {"split:values:0", "split:shape:0"}));
  fn.body.add(node("check", "Assert", {"split:shape:0"}));
  fn.body.add(node("before_check", "NoOp"));
  fn.body.add(node("out", "Identity", {"to_tensor:result:0", "^before_check"}));
  fn.body.add(node("write", "AssignVariableOp", {"v", "split:values:0", "^check"}));
  fn.ret["identity"] = "out:output:0";

  SECTION("without control results only the data path to the result lives") {
    CHECK(live_names(fn) ==
          std::vector<std::string>{"split", "sep", "to_tensor", "before_check", "out"});
  }
  SECTION("a control result keeps the stateful op and what it waits for") {
    fn.control_ret["write"] = "write";
    CHECK(live_names(fn) == std::vector<std::string>{"split", "sep", "to_tensor", "check",
                                                     "before_check", "out", "write"});
  }
  SECTION("results that name arguments or missing nodes keep nothing and do not fail") {
    fn.ret["identity"] = "s";
    fn.control_ret["gone"] = "no_such_node";
    CHECK(live_names(fn).empty());
  }
}

TEST_CASE("live_body_nodes terminates on cycles (NextIteration back edges)", "[passes][dead-code]") {
  ir::Function fn;
  fn.body.add(node("merge", "Merge", {"enter", "next"}));
  fn.body.add(node("enter", "Enter", {"x"}));
  fn.body.add(node("next", "NextIteration", {"merge:output:0"}));
  fn.body.add(node("exit", "Exit", {"merge:output:0"}));
  fn.ret["y"] = "exit:output:0";
  CHECK(live_names(fn) == std::vector<std::string>{"merge", "enter", "next", "exit"});
}
