#include <catch2/catch.hpp>

#include <numeric>

#include "converter/legalize/legalize.h"
#include "tests/converter/legalize/graph_builder.h"

using namespace litelint;
using converter::tfl::Model;
using testing::GraphBuilder;
using testing::op_names;
using Names = std::vector<std::string>;

namespace {

Model legalize_ok(const GraphBuilder& b) {
  converter::ConvertReport report;
  auto model = converter::legalize(b.program(), {}, report);
  INFO((model ? "" : model.error().reason()));
  REQUIRE(model);
  return std::move(*model);
}

std::vector<float> iota(std::size_t n) {
  std::vector<float> v(n);
  std::iota(v.begin(), v.end(), 0.0F);
  return v;
}

}  // namespace

TEST_CASE("Conv2D becomes CONV_2D with an OHWI filter and a zero bias", "[converter][legalize]") {
  // HWIO [2,2,1,3]: element (h,w,i,o) = ((h*2 + w)*1 + i)*3 + o.
  GraphBuilder b;
  b.input("x", {1, 5, 5, 1})
      .constant("w", {2, 2, 1, 3}, iota(12))
      .op("conv", "Conv2D", {"x", "w"}, {1, 3, 2, 3})
      .attr("padding", std::string("VALID"))
      .attr("strides", std::vector<std::int64_t>{1, 2, 3, 1})
      .attr("dilations", std::vector<std::int64_t>{1, 1, 1, 1})
      .output("y", "conv");
  const auto model = legalize_ok(b);
  const auto& sg = model.subgraphs[0];
  REQUIRE(op_names(sg) == Names{"CONV_2D"});
  const auto& op = sg.operators[0];
  REQUIRE(op.inputs.size() == 3);
  CHECK(sg.tensors[op.inputs[1]].shape == std::vector<std::int32_t>{3, 2, 2, 1});
  // OHWI element (o,h,w,0) = HWIO element (h,w,0,o) = (h*2 + w)*3 + o.
  CHECK(testing::floats(model, sg, op.inputs[1]) ==
        std::vector<float>{0, 3, 6, 9, 1, 4, 7, 10, 2, 5, 8, 11});
  CHECK(sg.tensors[op.inputs[2]].shape == std::vector<std::int32_t>{3});
  CHECK(testing::floats(model, sg, op.inputs[2]) == std::vector<float>{0, 0, 0});
  const auto* o = op.options.AsConv2DOptions();
  REQUIRE(o != nullptr);
  CHECK(o->padding == tflite::Padding::VALID);
  CHECK(o->stride_h == 2);
  CHECK(o->stride_w == 3);
  CHECK(o->dilation_h_factor == 1);
}

TEST_CASE("NCHW Conv2D and MaxPool run between TRANSPOSEs", "[converter][legalize]") {
  GraphBuilder b;
  b.input("x", {1, 2, 4, 4})
      .constant("w", {1, 1, 2, 3}, iota(6))
      .op("conv", "Conv2D", {"x", "w"}, {1, 3, 4, 4})
      .attr("padding", std::string("SAME"))
      .attr("data_format", std::string("NCHW"))
      .attr("strides", std::vector<std::int64_t>{1, 1, 1, 1})
      .op("pool", "MaxPool", {"conv"}, {1, 3, 2, 2})
      .attr("padding", std::string("VALID"))
      .attr("data_format", std::string("NCHW"))
      .attr("ksize", std::vector<std::int64_t>{1, 1, 2, 2})
      .attr("strides", std::vector<std::int64_t>{1, 1, 2, 2})
      .output("y", "pool");
  const auto model = legalize_ok(b);
  const auto& sg = model.subgraphs[0];
  REQUIRE(op_names(sg) == Names{"TRANSPOSE", "CONV_2D", "TRANSPOSE", "TRANSPOSE", "MAX_POOL_2D", "TRANSPOSE"});
  CHECK(testing::ints(model, sg, sg.operators[0].inputs[1]) == std::vector<std::int32_t>{0, 2, 3, 1});
  CHECK(sg.tensors[sg.operators[1].outputs[0]].shape == std::vector<std::int32_t>{1, 4, 4, 3});
  CHECK(testing::ints(model, sg, sg.operators[2].inputs[1]) == std::vector<std::int32_t>{0, 3, 1, 2});
  const auto* pool = sg.operators[4].options.AsPool2DOptions();
  REQUIRE(pool != nullptr);
  CHECK(pool->filter_height == 2);
  CHECK(pool->filter_width == 2);
  CHECK(pool->stride_h == 2);
  CHECK(sg.tensors[sg.operators[5].outputs[0]].shape == std::vector<std::int32_t>{1, 3, 2, 2});
}

TEST_CASE("EXPLICIT padding becomes a PAD before a VALID CONV_2D", "[converter][legalize]") {
  GraphBuilder b;
  b.input("x", {1, 4, 4, 1})
      .constant("w", {3, 3, 1, 1}, iota(9))
      .op("conv", "Conv2D", {"x", "w"}, {1, 5, 3, 1})
      .attr("padding", std::string("EXPLICIT"))
      .attr("explicit_paddings", std::vector<std::int64_t>{0, 0, 1, 2, 0, 1, 0, 0})
      .attr("strides", std::vector<std::int64_t>{1, 1, 1, 1})
      .output("y", "conv");
  const auto model = legalize_ok(b);
  const auto& sg = model.subgraphs[0];
  REQUIRE(op_names(sg) == Names{"PAD", "CONV_2D"});
  CHECK(testing::ints(model, sg, sg.operators[0].inputs[1]) == std::vector<std::int32_t>{0, 0, 1, 2, 0, 1, 0, 0});
  CHECK(sg.tensors[sg.operators[0].outputs[0]].shape == std::vector<std::int32_t>{1, 7, 5, 1});
  CHECK(sg.operators[1].options.AsConv2DOptions()->padding == tflite::Padding::VALID);
}

TEST_CASE("DepthwiseConv2dNative keeps the filter bytes as [1,H,W,C*M]", "[converter][legalize]") {
  GraphBuilder b;
  b.input("x", {1, 4, 4, 2})
      .constant("w", {1, 2, 2, 3}, iota(12))
      .op("dw", "DepthwiseConv2dNative", {"x", "w"}, {1, 4, 4, 6})
      .attr("padding", std::string("SAME"))
      .attr("strides", std::vector<std::int64_t>{1, 1, 1, 1})
      .attr("dilations", std::vector<std::int64_t>{1, 2, 2, 1})
      .output("y", "dw");
  const auto model = legalize_ok(b);
  const auto& sg = model.subgraphs[0];
  REQUIRE(op_names(sg) == Names{"DEPTHWISE_CONV_2D"});
  const auto& op = sg.operators[0];
  CHECK(sg.tensors[op.inputs[1]].shape == std::vector<std::int32_t>{1, 1, 2, 6});
  CHECK(testing::floats(model, sg, op.inputs[1]) == iota(12));
  CHECK(testing::floats(model, sg, op.inputs[2]) == std::vector<float>(6, 0.0F));
  const auto* o = op.options.AsDepthwiseConv2DOptions();
  REQUIRE(o != nullptr);
  CHECK(o->depth_multiplier == 3);
  CHECK(o->dilation_h_factor == 2);
  CHECK(o->padding == tflite::Padding::SAME);
}

TEST_CASE("Conv2DBackpropInput becomes TRANSPOSE_CONV with an [O,H,W,I] filter", "[converter][legalize]") {
  // Filter [H,W,O,I] = [1,2,3,1]: element (0,w,o,0) = w*3 + o.
  GraphBuilder b;
  b.input("x", {1, 2, 2, 1})
      .constant("sizes", {4}, std::vector<int>{1, 4, 4, 3}, ir::DType::Int32)
      .constant("w", {1, 2, 3, 1}, iota(6))
      .op("tconv", "Conv2DBackpropInput", {"sizes", "w", "x"}, {1, 4, 4, 3})
      .attr("padding", std::string("SAME"))
      .attr("strides", std::vector<std::int64_t>{1, 2, 2, 1})
      .output("y", "tconv");
  const auto model = legalize_ok(b);
  const auto& sg = model.subgraphs[0];
  REQUIRE(op_names(sg) == Names{"TRANSPOSE_CONV"});
  const auto& op = sg.operators[0];
  REQUIRE(op.inputs.size() == 3);  // no bias operand, as TensorFlow's converter writes it
  CHECK(testing::ints(model, sg, op.inputs[0]) == std::vector<std::int32_t>{1, 4, 4, 3});
  CHECK(sg.tensors[op.inputs[1]].shape == std::vector<std::int32_t>{3, 1, 2, 1});
  CHECK(testing::floats(model, sg, op.inputs[1]) == std::vector<float>{0, 3, 1, 4, 2, 5});
  const auto* o = op.options.AsTransposeConvOptions();
  REQUIRE(o != nullptr);
  CHECK(o->stride_h == 2);
  CHECK(o->padding == tflite::Padding::SAME);
}

TEST_CASE("Conv3D becomes CONV_3D with TensorFlow's filter and no bias", "[converter][legalize]") {
  GraphBuilder b;
  b.input("x", {1, 2, 4, 4, 1})
      .constant("w", {1, 2, 2, 1, 2}, iota(8))
      .op("conv", "Conv3D", {"x", "w"}, {1, 2, 4, 4, 2})
      .attr("padding", std::string("SAME"))
      .attr("strides", std::vector<std::int64_t>{1, 1, 2, 1, 1})
      .output("y", "conv");
  const auto model = legalize_ok(b);
  const auto& sg = model.subgraphs[0];
  REQUIRE(op_names(sg) == Names{"CONV_3D"});
  const auto& op = sg.operators[0];
  REQUIRE(op.inputs.size() == 3);
  CHECK(op.inputs[2] == -1);
  CHECK(testing::floats(model, sg, op.inputs[1]) == iota(8));
  CHECK(op.options.AsConv3DOptions()->stride_h == 2);
  CHECK(op.options.AsConv3DOptions()->stride_d == 1);
}

TEST_CASE("Inference FusedBatchNormV3 becomes MUL and ADD by folded constants", "[converter][legalize]") {
  GraphBuilder b;
  b.input("x", {1, 2, 2, 2})
      .constant("scale", {2}, std::vector<float>{2, 3})
      .constant("offset", {2}, std::vector<float>{1, -1})
      .constant("mean", {2}, std::vector<float>{0.5F, 2})
      .constant("var", {2}, std::vector<float>{3.9F, 8.9F})
      .op("bn", "FusedBatchNormV3", {"x", "scale", "offset", "mean", "var"}, {1, 2, 2, 2})
      .attr("epsilon", 0.1F)
      .attr("is_training", false)
      .output("y", "bn");
  const auto model = legalize_ok(b);
  const auto& sg = model.subgraphs[0];
  REQUIRE(op_names(sg) == Names{"MUL", "ADD"});
  // m = scale / sqrt(var + eps) = {1, 1}; s = offset - mean * m = {0.5, -3}.
  const auto m = testing::floats(model, sg, sg.operators[0].inputs[1]);
  const auto s = testing::floats(model, sg, sg.operators[1].inputs[1]);
  REQUIRE(m.size() == 2);
  CHECK(m[0] == Approx(1.0F));
  CHECK(m[1] == Approx(1.0F));
  CHECK(s[0] == Approx(0.5F));
  CHECK(s[1] == Approx(-3.0F));
  CHECK(sg.operators[1].inputs[0] == sg.operators[0].outputs[0]);
}

TEST_CASE("Training-mode FusedBatchNorm of a dynamic batch is not lowered", "[converter][legalize]") {
  GraphBuilder b;
  b.input("x", {-1, 2, 2, 1})
      .constant("p", {1}, std::vector<float>{1})
      .op("bn", "FusedBatchNorm", {"x", "p", "p", "p", "p"}, {-1, 2, 2, 1})
      .attr("is_training", true)
      .output("y", "bn");
  converter::ConvertReport report;
  auto model = converter::legalize(b.program(), {}, report);
  REQUIRE_FALSE(model);
  CHECK_THAT(model.error().reason(), Catch::Contains("training"));
}

TEST_CASE("Spatial ops keep their operands, as int32", "[converter][legalize]") {
  GraphBuilder b;
  b.input("x", {1, 4, 4, 4})
      .constant("paddings", {4, 2}, std::vector<int>{0, 0, 1, 1, 2, 2, 0, 0}, ir::DType::Int64)
      .op("pad", "MirrorPad", {"x", "paddings"}, {1, 6, 8, 4})
      .attr("mode", std::string("SYMMETRIC"))
      .constant("size", {2}, std::vector<int>{8, 8}, ir::DType::Int32)
      .op("resize", "ResizeBilinear", {"x", "size"}, {1, 8, 8, 4})
      .attr("half_pixel_centers", true)
      .op("d2s", "DepthToSpace", {"x"}, {1, 8, 8, 1})
      .attr("block_size", std::int64_t{2})
      .output("a", "pad")
      .output("b", "resize")
      .output("c", "d2s");
  const auto model = legalize_ok(b);
  const auto& sg = model.subgraphs[0];
  REQUIRE(op_names(sg) == Names{"MIRROR_PAD", "RESIZE_BILINEAR", "DEPTH_TO_SPACE"});
  const auto& pad = sg.operators[0];
  CHECK(sg.tensors[pad.inputs[1]].type == tflite::TensorType::INT32);
  CHECK(testing::ints(model, sg, pad.inputs[1]) == std::vector<std::int32_t>{0, 0, 1, 1, 2, 2, 0, 0});
  CHECK(pad.options.AsMirrorPadOptions()->mode == tflite::MirrorPadMode::SYMMETRIC);
  const auto* r = sg.operators[1].options.AsResizeBilinearOptions();
  REQUIRE(r != nullptr);
  CHECK(r->half_pixel_centers);
  CHECK_FALSE(r->align_corners);
  CHECK(sg.operators[2].options.AsDepthToSpaceOptions()->block_size == 2);
}
