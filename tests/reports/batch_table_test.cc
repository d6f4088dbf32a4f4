// The text report's batch table: an unreadable model gets its own line with the reason (not
// the "flex ops" column), and paths are named relative to the directory given, never cut.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "tests/reports/golden_support.h"
#include "tests/support/testing.h"

namespace testing = litelint::testing;
namespace fs = std::filesystem;
using Catch::Matchers::Contains;

namespace {

// The table's line for `name` (the first line that starts with it).
std::string row(const std::string& text, const std::string& name) {
  for (std::size_t start = 0; start < text.size();) {
    const auto end = text.find('\n', start);
    const std::string line = text.substr(start, end - start);
    if (line.rfind(name, 0) == 0) return line;
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return {};
}

TEST_CASE("batch table: unreadable models on their own line, paths relative to the directory",
          "[reports][batch][text]") {
  testing::TempDir tmp;
  // A path longer than the old 60-character column, two levels below the directory given.
  const fs::path deep = tmp.path() / "models" / "a_rather_long_directory_name_for_a_team" /
                        "another_long_directory_name_for_one_model";
  fs::create_directories(deep);
  testing::copy_into(testing::corpus("graphdef/tf_lite_testdata_multi_add_pb/multi_add.pb"), deep);
  const fs::path broken = testing::copy_into(testing::corpus("savedmodel/tf_cc_half_plus_two"),
                                             tmp.path() / "models");
  testing::truncate_file(broken / "saved_model.pb", 100);

  const auto run = testing::run_check_in(tmp.path(), {"models", "--recursive", "--color", "never"});
  CHECK(run.exit_code == 2);
  CHECK_THAT(run.out, Contains("models under models/:"));
  const std::string long_name =
      "a_rather_long_directory_name_for_a_team/another_long_directory_name_for_one_model/multi_add.pb";
  const std::string good = row(run.out, long_name);
  CHECK_THAT(good, Contains("graphdef-binary"));
  CHECK_THAT(good, Contains("converts-with-builtins"));
  CHECK(run.out.find("...") == std::string::npos);  // nothing cut from the left

  const std::string bad = row(run.out, "tf_cc_half_plus_two ");
  CHECK_THAT(bad, Contains("unreadable: "));
  CHECK_THAT(bad, Contains("saved_model.pb"));
  // The reason is not in a column: no verdict or counts on that line.
  CHECK(bad.find("  0  ") == std::string::npos);
}

}  // namespace
