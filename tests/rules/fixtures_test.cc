#include <algorithm>
#include <filesystem>
#include <fstream>
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
  litelint::footprint::Budgets budgets;  ///< "# BUDGET: max-macs=1000"
  std::vector<Expect> expects;
  std::vector<std::pair<std::string, int>> expect_none;  // node, line
};

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r')) s.pop_back();
  while (!s.empty() && s.front() == ' ') s.erase(s.begin());
  return s;
}

// Splits off the next whitespace-separated word of `rest`.
std::string next_word(std::string& rest) {
  rest = trim(rest);
  auto end = rest.find(' ');
  std::string word = rest.substr(0, end);
  rest = end == std::string::npos ? std::string() : rest.substr(end);
  return word;
}

// "# EXPECT: LL101 node=x [impact=flex] \"text\"" (std::regex is avoided: GCC 12 warns inside
// it under the sanitizers).
bool parse_expect(std::string rest, Expect& e) {
  e.code = next_word(rest);
  if (e.code.size() != 5 || e.code.rfind("LL", 0) != 0) return false;
  std::string node = next_word(rest);
  if (node.rfind("node=", 0) != 0 || node.size() == 5) return false;
  e.node = node.substr(5);
  rest = trim(rest);
  if (rest.rfind("impact=", 0) == 0) e.impact = next_word(rest).substr(7);
  rest = trim(rest);
  if (rest.size() < 2 || rest.front() != '"') return false;
  auto close = rest.find('"', 1);
  if (close == std::string::npos) return false;
  e.text = rest.substr(1, close - 1);
  return true;
}

Fixture parse_fixture(const fs::path& path) {
  Fixture f;
  f.path = path;
  std::ifstream in(path);
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.rfind("# RULE:", 0) == 0) {
      std::istringstream words(line.substr(7));
      words >> f.rule;
    } else if (line.rfind("# TARGET:", 0) == 0) {
      f.target = trim(line.substr(9));
    } else if (line.rfind("# OUTPUTS:", 0) == 0) {
      std::istringstream items(trim(line.substr(10)));
      std::string item;
      while (std::getline(items, item, ',')) f.outputs.push_back(trim(item));
    } else if (line.rfind("# BUDGET:", 0) == 0) {
      const std::string spec = trim(line.substr(9));
      const auto eq = spec.find('=');
      auto value = litelint::footprint::parse_budget(spec.substr(eq + 1), spec.substr(0, eq));
      if (eq == std::string::npos || !value) FAIL(path.string() << ":" << n << ": malformed budget: " << line);
      const std::string key = spec.substr(0, eq);
      (key == "max-weight-bytes" ? f.budgets.max_weight_bytes
       : key == "max-macs"       ? f.budgets.max_macs
                                 : f.budgets.max_activation_bytes) = *value;
    } else if (line.rfind("# EXPECT:", 0) == 0) {
      Expect e;
      e.line = n;
      if (!parse_expect(line.substr(9), e)) {
        FAIL(path.string() << ":" << n << ": malformed expectation: " << line);
      }
      f.expects.push_back(e);
    } else if (line.rfind("# EXPECT-NONE:", 0) == 0) {
      std::string rest = line.substr(14);
      std::string node = next_word(rest);
      if (node.rfind("node=", 0) != 0 || node.size() == 5) {
        FAIL(path.string() << ":" << n << ": malformed expectation: " << line);
      }
      f.expect_none.emplace_back(node.substr(5), n);
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
    options.budgets = fx.budgets;
    options.select = {fx.rule};
    // As rules::analyze sets it: fixtures are GraphDefs, which TensorFlow's importer reads.
    options.read_by_tensorflow = model.format != litelint::ir::Format::GraphModel;
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
