#include <catch2/catch.hpp>

#include "analyzer/loaders/detect.h"
#include "tests/support/testing.h"

using litelint::analyzer::detect_format;
using litelint::ir::Format;
namespace testing = litelint::testing;

TEST_CASE("format detection reads content, not file names", "[detect]") {
  struct Case {
    const char* path;
    Format format;
  };
  auto [path, format] = GENERATE(
      Case{"savedmodel/tf_cc_half_plus_two", Format::SavedModel},
      Case{"savedmodel/tf_cc_half_plus_two_pbtxt", Format::SavedModelText},
      Case{"graphdef/volvo_nlu_tflearn_graph_named_saved_model", Format::GraphDefBinary},
      Case{"graphdef/tf_python_metrics_export_meta_graph/metrics_export_meta_graph.pb",
           Format::MetaGraphDefText});
  INFO(path);
  auto d = detect_format(testing::corpus(path));
  REQUIRE(d);
  CHECK(d->format == format);
}

TEST_CASE("format detection rejects what is not a model", "[detect][malformed]") {
  testing::TempDir tmp;
  SECTION("empty file") {
    testing::write_file(tmp.path() / "empty.pb", "");
    auto d = detect_format(tmp.path() / "empty.pb");
    REQUIRE_FALSE(d);
    CHECK(d.error().message().find("empty.pb") != std::string::npos);
  }
  SECTION("random text") {
    testing::write_file(tmp.path() / "notes.pbtxt", "hello world\n");
    CHECK_FALSE(detect_format(tmp.path() / "notes.pbtxt"));
  }
  SECTION("JSON that only mentions graph-model (the corpus's own MANIFEST.json)") {
    auto d = detect_format(testing::corpus("MANIFEST.json"));
    REQUIRE_FALSE(d);
    CHECK(d.error().message().find("not a TF.js model") != std::string::npos);
    testing::write_file(tmp.path() / "catalog.json",
                        R"({"models": [{"name": "pose", "format": "graph-model"}]})");
    CHECK_FALSE(detect_format(tmp.path() / "catalog.json"));
  }
  SECTION("a model.json with a topology and the format string is a graph model") {
    testing::write_file(tmp.path() / "model.json",
                        R"({"format": "graph-model", "modelTopology": {"node": []}})");
    auto d = detect_format(tmp.path() / "model.json");
    REQUIRE(d);
    CHECK(d->format == Format::GraphModel);
  }
  SECTION("directory without a model") {
    CHECK_FALSE(detect_format(tmp.path()));
  }
  SECTION("missing path") {
    auto d = detect_format(tmp.path() / "nope");
    REQUIRE_FALSE(d);
    CHECK(d.error().code() == litelint::ErrorCode::NotFound);
  }
}
