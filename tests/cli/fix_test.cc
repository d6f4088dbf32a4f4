// `litelint fix` through the binary: applied/remaining text, --diff, the plan that
// `convert --plan` and `fix --plan` replay into a byte-identical .tflite, and a stale plan.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "tests/support/testing.h"

namespace litelint {
namespace {

namespace fs = std::filesystem;
using testing::litelint_binary;
using testing::run_command;
using testing::TempDir;

// x (float64) -> Abs -> AddV2 1.0 -> Sqrt -> y (float64): every op needs Flex under builtins.
std::string float64_fixture() {
  return (fs::path(LITELINT_SOURCE_ROOT) / "rules/checks/usage/unsupported_dtype_fix.fixture.pbtxt").string();
}

testing::CommandResult litelint(std::vector<std::string> args) {
  args.insert(args.begin(), litelint_binary().string());
  return run_command(args);
}

TEST_CASE("fix without --unsafe-fixes applies nothing unsafe and says how to", "[cli][fix]") {
  const auto r = litelint({"fix", float64_fixture(), "--outputs", "y"});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.out, Catch::Matchers::Contains("0 fix(es) applied"));
  CHECK_THAT(r.out, Catch::Matchers::Contains("skipped  LL201 narrow-float64 (unsafe)"));
  CHECK_THAT(r.out, Catch::Matchers::Contains("1 unsafe fix(es) not applied; --unsafe-fixes applies them"));
  CHECK_THAT(r.out, Catch::Matchers::Contains("verdict: needs-select-tf-ops -> needs-select-tf-ops"));
}

TEST_CASE("fix --unsafe-fixes --diff prints the rewrite and writes nothing", "[cli][fix]") {
  const auto r = litelint({"fix", float64_fixture(), "--outputs", "y", "--unsafe-fixes", "--diff"});
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Matchers::Contains("--- LL201 narrow-float64: compute 4 float64 node(s) of the main graph in float32"));
  CHECK_THAT(r.out, Catch::Matchers::Contains("  + x/to_float32 (Cast)"));
  CHECK_THAT(r.out, Catch::Matchers::Contains("  + y (Cast)"));
  CHECK_THAT(r.out, Catch::Matchers::Contains("verdict: needs-select-tf-ops -> converts-with-builtins"));
  TempDir dir;
  const auto both = litelint({"fix", float64_fixture(), "--diff", "-o", (dir.path() / "o.tflite").string()});
  CHECK(both.exit_code == 2);
  CHECK(fs::is_empty(dir.path()));
}

TEST_CASE("fix -o on a model the converter refuses says why, exits 1 and writes nothing", "[cli][fix]") {
  // An input of unknown rank feeding an AvgPool: convert asks for --input-shape (found by the
  // convert fuzz target, which took the refusal's empty result for a written model).
  const TempDir dir;
  const auto out = dir.path() / "out.tflite";
  const auto model = fs::path(LITELINT_SOURCE_ROOT) / "tests/fuzz/regressions/convert/empty-output-unknown-rank-nchw-pool.pbtxt";
  const auto r = litelint({"fix", model.string(), "--target", "select-tf-ops", "-o", out.string()});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Matchers::Contains("give the input's shape with --input-shape x="));
  CHECK_FALSE(fs::exists(out));
  CHECK(fs::is_empty(dir.path()));
}

TEST_CASE("a plan written by fix replays to a byte-identical .tflite", "[cli][fix][plan]") {
  TempDir dir;
  const auto plan = (dir.path() / "plan.json").string();
  const auto fixed = (dir.path() / "fixed.tflite").string();
  const auto r = litelint({"fix", float64_fixture(), "--outputs", "y", "--unsafe-fixes", "-o", fixed,
                           "--write-plan", plan});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  REQUIRE(fs::exists(fixed));
  CHECK_THAT(testing::slurp(plan), Catch::Matchers::Contains("\"fix\": \"narrow-float64\""));

  const auto replayed = (dir.path() / "replayed.tflite").string();
  const auto c = litelint({"convert", float64_fixture(), "--outputs", "y", "--plan", plan, "-o", replayed});
  INFO(c.out << c.err);
  REQUIRE(c.exit_code == 0);
  CHECK(testing::slurp(replayed) == testing::slurp(fixed));

  const auto again = (dir.path() / "again.tflite").string();
  const auto f = litelint({"fix", float64_fixture(), "--outputs", "y", "--plan", plan, "-o", again});
  INFO(f.out << f.err);
  REQUIRE(f.exit_code == 0);
  CHECK(testing::slurp(again) == testing::slurp(fixed));
}

TEST_CASE("a plan against a changed model fails with exit 2 naming the stale entry", "[cli][fix][plan]") {
  TempDir dir;
  const auto plan = (dir.path() / "plan.json").string();
  REQUIRE(litelint({"fix", float64_fixture(), "--outputs", "y", "--unsafe-fixes", "--write-plan", plan}).exit_code == 0);
  // The same graph with Abs replaced by Neg: the island the plan names is not there any more.
  std::string text = testing::slurp(float64_fixture());
  const auto at = text.find("op: \"Abs\"");
  REQUIRE(at != std::string::npos);
  text.replace(at, 9, "op: \"Neg\"");
  const auto changed = (dir.path() / "changed.pbtxt").string();
  testing::write_file(changed, text);
  const auto out = (dir.path() / "out.tflite").string();
  const auto c = litelint({"convert", changed, "--outputs", "y", "--plan", plan, "-o", out});
  CHECK(c.exit_code == 2);
  CHECK_THAT(c.err, Catch::Matchers::Contains("1 stale entry"));
  CHECK_THAT(c.err, Catch::Matchers::Contains("entry 1 (narrow-float64 on 'a')"));
  CHECK_FALSE(fs::exists(out));
  const auto f = litelint({"fix", changed, "--outputs", "y", "--plan", plan, "-o", out});
  CHECK(f.exit_code == 2);
  CHECK_THAT(f.err, Catch::Matchers::Contains("entry 1 (narrow-float64 on 'a')"));
}

}  // namespace
}  // namespace litelint
