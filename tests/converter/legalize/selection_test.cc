#include "tests/converter/legalize/lowering_test_support.h"

using namespace litelint;
using namespace litelint::testing;
using I64 = std::vector<std::int64_t>;

TEST_CASE("SelectV2 is SELECT for one static shape, SELECT_V2 when it broadcasts", "[converter][legalize]") {
  GraphBuilder b;
  b.input("c", {4}, ir::DType::Bool)
      .input("x", {4})
      .input("z", {})
      .op("same", "SelectV2", {"c", "x", "x"}, {4})
      .op("bcast", "SelectV2", {"c", "x", "z"}, {4})
      .output("a", "same")
      .output("d", "bcast");
  const auto model = legalize_typed(b);
  const auto& sg = model.subgraphs[0];
  REQUIRE(op_names(sg) == Names{"SELECT", "SELECT_V2"});
}

TEST_CASE("ArgMax and Unique record their index types", "[converter][legalize]") {
  GraphBuilder c;
  c.input("x", {3, 4})
      .input("v", {5}, ir::DType::Int32)
      .constant("axis", {}, I64{-1}, ir::DType::Int64)
      .op("am", "ArgMax", {"x", "axis"}, {3})
      .op("u", "Unique", {"v"}, {-1})
      .output("a", "am")
      .output("i", "u:1");
  auto program = c.program();
  program.entries[0].nodes.find("am")->attrs["output_type"].value = ir::DType::Int64;
  program.entries[0].nodes.find("u")->attrs["out_idx"].value = ir::DType::Int64;
  program.entries[0].nodes.find("am")->outputs = {i64({3})};
  program.entries[0].nodes.find("u")->outputs = {i32({-1}), i64({5})};
  converter::ConvertReport report;
  auto model = converter::legalize(program, {}, report);
  REQUIRE(model);
  const auto& sg = model->subgraphs[0];
  REQUIRE(op_names(sg) == Names{"ARG_MAX", "UNIQUE"});
  CHECK(ints(*model, sg, sg.operators[0].inputs[1]) == std::vector<std::int32_t>{-1});
  CHECK(sg.operators[0].options.AsArgMaxOptions()->output_type == tflite::TensorType::INT64);
  CHECK(sg.operators[1].options.AsUniqueOptions()->idx_out_type == tflite::TensorType::INT64);
  CHECK(sg.operators[1].outputs.size() == 2);
}

TEST_CASE("TopKV2, Where, ReverseV2 and Cumsum", "[converter][legalize]") {
  GraphBuilder b;
  b.input("x", {3, 4})
      .input("k", {}, ir::DType::Int32)
      .constant("axis", {1}, I64{1}, ir::DType::Int64)
      .constant("cs_axis", {}, I64{1}, ir::DType::Int32)
      .op("t", "TopKV2", {"x", "k"}, {3, -1})
      .op("w", "Where", {"x"}, {-1, 2})
      .op("r", "ReverseV2", {"x", "axis"}, {3, 4})
      .op("c", "Cumsum", {"x", "cs_axis"}, {3, 4})
      .attr("exclusive", true)
      .attr("reverse", true)
      .output("a", "t:1")
      .output("d", "w")
      .output("e", "r")
      .output("f", "c");
  const auto model = legalize_typed(b, {{"t", {f32({3, -1}), i32({3, -1})}}, {"w", {i64({-1, 2})}}});
  const auto& sg = model.subgraphs[0];
  REQUIRE(op_names(sg) == Names{"TOPK_V2", "WHERE", "REVERSE_V2", "CUMSUM"});
  CHECK(sg.operators[0].outputs.size() == 2);
  CHECK(ints(model, sg, sg.operators[2].inputs[1]) == std::vector<std::int32_t>{1});
  const auto* o = sg.operators[3].options.AsCumsumOptions();
  REQUIRE(o != nullptr);
  CHECK(o->exclusive);
  CHECK(o->reverse);
}
