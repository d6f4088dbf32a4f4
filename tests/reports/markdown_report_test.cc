#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "reports/markdown_report.h"
#include "tests/support/testing.h"

namespace {

namespace lr = litelint::rules;
namespace rp = litelint::reports;

std::string markdown_in_corpus(std::vector<std::string> args) {
  std::vector<std::string> argv = {"/usr/bin/env", "-C", litelint::testing::corpus_root().string(),
                                   "LITELINT_REPRODUCIBLE=1", litelint::testing::litelint_binary().string(),
                                   "check"};
  argv.insert(argv.end(), args.begin(), args.end());
  // After the paths: --format takes every value that follows it.
  argv.insert(argv.end(), {"--format", "markdown"});
  auto run = litelint::testing::run_command(argv);
  INFO(run.err);
  REQUIRE((run.exit_code >= 0 && run.exit_code <= 2));
  return run.out;
}

bool contains(const std::string& text, const std::string& piece) {
  return text.find(piece) != std::string::npos;
}

lr::Finding finding(std::string code, std::string node_name, std::string cause) {
  lr::Finding f;
  f.code = std::move(code);
  f.rule = "select-tf-op";
  f.severity = lr::Severity::Error;
  f.op = "Erf";
  f.cause = std::move(cause);
  f.message = "node '" + node_name + "' (Erf): " + f.cause;
  f.nodes = {{node_name, {node_name}, std::nullopt}};
  return f;
}

rp::ModelReport model(std::string path, std::vector<lr::Finding> findings) {
  rp::ModelReport m;
  m.path = std::move(path);
  m.format = "graphdef-binary";
  m.result.findings = std::move(findings);
  m.result.counts = {m.result.findings.size(), 0, 0};
  m.result.converts = m.result.findings.empty();
  m.result.verdict = m.result.findings.empty() ? lr::Verdict::ConvertsWithBuiltins : lr::Verdict::NeedsSelectTfOps;
  return m;
}

rp::RunReport run_with(std::vector<rp::ModelReport> models, bool batch) {
  rp::RunReport run;
  run.tool_version = "test";
  run.profile = lr::make_profile(lr::Target::Builtins, false);
  run.models = std::move(models);
  run.batch = batch;
  return run;
}

}  // namespace

TEST_CASE("markdown for one model gives the verdict, counts by code, Flex ops and collapsed findings",
          "[reports][markdown]") {
  const std::string md = markdown_in_corpus({"savedmodel/tf_cc_half_plus_two"});
  CHECK(md.starts_with("## ❌ litelint: `savedmodel/tf_cc_half_plus_two` does not convert under `builtins`\n"));
  CHECK(contains(md, "**needs-select-tf-ops** · savedmodel · 1 error, 1 warning, 0 notes"));
  CHECK(contains(md, "/docs/rules/LL101-select-tf-op.md) | select-tf-op | error | 1 | 1 |\n"));
  CHECK(contains(md, "/docs/rules/LL401-dynamic-shape.md) | dynamic-shape | warning | 1 | 1 |\n"));
  CHECK(contains(md, "**Flex ops needed** (SELECT_TF_OPS): `ParseExample`"));
  CHECK(contains(md, "<details><summary>2 findings</summary>"));
  CHECK(contains(md, "- **error** `LL101` select-tf-op: node 'ParseExample/ParseExample' (ParseExample)"));
  CHECK(contains(md, "```python\n"));
  CHECK_FALSE(contains(md, "Truncated"));
}

TEST_CASE("markdown for a batch starts with the summary table and names the unreadable model",
          "[reports][markdown]") {
  const std::string md = markdown_in_corpus({"savedmodel/tf_cc_half_plus_two",
                                             "savedmodel/tf_cc_fuzz_const_with_no_value",
                                             "graphdef/tf_lite_testdata_multi_add_pb/multi_add.pb"});
  CHECK(md.starts_with("## ❌ litelint: 1 of 3 models do not convert under `builtins`, 1 unreadable\n"));
  const auto table = md.find("| | Model | Format | Verdict |");
  const auto first_section = md.find("\n### ");
  REQUIRE(table != std::string::npos);
  REQUIRE(first_section != std::string::npos);
  CHECK(table < first_section);
  CHECK(contains(md, "| ✅ | `graphdef/tf_lite_testdata_multi_add_pb/multi_add.pb` | graphdef-binary | "
                     "converts-with-builtins | 0 | 0 | 0 | 288 | 0 B | 3.8 KiB |  |\n"));
  CHECK(contains(md, "| ⚠️ | `savedmodel/tf_cc_fuzz_const_with_no_value` | | unreadable: "));
  CHECK(contains(md, "### Flex ops needed\n\n- `ParseExample` (1 model)\n"));
  // The clean model is complete in the table and gets no section of its own.
  CHECK_FALSE(contains(md, "### ✅"));
  CHECK(contains(md, "### ⚠️ `savedmodel/tf_cc_fuzz_const_with_no_value`: unreadable"));
}

TEST_CASE("markdown escapes names that would otherwise become HTML, links or table cells",
          "[reports][markdown]") {
  const auto run = run_with({model("dir|with`tick", {finding("LL101", "<img src=x>|*b*", "no builtin")})}, false);
  const std::string md = rp::render_markdown(run);
  CHECK(contains(md, "node '\\<img src=x\\>\\|\\*b\\*' (Erf): no builtin"));
  CHECK_FALSE(contains(md, "'<img"));
  CHECK(contains(md, "`` dir\\|with`tick ``"));
}

TEST_CASE("markdown stays under GitHub's comment limit and says what it left out",
          "[reports][markdown]") {
  std::vector<rp::ModelReport> models;
  for (int i = 0; i < 400; ++i) {
    std::vector<lr::Finding> findings;
    for (int j = 0; j < 20; ++j) {
      findings.push_back(finding("LL101", "layer_" + std::to_string(j) + "/Erf",
                                 std::string(200, 'x')));
    }
    models.push_back(model("zoo/model_" + std::to_string(i) + ".pb", std::move(findings)));
  }
  const auto run = run_with(std::move(models), true);
  const std::string md = rp::render_markdown(run);
  CHECK(md.size() <= rp::kMarkdownLimit);
  CHECK(md.size() > rp::kMarkdownLimit - 2000);  // it used the room it had
  CHECK(contains(md, "Truncated to stay under GitHub's 65535-character comment limit"));
  // Every <details> that was opened is closed.
  std::size_t open = 0, close = 0;
  for (auto at = md.find("<details>"); at != std::string::npos; at = md.find("<details>", at + 1)) ++open;
  for (auto at = md.find("</details>"); at != std::string::npos; at = md.find("</details>", at + 1)) ++close;
  CHECK(open == close);

  const std::string small = rp::render_markdown(run, 4000);
  CHECK(small.size() <= 4000);
  CHECK(contains(small, "| | … "));
  CHECK(contains(small, "Truncated"));
}
