#include <cmath>

#include "tests/converter/legalize/lowering_test_support.h"

using namespace litelint;
using namespace litelint::testing;

namespace {

// The operator that writes tensor `t` (-1 when none does).
int producer(const converter::tfl::Subgraph& sg, std::int32_t t) {
  for (std::size_t i = 0; i < sg.operators.size(); ++i) {
    for (auto o : sg.operators[i].outputs) {
      if (o == t) return static_cast<int>(i);
    }
  }
  return -1;
}

}  // namespace

TEST_CASE("Lgamma is TensorFlow's Lanczos lowering in elementwise builtins", "[converter][legalize]") {
  GraphBuilder b;
  b.input("x", {4}).op("l", "Lgamma", {"x"}, {4}).output("y", "l");
  const auto model = legalize_typed(b);
  const auto& sg = model.subgraphs[0];
  std::map<std::string, int> histogram;
  for (const auto& name : op_names(sg)) ++histogram[name];
  // TensorFlow's converter: 58 operators, the last select broadcasting here.
  CHECK(sg.operators.size() == 58);
  CHECK(histogram == std::map<std::string, int>{{"ABS", 1}, {"ADD", 22}, {"DIV", 9}, {"EQUAL", 2}, {"FLOOR", 1},
                                                {"GREATER", 1}, {"LESS", 1}, {"LOG", 3}, {"MUL", 3}, {"NEG", 2},
                                                {"SELECT", 4}, {"SELECT_V2", 1}, {"SIN", 1}, {"SUB", 7}});
  // The Lanczos terms divide coefficient i by z + i + 1, in TensorFlow's float32 constants.
  std::vector<float> coefficients;
  std::vector<float> offsets;
  for (const auto& op : sg.operators) {
    if (converter::tfl::op_name(op) != "DIV" || sg.tensors[op.inputs[0]].buffer == 0) continue;
    coefficients.push_back(floats(model, sg, op.inputs[0]).at(0));
    const auto add = producer(sg, op.inputs[1]);
    REQUIRE(add >= 0);
    offsets.push_back(floats(model, sg, sg.operators[add].inputs[1]).at(0));
  }
  REQUIRE(coefficients.size() == 8);
  CHECK(coefficients[0] == 676.520368121885098567f);
  CHECK(coefficients[7] == 1.50563273514931155834e-7f);
  CHECK(offsets == std::vector<float>{1, 2, 3, 4, 5, 6, 7, 8});
  // lgamma(+-inf) = +inf: the last operator selects a true infinity.
  const auto& last = sg.operators.back();
  REQUIRE(converter::tfl::op_name(last) == "SELECT_V2");
  CHECK(std::isinf(floats(model, sg, last.inputs[1]).at(0)));
}

TEST_CASE("Lgamma of a dynamic shape selects with SELECT_V2; integer Lgamma is refused", "[converter][legalize]") {
  GraphBuilder b;
  b.input("x", {-1}).op("l", "Lgamma", {"x"}, {-1}).output("y", "l");
  const auto model = legalize_typed(b);
  for (const auto& name : op_names(model.subgraphs[0])) CHECK(name != "SELECT");

  GraphBuilder i;
  i.input("x", {4}, ir::DType::Int32).op("l", "Lgamma", {"x"}, {4}).output("y", "l");
  CHECK(legalize_error(i).find("float32") != std::string::npos);
}

TEST_CASE("Training-mode FusedBatchNormV3 normalizes with the batch statistics", "[converter][legalize]") {
  GraphBuilder b;
  b.input("x", {2, 3, 3, 4})
      .constant<float>("scale", {4}, {1, 2, 3, 4})
      .constant<float>("offset", {4}, {0, 1, 0, 1})
      .constant<float>("mean", {0}, {})
      .constant<float>("variance", {0}, {})
      .op("bn", "FusedBatchNormV3", {"x", "scale", "offset", "mean", "variance"}, {2, 3, 3, 4})
      .attr("is_training", true)
      .attr("epsilon", 0.001F)
      .attr("data_format", std::string("NHWC"))
      .output("y", "bn");
  const auto model = legalize_typed(b);
  const auto& sg = model.subgraphs[0];
  REQUIRE(op_names(sg) == Names{"MEAN", "SQUARED_DIFFERENCE", "MEAN", "ADD", "RSQRT", "MUL", "MUL", "MUL", "SUB", "ADD"});
  const auto& mean = sg.operators[0];
  CHECK(ints(model, sg, mean.inputs[1]) == std::vector<std::int32_t>{0, 1, 2});
  CHECK(shape_of(sg, mean.outputs[0]) == std::vector<std::int32_t>{4});
  CHECK(floats(model, sg, sg.operators[3].inputs[1]) == std::vector<float>{0.001F});
}

TEST_CASE("Training-mode batch norm outputs TensorFlow's statistics and refuses NCHW", "[converter][legalize]") {
  GraphBuilder b;
  b.input("x", {2, 2, 2, 3})
      .constant<float>("scale", {3}, {1, 1, 1})
      .constant<float>("offset", {3}, {0, 0, 0})
      .constant<float>("mean", {3}, {0, 0, 0})
      .constant<float>("variance", {3}, {1, 1, 1})
      .op("bn", "FusedBatchNormV3", {"x", "scale", "offset", "mean", "variance"}, {2, 2, 2, 3})
      .attr("is_training", true)
      .attr("exponential_avg_factor", 0.25F)
      .output("y", "bn")
      .output("m", "bn:1")
      .output("v", "bn:2");
  const auto types = TypeList{f32({2, 2, 2, 3}), f32({3}), f32({3}), f32({3}), f32({3}), f32({})};
  const auto model = legalize_typed(b, {{"bn", types}});
  const auto& sg = model.subgraphs[0];
  // batch_variance = running * 0.75 + (variance * 8 / 7) * 0.25.
  const auto names = op_names(sg);
  REQUIRE(names.size() == 17);
  const auto& bessel = sg.operators[10];
  CHECK(converter::tfl::op_name(bessel) == "MUL");
  CHECK(floats(model, sg, bessel.inputs[1]) == std::vector<float>{8.0F / 7.0F});
  CHECK(converter::tfl::op_name(sg.operators[16]) == "ADD");
  CHECK(sg.operators[16].outputs[0] == sg.outputs[2]);

  GraphBuilder n;
  n.input("x", {2, 3, 2, 2})
      .constant<float>("s", {3}, {1, 1, 1})
      .op("bn", "FusedBatchNormV3", {"x", "s", "s", "s", "s"}, {2, 3, 2, 2})
      .attr("is_training", true)
      .attr("data_format", std::string("NCHW"))
      .output("y", "bn");
  CHECK(legalize_error(n).find("channels-last") != std::string::npos);
}
