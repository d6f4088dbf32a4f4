#include "tests/converter/legalize/lowering_test_support.h"

using namespace litelint;
using namespace litelint::testing;
using I64 = std::vector<std::int64_t>;

TEST_CASE("ConcatV2 takes its axis from the last operand", "[converter][legalize]") {
  GraphBuilder b;
  b.input("a", {2, 3})
      .input("c", {2, 5})
      .constant("axis", {}, I64{-1}, ir::DType::Int32)
      .op("cat", "ConcatV2", {"a", "c", "axis"}, {2, 8})
      .output("y", "cat");
  const auto model = legalize_typed(b);
  const auto& sg = model.subgraphs[0];
  REQUIRE(op_names(sg) == Names{"CONCATENATION"});
  CHECK(sg.operators[0].inputs.size() == 2);
  const auto* o = sg.operators[0].options.AsConcatenationOptions();
  REQUIRE(o != nullptr);
  CHECK(o->axis == 1);
}

TEST_CASE("ConcatV2 with a computed axis is rejected", "[converter][legalize]") {
  GraphBuilder b;
  b.input("a", {2, 3}).input("axis", {}, ir::DType::Int32).op("cat", "ConcatV2", {"a", "a", "axis"}, {-1, -1}).output("y", "cat");
  CHECK_THAT(legalize_error(b), Catch::Contains("axis operand is not a constant"));
}

TEST_CASE("Pack and Unpack carry count and axis", "[converter][legalize]") {
  GraphBuilder b;
  b.input("a", {3})
      .input("c", {3})
      .op("p", "Pack", {"a", "c"}, {3, 2})
      .attr("axis", std::int64_t{-1})
      .op("u", "Unpack", {"p"}, {3})
      .attr("axis", std::int64_t{1})
      .attr("num", std::int64_t{2})
      .output("y", "u:1");
  const auto model = legalize_typed(b, {{"u", {f32({3}), f32({3})}}});
  const auto& sg = model.subgraphs[0];
  REQUIRE(op_names(sg) == Names{"PACK", "UNPACK"});
  const auto* pack = sg.operators[0].options.AsPackOptions();
  REQUIRE(pack != nullptr);
  CHECK(pack->values_count == 2);
  CHECK(pack->axis == 1);
  const auto* unpack = sg.operators[1].options.AsUnpackOptions();
  REQUIRE(unpack != nullptr);
  CHECK(unpack->num == 2);
  CHECK(sg.operators[1].outputs.size() == 2);
  CHECK(sg.outputs[0] == sg.operators[1].outputs[1]);
}

TEST_CASE("Split keeps the axis first, SplitV last", "[converter][legalize]") {
  GraphBuilder b;
  b.input("x", {2, 6})
      .constant("axis", {}, I64{1}, ir::DType::Int32)
      .constant("sizes", {2}, I64{2, 4}, ir::DType::Int64)
      .op("s", "Split", {"axis", "x"}, {2, 2})
      .attr("num_split", std::int64_t{3})
      .op("v", "SplitV", {"x", "sizes", "axis"}, {2, 2})
      .attr("num_split", std::int64_t{2})
      .output("a", "s:2")
      .output("c", "v:1");
  const auto model = legalize_typed(b, {{"s", {f32({2, 2}), f32({2, 2}), f32({2, 2})}}, {"v", {f32({2, 2}), f32({2, 4})}}});
  const auto& sg = model.subgraphs[0];
  REQUIRE(op_names(sg) == Names{"SPLIT", "SPLIT_V"});
  const auto& split = sg.operators[0];
  CHECK(ints(model, sg, split.inputs[0]) == std::vector<std::int32_t>{1});
  CHECK(split.outputs.size() == 3);
  CHECK(split.options.AsSplitOptions()->num_splits == 3);
  const auto& split_v = sg.operators[1];
  CHECK(ints(model, sg, split_v.inputs[1]) == std::vector<std::int32_t>{2, 4});
  CHECK(ints(model, sg, split_v.inputs[2]) == std::vector<std::int32_t>{1});
  CHECK(split_v.options.AsSplitVOptions()->num_splits == 2);
}
