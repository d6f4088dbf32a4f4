// Rules over existing .tflite models (rules/tflite/): hand-built FlatBuffer fixtures for the
// delegate rules, corpus models for Flex, custom ops and quantized models.
//
// The registry test finds each rule's fixture through these markers:
// RULE: LL105  RULE: LL106  RULE: LL302  RULE: LL303  RULE: LL902
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "analyzer/ir/model.h"
#include "analyzer/ir/tflite_model.h"
#include "analyzer/loaders/load.h"
#include "analyzer/tflite/schema.h"
#include "rules/engine/registry.h"
#include "rules/tflite/delegate_placement.h"
#include "rules/tflite/tflite_lint.h"
#include "rules/tflite/tflite_rule.h"
#include "tests/support/testing.h"

namespace ir = litelint::ir;
namespace lr = litelint::rules;
namespace testing = litelint::testing;

namespace {

// A tiny .tflite described as tensors and operators.
struct FxTensor {
  FxTensor(std::vector<std::int32_t> s, tflite::TensorType t = tflite::TensorType::FLOAT32,
           bool c = false)
      : shape(std::move(s)), type(t), constant(c) {}
  std::vector<std::int32_t> shape;
  tflite::TensorType type;
  bool constant;
};

struct FxOp {
  FxOp(tflite::BuiltinOperator c, std::vector<std::int32_t> in, std::vector<std::int32_t> out,
       tflite::ActivationFunctionType a = tflite::ActivationFunctionType::NONE)
      : code(c), inputs(std::move(in)), outputs(std::move(out)), activation(a) {}
  tflite::BuiltinOperator code;
  std::vector<std::int32_t> inputs;
  std::vector<std::int32_t> outputs;
  tflite::ActivationFunctionType activation;
};

struct Fx {
  std::vector<FxTensor> tensors;
  std::vector<FxOp> ops;
  std::vector<std::int32_t> inputs;
  std::vector<std::int32_t> outputs;
};

std::string build(const Fx& fx) {
  flatbuffers::FlatBufferBuilder fbb;
  std::vector<flatbuffers::Offset<tflite::Buffer>> buffers = {tflite::CreateBufferDirect(fbb)};
  std::vector<flatbuffers::Offset<tflite::Tensor>> tensors;
  for (std::size_t i = 0; i < fx.tensors.size(); ++i) {
    const auto& t = fx.tensors[i];
    std::uint32_t buffer = 0;
    if (t.constant) {
      std::size_t elems = 1;
      for (auto d : t.shape) elems *= static_cast<std::size_t>(std::max(d, 1));
      const std::vector<std::uint8_t> data(elems * 4, 0);
      buffer = static_cast<std::uint32_t>(buffers.size());
      buffers.push_back(tflite::CreateBufferDirect(fbb, &data));
    }
    const std::string name = "t" + std::to_string(i);
    tensors.push_back(tflite::CreateTensorDirect(fbb, &t.shape, t.type, buffer, name.c_str()));
  }
  std::vector<flatbuffers::Offset<tflite::OperatorCode>> codes;
  std::vector<flatbuffers::Offset<tflite::Operator>> ops;
  for (std::size_t i = 0; i < fx.ops.size(); ++i) {
    const auto& op = fx.ops[i];
    const auto code = static_cast<std::int32_t>(op.code);
    codes.push_back(tflite::CreateOperatorCodeDirect(
        fbb, static_cast<std::int8_t>(std::min(code, 127)), nullptr, 1, op.code));
    auto options_type = tflite::BuiltinOptions::NONE;
    flatbuffers::Offset<void> options = 0;
    if (op.code == tflite::BuiltinOperator::ADD) {
      options_type = tflite::BuiltinOptions::AddOptions;
      options = tflite::CreateAddOptions(fbb, op.activation).Union();
    }
    ops.push_back(tflite::CreateOperatorDirect(fbb, static_cast<std::uint32_t>(i), &op.inputs,
                                               &op.outputs, options_type, options));
  }
  std::vector<flatbuffers::Offset<tflite::SubGraph>> subgraphs = {
      tflite::CreateSubGraphDirect(fbb, &tensors, &fx.inputs, &fx.outputs, &ops, "main")};
  auto model = tflite::CreateModelDirect(fbb, 3, &codes, &subgraphs, "litelint fixture", &buffers);
  tflite::FinishModelBuffer(fbb, model);
  return std::string(reinterpret_cast<const char*>(fbb.GetBufferPointer()), fbb.GetSize());
}

// Loads a model through the real loader (so options are read from a mapped file).
std::shared_ptr<const ir::TfliteModel> load(const std::filesystem::path& path) {
  auto model = litelint::analyzer::load(path);
  REQUIRE(model);
  REQUIRE(model->format == ir::Format::Tflite);
  return model->tflite;
}

std::shared_ptr<const ir::TfliteModel> load_fx(const testing::TempDir& dir, const Fx& fx) {
  const auto file = dir.path() / "fixture.tflite";
  testing::write_file(file, build(fx));
  return load(file);
}

lr::LintResult lint(const ir::TfliteModel& model, lr::Target target, bool custom = false) {
  lr::LintOptions o;
  o.target = target;
  o.allow_custom_ops = custom;
  return lr::lint_tflite(model, o);
}

const lr::Finding* find(const lr::LintResult& r, std::string_view code, std::string_view op = "") {
  for (const auto& f : r.findings) {
    if (f.code == code && (op.empty() || f.op == op)) return &f;
  }
  return nullptr;
}

// x -> ADD(x, c) -> TOPK_V2(k) -> RELU: the TOPK_V2 in the middle splits the graph.
Fx topk_in_the_middle() {
  using tflite::BuiltinOperator;
  using tflite::TensorType;
  Fx fx;
  fx.tensors = {
      {{1, 8}},                                   // 0 x
      {{1, 8}, TensorType::FLOAT32, true},        // 1 c
      {{1, 8}},                                   // 2 sum
      {{1}, TensorType::INT32, true},             // 3 k
      {{1, 4}},                                   // 4 values
      {{1, 4}, TensorType::INT32},                // 5 indices
      {{1, 4}},                                   // 6 out
  };
  fx.ops = {{BuiltinOperator::ADD, {0, 1}, {2}},
            {BuiltinOperator::TOPK_V2, {2, 3}, {4, 5}},
            {BuiltinOperator::RELU, {4}, {6}}};
  fx.inputs = {0};
  fx.outputs = {6, 5};
  return fx;
}

}  // namespace

TEST_CASE("xnnpack falls back on TOPK_V2 and splits the graph into two partitions",
          "[rules][tflite][delegate]") {
  testing::TempDir dir;
  auto model = load_fx(dir, topk_in_the_middle());
  auto r = lint(*model, lr::Target::Xnnpack);
  const auto* fallback = find(r, "LL302", "TOPK_V2");
  REQUIRE(fallback);
  CHECK(fallback->severity == lr::Severity::Warning);
  REQUIRE(fallback->nodes.size() == 1);
  CHECK(fallback->nodes[0].name == "subgraph 0 / op 1 (TOPK_V2)");
  CHECK_THAT(fallback->cause, Catch::Matchers::Contains("no kernel for TOPK_V2"));
  CHECK(find(r, "LL302", "ADD") == nullptr);
  CHECK(find(r, "LL302", "RELU") == nullptr);
  const auto* coverage = find(r, "LL303");
  REQUIRE(coverage);
  CHECK(coverage->severity == lr::Severity::Note);
  CHECK_THAT(coverage->message,
             Catch::Matchers::Contains("takes 2 of 3 ops (67%) in 2 partitions"));
  // Delegate fallbacks do not stop the model from running.
  CHECK(r.verdict == lr::Verdict::ConvertsWithBuiltins);
  CHECK(r.counts[0] == 0);
}

TEST_CASE("the gpu delegate takes only the largest partition", "[rules][tflite][delegate]") {
  testing::TempDir dir;
  auto model = load_fx(dir, topk_in_the_middle());
  auto placement = lr::place_ops(*model, lr::Delegate::Gpu);
  REQUIRE(placement.subgraphs.size() == 1);
  const auto& ops = placement.subgraphs[0].ops;
  REQUIRE(ops.size() == 3);
  CHECK(placement.subgraphs[0].supported_partitions == 2);
  CHECK(placement.subgraphs[0].delegated_partitions == 1);
  // Equal sizes: the first partition in graph order wins.
  CHECK(ops[0].delegated);
  CHECK_FALSE(ops[1].delegated);
  CHECK_FALSE(ops[2].delegated);
  CHECK(ops[2].supported);
  CHECK_THAT(ops[2].reason, Catch::Matchers::Contains("largest partition"));
}

TEST_CASE("xnnpack rejects a fused TANH activation and int32 tensors",
          "[rules][tflite][delegate]") {
  using tflite::BuiltinOperator;
  testing::TempDir dir;
  Fx fx;
  fx.tensors = {{{1, 8}}, {{1, 8}, tflite::TensorType::FLOAT32, true}, {{1, 8}},
                {{1, 8}, tflite::TensorType::INT32}, {{1, 8}, tflite::TensorType::INT32, true},
                {{1, 8}, tflite::TensorType::INT32}};
  fx.ops = {{BuiltinOperator::ADD, {0, 1}, {2}, tflite::ActivationFunctionType::TANH},
            {BuiltinOperator::ADD, {3, 4}, {5}}};
  fx.inputs = {0, 3};
  fx.outputs = {2, 5};
  auto model = load_fx(dir, fx);
  auto placement = lr::place_ops(*model, lr::Delegate::Xnnpack);
  const auto& ops = placement.subgraphs[0].ops;
  CHECK_FALSE(ops[0].delegated);
  CHECK(ops[0].reason == "fused TANH activation is not taken by XNNPACK");
  CHECK_FALSE(ops[1].delegated);
  CHECK_THAT(ops[1].reason, Catch::Matchers::Contains("INT32 tensor"));
  auto r = lint(*model, lr::Target::Xnnpack);
  const auto* coverage = find(r, "LL303");
  REQUIRE(coverage);
  CHECK(coverage->severity == lr::Severity::Warning);
  CHECK_THAT(coverage->message, Catch::Matchers::Contains("takes none of the 2 ops"));
}

TEST_CASE("delegate rules stay silent without a delegate target", "[rules][tflite][delegate]") {
  testing::TempDir dir;
  auto model = load_fx(dir, topk_in_the_middle());
  auto r = lint(*model, lr::Target::Builtins);
  CHECK(find(r, "LL302") == nullptr);
  CHECK(find(r, "LL303") == nullptr);
  CHECK(r.verdict == lr::Verdict::ConvertsWithBuiltins);
}

TEST_CASE("a Flex model needs the Select TF ops runtime", "[rules][tflite][corpus]") {
  auto model = load(testing::corpus("tflite/tf_lite_testdata_multi_add_flex/multi_add_flex.bin"));
  auto r = lint(*model, lr::Target::Builtins);
  const auto* flex = find(r, "LL105");
  REQUIRE(flex);
  CHECK(flex->op == "CUSTOM:FlexAddV2");
  CHECK(flex->fallback_op == "AddV2");
  CHECK(flex->severity == lr::Severity::Error);  // a builtins-only runtime cannot run it
  CHECK(r.verdict == lr::Verdict::NeedsSelectTfOps);
  CHECK(r.plan.flex_ops == std::vector<std::string>{"AddV2"});
  CHECK_FALSE(r.plan.runs_in_play_services);
  CHECK(r.plan.converter_snippet.empty());
  // With the Select TF ops runtime it runs: a warning, not an error.
  auto select = lint(*model, lr::Target::SelectTfOps);
  REQUIRE(find(select, "LL105"));
  CHECK(find(select, "LL105")->severity == lr::Severity::Warning);
  CHECK(select.converts);
}

TEST_CASE("a custom-op model needs the op registered", "[rules][tflite][corpus]") {
  auto model = load(testing::corpus("tflite/tf_lite_testdata_custom_sinh/custom_sinh.bin"));
  auto r = lint(*model, lr::Target::Builtins);
  const auto* custom = find(r, "LL106");
  REQUIRE(custom);
  CHECK(custom->op == "CUSTOM:Sinh");
  CHECK(custom->severity == lr::Severity::Error);
  CHECK(r.verdict == lr::Verdict::NeedsCustomOps);
  CHECK(r.plan.custom_ops == std::vector<std::string>{"Sinh"});
  CHECK_THAT(r.plan.custom_op_registration, Catch::Matchers::Contains("AddCustom(\"Sinh\""));
  auto allowed = lint(*model, lr::Target::Builtins, /*custom=*/true);
  CHECK(find(allowed, "LL106")->severity == lr::Severity::Warning);
}

TEST_CASE("a model compiled for the Edge TPU names its delegate", "[rules][tflite][corpus]") {
  auto model = load(testing::corpus(
      "tflite/edgetpu_test_tflite_edgetpu/model_edgetpu.tflite"));
  auto r = lint(*model, lr::Target::EdgeTpu);
  const auto* custom = find(r, "LL106", "CUSTOM:edgetpu-custom-op");
  REQUIRE(custom);
  CHECK_THAT(custom->cause, Catch::Matchers::Contains("Edge TPU delegate"));
  // The compiled op itself is the Edge TPU's part: not a CPU fallback.
  CHECK(find(r, "LL302", "CUSTOM:edgetpu-custom-op") == nullptr);
}

TEST_CASE("an int8 model maps to the Edge TPU and a float model does not",
          "[rules][tflite][corpus][edgetpu]") {
  auto quantized = load(testing::corpus("tflite/tflm_micro_person_detect/person_detect.tflite"));
  auto q = lr::place_ops(*quantized, lr::Delegate::EdgeTpu);
  CHECK(q.subgraphs[0].delegated_ops == q.subgraphs[0].ops.size());
  CHECK(q.subgraphs[0].delegated_partitions == 1);

  auto floating = load(testing::corpus("tflite/tf_lite_testdata_add/add.bin"));
  auto r = lint(*floating, lr::Target::EdgeTpu);
  const auto* fallback = find(r, "LL302", "ADD");
  REQUIRE(fallback);
  CHECK_THAT(fallback->cause, Catch::Matchers::Contains("FLOAT32 tensor"));
  CHECK_THAT(find(r, "LL303")->message, Catch::Matchers::Contains("takes none"));
}

TEST_CASE("the oldest runtime follows the newest op version", "[rules][tflite][corpus]") {
  auto model = load(testing::corpus("tflite/tflm_micro_hello_world_float/hello_world_float.tflite"));
  auto r = lint(*model, lr::Target::Builtins);
  const auto* note = find(r, "LL902");
  REQUIRE(note);
  CHECK(note->severity == lr::Severity::Note);
  CHECK_THAT(note->cause, Catch::Matchers::StartsWith("needs TFLite runtime "));
  CHECK_THAT(note->cause, Catch::Matchers::Contains("FULLY_CONNECTED version"));
  CHECK(r.counts[0] == 0);
}

TEST_CASE("the .tflite op table counts builtins and custom ops", "[rules][tflite][corpus]") {
  auto model = load(testing::corpus("tflite/tf_lite_testdata_custom_sinh/custom_sinh.bin"));
  auto ops = lr::op_coverage_tflite(*model);
  REQUIRE_FALSE(ops.empty());
  auto sinh = std::find_if(ops.begin(), ops.end(), [](auto& c) { return c.op == "CUSTOM:Sinh"; });
  REQUIRE(sinh != ops.end());
  CHECK(sinh->status == "custom");
  CHECK(sinh->count == 1);
  CHECK(std::is_sorted(ops.begin(), ops.end(), [](auto& a, auto& b) { return a.op < b.op; }));
}

TEST_CASE(".tflite rules are registered with docs and never run on TensorFlow graphs",
          "[rules][tflite][registry]") {
  for (auto code : {"LL105", "LL106", "LL302", "LL303", "LL902"}) {
    INFO(code);
    const auto* rule = lr::find_rule(code);
    REQUIRE(rule);
    CHECK(rule->ops() == std::vector<std::string_view>{lr::TfliteRule::kTfliteOnly});
  }
}
