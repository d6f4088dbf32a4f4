#include <catch2/catch.hpp>

#include "tests/support/testing.h"

namespace litelint {
namespace {

using testing::corpus;
using testing::litelint_binary;
using testing::run_command;

std::string pbtxt(const std::string& entry, const std::string& file) {
  return (corpus("pbtxt/" + entry) / file).string();
}

TEST_CASE("check rejects --outputs that name no node, as from_frozen_graph does", "[cli][check]") {
  const auto model = pbtxt("tf_mlir_graphdef2mlir_graph_undefined_output", "graph-undefined-output.pbtxt");
  const auto r = run_command({litelint_binary(), "check", model, "--outputs", "NotANodeInTheGraph"});
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK(r.err == "litelint: error: " + model +
                     ": --outputs: no node named 'NotANodeInTheGraph' in the graph\n");
}

TEST_CASE("check rejects an output index past a Placeholder's one output", "[cli][check]") {
  const auto model = pbtxt("tf_mlir_graphdef2mlir_invalid_output_index", "invalid-output-index.pbtxt");
  const auto r = run_command({litelint_binary(), "check", model, "--outputs", "input:1"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("'input:1': node 'input' (Placeholder) has one output") != std::string::npos);
  // The same graph with the real output is fine.
  CHECK(run_command({litelint_binary(), "check", model, "--outputs", "input"}).exit_code != 2);
}

TEST_CASE("check rejects an explicit ':0' in --inputs and --outputs, as from_frozen_graph does",
          "[cli][check]") {
  // TF 2.21: from_frozen_graph(..., ["input:0"], ...) raises "Invalid tensors 'input:0' were
  // found."; output 0 of node X is called 'X'.
  const auto model = pbtxt("tf_mlir_lite_end2end_add", "add.pbtxt");
  const auto r = run_command({litelint_binary(), "check", model, "--outputs", "Add:0"});
  CHECK(r.exit_code == 2);
  CHECK(r.err == "litelint: error: " + model +
                     ": --outputs: 'Add:0': TFLiteConverter names output 0 of a node 'Add', "
                     "without ':0' (it rejects 'Add:0' as an invalid tensor)\n");
  CHECK(run_command({litelint_binary(), "check", model, "--inputs", "input0:0"}).exit_code == 2);
}

TEST_CASE("check accepts --inputs and --outputs that exist", "[cli][check]") {
  const auto model = pbtxt("tf_mlir_lite_end2end_add", "add.pbtxt");
  const auto r = run_command({litelint_binary(), "check", model, "--inputs", "input0,input1",
                              "--outputs", "Add"});
  CHECK(r.exit_code == 0);
  CHECK(run_command({litelint_binary(), "check", model, "--inputs", "nope"}).exit_code == 2);
}

}  // namespace
}  // namespace litelint
