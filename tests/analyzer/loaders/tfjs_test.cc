#include "analyzer/loaders/tfjs.h"

#include <catch2/catch.hpp>
#include <cstring>
#include <set>
#include <nlohmann/json.hpp>

#include "tests/support/testing.h"

namespace ir = litelint::ir;
namespace testing = litelint::testing;
namespace fs = std::filesystem;
using litelint::Expected;
using litelint::analyzer::Detected;
using litelint::analyzer::load_tfjs;
using nlohmann::json;

namespace {

Expected<ir::Model> load_json(const fs::path& model_json) {
  return load_tfjs(Detected{ir::Format::GraphModel, model_json}, {});
}

const ir::Node* find_node(const ir::Graph& g, std::string_view name) {
  if (const ir::Node* n = g.nodes.find(name)) return n;
  for (const auto& f : g.functions) {
    if (const ir::Node* n = f.body.find(name)) return n;
  }
  return nullptr;
}

std::string metadata(const ir::Model& m, std::string_view key) {
  for (const auto& [k, v] : m.metadata) {
    if (k == key) return v;
  }
  return "<absent>";
}

template <typename T>
std::vector<T> values_of(const ir::Tensor& t) {
  auto b = t.load();
  REQUIRE(b);
  std::vector<T> out(b->bytes.size() / sizeof(T));
  if (!out.empty()) std::memcpy(out.data(), b->bytes.data(), out.size() * sizeof(T));
  return out;
}

json read_json(const fs::path& p) { return json::parse(testing::slurp(p)); }

void write_json(const fs::path& p, const json& j) { testing::write_file(p, j.dump()); }

}  // namespace

TEST_CASE("every corpus TF.js graph model loads with the manifest's op types",
          "[loader][tfjs][corpus]") {
  const json manifest = read_json(testing::corpus("MANIFEST.json"));
  std::size_t graph_models = 0, complete = 0;
  for (const json& entry : manifest.at("entries")) {
    if (entry.at("category") != "tfjs" || entry.at("format") != "graph-model") continue;
    ++graph_models;
    const std::string id = entry.at("id");
    INFO(id);
    auto model = load_json(testing::corpus_root() / entry.at("main_file").get<std::string>());
    REQUIRE(model);
    CHECK(model->format == ir::Format::GraphModel);
    const ir::Graph& g = model->graph();

    std::set<std::string> function_names;
    for (const auto& f : g.functions) function_names.insert(f.name);
    std::set<std::string> ops;
    std::size_t function_nodes = 0;
    auto add = [&](const ir::Node& n) {
      if (!function_names.count(n.op)) ops.insert(n.op);
    };
    for (const auto& n : g.nodes.nodes()) add(n);
    for (const auto& f : g.functions) {
      function_nodes += f.body.size();
      for (const auto& n : f.body.nodes()) add(n);
    }
    const auto expected_ops = entry.at("ops").get<std::set<std::string>>();
    CHECK(ops == expected_ops);
    if (entry.contains("node_count")) CHECK(g.nodes.size() == entry.at("node_count").get<std::size_t>());
    CHECK(function_nodes == entry.at("analysis").at("function_node_count").get<std::size_t>());

    // Every Const has a value: loadable when the shards are shipped, a NotFound naming the
    // missing shard otherwise.
    const bool weights_present = entry.at("complete").get<bool>();
    CHECK(metadata(*model, "weights").find("not present") == (weights_present ? std::string::npos : 0));
    std::size_t consts = 0;
    auto check_const = [&](const ir::Node& n) {
      if (n.op != "Const") return;
      ++consts;
      const ir::AttrValue* value = n.attr("value");
      REQUIRE(value);
      const ir::Tensor* t = value->as_tensor();
      REQUIRE(t);
      auto bytes = t->load();
      if (weights_present) {
        if (!bytes) FAIL_CHECK(n.name << ": " << bytes.error().message());
      } else {
        // Constants the converter kept in the topology (none so far) would still load.
        if (!bytes) CHECK(bytes.error().code() == litelint::ErrorCode::NotFound);
      }
    };
    for (const auto& n : g.nodes.nodes()) check_const(n);
    for (const auto& f : g.functions) {
      for (const auto& n : f.body.nodes()) check_const(n);
    }
    CHECK(consts > 0);
    if (weights_present) ++complete;
  }
  CHECK(graph_models == 33);
  CHECK(complete == 22);
}

TEST_CASE("TF.js dense model: signature, metadata and weight values", "[loader][tfjs][corpus]") {
  const fs::path dir = testing::corpus("tfjs/tfjs_e2e_dense_model");
  auto model = load_json(dir / "model.json");
  REQUIRE(model);
  CHECK(metadata(*model, "format") == "graph-model");
  CHECK(metadata(*model, "generatedBy") == "2.1.0");
  CHECK(metadata(*model, "convertedBy") == "TensorFlow.js Converter v2.4.0");
  CHECK(metadata(*model, "weights") == "2 tensors in 1 shard files");
  CHECK(model->file_bytes == 5846 + 8);
  const ir::Graph& g = model->graph();
  CHECK(g.tf_version == "2.1.0");
  REQUIRE(g.signatures.size() == 1);
  const ir::Signature& sig = g.signatures[0];
  CHECK(sig.key == "serving_default");
  REQUIRE(sig.inputs.size() == 1);
  CHECK(sig.inputs[0].key == "dense_dense1_input:0");
  CHECK(sig.inputs[0].tensor_name == "dense_dense1_input:0");
  CHECK(sig.inputs[0].type.dtype == ir::DType::Float);
  CHECK(sig.inputs[0].type.shape == ir::Shape({-1, 1}));
  REQUIRE(sig.outputs.size() == 1);
  CHECK(sig.outputs[0].tensor_name == "Identity:0");

  const ir::Node* kernel = find_node(g, "StatefulPartitionedCall/sequential_1/dense_Dense1/MatMul/ReadVariableOp");
  REQUIRE(kernel);
  const ir::Tensor* t = kernel->attr("value")->as_tensor();
  REQUIRE(t);
  CHECK(t->dtype() == ir::DType::Float);
  CHECK(t->shape() == ir::Shape({1, 1}));
  CHECK(values_of<float>(*t) == std::vector<float>{1.9513733386993408f});
  const ir::Node* bias = find_node(g, "StatefulPartitionedCall/sequential_1/dense_Dense1/BiasAdd/ReadVariableOp");
  REQUIRE(bias);
  CHECK(values_of<float>(*bias->attr("value")->as_tensor()) == std::vector<float>{-0.8492417335510254f});
  const ir::Node* fused = find_node(g, "StatefulPartitionedCall/sequential_1/dense_Dense1/BiasAdd");
  REQUIRE(fused);
  CHECK(fused->op == "_FusedMatMul");
  REQUIRE(fused->attr("fused_ops"));
  CHECK(fused->attr("fused_ops")->as_list()->s == std::vector<std::string>{"BiasAdd"});
  CHECK(fused->device == "/device:CPU:0");
}

TEST_CASE("TF.js 1.x models keep the signature in userDefinedMetadata", "[loader][tfjs][corpus]") {
  auto model = load_json(testing::corpus("tfjs/tfjs_e2e_load_predict_graph_model/model.json"));
  REQUIRE(model);
  REQUIRE(model->graph().signatures.size() == 1);
  const ir::Signature& sig = model->graph().signatures[0];
  REQUIRE(sig.inputs.size() == 1);
  CHECK(sig.inputs[0].tensor_name == "Placeholder:0");
  CHECK(sig.inputs[0].type.shape == ir::Shape({2, 2}));
  REQUIRE(sig.outputs.size() == 1);
  CHECK(sig.outputs[0].tensor_name == "MatMul:0");
  CHECK(metadata(*model, "convertedBy") == "TensorFlow.js Converter v1.7.4r1");
  CHECK(metadata(*model, "userDefinedMetadata.signature") == "<absent>");
}

TEST_CASE("TF.js graph model without shards loads its topology and function library",
          "[loader][tfjs][corpus]") {
  auto model = load_json(testing::corpus("tfjs/tfjs_e2e_movenet_json/model.json"));
  REQUIRE(model);
  CHECK(metadata(*model, "weights") == "not present (3 shard files missing)");
  const ir::Graph& g = model->graph();
  CHECK(g.functions.size() == 2);
  CHECK(g.producer == 716);
  const ir::Node* c = find_node(g, "__inference_map_while_body_10122_30691/map/while/add/y");
  REQUIRE(c);
  const ir::Tensor* t = c->attr("value")->as_tensor();
  REQUIRE(t);
  CHECK(t->shape() == ir::Shape::scalar());
  auto bytes = t->load();
  REQUIRE_FALSE(bytes);
  CHECK(bytes.error().code() == litelint::ErrorCode::NotFound);
  CHECK_THAT(bytes.error().message(), Catch::Contains("group1-shard1of3.bin"));
  REQUIRE(g.signatures.size() == 1);
  CHECK(g.signatures[0].inputs[0].type.dtype == ir::DType::Int32);
}

TEST_CASE("TF.js weights of float64 Consts widen back to float64 after float16 decoding",
          "[loader][tfjs][corpus]") {
  auto model = load_json(testing::corpus("tfjs/human_faceboxes/model.json"));
  REQUIRE(model);
  CHECK(metadata(*model, "convertedBy") == "TensorFlow.js Converter v2.8.0");
  const ir::Node* c = find_node(model->graph(), "ConstantFolding/image_padding/truediv_recip");
  REQUIRE(c);
  const ir::Tensor* t = c->attr("value")->as_tensor();
  REQUIRE(t);
  CHECK(t->dtype() == ir::DType::Double);
  CHECK(t->shape() == ir::Shape::scalar());
  CHECK(values_of<double>(*t) == std::vector<double>{0.0078125});
}

TEST_CASE("TF.js uint8-quantized graph model dequantizes through the loaded graph",
          "[loader][tfjs][corpus]") {
  const fs::path dir = testing::corpus("tfjs/nsfwjs_mobilenet_v2_mid");
  auto model = load_json(dir / "model.json");
  REQUIRE(model);
  const ir::Node* c = find_node(model->graph(),
                                "StatefulPartitionedCall/sequential/keras_layer/StatefulPartitionedCall/"
                                "StatefulPartitionedCall/StatefulPartitionedCall/predict/MobilenetV2/"
                                "Conv/Conv2D_weights");
  REQUIRE(c);
  const ir::Tensor* t = c->attr("value")->as_tensor();
  CHECK(t->shape() == ir::Shape({3, 3, 3, 48}));
  auto v = values_of<float>(*t);
  REQUIRE(v.size() == 1296);
  // Raw codes 144 and 125 from group1-shard1of2, min -6.2558..., scale 0.04344...
  CHECK(v[0] == static_cast<float>(144 * 0.04344318240296607 + -6.255818266027114));
  CHECK(v[4] == static_cast<float>(125 * 0.04344318240296607 + -6.255818266027114));
  CHECK(model->file_bytes == fs::file_size(dir / "model.json") + 4300775);
}

TEST_CASE("broken TF.js models are errors that name the file", "[loader][tfjs][malformed]") {
  testing::TempDir tmp;
  SECTION("truncated last shard") {
    const fs::path dir = testing::copy_into(testing::corpus("tfjs/nsfwjs_mobilenet_v2_mid"), tmp.path());
    testing::truncate_file(dir / "group1-shard2of2", 1000);
    auto model = load_json(dir / "model.json");
    REQUIRE_FALSE(model);
    CHECK_THAT(model.error().message(), Catch::Contains("group1-shard2of2"));
  }
  SECTION("truncated first shard") {
    const fs::path dir = testing::copy_into(testing::corpus("tfjs/nsfwjs_mobilenet_v2_mid"), tmp.path());
    testing::truncate_file(dir / "group1-shard1of2", 4000000);
    auto model = load_json(dir / "model.json");
    REQUIRE_FALSE(model);
    CHECK_THAT(model.error().message(), Catch::Contains("group1-shard1of2"));
  }
  SECTION("one of two shards missing") {
    const fs::path dir = testing::copy_into(testing::corpus("tfjs/nsfwjs_mobilenet_v2_mid"), tmp.path());
    fs::remove(dir / "group1-shard1of2");
    auto model = load_json(dir / "model.json");
    REQUIRE_FALSE(model);
    CHECK(model.error().code() == litelint::ErrorCode::NotFound);
    CHECK_THAT(model.error().message(), Catch::Contains("group1-shard1of2"));
  }
  SECTION("model.json truncated") {
    const fs::path dir = testing::copy_into(testing::corpus("tfjs/tfjs_e2e_dense_model"), tmp.path());
    testing::truncate_file(dir / "model.json", 3000);
    auto model = load_json(dir / "model.json");
    REQUIRE_FALSE(model);
    CHECK_THAT(model.error().message(), Catch::Contains("model.json") && Catch::Contains("JSON"));
  }
  SECTION("JSON nesting bomb") {
    const fs::path file = tmp.path() / "model.json";
    testing::write_file(file, R"({"format": "graph-model", "modelTopology": {"node": )" +
                                  std::string(1000000, '[') + std::string(1000000, ']') + "}}");
    auto model = load_json(file);
    REQUIRE_FALSE(model);
    CHECK_THAT(model.error().message(), Catch::Contains("model.json") && Catch::Contains("nests"));
  }
  SECTION("weight shape with a negative dimension") {
    const fs::path dir = testing::copy_into(testing::corpus("tfjs/tfjs_e2e_dense_model"), tmp.path());
    json j = read_json(dir / "model.json");
    j["weightsManifest"][0]["weights"][0]["shape"] = json::array({-1, 1});
    write_json(dir / "model.json", j);
    auto model = load_json(dir / "model.json");
    REQUIRE_FALSE(model);
    CHECK_THAT(model.error().message(), Catch::Contains("model.json") && Catch::Contains("negative"));
  }
  SECTION("manifest sizes exceed the shard bytes") {
    const fs::path dir = testing::copy_into(testing::corpus("tfjs/tfjs_e2e_dense_model"), tmp.path());
    json j = read_json(dir / "model.json");
    j["weightsManifest"][0]["weights"][1]["shape"] = json::array({1000000000, 1000000000});
    write_json(dir / "model.json", j);
    auto model = load_json(dir / "model.json");
    REQUIRE_FALSE(model);
    CHECK_THAT(model.error().message(),
               Catch::Contains("group1-shard1of1.bin") && Catch::Contains("BiasAdd/ReadVariableOp"));
  }
  SECTION("topology that is not a GraphDef") {
    const fs::path file = tmp.path() / "model.json";
    testing::write_file(file, R"({"format": "graph-model", "modelTopology": {"node": [{"name": 5, "op": {}}]}})");
    auto model = load_json(file);
    REQUIRE_FALSE(model);
    CHECK_THAT(model.error().message(), Catch::Contains("model.json") && Catch::Contains("modelTopology"));
  }
  SECTION("input naming a node that does not exist") {
    const fs::path file = tmp.path() / "model.json";
    testing::write_file(file, R"({"format": "graph-model", "modelTopology": {"node": [
        {"name": "a", "op": "Identity", "input": ["nowhere"]}]}})");
    auto model = load_json(file);
    REQUIRE_FALSE(model);
    CHECK_THAT(model.error().message(), Catch::Contains("model.json") && Catch::Contains("nowhere"));
  }
  SECTION("layers model") {
    auto model = load_json(testing::corpus("tfjs/upscalerjs_default_model/model.json"));
    REQUIRE_FALSE(model);
    CHECK(model.error().code() == litelint::ErrorCode::Unsupported);
  }
  SECTION("not an object") {
    const fs::path file = tmp.path() / "model.json";
    testing::write_file(file, "[1, 2, 3]");
    CHECK_FALSE(load_json(file));
  }
}
