#include "tests/reports/golden_support.h"

#include <catch2/catch.hpp>

namespace litelint::testing {
namespace fs = std::filesystem;

CommandResult run_check_in(const fs::path& dir, const std::vector<std::string>& args) {
  // env(1) sets the directory and variable without a shell, so no argument needs quoting.
  std::vector<std::string> argv = {"/usr/bin/env", "-C", dir.string(), "LITELINT_REPRODUCIBLE=1",
                                   litelint_binary().string(), "check"};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_command(argv);
}

nlohmann::json parse_report(const CommandResult& run) {
  nlohmann::json doc = nlohmann::json::parse(run.out, nullptr, /*allow_exceptions=*/false);
  INFO("stderr: " << run.err);
  INFO("stdout starts: " << run.out.substr(0, 400));
  REQUIRE_FALSE(doc.is_discarded());
  REQUIRE(doc.is_object());
  return doc;
}

std::string unified_diff(const fs::path& expected, const fs::path& actual) {
  const CommandResult diff =
      run_command({"/usr/bin/diff", "-u", expected.string(), actual.string()});
  return diff.out.empty() ? diff.err : diff.out;
}

}  // namespace litelint::testing
