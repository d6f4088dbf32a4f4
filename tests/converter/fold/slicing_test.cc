// Expected values computed with TensorFlow 2.21 (tf.raw_ops.StridedSlice, tf.slice,
// tf.gather, tf.reverse).
#include <catch2/catch.hpp>

#include "tests/converter/fold/fold_test_support.h"

namespace litelint::converter {
namespace {

using namespace fold_testing;

std::optional<std::vector<ConstValue>> strided_slice(ConstValue x, std::vector<std::int32_t> begin,
                                                     std::vector<std::int32_t> end,
                                                     std::vector<std::int32_t> strides, int begin_mask,
                                                     int end_mask, int ellipsis_mask = 0,
                                                     int new_axis_mask = 0, int shrink_mask = 0) {
  return Case("StridedSlice")
      .in(std::move(x)).in(vec(begin)).in(vec(end)).in(vec(strides))
      .attr_int("begin_mask", begin_mask).attr_int("end_mask", end_mask)
      .attr_int("ellipsis_mask", ellipsis_mask).attr_int("new_axis_mask", new_axis_mask)
      .attr_int("shrink_axis_mask", shrink_mask)
      .run();
}

TEST_CASE("StridedSlice with a negative stride and masks", "[converter][fold]") {
  // x[:, ::-1, 1:3]
  auto r = strided_slice(iota({2, 3, 4}), {0, 0, 1}, {0, 0, 3}, {1, -1, 1}, 3, 3);
  REQUIRE(r);
  CHECK(r->at(0).shape.dims() == Dims{2, 3, 2});
  CHECK(elements<std::int32_t>(r->at(0)) == std::vector<std::int32_t>{9, 10, 5, 6, 1, 2, 21, 22, 17, 18, 13, 14});
}

TEST_CASE("StridedSlice with shrink, ellipsis and a negative stride", "[converter][fold]") {
  // x[1, ..., ::-2]
  auto r = strided_slice(iota({2, 3, 4}), {1, 0, 0}, {2, 0, 0}, {1, 1, -2}, 4, 4, /*ellipsis=*/2, 0, /*shrink=*/1);
  REQUIRE(r);
  CHECK(r->at(0).shape.dims() == Dims{3, 2});
  CHECK(elements<std::int32_t>(r->at(0)) == std::vector<std::int32_t>{15, 13, 19, 17, 23, 21});
}

TEST_CASE("StridedSlice with a new axis and a shrunk negative index", "[converter][fold]") {
  // x[tf.newaxis, :, -1]
  auto r = strided_slice(iota({2, 3, 4}), {0, 0, -1}, {0, 0, 0}, {1, 1, 1}, 2, 2, 0, /*new_axis=*/1, /*shrink=*/4);
  REQUIRE(r);
  CHECK(r->at(0).shape.dims() == Dims{1, 2, 4});
  CHECK(elements<std::int32_t>(r->at(0)) == std::vector<std::int32_t>{8, 9, 10, 11, 20, 21, 22, 23});
}

TEST_CASE("StridedSlice picks the batch out of a static shape (Keras Flatten)", "[converter][fold]") {
  auto r = strided_slice(vec({1, 7, 7, 32}), {0}, {1}, {1}, 0, 0, 0, 0, /*shrink=*/1);
  REQUIRE(r);
  CHECK(r->at(0).shape.rank() == 0);
  CHECK(elements<std::int32_t>(r->at(0)) == std::vector<std::int32_t>{1});
  auto tail = strided_slice(vec({1, 7, 7, 32}), {1}, {0}, {1}, 0, /*end_mask=*/1);
  REQUIRE(tail);
  CHECK(elements<std::int32_t>(tail->at(0)) == std::vector<std::int32_t>{7, 7, 32});
}

TEST_CASE("StridedSlice clamps out-of-range bounds by stride direction", "[converter][fold]") {
  auto e = strided_slice(iota({6}), {-5}, {10}, {2}, 0, 0);
  REQUIRE(e);
  CHECK(elements<std::int32_t>(e->at(0)) == std::vector<std::int32_t>{1, 3, 5});
  auto f = strided_slice(iota({6}), {10}, {-10}, {-3}, 0, 0);
  REQUIRE(f);
  CHECK(elements<std::int32_t>(f->at(0)) == std::vector<std::int32_t>{5, 2});
  // x[:, -1:-4:-1]: begin masked on axis 0, reversed rows on axis 1, axis 2 implicit.
  auto g = strided_slice(iota({2, 3, 4}), {0, -1}, {0, -4}, {1, -1}, 1, 1);
  REQUIRE(g);
  CHECK(g->at(0).shape.dims() == Dims{2, 3, 4});
  CHECK(elements<std::int32_t>(g->at(0)).front() == 8);
  CHECK(elements<std::int32_t>(g->at(0)).back() == 15);
  // An empty interval is a zero-sized result, not an error.
  auto empty = strided_slice(iota({6}), {4}, {2}, {1}, 0, 0);
  REQUIRE(empty);
  CHECK(empty->at(0).shape.dims() == Dims{0});
}

TEST_CASE("StridedSlice declines what TensorFlow rejects", "[converter][fold]") {
  CHECK_FALSE(strided_slice(iota({6}), {0}, {6}, {0}, 0, 0));                       // zero stride
  CHECK_FALSE(strided_slice(iota({6}), {6}, {7}, {1}, 0, 0, 0, 0, 1));              // shrink out of bounds
  CHECK_FALSE(strided_slice(iota({6}), {1}, {0}, {-1}, 0, 0, 0, 0, 1));             // shrink with stride < 0
  CHECK_FALSE(strided_slice(iota({6}), {0, 0}, {1, 1}, {1, 1}, 0, 0));              // more indices than axes
  CHECK_FALSE(strided_slice(iota({2, 3}), {0, 0}, {1, 1}, {1, 1}, 0, 0, 3));        // two ellipses
}

TEST_CASE("StridedSlice of a run-time tensor does not fold", "[converter][fold]") {
  auto r = Case("StridedSlice")
               .runtime_input({ir::DType::Int32, ir::Shape({4})})
               .in(vec({0})).in(vec({1})).in(vec({1}))
               .attr_int("shrink_axis_mask", 1)
               .run();
  CHECK_FALSE(r);
}

TEST_CASE("Slice with size -1", "[converter][fold]") {
  auto r = Case("Slice").in(iota({2, 3, 4})).in(vec({1, 1, 0})).in(vec({-1, 2, 3})).run();
  REQUIRE(r);
  CHECK(r->at(0).shape.dims() == Dims{1, 2, 3});
  CHECK(elements<std::int32_t>(r->at(0)) == std::vector<std::int32_t>{16, 17, 18, 20, 21, 22});
  CHECK_FALSE(Case("Slice").in(iota({4})).in(vec({3})).in(vec({2})).run());  // past the end
}

TEST_CASE("GatherV2 along an inner axis and with batch_dims", "[converter][fold]") {
  auto r = Case("GatherV2").in(iota({3, 4})).in(i32({1, 2}, {2, 0})).in(scalar(1)).run();
  REQUIRE(r);
  CHECK(r->at(0).shape.dims() == Dims{3, 1, 2});
  CHECK(elements<std::int32_t>(r->at(0)) == std::vector<std::int32_t>{2, 0, 6, 4, 10, 8});

  auto b = Case("GatherV2")
               .in(i32({2, 3}, {1, 2, 3, 4, 5, 6})).in(i32({2, 2}, {2, 0, 1, 1})).in(scalar(1))
               .attr_int("batch_dims", 1)
               .run();
  REQUIRE(b);
  CHECK(b->at(0).shape.dims() == Dims{2, 2});
  CHECK(elements<std::int32_t>(b->at(0)) == std::vector<std::int32_t>{3, 1, 5, 5});

  // A negative axis counts from the end; an out-of-range index is an error on CPU.
  auto neg = Case("GatherV2").in(vec({10, 20, 30})).in(i64({2}, {2, 0})).in(scalar(-1)).run();
  REQUIRE(neg);
  CHECK(elements<std::int32_t>(neg->at(0)) == std::vector<std::int32_t>{30, 10});
  CHECK_FALSE(Case("GatherV2").in(vec({10, 20, 30})).in(vec({3})).in(scalar(0)).run());
  CHECK_FALSE(Case("GatherV2").in(vec({10, 20, 30})).in(vec({-1})).in(scalar(0)).run());
}

TEST_CASE("ReverseV2 over negative and positive axes", "[converter][fold]") {
  auto r = Case("ReverseV2").in(iota({2, 3})).in(vec({-1, 0})).run();
  REQUIRE(r);
  CHECK(elements<std::int32_t>(r->at(0)) == std::vector<std::int32_t>{5, 4, 3, 2, 1, 0});
  CHECK_FALSE(Case("ReverseV2").in(iota({2, 3})).in(vec({1, -1})).run());  // duplicate axis
}

}  // namespace
}  // namespace litelint::converter
