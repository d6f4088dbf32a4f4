#include "tests/converter/legalize/lowering_test_support.h"

using namespace litelint;
using namespace litelint::testing;

namespace {

converter::tfl::Model lower_einsum(const std::string& equation, GraphBuilder::Dims a, GraphBuilder::Dims b,
                                   GraphBuilder::Dims out) {
  GraphBuilder g;
  g.input("a", a).input("b", b).op("e", "Einsum", {"a", "b"}, out).attr("equation", equation).output("y", "e");
  return legalize_typed(g);
}

}  // namespace

TEST_CASE("Einsum in matmul layout is one BATCH_MATMUL", "[converter][legalize]") {
  const auto model = lower_einsum("bij,bjk->bik", {2, 3, 4}, {2, 4, 5}, {2, 3, 5});
  const auto& sg = model.subgraphs[0];
  REQUIRE(op_names(sg) == Names{"BATCH_MATMUL"});
  CHECK_FALSE(sg.operators[0].options.AsBatchMatMulOptions()->adj_y);
}

TEST_CASE("Einsum contracting the last dims of both uses adj_y", "[converter][legalize]") {
  const auto model = lower_einsum("bhqd,bhkd->bhqk", {1, 2, 3, 4}, {1, 2, 5, 4}, {1, 2, 3, 5});
  const auto& sg = model.subgraphs[0];
  REQUIRE(op_names(sg) == Names{"BATCH_MATMUL"});
  CHECK(sg.operators[0].options.AsBatchMatMulOptions()->adj_y);
}

TEST_CASE("Einsum with a 2-D right operand broadcasts it", "[converter][legalize]") {
  const auto model = lower_einsum("bhqd,dk->bhqk", {1, 2, 3, 4}, {4, 6}, {1, 2, 3, 6});
  REQUIRE(op_names(model.subgraphs[0]) == Names{"BATCH_MATMUL"});
}

TEST_CASE("Attention einsums transpose into and out of [B, N, T, H]", "[converter][legalize]") {
  SECTION("BTNH,BSNH->BNTS") {
    const auto model = lower_einsum("BTNH,BSNH->BNTS", {1, 3, 2, 4}, {1, 5, 2, 4}, {1, 2, 3, 5});
    const auto& sg = model.subgraphs[0];
    REQUIRE(op_names(sg) == Names{"TRANSPOSE", "TRANSPOSE", "BATCH_MATMUL"});
    CHECK(ints(model, sg, sg.operators[0].inputs[1]) == std::vector<std::int32_t>{0, 2, 1, 3});
    CHECK(ints(model, sg, sg.operators[1].inputs[1]) == std::vector<std::int32_t>{0, 2, 1, 3});
    CHECK(sg.operators[2].options.AsBatchMatMulOptions()->adj_y);
  }
  SECTION("BNTS,BSNH->BTNH") {
    const auto model = lower_einsum("BNTS,BSNH->BTNH", {1, 2, 3, 5}, {1, 5, 2, 4}, {1, 3, 2, 4});
    const auto& sg = model.subgraphs[0];
    REQUIRE(op_names(sg) == Names{"TRANSPOSE", "BATCH_MATMUL", "TRANSPOSE"});
    CHECK(shape_of(sg, sg.operators[1].outputs[0]) == std::vector<std::int32_t>{1, 2, 3, 4});
    CHECK(sg.operators[2].outputs[0] == sg.outputs[0]);
  }
}

TEST_CASE("Einsum flattens groups of several contracted labels", "[converter][legalize]") {
  const auto model = lower_einsum("abc,bcd->ad", {2, 3, 4}, {3, 4, 5}, {2, 5});
  const auto& sg = model.subgraphs[0];
  REQUIRE(op_names(sg) == Names{"RESHAPE", "RESHAPE", "BATCH_MATMUL"});
  CHECK(ints(model, sg, sg.operators[0].inputs[1]) == std::vector<std::int32_t>{2, 12});
  CHECK(ints(model, sg, sg.operators[1].inputs[1]) == std::vector<std::int32_t>{12, 5});
}

TEST_CASE("One-operand einsum sums and transposes", "[converter][legalize]") {
  GraphBuilder g;
  g.input("a", {2, 3, 4}).op("e", "Einsum", {"a"}, {4, 2}).attr("equation", std::string("ijk->ki")).output("y", "e");
  const auto model = legalize_typed(g);
  const auto& sg = model.subgraphs[0];
  REQUIRE(op_names(sg) == Names{"SUM", "TRANSPOSE"});
  CHECK(ints(model, sg, sg.operators[0].inputs[1]) == std::vector<std::int32_t>{1});
  CHECK(ints(model, sg, sg.operators[1].inputs[1]) == std::vector<std::int32_t>{1, 0});
}

TEST_CASE("Einsum summing a label of one operand alone is rejected", "[converter][legalize]") {
  GraphBuilder g;
  g.input("a", {2, 3}).input("b", {3, 4}).op("e", "Einsum", {"a", "b"}, {4}).attr("equation", std::string("ij,jk->k")).output("y", "e");
  CHECK_THAT(legalize_error(g), Catch::Contains("summed within the first operand alone"));
}
