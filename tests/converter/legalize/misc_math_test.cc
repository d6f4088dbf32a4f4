#include "tests/converter/legalize/lowering_test_support.h"

using namespace litelint;
using namespace litelint::testing;

TEST_CASE("AddN is ADD_N for float32 and a chain of ADD for int64", "[converter][legalize]") {
  GraphBuilder b;
  b.input("x", {3})
      .input("k", {3}, ir::DType::Int64)
      .op("f", "AddN", {"x", "x", "x"}, {3})
      .op("i", "AddN", {"k", "k", "k"}, {3})
      .output("a", "f")
      .output("c", "i");
  const auto model = legalize_typed(b, {{"i", {i64({3})}}});
  const auto& sg = model.subgraphs[0];
  REQUIRE(op_names(sg) == Names{"ADD_N", "ADD", "ADD"});
  CHECK(sg.operators[0].inputs.size() == 3);
  CHECK(sg.operators[2].inputs[0] == sg.operators[1].outputs[0]);
  CHECK(sg.tensors[sg.operators[1].outputs[0]].type == tflite::TensorType::INT64);
}

TEST_CASE("Softplus and Selu are lowered to builtin math", "[converter][legalize]") {
  GraphBuilder b;
  b.input("x", {4}).op("sp", "Softplus", {"x"}, {4}).op("se", "Selu", {"x"}, {4}).output("a", "sp").output("c", "se");
  const auto model = legalize_typed(b);
  const auto& sg = model.subgraphs[0];
  REQUIRE(op_names(sg) == Names{"EXP", "ADD", "LOG", "ELU", "MUL", "GREATER", "SELECT_V2", "MUL"});
}
