#include <catch2/catch.hpp>

#include <cstring>

#include "converter/fuse/passes.h"

using namespace litelint;
using converter::tfl::Model;
using converter::tfl::Operator;
using converter::tfl::Tensor;

namespace {

std::int32_t constant(Model& model, const std::string& name, std::vector<std::int32_t> values) {
  std::vector<std::byte> bytes(values.size() * 4);
  std::memcpy(bytes.data(), values.data(), bytes.size());
  Tensor t;
  t.name = name;
  t.type = tflite::TensorType::INT32;
  t.shape = {static_cast<std::int32_t>(values.size())};
  t.signature = t.shape;
  t.buffer = model.add_buffer(std::move(bytes));
  return model.subgraphs[0].add_tensor(std::move(t));
}

}  // namespace

TEST_CASE("Equal constant tensors become one; different ones and outputs stay", "[converter][fuse]") {
  Model model;
  model.subgraphs.emplace_back();
  auto& sg = model.subgraphs[0];
  Tensor x;
  x.name = "x";
  x.type = tflite::TensorType::INT32;
  x.shape = x.signature = {2};
  const auto in = sg.add_tensor(x);
  const auto a = constant(model, "a", {1, 2});
  const auto b = constant(model, "b", {1, 2});  // same bytes as a, own buffer
  const auto c = constant(model, "c", {1, 3});
  const auto d = constant(model, "d", {1, 2});  // a subgraph output: keeps its tensor
  Operator op;
  op.builtin = tflite::BuiltinOperator::PACK;
  op.inputs = {in, a, b, c, d};
  x.name = "y";
  op.outputs = {sg.add_tensor(x)};
  sg.inputs = {in};
  sg.outputs = {op.outputs[0], d};
  sg.operators.push_back(op);

  converter::merge_duplicate_constants(model);
  converter::remove_unused(model);
  REQUIRE(sg.tensors.size() == 5);  // x, a, c, d, y
  const auto& ins = sg.operators[0].inputs;
  CHECK(ins[1] == ins[2]);
  CHECK(sg.tensors[ins[1]].name == "a");
  CHECK(sg.tensors[ins[3]].name == "c");
  CHECK(sg.tensors[ins[4]].name == "d");
}
