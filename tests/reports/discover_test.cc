// What `check DIR --recursive` counts as a model (cli/discover.cc), seen through the binary.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/reports/golden_support.h"
#include "tests/support/testing.h"

namespace testing = litelint::testing;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::vector<std::string> model_paths(const json& batch) {
  std::vector<std::string> out;
  for (const auto& m : batch.at("models")) out.push_back(m.at("model").at("path"));
  return out;
}

// A small zoo: a SavedModel (with variables/ and assets/ inside), a TF.js graph model with
// its weights, a GraphDef with no extension, a broken file named like a model, files that are
// not models, and two symlink loops.
void make_zoo(const fs::path& zoo) {
  fs::create_directories(zoo / "nested" / "deeper");
  testing::copy_into(testing::corpus("savedmodel/tf_cc_half_plus_two"), zoo);
  testing::copy_into(testing::corpus("tfjs/tfjs_e2e_load_predict_graph_model"), zoo / "nested");
  fs::copy_file(testing::corpus("graphdef/tf_lite_testdata_multi_add_pb/multi_add.pb"),
                zoo / "nested" / "deeper" / "graph_without_extension");
  testing::write_file(zoo / "broken.pb", "this is not a protobuf at all\n");
  testing::write_file(zoo / "README.md", "# models\nnot a model\n");
  testing::write_file(zoo / "nested" / "data.csv", "a,b\n1,2\n");
  fs::create_directory_symlink("..", zoo / "nested" / "loop_up");
  fs::create_directory_symlink(".", zoo / "loop_self");
}

}  // namespace

TEST_CASE("recursive discovery finds model directories once, models by content and broken "
          "model files, and skips the rest",
          "[reports][discover]") {
  testing::TempDir tmp;
  make_zoo(tmp.path() / "zoo");
  const auto run = testing::run_check_in(tmp.path(), {"zoo", "-r", "--format", "json"});
  INFO("stderr: " << run.err);
  CHECK(run.exit_code == 2);  // broken.pb
  const json batch = testing::parse_report(run);
  // Sorted; the SavedModel's variables/ and the TF.js shards are not models of their own;
  // README, CSV and the symlinked directories are skipped.
  CHECK(model_paths(batch) == std::vector<std::string>{
                                  "zoo/broken.pb",
                                  "zoo/nested/deeper/graph_without_extension",
                                  "zoo/nested/tfjs_e2e_load_predict_graph_model",
                                  "zoo/tf_cc_half_plus_two",
                              });
  const json& models = batch.at("models");
  CHECK(models[0].contains("error"));
  CHECK(models[1].at("model").at("format") == "graphdef-binary");
  CHECK(models[2].at("model").at("format") == "graph-model");
  CHECK(models[3].at("model").at("format") == "savedmodel");
  CHECK(batch.at("aggregate").at("unreadable") == 1);
}

TEST_CASE("a model directory given to --recursive is one model, still a batch",
          "[reports][discover]") {
  const auto run = testing::run_check_in(testing::corpus_root(),
                                         {"savedmodel/tf_cc_half_plus_two", "-r", "--format", "json"});
  CHECK(run.exit_code == 1);
  const json batch = testing::parse_report(run);
  CHECK(model_paths(batch) == std::vector<std::string>{"savedmodel/tf_cc_half_plus_two"});
}

TEST_CASE("--recursive over a directory without models is an error, not an empty report",
          "[reports][discover]") {
  testing::TempDir tmp;
  fs::create_directory(tmp.path() / "empty");
  testing::write_file(tmp.path() / "empty" / "notes.txt", "nothing here\n");
  const auto run = testing::run_check_in(tmp.path(), {"empty", "-r", "--format", "json"});
  CHECK(run.exit_code == 2);
  CHECK(run.out.empty());
  CHECK_THAT(run.err, Catch::Matchers::Contains("empty: no models found"));
}

TEST_CASE("a directory symlink loop does not hang or repeat discovery", "[reports][discover]") {
  testing::TempDir tmp;
  const fs::path a = tmp.path() / "a";
  fs::create_directories(a / "b");
  fs::copy_file(testing::corpus("graphdef/tf_lite_testdata_multi_add_pb/multi_add.pb"), a / "b" / "m.pb");
  fs::create_directory_symlink("../..", a / "b" / "up");
  fs::create_directory_symlink("b", a / "again");
  const auto run = testing::run_check_in(tmp.path(), {"a", "-r", "--format", "json"});
  CHECK(run.exit_code == 0);
  CHECK(model_paths(testing::parse_report(run)) == std::vector<std::string>{"a/b/m.pb"});
}
