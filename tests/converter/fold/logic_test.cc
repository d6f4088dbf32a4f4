// Expected values computed with TensorFlow 2.21.
#include <catch2/catch.hpp>

#include <cmath>

#include "tests/converter/fold/fold_test_support.h"

namespace litelint::converter {
namespace {

using namespace fold_testing;

ConstValue bools(Dims dims, std::vector<bool> v) { return value<bool>(std::move(dims), std::move(v)); }

TEST_CASE("Comparisons broadcast and give bool", "[converter][fold]") {
  auto r = Case("Less").in(i32({2, 1}, {1, 5})).in(vec({0, 3, 6})).run();
  REQUIRE(r);
  CHECK(r->at(0).dtype == ir::DType::Bool);
  CHECK(r->at(0).shape.dims() == Dims{2, 3});
  CHECK(elements<bool>(r->at(0)) == std::vector<bool>{false, true, true, false, false, true});
  auto eq = Case("Equal").in(f32({2}, {std::nanf(""), 1.0F})).in(f32({2}, {std::nanf(""), 1.0F})).run();
  REQUIRE(eq);
  CHECK(elements<bool>(eq->at(0)) == std::vector<bool>{false, true});  // NaN != NaN
  auto ne = Case("NotEqual").in(bools({2}, {true, false})).in(bools({}, {true})).run();
  REQUIRE(ne);
  CHECK(elements<bool>(ne->at(0)) == std::vector<bool>{false, true});
  CHECK_FALSE(Case("Greater").in(bools({1}, {true})).in(bools({1}, {false})).run());
}

TEST_CASE("Logical ops", "[converter][fold]") {
  auto a = Case("LogicalAnd").in(bools({2}, {true, false})).in(bools({2, 1}, {true, false})).run();
  REQUIRE(a);
  CHECK(elements<bool>(a->at(0)) == std::vector<bool>{true, false, false, false});
  auto o = Case("LogicalOr").in(bools({2}, {true, false})).in(bools({}, {false})).run();
  REQUIRE(o);
  CHECK(elements<bool>(o->at(0)) == std::vector<bool>{true, false});
  auto n = Case("LogicalNot").in(bools({2}, {true, false})).run();
  REQUIRE(n);
  CHECK(elements<bool>(n->at(0)) == std::vector<bool>{false, true});
}

TEST_CASE("SelectV2 broadcasts all three inputs", "[converter][fold]") {
  auto r = Case("SelectV2").in(bools({2, 1}, {true, false})).in(vec({1, 2, 3})).in(i32({2, 1}, {10, 20})).run();
  REQUIRE(r);
  CHECK(r->at(0).shape.dims() == Dims{2, 3});
  CHECK(elements<std::int32_t>(r->at(0)) == std::vector<std::int32_t>{1, 2, 3, 20, 20, 20});
}

TEST_CASE("Select (v1) with a row-picking vector condition", "[converter][fold]") {
  auto r = Case("Select").in(bools({2}, {true, false})).in(i32({2, 2}, {1, 2, 3, 4})).in(i32({2, 2}, {5, 6, 7, 8})).run();
  REQUIRE(r);
  CHECK(elements<std::int32_t>(r->at(0)) == std::vector<std::int32_t>{1, 2, 7, 8});
  // v1 does not broadcast t against e.
  CHECK_FALSE(Case("Select").in(bools({}, {true})).in(vec({1, 2})).in(vec({3})).run());
}

}  // namespace
}  // namespace litelint::converter
