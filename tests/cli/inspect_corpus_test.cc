// Every model of the shared corpus through the real `litelint inspect` binary: the detected
// format and op types must equal the manifest's, and malformed models must fail cleanly.
#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/support/testing.h"

namespace testing = litelint::testing;
using nlohmann::json;

namespace {

const json& manifest() {
  static const json doc = [] {
    std::ifstream in(testing::corpus_root() / "MANIFEST.json");
    return json::parse(in);
  }();
  return doc;
}

// Keras files and TF.js layers models list Keras layer classes in the manifest, not op types
// (tests/analyzer/keras checks their layers and ops).
bool read_by_litelint(const json& entry) {
  const std::string format = entry.value("format", "");
  return format.rfind("keras", 0) != 0 && format != "layers-model";
}

std::string model_argument(const json& entry) {
  const std::string format = entry.value("format", "");
  const std::string rel = format.rfind("savedmodel", 0) == 0 ? entry["path"].get<std::string>()
                                                             : entry["main_file"].get<std::string>();
  return (testing::corpus_root() / rel).string();
}

std::vector<std::string> sorted_strings(const json& list) {
  std::vector<std::string> out = list.get<std::vector<std::string>>();
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("inspect reports the manifest's format and op types for every corpus model",
          "[cli][inspect][corpus]") {
  const auto bin = testing::litelint_binary().string();
  int checked = 0;
  for (const auto& entry : manifest()["entries"]) {
    if (entry.value("malformed", false) || !entry.contains("ops") || entry["ops"].is_null()) continue;
    if (!read_by_litelint(entry)) continue;
    const std::string id = entry["id"];
    INFO("corpus entry " << id);
    auto result = testing::run_command({bin, "inspect", "--format", "json", model_argument(entry)});
    INFO("stderr: " << result.err);
    if (entry.value("expected_to_fail", false) && result.exit_code == 2) {
      // TensorFlow's importer rejects these too (RUN: not ...): a clean error is right.
      CHECK(std::count(result.err.begin(), result.err.end(), '\n') == 1);
      continue;
    }
    REQUIRE(result.exit_code == 0);
    const json doc = json::parse(result.out);
    CHECK(doc["format"] == entry["format"]);
    CHECK(sorted_strings(doc["op_types"]) == sorted_strings(entry["ops"]));
    ++checked;
  }
  CHECK(checked > 350);
}

TEST_CASE("inspect fails with one line and exit code 2 on every malformed corpus model",
          "[cli][inspect][corpus][malformed]") {
  const auto bin = testing::litelint_binary().string();
  int checked = 0;
  for (const auto& entry : manifest()["entries"]) {
    if (!entry.value("malformed", false)) continue;
    const std::string id = entry["id"];
    INFO("corpus entry " << id);
    const auto t0 = std::chrono::steady_clock::now();
    auto result = testing::run_command({bin, "inspect", model_argument(entry)});
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    INFO("stderr: " << result.err);
    CHECK(result.exit_code == 2);
    CHECK(result.out.empty());
    CHECK(result.err.rfind("litelint: error: ", 0) == 0);
    CHECK(std::count(result.err.begin(), result.err.end(), '\n') == 1);
    CHECK(seconds < 5.0);
    ++checked;
  }
  CHECK(checked >= 30);
}

TEST_CASE("inspect reads Keras files and TF.js layers models; weights-only HDF5 exits 2",
          "[cli][inspect][corpus][keras]") {
  const auto bin = testing::litelint_binary().string();
  for (const auto& entry : manifest()["entries"]) {
    if (read_by_litelint(entry) || entry.value("malformed", false)) continue;
    INFO("corpus entry " << entry["id"].get<std::string>());
    auto result = testing::run_command({bin, "inspect", model_argument(entry)});
    INFO("stderr: " << result.err);
    if (entry.value("format", "") == "keras-h5-weights-only") {
      CHECK(result.exit_code == 2);
      CHECK(result.err.find("only weights") != std::string::npos);
    } else {
      CHECK(result.exit_code == 0);
    }
  }
}

TEST_CASE("inspect on a missing path and on bad usage exits 2", "[cli][inspect]") {
  const auto bin = testing::litelint_binary().string();
  auto missing = testing::run_command({bin, "inspect", "/nonexistent/model"});
  CHECK(missing.exit_code == 2);
  CHECK(missing.err == "litelint: error: /nonexistent/model: no such file or directory\n");
  auto usage = testing::run_command({bin, "inspect", "--format", "xml", "x"});
  CHECK(usage.exit_code == 2);
  auto nothing = testing::run_command({bin});
  CHECK(nothing.exit_code == 2);
}
