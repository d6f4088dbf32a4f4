// The fallback plan's converter snippet reads the model the way TensorFlow can (issue 18): it
// was always from_saved_model(saved_model_dir), also for GraphDefs, MetaGraphDefs and TF.js
// models. tests/oracle/tests/test_plan_snippets.py runs the snippets with TensorFlow.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "tests/reports/golden_support.h"
#include "tests/support/testing.h"

namespace litelint {
namespace {

using Catch::Contains;
namespace fs = std::filesystem;

std::string snippet_in(const fs::path& dir, const std::vector<std::string>& args) {
  std::vector<std::string> argv = args;
  argv.insert(argv.end(), {"--format", "json"});
  const auto run = testing::run_check_in(dir, argv);
  REQUIRE(run.exit_code != 2);
  return testing::parse_report(run).at("plan").at("converter_snippet").get<std::string>();
}

TEST_CASE("a GraphDef's snippet is from_frozen_graph with the graph's arrays", "[cli][plan]") {
  const fs::path root = LITELINT_SOURCE_ROOT;
  const std::string s = snippet_in(root, {"examples/tiny_classifier.pbtxt"});
  CHECK_THAT(s, Contains("converter = tf.compat.v1.lite.TFLiteConverter.from_frozen_graph(\n"
                         "    \"examples/tiny_classifier.pbtxt\",\n"
                         "    input_arrays=[\"image\"],\n"
                         "    output_arrays=[\"probs\", \"gram/MatrixInverse\"])\n"));
  CHECK_THAT(s, Contains("tf.lite.OpsSet.SELECT_TF_OPS"));
  CHECK(s.find("from_saved_model") == std::string::npos);

  SECTION("--inputs and --outputs are the arrays when given") {
    const std::string given = snippet_in(root, {"examples/tiny_classifier.pbtxt", "--inputs", "image",
                                                "--outputs", "gram/MatrixInverse"});
    CHECK_THAT(given, Contains("    output_arrays=[\"gram/MatrixInverse\"])\n"));
  }
}

TEST_CASE("a MetaGraphDef's snippet imports it into a session and restores its checkpoint",
          "[cli][plan]") {
  const fs::path dir = testing::corpus("graphdef/tfnet_meta_xor");
  const std::string s = snippet_in(dir, {"xor.meta"});
  CHECK_THAT(s, Contains("saver = tf.compat.v1.train.import_meta_graph(\"xor.meta\", clear_devices=True)"));
  CHECK_THAT(s, Contains("        saver.restore(sess, \"xor\")\n"));
  CHECK_THAT(s, Contains("converter = tf.compat.v1.lite.TFLiteConverter.from_session("));
  CHECK_THAT(s, Contains("    tflite_model = converter.convert()\n"));
}

TEST_CASE("a TF.js model's snippet says TensorFlow cannot read it and gives litelint convert",
          "[cli][plan]") {
  const fs::path dir = testing::corpus("tfjs/tfjs_e2e_dense_model");
  const std::string s = snippet_in(dir, {"model.json"});
  CHECK_THAT(s, Contains("TensorFlow's converter cannot read a TF.js graph model"));
  CHECK_THAT(s, Contains("\nlitelint convert model.json -o model.tflite"));
  CHECK(s.find("TFLiteConverter.from_saved_model(") == std::string::npos);
}

TEST_CASE("a Keras file's snippet loads it with Keras and uses from_keras_model", "[cli][plan][keras]") {
  // Written by tf.keras 2 (keras_version 2.x): Keras 3, which tf.keras is now, cannot load it
  // (LSTM's time_major), tf_keras can.
  const std::string s = snippet_in(testing::corpus("keras/user_stock_lstm_h5"), {"keras_model.h5"});
  CHECK_THAT(s, Contains("import tf_keras"));
  CHECK_THAT(s, Contains("model = tf_keras.models.load_model(\"keras_model.h5\", compile=False)\n"
                         "converter = tf.lite.TFLiteConverter.from_keras_model(model)\n"));
  CHECK_THAT(s, Contains("tf.lite.OpsSet.SELECT_TF_OPS"));
  CHECK(s.find("from_saved_model") == std::string::npos);
}

TEST_CASE("a TF.js layers model's snippet goes back to Keras or through litelint convert",
          "[cli][plan][keras]") {
  const fs::path dir = testing::corpus("tfjs/tfjs_e2e_load_predict_layers_model");
  const std::string s = snippet_in(dir, {"model.json"});
  CHECK_THAT(s, Contains("TensorFlow's converter cannot read a TF.js layers model"));
  CHECK_THAT(s, Contains("tensorflowjs_converter --input_format=tfjs_layers_model --output_format=keras"));
  CHECK_THAT(s, Contains("\nlitelint convert model.json -o model.tflite --target select-tf-ops\n"));
}

TEST_CASE("a SavedModel's snippet names its directory, signature and tags", "[cli][plan]") {
  const fs::path dir = testing::corpus("savedmodel");
  const std::string s = snippet_in(dir, {"tf_cc_half_plus_two", "--signature", "classify_x_to_y",
                                         "--tags", "serve"});
  CHECK_THAT(s, Contains("converter = tf.lite.TFLiteConverter.from_saved_model(\"tf_cc_half_plus_two\", "
                         "signature_keys=[\"classify_x_to_y\"], tags=set([\"serve\"]))\n"));
}

}  // namespace
}  // namespace litelint
