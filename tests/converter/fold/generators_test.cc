// Expected values computed with TensorFlow 2.21.
#include <catch2/catch.hpp>

#include "tests/converter/fold/fold_test_support.h"

namespace litelint::converter {
namespace {

using namespace fold_testing;

TEST_CASE("Range with a negative delta", "[converter][fold]") {
  auto r = Case("Range").in(scalar(10)).in(scalar(-3)).in(scalar(-4)).run();
  REQUIRE(r);
  CHECK(elements<std::int32_t>(r->at(0)) == std::vector<std::int32_t>{10, 6, 2, -2});
  auto empty = Case("Range").in(scalar(3)).in(scalar(3)).in(scalar(1)).run();
  REQUIRE(empty);
  CHECK(empty->at(0).shape.dims() == Dims{0});
  CHECK_FALSE(Case("Range").in(scalar(0)).in(scalar(5)).in(scalar(-1)).run());  // wrong direction
  CHECK_FALSE(Case("Range").in(scalar(0)).in(scalar(5)).in(scalar(0)).run());
}

TEST_CASE("Float Range computes start + i * delta in float", "[converter][fold]") {
  auto r = Case("Range").in(f32({}, {3.0F})).in(f32({}, {0.0F})).in(f32({}, {-0.7F})).run();
  REQUIRE(r);
  std::vector<std::uint32_t> got;
  for (float f : elements<float>(r->at(0))) got.push_back(bits(f));
  // TensorFlow's bits; accumulating the delta instead would differ in the last place.
  CHECK(got == std::vector<std::uint32_t>{1077936128U, 1075000115U, 1070386381U, 1063675496U, 1045220560U});
}

TEST_CASE("Fill, ZerosLike, OnesLike", "[converter][fold]") {
  auto f = Case("Fill").in(vec({2, 3})).in(f32({}, {1.5F})).run();
  REQUIRE(f);
  CHECK(f->at(0).shape.dims() == Dims{2, 3});
  CHECK(elements<float>(f->at(0)) == std::vector<float>(6, 1.5F));
  auto z = Case("ZerosLike").in(i64({2}, {4, -4})).run();
  REQUIRE(z);
  CHECK(elements<std::int64_t>(z->at(0)) == std::vector<std::int64_t>{0, 0});
  auto o = Case("OnesLike").in(f32({1, 2}, {4.0F, 5.0F})).run();
  REQUIRE(o);
  CHECK(o->at(0).shape.dims() == Dims{1, 2});
  CHECK(elements<float>(o->at(0)) == std::vector<float>{1.0F, 1.0F});
  CHECK_FALSE(Case("Fill").in(vec({-1})).in(scalar(0)).run());
}

TEST_CASE("OneHot on axis 0 with out-of-range indices", "[converter][fold]") {
  auto r = Case("OneHot").in(vec({0, 2, -1, 5})).in(scalar(3)).in(scalar(5)).in(scalar(-1))
               .attr_int("axis", 0).run();
  REQUIRE(r);
  CHECK(r->at(0).shape.dims() == Dims{3, 4});
  CHECK(elements<std::int32_t>(r->at(0)) == std::vector<std::int32_t>{5, -1, -1, -1, -1, -1, -1, -1, -1, 5, -1, -1});
  auto last = Case("OneHot").in(i32({2, 1}, {1, 0})).in(scalar(2)).in(f32({}, {1.0F})).in(f32({}, {0.0F})).run();
  REQUIRE(last);
  CHECK(last->at(0).shape.dims() == Dims{2, 1, 2});
  CHECK(elements<float>(last->at(0)) == std::vector<float>{0.0F, 1.0F, 1.0F, 0.0F});
}

TEST_CASE("BroadcastArgs", "[converter][fold]") {
  auto r = Case("BroadcastArgs").in(vec({2, 1, 3})).in(vec({4, 1})).run();
  REQUIRE(r);
  CHECK(elements<std::int32_t>(r->at(0)) == std::vector<std::int32_t>{2, 4, 3});
  CHECK_FALSE(Case("BroadcastArgs").in(vec({2})).in(vec({3})).run());
}

}  // namespace
}  // namespace litelint::converter
