// Findings on Keras models name the layer a user wrote, not only the op Keras traced for it
// (issue 21): "layer 'lstm_1' (LSTM): node '...' (TensorListReserve): ...".
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "rules/engine/finding.h"
#include "tests/support/testing.h"

namespace lr = litelint::rules;
namespace testing = litelint::testing;
using Catch::Matchers::StartsWith;

namespace {

lr::FindingNode keras_node(std::string name, std::string layer, std::string cls) {
  lr::FindingNode n;
  n.name = std::move(name);
  n.path = {n.name};
  n.keras_layer = std::move(layer);
  n.keras_class = std::move(cls);
  return n;
}

// Messages of `check --format json` on a corpus model, in report order.
std::vector<std::string> messages(const std::string& corpus_path) {
  const auto r = testing::run_command(
      {testing::litelint_binary().string(), "check", testing::corpus(corpus_path).string(), "--format", "json"});
  REQUIRE((r.exit_code == 0 || r.exit_code == 1));
  std::vector<std::string> out;
  const auto doc = nlohmann::json::parse(r.out);  // named: a range-for would not keep it alive
  for (const auto& f : doc.at("findings")) out.push_back(f.at("message"));
  return out;
}

}  // namespace

TEST_CASE("a finding's message leads with the Keras layers of its nodes", "[keras][rules]") {
  SECTION("one node of one layer") {
    CHECK(lr::group_message({keras_node("m/lstm_1/While", "lstm_1", "LSTM")}, "While", "cause") ==
          "layer 'lstm_1' (LSTM): node 'm/lstm_1/While' (While): cause");
  }
  SECTION("several nodes of one layer name it once") {
    CHECK(lr::group_message({keras_node("m/gru/a", "gru", "GRU"), keras_node("m/gru/b", "gru", "GRU")}, "Op", "c") ==
          "layer 'gru' (GRU): nodes 'm/gru/a', 'm/gru/b' (Op): c");
  }
  SECTION("nodes of several layers, in node order, the first three named") {
    std::vector<lr::FindingNode> nodes;
    for (const char* l : {"d3", "d1", "d2", "d0", "d1"}) nodes.push_back(keras_node(std::string("m/") + l + "/MatMul", l, "Dense"));
    CHECK_THAT(lr::group_message(nodes, "MatMul", "c"),
               StartsWith("layers 'd3' (Dense), 'd1' (Dense), 'd2' (Dense) and 1 more: nodes 'm/d3/MatMul'"));
  }
  SECTION("nodes that are not from Keras keep the plain wording") {
    lr::FindingNode n;
    n.name = "pool1";
    CHECK(lr::group_message({n}, "AvgPool", "cause") == "node 'pool1' (AvgPool): cause");
  }
}

TEST_CASE("check on a corpus Keras model names the LSTM layers it reports", "[keras][rules][corpus]") {
  // Four stacked LSTMs with an unknown batch size: each layer's tensor list cannot lower.
  const auto all = messages("keras/user_stock_lstm_h5/keras_model.h5");
  REQUIRE_FALSE(all.empty());
  bool named = false;
  for (const auto& m : all) {
    INFO(m);
    CHECK_THAT(m, StartsWith("layer"));
    named = named || m.starts_with("layer 'lstm_1' (LSTM): node 'sequential/lstm_1/");
  }
  CHECK(named);
}

TEST_CASE("check on a TF.js layers model names the layer too", "[keras][rules][corpus]") {
  const auto all = messages("tfjs/tfjs_e2e_load_predict_layers_model/model.json");
  REQUIRE_FALSE(all.empty());
  CHECK_THAT(all.front(), StartsWith("layer 'gru_GRU1' (GRU): node 'sequential_5/gru_GRU1/"));
}
