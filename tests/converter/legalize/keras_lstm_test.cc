#include "tests/converter/legalize/lowering_test_support.h"

using namespace litelint;
using namespace litelint::testing;

namespace {

/// Values 0, 1, 2, ... (+ offset): each weight element says where it came from.
std::vector<float> iota(std::size_t n, float offset) {
  std::vector<float> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = offset + static_cast<float>(i);
  return v;
}

/// A fused Keras LSTM (input 2, units 2, batch-major) over `x` [1, 3, 2]; `h0` is its initial
/// output state.
GraphBuilder lstm(const std::vector<float>& h0) {
  GraphBuilder b;
  b.input("x", {1, 3, 2})
      .constant<float>("h0", {1, 2}, h0)
      .constant<float>("c0", {1, 2}, {0.0f, 0.0f})
      .constant<float>("kernel", {2, 8}, iota(16, 0.0f))
      .constant<float>("recurrent", {2, 8}, iota(16, 100.0f))
      .constant<float>("bias", {8}, iota(8, 200.0f))
      .op("lstm", "_KerasLstm", {"x", "h0", "c0", "kernel", "recurrent", "bias"}, {1, 3, 2})
      .attr("time_major", false)
      .output("y", "lstm");
  return b;
}

}  // namespace

TEST_CASE("the fused Keras LSTM splits its kernels per gate in TFLite's layout", "[converter][legalize]") {
  const auto model = legalize_typed(lstm({0.0f, 0.0f}));
  const auto& sg = model.subgraphs[0];
  REQUIRE(op_names(sg) == Names{"UNIDIRECTIONAL_SEQUENCE_LSTM"});
  const auto& op = sg.operators[0];
  REQUIRE(op.inputs.size() == 24);
  // Keras's kernel [input, 4 * units] holds i, f, c, o in column blocks; TFLite wants each
  // gate's [units, input]: kernel[r][c] = 8 * r + c, so the forget gate (columns 2..3)
  // transposed is [[2, 10], [3, 11]].
  CHECK(floats(model, sg, op.inputs[1]) == std::vector<float>{0, 8, 1, 9});
  CHECK(floats(model, sg, op.inputs[2]) == std::vector<float>{2, 10, 3, 11});
  CHECK(floats(model, sg, op.inputs[3]) == std::vector<float>{4, 12, 5, 13});
  CHECK(floats(model, sg, op.inputs[4]) == std::vector<float>{6, 14, 7, 15});
  CHECK(floats(model, sg, op.inputs[6]) == std::vector<float>{102, 110, 103, 111});
  CHECK(floats(model, sg, op.inputs[8]) == std::vector<float>{106, 114, 107, 115});
  CHECK(floats(model, sg, op.inputs[12]) == std::vector<float>{200, 201});
  CHECK(floats(model, sg, op.inputs[15]) == std::vector<float>{206, 207});
  for (std::size_t i : {9u, 10u, 11u, 16u, 17u, 20u, 21u, 22u, 23u}) CHECK(op.inputs[i] == -1);
  CHECK(sg.tensors[op.inputs[18]].is_variable);
  CHECK(sg.tensors[op.inputs[19]].is_variable);
  CHECK(shape_of(sg, op.outputs[0]) == std::vector<std::int32_t>{1, 3, 2});
}

TEST_CASE("a fused Keras LSTM with a non-zero initial state is rejected", "[converter][legalize]") {
  CHECK_THAT(legalize_error(lstm({0.0f, 1.0f})), Catch::Matchers::Contains("initial state"));
}
