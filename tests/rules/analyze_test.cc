// rules::analyze(), the load -> normalize -> lint entry point check, convert and fix share.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <string>

#include "analyzer/loaders/load.h"
#include "rules/engine/analyze.h"
#include "tests/support/testing.h"

namespace litelint {
namespace {

namespace fs = std::filesystem;

fs::path tiny_classifier() { return fs::path(LITELINT_SOURCE_ROOT) / "examples/tiny_classifier.pbtxt"; }

bool has_finding(const rules::LintResult& result, const std::string& code, const std::string& node) {
  return std::any_of(result.findings.begin(), result.findings.end(), [&](const rules::Finding& f) {
    return f.code == code && std::any_of(f.nodes.begin(), f.nodes.end(),
                                         [&](const rules::FindingNode& n) { return n.name == node; });
  });
}

TEST_CASE("analyze loads, infers shapes and lints, and keeps the model", "[rules][analyze]") {
  auto analysis = rules::analyze(tiny_classifier(), {});
  REQUIRE(analysis);
  CHECK(analysis->model.format == ir::Format::GraphDefText);
  CHECK(analysis->model.graph().nodes.find("gram/MatrixInverse") != nullptr);
  CHECK(has_finding(analysis->result, "LL101", "gram/MatrixInverse"));
  CHECK(analysis->result.counts[0] == 1);
  CHECK_FALSE(analysis->result.converts);
  const auto inverse = std::find_if(analysis->op_coverage.begin(), analysis->op_coverage.end(),
                                    [](const rules::OpCoverage& c) { return c.op == "MatrixInverse"; });
  REQUIRE(inverse != analysis->op_coverage.end());
  CHECK(inverse->count == 1);
  CHECK(analysis->times.load_ms > 0);
  CHECK(analysis->times.total_ms >= analysis->times.load_ms);
}

TEST_CASE("analyze drops per-node-ignored findings but keeps the verdict", "[rules][analyze]") {
  rules::AnalyzeOptions options;
  options.per_node_ignores = {{"gram/*", {"LL1"}}};
  auto analysis = rules::analyze(tiny_classifier(), options);
  REQUIRE(analysis);
  CHECK_FALSE(has_finding(analysis->result, "LL101", "gram/MatrixInverse"));
  CHECK(analysis->result.counts[0] == 0);
  CHECK_FALSE(analysis->result.converts);  // a fact about the model, not about what is shown
}

TEST_CASE("analyze fails with a usage error naming the model for unknown arrays",
          "[rules][analyze]") {
  rules::AnalyzeOptions options;
  options.lint.outputs = {"nowhere"};
  const auto analysis = rules::analyze(tiny_classifier(), options);
  REQUIRE_FALSE(analysis);
  CHECK(analysis.error().code() == ErrorCode::Usage);
  CHECK(analysis.error().message() ==
        tiny_classifier().string() + ": --outputs: no node named 'nowhere' in the graph");
}

TEST_CASE("analyze passes on the loader's error for an unreadable path", "[rules][analyze]") {
  testing::TempDir dir;
  const auto analysis = rules::analyze(dir.path() / "missing.pb", {});
  REQUIRE_FALSE(analysis);
  CHECK_THAT(analysis.error().message(), Catch::Matchers::Contains("missing.pb"));
}

TEST_CASE("analyze of a loaded model gives the same findings as from its path", "[rules][analyze]") {
  auto model = analyzer::load(tiny_classifier());
  REQUIRE(model);
  const rules::ModelFacts facts = rules::model_facts(*model);
  CHECK(facts.format == "graphdef-text");
  CHECK(facts.size == fs::file_size(tiny_classifier()));
  CHECK(facts.sha256.size() == 64);
  auto from_model = rules::analyze(std::move(*model), {});
  auto from_path = rules::analyze(tiny_classifier(), {});
  REQUIRE(from_model);
  REQUIRE(from_path);
  CHECK(from_model->times.load_ms == 0);
  REQUIRE(from_model->result.findings.size() == from_path->result.findings.size());
  for (std::size_t i = 0; i < from_path->result.findings.size(); ++i) {
    CHECK(from_model->result.findings[i].message == from_path->result.findings[i].message);
  }
}

TEST_CASE("glob_match matches node names as a shell glob", "[rules][analyze]") {
  CHECK(rules::glob_match("pre/*", "pre/resize"));
  CHECK(rules::glob_match("*/inv", "a/b/inv"));
  CHECK(rules::glob_match("conv?", "conv1"));
  CHECK(rules::glob_match("*", ""));
  CHECK_FALSE(rules::glob_match("conv?", "conv12"));
  CHECK_FALSE(rules::glob_match("pre/*", "post/resize"));
  CHECK_FALSE(rules::glob_match("a*b*c", "a-b-"));
}

}  // namespace
}  // namespace litelint
