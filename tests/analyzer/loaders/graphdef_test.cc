#include "analyzer/loaders/graphdef.h"

#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "analyzer/loaders/savedmodel.h"
#include "tests/support/testing.h"

namespace litelint::analyzer {
namespace {

using Catch::Matchers::Contains;
namespace fs = std::filesystem;

Expected<ir::Model> load_as(ir::Format format, const fs::path& file) {
  return load_graphdef(Detected{format, file}, LoadOptions{});
}

TEST_CASE("graphdef loader reads a frozen binary GraphDef", "[loader][graphdef]") {
  const auto file = testing::corpus("graphdef/tf2onnx_regression_frozen") / "frozen.pb";
  auto model = load_as(ir::Format::GraphDefBinary, file);
  REQUIRE(model);
  CHECK(model->format == ir::Format::GraphDefBinary);
  CHECK(model->main_file == file);
  CHECK(model->file_bytes == fs::file_size(file));
  REQUIRE(model->main_mapping);
  CHECK(model->main_mapping->view() == testing::slurp(file));
  REQUIRE(model->graphs.size() == 1);
  CHECK(model->graph().nodes.size() == 8);
}

TEST_CASE("graphdef loader reads a binary MetaGraphDef with tags and version", "[loader][graphdef]") {
  const auto file = testing::corpus("graphdef/tfnet_meta_xor") / "xor.meta";
  auto model = load_as(ir::Format::MetaGraphDefBinary, file);
  REQUIRE(model);
  const ir::Graph& g = model->graph();
  CHECK(g.nodes.size() == 71);
  CHECK(g.tf_version == "1.13.1");
  CHECK(g.tags.empty());
  CHECK_FALSE(g.declared_ops.empty());
}

TEST_CASE("graphdef loader accepts a MetaGraphDef that detection took for a GraphDef",
          "[loader][graphdef]") {
  const auto file = testing::corpus("graphdef/tfnet_meta_xor") / "xor.meta";
  auto model = load_as(ir::Format::GraphDefBinary, file);
  REQUIRE(model);
  CHECK(model->format == ir::Format::MetaGraphDefBinary);
  CHECK(model->graph().tf_version == "1.13.1");
}

TEST_CASE("graphdef loader reads a text MetaGraphDef", "[loader][graphdef]") {
  const auto file = testing::corpus("graphdef/tf_python_metrics_export_meta_graph") / "metrics_export_meta_graph.pb";
  auto model = load_as(ir::Format::MetaGraphDefText, file);
  REQUIRE(model);
  CHECK(model->graph().nodes.size() == 35);
}

TEST_CASE("graphdef loader inflates a gzip-compressed text GraphDef", "[loader][graphdef]") {
  const auto file = testing::corpus("pbtxt/tf_jit_opens2s_gnmt_mixed_precision") /
                    "opens2s_gnmt_mixed_precision.pbtxt.gz";
  auto model = load_as(ir::Format::GraphDefText, file);
  REQUIRE(model);
  std::size_t nodes = model->graph().nodes.size();
  for (const auto& f : model->graph().functions) nodes += f.body.size();
  CHECK(model->graph().nodes.size() == 5877);
  CHECK(nodes == 5901);  // the manifest counts function bodies too
}

TEST_CASE("graphdef loader attaches the stack traces of a .pbtxt.debug file", "[loader][graphdef]") {
  const auto dir = testing::corpus("pbtxt/tf_mlir_lite_debuginfo_mobilenet_v1_stack");
  auto model = load_as(ir::Format::GraphDefText, dir / "v1_1.0_224_frozen.wrong_attr.stack.part.pbtxt");
  REQUIRE(model);
  const ir::Graph& g = model->graph();
  CHECK(g.has_debug_info);
  const ir::Node* beta = g.nodes.find("MobilenetV1/Conv2d_0/BatchNorm/beta");
  REQUIRE(beta != nullptr);
  REQUIRE(beta->stack.size() == 1);
  CHECK(beta->stack[0].file == "fake/user/code/file_b.py");
  CHECK(beta->stack[0].line == 383);
}

TEST_CASE("graphdef loader names the file and position of a text parse error",
          "[loader][graphdef][malformed]") {
  SECTION("upstream's template with $0 placeholders") {
    const auto file = testing::corpus("pbtxt/tf_data_service_repeated_dataset") / "repeated_dataset.pbtxt";
    auto model = load_as(ir::Format::GraphDefText, file);
    REQUIRE_FALSE(model);
    CHECK(model.error().file() == file.string());
    CHECK_THAT(model.error().reason(), Contains("line 52:20"));
  }
  SECTION("not a graph at all") {
    const auto file = testing::corpus("pbtxt/tf_mlir_graphdef2mlir_graph_malformed") / "graph-malformed.pbtxt";
    auto model = load_as(ir::Format::GraphDefText, file);
    REQUIRE_FALSE(model);
    CHECK_THAT(model.error().message(), Contains("graph-malformed.pbtxt: not a valid GraphDef in protobuf text format: line 3:"));
  }
}

TEST_CASE("graphdef loader rejects damaged binary files with the file named",
          "[loader][graphdef][malformed]") {
  testing::TempDir tmp;
  SECTION("truncated") {
    const auto file = testing::copy_into(testing::corpus("graphdef/tf2onnx_gru"), tmp.path()) / "frozen.pb";
    testing::truncate_file(file, fs::file_size(file) / 2);
    auto model = load_as(ir::Format::GraphDefBinary, file);
    REQUIRE_FALSE(model);
    CHECK(model.error().file() == file.string());
    CHECK_THAT(model.error().reason(), Contains("not a valid GraphDef protobuf"));
  }
  SECTION("garbage bytes") {
    const auto file = tmp.path() / "garbage.pb";
    testing::write_file(file, std::string("\x0a\xff\xff\xff\xff\x0f garbage \x07\x00", 17));
    auto model = load_as(ir::Format::GraphDefBinary, file);
    REQUIRE_FALSE(model);
    CHECK_THAT(model.error().message(), Contains("garbage.pb: not a valid GraphDef protobuf"));
  }
  SECTION("corrupt gzip") {
    const auto file = tmp.path() / "broken.pbtxt.gz";
    testing::write_file(file, std::string("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03garbage", 17));
    auto model = load_as(ir::Format::GraphDefText, file);
    REQUIRE_FALSE(model);
    CHECK(model.error().file() == file.string());
  }
}

TEST_CASE("graphdef loader refuses a text GraphDef nested past the recursion limit",
          "[loader][graphdef][malformed]") {
  testing::TempDir tmp;
  std::string text = "node { name: \"a\" op: \"NoOp\" attr { key: \"k\" value { ";
  for (int i = 0; i < 10000; ++i) text += "func { name: \"f\" attr { key: \"k\" value { ";
  for (int i = 0; i < 10000; ++i) text += "} } } ";
  text += "} } }\n";
  const auto file = tmp.path() / "bomb.pbtxt";
  testing::write_file(file, text);
  auto model = load_as(ir::Format::GraphDefText, file);
  REQUIRE_FALSE(model);
  CHECK(model.error().file() == file.string());
  CHECK_THAT(model.error().reason(), Contains("not a valid GraphDef in protobuf text format"));
}

TEST_CASE("graphdef loader rejects semantic damage with the node named", "[loader][graphdef][malformed]") {
  testing::TempDir tmp;
  const auto file = tmp.path() / "g.pbtxt";
  SECTION("duplicate node names") {
    testing::write_file(file, R"(node { name: "x" op: "NoOp" } node { name: "x" op: "NoOp" })");
    auto model = load_as(ir::Format::GraphDefText, file);
    REQUIRE_FALSE(model);
    CHECK(model.error().message() == file.string() + ": node 'x': duplicated node name (node names must be unique)");
  }
  SECTION("a placeholder shape with dimension -5") {
    testing::write_file(file, R"(node { name: "p" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } }
                                        attr { key: "shape" value { shape { dim { size: -5 } } } } })");
    auto model = load_as(ir::Format::GraphDefText, file);
    REQUIRE_FALSE(model);
    CHECK_THAT(model.error().message(), Contains("node 'p' (Placeholder): attr 'shape': shape has a negative dimension -5"));
  }
  SECTION("a constant of 10^18 complex128 elements from one value") {
    testing::write_file(file, R"(node { name: "c" op: "Const" attr { key: "dtype" value { type: DT_COMPLEX128 } }
        attr { key: "value" value { tensor { dtype: DT_COMPLEX128
          tensor_shape { dim { size: 1000000000000000000 } } dcomplex_val: 1 dcomplex_val: 2 } } } })");
    auto model = load_as(ir::Format::GraphDefText, file);
    REQUIRE_FALSE(model);
    CHECK_THAT(model.error().message(), Contains("node 'c' (Const): attr 'value': tensor of shape [1000000000000000000]"));
  }
}

// Both directions over the whole corpus: every GraphDef/MetaGraphDef/SavedModel that is not
// malformed on purpose loads, and every malformed one is refused. Entries whose RUN line
// expects the upstream tool to fail for reasons outside the graph (unknown ops, bad
// --output-arrays) may go either way, but must not crash.
TEST_CASE("every TensorFlow graph in the corpus loads unless it is malformed",
          "[loader][graphdef][savedmodel][corpus]") {
  const fs::path root = testing::corpus_root();
  std::ifstream in(root / "MANIFEST.json");
  REQUIRE(in);
  const auto manifest = nlohmann::json::parse(in);
  const std::map<std::string, ir::Format> formats = {
      {"graphdef-binary", ir::Format::GraphDefBinary},
      {"graphdef-text", ir::Format::GraphDefText},
      {"metagraphdef-binary", ir::Format::MetaGraphDefBinary},
      {"metagraphdef-text", ir::Format::MetaGraphDefText},
      {"savedmodel", ir::Format::SavedModel},
      {"savedmodel-text", ir::Format::SavedModelText},
  };
  int loaded = 0, refused = 0;
  for (const auto& entry : manifest.at("entries")) {
    auto format = formats.find(entry.at("format").get<std::string>());
    if (format == formats.end()) continue;
    const bool malformed = entry.value("malformed", false);
    const bool expected_to_fail = entry.value("expected_to_fail", false);
    const Detected detected{format->second, root / entry.at("main_file").get<std::string>()};
    const bool saved_model = format->second == ir::Format::SavedModel || format->second == ir::Format::SavedModelText;
    auto model = saved_model ? load_saved_model(detected, LoadOptions{}) : load_graphdef(detected, LoadOptions{});
    INFO(entry.at("id").get<std::string>() << ": " << (model ? std::string("loaded") : model.error().message()));
    if (malformed) {
      CHECK_FALSE(model);
      if (!model) CHECK_THAT(model.error().file(), Contains(entry.at("path").get<std::string>()));
    } else if (!expected_to_fail) {
      CHECK(model);
    }
    (model ? loaded : refused)++;
  }
  CHECK(loaded > 200);
  CHECK(refused >= 35);
}

}  // namespace
}  // namespace litelint::analyzer
