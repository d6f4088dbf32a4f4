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
using I64 = std::vector<std::int64_t>;

namespace {

// exp(x)[begin : end : strides] with x of shape [2, 3], then exp again.
GraphBuilder sliced(I64 begin, I64 end, I64 strides, std::vector<std::int64_t> out) {
  GraphBuilder b;
  b.input("x", {2, 3})
      .constant("b", {2}, begin, ir::DType::Int32)
      .constant("e", {2}, end, ir::DType::Int32)
      .constant("s", {2}, strides, ir::DType::Int32)
      .op("pre", "Exp", {"x"}, {2, 3})
      .op("slice", "StridedSlice", {"pre", "b", "e", "s"}, out)
      .attr("begin_mask", std::int64_t{0})
      .attr("end_mask", std::int64_t{0})
      .attr("ellipsis_mask", std::int64_t{0})
      .attr("new_axis_mask", std::int64_t{0})
      .attr("shrink_axis_mask", std::int64_t{0})
      .op("post", "Exp", {"slice"}, out)
      .output("y", "post");
  return b;
}

}  // namespace

TEST_CASE("A strided slice of the whole tensor is removed", "[converter][fuse]") {
  const auto model = testing::legalize_and_fuse(sliced({0, 0}, {2, 3}, {1, 1}, {2, 3}));
  const auto& sg = model.subgraphs[0];
  REQUIRE(op_names(sg) == Names{"EXP", "EXP"});
  CHECK(sg.operators[1].inputs[0] == sg.operators[0].outputs[0]);
}

TEST_CASE("Strided slices that drop or reorder elements stay", "[converter][fuse]") {
  CHECK(op_names(testing::legalize_and_fuse(sliced({0, 1}, {2, 3}, {1, 1}, {2, 2})).subgraphs[0]) == Names{"EXP", "STRIDED_SLICE", "EXP"});
  // Same shape, but reversed: begin is not 0 and the stride is -1.
  CHECK(op_names(testing::legalize_and_fuse(sliced({1, 2}, {-3, -4}, {-1, -1}, {2, 3})).subgraphs[0]) ==
        Names{"EXP", "STRIDED_SLICE", "EXP"});
}
