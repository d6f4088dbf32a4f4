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

// x * (relu6(x + 3) `scale_op` c), or (x * relu6(x + 3)) `scale_op` c when `scale_last`.
GraphBuilder hard_swish(const std::string& scale_op, float c, bool scale_last, float three = 3) {
  GraphBuilder b;
  b.input("x", {2, 4})
      .constant("three", {}, std::vector<float>{three})
      .constant("c", {}, std::vector<float>{c})
      .op("add", "AddV2", {"x", "three"}, {2, 4})
      .op("relu6", "Relu6", {"add"}, {2, 4});
  if (scale_last) {
    b.op("mul", "Mul", {"x", "relu6"}, {2, 4}).op("out", scale_op, {"mul", "c"}, {2, 4});
  } else {
    b.op("scaled", scale_op, {"relu6", "c"}, {2, 4}).op("out", "Mul", {"x", "scaled"}, {2, 4});
  }
  b.output("y", "out");
  return b;
}

}  // namespace

TEST_CASE("Keras's hard_swish becomes HARD_SWISH in each of its scalings", "[converter][fuse]") {
  for (const auto& [scale_op, c] : {std::pair<std::string, float>{"RealDiv", 6.0F}, {"Mul", 1.0F / 6.0F}}) {
    for (bool scale_last : {false, true}) {
      INFO(scale_op << (scale_last ? " last" : " first"));
      const auto model = testing::legalize_and_fuse(hard_swish(scale_op, c, scale_last));
      const auto& sg = model.subgraphs[0];
      REQUIRE(op_names(sg) == Names{"HARD_SWISH"});
      CHECK(sg.operators[0].inputs == std::vector<std::int32_t>{sg.inputs[0]});
      CHECK(sg.operators[0].outputs == std::vector<std::int32_t>{sg.outputs[0]});
      CHECK(sg.tensors.size() == 2);  // the constants went with the operators
    }
  }
}

TEST_CASE("Near misses of hard_swish stay as they are", "[converter][fuse]") {
  // + 2 instead of + 3, and / 5 instead of / 6.
  CHECK(op_names(testing::legalize_and_fuse(hard_swish("RealDiv", 6.0F, false, 2.0F)).subgraphs[0]) == Names{"ADD", "DIV", "MUL"});
  CHECK(op_names(testing::legalize_and_fuse(hard_swish("RealDiv", 5.0F, false)).subgraphs[0]) == Names{"ADD", "DIV", "MUL"});
  // relu6(x + 3) is also a model output: it must stay computed.
  auto b = hard_swish("RealDiv", 6.0F, false);
  b.output("r", "relu6");
  CHECK(op_names(testing::legalize_and_fuse(b).subgraphs[0]) == Names{"ADD", "DIV", "MUL"});
}

TEST_CASE("hard_sigmoid's scalar + 3 after a convolution folds into its bias", "[converter][fuse]") {
  GraphBuilder b;
  b.input("x", {1, 2, 2, 1})
      .constant("w", {1, 1, 1, 2}, std::vector<float>{1, 2})
      .constant("three", {}, std::vector<float>{3})
      .constant("sixth", {}, std::vector<float>{1.0F / 6.0F})
      .op("conv", "Conv2D", {"x", "w"}, {1, 2, 2, 2})
      .attr("padding", std::string("VALID"))
      .attr("strides", std::vector<std::int64_t>{1, 1, 1, 1})
      .op("add", "AddV2", {"conv", "three"}, {1, 2, 2, 2})
      .op("relu6", "Relu6", {"add"}, {1, 2, 2, 2})
      .op("out", "Mul", {"relu6", "sixth"}, {1, 2, 2, 2})
      .output("y", "out");
  const auto model = testing::legalize_and_fuse(b);
  const auto& sg = model.subgraphs[0];
  REQUIRE(op_names(sg) == Names{"CONV_2D", "MUL"});
  CHECK(testing::floats(model, sg, sg.operators[0].inputs[2]) == std::vector<float>{3, 3});
  CHECK(sg.operators[0].options.AsConv2DOptions()->fused_activation_function == tflite::ActivationFunctionType::RELU6);
}
