#include <catch2/catch.hpp>

#include "converter/fuse/fuse.h"
#include "converter/legalize/legalize.h"
#include "tests/converter/fuse/fuse_test_support.h"
#include "tests/converter/legalize/graph_builder.h"

using namespace litelint;
using converter::tfl::Model;
using testing::GraphBuilder;
using testing::op_names;
using Names = std::vector<std::string>;
using I64 = std::vector<std::int64_t>;

TEST_CASE("A RESHAPE of a RESHAPE keeps only the last shape", "[converter][fuse]") {
  GraphBuilder b;
  b.input("x", {2, 3, 4})
      .constant("s1", {2}, I64{6, 4}, ir::DType::Int32)
      .constant("s2", {2}, I64{4, 6}, ir::DType::Int32)
      .op("r1", "Reshape", {"x", "s1"}, {6, 4})
      .op("r2", "Reshape", {"r1", "s2"}, {4, 6})
      .op("e", "Exp", {"r2"}, {4, 6})
      .output("y", "e");
  const auto model = testing::legalize_and_fuse(b);
  const auto& sg = model.subgraphs[0];
  REQUIRE(op_names(sg) == Names{"RESHAPE", "EXP"});
  CHECK(sg.operators[0].inputs[0] == sg.inputs[0]);
  CHECK(testing::ints(model, sg, sg.operators[0].inputs[1]) == std::vector<std::int32_t>{4, 6});
}

TEST_CASE("A RESHAPE read by two operators stays", "[converter][fuse]") {
  GraphBuilder b;
  b.input("x", {2, 3, 4})
      .constant("s1", {2}, I64{6, 4}, ir::DType::Int32)
      .constant("s2", {2}, I64{4, 6}, ir::DType::Int32)
      .op("r1", "Reshape", {"x", "s1"}, {6, 4})
      .op("r2", "Reshape", {"r1", "s2"}, {4, 6})
      .op("e", "Exp", {"r1"}, {6, 4})
      .output("y", "e")
      .output("z", "r2");
  REQUIRE(op_names(testing::legalize_and_fuse(b).subgraphs[0]) == Names{"RESHAPE", "RESHAPE", "EXP"});
}

TEST_CASE("A RESHAPE to its input's shape goes, also before a subgraph output", "[converter][fuse]") {
  GraphBuilder b;
  b.input("x", {2, 3})
      .constant("s", {2}, I64{2, 3}, ir::DType::Int32)
      .op("e", "Exp", {"x"}, {2, 3})
      .op("r", "Reshape", {"e", "s"}, {2, 3})
      .op("n", "Neg", {"r"}, {2, 3})
      .op("r2", "Reshape", {"n", "s"}, {2, 3})
      .output("y", "r2");
  const auto model = testing::legalize_and_fuse(b);
  const auto& sg = model.subgraphs[0];
  REQUIRE(op_names(sg) == Names{"EXP", "NEG"});
  CHECK(sg.operators[1].inputs[0] == sg.operators[0].outputs[0]);
  CHECK(sg.operators[1].outputs[0] == sg.outputs[0]);
}

TEST_CASE("A RESHAPE of a graph input to its own shape stays when it is the output", "[converter][fuse]") {
  GraphBuilder b;
  b.input("x", {2, 3}).constant("s", {2}, I64{2, 3}, ir::DType::Int32).op("r", "Reshape", {"x", "s"}, {2, 3}).output("y", "r");
  REQUIRE(op_names(testing::legalize_and_fuse(b).subgraphs[0]) == Names{"RESHAPE"});
}

TEST_CASE("A TRANSPOSE by the identity permutation goes", "[converter][fuse]") {
  GraphBuilder b;
  b.input("x", {2, 3})
      .constant("p", {2}, I64{0, 1}, ir::DType::Int32)
      .op("t", "Transpose", {"x", "p"}, {2, 3})
      .op("e", "Exp", {"t"}, {2, 3})
      .output("y", "e");
  const auto model = testing::legalize_and_fuse(b);
  const auto& sg = model.subgraphs[0];
  REQUIRE(op_names(sg) == Names{"EXP"});
  CHECK(sg.operators[0].inputs[0] == sg.inputs[0]);
}

TEST_CASE("tf.nn.gelu's 0.5 * x * erfc(-x * sqrt(1/2)) becomes one GELU", "[converter][fuse]") {
  GraphBuilder b;
  b.input("x", {2, 3})
      .constant("half", {}, std::vector<float>{0.5F})
      .constant("c", {}, std::vector<float>{0.70710678F})
      .op("h", "Mul", {"half", "x"}, {2, 3})
      .op("n", "Neg", {"x"}, {2, 3})
      .op("z", "Mul", {"n", "c"}, {2, 3})
      .op("e", "Erfc", {"z"}, {2, 3})
      .op("g", "Mul", {"h", "e"}, {2, 3})
      .output("y", "g");
  const auto model = testing::legalize_and_fuse(b);
  const auto& sg = model.subgraphs[0];
  REQUIRE(op_names(sg) == Names{"GELU"});
  CHECK(sg.operators[0].inputs == std::vector<std::int32_t>{sg.inputs[0]});
  CHECK(sg.operators[0].outputs[0] == sg.outputs[0]);
  CHECK_FALSE(sg.operators[0].options.AsGeluOptions()->approximate);
}

TEST_CASE("An Erfc outside the GELU pattern stays builtin math", "[converter][fuse]") {
  GraphBuilder b;
  b.input("x", {2, 3}).op("e", "Erfc", {"x"}, {2, 3}).output("y", "e");
  const auto model = testing::legalize_and_fuse(b);
  const auto& sg = model.subgraphs[0];
  CHECK(sg.operators.size() == 21);
  CHECK(sg.operators.back().builtin == tflite::BuiltinOperator::SUB);
}

TEST_CASE("A RESHAPE to the same shape with one dynamic dim goes", "[converter][fuse]") {
  GraphBuilder b;
  b.input("x", {-1, 1, 1, 8})
      .constant("axes", {2}, I64{1, 2}, ir::DType::Int32)
      .op("e", "Exp", {"x"}, {-1, 1, 1, 8})
      .op("m", "Mean", {"e", "axes"}, {-1, 1, 1, 8})
      .attr("keep_dims", true)
      .op("n", "Neg", {"m"}, {-1, 1, 1, 8})
      .output("y", "n");
  REQUIRE(op_names(testing::legalize_and_fuse(b).subgraphs[0]) == Names{"EXP", "NEG"});
}
