#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "reports/formats.h"
#include "reports/sarif_report.h"
#include "rules/engine/registry.h"
#include "tests/support/testing.h"

namespace {

namespace lr = litelint::rules;
namespace rp = litelint::reports;
using nlohmann::json;

// `litelint check ARGS --format sarif` run inside the corpus, so model paths stay relative as
// they are in a CI checkout.
litelint::testing::CommandResult check_in_corpus(std::vector<std::string> args) {
  std::vector<std::string> argv = {"/usr/bin/env", "-C", litelint::testing::corpus_root().string(),
                                   "LITELINT_REPRODUCIBLE=1", litelint::testing::litelint_binary().string(),
                                   "check"};
  argv.insert(argv.end(), args.begin(), args.end());
  return litelint::testing::run_command(argv);
}

json sarif_of(std::vector<std::string> args) {
  args.insert(args.end(), {"--format", "sarif"});
  auto run = check_in_corpus(args);
  INFO(run.err);
  REQUIRE((run.exit_code >= 0 && run.exit_code <= 2));
  return json::parse(run.out);
}

std::size_t rule_index(std::string_view code) {
  const auto rules = lr::all_rules();
  for (std::size_t i = 0; i < rules.size(); ++i) {
    if (rules[i]->info().code == code) return i;
  }
  FAIL("no rule " << code);
  return 0;
}

lr::FindingNode node(std::string name, std::vector<std::string> functions = {},
                     std::optional<lr::SourceLocation> location = std::nullopt) {
  lr::FindingNode n;
  n.name = name;
  n.path = std::move(functions);
  n.path.push_back(std::move(name));
  n.location = std::move(location);
  return n;
}

rp::RunReport run_with(std::vector<rp::ModelReport> models) {
  rp::RunReport run;
  run.tool_version = "9.8.7";
  run.profile = lr::make_profile(lr::Target::Builtins, false);
  run.models = std::move(models);
  run.batch = run.models.size() > 1;
  return run;
}

}  // namespace

TEST_CASE("sarif lists every registered rule with its metadata and help page",
          "[reports][sarif]") {
  const json log = sarif_of({"savedmodel/tf_cc_half_plus_two"});
  CHECK(log.at("version") == "2.1.0");
  CHECK(log.at("$schema").get<std::string>().ends_with("sarif-schema-2.1.0.json"));
  REQUIRE(log.at("runs").size() == 1);
  const json& driver = log["runs"][0]["tool"]["driver"];
  CHECK(driver.at("name") == "litelint");
  CHECK(driver.at("semanticVersion") == driver.at("version"));
  CHECK(driver.at("informationUri") == std::string(rp::kRepositoryUrl));
  const auto rules = lr::all_rules();
  REQUIRE(driver.at("rules").size() == rules.size());
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const auto info = rules[i]->info();
    const json& rule = driver["rules"][i];
    INFO(info.code);
    CHECK(rule.at("id") == std::string(info.code));
    CHECK(rule.at("name") == std::string(info.name));
    CHECK(rule.at("defaultConfiguration").at("level") == std::string(lr::to_string(info.severity)));
    CHECK(rule.at("helpUri") == std::string(rp::kRepositoryUrl) + "/blob/main/docs/rules/" +
                                    std::string(info.code) + "-" + std::string(info.name) + ".md");
    CHECK(rule.at("shortDescription").at("text").get<std::string>().ends_with("."));
    CHECK(rule.at("help").at("markdown").get<std::string>().find("## What it does") != std::string::npos);
    CHECK(rule.at("help").at("text").get<std::string>().find("## ") == std::string::npos);
  }
  const json& select = driver["rules"][rule_index("LL101")];
  CHECK(select.at("fullDescription").at("text").get<std::string>().starts_with(
      "Flags TensorFlow ops that have no TFLite builtin"));
}

TEST_CASE("sarif locates a SavedModel finding without debug info at the model's saved_model.pb",
          "[reports][sarif]") {
  const json log = sarif_of({"savedmodel/tf_cc_half_plus_two"});
  const json& run = log["runs"][0];
  CHECK(run.at("invocations")[0].at("exitCode") == 1);
  CHECK(run.at("invocations")[0].at("executionSuccessful") == true);
  REQUIRE(run.at("artifacts").size() == 1);
  CHECK(run["artifacts"][0]["location"]["uri"] == "savedmodel/tf_cc_half_plus_two/saved_model.pb");
  CHECK(run["artifacts"][0]["hashes"]["sha-256"].get<std::string>().size() == 64);

  const json& results = run.at("results");
  REQUIRE(results.size() == 2);
  const json& flex = results[0];
  CHECK(flex.at("ruleId") == "LL101");
  CHECK(flex.at("ruleIndex") == rule_index("LL101"));
  CHECK(flex.at("level") == "error");
  CHECK(flex.at("message").at("text").get<std::string>().starts_with(
      "Node 'ParseExample/ParseExample' (ParseExample): no TFLite builtin"));
  const json& loc = flex.at("locations").at(0);
  CHECK(loc["physicalLocation"]["artifactLocation"]["uri"] == "savedmodel/tf_cc_half_plus_two/saved_model.pb");
  CHECK(loc["physicalLocation"]["artifactLocation"]["uriBaseId"] == "%SRCROOT%");
  CHECK(loc["physicalLocation"]["artifactLocation"]["index"] == 0);
  CHECK(loc["physicalLocation"]["region"]["startLine"] == 1);
  const json& logical = loc.at("logicalLocations").at(0);
  CHECK(logical.at("fullyQualifiedName") == "ParseExample/ParseExample");
  CHECK(run.at("logicalLocations").at(logical.at("index").get<std::size_t>()).at("kind") == "member");
  CHECK(flex.at("partialFingerprints").at("litelintFinding/v1").get<std::string>().size() == 64);

  CHECK(results[1].at("ruleId") == "LL401");
  CHECK(results[1].at("level") == "warning");
}

TEST_CASE("sarif puts a finding with debug info on its Python file and line", "[reports][sarif]") {
  const json log = sarif_of(
      {"pbtxt/tf_mlir_lite_debuginfo_mobilenet_v1_line/v1_1.0_224_frozen.wrong_attr.line.part.pbtxt"});
  const json& results = log["runs"][0].at("results");
  REQUIRE(results.size() == 1);
  CHECK(results[0].at("ruleId") == "LL409");
  const json& physical = results[0]["locations"][0]["physicalLocation"];
  CHECK(physical["artifactLocation"]["uri"] == "fake/user/code/file_C.py");
  CHECK(physical["region"]["startLine"] == 27);
  CHECK(results[0]["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] ==
        "MobilenetV1/MobilenetV1/Conv2d_0/Conv2D");
}

TEST_CASE("sarif reports a batch as one run and an unreadable model as a notification",
          "[reports][sarif]") {
  const json log = sarif_of({"savedmodel/tf_cc_half_plus_two", "savedmodel/tf_cc_fuzz_const_with_no_value",
                             "graphdef/tf_lite_testdata_multi_add_pb/multi_add.pb"});
  REQUIRE(log.at("runs").size() == 1);
  const json& run = log["runs"][0];
  CHECK(run.at("artifacts").size() == 3);
  const json& invocation = run.at("invocations").at(0);
  CHECK(invocation.at("exitCode") == 2);
  CHECK(invocation.at("executionSuccessful") == false);
  REQUIRE(invocation.at("toolExecutionNotifications").size() == 1);
  const json& note = invocation["toolExecutionNotifications"][0];
  CHECK(note.at("level") == "error");
  CHECK(note["message"]["text"].get<std::string>().find("Const node has no 'value' tensor") != std::string::npos);
  CHECK(note["locations"][0]["physicalLocation"]["artifactLocation"]["index"] == 1);
  // The broken model does not hide the others' findings.
  CHECK(run.at("results").size() == 2);
}

TEST_CASE("sarif splits a group by Python line and keeps fingerprints unique and stable",
          "[reports][sarif]") {
  rp::ModelReport m;
  m.path = "models/my model";  // a space: percent-encoded in the URI
  m.format = "savedmodel";
  lr::Finding f;
  f.code = "LL101";
  f.rule = "select-tf-op";
  f.severity = lr::Severity::Error;
  f.op = "Erf";
  f.cause = "no TFLite builtin; it can only run as a Select TF op";
  f.message = "nodes 'a', 'b', 'c' and 1 more (Erf): " + f.cause;
  f.nodes = {node("a", {"__inference_f_1"}, lr::SourceLocation{"train.py", 10, "f"}),
             node("b", {"__inference_f_1"}, lr::SourceLocation{"train.py", 10, "f"}),
             node("c", {"__inference_f_1"}),
             node("d", {}, lr::SourceLocation{"/abs/dir/model.py", 3, "g"})};
  m.result.findings = {f};
  m.result.counts = {1, 0, 0};
  const json log = json::parse(rp::render_sarif(run_with({m})));
  const json& run = log["runs"][0];
  const json& results = run.at("results");
  REQUIRE(results.size() == 3);
  // train.py:10 holds a and b, the model file holds c, /abs/dir/model.py:3 holds d.
  CHECK(results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "train.py");
  CHECK(results[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 10);
  CHECK(results[0]["message"]["text"].get<std::string>().starts_with("Nodes 'a', 'b' (Erf): no TFLite"));
  CHECK(results[0].at("relatedLocations").size() == 1);
  CHECK(results[1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] ==
        "models/my%20model/saved_model.pb");
  CHECK(results[1]["message"]["text"].get<std::string>().starts_with("Node 'c' (Erf)"));
  CHECK(results[2]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "file:///abs/dir/model.py");
  CHECK_FALSE(results[2]["locations"][0]["physicalLocation"]["artifactLocation"].contains("uriBaseId"));

  // Function -> node hierarchy in run.logicalLocations.
  const json& logical = run.at("logicalLocations");
  const auto c_index = results[1]["locations"][0]["logicalLocations"][0]["index"].get<std::size_t>();
  CHECK(logical[c_index]["fullyQualifiedName"] == "__inference_f_1::c");
  CHECK(logical[c_index]["kind"] == "member");
  const auto parent = logical[c_index].at("parentIndex").get<std::size_t>();
  CHECK(logical[parent]["name"] == "__inference_f_1");
  CHECK(logical[parent]["kind"] == "function");

  std::set<std::string> prints;
  for (const auto& r : results) prints.insert(r["partialFingerprints"]["litelintFinding/v1"].get<std::string>());
  CHECK(prints.size() == 3);
  // Same input, same bytes: fingerprints and everything else are deterministic.
  CHECK(rp::render_sarif(run_with({m})) == rp::render_sarif(run_with({m})));
}

TEST_CASE("check --help lists the sarif, markdown and github formats", "[reports][sarif][markdown][github]") {
  auto help = litelint::testing::run_command({litelint::testing::litelint_binary().string(), "check", "--help"});
  CHECK(help.exit_code == 0);
  for (const char* name : {"sarif", "markdown", "github"}) {
    INFO(name);
    CHECK(help.out.find(name) != std::string::npos);
    REQUIRE(rp::parse_report_format(name));
    CHECK(rp::to_string(*rp::parse_report_format(name)) == name);
  }
  CHECK(rp::default_file_name(rp::ReportFormat::Sarif) == "litelint.sarif");
  CHECK(rp::default_file_name(rp::ReportFormat::Markdown) == "litelint.md");
}

TEST_CASE("sarif survives node names that are not valid UTF-8", "[reports][sarif]") {
  rp::ModelReport m;
  m.path = "model.pb";
  m.format = "graphdef-binary";
  lr::Finding f;
  f.code = "LL101";
  f.rule = "select-tf-op";
  f.op = "Erf";
  f.cause = "no builtin";
  f.message = "node 'bad\xff' (Erf): no builtin";
  f.nodes = {node("bad\xff")};
  m.result.findings = {f};
  const json log = json::parse(rp::render_sarif(run_with({m})));
  CHECK(log["runs"][0]["results"][0]["message"]["text"] == "Node 'bad\xEF\xBF\xBD' (Erf): no builtin.");
}
