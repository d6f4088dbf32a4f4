#include <catch2/catch.hpp>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <memory>
#include <span>
#include <set>
#include <string>
#include <vector>

#include "analyzer/loaders/load.h"
#include "converter/import/program.h"
#include "tests/support/testing.h"

using namespace litelint;
using converter::ImportOptions;
using converter::Program;

namespace {

ir::Model load_model(const std::filesystem::path& path) {
  auto model = analyzer::load(path);
  INFO(path.string());
  REQUIRE(model);
  return std::move(*model);
}

/// Loads a text GraphDef written to a temporary file.
ir::Model load_pbtxt(const testing::TempDir& dir, const std::string& text) {
  auto file = dir.path() / "graph.pbtxt";
  testing::write_file(file, text);
  return load_model(file);
}

std::size_t count_ops(const ir::Graph& g, std::string_view op) {
  return static_cast<std::size_t>(std::count_if(g.nodes.nodes().begin(), g.nodes.nodes().end(),
                                                [&](const ir::Node& n) { return n.op == op; }));
}

/// Checks the normal form of program.h on one graph: no calls, no forwarding op except an
/// output's kept Identity, producers before consumers, every input reference resolves,
/// one signature naming existing Placeholders and tensors.
void check_normal_form(const ir::Graph& g, const std::set<std::string>& library) {
  INFO("graph of signature " << (g.signatures.empty() ? "?" : g.signatures[0].key));
  REQUIRE(g.signatures.size() == 1);
  std::set<std::string> outputs;
  for (const auto& t : g.signatures[0].outputs) outputs.insert(ir::TensorRef::parse(t.tensor_name)->node);
  std::set<std::string> seen;
  for (const auto& n : g.nodes.nodes()) {
    INFO("node " << n.name << " (" << n.op << ")");
    CHECK(n.op != "PartitionedCall");
    CHECK(n.op != "StatefulPartitionedCall");
    CHECK_FALSE(library.count(n.op));
    if (n.op == "Identity" || n.op == "IdentityN" || n.op == "NoOp" || n.op == "StopGradient" ||
        n.op == "Snapshot" || n.op == "PreventGradient") {
      CHECK(outputs.count(n.name));
    }
    for (const auto& in : n.inputs) {
      CHECK(in.output_arg.empty());
      CHECK(g.nodes.find(in.node));
      // A TF1 loop's Merge reads its NextIteration along the back edge.
      const ir::Node* producer = g.nodes.find(in.node);
      if (!in.control && producer && producer->op != "NextIteration") CHECK(seen.count(in.node));
    }
    seen.insert(n.name);
  }
  const auto& sig = g.signatures[0];
  for (std::size_t i = 0; i < sig.inputs.size(); ++i) {
    REQUIRE(i < g.nodes.size());
    CHECK(g.nodes.nodes()[i].op == "Placeholder");
    CHECK(sig.inputs[i].tensor_name == g.nodes.nodes()[i].name + ":0");
  }
  for (const auto& t : sig.outputs) {
    auto ref = ir::TensorRef::parse(t.tensor_name);
    REQUIRE(ref);
    CHECK(g.nodes.find(ref->node));
  }
}

void check_program(const ir::Model& model, const Program& program) {
  std::set<std::string> library;
  for (const auto& f : model.graph().functions) library.insert(f.name);
  for (const auto& e : program.entries) check_normal_form(e, library);
  for (const auto& [name, body] : program.bodies) check_normal_form(body, library);
}

std::vector<std::byte> bytes_of(const ir::Tensor& t) {
  auto b = t.load();
  REQUIRE(b);
  return {b->bytes.begin(), b->bytes.end()};
}

/// The Const node that holds exactly the checkpoint bytes of `v`, or nullptr.
const ir::Node* const_with_value(const ir::Graph& g, const ir::Variable& v) {
  auto expected = bytes_of(v.value);
  for (const auto& n : g.nodes.nodes()) {
    if (n.op != "Const") continue;
    const ir::AttrValue* value = n.attr("value");
    if (value && value->as_tensor() && value->as_tensor()->has_value() && bytes_of(*value->as_tensor()) == expected) {
      return &n;
    }
  }
  return nullptr;
}

}  // namespace

TEST_CASE("import inlines a TF2 SavedModel's signature call and freezes its variables", "[converter][import]") {
  auto model = load_model(testing::corpus("savedmodel/tf_cc_vars_and_arithmetic_object_graph"));
  auto program = converter::import_program(model, {});
  REQUIRE(program);
  check_program(model, *program);
  // The init op sits in the signature map but is not converted.
  REQUIRE(model.graph().find_signature("__saved_model_init_op"));
  REQUIRE(program->entries.size() == 1);
  const ir::Graph& entry = program->entries[0];
  CHECK(entry.signatures[0].key == "serving_default");
  CHECK(count_ops(entry, "VarHandleOp") == 0);
  CHECK(count_ops(entry, "ReadVariableOp") == 0);
  // Every variable the signature reads became a Const with its checkpoint bytes.
  std::size_t frozen = 0;
  for (const auto& v : model.graph().variables) {
    if (v.value.has_value() && const_with_value(entry, v)) ++frozen;
  }
  CHECK(frozen >= 1);
  CHECK(entry.variables.empty());
}

TEST_CASE("import keeps the SignatureDef keys and names Placeholders as inputs", "[converter][import]") {
  auto model = load_model(testing::corpus("savedmodel/tfserving_half_plus_two_tf2_cpu"));
  const ir::Signature* original = model.graph().find_signature("serving_default");
  REQUIRE(original);
  ImportOptions options;
  options.signatures = {"serving_default"};
  auto program = converter::import_program(model, options);
  REQUIRE(program);
  check_program(model, *program);
  REQUIRE(program->entries.size() == 1);
  const auto& sig = program->entries[0].signatures[0];
  CHECK(sig.key == "serving_default");
  REQUIRE(sig.inputs.size() == original->inputs.size());
  REQUIRE(sig.outputs.size() == original->outputs.size());
  for (std::size_t i = 0; i < sig.inputs.size(); ++i) CHECK(sig.inputs[i].key == original->inputs[i].key);
  for (std::size_t i = 0; i < sig.outputs.size(); ++i) {
    CHECK(sig.outputs[i].key == original->outputs[i].key);
    CHECK(sig.outputs[i].type.dtype != ir::DType::Invalid);
  }
}

TEST_CASE("import makes one entry per signature of a SavedModel", "[converter][import]") {
  auto model = load_model(testing::corpus("savedmodel/tfjs_node_module_with_multiple_signatures"));
  std::vector<std::string> keys;
  for (const auto& s : model.graph().signatures) {
    if (!s.key.starts_with("__saved_model")) keys.push_back(s.key);
  }
  REQUIRE(keys.size() >= 2);
  auto program = converter::import_program(model, {});
  REQUIRE(program);
  check_program(model, *program);
  std::vector<std::string> imported;
  for (const auto& e : program->entries) imported.push_back(e.signatures[0].key);
  CHECK(imported == keys);

  ImportOptions one;
  one.signatures = {keys.back()};
  auto single = converter::import_program(model, one);
  REQUIRE(single);
  REQUIRE(single->entries.size() == 1);
  CHECK(single->entries[0].signatures[0].key == keys.back());
}

TEST_CASE("import fails on an unknown signature key, naming the available ones", "[converter][import]") {
  auto model = load_model(testing::corpus("savedmodel/tfserving_half_plus_two_tf2_cpu"));
  ImportOptions options;
  options.signatures = {"no_such_signature"};
  auto program = converter::import_program(model, options);
  REQUIRE_FALSE(program);
  CHECK_THAT(program.error().reason(), Catch::Matchers::Contains("no_such_signature") &&
                                           Catch::Matchers::Contains("serving_default"));
}

TEST_CASE("import turns a While's cond and body into bodies of the program", "[converter][import]") {
  auto model = load_model(testing::corpus("savedmodel/tf_c_simple_while_loop"));
  auto program = converter::import_program(model, {});
  REQUIRE(program);
  check_program(model, *program);
  const ir::Node* loop = nullptr;
  for (const auto& n : program->entries.at(0).nodes.nodes()) {
    if (n.op == "While" || n.op == "StatelessWhile") loop = &n;
  }
  REQUIRE(loop);
  for (const char* attr : {"cond", "body"}) {
    const ir::AttrValue* f = loop->attr(attr);
    REQUIRE(f);
    REQUIRE(f->as_func());
    auto it = program->bodies.find(f->as_func()->name);
    REQUIRE(it != program->bodies.end());
    // One Placeholder per loop variable, in order; the cond has one result, the body one per variable.
    const ir::Graph& body = it->second;
    CHECK(body.signatures[0].inputs.size() == loop->data_input_count());
    CHECK(body.signatures[0].outputs.size() == (std::string(attr) == "cond" ? 1 : loop->data_input_count()));
  }
}

TEST_CASE("import freezes TF1 VariableV2 variables into Consts", "[converter][import]") {
  auto model = load_model(testing::corpus("savedmodel/tf_trt_variablev2"));
  auto program = converter::import_program(model, {});
  REQUIRE(program);
  check_program(model, *program);
  for (const auto& e : program->entries) {
    CHECK(count_ops(e, "VariableV2") == 0);
    std::size_t frozen = 0;
    for (const auto& v : model.graph().variables) {
      if (v.value.has_value() && const_with_value(e, v)) ++frozen;
    }
    CHECK(frozen >= 1);
  }
}

TEST_CASE("import keeps variables that a signature assigns", "[converter][import]") {
  auto model = load_model(testing::corpus("savedmodel/tfserving_counter"));
  auto program = converter::import_program(model, {});
  REQUIRE(program);
  check_program(model, *program);
  std::size_t writes = 0;
  for (const auto& e : program->entries) {
    for (const auto& n : e.nodes.nodes()) {
      if (n.op == "Assign" || n.op == "AssignAdd" || n.op == "AssignVariableOp" || n.op == "AssignAddVariableOp") {
        ++writes;
        // The written variable is not frozen: its node still is a variable.
        const ir::Node* var = e.nodes.find(n.inputs.at(0).node);
        REQUIRE(var);
        CHECK(var->op != "Const");
      }
    }
  }
  CHECK(writes >= 1);
}

TEST_CASE("import inlines calls of a text GraphDef's library and drops Identities", "[converter][import]") {
  testing::TempDir dir;
  auto model = load_pbtxt(dir, R"pb(
node { name: "x" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } } }
node { name: "x_id" op: "Identity" input: "x" attr { key: "T" value { type: DT_FLOAT } } }
node { name: "call" op: "PartitionedCall" input: "x_id"
  attr { key: "Tin" value { list { type: DT_FLOAT } } }
  attr { key: "Tout" value { list { type: DT_FLOAT type: DT_FLOAT } } }
  attr { key: "f" value { func { name: "outer" } } } }
node { name: "sum" op: "AddV2" input: "call" input: "call:1" attr { key: "T" value { type: DT_FLOAT } } }
node { name: "y" op: "Identity" input: "sum" attr { key: "T" value { type: DT_FLOAT } } }
library {
  function {
    signature { name: "outer" input_arg { name: "a" type: DT_FLOAT }
                output_arg { name: "neg" type: DT_FLOAT } output_arg { name: "sq" type: DT_FLOAT } }
    node_def { name: "n" op: "Neg" input: "a" attr { key: "T" value { type: DT_FLOAT } } }
    node_def { name: "inner_call" op: "inner" input: "n:y:0" }
    node_def { name: "dead" op: "Exp" input: "a" attr { key: "T" value { type: DT_FLOAT } } }
    ret { key: "neg" value: "n:y:0" }
    ret { key: "sq" value: "inner_call:out:0" }
  }
  function {
    signature { name: "inner" input_arg { name: "b" type: DT_FLOAT } output_arg { name: "out" type: DT_FLOAT } }
    node_def { name: "s" op: "Square" input: "b" attr { key: "T" value { type: DT_FLOAT } } }
    node_def { name: "s_id" op: "Identity" input: "s:y:0" attr { key: "T" value { type: DT_FLOAT } } }
    ret { key: "out" value: "s_id:output:0" }
  }
}
)pb");
  auto program = converter::import_program(model, {});
  REQUIRE(program);
  check_program(model, *program);
  REQUIRE(program->entries.size() == 1);
  const ir::Graph& g = program->entries[0];
  std::vector<std::string> names;
  for (const auto& n : g.nodes.nodes()) names.push_back(n.name + "=" + n.op);
  // Inlined nodes carry their call's name; the dead Exp and every Identity are gone.
  CHECK(names == std::vector<std::string>{"x=Placeholder", "call/n=Neg", "call/inner_call/s=Square", "sum=AddV2"});
  const ir::Node* square = g.nodes.find("call/inner_call/s");
  REQUIRE(square);
  CHECK(square->inputs.at(0).to_string() == "call/n");
  const ir::Node* sum = g.nodes.find("sum");
  CHECK(sum->inputs.at(1).to_string() == "call/inner_call/s");
  const auto& sig = g.signatures[0];
  REQUIRE(sig.inputs.size() == 1);
  CHECK(sig.inputs[0].key == "x");
  REQUIRE(sig.outputs.size() == 1);
  CHECK(sig.outputs[0].key == "y");
  CHECK(sig.outputs[0].tensor_name == "sum:0");
  CHECK(sig.outputs[0].type.dtype == ir::DType::Float);
}

TEST_CASE("import keeps an Identity that would make an output a graph input", "[converter][import]") {
  testing::TempDir dir;
  auto model = load_pbtxt(dir, R"pb(
node { name: "x" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } } }
node { name: "passthrough" op: "Identity" input: "x" attr { key: "T" value { type: DT_FLOAT } } }
node { name: "neg" op: "Neg" input: "x" attr { key: "T" value { type: DT_FLOAT } } }
node { name: "a" op: "Identity" input: "neg" attr { key: "T" value { type: DT_FLOAT } } }
node { name: "b" op: "Identity" input: "neg" attr { key: "T" value { type: DT_FLOAT } } }
)pb");
  ImportOptions options;
  options.inputs = {"x"};
  options.outputs = {"passthrough", "a", "b"};
  auto program = converter::import_program(model, options);
  REQUIRE(program);
  const ir::Graph& g = program->entries.at(0);
  const auto& outs = g.signatures[0].outputs;
  REQUIRE(outs.size() == 3);
  CHECK(outs[0].tensor_name == "passthrough:0");
  CHECK(outs[1].tensor_name == "neg:0");
  CHECK(outs[2].tensor_name == "b:0");  // would repeat neg:0
  CHECK(g.nodes.size() == 4);
}

TEST_CASE("import fails on a recursive function instead of recursing", "[converter][import]") {
  testing::TempDir dir;
  auto model = load_pbtxt(dir, R"pb(
node { name: "x" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } } }
node { name: "call" op: "ping" input: "x" }
library {
  function {
    signature { name: "ping" input_arg { name: "a" type: DT_FLOAT } output_arg { name: "out" type: DT_FLOAT } }
    node_def { name: "c" op: "pong" input: "a" }
    ret { key: "out" value: "c:out:0" }
  }
  function {
    signature { name: "pong" input_arg { name: "a" type: DT_FLOAT } output_arg { name: "out" type: DT_FLOAT } }
    node_def { name: "c" op: "ping" input: "a" }
    ret { key: "out" value: "c:out:0" }
  }
}
)pb");
  auto program = converter::import_program(model, {});
  REQUIRE_FALSE(program);
  CHECK_THAT(program.error().reason(), Catch::Matchers::Contains("recursive") && Catch::Matchers::Contains("ping"));
}

TEST_CASE("import names the node that calls an unknown function", "[converter][import]") {
  testing::TempDir dir;
  auto model = load_pbtxt(dir, R"pb(
node { name: "x" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } } }
node { name: "call" op: "StatefulPartitionedCall" input: "x" attr { key: "f" value { func { name: "missing_fn" } } } }
)pb");
  auto program = converter::import_program(model, {});
  REQUIRE_FALSE(program);
  CHECK_THAT(program.error().reason(), Catch::Matchers::Contains("'call'") && Catch::Matchers::Contains("missing_fn"));
}

TEST_CASE("import applies input shapes and rejects names that are not inputs", "[converter][import]") {
  testing::TempDir dir;
  auto model = load_pbtxt(dir, R"pb(
node { name: "x" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } }
  attr { key: "shape" value { shape { dim { size: -1 } dim { size: 3 } } } } }
node { name: "y" op: "Relu" input: "x" attr { key: "T" value { type: DT_FLOAT } } }
)pb");
  ImportOptions options;
  options.input_shapes["x"] = ir::Shape({2, 3});
  auto program = converter::import_program(model, options);
  REQUIRE(program);
  CHECK(program->entries.at(0).signatures[0].outputs.at(0).type.shape == ir::Shape({2, 3}));

  options.input_shapes["nope"] = ir::Shape({1});
  auto bad = converter::import_program(model, options);
  REQUIRE_FALSE(bad);
  CHECK_THAT(bad.error().reason(), Catch::Matchers::Contains("nope") && Catch::Matchers::Contains("x"));
}

TEST_CASE("import cuts a GraphDef at a named inner tensor, which becomes a Placeholder", "[converter][import]") {
  testing::TempDir dir;
  auto model = load_pbtxt(dir, R"pb(
node { name: "x" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } } }
node { name: "mid" op: "Neg" input: "x" attr { key: "T" value { type: DT_FLOAT } } }
node { name: "y" op: "Exp" input: "mid" attr { key: "T" value { type: DT_FLOAT } } }
)pb");
  ImportOptions options;
  options.inputs = {"mid"};
  options.outputs = {"y"};
  auto program = converter::import_program(model, options);
  REQUIRE(program);
  const ir::Graph& g = program->entries.at(0);
  REQUIRE(g.nodes.size() == 2);
  CHECK(g.nodes.nodes()[0].name == "mid");
  CHECK(g.nodes.nodes()[0].op == "Placeholder");
  CHECK(g.nodes.nodes()[1].op == "Exp");
}

namespace {

/// A While loop over x that reads variable v in its body and once after the loop; with
/// `assign`, the body also adds to v.
std::string while_reading_variable(bool assign) {
  std::string update = assign ? R"pb(
    node_def { name: "upd" op: "AssignAddVariableOp" input: "h" input: "a" attr { key: "dtype" value { type: DT_FLOAT } } }
    control_ret { key: "upd" value: "upd" })pb" : "";
  std::string control_output = assign ? R"(control_output: "upd")" : "";
  return R"pb(
node { name: "x" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } }
  attr { key: "shape" value { shape { dim { size: 2 } } } } }
node { name: "v" op: "VarHandleOp" attr { key: "dtype" value { type: DT_FLOAT } }
  attr { key: "shape" value { shape { dim { size: 2 } } } } attr { key: "shared_name" value { s: "v" } } }
node { name: "loop" op: "While" input: "x" input: "v"
  attr { key: "T" value { list { type: DT_FLOAT type: DT_RESOURCE } } }
  attr { key: "cond" value { func { name: "cond" } } }
  attr { key: "body" value { func { name: "body" } } } }
node { name: "after" op: "ReadVariableOp" input: "loop:1" attr { key: "dtype" value { type: DT_FLOAT } } }
node { name: "y" op: "AddV2" input: "loop" input: "after" attr { key: "T" value { type: DT_FLOAT } } }
library {
  function {
    signature { name: "cond" input_arg { name: "a" type: DT_FLOAT } input_arg { name: "h" type: DT_RESOURCE }
                output_arg { name: "ok" type: DT_BOOL } }
    node_def { name: "lim" op: "Const" attr { key: "dtype" value { type: DT_FLOAT } }
      attr { key: "value" value { tensor { dtype: DT_FLOAT tensor_shape {} float_val: 10 } } } }
    node_def { name: "less" op: "Less" input: "a" input: "lim:output:0" attr { key: "T" value { type: DT_FLOAT } } }
    ret { key: "ok" value: "less:z:0" }
  }
  function {
    signature { name: "body" input_arg { name: "a" type: DT_FLOAT } input_arg { name: "h" type: DT_RESOURCE }
                output_arg { name: "a_next" type: DT_FLOAT } output_arg { name: "h_next" type: DT_RESOURCE } )pb" +
         control_output + R"pb( }
    node_def { name: "r" op: "ReadVariableOp" input: "h" attr { key: "dtype" value { type: DT_FLOAT } } }
    node_def { name: "s" op: "AddV2" input: "a" input: "r:value:0" attr { key: "T" value { type: DT_FLOAT } } }
    node_def { name: "h_id" op: "Identity" input: "h" attr { key: "T" value { type: DT_RESOURCE } } })pb" +
         update + R"pb(
    ret { key: "a_next" value: "s:z:0" }
    ret { key: "h_next" value: "h_id:output:0" }
  }
}
)pb";
}

/// Gives the graph's variable "v" the value {1.5, -2}.
void attach_value(ir::Model& model) {
  auto bytes = std::make_shared<std::vector<std::byte>>(8);
  const float values[2] = {1.5f, -2.0f};
  std::memcpy(bytes->data(), values, sizeof values);
  ir::Variable v;
  v.node_name = "v";
  v.dtype = ir::DType::Float;
  v.shape = ir::Shape({2});
  v.value = ir::Tensor(ir::DType::Float, ir::Shape({2}), [bytes]() -> Expected<ir::TensorBytes> {
    ir::TensorBytes out;
    out.bytes = std::span<const std::byte>(bytes->data(), bytes->size());
    out.keep_alive = bytes;
    return out;
  });
  std::erase_if(model.graph().variables, [](const ir::Variable& x) { return x.node_name == "v"; });
  model.graph().variables.push_back(std::move(v));
}

}  // namespace

TEST_CASE("import freezes a read-only variable that a While passes into its body", "[converter][import]") {
  testing::TempDir dir;
  auto model = load_pbtxt(dir, while_reading_variable(/*assign=*/false));
  attach_value(model);
  const ir::Variable& v = model.graph().variables.back();
  ImportOptions options;
  options.inputs = {"x"};
  options.outputs = {"y"};
  auto program = converter::import_program(model, options);
  REQUIRE(program);
  check_program(model, *program);
  const ir::Graph& entry = program->entries.at(0);
  const ir::Node* loop = entry.nodes.find("loop");
  REQUIRE(loop);
  // The handle is no loop variable any more; the read after the loop is the value itself.
  CHECK(loop->data_input_count() == 1);
  CHECK(loop->attr("T")->as_list()->type == std::vector<ir::DType>{ir::DType::Float});
  CHECK(count_ops(entry, "VarHandleOp") == 0);
  CHECK(entry.nodes.find("after")->op == "Const");
  CHECK(const_with_value(entry, v));

  const std::string body_name = loop->attr("body")->as_func()->name;
  const std::string cond_name = loop->attr("cond")->as_func()->name;
  CHECK(body_name == "body/frozen");
  REQUIRE(program->bodies.count(body_name));
  REQUIRE(program->bodies.count(cond_name));
  const ir::Graph& body = program->bodies.at(body_name);
  CHECK(body.signatures[0].inputs.size() == 1);
  CHECK(body.signatures[0].outputs.size() == 1);
  CHECK(count_ops(body, "ReadVariableOp") == 0);
  CHECK(count_ops(body, "VarHandleOp") == 0);
  CHECK(const_with_value(body, v));
  CHECK(program->bodies.at(cond_name).signatures[0].inputs.size() == 1);
}

TEST_CASE("import keeps a variable that a While body assigns", "[converter][import]") {
  testing::TempDir dir;
  auto model = load_pbtxt(dir, while_reading_variable(/*assign=*/true));
  attach_value(model);
  ImportOptions options;
  options.inputs = {"x"};
  options.outputs = {"y"};
  auto program = converter::import_program(model, options);
  REQUIRE(program);
  const ir::Graph& entry = program->entries.at(0);
  const ir::Node* loop = entry.nodes.find("loop");
  REQUIRE(loop);
  CHECK(loop->data_input_count() == 2);
  CHECK(loop->attr("body")->as_func()->name == "body");
  CHECK(entry.nodes.find("after")->op == "ReadVariableOp");
  CHECK(count_ops(entry, "VarHandleOp") == 1);
  REQUIRE(program->bodies.count("body"));
  CHECK(count_ops(program->bodies.at("body"), "AssignAddVariableOp") == 1);
  // The mutable variable keeps its initial value for the writer.
  REQUIRE(entry.variables.size() == 1);
  CHECK(entry.variables[0].node_name == "v");
}

TEST_CASE("import converts every complete corpus TensorFlow model or names why not", "[converter][import][corpus]") {
  std::size_t imported = 0, failed = 0;
  for (const char* category : {"savedmodel", "graphdef", "tfjs"}) {
    for (const auto& entry : std::filesystem::directory_iterator(testing::corpus(category))) {
      auto model = analyzer::load(entry.path());
      if (!model || model->graphs.empty()) continue;
      auto program = converter::import_program(*model, {});
      INFO(entry.path().string());
      if (program) {
        ++imported;
        check_program(*model, *program);
      } else {
        ++failed;
        CHECK_FALSE(program.error().reason().empty());
      }
    }
  }
  // tf_lite_control_flow_v1_saved_model (a four-input Merge) fails at import since TF1
  // control flow is functionalized there, as TensorFlow's converter rejects it.
  CHECK(imported >= 75);
  WARN("imported " << imported << ", failed " << failed);
}
