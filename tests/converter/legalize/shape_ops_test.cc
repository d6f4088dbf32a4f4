#include "tests/converter/legalize/lowering_test_support.h"

using namespace litelint;
using namespace litelint::testing;
using I64 = std::vector<std::int64_t>;

TEST_CASE("Reshape takes an int64 constant shape as an int32 constant", "[converter][legalize]") {
  GraphBuilder b;
  b.input("x", {2, 3, 4})
      .constant("s", {2}, I64{-1, 12}, ir::DType::Int64)
      .op("r", "Reshape", {"x", "s"}, {2, 12})
      .output("y", "r");
  const auto model = legalize_typed(b);
  const auto& sg = model.subgraphs[0];
  REQUIRE(op_names(sg) == Names{"RESHAPE"});
  const auto shape = sg.operators[0].inputs[1];
  CHECK(sg.tensors[shape].type == tflite::TensorType::INT32);
  CHECK(ints(model, sg, shape) == std::vector<std::int32_t>{-1, 12});
  // TensorFlow's converter writes no ReshapeOptions: the shape is the operand.
  CHECK(sg.operators[0].options.type == tflite::BuiltinOptions::NONE);
}

TEST_CASE("Reshape casts a computed int64 shape to int32", "[converter][legalize]") {
  GraphBuilder b;
  b.input("x", {-1, 12}).input("s", {2}, ir::DType::Int64).op("r", "Reshape", {"x", "s"}, {-1, -1}).output("y", "r");
  const auto model = legalize_typed(b);
  const auto& sg = model.subgraphs[0];
  REQUIRE(op_names(sg) == Names{"CAST", "RESHAPE"});
  CHECK(sg.operators[1].inputs[1] == sg.operators[0].outputs[0]);
  CHECK(sg.tensors[sg.operators[0].outputs[0]].type == tflite::TensorType::INT32);
  const auto* o = sg.operators[0].options.AsCastOptions();
  REQUIRE(o != nullptr);
  CHECK(o->in_data_type == tflite::TensorType::INT64);
  CHECK(o->out_data_type == tflite::TensorType::INT32);
}

TEST_CASE("Squeeze becomes RESHAPE unless two dims are dynamic", "[converter][legalize]") {
  SECTION("one dynamic dim: RESHAPE to [-1, 4]") {
    GraphBuilder b;
    b.input("x", {-1, 1, 4}).op("s", "Squeeze", {"x"}, {-1, 4}).attr("squeeze_dims", I64{1}).output("y", "s");
    const auto model = legalize_typed(b);
    const auto& sg = model.subgraphs[0];
    REQUIRE(op_names(sg) == Names{"RESHAPE"});
    CHECK(ints(model, sg, sg.operators[0].inputs[1]) == std::vector<std::int32_t>{-1, 4});
  }
  SECTION("two dynamic dims: SQUEEZE with its dims") {
    GraphBuilder b;
    b.input("x", {-1, 1, -1}).op("s", "Squeeze", {"x"}, {-1, -1}).attr("squeeze_dims", I64{1}).output("y", "s");
    const auto model = legalize_typed(b);
    const auto& sg = model.subgraphs[0];
    REQUIRE(op_names(sg) == Names{"SQUEEZE"});
    const auto* o = sg.operators[0].options.AsSqueezeOptions();
    REQUIRE(o != nullptr);
    CHECK(o->squeeze_dims == std::vector<std::int32_t>{1});
  }
}

TEST_CASE("ExpandDims is RESHAPE for a static result, EXPAND_DIMS otherwise", "[converter][legalize]") {
  GraphBuilder b;
  b.input("x", {2, 3})
      .input("d", {-1, 3})
      .constant("axis", {}, I64{1}, ir::DType::Int64)
      .op("e", "ExpandDims", {"x", "axis"}, {2, 1, 3})
      .op("f", "ExpandDims", {"d", "axis"}, {-1, 1, 3})
      .output("y", "e")
      .output("z", "f");
  const auto model = legalize_typed(b);
  const auto& sg = model.subgraphs[0];
  REQUIRE(op_names(sg) == Names{"RESHAPE", "EXPAND_DIMS"});
  CHECK(ints(model, sg, sg.operators[0].inputs[1]) == std::vector<std::int32_t>{2, 1, 3});
  CHECK(sg.tensors[sg.operators[1].inputs[1]].type == tflite::TensorType::INT32);
  CHECK(ints(model, sg, sg.operators[1].inputs[1]) == std::vector<std::int32_t>{1});
}

TEST_CASE("Transpose takes its permutation as int32", "[converter][legalize]") {
  GraphBuilder b;
  b.input("x", {2, 3, 4})
      .constant("p", {3}, I64{2, 0, 1}, ir::DType::Int64)
      .op("t", "Transpose", {"x", "p"}, {4, 2, 3})
      .output("y", "t");
  const auto model = legalize_typed(b);
  const auto& sg = model.subgraphs[0];
  REQUIRE(op_names(sg) == Names{"TRANSPOSE"});
  CHECK(ints(model, sg, sg.operators[0].inputs[1]) == std::vector<std::int32_t>{2, 0, 1});
}

TEST_CASE("Shape and Size of a dynamic tensor run at run time", "[converter][legalize]") {
  GraphBuilder b;
  b.input("x", {-1, 3}).op("s", "Shape", {"x"}, {2}).op("n", "Size", {"x"}, {}).output("y", "s").output("z", "n");
  const auto model = legalize_typed(b, {{"s", {i32({2})}}, {"n", {i32({})}}});
  const auto& sg = model.subgraphs[0];
  // Size is the product of the shape, as TensorFlow lowers it.
  REQUIRE(op_names(sg) == Names{"SHAPE", "SHAPE", "REDUCE_PROD"});
  const auto* o = sg.operators[0].options.AsShapeOptions();
  REQUIRE(o != nullptr);
  CHECK(o->out_type == tflite::TensorType::INT32);
  CHECK(sg.operators[2].inputs[0] == sg.operators[1].outputs[0]);
  CHECK(ints(model, sg, sg.operators[2].inputs[1]) == std::vector<std::int32_t>{0});
}
