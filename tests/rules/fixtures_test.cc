#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "rules/engine/engine.h"
#include "rules/engine/registry.h"
#include "tests/rules/fixture_support.h"
#include "tests/support/testing.h"

namespace fs = std::filesystem;
namespace lr = litelint::rules;

namespace {

// One `# EXPECT:` line: code, node and a substring of the finding's cause.
struct Expect {
  std::string code;
  std::string node;
  std::string text;
  std::string impact;  // optional "impact=flex"
  int line = 0;
};

struct Fixture {
  fs::path path;
  std::string rule;
  std::string target = "builtins";
  std::vector<std::string> outputs;
  std::vector<Expect> expects;
  std::vector<std::pair<std::string, int>> expect_none;  // node, line
};

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r')) s.pop_back();
  while (!s.empty() && s.front() == ' ') s.erase(s.begin());
  return s;
}

Fixture parse_fixture(const fs::path& path) {
  Fixture f;
  f.path = path;
  std::ifstream in(path);
  std::string line;
  int n = 0;
  static const std::regex kExpect(
      R"re(#\s*EXPECT:\s*(LL\d{3})\s+node=(\S+)(?:\s+impact=(\S+))?\s+"([^"]*)"\s*)re");
  static const std::regex kNone(R"re(#\s*EXPECT-NONE:\s*node=(\S+)(\s.*)?)re");
  while (std::getline(in, line)) {
    ++n;
    std::smatch m;
    if (line.rfind("# RULE:", 0) == 0) {
      std::istringstream words(line.substr(7));
      words >> f.rule;
    } else if (line.rfind("# TARGET:", 0) == 0) {
      f.target = trim(line.substr(9));
    } else if (line.rfind("# OUTPUTS:", 0) == 0) {
      std::istringstream items(trim(line.substr(10)));
      std::string item;
      while (std::getline(items, item, ',')) f.outputs.push_back(trim(item));
    } else if (std::regex_match(line, m, kExpect)) {
      f.expects.push_back({m[1], m[2], m[4], m[3], n});
    } else if (std::regex_match(line, m, kNone)) {
      f.expect_none.emplace_back(m[1], n);
    } else if (line.find("EXPECT") != std::string::npos && line.rfind("#", 0) == 0) {
      FAIL(path.string() << ":" << n << ": malformed expectation: " << line);
    }
  }
  return f;
}

std::vector<fs::path> fixture_paths() {
  std::vector<fs::path> paths;
  const fs::path root = fs::path(LITELINT_SOURCE_ROOT) / "rules" / "checks";
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    const auto name = e.path().filename().string();
    if (name.size() > 12 && name.ends_with(".test.pbtxt")) paths.push_back(e.path());
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

}  // namespace

TEST_CASE("every rule fixture's findings match its EXPECT lines exactly", "[rules][fixtures]") {
  auto paths = fixture_paths();
  REQUIRE(paths.size() >= 10);
  for (const auto& path : paths) {
    Fixture fx = parse_fixture(path);
    INFO("fixture " << path.string());
    REQUIRE_FALSE(fx.rule.empty());
    REQUIRE(lr::find_rule(fx.rule) != nullptr);
    REQUIRE_FALSE(fx.expects.empty());

    auto model = litelint::testing::load_model(path);
    lr::LintOptions options;
    auto target = lr::parse_target(fx.target);
    REQUIRE(target);
    options.target = *target;
    options.outputs = fx.outputs;
    options.select = {fx.rule};
    auto result = litelint::testing::check(model, options);

    std::vector<bool> matched(fx.expects.size(), false);
    for (const auto& finding : result.findings) {
      REQUIRE(finding.code == fx.rule);
      for (const auto& node : finding.nodes) {
        bool found = false;
        for (std::size_t i = 0; i < fx.expects.size(); ++i) {
          const auto& e = fx.expects[i];
          if (e.code != finding.code || e.node != node.name) continue;
          if (finding.cause.find(e.text) == std::string::npos) continue;
          if (!e.impact.empty() && e.impact != lr::to_string(finding.impact)) continue;
          matched[i] = true;
          found = true;
        }
        INFO("finding: " << finding.message << " [impact " << lr::to_string(finding.impact) << "]");
        CHECK(found);
        for (const auto& [none, line] : fx.expect_none) {
          INFO("EXPECT-NONE at line " << line);
          CHECK(node.name != none);
        }
      }
    }
    for (std::size_t i = 0; i < fx.expects.size(); ++i) {
      INFO("EXPECT at line " << fx.expects[i].line << ": " << fx.expects[i].code << " node="
                             << fx.expects[i].node << " \"" << fx.expects[i].text << "\"");
      CHECK(matched[i]);
    }
  }
}
