// What the README's scripts promise a new user (issue 18): the demo's binary is stripped with
// its debug info beside it, the build says what it is doing, and the C++ suite prints its
// own summary line before the run's total.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "tests/support/testing.h"

namespace litelint {
namespace {

namespace fs = std::filesystem;
using Catch::Contains;
using testing::run_command;

TEST_CASE("scripts/build leaves a stripped binary with a debug link in build/dist", "[scripts]") {
  const fs::path dist = fs::path(LITELINT_BUILD_ROOT) / "dist";
  if (!fs::exists(dist / "litelint")) {
    // Written by scripts/build (scripts/run-tests and scripts/demo run it), not by ninja alone.
    WARN("no " << (dist / "litelint").string() << ": run scripts/build first");
    return;
  }
  const auto sections = run_command({"/usr/bin/readelf", "-S", "-W", (dist / "litelint").string()});
  REQUIRE(sections.exit_code == 0);
  CHECK(sections.out.find(".debug_info") == std::string::npos);
  CHECK(sections.out.find(".symtab") == std::string::npos);
  CHECK_THAT(sections.out, Contains(".gnu_debuglink"));
  CHECK(fs::exists(dist / "litelint.debug"));
  // The README gives its size as about 13 MB; a debug build would be over 100 MB.
  CHECK(fs::file_size(dist / "litelint") < 40u * 1024 * 1024);
  const auto version = run_command({(dist / "litelint").string(), "--version"});
  CHECK(version.exit_code == 0);
}

TEST_CASE("scripts say what they are doing", "[scripts]") {
  const fs::path root = LITELINT_SOURCE_ROOT;
  const std::string build = testing::slurp(root / "scripts/build");
  // ninja's output is no longer thrown away: progress on a TTY, a line per step otherwise.
  CHECK(build.find(">/dev/null || ninja") == std::string::npos);
  CHECK_THAT(build, Contains("echo \"build: compiling with ninja"));
  const std::string demo = testing::slurp(root / "scripts/demo");
  for (const char* step : {"== demo: checking build packages", "== demo: building litelint",
                           "== demo: running litelint"}) {
    CHECK_THAT(demo, Contains(step));
  }
  const std::string run_tests = testing::slurp(root / "scripts/run-tests");
  CHECK_THAT(run_tests, Contains("echo \"C++ suite: $(python3 scripts/junit_summary.py \"$reports/catch2.xml\""));
}

TEST_CASE("the C++ suite's summary line counts its JUnit report", "[scripts]") {
  testing::TempDir tmp;
  const fs::path xml = tmp.path() / "catch2.xml";
  testing::write_file(xml, "<testsuites><testsuite><testcase name=\"a\"/><testcase name=\"b\">"
                           "<failure/></testcase><testcase name=\"c\"><skipped/></testcase>"
                           "</testsuite></testsuites>");
  const auto r = run_command({"/usr/bin/python3", std::string(LITELINT_SOURCE_ROOT) + "/scripts/junit_summary.py",
                              xml.string()});
  CHECK(r.out == "1 passed, 1 failed, 1 skipped\n");
}

}  // namespace
}  // namespace litelint
