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

namespace {

GraphBuilder& conv(GraphBuilder& b, const std::string& name, const std::string& input, std::vector<std::int64_t> out,
                   const std::string& padding, std::int64_t stride) {
  return b.op(name, "Conv2D", {input, "w"}, std::move(out))
      .attr("padding", padding)
      .attr("strides", std::vector<std::int64_t>{1, stride, stride, 1});
}

}  // namespace

TEST_CASE("A per-channel MUL and ADD after a convolution fold into its weights and bias", "[converter][fuse]") {
  // Conv2D -> Mul -> AddV2: the Keras Conv + inference BatchNorm pattern after constant folding.
  GraphBuilder b;
  b.input("x", {1, 3, 3, 1})
      .constant("w", {1, 1, 1, 2}, std::vector<float>{1, 2})
      .constant("m", {2}, std::vector<float>{3, -1})
      .constant("s", {2}, std::vector<float>{0.5F, 4});
  conv(b, "conv", "x", {1, 3, 3, 2}, "SAME", 1)
      .op("mul", "Mul", {"conv", "m"}, {1, 3, 3, 2})
      .op("add", "AddV2", {"mul", "s"}, {1, 3, 3, 2})
      .op("relu", "Relu", {"add"}, {1, 3, 3, 2})
      .output("y", "relu");
  const auto model = testing::legalize_and_fuse(b);
  const auto& sg = model.subgraphs[0];
  REQUIRE(op_names(sg) == Names{"CONV_2D"});
  const auto& op = sg.operators[0];
  CHECK(testing::floats(model, sg, op.inputs[1]) == std::vector<float>{3, -2});
  CHECK(testing::floats(model, sg, op.inputs[2]) == std::vector<float>{0.5F, 4});
  CHECK(op.options.AsConv2DOptions()->fused_activation_function == tflite::ActivationFunctionType::RELU);
}

TEST_CASE("A per-channel MUL before a convolution, or one after its activation, stays", "[converter][fuse]") {
  GraphBuilder b;
  b.input("x", {1, 3, 3, 2})
      .constant("w", {1, 1, 2, 1}, std::vector<float>{2, 5})
      .constant("m", {2}, std::vector<float>{3, 4})
      .constant("k", {1}, std::vector<float>{3})
      .op("pre", "Mul", {"x", "m"}, {1, 3, 3, 2});
  conv(b, "conv", "pre", {1, 3, 3, 1}, "SAME", 1)
      .op("relu", "Relu", {"conv"}, {1, 3, 3, 1})
      .op("post", "Mul", {"relu", "k"}, {1, 3, 3, 1})
      .output("y", "post");
  const auto model = testing::legalize_and_fuse(b);
  const auto& sg = model.subgraphs[0];
  REQUIRE(op_names(sg) == Names{"MUL", "CONV_2D", "MUL"});
  CHECK(testing::floats(model, sg, sg.operators[1].inputs[1]) == std::vector<float>{2, 5});
}

TEST_CASE("A scalar MUL before a convolution folds into its weights but not its bias", "[converter][fuse]") {
  GraphBuilder b;
  b.input("x", {1, 3, 3, 2})
      .constant("w", {1, 1, 2, 1}, std::vector<float>{2, 5})
      .constant("s", {}, std::vector<float>{0.5F})
      .constant("bias", {1}, std::vector<float>{7})
      .op("pre", "Mul", {"s", "x"}, {1, 3, 3, 2});
  conv(b, "conv", "pre", {1, 3, 3, 1}, "SAME", 1)
      .op("add", "BiasAdd", {"conv", "bias"}, {1, 3, 3, 1})
      .output("y", "add");
  const auto model = testing::legalize_and_fuse(b);
  const auto& sg = model.subgraphs[0];
  REQUIRE(op_names(sg) == Names{"CONV_2D"});
  CHECK(sg.operators[0].inputs[0] == sg.inputs[0]);
  CHECK(testing::floats(model, sg, sg.operators[0].inputs[1]) == std::vector<float>{1, 2.5F});
  CHECK(testing::floats(model, sg, sg.operators[0].inputs[2]) == std::vector<float>{7});
}

TEST_CASE("A MUL by a constant of another shape than the channels stays", "[converter][fuse]") {
  GraphBuilder b;
  b.input("x", {1, 2, 2, 1})
      .constant("w", {1, 1, 1, 2}, std::vector<float>{1, 2})
      .constant("m", {2, 1, 1}, std::vector<float>{3, 4});
  conv(b, "conv", "x", {1, 2, 2, 2}, "SAME", 1)
      .op("mul", "Mul", {"conv", "m"}, {1, 2, 2, 2})
      .output("y", "mul");
  const auto model = testing::legalize_and_fuse(b);
  CHECK(op_names(model.subgraphs[0]) == Names{"CONV_2D", "MUL"});
}

TEST_CASE("A zero PAD equal to SAME padding folds into the VALID convolution after it", "[converter][fuse]") {
  // 3x3 stride 2 on 8x8: SAME pads (0, 1) on each spatial axis (Keras' correct_pad).
  GraphBuilder b;
  b.input("x", {1, 8, 8, 1})
      .constant("w", {3, 3, 1, 1}, std::vector<float>(9, 1.0F))
      .constant("same", {4, 2}, std::vector<int>{0, 0, 0, 1, 0, 1, 0, 0}, ir::DType::Int32)
      .constant("other", {4, 2}, std::vector<int>{0, 0, 1, 1, 1, 1, 0, 0}, ir::DType::Int32)
      .op("pad1", "Pad", {"x", "same"}, {1, 9, 9, 1})
      .op("pad2", "Pad", {"x", "other"}, {1, 10, 10, 1});
  conv(b, "conv1", "pad1", {1, 4, 4, 1}, "VALID", 2);
  conv(b, "conv2", "pad2", {1, 4, 4, 1}, "VALID", 2).output("a", "conv1").output("b", "conv2");
  const auto model = testing::legalize_and_fuse(b);
  const auto& sg = model.subgraphs[0];
  REQUIRE(op_names(sg) == Names{"PAD", "CONV_2D", "CONV_2D"});
  CHECK(sg.operators[1].options.AsConv2DOptions()->padding == tflite::Padding::SAME);
  CHECK(sg.operators[1].inputs[0] == sg.inputs[0]);
  CHECK(sg.operators[2].options.AsConv2DOptions()->padding == tflite::Padding::VALID);
  CHECK(sg.operators[2].inputs[0] == sg.operators[0].outputs[0]);
}

TEST_CASE("The TRANSPOSEs between two NCHW ops cancel across a bias ADD and a RELU", "[converter][fuse]") {
  // NCHW Conv2D -> Add(bias [C,1,1]) -> Relu -> NCHW MaxPool, as TensorFlow's converter
  // writes it: TRANSPOSE, CONV_2D (bias and RELU fused), MAX_POOL_2D, TRANSPOSE.
  GraphBuilder b;
  b.input("x", {1, 1, 4, 4})
      .constant("w", {1, 1, 1, 2}, std::vector<float>{1, 2})
      .constant("bias", {2, 1, 1}, std::vector<float>{5, 6})
      .op("conv", "Conv2D", {"x", "w"}, {1, 2, 4, 4})
      .attr("padding", std::string("SAME"))
      .attr("data_format", std::string("NCHW"))
      .attr("strides", std::vector<std::int64_t>{1, 1, 1, 1})
      .op("add", "AddV2", {"conv", "bias"}, {1, 2, 4, 4})
      .op("relu", "Relu", {"add"}, {1, 2, 4, 4})
      .op("pool", "MaxPool", {"relu"}, {1, 2, 2, 2})
      .attr("padding", std::string("VALID"))
      .attr("data_format", std::string("NCHW"))
      .attr("ksize", std::vector<std::int64_t>{1, 1, 2, 2})
      .attr("strides", std::vector<std::int64_t>{1, 1, 2, 2})
      .output("y", "pool");
  const auto model = testing::legalize_and_fuse(b);
  const auto& sg = model.subgraphs[0];
  REQUIRE(op_names(sg) == Names{"TRANSPOSE", "CONV_2D", "MAX_POOL_2D", "TRANSPOSE"});
  const auto& conv = sg.operators[1];
  CHECK(testing::floats(model, sg, conv.inputs[2]) == std::vector<float>{5, 6});
  CHECK(conv.options.AsConv2DOptions()->fused_activation_function == tflite::ActivationFunctionType::RELU);
  CHECK(sg.operators[2].inputs[0] == conv.outputs[0]);
  CHECK(sg.tensors[sg.operators[3].outputs[0]].shape == std::vector<std::int32_t>{1, 2, 2, 2});
}

TEST_CASE("A TRANSPOSE whose chain does not end in its inverse stays where it is", "[converter][fuse]") {
  GraphBuilder b;
  b.input("x", {1, 2, 4, 4})
      .constant("perm", {4}, std::vector<int>{0, 2, 3, 1}, ir::DType::Int32)
      .op("t", "Transpose", {"x", "perm"}, {1, 4, 4, 2})
      .op("relu", "Relu", {"t"}, {1, 4, 4, 2})
      .output("y", "relu");
  const auto model = testing::legalize_and_fuse(b);
  CHECK(op_names(model.subgraphs[0]) == Names{"TRANSPOSE", "RELU"});
}

TEST_CASE("A bias after SpaceToBatchND -> Conv2D -> BatchToSpaceND folds into the convolution",
          "[converter][fuse]") {
  // Keras' dilated Conv2D with a dynamic batch: TensorFlow's converter keeps the three
  // operators and drops the ADD.
  GraphBuilder b;
  b.input("x", {1, 4, 4, 1})
      .constant("w", {1, 1, 1, 2}, std::vector<float>{1, 2})
      .constant("block", {2}, std::vector<int>{2, 2}, ir::DType::Int32)
      .constant("zeros", {2, 2}, std::vector<int>{0, 0, 0, 0}, ir::DType::Int32)
      .constant("bias", {2}, std::vector<float>{7, 8})
      .op("s2b", "SpaceToBatchND", {"x", "block", "zeros"}, {4, 2, 2, 1});
  conv(b, "conv", "s2b", {4, 2, 2, 2}, "VALID", 1)
      .op("b2s", "BatchToSpaceND", {"conv", "block", "zeros"}, {1, 4, 4, 2})
      .op("add", "BiasAdd", {"b2s", "bias"}, {1, 4, 4, 2})
      .output("y", "add");
  const auto model = testing::legalize_and_fuse(b);
  const auto& sg = model.subgraphs[0];
  REQUIRE(op_names(sg) == Names{"SPACE_TO_BATCH_ND", "CONV_2D", "BATCH_TO_SPACE_ND"});
  CHECK(testing::floats(model, sg, sg.operators[1].inputs[2]) == std::vector<float>{7, 8});
  CHECK(sg.tensors[sg.operators[1].outputs[0]].shape == std::vector<std::int32_t>{4, 2, 2, 2});
  CHECK(sg.operators[2].outputs[0] == sg.outputs[0]);
}
