#include <catch2/catch.hpp>

#include "tests/converter/fold/fold_test_support.h"

namespace litelint::converter {
namespace {

using namespace fold_testing;

TEST_CASE("The folder table is sorted and names each op once", "[converter][fold]") {
  const auto table = all_folders();
  REQUIRE(table.size() > 60);
  for (std::size_t i = 1; i < table.size(); ++i) CHECK(table[i - 1].op < table[i].op);
  CHECK_FALSE(Case("Einsum").in(vec({1})).in(vec({1})).run());  // no folder
}

TEST_CASE("TensorFlow's size policy keeps blow-ups as operators", "[converter][fold]") {
  // 256x256 float32 = 2^21 bits: at the threshold, folded.
  CHECK(Case("Fill").in(vec({256, 256})).in(f32({}, {1.0F})).run());
  // 512x512 float32 from a scalar: over 2^21 bits and over twice the operands, not folded.
  CHECK_FALSE(Case("Fill").in(vec({512, 512})).in(f32({}, {1.0F})).run());
  // The same size from an operand as large folds (results within twice the operands).
  std::vector<float> big(512 * 512, 1.0F);
  CHECK(Case("Neg").in(f32({512, 512}, big)).run());
}

TEST_CASE("A fold that disagrees with the node's known output type is dropped", "[converter][fold]") {
  CHECK(Case("AddV2").in(vec({1})).in(vec({2})).output({ir::DType::Int32, ir::Shape({1})}).run());
  CHECK_FALSE(Case("AddV2").in(vec({1})).in(vec({2})).output({ir::DType::Int64, ir::Shape({1})}).run());
  CHECK_FALSE(Case("AddV2").in(vec({1})).in(vec({2})).output({ir::DType::Int32, ir::Shape({2})}).run());
  CHECK(Case("AddV2").in(vec({1})).in(vec({2})).output({ir::DType::Int32, ir::Shape({-1})}).run());
}

TEST_CASE("Shape, Size and Rank fold from static shapes of run-time tensors", "[converter][fold]") {
  const ir::TensorType image{ir::DType::Float, ir::Shape({1, 7, 7, 32})};
  auto shape = Case("Shape").runtime_input(image).run();
  REQUIRE(shape);
  CHECK(elements<std::int32_t>(shape->at(0)) == std::vector<std::int32_t>{1, 7, 7, 32});
  auto size = Case("Size").runtime_input(image).attr_type("out_type", ir::DType::Int64).run();
  REQUIRE(size);
  CHECK(elements<std::int64_t>(size->at(0)) == std::vector<std::int64_t>{1568});
  // A dynamic batch keeps Shape an operator (SHAPE/STRIDED_SLICE/PACK/RESHAPE in TensorFlow).
  CHECK_FALSE(Case("Shape").runtime_input({ir::DType::Float, ir::Shape({-1, 7, 7, 32})}).run());
}

}  // namespace
}  // namespace litelint::converter
