// The JSON report's schema version lives in three places: kJsonSchemaVersion, the schema file
// and its changelog. A bump in one without the others is a bug a consumer would hit first.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "reports/json_report.h"
#include "tests/reports/golden_support.h"
#include "tests/support/testing.h"

namespace testing = litelint::testing;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

fs::path schema_dir() { return fs::path(LITELINT_SOURCE_ROOT) / "reports" / "schema"; }

json schema() {
  const fs::path file = schema_dir() / "check-report.schema.json";
  REQUIRE(fs::exists(file));
  json doc = json::parse(testing::slurp(file), nullptr, /*allow_exceptions=*/false);
  REQUIRE_FALSE(doc.is_discarded());
  return doc;
}

}  // namespace

TEST_CASE("the JSON schema's version equals kJsonSchemaVersion", "[reports][schema]") {
  const std::string version = litelint::reports::kJsonSchemaVersion;
  const json doc = schema();
  CHECK(doc.at("$schema") == "https://json-schema.org/draft/2020-12/schema");
  CHECK(doc.at("$defs").at("schema_version").at("const") == version);
  CHECK(doc.at("$id") ==
        "https://schemas.litelint.dev/check-report/" + version + "/check-report.schema.json");
}

TEST_CASE("the schema changelog has an entry for the current version", "[reports][schema]") {
  const std::string changelog = testing::slurp(schema_dir() / "CHANGELOG.md");
  CHECK_THAT(changelog, Catch::Matchers::Contains(
                            "\n## " + std::string(litelint::reports::kJsonSchemaVersion) + " "));
}

TEST_CASE("check writes the schema version and tool into one-model and batch reports",
          "[reports][schema]") {
  const std::string version = litelint::reports::kJsonSchemaVersion;
  const auto one = testing::run_check_in(testing::corpus_root(),
                                         {"graphdef/tf_lite_testdata_multi_add_pb/multi_add.pb",
                                          "--format", "json"});
  REQUIRE(one.exit_code == 0);
  const json single = testing::parse_report(one);
  CHECK(single.at("schema_version") == version);
  CHECK(single.at("tool").at("name") == "litelint");
  CHECK(single.at("model").at("path") == "graphdef/tf_lite_testdata_multi_add_pb/multi_add.pb");

  const auto two = testing::run_check_in(
      testing::corpus_root(), {"graphdef/tf_lite_testdata_multi_add_pb/multi_add.pb",
                               "savedmodel/tf_cc_half_plus_two", "--format", "json"});
  const json batch = testing::parse_report(two);
  CHECK(batch.at("schema_version") == version);
  CHECK(batch.at("models").size() == 2);
  CHECK_FALSE(batch.at("models").at(0).contains("schema_version"));
}
