// `check --recursive` over the whole shared corpus: it completes, one broken model does not
// stop it, its aggregate is what the entries add up to, each entry is what a single-model run
// of that model says, and the number of jobs does not change a byte.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "rules/engine/op_coverage.h"
#include "tests/reports/golden_support.h"
#include "tests/support/testing.h"

namespace testing = litelint::testing;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// One run for every test case here: it reads 140 MB of models.
const testing::CommandResult& corpus_batch() {
  static const testing::CommandResult run = testing::run_check_in(
      testing::corpus_root(), {".", "--recursive", "--format", "json", "--jobs", "2"});
  return run;
}

const json& manifest() {
  static const json doc = json::parse(testing::slurp(testing::corpus_root() / "MANIFEST.json"));
  return doc;
}

const json* entry_for(const json& batch, const std::string& path) {
  for (const auto& m : batch.at("models")) {
    if (m.at("model").at("path") == path) return &m;
  }
  return nullptr;
}

// The aggregate as documented in reports/aggregate.h, recomputed from the entries alone.
json recompute_aggregate(const json& models) {
  std::size_t unreadable = 0, converting = 0, errors = 0, warnings = 0, notes = 0;
  std::uint64_t bytes = 0;
  std::map<std::string, std::size_t> verdicts, by_code, flex, custom;
  json ops = json::object();
  for (const auto& m : models) {
    if (m.contains("error")) {
      ++unreadable;
      continue;
    }
    ++verdicts[m.at("verdict").get<std::string>()];
    if (m.at("converts").get<bool>()) ++converting;
    for (const auto& f : m.at("findings")) ++by_code[f.at("code").get<std::string>()];
    errors += m.at("summary").at("errors").get<std::size_t>();
    warnings += m.at("summary").at("warnings").get<std::size_t>();
    notes += m.at("summary").at("notes").get<std::size_t>();
    for (const auto& op : m.at("op_stats")) {
      json& agg = ops[op.at("op").get<std::string>()];
      if (agg.is_null()) agg = {{"nodes", 0}, {"models", 0}, {"status", ""}};
      agg["nodes"] = agg["nodes"].get<std::int64_t>() + op.at("count").get<std::int64_t>();
      agg["models"] = agg["models"].get<std::int64_t>() + 1;
      agg["status"] = op.at("status");
    }
    for (const auto& op : m.at("plan").at("flex_ops")) ++flex[op.get<std::string>()];
    for (const auto& op : m.at("plan").at("custom_ops")) ++custom[op.get<std::string>()];
    bytes += m.at("model").at("size").get<std::uint64_t>();
  }
  std::size_t native = 0;
  for (const auto& [op, agg] : ops.items()) {
    native += litelint::rules::converts_natively(agg.at("status").get<std::string>()) ? 1 : 0;
  }
  const double coverage = ops.empty() ? 1.0 : static_cast<double>(native) / static_cast<double>(ops.size());
  return {{"models", models.size()}, {"unreadable", unreadable}, {"converting", converting},
          {"verdicts", verdicts}, {"findings_by_code", by_code}, {"errors", errors},
          {"warnings", warnings}, {"notes", notes}, {"ops", ops}, {"op_coverage", coverage},
          {"flex_ops", flex}, {"custom_ops", custom}, {"bytes", bytes}};
}

}  // namespace

TEST_CASE("a recursive batch over the corpus completes and exits 2 for its unreadable models",
          "[reports][batch][corpus]") {
  const auto& run = corpus_batch();
  INFO("stderr starts: " << run.err.substr(0, 600));
  // Some corpus entries are malformed on purpose: as for one unreadable model, exit 2.
  CHECK(run.exit_code == 2);
  const json batch = testing::parse_report(run);
  const json& models = batch.at("models");
  CHECK(models.size() > 400);
  CHECK(batch.at("aggregate").at("unreadable").get<std::size_t>() > 30);

  // Broken models are entries with their reason, between readable ones: the batch went on.
  const json* broken = entry_for(batch, "./savedmodel/tf_cc_fuzz_const_with_no_value");
  REQUIRE(broken != nullptr);
  CHECK_THAT(broken->at("error").get<std::string>(), Catch::Matchers::Contains("no 'value' tensor"));
  const json* flex = entry_for(batch, "./savedmodel/tf_cc_half_plus_two");
  REQUIRE(flex != nullptr);
  CHECK(flex->at("verdict") == "needs-select-tf-ops");
  CHECK(flex->at("plan").at("flex_ops") == json::array({"ParseExample"}));

  // Every unreadable model is named once on stderr, one line each.
  for (const auto& m : models) {
    if (!m.contains("error")) continue;
    CHECK_THAT(run.err, Catch::Matchers::Contains(m.at("error").get<std::string>()));
  }

  // Discovery finds every manifest entry except files whose content is no model at all
  // (a deliberately invalid .bin is not sniffed, and .bin is not a model name).
  std::vector<std::string> paths;
  for (const auto& m : models) paths.push_back(m.at("model").at("path").get<std::string>());
  for (const auto& e : manifest().at("entries")) {
    const std::string prefix = "./" + e.at("path").get<std::string>();
    bool found = false;
    for (const auto& p : paths) found = found || p == prefix || p.rfind(prefix + "/", 0) == 0;
    if (!found) {
      INFO("manifest entry not in the batch: " << prefix);
      CHECK(e.value("malformed", false));
    }
  }
  // Entries keep the sorted discovery order.
  CHECK(std::is_sorted(paths.begin(), paths.end()));
}

TEST_CASE("the batch aggregate equals what its model entries add up to",
          "[reports][batch][corpus]") {
  const json batch = testing::parse_report(corpus_batch());
  const json& aggregate = batch.at("aggregate");
  const json expected = recompute_aggregate(batch.at("models"));
  for (const auto& key : {"models", "unreadable", "converting", "verdicts", "findings_by_code",
                          "errors", "warnings", "notes", "ops", "flex_ops", "custom_ops", "bytes"}) {
    INFO("aggregate key " << key);
    CHECK(aggregate.at(key) == expected.at(key));
  }
  CHECK(aggregate.at("op_coverage").get<double>() ==
        Approx(expected.at("op_coverage").get<double>()));
  // The corpus needs Flex for some models, and ParseExample is one of them.
  CHECK(aggregate.at("flex_ops").at("ParseExample").get<int>() >= 1);
  CHECK(aggregate.at("verdicts").at("fails").get<int>() >= 1);
}

TEST_CASE("batch entries equal single-model runs of the same models",
          "[reports][batch][corpus]") {
  const json batch = testing::parse_report(corpus_batch());
  const json& models = batch.at("models");
  // A spread-out sample of readable entries of every format plus named ones.
  std::vector<const json*> sample;
  std::set<std::string> formats;
  for (std::size_t i = 0; i < models.size(); ++i) {
    const json& m = models[i];
    if (m.contains("error")) continue;
    const std::string format = m.at("model").at("format");
    if (formats.insert(format).second || i % 53 == 0) sample.push_back(&m);
  }
  REQUIRE(sample.size() >= 10);
  for (const json* entry : sample) {
    const std::string path = entry->at("model").at("path");
    INFO("model " << path);
    const auto single = testing::run_check_in(testing::corpus_root(), {path, "--format", "json"});
    json doc = testing::parse_report(single);
    CHECK(doc.at("schema_version") == batch.at("schema_version"));
    doc.erase("schema_version");
    doc.erase("tool");
    CHECK(doc == *entry);
    const bool has_errors = entry->at("summary").at("errors").get<int>() > 0;
    CHECK(single.exit_code == (has_errors ? 1 : 0));
  }
}

TEST_CASE("one broken model is reported and does not stop a batch", "[reports][batch]") {
  testing::TempDir tmp;
  const fs::path copy = testing::copy_into(testing::corpus("savedmodel/tf_cc_half_plus_two"), tmp.path());
  testing::truncate_file(copy / "saved_model.pb", 100);
  const std::string clean = (testing::corpus_root() / "graphdef/tf_lite_testdata_multi_add_pb/multi_add.pb").string();
  const std::string flex = (testing::corpus_root() / "savedmodel/tf_cc_half_plus_two").string();

  const auto run = testing::run_check_in(tmp.path(), {clean, "tf_cc_half_plus_two", flex, "--format", "json"});
  CHECK(run.exit_code == 2);
  const json batch = testing::parse_report(run);
  REQUIRE(batch.at("models").size() == 3);
  CHECK(batch.at("models")[0].at("verdict") == "converts-with-builtins");
  CHECK(batch.at("models")[1].at("model") == json{{"path", "tf_cc_half_plus_two"}, {"size", 0}});
  CHECK_THAT(batch.at("models")[1].at("error").get<std::string>(), Catch::Matchers::Contains("saved_model.pb"));
  CHECK(batch.at("models")[2].at("verdict") == "needs-select-tf-ops");
  CHECK(batch.at("aggregate").at("unreadable") == 1);
  // stderr: exactly one line, about the broken model.
  CHECK(std::count(run.err.begin(), run.err.end(), '\n') == 1);
  CHECK_THAT(run.err, Catch::Matchers::StartsWith("litelint: "));

  // Text output goes on past the broken model too.
  const auto text = testing::run_check_in(tmp.path(), {clean, "tf_cc_half_plus_two", flex});
  CHECK(text.exit_code == 2);
  CHECK_THAT(text.out, Catch::Matchers::Contains("ParseExample"));
}

TEST_CASE("a batch exits as one model would over all its models", "[reports][batch]") {
  const std::string clean = "graphdef/tf_lite_testdata_multi_add_pb/multi_add.pb";
  const std::string flex = "savedmodel/tf_cc_half_plus_two";
  const auto clean_only = testing::run_check_in(testing::corpus_root(), {clean, clean, "--format", "json"});
  CHECK(clean_only.exit_code == 0);
  CHECK(testing::parse_report(clean_only).at("aggregate").at("models") == 2);
  const auto with_error = testing::run_check_in(testing::corpus_root(), {clean, flex, "--format", "json"});
  CHECK(with_error.exit_code == 1);
  CHECK(testing::parse_report(with_error).at("aggregate").at("errors") == 1);
  // Under select-tf-ops the Flex op is no error.
  const auto select = testing::run_check_in(
      testing::corpus_root(), {clean, flex, "--target", "select-tf-ops", "--format", "json"});
  CHECK(select.exit_code == 0);
  CHECK(testing::parse_report(select).at("target") == "select-tf-ops");
}

TEST_CASE("--jobs 1 and --jobs 2 write byte-identical batch reports", "[reports][batch]") {
  for (const char* format : {"json", "text"}) {
    INFO("format " << format);
    const auto one = testing::run_check_in(
        testing::corpus_root(), {"graphdef", "pbtxt", "-r", "--format", format, "--jobs", "1"});
    const auto two = testing::run_check_in(
        testing::corpus_root(), {"graphdef", "pbtxt", "-r", "--format", format, "--jobs", "2"});
    CHECK(one.exit_code == two.exit_code);
    CHECK(one.out.size() > 10000);
    CHECK(one.out == two.out);
    CHECK(one.err == two.err);
  }
}
