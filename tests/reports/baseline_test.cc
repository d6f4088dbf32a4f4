// `check --baseline FILE` (cli/baseline.cc): an earlier JSON report's findings are not reported
// again, so a team can adopt litelint on an existing model zoo and fail CI only on new ones.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/reports/golden_support.h"
#include "tests/support/testing.h"

namespace testing = litelint::testing;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// A node the baseline has not seen: a second Print beside test23's, grouped with it by cause.
constexpr const char* kExtraPrint = R"pb(
node {
  name: "Print_added"
  op: "Print"
  input: "zeros_like"
  input: "Const"
  attr { key: "T" value { type: DT_VARIANT } }
  attr { key: "U" value { list { type: DT_VARIANT } } }
}
)pb";

fs::path save_report(const testing::CommandResult& run, const fs::path& file) {
  testing::write_file(file, run.out);
  return file;
}

}  // namespace

TEST_CASE("a rerun with its own report as baseline reports nothing and exits 0",
          "[reports][baseline]") {
  testing::TempDir tmp;
  const std::string model = "savedmodel/tf_cc_half_plus_two";
  const auto first = testing::run_check_in(testing::corpus_root(), {model, "--format", "json"});
  REQUIRE(first.exit_code == 1);  // LL101 ParseExample is an error under builtins
  const json before = testing::parse_report(first);
  REQUIRE(before.at("findings").size() == 2);
  const fs::path baseline = save_report(first, tmp.path() / "baseline.json");

  const auto again = testing::run_check_in(
      testing::corpus_root(), {model, "--format", "json", "--baseline", baseline.string()});
  CHECK(again.exit_code == 0);
  const json after = testing::parse_report(again);
  CHECK(after.at("findings").empty());
  CHECK(after.at("summary").at("errors") == 0);
  CHECK(after.at("summary").at("warnings") == 0);
  CHECK(after.at("summary").at("baseline_suppressed") == 2);
  CHECK(after.at("baseline") == baseline.string());
  // The verdict and plan describe the model, not what is new.
  CHECK(after.at("verdict") == "needs-select-tf-ops");
  CHECK(after.at("plan").at("flex_ops") == json::array({"ParseExample"}));

  // The text report says so too.
  const auto text = testing::run_check_in(testing::corpus_root(), {model, "--baseline", baseline.string()});
  CHECK(text.exit_code == 0);
  CHECK_THAT(text.out, !Catch::Matchers::Contains("error[LL101]"));
}

TEST_CASE("after a model changes, the baseline leaves exactly the new finding",
          "[reports][baseline]") {
  testing::TempDir tmp;
  const fs::path model = testing::copy_into(testing::corpus("pbtxt/tf_ir_roundtrip_test23/test23.pbtxt"), tmp.path());
  const auto first = testing::run_check_in(tmp.path(), {"test23.pbtxt", "--format", "json"});
  REQUIRE(first.exit_code == 1);
  const fs::path baseline = save_report(first, tmp.path() / "baseline.json");

  {
    std::ofstream out(model, std::ios::app);
    out << kExtraPrint;
  }
  const auto changed = testing::run_check_in(tmp.path(), {"test23.pbtxt", "--format", "json"});
  REQUIRE(changed.exit_code == 1);
  // Without the baseline both Prints are in one finding.
  const json all = testing::parse_report(changed);
  REQUIRE(all.at("findings").size() == 1);
  REQUIRE(all.at("findings")[0].at("nodes").size() == 2);

  const auto run = testing::run_check_in(
      tmp.path(), {"test23.pbtxt", "--format", "json", "--baseline", "baseline.json"});
  CHECK(run.exit_code == 1);
  const json doc = testing::parse_report(run);
  REQUIRE(doc.at("findings").size() == 1);
  const json& f = doc.at("findings")[0];
  CHECK(f.at("code") == "LL101");
  REQUIRE(f.at("nodes").size() == 1);
  CHECK(f.at("nodes")[0].at("name") == "Print_added");
  // The message names what is reported, not the baselined node.
  CHECK(f.at("message") == "node 'Print_added' (Print): " + f.at("cause").get<std::string>());
  CHECK(doc.at("summary").at("errors") == 1);
  CHECK(doc.at("summary").at("baseline_suppressed") == 1);
}

TEST_CASE("a bad baseline file is one line on stderr and exit 2", "[reports][baseline]") {
  testing::TempDir tmp;
  testing::write_file(tmp.path() / "garbage.json", "{ not json");
  testing::write_file(tmp.path() / "other.json", R"({"hello": "world"})");
  const std::string model = (testing::corpus_root() / "savedmodel/tf_cc_half_plus_two").string();
  for (const char* file : {"garbage.json", "other.json", "missing.json"}) {
    INFO("baseline " << file);
    const auto run = testing::run_check_in(tmp.path(), {model, "--format", "json", "--baseline", file});
    CHECK(run.exit_code == 2);
    CHECK(run.out.empty());
    CHECK(std::count(run.err.begin(), run.err.end(), '\n') == 1);
    CHECK_THAT(run.err, Catch::Matchers::Contains(file));
  }
}

TEST_CASE("a batch baseline suppresses per model path", "[reports][baseline][batch]") {
  testing::TempDir tmp;
  const std::vector<std::string> models = {"savedmodel/tf_cc_half_plus_two",
                                           "savedmodel/tf_lite_control_flow_v1_saved_model"};
  std::vector<std::string> args = models;
  args.insert(args.end(), {"--format", "json"});
  const auto first = testing::run_check_in(testing::corpus_root(), args);
  REQUIRE(first.exit_code == 1);
  const json before = testing::parse_report(first);
  REQUIRE(before.at("aggregate").at("errors").get<int>() >= 2);
  const fs::path baseline = save_report(first, tmp.path() / "batch.json");

  args.insert(args.end(), {"--baseline", baseline.string()});
  const auto again = testing::run_check_in(testing::corpus_root(), args);
  CHECK(again.exit_code == 0);
  const json after = testing::parse_report(again);
  CHECK(after.at("aggregate").at("errors") == 0);
  CHECK(after.at("aggregate").at("findings_by_code").empty());
  for (const auto& m : after.at("models")) CHECK(m.at("findings").empty());

  // Keyed by path: the same model under another path is new.
  testing::copy_into(testing::corpus("savedmodel/tf_cc_half_plus_two"), tmp.path());
  const auto moved = testing::run_check_in(
      tmp.path(), {"tf_cc_half_plus_two", (testing::corpus_root() / models[1]).string(), "--format",
                   "json", "--baseline", baseline.string()});
  CHECK(moved.exit_code == 1);
  const json moved_doc = testing::parse_report(moved);
  CHECK(moved_doc.at("models")[0].at("findings").size() == 2);
}
