// An unknown name or a missing argument is a usage error: exit code 2, one "litelint: error:"
// line that lists what would have been valid (a "did you mean" list or the valid values), and
// for a parse error the command's usage line.
#include <catch2/catch.hpp>

#include "cli/did_you_mean.h"
#include "tests/support/testing.h"

namespace litelint {
namespace {

using Catch::Contains;
using testing::corpus;
using testing::litelint_binary;
using testing::run_command;

std::string tiny() { return std::string(LITELINT_SOURCE_ROOT) + "/examples/tiny_classifier.pbtxt"; }

TEST_CASE("close_names finds typos and substrings, closest first", "[cli][usage]") {
  const std::vector<std::string> names = {"LL101", "LL201", "LL901", "select-tf-op", "custom-op"};
  CHECK(cli::close_names("LL1O1", names).front() == "LL101");
  CHECK(cli::close_names("select_tf_ops", names) == std::vector<std::string>{"select-tf-op"});
  CHECK(cli::close_names("zzzzzzzz", names).empty());
}

TEST_CASE("unknown names exit 2 with a did-you-mean list in every command", "[cli][usage]") {
  SECTION("ops") {
    const auto r = run_command({litelint_binary(), "ops", "Conv2d"});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("litelint: error: unknown op 'Conv2d'"));
    CHECK_THAT(r.err, Contains("did you mean: Conv2D"));
    CHECK(run_command({litelint_binary(), "ops", "Conv2d", "--format", "json"}).exit_code == 2);
    CHECK(run_command({litelint_binary(), "ops", "Conv2D"}).exit_code == 0);
  }
  SECTION("explain") {
    const auto r = run_command({litelint_binary(), "explain", "LL2O1"});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("unknown rule 'LL2O1'; did you mean: LL201"));
    const auto by_name = run_command({litelint_binary(), "explain", "unsupported-dtypes"});
    CHECK(by_name.exit_code == 2);
    CHECK_THAT(by_name.err, Contains("did you mean: unsupported-dtype"));
  }
  SECTION("command") {
    const auto r = run_command({litelint_binary(), "chek", tiny()});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("unknown command 'chek'; did you mean: check"));
  }
  SECTION("--select and --ignore") {
    const auto r = run_command({litelint_binary(), "check", tiny(), "--select", "LL2O1"});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("--select: unknown rule code or name 'LL2O1'; did you mean: LL201"));
    CHECK(run_command({litelint_binary(), "check", tiny(), "--ignore", "nope-rule"}).exit_code == 2);
    // Prefixes and names are fine.
    CHECK(run_command({litelint_binary(), "check", tiny(), "--select", "LL2,select-tf-op"}).exit_code != 2);
  }
  SECTION("--target") {
    const auto r = run_command({litelint_binary(), "check", tiny(), "--target", "gpuu"});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("unknown target 'gpuu'; did you mean: gpu?"));
  }
  SECTION("--signature") {
    const auto model = corpus("savedmodel/tf_cc_half_plus_two").string();
    const auto r = run_command({litelint_binary(), "check", model, "--signature", "serving_defalt"});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("--signature: unknown signature 'serving_defalt' (available: "));
    CHECK_THAT(r.err, Contains("serving_default"));
  }
}

TEST_CASE("check without a model prints its usage line", "[cli][usage]") {
  const auto r = run_command({litelint_binary(), "check"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("model is required"));
  CHECK_THAT(r.err, Contains("Usage: litelint check [OPTIONS] model"));
  CHECK_THAT(r.err, Contains("Run 'litelint check --help'"));
}

TEST_CASE("check --format with an unknown format lists the valid ones", "[cli][usage]") {
  const auto r = run_command({litelint_binary(), "check", tiny(), "--format", "xml"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("--format: unknown format 'xml'"));
  CHECK_THAT(r.err, Contains("text, json, html"));
  CHECK_THAT(r.err, Contains("sarif"));
}

}  // namespace
}  // namespace litelint
