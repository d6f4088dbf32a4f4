#include <catch2/catch.hpp>

#include "analyzer/ir/dtype.h"
#include "analyzer/ir/node.h"
#include "analyzer/ir/shape.h"

using namespace litelint::ir;

TEST_CASE("tensor references parse graph and function-body input syntax", "[ir]") {
  auto plain = TensorRef::parse("conv1");
  REQUIRE(plain);
  CHECK(plain->node == "conv1");
  CHECK(plain->index == 0);
  CHECK_FALSE(plain->control);

  auto indexed = TensorRef::parse("split:2");
  REQUIRE(indexed);
  CHECK(indexed->node == "split");
  CHECK(indexed->index == 2);

  auto control = TensorRef::parse("^init");
  REQUIRE(control);
  CHECK(control->control);
  CHECK(control->node == "init");

  auto body = TensorRef::parse("mul/ReadVariableOp:value:0");
  REQUIRE(body);
  CHECK(body->node == "mul/ReadVariableOp");
  CHECK(body->output_arg == "value");
  CHECK(body->index == 0);
  CHECK(body->to_string() == "mul/ReadVariableOp:value:0");
}

TEST_CASE("malformed tensor references are rejected", "[ir]") {
  CHECK_FALSE(TensorRef::parse(""));
  CHECK_FALSE(TensorRef::parse("^"));
  CHECK_FALSE(TensorRef::parse(":0"));
  CHECK_FALSE(TensorRef::parse("x:"));
  CHECK_FALSE(TensorRef::parse("x:-1"));
  CHECK_FALSE(TensorRef::parse("x:abc"));
  CHECK_FALSE(TensorRef::parse("x::0"));
}

TEST_CASE("dtype names follow TensorFlow and keep unknown numbers", "[ir]") {
  CHECK(dtype_name(DType::Float) == "float32");
  CHECK(dtype_name(DType::Half) == "float16");
  CHECK(dtype_name(static_cast<DType>(101)) == "float32_ref");
  CHECK(base_dtype(static_cast<DType>(109)) == DType::Int64);
  CHECK(dtype_enum_name(DType::Int64) == "DT_INT64");
  CHECK(parse_dtype_enum_name("DT_BFLOAT16") == DType::BFloat16);
  CHECK(parse_dtype_enum_name("DT_FLOAT_REF") == static_cast<DType>(101));
  CHECK_FALSE(parse_dtype_enum_name("DT_NOPE"));
  CHECK(dtype_name(static_cast<DType>(77)) == "dtype(77)");
  CHECK(dtype_size(DType::Complex128) == 16u);
  CHECK_FALSE(dtype_size(DType::String));
}

TEST_CASE("shapes print unknown dims and count elements without overflow", "[ir]") {
  CHECK(Shape().to_string() == "<unknown>");
  CHECK(Shape::scalar().to_string() == "[]");
  CHECK(Shape({-1, 224, 224, 3}).to_string() == "[?,224,224,3]");
  CHECK_FALSE(Shape({-1, 3}).num_elements());
  CHECK(Shape({2, 3}).num_elements() == 6);
  CHECK(Shape::scalar().num_elements() == 1);
  CHECK_FALSE(Shape({std::int64_t{1} << 40, std::int64_t{1} << 40}).num_elements());
}
