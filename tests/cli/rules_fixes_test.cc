// `litelint rules` and `explain` through the binary: which rules offer fixes, with the fix
// ids, their safety and, for unsafe ones, what they change; all read from the fix registry.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "rules/engine/fix.h"
#include "tests/support/testing.h"

namespace litelint {
namespace {

using Catch::Matchers::Contains;

testing::CommandResult litelint(std::vector<std::string> args) {
  args.insert(args.begin(), testing::litelint_binary().string());
  return testing::run_command(args);
}

TEST_CASE("rules lists each fix under its rule with its safety", "[cli][rules]") {
  const auto r = litelint({"rules"});
  REQUIRE(r.exit_code == 0);
  REQUIRE_FALSE(rules::all_fixes().empty());
  for (const auto& fix : rules::all_fixes()) {
    const auto info = fix->info();
    const std::string line =
        "       fix: " + std::string(info.id) + " (" + std::string(rules::to_string(info.safety)) + ") — ";
    INFO(info.id);
    const auto at = r.out.find(line);
    REQUIRE(at != std::string::npos);
    // Under its own rule: the nearest rule line above it is the fix's code.
    const auto rule_line = r.out.rfind("\nLL", at);
    const auto rule_at = rule_line == std::string::npos ? 0 : rule_line + 1;
    CHECK(r.out.substr(rule_at, info.code.size()) == info.code);
  }
  // A rule without fixes gets no fix line: LL103's next line is the next rule.
  CHECK_THAT(r.out, Contains("cannot import it\nLL104  unfrozen-variable"));
}

TEST_CASE("rules --format json carries every rule's fixes", "[cli][rules]") {
  const auto r = litelint({"rules", "--format", "json"});
  REQUIRE(r.exit_code == 0);
  const auto list = nlohmann::json::parse(r.out);
  std::size_t listed = 0;
  for (const auto& rule : list) {
    REQUIRE(rule.contains("fixes"));
    const auto want = rules::fixes_for(rule["code"].get<std::string>());
    REQUIRE(rule["fixes"].size() == want.size());
    for (std::size_t i = 0; i < want.size(); ++i) {
      const auto info = want[i]->info();
      CHECK(rule["fixes"][i]["id"] == std::string(info.id));
      CHECK(rule["fixes"][i]["safety"] == std::string(rules::to_string(info.safety)));
      CHECK(rule["fixes"][i]["title"] == std::string(info.title));
      CHECK(rule["fixes"][i]["change"] == std::string(info.change));
      ++listed;
    }
  }
  CHECK(listed == rules::all_fixes().size());
}

TEST_CASE("explain lists the rule's fixes with safety and what unsafe ones change", "[cli][rules]") {
  const auto r = litelint({"explain", "LL201"});
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("## Fixes offered by `litelint fix`\n"));
  CHECK_THAT(r.out, Contains("- Fix: narrow-float64 (unsafe) — compute in float32"));
  CHECK_THAT(r.out, Contains("; changes: results differ from float64 by float32 rounding"));
  CHECK_THAT(r.out, Contains("- Fix: widen-small-int (safe) — compute in int32 between casts\n"));

  const auto none = litelint({"explain", "LL103"});
  REQUIRE(none.exit_code == 0);
  CHECK_THAT(none.out, !Contains("Fixes offered"));
}

}  // namespace
}  // namespace litelint
