// The check JSON report's `findings[].fix`: what `litelint fix` would propose for a finding,
// through the binary on a fix fixture, and fix_for's lookup on a hand-made report.
#include <catch2/catch.hpp>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "reports/json_report.h"
#include "tests/support/testing.h"

namespace litelint {
namespace {

namespace fs = std::filesystem;

rules::FindingNode node(const std::string& name) {
  rules::FindingNode n;
  n.name = name;
  n.path = {name};
  return n;
}

testing::CommandResult litelint(std::vector<std::string> args) {
  args.insert(args.begin(), testing::litelint_binary().string());
  return testing::run_command(args);
}

std::string fixture(const std::string& relative) {
  return (fs::path(LITELINT_SOURCE_ROOT) / "rules/checks" / relative).string();
}

TEST_CASE("check --format json gives a finding the fix that fix would propose", "[reports][json]") {
  // x (float64) -> Abs -> AddV2 -> Sqrt -> y: LL201, answered by narrow-float64 (unsafe).
  const auto r = litelint({"check", fixture("usage/unsupported_dtype_fix.fixture.pbtxt"), "--outputs",
                           "y", "--format", "json"});
  REQUIRE(r.exit_code == 1);
  const auto doc = nlohmann::json::parse(r.out);
  CHECK(doc["schema_version"] == reports::kJsonSchemaVersion);
  bool seen = false;
  for (const auto& f : doc["findings"]) {
    if (f["code"] != "LL201") continue;
    seen = true;
    REQUIRE(f.contains("fix"));
    CHECK(f["fix"]["id"] == "narrow-float64");
    CHECK(f["fix"]["safety"] == "unsafe");
    CHECK(f["fix"]["title"] == "compute in float32, with casts at the borders");
    CHECK_THAT(f["fix"]["change"].get<std::string>(), Catch::Matchers::Contains("float32 rounding"));
    CHECK_FALSE(f["fix"]["summary"].get<std::string>().empty());
  }
  CHECK(seen);
}

TEST_CASE("findings no fix answers carry no fix key", "[reports][json]") {
  const auto r = litelint({"check", testing::corpus("pbtxt/tf_ir_roundtrip_test20/test20.pbtxt").string(),
                           "--format", "json"});
  REQUIRE(r.exit_code != 2);
  const auto doc = nlohmann::json::parse(r.out);
  REQUIRE_FALSE(doc["findings"].empty());
  for (const auto& f : doc["findings"]) CHECK_FALSE(f.contains("fix"));
}

TEST_CASE("fix_for matches by code and any node the finding had", "[reports][json]") {
  reports::ModelReport m;
  m.fixes.push_back({"LL201", {"a", "b"}, "narrow-float64", rules::Applicability::Unsafe, "t", "c", "s"});
  rules::Finding f;
  f.code = "LL201";
  f.nodes = {node("b")};  // --baseline dropped 'a'
  const reports::FindingFix* fix = reports::fix_for(m, f);
  REQUIRE(fix != nullptr);
  CHECK(fix->id == "narrow-float64");
  f.code = "LL202";
  CHECK(reports::fix_for(m, f) == nullptr);
  f.code = "LL201";
  f.nodes = {node("z")};
  CHECK(reports::fix_for(m, f) == nullptr);
  f.nodes.clear();
  CHECK(reports::fix_for(m, f) == nullptr);
}

TEST_CASE("model_json writes the fix with change only when there is one", "[reports][json]") {
  reports::ModelReport m;
  rules::Finding f;
  f.code = "LL101";
  f.rule = "select-tf-op";
  f.message = "node 'c' (Cumprod): x";
  f.nodes = {node("c")};
  m.result.findings.push_back(f);
  m.fixes.push_back({"LL101", {"c"}, "cumprod-unroll", rules::Applicability::Safe, "unroll", "", "unroll 'c'"});
  const auto doc = reports::model_json(m);
  const auto& fix = doc["findings"][0]["fix"];
  CHECK(fix["id"] == "cumprod-unroll");
  CHECK(fix["safety"] == "safe");
  CHECK(fix["summary"] == "unroll 'c'");
  CHECK_FALSE(fix.contains("change"));
}

}  // namespace
}  // namespace litelint
