#include "rules/engine/fusions.h"
#include "rules/engine/op_coverage.h"

#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

namespace ir = litelint::ir;
namespace lr = litelint::rules;

namespace {

ir::Node node(std::string name, std::string op, std::vector<std::string> inputs = {}) {
  ir::Node n;
  n.name = std::move(name);
  n.op = std::move(op);
  for (const auto& in : inputs) n.inputs.push_back(*ir::TensorRef::parse(in));
  n.attrs["T"].value = ir::DType::Float;
  return n;
}

ir::Node scalar(std::string name, float v) {
  auto bytes = std::make_shared<std::vector<std::byte>>(sizeof(float));
  std::memcpy(bytes->data(), &v, sizeof(float));
  ir::Node n;
  n.name = std::move(name);
  n.op = "Const";
  n.attrs["value"].value = ir::Tensor(ir::DType::Float, ir::Shape::scalar(), [bytes]() {
    ir::TensorBytes b;
    b.bytes = std::span<const std::byte>(bytes->data(), bytes->size());
    b.keep_alive = bytes;
    return litelint::Expected<ir::TensorBytes>(std::move(b));
  });
  return n;
}

// tf.nn.gelu(x, approximate=False) as TensorFlow 2.x writes it, node names prefixed by `p`.
void add_gelu_erfc(ir::NodeList& body, const std::string& p, const std::string& x) {
  body.add(scalar(p + "/half", 0.5F));
  body.add(node(p + "/mul", "Mul", {p + "/half:output:0", x}));
  body.add(node(p + "/neg", "Neg", {x}));
  body.add(scalar(p + "/rsqrt2", 0.70710677F));
  body.add(node(p + "/mul_1", "Mul", {p + "/neg:y:0", p + "/rsqrt2:output:0"}));
  body.add(node(p + "/erfc", "Erfc", {p + "/mul_1:z:0"}));
  body.add(node(p + "/mul_2", "Mul", {p + "/mul:z:0", p + "/erfc:y:0"}));
}

std::unordered_set<std::string> fused(const ir::NodeList& body, std::vector<std::string> results) {
  std::vector<const ir::Node*> live;
  for (const auto& n : body.nodes()) live.push_back(&n);
  std::unordered_set<std::string> names;
  for (const auto* n : lr::fused_nodes({body, live, results})) names.insert(n->name);
  return names;
}

}  // namespace

TEST_CASE("the exact GELU around Erfc is fused unless CSE shares its 0.5*x",
          "[rules][fusion]") {
  ir::NodeList body;
  body.add(node("dense", "BiasAdd", {"x", "b"}));
  add_gelu_erfc(body, "gelu", "dense:output:0");
  SECTION("one GELU: Erfc, the products and the Neg are absorbed") {
    auto f = fused(body, {"gelu/mul_2:z:0"});
    CHECK(f == std::unordered_set<std::string>{"gelu/erfc", "gelu/mul", "gelu/mul_1",
                                               "gelu/mul_2", "gelu/neg"});
  }
  SECTION("an erfc result that is also returned is used twice: no fusion") {
    CHECK(fused(body, {"gelu/mul_2:z:0", "gelu/erfc:y:0"}).empty());
  }
  SECTION("two GELUs of one input: CSE merges their 0.5*x, so neither fuses") {
    add_gelu_erfc(body, "gelu_1", "dense:output:0");
    CHECK(fused(body, {"gelu/mul_2:z:0", "gelu_1/mul_2:z:0"}).empty());
  }
  SECTION("two GELUs of different inputs fuse both") {
    body.add(node("other", "Relu", {"x"}));
    add_gelu_erfc(body, "gelu_1", "other:activations:0");
    CHECK(fused(body, {"gelu/mul_2:z:0", "gelu_1/mul_2:z:0"}).size() == 10);
  }
  SECTION("a constant other than sqrt(1/2) is not the GELU") {
    ir::NodeList other;
    other.add(node("dense", "BiasAdd", {"x", "b"}));
    add_gelu_erfc(other, "gelu", "dense:output:0");
    *other.find("gelu/rsqrt2") = scalar("gelu/rsqrt2", 0.7F);
    CHECK(fused(other, {"gelu/mul_2:z:0"}).empty());
  }
}

TEST_CASE("the erf form of the exact GELU is fused, with x/sqrt(2) as a division",
          "[rules][fusion]") {
  ir::NodeList body;
  body.add(scalar("half", 0.5F));
  body.add(node("mul", "Mul", {"half:output:0", "x"}));
  body.add(scalar("sqrt2", 1.4142135F));
  body.add(node("div", "RealDiv", {"x", "sqrt2:output:0"}));
  body.add(node("erf", "Erf", {"div:z:0"}));
  body.add(scalar("one", 1.0F));
  body.add(node("add", "AddV2", {"one:output:0", "erf:y:0"}));
  body.add(node("gelu", "Mul", {"mul:z:0", "add:z:0"}));
  CHECK(fused(body, {"gelu:z:0"}) ==
        std::unordered_set<std::string>{"erf", "div", "add", "mul", "gelu"});
}

TEST_CASE("the op table does not call Erf or Erfc a GELU builtin: only the whole pattern fuses",
          "[rules][fusion]") {
  ir::Graph g;
  g.nodes.add(node("x", "Placeholder"));
  g.nodes.add(node("e", "Erf", {"x"}));
  g.nodes.add(node("r", "Relu", {"e"}));
  const auto ops = lr::op_coverage(g);
  REQUIRE(ops.size() == 3);
  CHECK(ops[0].op == "Erf");
  CHECK(ops[0].status == "flex-only");
  CHECK(ops[0].builtins.empty());
  CHECK(ops[2].op == "Relu");
  REQUIRE_FALSE(ops[2].builtins.empty());
  CHECK(ops[2].builtins[0] == "RELU");
}
