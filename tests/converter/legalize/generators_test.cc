#include "tests/converter/legalize/lowering_test_support.h"

using namespace litelint;
using namespace litelint::testing;
using I64 = std::vector<std::int64_t>;

TEST_CASE("Fill, Range, Tile, BroadcastTo and OneHot with computed operands", "[converter][legalize]") {
  GraphBuilder b;
  b.input("dims", {2}, ir::DType::Int64)
      .input("n", {}, ir::DType::Int32)
      .input("x", {3})
      .input("idx", {3}, ir::DType::Int32)
      .constant("v", {}, std::vector<float>{2.0F})
      .constant("zero", {}, I64{0}, ir::DType::Int32)
      .constant("one", {}, I64{1}, ir::DType::Int32)
      .constant("mult", {1}, I64{2}, ir::DType::Int64)
      .constant("depth", {}, I64{4}, ir::DType::Int32)
      .constant("on", {}, std::vector<float>{1.0F})
      .constant("off", {}, std::vector<float>{0.0F})
      .op("fill", "Fill", {"dims", "v"}, {-1, -1})
      .op("range", "Range", {"zero", "n", "one"}, {-1})
      .op("tile", "Tile", {"x", "mult"}, {6})
      .op("bt", "BroadcastTo", {"x", "dims"}, {-1, 3})
      .op("oh", "OneHot", {"idx", "depth", "on", "off"}, {3, 4})
      .output("a", "fill")
      .output("c", "range")
      .output("d", "tile")
      .output("e", "bt")
      .output("f", "oh");
  const auto model = legalize_typed(b, {{"range", {i32({-1})}}});
  const auto& sg = model.subgraphs[0];
  // The int64 dims go through one CAST each time they are read as int32.
  REQUIRE(op_names(sg) == Names{"CAST", "FILL", "RANGE", "TILE", "CAST", "BROADCAST_TO", "ONE_HOT"});
  CHECK(sg.operators[1].inputs[0] == sg.operators[0].outputs[0]);
  CHECK(ints(model, sg, sg.operators[3].inputs[1]) == std::vector<std::int32_t>{2});
  CHECK(sg.operators[6].options.AsOneHotOptions()->axis == -1);
}

TEST_CASE("ZerosLike is ZEROS_LIKE; OnesLike broadcasts a one", "[converter][legalize]") {
  GraphBuilder b;
  b.input("x", {-1, 3}).op("z", "ZerosLike", {"x"}, {-1, 3}).op("o", "OnesLike", {"x"}, {-1, 3}).output("a", "z").output("c", "o");
  const auto model = legalize_typed(b);
  const auto& sg = model.subgraphs[0];
  REQUIRE(op_names(sg) == Names{"ZEROS_LIKE", "SHAPE", "BROADCAST_TO"});
  CHECK(floats(model, sg, sg.operators[2].inputs[0]) == std::vector<float>{1.0F});
  CHECK(sg.operators[2].inputs[1] == sg.operators[1].outputs[0]);
}
