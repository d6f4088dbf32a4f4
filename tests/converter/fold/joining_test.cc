// Expected values computed with TensorFlow 2.21.
#include <catch2/catch.hpp>

#include "tests/converter/fold/fold_test_support.h"

namespace litelint::converter {
namespace {

using namespace fold_testing;

TEST_CASE("Pack scalars into a shape vector (Keras Reshape)", "[converter][fold]") {
  auto r = Case("Pack").in(scalar(1)).in(scalar(-1)).in(scalar(32)).attr_int("axis", 0).run();
  REQUIRE(r);
  CHECK(r->at(0).shape.dims() == Dims{3});
  CHECK(elements<std::int32_t>(r->at(0)) == std::vector<std::int32_t>{1, -1, 32});
}

TEST_CASE("Pack along a negative axis", "[converter][fold]") {
  auto r = Case("Pack").in(vec({1, 2})).in(vec({3, 4})).in(vec({5, 6})).attr_int("axis", -1).run();
  REQUIRE(r);
  CHECK(r->at(0).shape.dims() == Dims{2, 3});
  CHECK(elements<std::int32_t>(r->at(0)) == std::vector<std::int32_t>{1, 3, 5, 2, 4, 6});
  CHECK_FALSE(Case("Pack").in(vec({1})).in(vec({1, 2})).run());  // shapes differ
  CHECK_FALSE(Case("Pack").in(vec({1})).attr_int("axis", 3).run());
}

TEST_CASE("ConcatV2 along a negative axis, and Concat (v1)", "[converter][fold]") {
  auto r = Case("ConcatV2").in(iota({2, 2})).in(i32({2, 3}, {10, 11, 12, 13, 14, 15})).in(scalar(-1)).run();
  REQUIRE(r);
  CHECK(r->at(0).shape.dims() == Dims{2, 5});
  CHECK(elements<std::int32_t>(r->at(0)) == std::vector<std::int32_t>{0, 1, 10, 11, 12, 2, 3, 13, 14, 15});
  auto v1 = Case("Concat").in(scalar(0)).in(vec({1})).in(vec({2, 3})).run();
  REQUIRE(v1);
  CHECK(elements<std::int32_t>(v1->at(0)) == std::vector<std::int32_t>{1, 2, 3});
  CHECK_FALSE(Case("ConcatV2").in(iota({2, 2})).in(iota({3, 3})).in(scalar(1)).run());
  CHECK_FALSE(Case("ConcatV2").in(vec({1})).in(i64({1}, {2})).in(scalar(0)).run());
}

TEST_CASE("SplitV with a -1 size, Split, Unpack", "[converter][fold]") {
  auto r = Case("SplitV").in(iota({2, 6})).in(vec({1, -1, 2})).in(scalar(1)).run();
  REQUIRE(r);
  REQUIRE(r->size() == 3);
  CHECK(elements<std::int32_t>(r->at(0)) == std::vector<std::int32_t>{0, 6});
  CHECK(r->at(1).shape.dims() == Dims{2, 3});
  CHECK(elements<std::int32_t>(r->at(1)) == std::vector<std::int32_t>{1, 2, 3, 7, 8, 9});
  CHECK(elements<std::int32_t>(r->at(2)) == std::vector<std::int32_t>{4, 5, 10, 11});

  auto s = Case("Split").in(scalar(-1)).in(iota({2, 4})).attr_int("num_split", 2).run();
  REQUIRE(s);
  CHECK(elements<std::int32_t>(s->at(1)) == std::vector<std::int32_t>{2, 3, 6, 7});
  CHECK_FALSE(Case("Split").in(scalar(0)).in(iota({3})).attr_int("num_split", 2).run());

  auto u = Case("Unpack").in(iota({2, 3})).attr_int("axis", 1).attr_int("num", 3).run();
  REQUIRE(u);
  REQUIRE(u->size() == 3);
  CHECK(u->at(2).shape.dims() == Dims{2});
  CHECK(elements<std::int32_t>(u->at(2)) == std::vector<std::int32_t>{2, 5});
}

}  // namespace
}  // namespace litelint::converter
