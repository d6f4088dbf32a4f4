// Golden-file (snapshot) tests: every case under tests/golden/ is run through the real binary
// in every format reports::all_report_formats() lists, from the corpus directory so the model
// paths in the reports are relative. A format with no golden file fails, so a new renderer
// cannot skip its snapshot. `scripts/update-golden` (LITELINT_UPDATE_GOLDEN=1) rewrites them.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "reports/formats.h"
#include "tests/reports/golden_support.h"
#include "tests/support/testing.h"

namespace testing = litelint::testing;
namespace reports = litelint::reports;
namespace fs = std::filesystem;

namespace {

// Files of a case directory that are inputs, not snapshots.
constexpr const char* kArgsFile = "args";
constexpr const char* kExitCodeFile = "exit_code";

fs::path golden_root() { return fs::path(LITELINT_SOURCE_ROOT) / "tests" / "golden"; }

bool updating() {
  const char* env = std::getenv("LITELINT_UPDATE_GOLDEN");
  return env != nullptr && *env != '\0' && std::string(env) != "0";
}

struct GoldenCase {
  std::string name;
  fs::path dir;
  std::vector<std::string> args;  ///< after `litelint check`, one per line of `args`
};

std::vector<GoldenCase> golden_cases() {
  std::vector<GoldenCase> out;
  for (const auto& entry : fs::directory_iterator(golden_root())) {
    if (!entry.is_directory() || !fs::exists(entry.path() / kArgsFile)) continue;
    GoldenCase c{entry.path().filename().string(), entry.path(), {}};
    std::istringstream lines(testing::slurp(entry.path() / kArgsFile));
    for (std::string line; std::getline(lines, line);) {
      if (!line.empty() && line.front() != '#') c.args.push_back(line);
    }
    out.push_back(std::move(c));
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return out;
}

std::string trimmed_diff(const std::string& diff) {
  constexpr std::size_t kMaxLines = 200;
  std::istringstream in(diff);
  std::string out;
  std::size_t n = 0;
  for (std::string line; std::getline(in, line) && n < kMaxLines; ++n) out += line + "\n";
  if (n == kMaxLines) out += "... (diff truncated)\n";
  return out;
}

}  // namespace

TEST_CASE("golden cases cover a clean, a Flex, a failing model and a batch with a broken one",
          "[reports][golden]") {
  std::set<std::string> names;
  for (const auto& c : golden_cases()) names.insert(c.name);
  for (const char* wanted : {"clean", "flex", "fails", "custom", "batch"}) {
    INFO("golden case " << wanted);
    CHECK(names.count(wanted) == 1);
  }
}

TEST_CASE("every report format matches its golden file for every golden case",
          "[reports][golden]") {
  const auto cases = golden_cases();
  REQUIRE_FALSE(cases.empty());
  const bool update = updating();
  for (const auto& c : cases) {
    std::set<std::string> expected_files = {kArgsFile, kExitCodeFile};
    int first_exit = -1;
    for (const auto format : reports::all_report_formats()) {
      const std::string file_name(reports::default_file_name(format));
      expected_files.insert(file_name);
      std::vector<std::string> args = c.args;
      args.insert(args.end(), {"--format", std::string(reports::to_string(format))});
      const auto run = testing::run_check_in(testing::corpus_root(), args);
      INFO("case " << c.name << ", format " << reports::to_string(format) << ", stderr: " << run.err);
      // Every format reports the same run, so the exit status cannot depend on the format.
      if (first_exit < 0) first_exit = run.exit_code;
      CHECK(run.exit_code == first_exit);
      // 0 clean, 1 error findings, 2 unreadable model; anything else is a crash. Output may
      // be empty (GitHub annotations of a clean model), and its golden file then is too.
      REQUIRE(run.exit_code >= 0);
      REQUIRE(run.exit_code <= 2);

      const fs::path golden = c.dir / file_name;
      if (update) {
        testing::write_file(golden, run.out);
        continue;
      }
      if (!fs::exists(golden)) {
        FAIL_CHECK("no golden file " << golden.string()
                   << " for a format; run scripts/update-golden and review it");
        continue;
      }
      if (testing::slurp(golden) == run.out) continue;
      testing::TempDir tmp;
      const fs::path actual = tmp.path() / file_name;
      testing::write_file(actual, run.out);
      // Raw on stderr too: Catch wraps messages at 80 columns, which mangles a diff.
      const std::string diff = trimmed_diff(testing::unified_diff(golden, actual));
      std::cerr << diff;
      FAIL_CHECK("report differs from " << golden.string() << " (scripts/update-golden rewrites it):\n"
                 << diff);
    }

    const fs::path exit_file = c.dir / kExitCodeFile;
    if (update) {
      testing::write_file(exit_file, std::to_string(first_exit) + "\n");
    } else {
      INFO("case " << c.name);
      REQUIRE(fs::exists(exit_file));
      CHECK(std::to_string(first_exit) + "\n" == testing::slurp(exit_file));
    }

    // A snapshot of a format that no longer exists (or a stray file) must not linger.
    for (const auto& entry : fs::directory_iterator(c.dir)) {
      const std::string name = entry.path().filename().string();
      if (expected_files.count(name) > 0) continue;
      if (update) {
        fs::remove(entry.path());
      } else {
        FAIL_CHECK("stale file in golden case " << c.name << ": " << name);
      }
    }
  }
}
