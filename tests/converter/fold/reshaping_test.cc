// Expected values computed with TensorFlow 2.21.
#include <catch2/catch.hpp>

#include "tests/converter/fold/fold_test_support.h"

namespace litelint::converter {
namespace {

using namespace fold_testing;

TEST_CASE("Reshape infers -1", "[converter][fold]") {
  auto r = Case("Reshape").in(iota({2, 3, 4})).in(vec({-1, 4})).run();
  REQUIRE(r);
  CHECK(r->at(0).shape.dims() == Dims{6, 4});
  CHECK(elements<std::int32_t>(r->at(0)).size() == 24);
  CHECK_FALSE(Case("Reshape").in(iota({6})).in(vec({-1, -1})).run());
  CHECK_FALSE(Case("Reshape").in(iota({6})).in(vec({4, -1})).run());
  CHECK_FALSE(Case("Reshape").in(iota({6})).in(vec({7})).run());
  CHECK_FALSE(Case("Reshape").in(iota({0})).in(vec({0, -1})).run());  // -1 next to 0
}

TEST_CASE("ExpandDims and Squeeze", "[converter][fold]") {
  auto e = Case("ExpandDims").in(iota({2, 3})).in(scalar(-1)).run();
  REQUIRE(e);
  CHECK(e->at(0).shape.dims() == Dims{2, 3, 1});
  auto front = Case("ExpandDims").in(iota({2, 3})).in(vec({-3})).run();
  REQUIRE(front);
  CHECK(front->at(0).shape.dims() == Dims{1, 2, 3});
  CHECK_FALSE(Case("ExpandDims").in(iota({2, 3})).in(scalar(3)).run());

  auto all = Case("Squeeze").in(iota({1, 2, 1})).run();
  REQUIRE(all);
  CHECK(all->at(0).shape.dims() == Dims{2});
  auto one_axis = Case("Squeeze").in(iota({1, 2, 1})).attr_ints("squeeze_dims", {-1}).run();
  REQUIRE(one_axis);
  CHECK(one_axis->at(0).shape.dims() == Dims{1, 2});
  CHECK_FALSE(Case("Squeeze").in(iota({1, 2, 1})).attr_ints("squeeze_dims", {1}).run());
}

TEST_CASE("Transpose", "[converter][fold]") {
  auto r = Case("Transpose").in(iota({2, 3, 4})).in(vec({2, 0, 1})).run();
  REQUIRE(r);
  CHECK(r->at(0).shape.dims() == Dims{4, 2, 3});
  const std::vector<std::int32_t> head{0, 4, 8, 12, 16, 20, 1, 5, 9};
  const auto got = elements<std::int32_t>(r->at(0));
  CHECK(std::vector<std::int32_t>(got.begin(), got.begin() + 9) == head);
  CHECK(got.back() == 23);
  CHECK_FALSE(Case("Transpose").in(iota({2, 3})).in(vec({0, 0})).run());
}

TEST_CASE("Tile and BroadcastTo", "[converter][fold]") {
  auto t = Case("Tile").in(i32({2, 2}, {1, 2, 3, 4})).in(vec({2, 3})).run();
  REQUIRE(t);
  CHECK(t->at(0).shape.dims() == Dims{4, 6});
  CHECK(elements<std::int32_t>(t->at(0)) ==
        std::vector<std::int32_t>{1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4, 1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4});
  auto b = Case("BroadcastTo").in(i32({2, 1}, {1, 2})).in(vec({3, 2, 2})).run();
  REQUIRE(b);
  CHECK(elements<std::int32_t>(b->at(0)) == std::vector<std::int32_t>{1, 1, 2, 2, 1, 1, 2, 2, 1, 1, 2, 2});
  CHECK_FALSE(Case("BroadcastTo").in(vec({1, 2, 3})).in(vec({1})).run());
}

TEST_CASE("Identity and IdentityN pass values through", "[converter][fold]") {
  auto r = Case("IdentityN").in(vec({1})).in(f32({}, {2.0F})).run();
  REQUIRE(r);
  REQUIRE(r->size() == 2);
  CHECK(elements<float>(r->at(1)) == std::vector<float>{2.0F});
}

}  // namespace
}  // namespace litelint::converter
