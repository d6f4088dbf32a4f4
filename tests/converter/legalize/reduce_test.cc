#include "tests/converter/legalize/lowering_test_support.h"

using namespace litelint;
using namespace litelint::testing;
using I64 = std::vector<std::int64_t>;

TEST_CASE("Reductions keep negative axes and keep_dims", "[converter][legalize]") {
  GraphBuilder b;
  b.input("x", {2, 3, 4})
      .constant("axes", {2}, I64{-1, 0}, ir::DType::Int64)
      .op("sum", "Sum", {"x", "axes"}, {1, 3, 1})
      .attr("keep_dims", true)
      .op("mean", "Mean", {"x", "axes"}, {3})
      .op("max", "Max", {"x", "axes"}, {3})
      .op("min", "Min", {"x", "axes"}, {3})
      .op("prod", "Prod", {"x", "axes"}, {3})
      .output("a", "sum")
      .output("c", "mean")
      .output("d", "max")
      .output("e", "min")
      .output("f", "prod");
  const auto model = legalize_typed(b);
  const auto& sg = model.subgraphs[0];
  REQUIRE(op_names(sg) == Names{"SUM", "MEAN", "REDUCE_MAX", "REDUCE_MIN", "REDUCE_PROD"});
  for (const auto& op : sg.operators) {
    CHECK(sg.tensors[op.inputs[1]].type == tflite::TensorType::INT32);
    CHECK(ints(model, sg, op.inputs[1]) == std::vector<std::int32_t>{-1, 0});
  }
  CHECK(sg.operators[0].options.AsReducerOptions()->keep_dims);
  CHECK_FALSE(sg.operators[1].options.AsReducerOptions()->keep_dims);
}

TEST_CASE("Any and All reduce bool tensors", "[converter][legalize]") {
  GraphBuilder b;
  b.input("x", {2, 3}, ir::DType::Bool)
      .constant("axis", {}, I64{1}, ir::DType::Int32)
      .op("any", "Any", {"x", "axis"}, {2})
      .op("all", "All", {"x", "axis"}, {2})
      .output("a", "any")
      .output("c", "all");
  const auto model = legalize_typed(b, {{"any", {boolean({2})}}, {"all", {boolean({2})}}});
  REQUIRE(op_names(model.subgraphs[0]) == Names{"REDUCE_ANY", "REDUCE_ALL"});
}

TEST_CASE("A reduction over dims of size 1 is a RESHAPE", "[converter][legalize]") {
  GraphBuilder b;
  b.input("x", {1, 1, 1, 8})
      .constant("axes", {2}, I64{1, 2}, ir::DType::Int32)
      .op("m", "Mean", {"x", "axes"}, {1, 8})
      .output("y", "m");
  const auto model = legalize_typed(b);
  const auto& sg = model.subgraphs[0];
  REQUIRE(op_names(sg) == Names{"RESHAPE"});
  CHECK(ints(model, sg, sg.operators[0].inputs[1]) == std::vector<std::int32_t>{1, 8});
}
