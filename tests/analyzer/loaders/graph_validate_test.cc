#include "analyzer/loaders/graph_validate.h"

#include <catch2/catch.hpp>
#include <memory>
#include <string>

#include "analyzer/loaders/graphdef.h"
#include "analyzer/loaders/proto_to_ir.h"
#include "tests/support/testing.h"

namespace litelint::analyzer {
namespace {

using Catch::Matchers::Contains;

// Parses a text GraphDef and converts it (conversion runs validate_graph).
Expected<ir::Graph> graph_of(const std::string& text) {
  auto proto = std::make_shared<tensorflow::GraphDef>();
  auto parsed = parse_text_proto(text, *proto, "GraphDef");
  REQUIRE(parsed);
  return graph_from_graphdef(*proto, proto, nullptr, ConstValues::Required);
}

const char* kConst = R"(op: "Const" attr { key: "dtype" value { type: DT_INT32 } }
    attr { key: "value" value { tensor { dtype: DT_INT32 tensor_shape {} } } })";

std::string const_node(const std::string& name) {
  return "node { name: \"" + name + "\" " + kConst + " }\n";
}

TEST_CASE("validate_graph accepts a TF1 while loop whose NextIteration closes a cycle",
          "[loader][validate]") {
  auto graph = graph_of(const_node("init") + R"(
      node { name: "enter" op: "Enter" input: "init" attr { key: "frame_name" value { s: "loop" } } }
      node { name: "merge" op: "Merge" input: "enter" input: "next" attr { key: "N" value { i: 2 } } }
      node { name: "switch" op: "Switch" input: "merge" input: "cond" }
      node { name: "cond" op: "LoopCond" input: "less" }
      node { name: "less" op: "Less" input: "merge" input: "init" }
      node { name: "body" op: "Identity" input: "switch:1" }
      node { name: "next" op: "NextIteration" input: "body" }
      node { name: "exit" op: "Exit" input: "switch" input: "^init" })");
  REQUIRE(graph);
  CHECK(graph->nodes.size() == 9);
}

TEST_CASE("validate_graph names the node for every structural problem", "[loader][validate][malformed]") {
  struct Case {
    std::string text;
    std::string reason;
  };
  auto c = GENERATE(
      Case{const_node("a") + const_node("a"), "node 'a': duplicated node name"},
      Case{const_node("a") + R"(node { name: "b" op: "Identity" input: "missing:0" })",
           "node 'b' (Identity): input 'missing' names a node that does not exist"},
      Case{const_node("a") + R"(node { name: "b" op: "Identity" input: "^a" input: "a" })",
           "node 'b' (Identity): data input 'a' comes after a control input"},
      Case{const_node("a") + R"(node { name: "b" op: "Identity" input: "a:1" })",
           "node 'b' (Identity): input 'a:1': output 1 of 'a' (Const) is out of bounds (it has 1 output)"},
      Case{const_node("a") + R"(node { name: "b" op: "Identity" input: "a:nope:0" })",
           "node 'b' (Identity): input 'a:nope:0': 'a' (Const) has no output called 'nope'"},
      Case{R"(node { name: "a" })", "node 'a' (): empty op type"},
      Case{R"(node { name: "bad name" op: "NoOp" })", "node 'bad name' (NoOp): node name contains invalid characters"},
      // TensorFlow's pattern: after '>' comes a letter, digit or '.', never '_' or the end.
      Case{R"(node { name: "a>" op: "NoOp" })", "node 'a>' (NoOp): node name contains invalid characters"},
      Case{R"(node { name: "a>_b" op: "NoOp" })", "node 'a>_b' (NoOp): node name contains invalid characters"},
      Case{R"(node { name: "-a" op: "NoOp" })", "node '-a' (NoOp): node name contains invalid characters"},
      Case{R"(node { name: "a" op: "NoOp" attr { key: "" value { i: 1 } } })", "node 'a' (NoOp): empty attr name"},
      Case{R"(node { name: "a" op: "Const" attr { key: "dtype" value { type: DT_FLOAT } } })",
           "node 'a' (Const): Const node has no 'value' tensor"},
      Case{R"(node { name: "a" op: "PartitionedCall" attr { key: "f" value { func { } } } })",
           "node 'a' (PartitionedCall): attr 'f': function reference without a name"},
      Case{R"(node { name: "a" op: "Identity" attr { key: "T" value { placeholder: "T" } } })",
           "node 'a' (Identity): attr 'T': placeholder value outside a function body"},
      Case{R"(library { function { signature { name: "f" input_arg { name: "x" type: DT_FLOAT }
                                                 output_arg { name: "y" type: DT_FLOAT } }
                                    node_def { name: "n" op: "Identity" input: "nowhere" }
                                    ret { key: "y" value: "n:output:0" } } })",
           "function 'f': node 'n' (Identity): input 'nowhere' names a node that does not exist"},
      Case{R"(library { function { signature { name: "f" output_arg { name: "y" type: DT_FLOAT } } } })",
           "function 'f': output 'y' was not found in 'ret'"},
      Case{R"(library { function { signature { name: "f" } } function { signature { name: "f" } } })",
           "function 'f' is defined more than once"});
  INFO(c.text);
  auto graph = graph_of(c.text);
  REQUIRE_FALSE(graph);
  CHECK_THAT(graph.error().reason(), Contains(c.reason));
}

TEST_CASE("graph_from_graphdef lets TF.js graphs keep constant values outside the graph",
          "[loader][validate]") {
  auto proto = std::make_shared<tensorflow::GraphDef>();
  REQUIRE(parse_text_proto(R"(node { name: "w" op: "Const" attr { key: "dtype" value { type: DT_FLOAT } } })",
                           *proto, "GraphDef"));
  CHECK(graph_from_graphdef(*proto, proto));
  CHECK_FALSE(graph_from_graphdef(*proto, proto, nullptr, ConstValues::Required));
}

TEST_CASE("validate_graph accepts every name TensorFlow's own loaders accept",
          "[loader][validate]") {
  // A leading '_' is valid for SavedModel loading (allow_internal_ops); import_graph_def's
  // stricter rule is LL410's.
  auto name = GENERATE(std::string("_internal"), std::string("a/b_c-d.e"), std::string(".x"),
                       std::string("a>b>.c"), std::string("9"));
  INFO(name);
  CHECK(graph_of(R"(node { name: ")" + name + R"(" op: "NoOp" })"));
}

TEST_CASE("validate_graph reports how many problems it found beyond the first",
          "[loader][validate][malformed]") {
  auto graph = graph_of(R"(node { name: "a" op: "Identity" input: "x" }
                           node { name: "b" op: "Identity" input: "y" })");
  REQUIRE_FALSE(graph);
  CHECK(graph.error().reason() == "node 'a' (Identity): input 'x' names a node that does not exist "
                                  "(and 1 more problem)");
}

TEST_CASE("validate_graph knows output arguments from the MetaGraph's stripped op list",
          "[loader][validate]") {
  auto graph = std::make_shared<tensorflow::GraphDef>();
  REQUIRE(parse_text_proto(const_node("a") + R"(
      node { name: "s" op: "Split2" input: "a" attr { key: "num_split" value { i: 2 } } }
      node { name: "ok" op: "Identity" input: "s:1" }
      node { name: "bad" op: "Identity" input: "s:2" })", *graph, "GraphDef"));
  tensorflow::OpList ops;
  REQUIRE(parse_text_proto(R"(op { name: "Split2" input_arg { name: "value" type: DT_INT32 }
                                   output_arg { name: "output" type: DT_INT32 number_attr: "num_split" } })",
                           ops, "OpList"));
  auto converted = graph_from_graphdef(*graph, graph, &ops, ConstValues::Required);
  REQUIRE_FALSE(converted);
  CHECK_THAT(converted.error().reason(),
             Contains("node 'bad' (Identity): input 's:2': output 2 of 's' (Split2) is out of bounds (it has 2 outputs)"));
  // Without the OpDef the op is unknown and its outputs are not checked.
  CHECK(graph_from_graphdef(*graph, graph, nullptr));
}

// Every invalid_* importer test upstream keeps must be refused, with a reason that names
// where the problem is.
TEST_CASE("graphdef loader rejects every malformed upstream importer test",
          "[loader][validate][corpus][malformed]") {
  struct Case {
    std::string entry;
    std::string reason;
  };
  auto c = GENERATE(
      Case{"invalid_arg_name", "function 'DuplicatedName': node 'x' has the same name as a function argument"},
      Case{"invalid_backedge_input_size", "node without a name"},
      Case{"invalid_duplicated_node_name", "function 'DuplicatedName': duplicated node name 'y'"},
      Case{"invalid_edge_index", "node 'merge' (Merge): input 'const2:1': output 1 of 'const2' (Const) is out of bounds"},
      Case{"invalid_edge_name", "'const2' (Const) has no output called 'invalid'"},
      Case{"invalid_empty_attr_key", "node 'SaveV/' (PartitionedCall): empty attr name"},
      Case{"invalid_empty_func_attr_key", "node 'SaveV/' (PartitionedCall): attr 'T'"},
      Case{"invalid_empty_func_attr_name", "node 'NoOp' (NoOp): attr 'dense_shapes': function reference without a name"},
      Case{"invalid_empty_op_type", "function 'XTimesTwo': node 'value' (): empty op type"},
      Case{"invalid_func_with_empty_name", "function without a name"},
      Case{"invalid_function_import", "function 'test': control output 'const' was not found in 'control_ret'"},
      Case{"invalid_generic_func_with_empty_control_result", "function 'foo': control result 'output' is empty"},
      Case{"invalid_generic_func_with_empty_input", "function 'foo': node 'y' (Identity): invalid input '' (empty)"},
      Case{"invalid_generic_func_with_empty_name", "function without a name"},
      Case{"invalid_generic_func_with_empty_result", "function 'foo': result 'output' has an invalid value ''"},
      Case{"invalid_generic_function_attr_name", "function 'foo': empty attr name"},
      Case{"invalid_generic_function_named_edge_index", "node 'a' (Cast): invalid input 'two:output:18446744073709551615'"},
      Case{"invalid_handle_data", "function 'XTimesTwo': argument 'y' has handle_data with an invalid dtype"},
      Case{"invalid_missing_control_input", "input '^case/cond/cond/Merge' names a node that does not exist"},
      Case{"invalid_missing_control_result", "function 'test': control output 'missing' was not found in 'control_ret'"},
      Case{"invalid_missing_control_result_value", "control result 'control_output' names node 'missing', which was not found"},
      Case{"invalid_missing_data_result", "function 'test': output 'missing' was not found in 'ret'"},
      Case{"invalid_missing_data_result_value", "function 'test': result 'output' names 'missing', which was not found"},
      Case{"invalid_missing_input", "node 'case/cond/cond/Merge' (Merge): input 'case/cond/cond/Switch_3' names a node that does not exist"},
      Case{"invalid_missing_two_inputs", "node 'Merge' (Merge): input 'invalid_1' names a node that does not exist (and 1 more problem)"},
      Case{"invalid_named_edge_index", "input 'const2:output:1': output 1 of 'const2' (Const)'s 'output' is out of bounds"},
      Case{"invalid_op_name", "node without a name"},
      Case{"invalid_type_list", "node 'SaveV/' (PartitionedCall): attr 'N': placeholder value outside a function body"});
  const auto dir = testing::corpus("pbtxt/tf_ir_graphdef_to_mlir_" + c.entry);
  const auto file = dir / (c.entry + ".pbtxt");
  INFO(file);
  auto model = load_graphdef(Detected{ir::Format::GraphDefText, file}, LoadOptions{});
  REQUIRE_FALSE(model);
  CHECK(model.error().file() == file.string());
  CHECK_THAT(model.error().reason(), Contains(c.reason));
}

}  // namespace
}  // namespace litelint::analyzer
