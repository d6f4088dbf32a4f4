#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "analyzer/loaders/load.h"
#include "converter/convert.h"
#include "converter/import/keras_lstm_composite.h"
#include "converter/import/program.h"
#include "converter/legalize/legalize.h"
#include "tests/support/testing.h"

using namespace litelint;

namespace {

/// A Keras-2-style LSTM layer: the signature calls a function marked api_implements
/// "lstm_*" with zeros as the initial state, a [2, 8] kernel (input 2, units 2), a [2, 8]
/// recurrent kernel and an [8] bias. `extra_arg` adds a mask argument (which the fused
/// operator has no operand for); `outputs_shape` is the `_output_shapes` of the body node
/// returning `outputs` ([1, 3, 2], or [1, 1, 2] for return_sequences=False).
std::string lstm_graph(bool extra_arg, const std::string& outputs_shape, const std::string& fetch = "call:1") {
  auto shape = [](std::vector<int> dims) {
    std::string s = "shape {";
    for (int d : dims) s += " dim { size: " + std::to_string(d) + " }";
    return s + " }";
  };
  auto arg_attr = [&](int i, std::vector<int> dims) {
    return "arg_attr { key: " + std::to_string(i) + " value { attr { key: \"_output_shapes\" value { list { " +
           shape(dims) + " } } } } }\n";
  };
  auto floats = [](const char* name, std::vector<int> dims, float v) {
    std::string s = std::string("node { name: \"") + name +
                    "\" op: \"Const\" attr { key: \"dtype\" value { type: DT_FLOAT } } attr { key: \"value\" value { tensor { dtype: DT_FLOAT tensor_shape {";
    for (int d : dims) s += " dim { size: " + std::to_string(d) + " }";
    return s + " } float_val: " + std::to_string(v) + " } } } }\n";
  };
  std::string g;
  g += R"pb(node { name: "x" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } }
  attr { key: "shape" value { shape { dim { size: 1 } dim { size: 3 } dim { size: 2 } } } } }
)pb";
  g += floats("zeros", {1, 2}, 0.0f) + floats("kernel", {2, 8}, 0.5f) + floats("recurrent", {2, 8}, 0.25f) +
       floats("bias", {8}, 0.125f);
  if (extra_arg) g += R"pb(node { name: "mask" op: "Const" attr { key: "dtype" value { type: DT_FLOAT } } attr { key: "value" value { tensor { dtype: DT_FLOAT tensor_shape { dim { size: 1 } } float_val: 1 } } } }
)pb";
  g += R"pb(node { name: "call" op: "PartitionedCall" input: "x" input: "zeros" input: "zeros" input: "kernel" input: "recurrent" input: "bias")pb";
  if (extra_arg) g += " input: \"mask\"";
  g += R"pb(
  attr { key: "f" value { func { name: "standard_lstm" } } } }
)pb";
  g += "node { name: \"y\" op: \"Identity\" input: \"" + fetch + "\" attr { key: \"T\" value { type: DT_FLOAT } } }\n";
  g += R"pb(library { function {
  signature { name: "standard_lstm"
    input_arg { name: "inputs" type: DT_FLOAT } input_arg { name: "init_h" type: DT_FLOAT }
    input_arg { name: "init_c" type: DT_FLOAT } input_arg { name: "kernel" type: DT_FLOAT }
    input_arg { name: "recurrent_kernel" type: DT_FLOAT } input_arg { name: "bias" type: DT_FLOAT })pb";
  if (extra_arg) g += R"pb( input_arg { name: "mask" type: DT_FLOAT })pb";
  g += R"pb(
    output_arg { name: "identity" type: DT_FLOAT } output_arg { name: "identity_1" type: DT_FLOAT }
    output_arg { name: "identity_2" type: DT_FLOAT } output_arg { name: "identity_3" type: DT_FLOAT }
    output_arg { name: "identity_4" type: DT_FLOAT } }
  attr { key: "api_implements" value { s: "lstm_0f9d2cca" } }
  attr { key: "time_major" value { b: false } }
  attr { key: "go_backwards" value { b: true } }
)pb";
  g += arg_attr(0, {-1, 3, 2}) + arg_attr(1, {-1, 2}) + arg_attr(2, {-1, 2}) + arg_attr(3, {2, 8}) +
       arg_attr(4, {2, 8}) + arg_attr(5, {8});
  // The loop body is beside the point: a stand-in whose results have the right names.
  g += R"pb(  node_def { name: "seq" op: "Tanh" input: "inputs" attr { key: "T" value { type: DT_FLOAT } }
    attr { key: "_output_shapes" value { list { )pb" + outputs_shape + R"pb( } } } }
  node_def { name: "runtime" op: "Const" attr { key: "dtype" value { type: DT_FLOAT } }
    attr { key: "value" value { tensor { dtype: DT_FLOAT tensor_shape { } float_val: 1 } } } }
  node_def { name: "Identity_4" op: "Identity" input: "runtime:output:0" attr { key: "T" value { type: DT_FLOAT } } }
  ret { key: "identity" value: "init_h" } ret { key: "identity_1" value: "seq:y:0" }
  ret { key: "identity_2" value: "init_h" } ret { key: "identity_3" value: "init_c" }
  ret { key: "identity_4" value: "Identity_4:output:0" }
} }
)pb";
  return g;
}

ir::Model load_text(const testing::TempDir& dir, const std::string& text) {
  auto file = dir.path() / "graph.pbtxt";
  testing::write_file(file, text);
  auto model = analyzer::load(file);
  INFO((model ? "" : model.error().reason()));
  REQUIRE(model);
  return std::move(*model);
}

std::vector<std::string> ops_of(const ir::NodeList& nodes) {
  std::vector<std::string> ops;
  for (const auto& n : nodes.nodes()) ops.push_back(n.op);
  return ops;
}

const ir::Function& function(const ir::Graph& g, const std::string& name) {
  auto it = std::find_if(g.functions.begin(), g.functions.end(), [&](const ir::Function& f) { return f.name == name; });
  REQUIRE(it != g.functions.end());
  return *it;
}

}  // namespace

TEST_CASE("a Keras LSTM composite function's body becomes the fused op", "[converter][import]") {
  testing::TempDir dir;
  auto model = load_text(dir, lstm_graph(false, "shape { dim { size: -1 } dim { size: 3 } dim { size: 2 } }"));
  ir::Graph graph = model.graph();
  REQUIRE(converter::import::has_keras_lstm_composites(graph));
  CHECK(converter::import::fuse_keras_lstm_composites(graph).empty());
  const ir::Function& fn = function(graph, "standard_lstm");
  // go_backwards: the input is reversed in time before the fused op.
  CHECK(ops_of(fn.body) == std::vector<std::string>{"Const", "ReverseV2", "_KerasLstm", "Const", "Const", "Const",
                                                    "StridedSlice", "_KerasLstmCellState", "Const"});
  const ir::Node* lstm = fn.body.find("lstm");
  REQUIRE(lstm != nullptr);
  CHECK(lstm->inputs.at(0).node == "reverse");
  CHECK(lstm->inputs.at(5).node == "bias");
  CHECK(*lstm->attr("time_major")->as_bool() == false);
  REQUIRE(lstm->outputs.size() == 1);
  CHECK(lstm->outputs[0].shape == ir::Shape(std::vector<std::int64_t>{-1, 3, 2}));
  const ir::Node* last = fn.body.find("last_output");
  REQUIRE(last != nullptr);
  CHECK(*last->attr("shrink_axis_mask")->as_int() == 2);
  CHECK(*last->attr("begin_mask")->as_int() == 5);
  CHECK(fn.ret.at("identity") == "last_output:0");
  CHECK(fn.ret.at("identity_1") == "lstm:0");
  CHECK(fn.ret.at("identity_2") == "last_output:0");
  CHECK(fn.ret.at("identity_3") == "cell_state:0");
  CHECK(fn.ret.at("identity_4") == "runtime:0");
}

TEST_CASE("a Keras LSTM with return_sequences=False returns the last step as its outputs", "[converter][import]") {
  testing::TempDir dir;
  auto model = load_text(dir, lstm_graph(false, "shape { dim { size: -1 } dim { size: 1 } dim { size: 2 } }"));
  ir::Graph graph = model.graph();
  CHECK(converter::import::fuse_keras_lstm_composites(graph).empty());
  const ir::Function& fn = function(graph, "standard_lstm");
  CHECK(fn.ret.at("identity_1") == "last_step:0");
  REQUIRE(fn.body.find("last_step") != nullptr);
  CHECK(fn.body.find("last_step")->op == "ExpandDims");
}

TEST_CASE("a Keras LSTM composite with a mask argument is declined with its reason", "[converter][import]") {
  testing::TempDir dir;
  auto model = load_text(dir, lstm_graph(true, "shape { dim { size: -1 } dim { size: 3 } dim { size: 2 } }"));
  ir::Graph graph = model.graph();
  auto declined = converter::import::fuse_keras_lstm_composites(graph);
  REQUIRE(declined.size() == 1);
  CHECK(declined[0].function == "standard_lstm");
  CHECK_THAT(declined[0].reason, Catch::Matchers::Contains("no mask"));
  CHECK(function(graph, "standard_lstm").body.find("lstm") == nullptr);
}

TEST_CASE("a declined Keras LSTM composite is named, with why, in the conversion report",
          "[converter][import]") {
  testing::TempDir dir;
  auto model = load_text(dir, lstm_graph(true, "shape { dim { size: -1 } dim { size: 3 } dim { size: 2 } }"));
  auto program = converter::import_program(model, {});
  INFO((program ? "" : program.error().reason()));
  REQUIRE(program);
  REQUIRE(program->fusions_declined.size() == 1);
  CHECK_THAT(program->fusions_declined[0], Catch::Matchers::StartsWith("Keras LSTM standard_lstm: "));
  CHECK_THAT(program->fusions_declined[0], Catch::Matchers::Contains("no mask"));

  // The stand-in body converts as it is; the report says why it was not fused.
  auto conversion = converter::convert(model, {});
  INFO((conversion ? "" : conversion.error().reason()));
  REQUIRE(conversion);
  CHECK(conversion->report.fusions_declined == program->fusions_declined);
}

TEST_CASE("a fused Keras LSTM leaves nothing declined", "[converter][import]") {
  testing::TempDir dir;
  auto model = load_text(dir, lstm_graph(false, "shape { dim { size: -1 } dim { size: 3 } dim { size: 2 } }"));
  auto program = converter::import_program(model, {});
  REQUIRE(program);
  CHECK(program->fusions_declined.empty());
}

TEST_CASE("a fused Keras LSTM converts to UNIDIRECTIONAL_SEQUENCE_LSTM with per-gate weights",
          "[converter][import]") {
  testing::TempDir dir;
  auto model = load_text(dir, lstm_graph(false, "shape { dim { size: -1 } dim { size: 3 } dim { size: 2 } }"));
  auto program = converter::import_program(model, {});
  INFO((program ? "" : program.error().reason()));
  REQUIRE(program);
  const auto& g = program->entries.at(0);
  // The unused final cell state is pruned with its node.
  auto ops = ops_of(g.nodes);
  std::sort(ops.begin(), ops.end());
  CHECK(ops == std::vector<std::string>{"Const", "Const", "Const", "Const", "Const", "Placeholder", "ReverseV2",
                                        "_KerasLstm"});
  converter::ConvertReport report;
  auto tflite = converter::legalize(*program, {}, report);
  INFO((tflite ? "" : tflite.error().reason()));
  REQUIRE(tflite);
  const auto& sg = tflite->subgraphs.at(0);
  std::vector<std::string> names;
  for (const auto& op : sg.operators) names.push_back(converter::tfl::op_name(op));
  REQUIRE(names == std::vector<std::string>{"REVERSE_V2", "UNIDIRECTIONAL_SEQUENCE_LSTM"});
  const auto& lstm = sg.operators[1];
  REQUIRE(lstm.inputs.size() == 24);
  for (std::size_t i : {9u, 10u, 11u, 16u, 17u, 20u, 21u, 22u, 23u}) CHECK(lstm.inputs[i] == -1);
  for (std::size_t i = 1; i <= 4; ++i) CHECK(sg.tensors[lstm.inputs[i]].shape == std::vector<std::int32_t>{2, 2});
  for (std::size_t i = 12; i <= 15; ++i) CHECK(sg.tensors[lstm.inputs[i]].shape == std::vector<std::int32_t>{2});
  for (std::size_t i : {18u, 19u}) {
    const auto& state = sg.tensors[lstm.inputs[i]];
    CHECK(state.is_variable);
    CHECK(state.buffer == 0);
    CHECK(state.shape == std::vector<std::int32_t>{1, 2});
  }
  const auto* options = lstm.options.AsUnidirectionalSequenceLSTMOptions();
  REQUIRE(options != nullptr);
  CHECK(options->fused_activation_function == tflite::ActivationFunctionType::TANH);
  CHECK(options->time_major == false);
  CHECK(options->cell_clip == 0.0f);
  CHECK(sg.tensors[lstm.outputs[0]].shape == std::vector<std::int32_t>{1, 3, 2});
}

TEST_CASE("a fused Keras LSTM whose final cell state is used fails with the reason", "[converter][import]") {
  testing::TempDir dir;
  auto model = load_text(dir, lstm_graph(false, "shape { dim { size: -1 } dim { size: 3 } dim { size: 2 } }", "call:3"));
  auto program = converter::import_program(model, {});
  REQUIRE(program);
  converter::ConvertReport report;
  auto tflite = converter::legalize(*program, {}, report);
  REQUIRE_FALSE(tflite);
  CHECK_THAT(tflite.error().reason(), Catch::Matchers::Contains("final cell state"));
}
