// Expected values computed with TensorFlow 2.21 (tf.cast).
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "tests/converter/fold/fold_test_support.h"

namespace litelint::converter {
namespace {

using namespace fold_testing;

std::optional<std::vector<ConstValue>> cast(ConstValue x, ir::DType to, bool truncate = false) {
  return Case("Cast").in(std::move(x)).attr_type("DstT", to).attr_bool("Truncate", truncate).run();
}

TEST_CASE("Cast float to int truncates toward zero", "[converter][fold]") {
  auto r = cast(f32({5}, {2.9F, -2.9F, 0.5F, -0.5F, 1e9F}), ir::DType::Int32);
  REQUIRE(r);
  CHECK(elements<std::int32_t>(r->at(0)) == std::vector<std::int32_t>{2, -2, 0, 0, 1000000000});
}

TEST_CASE("Cast float to int declines NaN and out-of-range values", "[converter][fold]") {
  // TensorFlow gives INT_MIN here (x86's cvttss2si); C++ leaves it undefined.
  CHECK_FALSE(cast(f32({}, {3e9F}), ir::DType::Int32));
  CHECK_FALSE(cast(f32({}, {std::nanf("")}), ir::DType::Int64));
  CHECK_FALSE(cast(f32({}, {300.7F}), ir::DType::UInt8));  // TensorFlow wraps through int32: 44
  CHECK_FALSE(cast(f32({}, {-1.0F}), ir::DType::UInt8));
  auto edge = cast(f32({}, {-2147483648.0F}), ir::DType::Int32);
  REQUIRE(edge);
  CHECK(elements<std::int32_t>(edge->at(0)) == std::vector<std::int32_t>{std::numeric_limits<std::int32_t>::min()});
}

TEST_CASE("Cast between integers wraps", "[converter][fold]") {
  auto r = cast(i64({3}, {(std::int64_t{1} << 32) + 5, -1, std::int64_t{1} << 31}), ir::DType::Int32);
  REQUIRE(r);
  CHECK(elements<std::int32_t>(r->at(0)) == std::vector<std::int32_t>{5, -1, std::numeric_limits<std::int32_t>::min()});
  auto u8 = cast(vec({-1, 256, 300}), ir::DType::UInt8);
  REQUIRE(u8);
  CHECK(elements<std::uint8_t>(u8->at(0)) == std::vector<std::uint8_t>{255, 0, 44});
}

TEST_CASE("Cast to and from bool", "[converter][fold]") {
  auto b = cast(f32({4}, {0.0F, -0.0F, 0.5F, -3.0F}), ir::DType::Bool);
  REQUIRE(b);
  CHECK(elements<bool>(b->at(0)) == std::vector<bool>{false, false, true, true});
  auto f = cast(value<bool>({2}, {true, false}), ir::DType::Float);
  REQUIRE(f);
  CHECK(elements<float>(f->at(0)) == std::vector<float>{1.0F, 0.0F});
}

TEST_CASE("Cast float64 to float32 rounds to nearest; Truncate declines inexact", "[converter][fold]") {
  auto r = cast(value<double>({}, {0.1}), ir::DType::Float);
  REQUIRE(r);
  CHECK(bits(elements<float>(r->at(0))[0]) == 1036831949U);  // TensorFlow's bits
  CHECK_FALSE(cast(value<double>({}, {0.1}), ir::DType::Float, /*truncate=*/true));
  auto exact = cast(value<double>({}, {0.5}), ir::DType::Float, /*truncate=*/true);
  REQUIRE(exact);
  CHECK(elements<float>(exact->at(0)) == std::vector<float>{0.5F});
}

TEST_CASE("Cast int to float and to unsupported types", "[converter][fold]") {
  auto r = cast(i64({2}, {16777217, -3}), ir::DType::Float);
  REQUIRE(r);
  CHECK(elements<float>(r->at(0)) == std::vector<float>{16777216.0F, -3.0F});
  CHECK_FALSE(cast(vec({1}), ir::DType::Half));  // half is not produced
}

}  // namespace
}  // namespace litelint::converter
