// Hostile inputs through the CLI under `ulimit -v`: each must end in a clean exit (2 with one
// line naming the file and the limit, or a normal report when nothing needs the claimed
// bytes), never in an allocation failure or a crash. docs/limits.md describes the limits.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "tests/support/testing.h"

namespace litelint {
namespace {

using Catch::Contains;
using testing::litelint_binary;
using testing::TempDir;
using testing::write_file;

// 1.5 GB of address space: far below what any of these files claims, far above what a
// bounded litelint needs for them.
testing::CommandResult run_limited(const std::vector<std::string>& args) {
  std::string command = "ulimit -v 1500000; exec";
  for (const auto& a : args) command += " '" + a + "'";
  return testing::run_command({"/bin/bash", "-c", command});
}

std::string nested(std::string_view open, std::string_view close, int depth) {
  std::string s;
  for (int i = 0; i < depth; ++i) s += open;
  for (int i = 0; i < depth; ++i) s += close;
  return s;
}

bool sanitized() {
#if defined(__SANITIZE_ADDRESS__)
  return true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
  return true;
#endif
#endif
  return false;
}

TEST_CASE("hostile files end in exit 2 with bounded memory", "[fuzz][limits][cli]") {
  // ASan reserves terabytes of address space up front, so a ulimit -v run cannot start.
  if (sanitized()) {
    WARN("skipped: the address-space limit cannot apply to a sanitized build");
    return;
  }
  TempDir dir;
  const std::string bin = litelint_binary().string();

  SECTION("a constant claiming 4 TB: check lints it without decoding, convert refuses to decode") {
    const auto file = dir.path() / "huge_tensor.pbtxt";
    write_file(file,
               "node { name: 'x' op: 'Placeholder' attr { key: 'dtype' value { type: DT_FLOAT } } }\n"
               "node { name: 'c' op: 'Const' attr { key: 'dtype' value { type: DT_FLOAT } }\n"
               "  attr { key: 'value' value { tensor { dtype: DT_FLOAT\n"
               "    tensor_shape { dim { size: 1000000 } dim { size: 1000000 } } float_val: 1 } } } }\n"
               "node { name: 'y' op: 'AddV2' input: 'x' input: 'c' attr { key: 'T' value { type: DT_FLOAT } } }\n");
    const auto check = run_limited({bin, "check", file.string()});
    INFO(check.err);
    CHECK((check.exit_code == 0 || check.exit_code == 1));
    const auto convert = run_limited({bin, "convert", file.string(), "-o", (dir.path() / "out.tflite").string()});
    INFO(convert.err);
    CHECK(convert.exit_code == 2);
    CHECK_THAT(convert.err, Contains("huge_tensor.pbtxt"));
    CHECK_THAT(convert.err, Contains("over the tensor-bytes limit"));
  }

  SECTION("protobuf text nested 10,000 levels") {
    const auto file = dir.path() / "deep.pbtxt";
    write_file(file, "node { name: 'a' op: 'NoOp' attr { key: 'f' value " +
                         nested("{ list { func { name: 'g' attr { key: 'h' value ", "} } } }", 10000) + "} }\n");
    const auto r = run_limited({bin, "check", file.string()});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("deep.pbtxt"));
    CHECK_THAT(r.err, Contains("100"));
  }

  SECTION("model.json nested 100,000 levels") {
    const auto file = dir.path() / "model.json";
    write_file(file, "{\"format\": \"graph-model\", \"modelTopology\": {\"node\": " + nested("[", "]", 100000) +
                         "}, \"weightsManifest\": []}");
    const auto r = run_limited({bin, "check", file.string()});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("model.json"));
    CHECK_THAT(r.err, Contains("100 levels"));
  }

  SECTION("a shape of rank 300") {
    std::string dims;
    for (int i = 0; i < 300; ++i) dims += "dim { size: 1 } ";
    const auto file = dir.path() / "rank.pbtxt";
    write_file(file, "node { name: 'x' op: 'Placeholder' attr { key: 'dtype' value { type: DT_FLOAT } }\n"
                     "  attr { key: 'shape' value { shape { " + dims + "} } } }\n");
    const auto r = run_limited({bin, "check", file.string()});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("rank.pbtxt"));
    CHECK_THAT(r.err, Contains("254"));
  }

  SECTION("more nodes than --limit nodes allows, then raised") {
    const auto file = std::string(LITELINT_SOURCE_ROOT) + "/examples/tiny_classifier.pbtxt";
    const auto r = run_limited({bin, "check", file, "--limit", "nodes=3"});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("tiny_classifier.pbtxt"));
    CHECK_THAT(r.err, Contains("over the nodes limit of 3 (raise it with --limit nodes=N)"));
    CHECK(run_limited({bin, "check", file, "--limit", "nodes=100"}).exit_code != 2);
  }

  SECTION("a file over --limit file-bytes, and a gzip file inflating over it") {
    const auto file = std::string(LITELINT_SOURCE_ROOT) + "/examples/tiny_classifier.pbtxt";
    const auto r = run_limited({bin, "check", file, "--limit", "file-bytes=100"});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("over the file-bytes limit of 100"));
    const auto gz = dir.path() / "graph.pbtxt.gz";
    const auto made = testing::run_command({"/bin/bash", "-c", "gzip -c '" + file + "' > '" + gz.string() + "'"});
    REQUIRE(made.exit_code == 0);
    const auto size = std::filesystem::file_size(gz);
    const auto inflated = run_limited({bin, "check", gz.string(), "--limit", "file-bytes=" + std::to_string(size + 10)});
    INFO(inflated.err);
    CHECK(inflated.exit_code == 2);
    CHECK_THAT(inflated.err, Contains("inflated gzip data"));
  }

  SECTION("a fixed limit cannot be raised") {
    const auto r = run_limited({bin, "check", "x.pb", "--limit", "rank=1000"});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("'rank' is fixed at 254"));
  }
}

}  // namespace
}  // namespace litelint
