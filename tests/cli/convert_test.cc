// `litelint convert` through the binary: usage and input errors (exit 2, one line), models
// `check` rejects (exit 1, check's text, nothing written), and the atomic write.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "reports/convert_report.h"
#include "tests/support/testing.h"

namespace litelint {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::litelint_binary;
using testing::run_command;
using testing::TempDir;

fs::path source_root() { return fs::path(LITELINT_SOURCE_ROOT); }
// y = x @ w + b (tests/cli/fixtures/matmul_bias.pbtxt): checks clean under builtins.
std::string dense_fixture() { return (source_root() / "tests/cli/fixtures/matmul_bias.pbtxt").string(); }
// Checks with one error under builtins (MatrixInverse has no builtin).
std::string matrix_inverse_model() { return (source_root() / "examples/tiny_classifier.pbtxt").string(); }

testing::CommandResult convert(std::vector<std::string> args) {
  args.insert(args.begin(), {litelint_binary().string(), "convert"});
  return run_command(args);
}

std::vector<std::string> entries(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

// Every usage or input error is one line on stderr that names the model, and nothing else.
void check_one_line_error(const testing::CommandResult& r, const std::string& model,
                          const std::string& reason_part) {
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK(r.err.rfind("litelint: error: " + model + ": ", 0) == 0);
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  CHECK_THAT(r.err, Catch::Matchers::Contains(reason_part));
}

TEST_CASE("convert without -o is a usage error naming the model", "[cli][convert]") {
  const auto r = convert({dense_fixture()});
  CHECK(r.err == "litelint: error: " + dense_fixture() + ": -o OUT.tflite is required\n");
  CHECK(r.exit_code == 2);
}

TEST_CASE("convert rejects bad options with one line and writes nothing", "[cli][convert]") {
  TempDir dir;
  const std::string out = (dir.path() / "out.tflite").string();
  struct Case {
    std::vector<std::string> args;
    std::string reason;
  };
  const auto c = GENERATE(values<Case>({
      {{"--target", "gpu"}, "--target: convert writes 'builtins' or 'select-tf-ops', not 'gpu'"},
      {{"--target", "tpu"}, "--target: unknown target 'tpu'"},
      {{"--optimize", "int4"}, "--optimize: unknown value 'int4'"},
      {{"--input-shape", "x"}, "--input-shape 'x': no NAME="},
      {{"--input-shape", "=1,4"}, "--input-shape '=1,4': no NAME="},
      {{"--input-shape", "x="}, "--input-shape 'x=': no dimensions"},
      {{"--input-shape", "x=1,,4"}, "'' is not a dimension"},
      {{"--input-shape", "x=1,four"}, "'four' is not a dimension"},
      {{"--input-shape", "x=-1,4"}, "'-1' is not a dimension"},
      {{"--input-shape", "x=1,4", "--input-shape", "x=2,4"}, "'x' given twice"},
      {{"--outputs", "nowhere"}, "--outputs: no node named 'nowhere' in the graph"},
      {{"--inputs", "x:0"}, "--inputs: 'x:0': TFLiteConverter names output 0 of a node 'x'"},
      {{"--report", "@OUT@"}, "--report and -o name the same file"},
  }));
  std::vector<std::string> args = {dense_fixture(), "-o", out};
  for (const auto& arg : c.args) args.push_back(arg == "@OUT@" ? out : arg);
  INFO(c.reason);
  check_one_line_error(convert(args), dense_fixture(), c.reason);
  CHECK(entries(dir.path()).empty());
}

TEST_CASE("convert of a path that does not exist exits 2 and writes nothing", "[cli][convert]") {
  TempDir dir;
  const std::string model = (dir.path() / "missing.pb").string();
  check_one_line_error(convert({model, "-o", (dir.path() / "out.tflite").string()}), model,
                       "no such file or directory");
  CHECK(entries(dir.path()).empty());
}

TEST_CASE("convert refuses a .tflite input", "[cli][convert]") {
  TempDir dir;
  const std::string model =
      testing::corpus("tflite/edgetpu_test_tflite/model.tflite").string();
  check_one_line_error(convert({model, "-o", (dir.path() / "out.tflite").string()}), model,
                       "already a .tflite model");
  CHECK(entries(dir.path()).empty());
}

TEST_CASE("convert never writes over its input", "[cli][convert]") {
  TempDir dir;
  const fs::path model = testing::copy_into(dense_fixture(), dir.path());
  const std::string before = testing::slurp(model);
  check_one_line_error(convert({model.string(), "-o", model.string()}), model.string(),
                       "is the input model");
  CHECK(testing::slurp(model) == before);
  CHECK(entries(dir.path()) == std::vector<std::string>{"matmul_bias.pbtxt"});
}

TEST_CASE("convert of a model check rejects prints check's findings, exits 1, writes nothing",
          "[cli][convert]") {
  TempDir dir;
  const fs::path out = dir.path() / "out.tflite";
  const auto r = convert({matrix_inverse_model(), "-o", out.string()});
  CHECK(r.exit_code == 1);
  CHECK(r.err.empty());
  CHECK_THAT(r.out, Catch::Matchers::Contains("error[LL101]: node 'gram/MatrixInverse' (MatrixInverse)"));
  // Byte for byte what `check` prints for the same model and target.
  const auto checked = run_command({litelint_binary().string(), "check", matrix_inverse_model()});
  CHECK(checked.exit_code == 1);
  CHECK(r.out == checked.out);
  CHECK_FALSE(fs::exists(out));
  CHECK(entries(dir.path()).empty());
}

TEST_CASE("convert leaves an existing output as it was when conversion fails", "[cli][convert]") {
  TempDir dir;
  const fs::path out = dir.path() / "out.tflite";
  testing::write_file(out, "an earlier model");
  // Checks clean (the arrays are fine), but the converter has no input called 'nope'.
  const auto r = convert({dense_fixture(), "-o", out.string(), "--input-shape", "nope=1,4"});
  check_one_line_error(r, dense_fixture(), "'nope'");
  CHECK(testing::slurp(out) == "an earlier model");
  CHECK(entries(dir.path()) == std::vector<std::string>{"out.tflite"});
}

TEST_CASE("convert writes neither file when the report cannot be written", "[cli][convert]") {
  TempDir dir;
  const fs::path out = dir.path() / "out.tflite";
  const fs::path report = dir.path() / "no-such-dir" / "report.json";
  const auto r = convert({dense_fixture(), "-o", out.string(), "--report", report.string()});
  CHECK(r.exit_code == 2);
  CHECK(r.err.rfind("litelint: error: " + report.string() + ": cannot write report: ", 0) == 0);
  CHECK(entries(dir.path()).empty());
}

TEST_CASE("convert writes a .tflite, one summary line and a versioned report", "[cli][convert]") {
  TempDir dir;
  const fs::path model = testing::copy_into(dense_fixture(), dir.path());
  const std::string before = testing::slurp(model);
  const fs::path out = dir.path() / "dense.tflite";
  const fs::path report = dir.path() / "dense.json";
  const auto r = convert({model.string(), "-o", out.string(), "--report", report.string()});
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.empty());
  const std::string tflite = testing::slurp(out);
  REQUIRE(tflite.size() > 8);
  CHECK(tflite.substr(4, 4) == "TFL3");  // the schema's file_identifier
  CHECK(r.out == "wrote " + out.string() + ": 1 operator (FULLY_CONNECTED 1), " +
                     std::to_string(tflite.size()) + " bytes, 1 signature, min runtime 1.5.0\n");
  CHECK(testing::slurp(model) == before);
  // No temporary file is left beside the outputs.
  CHECK(entries(dir.path()) ==
        std::vector<std::string>{"dense.json", "dense.tflite", "matmul_bias.pbtxt"});

  const json doc = json::parse(testing::slurp(report));
  CHECK(doc.at("schema_version") == reports::kConvertSchemaVersion);
  CHECK(doc.at("input").at("path") == model.string());
  CHECK(doc.at("input").at("format") == "graphdef-text");
  CHECK(doc.at("input").at("sha256").get<std::string>().size() == 64);
  CHECK(doc.at("output").at("size") == tflite.size());
  CHECK(doc.at("target") == "builtins");
  CHECK(doc.at("operators") == 1);
  CHECK(doc.at("ops_per_subgraph").at("serving_default").at("FULLY_CONNECTED") == 1);
  const json& nodes = doc.at("nodes");
  const auto matmul = std::find_if(nodes.begin(), nodes.end(),
                                   [](const json& n) { return n.at("tf_node") == "matmul"; });
  REQUIRE(matmul != nodes.end());
  CHECK(matmul->at("tflite_ops") == json::array({"FULLY_CONNECTED"}));

  // The document has exactly the keys the schema declares, all of them required.
  const json schema =
      json::parse(testing::slurp(source_root() / "reports/schema/convert-report.schema.json"));
  std::vector<std::string> keys, declared, required;
  for (const auto& [key, value] : doc.items()) keys.push_back(key);
  for (const auto& [key, value] : schema.at("properties").items()) declared.push_back(key);
  for (const auto& key : schema.at("required")) required.push_back(key);
  std::sort(required.begin(), required.end());
  CHECK(keys == declared);
  CHECK(keys == required);
}

TEST_CASE("the convert report schema's version equals kConvertSchemaVersion", "[cli][convert]") {
  const std::string version = reports::kConvertSchemaVersion;
  const json schema =
      json::parse(testing::slurp(source_root() / "reports/schema/convert-report.schema.json"));
  CHECK(schema.at("$schema") == "https://json-schema.org/draft/2020-12/schema");
  CHECK(schema.at("properties").at("schema_version").at("const") == version);
  CHECK(schema.at("$id") ==
        "https://schemas.litelint.dev/convert-report/" + version + "/convert-report.schema.json");
  CHECK_THAT(testing::slurp(source_root() / "reports/schema/convert-report.CHANGELOG.md"),
             Catch::Matchers::Contains("\n## " + version + " "));
}

TEST_CASE("litelint --help lists convert", "[cli][convert]") {
  const auto r = run_command({litelint_binary().string(), "--help"});
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Matchers::Contains("\n  convert "));
}

}  // namespace
}  // namespace litelint
