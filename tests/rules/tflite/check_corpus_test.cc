// `litelint check` on every .tflite of the shared corpus (issue #9): readable models exit 0 or
// 1 under every target, never 2; malformed ones exit 2 with a one-line reason.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <string>
#include <vector>

#include "tests/support/testing.h"

namespace testing = litelint::testing;
using nlohmann::json;

namespace {

struct Entry {
  std::string id;
  std::string file;
  bool malformed = false;
};

std::vector<Entry> corpus_tflite() {
  std::ifstream in(testing::corpus_root() / "MANIFEST.json");
  const json doc = json::parse(in);
  std::vector<Entry> out;
  for (const auto& e : doc["entries"]) {
    if (e.value("format", "") != "tflite" && e.value("category", "") != "tflite") continue;
    out.push_back({e["id"], (testing::corpus_root() / e["main_file"].get<std::string>()).string(),
                   e.value("malformed", false)});
  }
  return out;
}

}  // namespace

TEST_CASE("check runs on every corpus .tflite and rejects the malformed ones",
          "[cli][check][tflite][corpus]") {
  const auto bin = testing::litelint_binary().string();
  const auto entries = corpus_tflite();
  REQUIRE(entries.size() >= 120);
  int readable = 0;
  for (const auto& e : entries) {
    INFO("corpus entry " << e.id);
    auto r = testing::run_command({bin, "check", "--format", "json", e.file});
    INFO("stderr: " << r.err);
    if (e.malformed) {
      CHECK(r.exit_code == 2);
      continue;
    }
    ++readable;
    REQUIRE((r.exit_code == 0 || r.exit_code == 1));
    const json doc = json::parse(r.out);
    CHECK_FALSE(doc.contains("error"));
    CHECK(doc["model"]["format"] == "tflite");
    // Models with operators list them in the op table.
    CHECK((doc["summary"]["nodes_checked"].get<int>() == 0 || !doc["op_stats"].empty()));
  }
  CHECK(readable >= 120);
}

TEST_CASE("every delegate target checks the whole .tflite corpus in one batch",
          "[cli][check][tflite][corpus][delegate]") {
  const auto bin = testing::litelint_binary().string();
  for (const std::string target : {"xnnpack", "gpu", "nnapi", "edgetpu"}) {
    INFO("target " << target);
    std::vector<std::string> argv = {bin, "check", "--target", target, "--format", "json", "--"};
    std::size_t n = 0;
    for (const auto& e : corpus_tflite()) {
      if (e.malformed) continue;
      argv.push_back(e.file);
      ++n;
    }
    auto r = testing::run_command(argv);
    INFO("stderr: " << r.err);
    REQUIRE((r.exit_code == 0 || r.exit_code == 1));
    const json doc = json::parse(r.out);
    REQUIRE(doc["models"].size() == n);
    for (const auto& m : doc["models"]) {
      INFO(m["model"].dump());
      CHECK_FALSE(m.contains("error"));
      CHECK(m["target"] == target);
    }
  }
}

TEST_CASE("xnnpack takes the whole MediaPipe selfie segmentation model",
          "[cli][check][tflite][corpus][delegate]") {
  // Measured with ai-edge-litert 2.3.0: one DELEGATE node covers all 246 operators, the
  // fp16 weight DEQUANTIZEs and the Convolution2DTransposeBias custom op included.
  const auto bin = testing::litelint_binary().string();
  auto r = testing::run_command(
      {bin, "check", "--target", "xnnpack", "--format", "json",
       testing::corpus("tflite/mediapipe_selfie_segmentation/selfie_segmentation.tflite").string()});
  INFO("stderr: " << r.err);
  const json doc = json::parse(r.out);
  bool coverage = false;
  for (const auto& f : doc["findings"]) {
    CHECK(f["code"] != "LL302");
    if (f["code"] == "LL303") {
      coverage = true;
      CHECK(f["message"].get<std::string>().find("in 1 partition") != std::string::npos);
    }
  }
  CHECK(coverage);
}
