#include "tests/converter/legalize/lowering_test_support.h"

using namespace litelint;
using namespace litelint::testing;
using I64 = std::vector<std::int64_t>;
using I32s = std::vector<std::int32_t>;

namespace {

GraphBuilder& slice_operands(GraphBuilder& b, I64 begin, I64 end, I64 strides) {
  const auto n = static_cast<std::int64_t>(begin.size());
  return b.constant("b", {n}, begin, ir::DType::Int64)
      .constant("e", {n}, end, ir::DType::Int64)
      .constant("s", {n}, strides, ir::DType::Int64);
}

}  // namespace

TEST_CASE("StridedSlice keeps its masks and saturates int64 bounds", "[converter][legalize]") {
  GraphBuilder b;
  b.input("x", {4, 6});
  slice_operands(b, {1, 0}, {INT64_MAX, 5}, {1, 2})
      .op("ss", "StridedSlice", {"x", "b", "e", "s"}, {3, 3})
      .attr("begin_mask", std::int64_t{2})
      .attr("shrink_axis_mask", std::int64_t{0})
      .output("y", "ss");
  const auto model = legalize_typed(b);
  const auto& sg = model.subgraphs[0];
  REQUIRE(op_names(sg) == Names{"STRIDED_SLICE"});
  const auto& op = sg.operators[0];
  CHECK(ints(model, sg, op.inputs[2]) == I32s{INT32_MAX, 5});
  CHECK(ints(model, sg, op.inputs[3]) == I32s{1, 2});
  const auto* o = op.options.AsStridedSliceOptions();
  REQUIRE(o != nullptr);
  CHECK(o->begin_mask == 2);
}

TEST_CASE("StridedSlice's new axis becomes a RESHAPE", "[converter][legalize]") {
  SECTION("x[None] selects everything: only the RESHAPE is left") {
    GraphBuilder b;
    b.input("x", {4});
    slice_operands(b, {0}, {0}, {1})
        .op("ss", "StridedSlice", {"x", "b", "e", "s"}, {1, 4})
        .attr("new_axis_mask", std::int64_t{1})
        .output("y", "ss");
    const auto model = legalize_typed(b);
    const auto& sg = model.subgraphs[0];
    REQUIRE(op_names(sg) == Names{"RESHAPE"});
    CHECK(ints(model, sg, sg.operators[0].inputs[1]) == I32s{1, 4});
  }
  SECTION("x[..., None, 1]: the ellipsis and the new axis resolved over [2, 3, 1, 4]") {
    GraphBuilder b;
    b.input("x", {2, 3, 4});
    slice_operands(b, {0, 0, 1}, {0, 0, 2}, {1, 1, 1})
        .op("ss", "StridedSlice", {"x", "b", "e", "s"}, {2, 3, 1})
        .attr("ellipsis_mask", std::int64_t{1})
        .attr("new_axis_mask", std::int64_t{2})
        .attr("shrink_axis_mask", std::int64_t{4})
        .output("y", "ss");
    const auto model = legalize_typed(b);
    const auto& sg = model.subgraphs[0];
    REQUIRE(op_names(sg) == Names{"RESHAPE", "STRIDED_SLICE"});
    CHECK(ints(model, sg, sg.operators[0].inputs[1]) == I32s{2, 3, 1, 4});
    const auto& ss = sg.operators[1];
    CHECK(ints(model, sg, ss.inputs[1]) == I32s{0, 0, 0, 1});
    CHECK(ints(model, sg, ss.inputs[2]) == I32s{0, 0, 0, 2});
    const auto* o = ss.options.AsStridedSliceOptions();
    REQUIRE(o != nullptr);
    CHECK(o->begin_mask == 7);
    CHECK(o->end_mask == 7);
    CHECK(o->ellipsis_mask == 0);
    CHECK(o->new_axis_mask == 0);
    CHECK(o->shrink_axis_mask == 8);
  }
}

TEST_CASE("GatherV2 takes axis and batch_dims from the constant and attr", "[converter][legalize]") {
  GraphBuilder b;
  b.input("p", {2, 5, 3})
      .input("i", {2, 4}, ir::DType::Int64)
      .constant("axis", {}, I64{1}, ir::DType::Int32)
      .op("g", "GatherV2", {"p", "i", "axis"}, {2, 4, 3})
      .attr("batch_dims", std::int64_t{1})
      .output("y", "g");
  const auto model = legalize_typed(b);
  const auto& sg = model.subgraphs[0];
  REQUIRE(op_names(sg) == Names{"GATHER"});
  CHECK(sg.operators[0].inputs.size() == 2);
  const auto* o = sg.operators[0].options.AsGatherOptions();
  REQUIRE(o != nullptr);
  CHECK(o->axis == 1);
  CHECK(o->batch_dims == 1);
}

TEST_CASE("ScatterNd casts indices and shape to int32", "[converter][legalize]") {
  GraphBuilder b;
  b.input("i", {2, 1}, ir::DType::Int64)
      .input("u", {2})
      .constant("shape", {1}, I64{8}, ir::DType::Int64)
      .op("s", "ScatterNd", {"i", "u", "shape"}, {8})
      .output("y", "s");
  const auto model = legalize_typed(b);
  const auto& sg = model.subgraphs[0];
  REQUIRE(op_names(sg) == Names{"CAST", "SCATTER_ND"});
  CHECK(ints(model, sg, sg.operators[1].inputs[2]) == I32s{8});
}

TEST_CASE("TensorScatterUpdate is a masked sum of two SCATTER_NDs", "[converter][legalize]") {
  GraphBuilder b;
  b.input("t", {4})
      .constant("i", {2, 1}, I64{1, 2}, ir::DType::Int32)
      .input("u", {2})
      .op("s", "TensorScatterUpdate", {"t", "i", "u"}, {4})
      .output("y", "s");
  const auto model = legalize_typed(b);
  const auto& sg = model.subgraphs[0];
  // TensorFlow's converter: BROADCAST_TO (ones like the updates), SCATTER_ND x2, SUB, MUL, ADD.
  REQUIRE(op_names(sg) == Names{"BROADCAST_TO", "SCATTER_ND", "SUB", "MUL", "SCATTER_ND", "ADD"});
  CHECK(ints(model, sg, sg.operators[0].inputs[1]) == I32s{2});
  CHECK(floats(model, sg, sg.operators[0].inputs[0]) == std::vector<float>{1.0F});
  CHECK(ints(model, sg, sg.operators[1].inputs[2]) == I32s{4});
  CHECK(sg.operators[5].outputs[0] == sg.outputs[0]);
}

TEST_CASE("A slice of a SHAPE that picks static dims is a constant", "[converter][legalize]") {
  GraphBuilder b;
  b.input("x", {-1, 16, 8})
      .op("shape", "Shape", {"x"}, {3})
      .constant("b", {1}, I64{1}, ir::DType::Int32)
      .constant("e", {1}, I64{0}, ir::DType::Int32)
      .constant("b0", {1}, I64{0}, ir::DType::Int32)
      .constant("e0", {1}, I64{1}, ir::DType::Int32)
      .constant("s", {1}, I64{1}, ir::DType::Int32)
      .op("tail", "StridedSlice", {"shape", "b", "e", "s"}, {2})
      .attr("end_mask", std::int64_t{1})
      .op("batch", "StridedSlice", {"shape", "b0", "e0", "s"}, {})
      .attr("shrink_axis_mask", std::int64_t{1})
      .output("t", "tail")
      .output("n", "batch");
  const auto model = legalize_typed(b, {{"shape", {i32({3})}}, {"tail", {i32({2})}}, {"batch", {i32({})}}});
  const auto& sg = model.subgraphs[0];
  // [16, 8] is known; the batch dim is only known at run time.
  REQUIRE(op_names(sg) == Names{"SHAPE", "STRIDED_SLICE"});
  CHECK(ints(model, sg, sg.outputs[0]) == std::vector<std::int32_t>{16, 8});
}
