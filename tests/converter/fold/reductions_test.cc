// Expected values computed with TensorFlow 2.21.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "tests/converter/fold/fold_test_support.h"

namespace litelint::converter {
namespace {

using namespace fold_testing;

std::optional<std::vector<ConstValue>> reduce(const char* op, ConstValue x, ConstValue axes, bool keep = false) {
  return Case(op).in(std::move(x)).in(std::move(axes)).attr_bool("keep_dims", keep).run();
}

TEST_CASE("Sum over negative axes with keep_dims", "[converter][fold]") {
  auto r = reduce("Sum", iota({2, 3, 4}), vec({-1, 0}), true);
  REQUIRE(r);
  CHECK(r->at(0).shape.dims() == Dims{1, 3, 1});
  CHECK(elements<std::int32_t>(r->at(0)) == std::vector<std::int32_t>{60, 92, 124});
  CHECK_FALSE(reduce("Sum", iota({2, 3}), vec({1, 1})));  // duplicate axis is an error
  CHECK_FALSE(reduce("Sum", iota({2, 3}), vec({2})));
  auto all = reduce("Sum", iota({2, 3}), i64({0}, {}));
  REQUIRE(all);
  CHECK(all->at(0).shape.dims() == Dims{2, 3});  // no axes: unchanged
}

TEST_CASE("Integer Mean truncates; Prod; overflow declines", "[converter][fold]") {
  auto m = reduce("Mean", i32({3, 2}, {-7, 2, 3, 4, -1, -1}), scalar(1));
  REQUIRE(m);
  CHECK(elements<std::int32_t>(m->at(0)) == std::vector<std::int32_t>{-2, 3, -1});
  auto p = reduce("Prod", i64({2, 3}, {1, 2, 3, 4, 5, 6}), scalar(0));
  REQUIRE(p);
  CHECK(elements<std::int64_t>(p->at(0)) == std::vector<std::int64_t>{4, 10, 18});
  CHECK_FALSE(reduce("Prod", vec({65536, 65536}), scalar(0)));
  CHECK_FALSE(reduce("Mean", i32({0}, {}), scalar(0)));  // integer division by zero
}

TEST_CASE("Float Sum and Mean fold only when exact in any order", "[converter][fold]") {
  auto m = reduce("Mean", f32({3}, {1.0F, 2.0F, 4.0F}), scalar(0));
  REQUIRE(m);
  CHECK(bits(elements<float>(m->at(0))[0]) == bits(2.3333332538604736F));  // TensorFlow's value
  auto s = reduce("Sum", f32({3}, {0.5F, 0.25F, -1.0F}), scalar(0));
  REQUIRE(s);
  CHECK(elements<float>(s->at(0)) == std::vector<float>{-0.25F});
  // 1e8 + 1 - 1e8 depends on the order the vectorized reducer adds in.
  CHECK_FALSE(reduce("Sum", f32({3}, {1e8F, 1.0F, -1e8F}), scalar(0)));
  CHECK_FALSE(reduce("Sum", f32({2}, {0.1F, 0.2F}), scalar(0)));
  auto z = reduce("Sum", f32({2}, {-0.0F, -0.0F}), scalar(0));
  REQUIRE(z);
  CHECK_FALSE(std::signbit(elements<float>(z->at(0))[0]));  // Eigen starts from +0
  auto p = reduce("Prod", f32({2}, {-0.0F, 3.0F}), scalar(0));
  REQUIRE(p);
  CHECK(std::signbit(elements<float>(p->at(0))[0]));
}

TEST_CASE("Max and Min, including empty reductions", "[converter][fold]") {
  auto mx = reduce("Max", i32({2, 2}, {3, -1, 0, 9}), scalar(1));
  REQUIRE(mx);
  CHECK(elements<std::int32_t>(mx->at(0)) == std::vector<std::int32_t>{3, 9});
  auto empty_max = reduce("Max", f32({0}, {}), scalar(0));
  REQUIRE(empty_max);
  CHECK(elements<float>(empty_max->at(0))[0] == -std::numeric_limits<float>::infinity());
  auto empty_min = reduce("Min", i32({0}, {}), scalar(0));
  REQUIRE(empty_min);
  CHECK(elements<std::int32_t>(empty_min->at(0))[0] == std::numeric_limits<std::int32_t>::max());
  CHECK_FALSE(reduce("Max", f32({2}, {1.0F, std::nanf("")}), scalar(0)));
}

TEST_CASE("Any and All", "[converter][fold]") {
  auto x = value<bool>({2, 2}, {true, false, true, true});
  auto any = reduce("Any", x, scalar(1));
  REQUIRE(any);
  CHECK(elements<bool>(any->at(0)) == std::vector<bool>{true, true});
  auto all = reduce("All", x, scalar(1));
  REQUIRE(all);
  CHECK(elements<bool>(all->at(0)) == std::vector<bool>{false, true});
}

TEST_CASE("ArgMax and ArgMin take the first of ties", "[converter][fold]") {
  auto mx = Case("ArgMax").in(i32({2, 3}, {1, 5, 5, 7, 7, 0})).in(scalar(1)).run();
  REQUIRE(mx);
  CHECK(mx->at(0).dtype == ir::DType::Int64);
  CHECK(elements<std::int64_t>(mx->at(0)) == std::vector<std::int64_t>{1, 0});
  auto mn = Case("ArgMin").in(i32({2, 3}, {1, 5, 1, 7, 0, 0})).in(scalar(0))
                .attr_type("output_type", ir::DType::Int32).run();
  REQUIRE(mn);
  CHECK(elements<std::int32_t>(mn->at(0)) == std::vector<std::int32_t>{0, 1, 1});
  CHECK_FALSE(Case("ArgMax").in(i32({0}, {})).in(scalar(0)).run());
}

}  // namespace
}  // namespace litelint::converter
