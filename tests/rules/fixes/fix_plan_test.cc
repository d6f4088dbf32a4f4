// Fix plans: what a run decided, written as JSON and replayed exactly; a plan against a
// changed model fails naming its stale entries, and a bad plan file is an error value.
#include <algorithm>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "rules/engine/fix_apply.h"
#include "rules/engine/fix_graph.h"
#include "rules/engine/fix_plan.h"
#include "tests/rules/fixture_support.h"

namespace lr = litelint::rules;
namespace ir = litelint::ir;

namespace {

std::string fixture(const std::string& relative) {
  return std::string(LITELINT_SOURCE_ROOT) + "/rules/checks/" + relative;
}

lr::AnalyzeOptions options_for(std::vector<std::string> outputs) {
  lr::AnalyzeOptions o;
  o.lint.outputs = std::move(outputs);
  return o;
}

std::string graph_text(const ir::Graph& g) {
  std::string out;
  for (const auto& n : g.nodes.nodes()) {
    out += n.name + " " + n.op;
    for (const auto& in : n.inputs) out += " " + in.to_string();
    out += "\n";
  }
  return out;
}

}  // namespace

TEST_CASE("a fix plan renders, parses back and renders to the same bytes", "[rules][fix][plan]") {
  const ir::Model model = litelint::testing::load_model(fixture("usage/unsupported_dtype_fix.fixture.pbtxt"));
  const auto options = options_for({"y"});
  lr::FixPolicy policy;
  policy.unsafe_fixes = true;
  auto run = lr::run_fixes(model, options, policy, {});
  REQUIRE(run);
  REQUIRE(run->records.size() == 1);
  lr::FixPlan plan;
  plan.tool_version = "0.1.0";
  plan.model_path = "m.pbtxt";
  plan.target = "builtins";
  plan.decisions = run->records;
  const std::string text = lr::render_fix_plan(plan);
  CHECK_THAT(text, Catch::Matchers::Contains("\"fix\": \"narrow-float64\""));
  CHECK_THAT(text, Catch::Matchers::Contains("\"decision\": \"accepted\""));
  auto parsed = lr::parse_fix_plan(text);
  REQUIRE(parsed);
  CHECK(lr::render_fix_plan(*parsed) == text);
}

TEST_CASE("replaying a plan rewrites the model exactly as the run did", "[rules][fix][plan]") {
  const ir::Model model = litelint::testing::load_model(fixture("ops/select_tf_op_cumprod_fix.fixture.pbtxt"));
  const auto options = options_for({"y", "z"});
  auto run = lr::run_fixes(model, options, {}, {});
  REQUIRE(run);
  auto replay = lr::replay_fixes(model, options, run->records);
  REQUIRE(replay);
  CHECK(graph_text(replay->after.model.graph()) == graph_text(run->after.model.graph()));
  CHECK(replay->after.result.findings.size() == run->after.result.findings.size());
}

TEST_CASE("a declined proposal is recorded and not applied", "[rules][fix][plan]") {
  const ir::Model model = litelint::testing::load_model(fixture("ops/select_tf_op_cumprod_fix.fixture.pbtxt"));
  const auto options = options_for({"y", "z"});
  auto run = lr::run_fixes(model, options, {},
                           [](const lr::FixProposal&) { return lr::FixDecision::Decline; });
  REQUIRE(run);
  REQUIRE(run->records.size() == 1);
  CHECK_FALSE(run->records[0].accepted);
  CHECK(run->records[0].reason == "declined");
  CHECK(run->after.model.graph().nodes.find("y")->op == "Cumprod");
}

TEST_CASE("unsafe fixes are only proposed with unsafe_fixes", "[rules][fix][plan]") {
  const ir::Model model = litelint::testing::load_model(fixture("usage/unsupported_dtype_fix.fixture.pbtxt"));
  auto run = lr::run_fixes(model, options_for({"y"}), {}, {});
  REQUIRE(run);
  REQUIRE(run->records.size() == 1);
  CHECK_FALSE(run->records[0].accepted);
  CHECK_THAT(run->records[0].reason, Catch::Matchers::Contains("--unsafe-fixes"));
  CHECK(run->after.model.graph().nodes.find("a")->attr("T")->as_type() != nullptr);
  CHECK(*run->after.model.graph().nodes.find("a")->attr("T")->as_type() == ir::DType::Double);
}

TEST_CASE("a plan replayed on a changed model fails naming the stale entry", "[rules][fix][plan]") {
  const ir::Model model = litelint::testing::load_model(fixture("ops/select_tf_op_cumprod_fix.fixture.pbtxt"));
  const auto options = options_for({"y", "z"});
  auto run = lr::run_fixes(model, options, {}, {});
  REQUIRE(run);
  ir::Model changed = model;
  changed.graph().nodes.find("y")->attrs["reverse"] = ir::AttrValue{true};
  auto replay = lr::replay_fixes(changed, options, run->records);
  REQUIRE_FALSE(replay);
  CHECK_THAT(replay.error().reason(), Catch::Matchers::Contains("entry 1 (cumprod-unroll on 'y')"));
  CHECK_THAT(replay.error().reason(), Catch::Matchers::Contains("its nodes changed"));
}

TEST_CASE("a plan that is not a plan is an error naming what is wrong", "[rules][fix][plan]") {
  CHECK_FALSE(lr::parse_fix_plan("{"));
  auto wrong_kind = lr::parse_fix_plan(R"({"kind": "x"})");
  REQUIRE_FALSE(wrong_kind);
  CHECK_THAT(wrong_kind.error().reason(), Catch::Matchers::Contains("kind"));
  auto no_nodes = lr::parse_fix_plan(
      R"({"kind": "litelint-fix-plan", "schema_version": "1.0.0", "target": "builtins", "decisions": [)"
      R"({"rule": "LL101", "fix": "cumprod-unroll", "body": "", "nodes": [], "fingerprint": "0",)"
      R"( "parameters": {}, "decision": "accepted", "safety": "safe"}]})");
  REQUIRE_FALSE(no_nodes);
  CHECK_THAT(no_nodes.error().reason(), Catch::Matchers::Contains("decisions[0]"));
  auto future = lr::parse_fix_plan(R"({"kind": "litelint-fix-plan", "schema_version": "2.0.0"})");
  REQUIRE_FALSE(future);
  CHECK_THAT(future.error().reason(), Catch::Matchers::Contains("2.0.0"));
}

TEST_CASE("fixes are registered once, sorted by rule code, and unsafe ones say what changes",
          "[rules][fix]") {
  std::string previous;
  std::vector<std::string> ids;
  for (const auto& fix : lr::all_fixes()) {
    const auto info = fix->info();
    const std::string key = std::string(info.code) + " " + std::string(info.id);
    CHECK(previous < key);
    previous = key;
    CHECK(std::find(ids.begin(), ids.end(), info.id) == ids.end());
    ids.emplace_back(info.id);
    CHECK(lr::find_fix(info.id) == fix.get());
    if (info.safety == lr::Applicability::Unsafe) CHECK_FALSE(info.change.empty());
    CHECK_FALSE(info.title.empty());
  }
}
