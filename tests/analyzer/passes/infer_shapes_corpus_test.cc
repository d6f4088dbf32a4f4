#include <catch2/catch.hpp>

#include <fstream>
#include <iostream>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "analyzer/loaders/load.h"
#include "analyzer/passes/infer_shapes.h"
#include "analyzer/passes/prune.h"
#include "tests/support/testing.h"

using namespace litelint;
using ir::Shape;

namespace {

constexpr std::int64_t U = Shape::kUnknownDim;

ir::Model load_corpus(const std::string& id) {
  auto model = analyzer::load(testing::corpus(id));
  INFO(id << ": " << (model ? "" : model.error().message()));
  REQUIRE(model);
  return std::move(*model);
}

/// Type of a main-graph tensor named "node:index".
ir::TensorType tensor_type(const ir::Graph& g, const std::string& tensor) {
  auto ref = ir::TensorRef::parse(tensor);
  REQUIRE(ref);
  const auto* n = g.nodes.find(ref->node);
  REQUIRE(n != nullptr);
  REQUIRE(n->outputs.size() > static_cast<std::size_t>(ref->index));
  return n->outputs[static_cast<std::size_t>(ref->index)];
}

nlohmann::json manifest() {
  std::ifstream in(testing::corpus_root() / "MANIFEST.json");
  REQUIRE(in);
  return nlohmann::json::parse(in);
}

bool is_tf_graph_format(const std::string& f) {
  static const std::set<std::string> formats = {"savedmodel", "savedmodel-text", "graphdef-binary", "graphdef-text",
                                                "metagraphdef-binary", "metagraphdef-text", "graph-model"};
  return formats.count(f) > 0;
}

}  // namespace

TEST_CASE("half_plus_two's output y is inferred as [?,1]", "[passes][shapes][corpus]") {
  auto model = load_corpus("savedmodel/tf_cc_half_plus_two");
  auto& g = model.graph();
  auto report = passes::infer_shapes(g);
  CHECK(tensor_type(g, "y:0") == ir::TensorType{ir::DType::Float, Shape({U, 1})});
  CHECK(report.diagnostics.empty());

  REQUIRE(passes::prune_to_signature(g, "serving_default"));
  CHECK(g.nodes.find("y") != nullptr);
  CHECK(g.nodes.find("save/SaveV2") == nullptr);
  passes::infer_shapes(g);
  CHECK(tensor_type(g, "y:0").shape == Shape({U, 1}));
}

TEST_CASE("pruning a TF1 SavedModel to an unknown signature names the real ones",
          "[passes][prune][corpus]") {
  auto model = load_corpus("savedmodel/tf_cc_half_plus_two");
  auto r = passes::prune_to_signature(model.graph(), "nope");
  REQUIRE_FALSE(r);
  CHECK_THAT(r.error().reason(), Catch::Matchers::StartsWith("no signature 'nope'; available: "));
  CHECK_THAT(r.error().reason(), Catch::Matchers::Contains("serving_default"));
  CHECK_THAT(r.error().reason(), Catch::Matchers::Contains("classify_x_to_y"));
}

TEST_CASE("the RUN-line input shape of conv_2d_nchw makes its Conv2D inconsistent",
          "[passes][shapes][corpus][diagnostics]") {
  auto model = load_corpus("pbtxt/tf_mlir_lite_end2end_conv_2d_nchw/conv_2d_nchw.pbtxt");
  auto& g = model.graph();
  // 1,8,8,2 is also the Placeholder's declared shape, so the graph is inconsistent as written.
  CHECK_FALSE(passes::infer_shapes(g).diagnostics.empty());
  REQUIRE(passes::set_input_shapes(g, {{"input", Shape({1, 8, 8, 2})}}));
  auto report = passes::infer_shapes(g);
  REQUIRE(report.diagnostics.size() >= 1);
  const auto& d = report.diagnostics[0];
  CHECK(d.node == "conv_net_2d_1/conv_2d_0/convolution");
  CHECK(d.op == "Conv2D");
  CHECK_THAT(d.message, Catch::Matchers::Contains("filter out-channels 2 is not a multiple of the 4 groups"));
}

TEST_CASE("Keras SavedModel outputs inferred through the call equal the declared signature shapes",
          "[passes][shapes][corpus][functions]") {
  // Declared in the models' serving_default signatures (MANIFEST analysis).
  const std::vector<std::pair<std::string, Shape>> cases = {
      {"savedmodel/tfnet_simple_model_from_auto_compile", Shape({U, 10})},
      {"savedmodel/tfnet_python_func_model", Shape({U, 10})},
      {"savedmodel/user_multivariate_cnn_defects", Shape({U, 168})},
      {"savedmodel/user_tinyml_vehicle_separable_cnn", Shape({U, 2})},
      {"savedmodel/user_tetris_dqn_mlp", Shape({U, 1})},
      {"savedmodel/tf_trt_readvariableop", Shape({U, 1, 1})},
  };
  for (const auto& [id, declared] : cases) {
    INFO(id);
    auto model = load_corpus(id);
    auto& g = model.graph();
    REQUIRE(passes::prune_to_signature(g, "serving_default"));
    auto report = passes::infer_shapes(g);
    const auto* sig = g.find_signature("serving_default");
    REQUIRE(sig != nullptr);
    REQUIRE(sig->outputs.size() == 1);
    CHECK(sig->outputs[0].type.shape == declared);
    CHECK(tensor_type(g, sig->outputs[0].tensor_name).shape == declared);
    CHECK(report.diagnostics.empty());
  }
}

TEST_CASE("shape inference types every TF graph of the corpus", "[passes][shapes][corpus][.slow]") {
  const auto m = manifest();
  std::size_t graphs = 0, load_errors = 0;
  std::size_t outputs = 0, dtype_known = 0, rank_known = 0;
  std::size_t sig_outputs = 0, sig_matches = 0;
  std::map<std::string, std::size_t> unmodeled;
  std::vector<std::string> mismatches;
  std::vector<std::string> diagnostics;
  for (const auto& e : m["entries"]) {
    if (!is_tf_graph_format(e.value("format", "")) || e.value("malformed", false)) continue;
    const std::string id = e["id"];
    // Directories are SavedModels and TF.js models; GraphDefs are read from their file.
    const bool directory = e["format"] == "graph-model" || e["format"].get<std::string>().rfind("savedmodel", 0) == 0;
    auto model = analyzer::load(testing::corpus_root() / e[directory ? "path" : "main_file"].get<std::string>());
    if (!model) {
      ++load_errors;
      continue;
    }
    for (auto& g : model->graphs) {
      ++graphs;
      auto report = passes::infer_shapes(g);
      outputs += report.outputs;
      dtype_known += report.dtype_known;
      rank_known += report.rank_known;
      for (const auto& op : report.unmodeled_ops) ++unmodeled[op];
      for (const auto& d : report.diagnostics) {
        diagnostics.push_back(id + " " + (d.function.empty() ? "" : d.function + "/") + d.node + " (" + d.op +
                              "): " + d.message);
      }
      // Declared signature output shapes are a check, not a seed. TF.js signatures are not
      // compared: the converter writes them from its own, sometimes stale, metadata (e.g.
      // human_efficientpose declares [1,?,?,16] where the graph computes [1,368,368,16]).
      for (const auto& sig : g.signatures) {
        if (e["format"] == "graph-model") break;
        for (const auto& t : sig.outputs) {
          if (t.tensor_name.empty() || !t.type.shape.has_rank()) continue;
          auto ref = ir::TensorRef::parse(t.tensor_name);
          const auto* n = ref ? g.nodes.find(ref->node) : nullptr;
          if (!n || n->outputs.size() <= static_cast<std::size_t>(ref->index)) continue;
          ++sig_outputs;
          const auto& inferred = n->outputs[static_cast<std::size_t>(ref->index)].shape;
          if (inferred == t.type.shape) {
            ++sig_matches;
          } else if (mismatches.size() < 40) {
            mismatches.push_back(id + " " + sig.key + "/" + t.key + ": inferred " + inferred.to_string() +
                                 ", declared " + t.type.shape.to_string());
          }
        }
      }
      // Pruning then re-inferring must work on every graph with a serving signature.
      if (g.find_signature("serving_default")) {
        INFO(id);
        CHECK(passes::prune_to_signature(g, "serving_default"));
        passes::infer_shapes(g);
      }
    }
  }
  const double dtype_fraction = outputs ? static_cast<double>(dtype_known) / static_cast<double>(outputs) : 0;
  const double rank_fraction = outputs ? static_cast<double>(rank_known) / static_cast<double>(outputs) : 0;
  std::cout << "infer_shapes over corpus: " << graphs << " graphs (" << load_errors << " load errors), " << outputs
            << " outputs, dtype known " << dtype_fraction << ", rank known " << rank_fraction
            << ", signature outputs matching declared shape " << sig_matches << "/" << sig_outputs << "\n";
  for (const auto& m : mismatches) std::cout << "  signature mismatch: " << m << "\n";
  std::cout << diagnostics.size() << " shape diagnostics\n";
  for (const auto& d : diagnostics) std::cout << "  " << d << "\n";
  std::cout << "unmodeled ops:";
  for (const auto& [op, count] : unmodeled) std::cout << " " << op << "(" << count << ")";
  std::cout << "\n";
  CHECK(graphs > 250);
  CHECK(dtype_fraction >= 0.97);
  CHECK(rank_fraction >= 0.80);
  CHECK(sig_outputs >= 100);
  CHECK(sig_matches == sig_outputs);
}
