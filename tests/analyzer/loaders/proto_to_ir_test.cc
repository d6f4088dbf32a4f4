#include "analyzer/loaders/proto_to_ir.h"

#include <catch2/catch.hpp>
#include <cstring>
#include <memory>
#include <string>

namespace litelint::analyzer {
namespace {

using Catch::Matchers::Contains;

std::shared_ptr<tensorflow::TensorProto> tensor_proto(const std::string& text) {
  auto proto = std::make_shared<tensorflow::TensorProto>();
  REQUIRE(parse_text_proto(text, *proto, "TensorProto"));
  return proto;
}

template <typename T>
std::vector<T> values_of(const ir::TensorBytes& bytes) {
  REQUIRE(bytes.bytes.size() % sizeof(T) == 0);
  std::vector<T> out(bytes.bytes.size() / sizeof(T));
  std::memcpy(out.data(), bytes.bytes.data(), bytes.bytes.size());
  return out;
}

TEST_CASE("tensor_from_proto repeats the last typed value to fill the shape",
          "[loader][proto_to_ir]") {
  auto proto = tensor_proto("dtype: DT_FLOAT tensor_shape { dim { size: 2 } dim { size: 3 } } "
                            "float_val: 1.5 float_val: 2.5");
  auto tensor = tensor_from_proto(*proto, proto);
  REQUIRE(tensor);
  CHECK(tensor->dtype() == ir::DType::Float);
  CHECK(tensor->shape() == ir::Shape({2, 3}));
  CHECK(tensor->byte_size() == 24);
  auto bytes = tensor->load();
  REQUIRE(bytes);
  CHECK(values_of<float>(*bytes) == std::vector<float>{1.5f, 2.5f, 2.5f, 2.5f, 2.5f, 2.5f});
}

TEST_CASE("tensor_from_proto zero-fills when no typed values are given", "[loader][proto_to_ir]") {
  auto proto = tensor_proto("dtype: DT_INT64 tensor_shape { dim { size: 3 } }");
  auto tensor = tensor_from_proto(*proto, proto);
  REQUIRE(tensor);
  auto bytes = tensor->load();
  REQUIRE(bytes);
  CHECK(values_of<std::int64_t>(*bytes) == std::vector<std::int64_t>{0, 0, 0});
}

TEST_CASE("tensor_from_proto reads tensor_content without copying and narrows int_val",
          "[loader][proto_to_ir]") {
  SECTION("tensor_content") {
    auto proto = tensor_proto(R"(dtype: DT_INT32 tensor_shape { dim { size: 2 } }
                                 tensor_content: "\001\000\000\000\377\377\377\377")");
    auto tensor = tensor_from_proto(*proto, proto);
    REQUIRE(tensor);
    auto bytes = tensor->load();
    REQUIRE(bytes);
    CHECK(values_of<std::int32_t>(*bytes) == std::vector<std::int32_t>{1, -1});
    CHECK(bytes->bytes.data() == reinterpret_cast<const std::byte*>(proto->tensor_content().data()));
  }
  SECTION("int8 from int_val") {
    auto proto = tensor_proto("dtype: DT_INT8 tensor_shape { dim { size: 3 } } int_val: -3 int_val: 7");
    auto tensor = tensor_from_proto(*proto, proto);
    REQUIRE(tensor);
    auto bytes = tensor->load();
    REQUIRE(bytes);
    CHECK(values_of<std::int8_t>(*bytes) == std::vector<std::int8_t>{-3, 7, 7});
  }
  SECTION("half from half_val bit patterns") {
    auto proto = tensor_proto("dtype: DT_HALF tensor_shape { dim { size: 2 } } half_val: 15360");
    auto tensor = tensor_from_proto(*proto, proto);
    REQUIRE(tensor);
    auto bytes = tensor->load();
    REQUIRE(bytes);
    CHECK(values_of<std::uint16_t>(*bytes) == std::vector<std::uint16_t>{0x3c00, 0x3c00});
  }
  SECTION("strings") {
    auto proto = tensor_proto(R"(dtype: DT_STRING tensor_shape { dim { size: 3 } } string_val: "a" string_val: "bc")");
    auto tensor = tensor_from_proto(*proto, proto);
    REQUIRE(tensor);
    auto bytes = tensor->load();
    REQUIRE(bytes);
    CHECK(bytes->strings == std::vector<std::string>{"a", "bc", "bc"});
  }
}

TEST_CASE("tensor_from_proto keeps the parsed message alive through the tensor",
          "[loader][proto_to_ir]") {
  ir::Tensor tensor;
  {
    auto proto = tensor_proto(R"(dtype: DT_UINT8 tensor_shape { dim { size: 2 } } tensor_content: "\007\011")");
    auto t = tensor_from_proto(*proto, proto);
    REQUIRE(t);
    tensor = *t;
  }
  auto bytes = tensor.load();
  REQUIRE(bytes);
  CHECK(values_of<std::uint8_t>(*bytes) == std::vector<std::uint8_t>{7, 9});
}

TEST_CASE("tensor_from_proto rejects shapes and contents TensorFlow cannot build",
          "[loader][proto_to_ir][malformed]") {
  SECTION("negative dimension") {
    auto proto = tensor_proto("dtype: DT_FLOAT tensor_shape { dim { size: -5 } }");
    auto t = tensor_from_proto(*proto, proto);
    REQUIRE_FALSE(t);
    CHECK_THAT(t.error().reason(), Contains("negative dimension -5"));
  }
  SECTION("unknown dimension in a constant") {
    auto proto = tensor_proto("dtype: DT_FLOAT tensor_shape { dim { size: -1 } dim { size: 1 } } float_val: 2");
    auto t = tensor_from_proto(*proto, proto);
    REQUIRE_FALSE(t);
    CHECK_THAT(t.error().reason(), Contains("[?,1] is not fully defined"));
  }
  SECTION("element count overflows int64") {
    auto proto = tensor_proto("dtype: DT_FLOAT tensor_shape { dim { size: 4294967296 } "
                              "dim { size: 4294967296 } } float_val: 1");
    auto t = tensor_from_proto(*proto, proto);
    REQUIRE_FALSE(t);
    CHECK_THAT(t.error().reason(), Contains("too many elements"));
  }
  SECTION("10^18 complex128 elements overflow the byte count") {
    auto proto = tensor_proto("dtype: DT_COMPLEX128 tensor_shape { dim { size: 1000000000000000000 } } "
                              "dcomplex_val: 1 dcomplex_val: 0");
    auto t = tensor_from_proto(*proto, proto);
    REQUIRE_FALSE(t);
    CHECK_THAT(t.error().reason(), Contains("more bytes than fit in int64"));
  }
  SECTION("tensor_content of the wrong size") {
    auto proto = tensor_proto(R"(dtype: DT_INT32 tensor_shape { dim { size: 2 } } tensor_content: "\001\000\000\000")");
    auto t = tensor_from_proto(*proto, proto);
    REQUIRE_FALSE(t);
    CHECK_THAT(t.error().reason(), Contains("tensor_content has 4 bytes"));
  }
  SECTION("rank over 254") {
    std::string text = "dtype: DT_FLOAT tensor_shape {";
    for (int i = 0; i < 255; ++i) text += " dim { size: 1 }";
    auto proto = tensor_proto(text + " }");
    auto t = tensor_from_proto(*proto, proto);
    REQUIRE_FALSE(t);
    CHECK_THAT(t.error().reason(), Contains("rank 255"));
  }
}

TEST_CASE("a 10^18-element splat loads lazily but refuses to decode", "[loader][proto_to_ir][malformed]") {
  auto proto = tensor_proto("dtype: DT_FLOAT tensor_shape { dim { size: 1000000000000000000 } } float_val: 1");
  auto t = tensor_from_proto(*proto, proto);
  REQUIRE(t);
  CHECK(t->byte_size() == 4000000000000000000ULL);
  auto bytes = t->load();
  REQUIRE_FALSE(bytes);
  CHECK_THAT(bytes.error().reason(), Contains("too large to decode"));
}

TEST_CASE("checked_shape_from_proto keeps -1 and unknown rank", "[loader][proto_to_ir]") {
  tensorflow::TensorShapeProto proto;
  REQUIRE(parse_text_proto("dim { size: -1 } dim { size: 224 }", proto, "TensorShapeProto"));
  auto shape = checked_shape_from_proto(proto);
  REQUIRE(shape);
  CHECK(shape->to_string() == "[?,224]");
  tensorflow::TensorShapeProto unknown;
  unknown.set_unknown_rank(true);
  CHECK_FALSE(checked_shape_from_proto(unknown)->has_rank());
  unknown.add_dim()->set_size(3);
  CHECK_FALSE(checked_shape_from_proto(unknown));
}

TEST_CASE("node_from_proto parses inputs and seeds outputs from _output_shapes",
          "[loader][proto_to_ir]") {
  auto proto = std::make_shared<tensorflow::NodeDef>();
  REQUIRE(parse_text_proto(R"(
      name: "x" op: "Placeholder" input: "a:1" input: "b:out:2" input: "^c"
      attr { key: "dtype" value { type: DT_FLOAT } }
      attr { key: "_output_shapes" value { list { shape { dim { size: -1 } dim { size: 3 } } } } })",
                           *proto, "NodeDef"));
  auto node = node_from_proto(*proto, proto);
  REQUIRE(node);
  REQUIRE(node->inputs.size() == 3);
  CHECK(node->inputs[0] == ir::TensorRef{"a", "", 1, false});
  CHECK(node->inputs[1] == ir::TensorRef{"b", "out", 2, false});
  CHECK(node->inputs[2] == ir::TensorRef{"c", "", 0, true});
  REQUIRE(node->outputs.size() == 1);
  CHECK(node->outputs[0].dtype == ir::DType::Float);
  CHECK(node->outputs[0].shape == ir::Shape({-1, 3}));
}

TEST_CASE("node_from_proto accepts grappler's symbolic dims only in internal attrs",
          "[loader][proto_to_ir]") {
  auto internal = std::make_shared<tensorflow::NodeDef>();
  REQUIRE(parse_text_proto(R"(name: "a" op: "_Arg"
      attr { key: "_output_shapes" value { list { shape { dim { size: -5 } } } } })", *internal, "NodeDef"));
  CHECK(node_from_proto(*internal, internal));
  auto placeholder = std::make_shared<tensorflow::NodeDef>();
  REQUIRE(parse_text_proto(R"(name: "p" op: "Placeholder"
      attr { key: "shape" value { shape { dim { size: -5 } } } })", *placeholder, "NodeDef"));
  auto node = node_from_proto(*placeholder, placeholder);
  REQUIRE_FALSE(node);
  CHECK(node.error().reason() ==
        "node 'p' (Placeholder): attr 'shape': shape has a negative dimension -5 (only -1, unknown, is allowed)");
}

TEST_CASE("node_from_proto names the node when an input string is malformed",
          "[loader][proto_to_ir][malformed]") {
  auto proto = std::make_shared<tensorflow::NodeDef>();
  REQUIRE(parse_text_proto(R"(name: "a" op: "Cast" input: "two:output:18446744073709551615")", *proto, "NodeDef"));
  auto node = node_from_proto(*proto, proto);
  REQUIRE_FALSE(node);
  CHECK_THAT(node.error().reason(), Contains("node 'a' (Cast): invalid input 'two:output:18446744073709551615'"));
}

TEST_CASE("function_from_proto converts signature, body and returns", "[loader][proto_to_ir]") {
  auto proto = std::make_shared<tensorflow::FunctionDef>();
  REQUIRE(parse_text_proto(R"(
      signature { name: "XTimesTwo" input_arg { name: "x" type_attr: "T" }
                  output_arg { name: "y" type_attr: "T" } control_output: "c" }
      node_def { name: "two" op: "Const" attr { key: "dtype" value { type: DT_INT64 } }
                 attr { key: "value" value { tensor { dtype: DT_INT64 tensor_shape {} int64_val: 2 } } } }
      node_def { name: "y" op: "Mul" input: "x" input: "two:output:0" attr { key: "T" value { placeholder: "T" } } }
      ret { key: "y" value: "y:z:0" }
      control_ret { key: "c" value: "two" }
      arg_attr { key: 0 value { attr { key: "_user_specified_name" value { s: "x" } } } })",
                           *proto, "FunctionDef"));
  auto f = function_from_proto(*proto, proto);
  REQUIRE(f);
  CHECK(f->name == "XTimesTwo");
  REQUIRE(f->inputs.size() == 1);
  CHECK(f->inputs[0].type_attr == "T");
  CHECK(f->control_outputs == std::vector<std::string>{"c"});
  CHECK(f->body.size() == 2);
  CHECK(f->ret.at("y") == "y:z:0");
  CHECK(f->control_ret.at("c") == "two");
  CHECK(*f->arg_attrs.at(0).at("_user_specified_name").as_string() == "x");
  const auto* placeholder = std::get_if<ir::AttrPlaceholder>(&f->body.find("y")->attr("T")->value);
  REQUIRE(placeholder != nullptr);
  CHECK(placeholder->name == "T");
}

TEST_CASE("parse_text_proto reports line and column", "[loader][proto_to_ir][malformed]") {
  tensorflow::GraphDef graph;
  auto parsed = parse_text_proto("node {\n  name: \"a\"\n  bogus: 1\n}\n", graph, "GraphDef");
  REQUIRE_FALSE(parsed);
  CHECK_THAT(parsed.error().reason(), Contains("line 3:"));
  CHECK_THAT(parsed.error().reason(), Contains("bogus"));
}

TEST_CASE("parse_binary_proto refuses messages nested deeper than the recursion limit",
          "[loader][proto_to_ir][malformed]") {
  auto varint = [](std::size_t n) {
    std::string s;
    while (n >= 0x80) {
      s += static_cast<char>((n & 0x7f) | 0x80);
      n >>= 7;
    }
    return s + static_cast<char>(n);
  };
  // AttrValue.func (10) -> NameAttrList.attr (2) map entry {key "k", value (2) AttrValue}
  // -> AttrValue.func ..., built from the inside out, 300 levels deep.
  std::string value;
  for (int i = 0; i < 300; ++i) {
    const std::string entry = std::string("\x0a\x01k", 3) + "\x12" + varint(value.size()) + value;
    const std::string name_attr_list = "\x12" + varint(entry.size()) + entry;
    value = "\x52" + varint(name_attr_list.size()) + name_attr_list;
  }
  tensorflow::AttrValue attr;
  auto parsed = parse_binary_proto(value, attr, "AttrValue");
  REQUIRE_FALSE(parsed);
  CHECK_THAT(parsed.error().reason(), Contains("nested more than 100 levels"));
}

}  // namespace
}  // namespace litelint::analyzer
