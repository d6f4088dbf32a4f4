#include "rules/engine/engine.h"

#include <algorithm>
#include <string>

#include <catch2/catch.hpp>

#include "analyzer/passes/infer_shapes.h"
#include "rules/engine/plan.h"
#include "rules/engine/verdict.h"
#include "tests/rules/fixture_support.h"
#include "tests/support/testing.h"

namespace lr = litelint::rules;
namespace ir = litelint::ir;
using Catch::Matchers::Contains;

namespace {

ir::Node make_node(std::string name, std::string op, std::vector<std::string> inputs = {},
                   ir::DType t = ir::DType::Float) {
  ir::Node n;
  n.name = std::move(name);
  n.op = std::move(op);
  for (const auto& in : inputs) n.inputs.push_back(*ir::TensorRef::parse(in));
  n.attrs["T"].value = t;
  return n;
}

const lr::Finding* find(const lr::LintResult& r, std::string_view code) {
  for (const auto& f : r.findings) {
    if (f.code == code) return &f;
  }
  return nullptr;
}

// A graph whose signature calls a function that holds two Erf nodes and a PyFunc.
ir::Graph graph_with_function() {
  ir::Graph g;
  g.nodes.add(make_node("x", "Placeholder"));
  auto call = make_node("call", "StatefulPartitionedCall", {"x"});
  ir::FuncRef f;
  f.name = "__inference_serving_default_42";
  call.attrs["f"].value = f;
  g.nodes.add(call);
  g.nodes.add(make_node("unused", "Erfinv", {"x"}));  // not on the output's path
  ir::Function fn;
  fn.name = "__inference_serving_default_42";
  ir::ArgDef x;
  x.name = "x";
  x.type = ir::DType::Float;
  fn.inputs.push_back(x);
  ir::ArgDef y = x;
  y.name = "y";
  fn.outputs.push_back(y);
  fn.body.add(make_node("model/erf_1", "Erf", {"x"}));
  auto erf2 = make_node("model/erf_2", "Erf", {"model/erf_1:y:0"});
  erf2.stack.push_back({"/usr/lib/python3/site-packages/tensorflow/python/ops/math_ops.py", 10, "erf"});
  erf2.stack.push_back({"/home/me/model.py", 27, "call"});
  erf2.stack.push_back({"/usr/lib/python3/site-packages/keras/src/layers/layer.py", 99, "__call__"});
  fn.body.add(erf2);
  fn.body.add(make_node("model/py", "PyFunc", {"model/erf_2:y:0"}));
  fn.ret["y"] = "model/py:output:0";
  g.functions.push_back(fn);
  ir::Signature sig;
  sig.key = "serving_default";
  sig.outputs.push_back({.key = "y", .tensor_name = "call:0", .type = {}});
  g.signatures.push_back(sig);
  return g;
}

}  // namespace

TEST_CASE("lint groups one cause per op type and keeps the function path and source line",
          "[rules][engine]") {
  auto g = graph_with_function();
  auto r = lr::lint(g, {});
  const auto* flex = find(r, "LL101");
  REQUIRE(flex != nullptr);
  CHECK(flex->op == "Erf");
  REQUIRE(flex->nodes.size() == 2);
  CHECK(flex->nodes[0].path ==
        std::vector<std::string>{"__inference_serving_default_42", "model/erf_1"});
  CHECK_THAT(flex->message, Contains("nodes 'model/erf_1', 'model/erf_2' (Erf): no TFLite builtin"));
  REQUIRE(flex->nodes[1].location);
  CHECK(flex->nodes[1].location->file == "/home/me/model.py");
  CHECK(flex->nodes[1].location->line == 27);
  CHECK(flex->severity == lr::Severity::Error);
  // Erfinv is not on the signature's path: not visited.
  for (const auto& f : r.findings) CHECK(f.op != "Erfinv");
  CHECK(r.functions_checked == 1);
  CHECK(r.nodes_checked == 5);
}

TEST_CASE("lint skips dead code in function bodies and the functions only dead code calls",
          "[rules][engine][dead-code]") {
  auto g = graph_with_function();
  auto& fn = g.functions.front();
  // Computed, never read: the converter's importer prunes it before legalization.
  fn.body.add(make_node("model/dead_bincount", "DenseBincount", {"x"}));
  auto dead_call = make_node("model/dead_call", "PartitionedCall", {"x"});
  ir::FuncRef callee;
  callee.name = "only_called_by_dead_code";
  dead_call.attrs["f"].value = callee;
  fn.body.add(dead_call);
  ir::Function dead_fn;
  dead_fn.name = "only_called_by_dead_code";
  dead_fn.body.add(make_node("cholesky", "Cholesky", {"x"}));
  dead_fn.ret["y"] = "cholesky:output:0";
  // A stateful op the function must run: a control result keeps it.
  fn.body.add(make_node("model/print", "PrintV2", {"model/erf_1:y:0"}));
  fn.control_ret["model/print"] = "model/print";
  g.functions.push_back(dead_fn);  // invalidates `fn`

  lr::LintOptions o;
  o.target = lr::Target::SelectTfOps;
  o.allow_custom_ops = true;
  auto r = lr::lint(g, o);
  for (const auto& f : r.findings) {
    CHECK(f.op != "DenseBincount");
    CHECK(f.op != "Cholesky");
  }
  CHECK(r.functions_checked == 1);
  CHECK(r.nodes_checked == 6);  // x, call, model/erf_1, model/erf_2, model/py, model/print
  CHECK(std::find(r.plan.flex_ops.begin(), r.plan.flex_ops.end(), "PrintV2") !=
        r.plan.flex_ops.end());
}

TEST_CASE("verdict and plan follow the per-mode outcomes of the findings", "[rules][engine][plan]") {
  auto g = graph_with_function();
  SECTION("builtins: fails; the plan lists Flex and custom ops") {
    auto r = lr::lint(g, {});
    CHECK(r.verdict == lr::Verdict::NeedsCustomOps);
    CHECK_FALSE(r.converts);
    CHECK(r.plan.flex_ops == std::vector<std::string>{"Erf"});
    CHECK(r.plan.custom_ops == std::vector<std::string>{"PyFunc"});
    CHECK_FALSE(r.plan.runs_in_play_services);
    CHECK_THAT(r.plan.converter_snippet, Contains("tf.lite.OpsSet.SELECT_TF_OPS"));
    CHECK_THAT(r.plan.converter_snippet, Contains("converter.allow_custom_ops = True"));
    CHECK_THAT(r.plan.custom_op_registration, Contains("resolver.AddCustom(\"PyFunc\""));
    CHECK(r.plan.binary_size_mb == 20);
  }
  SECTION("select-tf-ops: Erf becomes a warning, PyFunc still fails") {
    lr::LintOptions o;
    o.target = lr::Target::SelectTfOps;
    auto r = lr::lint(g, o);
    CHECK_FALSE(r.converts);
    REQUIRE(find(r, "LL101"));
    CHECK(find(r, "LL101")->severity == lr::Severity::Warning);
    CHECK(find(r, "LL102")->severity == lr::Severity::Error);
  }
  SECTION("builtins + allow_custom_ops: every left-over op is a custom op named by its TF op") {
    lr::LintOptions o;
    o.allow_custom_ops = true;
    auto r = lr::lint(g, o);
    CHECK(r.converts);
    CHECK(r.plan.flex_ops.empty());
    CHECK(r.plan.custom_ops == std::vector<std::string>{"Erf", "PyFunc"});
    CHECK(r.counts[0] == 0);
  }
  SECTION("select and ignore filter what is reported, not the verdict") {
    lr::LintOptions o;
    o.ignore = {"LL1"};
    auto r = lr::lint(g, o);
    CHECK(find(r, "LL101") == nullptr);
    CHECK(r.verdict == lr::Verdict::NeedsCustomOps);
    CHECK_FALSE(r.converts);
  }
}

TEST_CASE("outcome table: what each impact does in each mode", "[rules][engine]") {
  using lr::Impact;
  using lr::Mode;
  using lr::Outcome;
  CHECK(lr::outcome(Impact::Flex, Mode::Builtins) == Outcome::Fails);
  CHECK(lr::outcome(Impact::Flex, Mode::Select) == Outcome::Flex);
  CHECK(lr::outcome(Impact::Flex, Mode::Custom) == Outcome::Custom);
  CHECK(lr::outcome(Impact::Custom, Mode::Select) == Outcome::Fails);
  CHECK(lr::outcome(Impact::Custom, Mode::SelectCustom) == Outcome::Custom);
  CHECK(lr::outcome(Impact::FlexOrFail, Mode::Custom) == Outcome::Fails);
  CHECK(lr::outcome(Impact::FlexOrFail, Mode::Select) == Outcome::Flex);
  CHECK(lr::outcome(Impact::None, Mode::Builtins) == Outcome::Converts);
  CHECK(lr::to_string(lr::Verdict::NeedsSelectTfOps) == "needs-select-tf-ops");
  CHECK(lr::parse_verdict("fails") == lr::Verdict::Fails);
}

TEST_CASE("the issue's measured corpus examples get TensorFlow's verdict", "[rules][engine][corpus]") {
  struct Case {
    const char* path;
    std::vector<std::string> outputs;
    lr::Verdict verdict;
    const char* code;  // a finding that must be there ("" for none)
  };
  auto c = GENERATE(
      Case{"pbtxt/tf_mlir_lite_end2end_control_flow_v1/control_flow_v1.pbtxt", {"cond/Merge"},
           lr::Verdict::ConvertsWithBuiltins, "LL402"},
      Case{"pbtxt/tf_mlir_lite_end2end_conv_2d_nchw/conv_2d_nchw.pbtxt", {"output_0"},
           lr::Verdict::Fails, "LL408"},
      Case{"pbtxt/tf_mlir_lite_end2end_disallow_stateful_partitioned_call/"
           "disallow_stateful_partitioned_call.pbtxt",
           {"add"}, lr::Verdict::Fails, "LL407"},
      Case{"pbtxt/tf_mlir_lite_end2end_custom_opdef/custom_opdef.pbtxt", {"output"},
           lr::Verdict::Fails, "LL103"},
      Case{"pbtxt/tf_mlir_lite_end2end_extra_opdef/extra_opdef.pbtxt", {"output"},
           lr::Verdict::Fails, "LL103"});
  INFO(c.path);
  auto model = litelint::testing::load_model(litelint::testing::corpus(c.path));
  lr::LintOptions o;
  o.outputs = c.outputs;
  auto r = litelint::testing::check(model, o);
  std::string all;
  for (const auto& f : r.findings) all += f.code + " " + f.message + "\n";
  INFO(all);
  CHECK(r.verdict == c.verdict);
  CHECK(find(r, c.code) != nullptr);
}
