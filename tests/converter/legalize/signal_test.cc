// RFFT (RESHAPE, RFFT2D, RESHAPE), non-max suppression and the random ops, on single-node
// Programs built by hand.
#include <catch2/catch.hpp>

#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "converter/legalize/legalize.h"

using namespace litelint;
using namespace litelint::converter;

namespace {

ir::Tensor int32_tensor(std::vector<std::int32_t> values, ir::Shape shape) {
  auto bytes = std::make_shared<std::vector<std::byte>>(values.size() * sizeof(std::int32_t));
  std::memcpy(bytes->data(), values.data(), bytes->size());
  ir::Tensor t(ir::DType::Int32, std::move(shape), [bytes]() -> Expected<ir::TensorBytes> {
    ir::TensorBytes out;
    out.bytes = std::span<const std::byte>(bytes->data(), bytes->size());
    out.keep_alive = bytes;
    return out;
  });
  t.set_byte_size(bytes->size());
  return t;
}

ir::Node make_node(std::string name, std::string op, std::vector<std::string> inputs, std::vector<ir::TensorType> outputs) {
  ir::Node n;
  n.name = std::move(name);
  n.op = std::move(op);
  for (auto& in : inputs) n.inputs.push_back(*ir::TensorRef::parse(in));
  n.outputs = std::move(outputs);
  return n;
}

ir::Node placeholder(const std::string& name, ir::TensorType type) {
  ir::Node p = make_node(name, "Placeholder", {}, {type});
  p.attrs["dtype"].value = type.dtype;
  p.attrs["shape"].value = type.shape;
  return p;
}

ir::Node constant(const std::string& name, ir::Tensor value) {
  ir::Node c = make_node(name, "Const", {}, {{value.dtype(), value.shape()}});
  c.attrs["dtype"].value = value.dtype();
  c.attrs["value"].value = std::move(value);
  return c;
}

/// Legalizes one graph; `inputs` name its Placeholders, `output` the tensor it returns.
Expected<tfl::Model> run(std::vector<ir::Node> nodes, const std::vector<std::string>& inputs, const std::string& output) {
  ir::Graph g;
  ir::Signature sig;
  sig.key = "serving_default";
  for (const auto& in : inputs) {
    for (const auto& n : nodes) {
      if (n.name == in) sig.inputs.push_back({in, in + ":0", n.outputs[0]});
    }
  }
  sig.outputs.push_back({"out", output, {}});
  for (auto& n : nodes) g.nodes.add(std::move(n));
  g.signatures = {sig};
  Program program;
  program.entries.push_back(std::move(g));
  ConvertReport report;
  return legalize(program, {}, report);
}

std::vector<std::int32_t> int32_values(const tfl::Model& model, const tfl::Tensor& t) {
  const auto bytes = model.buffers[t.buffer].bytes();
  std::vector<std::int32_t> v(bytes.size() / 4);
  std::memcpy(v.data(), bytes.data(), bytes.size());
  return v;
}

}  // namespace

TEST_CASE("RFFT becomes RFFT2D over an added unit axis", "[converter][legalize]") {
  const ir::TensorType x{ir::DType::Float, ir::Shape({-1, 64})};
  auto model = run({placeholder("x", x), constant("n", int32_tensor({64}, ir::Shape({1}))),
                    make_node("rfft", "RFFT", {"x", "n"}, {{}})},
                   {"x"}, "rfft:0");
  REQUIRE(model);
  const auto& sg = model->subgraphs[0];
  REQUIRE(sg.operators.size() == 3);
  CHECK(tfl::op_name(sg.operators[0]) == "RESHAPE");
  CHECK(tfl::op_name(sg.operators[1]) == "RFFT2D");
  CHECK(tfl::op_name(sg.operators[2]) == "RESHAPE");
  CHECK(int32_values(*model, sg.tensors[sg.operators[0].inputs[1]]) == std::vector<std::int32_t>{-1, 1, 64});
  CHECK(int32_values(*model, sg.tensors[sg.operators[1].inputs[1]]) == std::vector<std::int32_t>{1, 64});
  CHECK(int32_values(*model, sg.tensors[sg.operators[2].inputs[1]]) == std::vector<std::int32_t>{-1, 33});
  // The result is complex even where inference did not type it.
  CHECK(sg.tensors[sg.outputs[0]].type == tflite::TensorType::COMPLEX64);
  CHECK(sg.tensors[sg.outputs[0]].signature == std::vector<std::int32_t>{-1, 33});

  auto odd = run({placeholder("x", x), constant("n", int32_tensor({48}, ir::Shape({1}))),
                  make_node("rfft", "RFFT", {"x", "n"}, {{}})},
                 {"x"}, "rfft:0");
  REQUIRE_FALSE(odd);
  CHECK_THAT(odd.error().reason(), Catch::Contains("not a power of two"));
}

TEST_CASE("NonMaxSuppressionV3 becomes NON_MAX_SUPPRESSION_V4", "[converter][legalize]") {
  const ir::TensorType boxes{ir::DType::Float, ir::Shape({10, 4})};
  const ir::TensorType scores{ir::DType::Float, ir::Shape({10})};
  const ir::TensorType scalar_f{ir::DType::Float, ir::Shape::scalar()};
  auto model = run({placeholder("boxes", boxes), placeholder("scores", scores),
                    constant("max", int32_tensor({5}, ir::Shape::scalar())), placeholder("iou", scalar_f),
                    placeholder("score", scalar_f),
                    make_node("nms", "NonMaxSuppressionV3", {"boxes", "scores", "max", "iou", "score"},
                              {{ir::DType::Int32, ir::Shape({-1})}})},
                   {"boxes", "scores", "iou", "score"}, "nms:0");
  REQUIRE(model);
  const auto& sg = model->subgraphs[0];
  REQUIRE(sg.operators.size() == 1);
  CHECK(tfl::op_name(sg.operators[0]) == "NON_MAX_SUPPRESSION_V4");
  CHECK(sg.operators[0].inputs.size() == 5);
  REQUIRE(sg.operators[0].outputs.size() == 2);
  CHECK(sg.outputs[0] == sg.operators[0].outputs[0]);
  CHECK(sg.tensors[sg.operators[0].outputs[1]].type == tflite::TensorType::INT32);
}

TEST_CASE("random ops keep both seeds in RandomOptions", "[converter][legalize]") {
  ir::Node random = make_node("r", "RandomStandardNormal", {"shape"}, {{ir::DType::Float, ir::Shape({2, 3})}});
  random.attrs["seed"].value = std::int64_t{87654321};
  random.attrs["seed2"].value = std::int64_t{7};
  auto model = run({constant("shape", int32_tensor({2, 3}, ir::Shape({2}))), std::move(random)}, {}, "r:0");
  REQUIRE(model);
  const auto& op = model->subgraphs[0].operators.at(0);
  CHECK(tfl::op_name(op) == "RANDOM_STANDARD_NORMAL");
  const auto* options = op.options.AsRandomOptions();
  REQUIRE(options != nullptr);
  CHECK(options->seed == 87654321);
  CHECK(options->seed2 == 7);
}
