// Every fix's fixture (rules/checks/**/*_fix.fixture.pbtxt): the graph before, and in
// comments what `litelint fix --unsafe-fixes` must leave: the operators, dtypes and shapes of
// named nodes, and the findings that remain with why no fix took them.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "analyzer/ir/dtype.h"
#include "rules/engine/fix_apply.h"
#include "tests/rules/fixture_support.h"

namespace fs = std::filesystem;
namespace lr = litelint::rules;
namespace ir = litelint::ir;

namespace {

struct Remains {
  std::string code;
  std::string why;
};

struct FixFixture {
  fs::path path;
  std::string fix;
  std::vector<std::string> outputs;
  int applied = -1;
  std::vector<std::string> ops_after;
  std::vector<std::pair<std::string, std::string>> dtypes_after;  // node, dtype name
  std::vector<std::pair<std::string, std::string>> shapes_after;  // node, "[1,2]"
  std::vector<Remains> remains;
  bool remains_none = false;
};

std::vector<std::string> words(const std::string& text, char sep = ' ') {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string w;
  while (std::getline(in, w, sep)) {
    if (!w.empty()) out.push_back(w);
  }
  return out;
}

std::string after(const std::string& line, const std::string& key) {
  std::string rest = line.substr(key.size());
  while (!rest.empty() && rest.front() == ' ') rest.erase(rest.begin());
  return rest;
}

FixFixture parse(const fs::path& path) {
  FixFixture f;
  f.path = path;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("# FIX:", 0) == 0) {
      f.fix = words(after(line, "# FIX:")).front();
    } else if (line.rfind("# OUTPUTS:", 0) == 0) {
      f.outputs = words(after(line, "# OUTPUTS:"), ',');
    } else if (line.rfind("# APPLIED:", 0) == 0) {
      f.applied = std::stoi(after(line, "# APPLIED:"));
    } else if (line.rfind("# OPS-AFTER:", 0) == 0) {
      f.ops_after = words(after(line, "# OPS-AFTER:"));
    } else if (line.rfind("# DTYPE-AFTER:", 0) == 0 || line.rfind("# SHAPE-AFTER:", 0) == 0) {
      const bool dtype = line.rfind("# DTYPE-AFTER:", 0) == 0;
      for (const auto& w : words(after(line, dtype ? "# DTYPE-AFTER:" : "# SHAPE-AFTER:"))) {
        const auto eq = w.find('=');
        REQUIRE(eq != std::string::npos);
        (dtype ? f.dtypes_after : f.shapes_after).emplace_back(w.substr(0, eq), w.substr(eq + 1));
      }
    } else if (line.rfind("# REMAINS:", 0) == 0) {
      const std::string rest = after(line, "# REMAINS:");
      if (rest == "none") {
        f.remains_none = true;
        continue;
      }
      const auto q = rest.find('"');
      REQUIRE(q != std::string::npos);
      f.remains.push_back({words(rest.substr(0, q)).front(), rest.substr(q + 1, rest.rfind('"') - q - 1)});
    }
  }
  return f;
}

std::vector<fs::path> fixture_paths() {
  std::vector<fs::path> paths;
  for (const auto& e : fs::recursive_directory_iterator(fs::path(LITELINT_SOURCE_ROOT) / "rules" / "checks")) {
    if (e.path().filename().string().ends_with("_fix.fixture.pbtxt")) paths.push_back(e.path());
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

}  // namespace

TEST_CASE("every fix has a fixture beside its rule", "[rules][fix]") {
  std::vector<std::string> covered;
  for (const auto& p : fixture_paths()) covered.push_back(parse(p).fix);
  for (const auto& fix : lr::all_fixes()) {
    INFO(fix->info().id);
    CHECK(std::find(covered.begin(), covered.end(), fix->info().id) != covered.end());
  }
}

TEST_CASE("fix fixtures: the graph after the fix has the expected operators", "[rules][fix]") {
  const auto paths = fixture_paths();
  REQUIRE(paths.size() >= 3);
  for (const auto& path : paths) {
    const FixFixture fx = parse(path);
    INFO(path.string());
    REQUIRE(!fx.fix.empty());
    REQUIRE(lr::find_fix(fx.fix) != nullptr);
    const ir::Model model = litelint::testing::load_model(path);
    lr::AnalyzeOptions options;
    options.lint.outputs = fx.outputs;
    lr::FixPolicy policy;
    policy.unsafe_fixes = true;
    auto run = lr::run_fixes(model, options, policy, {});
    REQUIRE(run);

    int applied = 0;
    for (const auto& r : run->records) {
      if (r.accepted && r.match.fix_id == fx.fix) ++applied;
    }
    if (fx.applied >= 0) CHECK(applied == fx.applied);

    const ir::Graph& g = run->after.model.graph();
    if (!fx.ops_after.empty()) {
      std::vector<std::string> ops;
      for (const auto& n : g.nodes.nodes()) ops.push_back(n.op);
      std::sort(ops.begin(), ops.end());
      auto expected = fx.ops_after;
      std::sort(expected.begin(), expected.end());
      CHECK(ops == expected);
    }
    for (const auto& [node, dtype] : fx.dtypes_after) {
      const ir::Node* n = g.nodes.find(node);
      INFO("node " << node);
      REQUIRE(n != nullptr);
      REQUIRE(!n->outputs.empty());
      CHECK(ir::dtype_name(n->outputs[0].dtype) == dtype);
    }
    for (const auto& [node, shape] : fx.shapes_after) {
      const ir::Node* n = g.nodes.find(node);
      INFO("node " << node);
      REQUIRE(n != nullptr);
      REQUIRE(!n->outputs.empty());
      CHECK(n->outputs[0].shape.to_string() == shape);
    }
    if (fx.remains_none) CHECK(run->unfixed.empty());
    for (const auto& r : fx.remains) {
      const bool found = std::any_of(run->unfixed.begin(), run->unfixed.end(), [&](const lr::Unfixed& u) {
        return u.code == r.code && u.why.find(r.why) != std::string::npos;
      });
      INFO("remains " << r.code << " \"" << r.why << "\"");
      CHECK(found);
    }
    // The loaded model is never touched: the rewrite ran on a copy.
    CHECK(model.graph().nodes.size() != g.nodes.size());
  }
}
