// Expected values computed with TensorFlow 2.21.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "tests/converter/fold/fold_test_support.h"

namespace litelint::converter {
namespace {

using namespace fold_testing;

std::optional<std::vector<ConstValue>> binary(const char* op, ConstValue a, ConstValue b) {
  return Case(op).in(std::move(a)).in(std::move(b)).run();
}

std::vector<std::int32_t> int_result(const char* op, std::vector<std::int32_t> a, std::vector<std::int32_t> b) {
  auto r = binary(op, vec(std::move(a)), vec(std::move(b)));
  REQUIRE(r);
  return elements<std::int32_t>(r->at(0));
}

TEST_CASE("FloorDiv, FloorMod, TruncateDiv, TruncateMod and Div on negative integers", "[converter][fold]") {
  CHECK(int_result("FloorDiv", {-7, 7, -7, 7, -8}, {2, -2, -2, 2, 3}) == std::vector<std::int32_t>{-4, -4, 3, 3, -3});
  CHECK(int_result("FloorMod", {-7, 7, -7, 7, -8}, {2, -2, -2, 2, 3}) == std::vector<std::int32_t>{1, -1, -1, 1, 1});
  CHECK(int_result("TruncateDiv", {-7, 7, -7, 7}, {2, -2, -2, 2}) == std::vector<std::int32_t>{-3, -3, 3, 3});
  CHECK(int_result("TruncateMod", {-7, 7, -7, 7}, {2, -2, -2, 2}) == std::vector<std::int32_t>{-1, 1, -1, 1});
  // Div on integers truncates, unlike Python's //.
  CHECK(int_result("Div", {-7, 7, -7}, {2, -2, -2}) == std::vector<std::int32_t>{-3, -3, 3});
}

TEST_CASE("Integer division by zero and MIN / -1 decline", "[converter][fold]") {
  CHECK_FALSE(binary("FloorDiv", vec({1}), vec({0})));
  CHECK_FALSE(binary("FloorMod", vec({1}), vec({0})));
  CHECK_FALSE(binary("Div", vec({std::numeric_limits<std::int32_t>::min()}), vec({-1})));
  CHECK_FALSE(binary("RealDiv", vec({4}), vec({2})));  // RealDiv has no integer kernel
}

TEST_CASE("Float FloorDiv and FloorMod follow the divisor's sign", "[converter][fold]") {
  auto m = binary("FloorMod", f32({3}, {-7.5F, 7.5F, 5.0F}), f32({3}, {2.0F, -2.0F, -2.5F}));
  REQUIRE(m);
  CHECK(elements<float>(m->at(0)) == std::vector<float>{0.5F, -0.5F, 0.0F});
  auto d = binary("FloorDiv", f32({2}, {-7.5F, 7.5F}), f32({2}, {2.0F, -2.0F}));
  REQUIRE(d);
  CHECK(elements<float>(d->at(0)) == std::vector<float>{-4.0F, -4.0F});
}

TEST_CASE("Integer overflow declines instead of wrapping", "[converter][fold]") {
  const std::int64_t big = std::numeric_limits<std::int64_t>::max();
  CHECK_FALSE(binary("AddV2", i64({}, {big}), i64({}, {1})));
  CHECK_FALSE(binary("Mul", i64({}, {big / 2 + 1}), i64({}, {2})));
  CHECK_FALSE(binary("Sub", vec({std::numeric_limits<std::int32_t>::min()}), vec({1})));
  CHECK_FALSE(Case("Neg").in(vec({std::numeric_limits<std::int32_t>::min()})).run());
  auto ok = binary("Mul", i64({}, {big / 2}), i64({}, {2}));
  REQUIRE(ok);
  CHECK(elements<std::int64_t>(ok->at(0)) == std::vector<std::int64_t>{big - 1});
}

TEST_CASE("float32 arithmetic rounds in float, bit for bit", "[converter][fold]") {
  auto add = binary("AddV2", f32({}, {0.1F}), f32({}, {0.2F}));
  REQUIRE(add);
  CHECK(bits(elements<float>(add->at(0))[0]) == 1050253722U);  // TensorFlow's bits
  auto div = binary("RealDiv", f32({}, {1.0F}), f32({}, {3.0F}));
  REQUIRE(div);
  CHECK(bits(elements<float>(div->at(0))[0]) == 1051372203U);
}

TEST_CASE("Binary ops broadcast", "[converter][fold]") {
  auto r = binary("Mul", i32({2, 1}, {2, 3}), vec({1, 10, 100}));
  REQUIRE(r);
  CHECK(r->at(0).shape.dims() == Dims{2, 3});
  CHECK(elements<std::int32_t>(r->at(0)) == std::vector<std::int32_t>{2, 20, 200, 3, 30, 300});
  CHECK_FALSE(binary("Mul", vec({1, 2}), vec({1, 2, 3})));
  CHECK_FALSE(binary("AddV2", vec({1}), i64({1}, {1})));  // mixed dtypes
}

TEST_CASE("Maximum and Minimum; mixed-sign zeros and NaN decline", "[converter][fold]") {
  auto mx = binary("Maximum", vec({1, 5, -3}), vec({2, 4, -3}));
  REQUIRE(mx);
  CHECK(elements<std::int32_t>(mx->at(0)) == std::vector<std::int32_t>{2, 5, -3});
  auto mn = binary("Minimum", f32({2}, {1.5F, -2.0F}), f32({}, {0.0F}));
  REQUIRE(mn);
  CHECK(elements<float>(mn->at(0)) == std::vector<float>{0.0F, -2.0F});
  CHECK_FALSE(binary("Maximum", f32({}, {0.0F}), f32({}, {-0.0F})));
  CHECK_FALSE(binary("Maximum", f32({}, {std::nanf("")}), f32({}, {1.0F})));
}

TEST_CASE("Subnormal operands and results decline", "[converter][fold]") {
  const float tiny = std::numeric_limits<float>::min();
  CHECK_FALSE(binary("Mul", f32({}, {tiny}), f32({}, {0.5F})));
  CHECK_FALSE(binary("AddV2", f32({}, {tiny / 4}), f32({}, {1.0F})));
}

TEST_CASE("Unary Neg, Abs, Square, Sqrt, Rsqrt", "[converter][fold]") {
  auto neg = Case("Neg").in(f32({2}, {1.5F, -0.0F})).run();
  REQUIRE(neg);
  CHECK(elements<float>(neg->at(0))[0] == -1.5F);
  CHECK_FALSE(std::signbit(elements<float>(neg->at(0))[1]));
  auto abs = Case("Abs").in(vec({-3, 4})).run();
  REQUIRE(abs);
  CHECK(elements<std::int32_t>(abs->at(0)) == std::vector<std::int32_t>{3, 4});
  auto sq = Case("Square").in(i64({1}, {-3000000000})).run();
  REQUIRE(sq);
  CHECK(elements<std::int64_t>(sq->at(0)) == std::vector<std::int64_t>{9000000000000000000});
  auto root = Case("Sqrt").in(f32({2}, {2.0F, 9.0F})).run();
  REQUIRE(root);
  CHECK(elements<float>(root->at(0)) == std::vector<float>{std::sqrt(2.0F), 3.0F});
  CHECK_FALSE(Case("Sqrt").in(f32({}, {-1.0F})).run());  // NaN
  CHECK_FALSE(Case("Sqrt").in(vec({4})).run());
  // Bits of tf.math.rsqrt on these (fewer than a SIMD packet: TensorFlow's scalar path).
  auto rs = Case("Rsqrt").in(f32({3}, {4.0F, 1.001F, 3.0F})).run();
  REQUIRE(rs);
  std::vector<std::uint32_t> got;
  for (float f : elements<float>(rs->at(0))) got.push_back(bits(f));
  CHECK(got == std::vector<std::uint32_t>{1056964608U, 1065344834U, 1058262330U});
  CHECK_FALSE(Case("Rsqrt").in(f32({}, {-4.0F})).run());
  CHECK_FALSE(Case("Rsqrt").in(vec({4})).run());
}

TEST_CASE("Cos and Sin fold within 2 ulp of TensorFlow's bits", "[converter][fold]") {
  // Bits of tf.cos / tf.sin on {0, 0.5, 3, -100.25}.
  const std::vector<std::pair<const char*, std::vector<std::uint32_t>>> want = {
      {"Cos", {1065353216U, 1063299392U, 3212668966U, 1064695353U}},
      {"Sin", {0U, 1056274244U, 1041269187U, 1049491461U}},
  };
  for (const auto& [op, tf_bits] : want) {
    INFO(op);
    auto r = Case(op).in(f32({4}, {0.0F, 0.5F, 3.0F, -100.25F})).run();
    REQUIRE(r);
    const auto got = elements<float>(r->at(0));
    REQUIRE(got.size() == tf_bits.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
      const auto d = static_cast<std::int64_t>(bits(got[i])) - static_cast<std::int64_t>(tf_bits[i]);
      CHECK(std::abs(d) <= 2);
    }
    CHECK_FALSE(Case(op).in(vec({1})).run());  // no integer kernel
  }
}

}  // namespace
}  // namespace litelint::converter
