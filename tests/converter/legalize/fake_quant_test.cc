#include "tests/converter/legalize/lowering_test_support.h"

using namespace litelint;
using namespace litelint::testing;

TEST_CASE("FakeQuantWithMinMaxVars on a computed tensor is QUANTIZE to uint8 and DEQUANTIZE",
          "[converter][legalize]") {
  GraphBuilder b;
  b.input("x", {1, 4})
      .constant<float>("lo", {}, {0.0f})
      .constant<float>("hi", {}, {44.470608f})
      .op("fq", "FakeQuantWithMinMaxVars", {"x", "lo", "hi"}, {1, 4})
      .attr("num_bits", std::int64_t{8})
      .attr("narrow_range", false)
      .output("y", "fq");
  const auto model = legalize_typed(b);
  const auto& sg = model.subgraphs[0];
  REQUIRE(op_names(sg) == Names{"QUANTIZE", "DEQUANTIZE"});
  const auto& q = sg.tensors[sg.operators[0].outputs[0]];
  CHECK(q.type == tflite::TensorType::UINT8);
  REQUIRE(q.quantization);
  // TensorFlow's converter writes scale 0.17439453 and zero point 0 for this range.
  CHECK(q.quantization->scale[0] == Approx(0.17439453f).epsilon(1e-6));
  CHECK(q.quantization->zero_point[0] == 0);
  CHECK(sg.operators[1].inputs[0] == sg.operators[0].outputs[0]);
}

TEST_CASE("FakeQuant with a narrow or sub-8-bit range clamps before QUANTIZE", "[converter][legalize]") {
  GraphBuilder b;
  b.input("x", {4})
      .op("fq", "FakeQuantWithMinMaxArgs", {"x"}, {4})
      .attr("min", -3.0f)
      .attr("max", 3.0f)
      .attr("num_bits", std::int64_t{4})
      .attr("narrow_range", true)
      .output("y", "fq");
  const auto model = legalize_typed(b);
  const auto& sg = model.subgraphs[0];
  REQUIRE(op_names(sg) == Names{"MAXIMUM", "MINIMUM", "QUANTIZE", "DEQUANTIZE"});
  // Quantized range [1, 15]: scale 6/14, zero point 8; nudged range [-3, 3].
  const auto& q = *sg.tensors[sg.operators[2].outputs[0]].quantization;
  CHECK(q.scale[0] == Approx(6.0f / 14.0f));
  CHECK(q.zero_point[0] == 8);
  CHECK(floats(model, sg, sg.operators[0].inputs[1]) == std::vector<float>{-3.0f});
  CHECK(floats(model, sg, sg.operators[1].inputs[1]) == std::vector<float>{3.0f});
}

TEST_CASE("FakeQuant of a constant weight is folded with TensorFlow's kernel numbers", "[converter][legalize]") {
  GraphBuilder b;
  b.input("x", {1, 2})
      .constant<float>("w", {2, 2}, {0.3f, -2.0f, 5.0f, 0.0f})
      .constant<float>("lo", {2}, {-1.0f, -1.0f})
      .constant<float>("hi", {2}, {1.0f, 2.0f})
      .op("fq", "FakeQuantWithMinMaxVarsPerChannel", {"w", "lo", "hi"}, {2, 2})
      .attr("num_bits", std::int64_t{8})
      .attr("narrow_range", false)
      .op("mm", "MatMul", {"x", "fq"}, {1, 2})
      .output("y", "mm");
  const auto model = legalize_typed(b);
  const auto& sg = model.subgraphs[0];
  REQUIRE(op_names(sg) == Names{"FULLY_CONNECTED"});
  const auto w = floats(model, sg, sg.operators[0].inputs[1]);  // transposed: [out, in]
  REQUIRE(w.size() == 4);
  // Channel 0: [-1, 1] has zero point 127.5 exactly, 127.49999 in the kernel's float math, so
  // it nudges to 127 and the range to [-127, 128] * 2/255: 0.3 is 38 steps and 5.0 clamps to
  // 128 (TensorFlow's kernel gives the same). Channel 1: [-1, 2] is exact (zero point 85);
  // -2.0 clamps to -1.
  const float s0 = 2.0f / 255.0f;
  CHECK(w[0] == Approx(38 * s0).margin(1e-7));
  CHECK(w[1] == Approx(128 * s0).margin(1e-7));
  CHECK(w[2] == Approx(-1.0f).margin(1e-7));
  CHECK(w[3] == 0.0f);
}

TEST_CASE("per-channel FakeQuant of a computed tensor fails with its reason", "[converter][legalize]") {
  GraphBuilder b;
  b.input("x", {2, 2})
      .constant<float>("lo", {2}, {-1.0f, -1.0f})
      .constant<float>("hi", {2}, {1.0f, 2.0f})
      .op("fq", "FakeQuantWithMinMaxVarsPerChannel", {"x", "lo", "hi"}, {2, 2})
      .output("y", "fq");
  CHECK_THAT(legalize_error(b), Catch::Matchers::Contains("per-channel fake quantization of a computed tensor"));
}
