// Control flow, resource variables and hash tables: the lowerings that make subgraphs of their
// own (WHILE/IF bodies, the CALL_ONCE initialization subgraphs), on Programs built by hand.
#include <catch2/catch.hpp>

#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "converter/import/table_initializer.h"
#include "converter/legalize/legalize.h"

using namespace litelint;
using namespace litelint::converter;

namespace {

ir::Tensor float_tensor(std::vector<float> values, ir::Shape shape) {
  auto bytes = std::make_shared<std::vector<std::byte>>(values.size() * sizeof(float));
  std::memcpy(bytes->data(), values.data(), bytes->size());
  ir::Tensor t(ir::DType::Float, std::move(shape), [bytes]() -> Expected<ir::TensorBytes> {
    ir::TensorBytes out;
    out.bytes = std::span<const std::byte>(bytes->data(), bytes->size());
    out.keep_alive = bytes;
    return out;
  });
  t.set_byte_size(bytes->size());
  return t;
}

ir::TensorRef ref(const std::string& node, std::int32_t index = 0, bool control = false) {
  return ir::TensorRef{node, "", index, control};
}

ir::Node node(std::string name, std::string op, std::vector<ir::TensorRef> inputs,
              std::vector<ir::TensorType> outputs) {
  ir::Node n;
  n.name = std::move(name);
  n.op = std::move(op);
  n.inputs = std::move(inputs);
  n.outputs = std::move(outputs);
  return n;
}

ir::Node placeholder(const std::string& name, ir::TensorType type) {
  ir::Node p = node(name, "Placeholder", {}, {type});
  p.attrs["dtype"].value = type.dtype;
  p.attrs["shape"].value = type.shape;
  return p;
}

ir::Node constant(const std::string& name, ir::Tensor value) {
  ir::Node c = node(name, "Const", {}, {{value.dtype(), value.shape()}});
  c.attrs["dtype"].value = value.dtype();
  c.attrs["value"].value = std::move(value);
  return c;
}

/// A graph with one signature: `inputs` are Placeholder names, `outputs` tensor names.
ir::Graph graph(std::vector<ir::Node> nodes, const std::vector<std::string>& inputs,
                const std::vector<std::string>& outputs) {
  ir::Graph g;
  ir::Signature sig;
  sig.key = "serving_default";
  for (auto& n : nodes) {
    if (n.op == "Placeholder") {
      for (const auto& in : inputs) {
        if (in == n.name) sig.inputs.push_back({in, in + ":0", n.outputs[0]});
      }
    }
    g.nodes.add(std::move(n));
  }
  for (const auto& out : outputs) sig.outputs.push_back({out, out, {}});
  g.signatures = {sig};
  return g;
}

const ir::TensorType kVec3{ir::DType::Float, ir::Shape({3})};
const ir::TensorType kI32{ir::DType::Int32, ir::Shape::scalar()};
const ir::TensorType kBool{ir::DType::Bool, ir::Shape::scalar()};

ir::Tensor int64_tensor(std::vector<std::int64_t> values) {
  auto bytes = std::make_shared<std::vector<std::byte>>(values.size() * sizeof(std::int64_t));
  std::memcpy(bytes->data(), values.data(), bytes->size());
  ir::Tensor t(ir::DType::Int64, ir::Shape({static_cast<std::int64_t>(values.size())}),
               [bytes]() -> Expected<ir::TensorBytes> {
                 ir::TensorBytes out;
                 out.bytes = std::span<const std::byte>(bytes->data(), bytes->size());
                 out.keep_alive = bytes;
                 return out;
               });
  t.set_byte_size(bytes->size());
  return t;
}

ir::Tensor int_scalar(std::int32_t v) {
  auto bytes = std::make_shared<std::vector<std::byte>>(sizeof v);
  std::memcpy(bytes->data(), &v, sizeof v);
  ir::Tensor t(ir::DType::Int32, ir::Shape::scalar(), [bytes]() -> Expected<ir::TensorBytes> {
    ir::TensorBytes out;
                 out.bytes = std::span<const std::byte>(bytes->data(), bytes->size());
                 out.keep_alive = bytes;
                 return out;
  });
  t.set_byte_size(sizeof v);
  return t;
}

std::vector<std::string> op_names(const tfl::Subgraph& sg) {
  std::vector<std::string> names;
  for (const auto& op : sg.operators) names.push_back(tfl::op_name(op));
  return names;
}

Expected<tfl::Model> run(const Program& program) {
  ConvertReport report;
  return legalize(program, {}, report);
}

}  // namespace

TEST_CASE("While becomes WHILE running the cond and body subgraphs", "[converter][legalize]") {
  // Loop variables (i, x, c): the cond reads i, the body steps all three, the graph reads x.
  // c is a loop counter that nothing reads, which TensorFlow's converter drops; so do we.
  Program program;
  ir::Node loop = node("loop", "StatelessWhile", {ref("i"), ref("x"), ref("c0")}, {kI32, kVec3, kI32});
  loop.attrs["cond"].value = ir::FuncRef{"cond_fn", {}};
  loop.attrs["body"].value = ir::FuncRef{"body_fn", {}};
  program.entries.push_back(graph({placeholder("i", kI32), placeholder("x", kVec3), constant("c0", int_scalar(0)),
                                   std::move(loop)},
                                  {"i", "x"}, {"loop:1"}));
  program.bodies.emplace("cond_fn", graph({placeholder("i", kI32), placeholder("x", kVec3), placeholder("c", kI32),
                                           constant("limit", int_scalar(3)),
                                           node("less", "Less", {ref("i"), ref("limit")}, {kBool})},
                                          {"i", "x", "c"}, {"less:0"}));
  program.bodies.emplace("body_fn", graph({placeholder("i", kI32), placeholder("x", kVec3), placeholder("c", kI32),
                                           constant("one", int_scalar(1)),
                                           node("next", "AddV2", {ref("i"), ref("one")}, {kI32}),
                                           node("twice", "AddV2", {ref("x"), ref("x")}, {kVec3}),
                                           node("count", "AddV2", {ref("c"), ref("one")}, {kI32})},
                                          {"i", "x", "c"}, {"next:0", "twice:0", "count:0"}));
  auto model = run(program);
  REQUIRE(model);
  REQUIRE(model->subgraphs.size() == 3);
  const auto& main = model->subgraphs[0];
  REQUIRE(op_names(main) == std::vector<std::string>{"WHILE"});
  const auto& op = main.operators[0];
  CHECK(op.inputs == main.inputs);
  REQUIRE(op.outputs.size() == 2);
  CHECK(main.outputs == std::vector<std::int32_t>{op.outputs[1]});
  CHECK(main.tensors[op.outputs[0]].type == tflite::TensorType::INT32);
  const auto* options = op.options.AsWhileOptions();
  REQUIRE(options != nullptr);
  const auto& cond = model->subgraphs[options->cond_subgraph_index];
  const auto& body = model->subgraphs[options->body_subgraph_index];
  CHECK(cond.name == "cond_fn");
  CHECK(body.name == "body_fn");
  CHECK(op_names(cond) == std::vector<std::string>{"LESS"});
  CHECK(cond.inputs.size() == 2);
  CHECK(body.inputs.size() == 2);
  CHECK(body.outputs.size() == 2);
  // The counter's ADD went with it.
  CHECK(op_names(body) == std::vector<std::string>{"ADD", "ADD"});
}

TEST_CASE("If becomes IF; a non-bool predicate is refused", "[converter][legalize]") {
  auto make = [](ir::TensorType pred_type) {
    Program program;
    ir::Node cond = node("cond", "StatelessIf", {ref("p"), ref("x")}, {kVec3});
    cond.attrs["then_branch"].value = ir::FuncRef{"then_fn", {}};
    cond.attrs["else_branch"].value = ir::FuncRef{"else_fn", {}};
    program.entries.push_back(graph({placeholder("p", pred_type), placeholder("x", kVec3), std::move(cond)},
                                    {"p", "x"}, {"cond:0"}));
    program.bodies.emplace("then_fn", graph({placeholder("x", kVec3), node("y", "Mul", {ref("x"), ref("x")}, {kVec3})},
                                            {"x"}, {"y:0"}));
    program.bodies.emplace("else_fn", graph({placeholder("x", kVec3), node("y", "Neg", {ref("x")}, {kVec3})},
                                            {"x"}, {"y:0"}));
    return program;
  };
  auto model = run(make(kBool));
  REQUIRE(model);
  REQUIRE(model->subgraphs.size() == 3);
  const auto& op = model->subgraphs[0].operators.at(0);
  CHECK(tfl::op_name(op) == "IF");
  CHECK(op.inputs.size() == 2);
  const auto* options = op.options.AsIfOptions();
  REQUIRE(options != nullptr);
  CHECK(op_names(model->subgraphs[options->then_subgraph_index]) == std::vector<std::string>{"MUL"});
  CHECK(op_names(model->subgraphs[options->else_subgraph_index]) == std::vector<std::string>{"NEG"});

  auto refused = run(make(kI32));
  REQUIRE_FALSE(refused);
  CHECK_THAT(refused.error().reason(), Catch::Contains("predicate of type"));
}

TEST_CASE("a mutable variable becomes VAR_HANDLE with a CALL_ONCE initialization", "[converter][legalize]") {
  Program program;
  ir::Node var = node("v", "VarHandleOp", {}, {{ir::DType::Resource, ir::Shape::scalar()}});
  var.attrs["shared_name"].value = std::string("counter");
  var.attrs["dtype"].value = ir::DType::Float;
  ir::Node add = node("add", "AssignAddVariableOp", {ref("v"), ref("x")}, {});
  ir::Node read = node("read", "ReadVariableOp", {ref("v"), ref("add", 0, true)}, {kVec3});
  read.attrs["dtype"].value = ir::DType::Float;
  ir::Graph g = graph({placeholder("x", kVec3), std::move(var), std::move(add), std::move(read)}, {"x"}, {"read:0"});
  ir::Variable v;
  v.node_name = "v";
  v.dtype = ir::DType::Float;
  v.shape = ir::Shape({3});
  v.value = float_tensor({1, 2, 3}, ir::Shape({3}));
  g.variables.push_back(v);
  program.entries.push_back(std::move(g));

  auto model = run(program);
  REQUIRE(model);
  REQUIRE(model->subgraphs.size() == 2);
  const auto& main = model->subgraphs[0];
  CHECK(op_names(main) == std::vector<std::string>{"CALL_ONCE", "VAR_HANDLE", "READ_VARIABLE", "ADD",
                                                   "ASSIGN_VARIABLE", "READ_VARIABLE"});
  const auto* once = main.operators[0].options.AsCallOnceOptions();
  REQUIRE(once != nullptr);
  const auto& init = model->subgraphs.at(static_cast<std::size_t>(once->init_subgraph_index));
  CHECK(op_names(init) == std::vector<std::string>{"VAR_HANDLE", "ASSIGN_VARIABLE"});
  CHECK(main.operators[1].options.AsVarHandleOptions()->shared_name == "counter");
  CHECK(init.operators[0].options.AsVarHandleOptions()->shared_name == "counter");
  // The initial value is the checkpoint's.
  const auto& value = init.tensors[init.operators[1].inputs[1]];
  REQUIRE(value.buffer != 0);
  const auto bytes = model->buffers[value.buffer].bytes();
  REQUIRE(bytes.size() == 12);
  float first = 0;
  std::memcpy(&first, bytes.data(), 4);
  CHECK(first == 1.0f);

  // Without a checkpoint value there is nothing to start from.
  program.entries[0].variables.clear();
  auto refused = run(program);
  REQUIRE_FALSE(refused);
  CHECK_THAT(refused.error().reason(), Catch::Contains("without a value in the checkpoint"));
}

TEST_CASE("a hash table shares its id with the initializer that CALL_ONCE runs", "[converter][legalize]") {
  auto table = [] {
    ir::Node t = node("table", "HashTableV2", {}, {{ir::DType::Resource, ir::Shape::scalar()}});
    t.attrs["shared_name"].value = std::string("vocab");
    t.attrs["key_dtype"].value = ir::DType::Int64;
    t.attrs["value_dtype"].value = ir::DType::Float;
    return t;
  };
  const ir::TensorType keys{ir::DType::Int64, ir::Shape({2})};
  Program program;
  program.entries.push_back(graph({placeholder("k", keys), table(), constant("default", float_tensor({-1}, ir::Shape::scalar())),
                                   node("find", "LookupTableFindV2", {ref("table"), ref("k"), ref("default")},
                                        {{ir::DType::Float, ir::Shape({2})}})},
                                  {"k"}, {"find:0"}));
  // The initializer: the table, constant keys and values, and the import that fills it.
  ir::Graph init_consts;
  init_consts.signatures = {ir::Signature{std::string(kTableInitBody), "", {}, {}, ""}};
  init_consts.nodes.add(table());
  init_consts.nodes.add(constant("values", float_tensor({1, 2}, ir::Shape({2}))));
  init_consts.nodes.add(constant("keys", int64_tensor({7, 9})));
  init_consts.nodes.add(node("import", "LookupTableImportV2", {ref("table"), ref("keys"), ref("values")}, {}));
  program.bodies.emplace(std::string(kTableInitBody), std::move(init_consts));

  auto model = run(program);
  REQUIRE(model);
  REQUIRE(model->subgraphs.size() == 2);
  const auto& main = model->subgraphs[0];
  CHECK(op_names(main) == std::vector<std::string>{"CALL_ONCE", "HASHTABLE", "HASHTABLE_FIND"});
  const auto& initializer = model->subgraphs[1];
  CHECK(op_names(initializer) == std::vector<std::string>{"HASHTABLE", "HASHTABLE_IMPORT"});
  CHECK(main.operators[0].options.AsCallOnceOptions()->init_subgraph_index == 1);
  const auto* main_table = main.operators[1].options.AsHashtableOptions();
  const auto* init_table = initializer.operators[0].options.AsHashtableOptions();
  REQUIRE(main_table != nullptr);
  REQUIRE(init_table != nullptr);
  CHECK(main_table->table_id == init_table->table_id);
  CHECK(main_table->key_dtype == tflite::TensorType::INT64);
  CHECK(main_table->value_dtype == tflite::TensorType::FLOAT32);

  // A table nothing fills cannot be converted.
  program.bodies.clear();
  auto refused = run(program);
  REQUIRE_FALSE(refused);
  CHECK_THAT(refused.error().reason(), Catch::Contains("initializes no hash table"));
}
