// Real, Imag and Atan2: one builtin each (REAL, IMAG, ATAN2), with the complex64 operand kept.
#include "tests/converter/legalize/lowering_test_support.h"

using namespace litelint;
using namespace litelint::testing;

TEST_CASE("Real and Imag become REAL and IMAG of the complex64 tensor", "[converter][legalize]") {
  GraphBuilder b;
  b.input("c", {2, 5}, ir::DType::Complex64).op("re", "Real", {"c"}, {2, 5}).op("im", "Imag", {"c"}, {2, 5});
  b.op("sum", "AddV2", {"re", "im"}, {2, 5}).output("y", "sum");
  const auto model = legalize_typed(b);
  const auto& sg = model.subgraphs[0];
  CHECK(op_names(sg) == std::vector<std::string>{"REAL", "IMAG", "ADD"});
  CHECK(sg.tensors[sg.operators[0].inputs[0]].type == tflite::TensorType::COMPLEX64);
  CHECK(sg.tensors[sg.operators[0].outputs[0]].type == tflite::TensorType::FLOAT32);
  CHECK(sg.operators[0].inputs == sg.operators[1].inputs);
}

TEST_CASE("Atan2 becomes ATAN2 with y first, for float32 only", "[converter][legalize]") {
  GraphBuilder b;
  b.input("y", {4}).input("x", {4}).op("a", "Atan2", {"y", "x"}, {4}).output("out", "a");
  const auto model = legalize_typed(b);
  const auto& sg = model.subgraphs[0];
  REQUIRE(op_names(sg) == std::vector<std::string>{"ATAN2"});
  CHECK(sg.operators[0].inputs == std::vector<std::int32_t>{sg.inputs[0], sg.inputs[1]});

  GraphBuilder d;
  d.input("y", {4}, ir::DType::Double).input("x", {4}, ir::DType::Double).op("a", "Atan2", {"y", "x"}, {4}).output("out", "a");
  CHECK_THAT(legalize_error(d), Catch::Contains("float32 only"));
}
