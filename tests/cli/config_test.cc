#include <algorithm>
#include <string>

#include <catch2/catch.hpp>

#include "tests/support/testing.h"

namespace litelint {
namespace {

using testing::litelint_binary;
using testing::run_command;

// Two MatrixInverse nodes: one grouped LL101 finding (no builtin, Select TF op) naming both.
constexpr const char* kModel = R"pb(
node { name: "x" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } } attr { key: "shape" value { shape { dim { size: 2 } dim { size: 2 } } } } }
node { name: "pre/inv" op: "MatrixInverse" input: "x" attr { key: "T" value { type: DT_FLOAT } } }
node { name: "main/inv" op: "MatrixInverse" input: "pre/inv" attr { key: "T" value { type: DT_FLOAT } } }
)pb";

std::string quoted(const std::filesystem::path& p) { return "'" + p.string() + "'"; }

// Runs litelint with `dir` as the working directory (config files are found upward from it).
testing::CommandResult run_in(const std::filesystem::path& dir, const std::string& args) {
  return run_command({"/bin/sh", "-c", "cd " + quoted(dir) + " && exec " +
                                           quoted(litelint_binary()) + " " + args});
}

TEST_CASE("check finds litelint.toml upward from the working directory; flags win",
          "[cli][config]") {
  testing::TempDir tmp;
  testing::write_file(tmp.path() / "model.pbtxt", kModel);
  testing::write_file(tmp.path() / "litelint.toml", "target = \"select-tf-ops\"\n");
  std::filesystem::create_directories(tmp.path() / "sub" / "dir");
  const auto model = quoted(tmp.path() / "model.pbtxt");

  auto r = run_in(tmp.path() / "sub" / "dir", "check " + model);
  CHECK(r.exit_code == 0);  // under select-tf-ops the Select TF op is the plan, not an error
  CHECK(r.out.find("(converts under select-tf-ops)") != std::string::npos);

  r = run_in(tmp.path() / "sub" / "dir", "check " + model + " --target builtins");
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("(does not convert under builtins)") != std::string::npos);
}

TEST_CASE("check reads [tool.litelint] from pyproject.toml, and every target name",
          "[cli][config]") {
  testing::TempDir tmp;
  testing::write_file(tmp.path() / "model.pbtxt", kModel);
  testing::write_file(tmp.path() / "pyproject.toml",
                      "[project]\nname = \"x\"\n[tool.litelint]\ntarget = \"xnnpack\"\n");
  const auto r = run_in(tmp.path(), "check " + quoted(tmp.path() / "model.pbtxt"));
  CHECK(r.out.find("under xnnpack") != std::string::npos);
}

TEST_CASE("a bad config is one error line naming the file and key, exit 2", "[cli][config]") {
  testing::TempDir tmp;
  testing::write_file(tmp.path() / "model.pbtxt", kModel);
  const auto cfg = tmp.path() / "litelint.toml";
  SECTION("unknown key") {
    testing::write_file(cfg, "taget = \"gpu\"\n");
    const auto r = run_in(tmp.path(), "check model.pbtxt");
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(r.err.find(cfg.string()) != std::string::npos);
    CHECK(r.err.find("unknown key 'taget'") != std::string::npos);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  }
  SECTION("unknown target") {
    testing::write_file(cfg, "target = \"tpu\"\n");
    const auto r = run_in(tmp.path(), "check model.pbtxt");
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("'target' must be one of builtins, select-tf-ops, gpu, xnnpack, nnapi, "
                     "edgetpu (got 'tpu')") != std::string::npos);
  }
  SECTION("not TOML") {
    testing::write_file(cfg, "target = \n");
    const auto r = run_in(tmp.path(), "check model.pbtxt");
    CHECK(r.exit_code == 2);
    CHECK(r.err.find(cfg.string()) != std::string::npos);
  }
}

TEST_CASE("per-node-ignores drop matching nodes and reword the grouped finding",
          "[cli][config]") {
  testing::TempDir tmp;
  testing::write_file(tmp.path() / "model.pbtxt", kModel);
  const auto model = quoted(tmp.path() / "model.pbtxt");

  auto r = run_in(tmp.path(), "check " + model);
  CHECK(r.out.find("nodes 'pre/inv', 'main/inv' (MatrixInverse)") != std::string::npos);

  testing::write_file(tmp.path() / "litelint.toml",
                      "[per-node-ignores]\n\"pre/*\" = [\"LL1\"]\n");
  r = run_in(tmp.path(), "check " + model);
  CHECK(r.out.find("node 'main/inv' (MatrixInverse)") != std::string::npos);
  CHECK(r.out.find("pre/inv") == std::string::npos);  // neither listed nor named in the message
  CHECK(r.exit_code == 1);                              // main/inv still needs a Select TF op

  testing::write_file(tmp.path() / "litelint.toml",
                      "[per-node-ignores]\n\"*/inv\" = [\"LL101\"]\n");
  r = run_in(tmp.path(), "check " + model);
  CHECK(r.out.find("[LL101]") == std::string::npos);
}

}  // namespace
}  // namespace litelint
