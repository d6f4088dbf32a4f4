// The Keras front end on the corpus models and on damaged copies of them (issue 21).
#include "analyzer/loaders/keras/keras_loader.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <set>
#include <string>

#include "analyzer/loaders/keras/model_config.h"
#include "analyzer/loaders/load.h"
#include "tests/support/testing.h"

namespace ir = litelint::ir;
namespace testing = litelint::testing;
namespace fs = std::filesystem;
using litelint::ErrorCode;
using litelint::analyzer::load;

namespace {

std::set<std::string> ops_of(const ir::Graph& g) {
  std::set<std::string> ops;
  for (const ir::Node& n : g.nodes.nodes()) ops.insert(n.op);
  return ops;
}

std::set<std::string> keras_layers(const ir::Graph& g) {
  std::set<std::string> layers;
  for (const ir::Node& n : g.nodes.nodes()) {
    if (const ir::AttrValue* a = n.attr("_keras_class")) layers.insert(*a->as_string());
  }
  return layers;
}

bool every_value_loads(const ir::Graph& g) {
  for (const ir::Node& n : g.nodes.nodes()) {
    if (n.op != "Const") continue;
    auto bytes = n.attr("value")->as_tensor()->load();
    if (!bytes) return false;
  }
  return true;
}

// `litelint check` on a path: exit code and the first line of stderr.
testing::CommandResult check(const fs::path& path) {
  return testing::run_command({testing::litelint_binary().string(), "check", path.string()});
}

bool one_line(const std::string& s) {
  auto t = s;
  while (!t.empty() && t.back() == '\n') t.pop_back();
  return !t.empty() && t.find('\n') == std::string::npos;
}

}  // namespace

TEST_CASE("to_snake_case matches Keras' naming", "[keras]") {
  using litelint::analyzer::keras::to_snake_case;
  CHECK(to_snake_case("Conv2D") == "conv2d");
  CHECK(to_snake_case("BatchNormalization") == "batch_normalization");
  CHECK(to_snake_case("DepthwiseConv2D") == "depthwise_conv2d");
  CHECK(to_snake_case("ReLU") == "re_lu");
  CHECK(to_snake_case("LSTM") == "lstm");
  CHECK(to_snake_case("GlobalAveragePooling2D") == "global_average_pooling2d");
  CHECK(to_snake_case("Conv1DTranspose") == "conv1d_transpose");
}

TEST_CASE("corpus Keras and TF.js layers models load with their layers and ops", "[keras]") {
  struct Case {
    const char* path;
    std::set<std::string> ops;     // some ops the graph must hold
    std::set<std::string> layers;  // some Keras classes the nodes must name
  };
  const Case cases[] = {
      {"keras/user_teachable_machine_mobilenet/keras_model.h5", {"Conv2D", "DepthwiseConv2dNative", "Relu6", "Mean", "MatMul", "Softmax"},
       {"Conv2D", "DepthwiseConv2D", "BatchNormalization", "Dense"}},
      {"keras/user_stock_lstm_h5/keras_model.h5", {"While", "TensorListReserve", "TensorListStack"}, {"LSTM", "Dense"}},
      {"keras/user_midinet_h5/model.h5", {"Placeholder"}, {}},
      {"keras/user_tinyml_separable_cnn_h5/separable_conv2d_2-tinyMLdetection-75.45.h5",
       {"DepthwiseConv2dNative", "Conv2D", "MaxPool"}, {"SeparableConv2D"}},
      {"keras/genomic_gaps_cae_200_json_h5/model_cae_200.json", {"Conv2D", "Conv2DBackpropInput", "Reshape"},
       {"Conv2DTranspose", "BatchNormalization", "Dense"}},
      {"keras/user_sentiment_classifier_dotkeras_hdf5/model.keras", {"GatherV2", "Mean"}, {"Embedding"}},
      {"keras/user_fast_style_transfer_keras3/model.keras", {"Conv2D", "DepthwiseConv2dNative", "AddV2"}, {"DepthwiseConv2D", "Add"}},
      {"keras/user_mario_level_lstm_dotkeras_hdf5/model.keras", {"While"}, {"LSTM"}},
      {"tfjs/tfjs_e2e_load_predict_layers_model/model.json", {"GatherV2", "While"}, {"Embedding", "GRU"}},
      {"tfjs/nsfwjs_mobilenet_v2/model.json", {"Conv2D", "DepthwiseConv2dNative"}, {"Conv2D"}},
      {"tfjs/nsfwjs_inception_v3/model.json", {"Conv2D", "ConcatV2"}, {"Concatenate"}},
      {"tfjs/upscalerjs_default_model/model.json", {"Conv2D"}, {"Conv2D"}},
      {"tfjs/upscalerjs_esrgan_slim_x4/model.json", {"Conv2D"}, {"Conv2D"}},
  };
  for (const Case& c : cases) {
    INFO(c.path);
    auto model = load(testing::corpus(c.path));
    REQUIRE(model);
    const ir::Graph& g = model->graph();
    const auto ops = ops_of(g);
    for (const auto& op : c.ops) {
      INFO(op);
      CHECK(ops.contains(op));
    }
    const auto layers = keras_layers(g);
    for (const auto& l : c.layers) {
      INFO(l);
      CHECK(layers.contains(l));
    }
    // inspect lists the Keras layer classes beside the op types.
    const auto classes = std::find_if(model->metadata.begin(), model->metadata.end(),
                                      [](const auto& kv) { return kv.first == "layer_classes"; });
    REQUIRE(classes != model->metadata.end());
    for (const auto& l : c.layers) CHECK(classes->second.find(l) != std::string::npos);
    REQUIRE(g.signatures.size() == 1);
    CHECK(!g.signatures[0].inputs.empty());
    CHECK(!g.signatures[0].outputs.empty());
    if (std::string(c.path) != "tfjs/nsfwjs_inception_v3/model.json") CHECK(every_value_loads(g));
  }
}

TEST_CASE("a subclassed model loads as one node naming its class", "[keras]") {
  auto model = load(testing::corpus("keras/user_vae_visual_search_keras3/model.keras"));
  REQUIRE(model);
  CHECK(ops_of(model->graph()).contains("VAE"));
}

TEST_CASE("a weights-only HDF5 file is exit 2 with a message saying how to pair it", "[keras]") {
  auto path = testing::corpus("keras/user_tinyml_separable_cnn_weights_h5/separable_conv2d_2-tinyMLdetection-weights.h5");
  auto model = load(path);
  REQUIRE(!model);
  CHECK(model.error().reason().find("only weights") != std::string::npos);
  CHECK(model.error().reason().find("model.to_json()") != std::string::npos);
  auto r = check(path);
  CHECK(r.exit_code == 2);
  CHECK(one_line(r.err));
}

TEST_CASE("check answers every corpus Keras model with exit 0 or 1", "[keras][cli]") {
  for (const char* p : {"keras/user_teachable_machine_mobilenet/keras_model.h5", "keras/user_stock_lstm_h5/keras_model.h5",
                        "keras/user_fast_style_transfer_keras3/model.keras", "keras/user_vae_visual_search_keras3/model.keras",
                        "keras/genomic_gaps_cae_200_json_h5/model_cae_200.json",
                        "tfjs/tfjs_e2e_load_predict_layers_model/model.json"}) {
    INFO(p);
    auto r = check(testing::corpus(p));
    CHECK((r.exit_code == 0 || r.exit_code == 1));
  }
}

TEST_CASE("damaged Keras files exit 2 with one line", "[keras][cli]") {
  testing::TempDir dir;
  SECTION("truncated .keras zip") {
    auto p = testing::copy_into(testing::corpus("keras/user_fast_style_transfer_keras3/model.keras"), dir.path());
    testing::truncate_file(p, fs::file_size(p) / 2);
    auto r = check(p);
    CHECK(r.exit_code == 2);
    CHECK(one_line(r.err));
  }
  SECTION("truncated HDF5 model") {
    auto p = testing::copy_into(testing::corpus("keras/user_stock_lstm_h5/keras_model.h5"), dir.path());
    testing::truncate_file(p, fs::file_size(p) * 3 / 4);
    auto r = check(p);
    CHECK(r.exit_code == 2);
    CHECK(one_line(r.err));
  }
  SECTION("architecture JSON without weights") {
    auto p = testing::copy_into(testing::corpus("keras/genomic_gaps_cae_200_json_h5/model_cae_200.json"), dir.path());
    auto r = check(p);
    CHECK(r.exit_code == 2);
    CHECK(one_line(r.err));
    CHECK(r.err.find("weights") != std::string::npos);
  }
  SECTION("config naming weights the file lacks") {
    auto p = testing::copy_into(testing::corpus("keras/genomic_gaps_cae_200_json_h5/model_cae_200.json"), dir.path());
    testing::copy_into(testing::corpus("keras/genomic_gaps_cae_200_json_h5/best_weights_cae_200.hdf5"), dir.path());
    std::string text = testing::slurp(p);
    // Rename one layer: its weights are no longer found under its name.
    const auto at = text.find("\"conv2d_transpose");
    REQUIRE(at != std::string::npos);
    std::string renamed = text;
    for (std::size_t i = renamed.find("conv2d_transpose"); i != std::string::npos; i = renamed.find("conv2d_transpose", i + 20)) {
      renamed.replace(i, 16, "renamed_transpose");
    }
    testing::write_file(p, renamed);
    auto r = check(p);
    CHECK(r.exit_code == 2);
    CHECK(one_line(r.err));
    CHECK(r.err.find("renamed_transpose") != std::string::npos);
  }
  SECTION("weight shape contradicting the config") {
    auto p = testing::copy_into(testing::corpus("keras/genomic_gaps_cae_200_json_h5/model_cae_200.json"), dir.path());
    testing::copy_into(testing::corpus("keras/genomic_gaps_cae_200_json_h5/best_weights_cae_200.hdf5"), dir.path());
    std::string text = testing::slurp(p);
    const auto at = text.find("\"units\": ");
    REQUIRE(at != std::string::npos);
    text.insert(at + 9, "7");
    testing::write_file(p, text);
    auto r = check(p);
    CHECK(r.exit_code == 2);
    CHECK(one_line(r.err));
    CHECK(r.err.find("shape") != std::string::npos);
  }
  SECTION("TF.js layers model with a truncated shard") {
    auto d = dir.path() / "m";
    fs::create_directories(d);
    for (const char* f : {"model.json", "group1-shard1of1.bin"}) {
      testing::copy_into(testing::corpus(std::string("tfjs/upscalerjs_default_model/") + f), d);
    }
    testing::truncate_file(d / "group1-shard1of1.bin", 1000);
    auto r = check(d / "model.json");
    CHECK(r.exit_code == 2);
    CHECK(one_line(r.err));
  }
}

TEST_CASE("mutated Keras files never crash check", "[keras][cli]") {
  // Fixed-seed byte flips and truncations of one HDF5 model and one .keras archive: every run
  // must end in a verdict (0/1) or a one-line error (2), never a signal.
  testing::TempDir dir;
  std::mt19937 rng(21);
  for (const char* rel : {"keras/user_tinyml_separable_cnn_h5/separable_conv2d_2-tinyMLdetection-75.45.h5",
                          "keras/user_fast_style_transfer_keras3/model.keras"}) {
    const std::string original = testing::slurp(testing::corpus(rel));
    const fs::path copy = dir.path() / fs::path(rel).filename();
    for (int round = 0; round < 40; ++round) {
      std::string bytes = original;
      const int flips = 1 + static_cast<int>(rng() % 16);
      for (int k = 0; k < flips; ++k) bytes[rng() % bytes.size()] = static_cast<char>(rng() & 0xff);
      if (round % 5 == 4) bytes.resize(rng() % bytes.size());
      testing::write_file(copy, bytes);
      auto r = check(copy);
      INFO(rel << " round " << round << ": " << r.err);
      CHECK((r.exit_code == 0 || r.exit_code == 1 || r.exit_code == 2));
      if (r.exit_code == 2) CHECK(one_line(r.err));
    }
  }
}
