#include <filesystem>
#include <fstream>
#include <iterator>
#include <cctype>
#include <set>
#include <string>

#include <catch2/catch.hpp>

#include "rules/engine/registry.h"

namespace fs = std::filesystem;
namespace lr = litelint::rules;

TEST_CASE("rules have unique, sorted codes and kebab-case names", "[rules][registry]") {
  auto rules = lr::all_rules();
  REQUIRE(rules.size() >= 15);
  std::set<std::string> codes, names;
  std::string previous;
  // LL + area digit (1-5 or 9) + two digits; names kebab-case.
  auto valid_code = [](std::string_view c) {
    return c.size() == 5 && c.substr(0, 2) == "LL" && std::string_view("123459").find(c[2]) !=
           std::string_view::npos && std::isdigit(static_cast<unsigned char>(c[3])) &&
           std::isdigit(static_cast<unsigned char>(c[4]));
  };
  auto valid_name = [](std::string_view n) {
    if (n.empty() || n.front() == '-' || n.back() == '-' || n.find("--") != std::string_view::npos) {
      return false;
    }
    for (char ch : n) {
      if (!(std::islower(static_cast<unsigned char>(ch)) ||
            std::isdigit(static_cast<unsigned char>(ch)) || ch == '-')) {
        return false;
      }
    }
    return true;
  };
  for (const auto& r : rules) {
    auto info = r->info();
    INFO(info.code << " " << info.name);
    CHECK(valid_code(info.code));
    CHECK(valid_name(info.name));
    CHECK_FALSE(std::string(info.name).starts_with("no-"));
    CHECK_FALSE(std::string(info.name).starts_with("avoid-"));
    CHECK(codes.insert(std::string(info.code)).second);
    CHECK(names.insert(std::string(info.name)).second);
    CHECK(std::string(info.code) > previous);
    previous = std::string(info.code);
    // Summaries follow the message style: lower-case start, no final period.
    REQUIRE_FALSE(info.summary.empty());
    // Acronyms ("TF1", "GPU") may start it.
    CHECK((std::islower(static_cast<unsigned char>(info.summary[0])) ||
           (info.summary.size() > 1 && std::isupper(static_cast<unsigned char>(info.summary[1])))));
    CHECK(info.summary.back() != '.');
  }
  CHECK(lr::find_rule("LL101") == lr::find_rule("select-tf-op"));
  CHECK(lr::find_rule("LL999") == nullptr);
}

TEST_CASE("every rule's doc has the four headings in order", "[rules][registry]") {
  for (const auto& r : lr::all_rules()) {
    auto info = r->info();
    INFO(info.code);
    std::string doc(info.doc);
    std::size_t last = 0;
    for (const char* h : {"## What it does", "## Why is this bad?", "## Example", "## Fix"}) {
      auto at = doc.find(std::string(h) + "\n");
      CHECK(at != std::string::npos);
      if (at == std::string::npos) continue;
      CHECK(at >= last);
      last = at;
    }
    const bool unsafe = info.fix != lr::FixAvailability::None &&
                        info.fix_safety != lr::Applicability::Safe;
    CHECK((doc.find("## Fix safety") != std::string::npos) == unsafe);
  }
}

TEST_CASE("every rule has a fixture beside its source naming it", "[rules][registry]") {
  std::set<std::string> with_fixture;
  const fs::path root = fs::path(LITELINT_SOURCE_ROOT) / "rules" / "checks";
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    const auto file = e.path().filename().string();
    if (!file.ends_with(".test.pbtxt")) continue;
    // The fixture sits beside the rule's source file of the same stem.
    auto source = e.path();
    source.replace_filename(file.substr(0, file.size() - 11) + ".cc");
    INFO(e.path().string());
    CHECK(fs::exists(source));
    std::ifstream in(e.path());
    std::string line;
    while (std::getline(in, line)) {
      if (line.rfind("# RULE:", 0) == 0) with_fixture.insert(line.substr(8, 5));
    }
  }
  // Rules over .tflite models (rules/tflite/) build their fixtures as FlatBuffers in their
  // Catch2 tests, which name the rules they cover with "RULE: LLnnn" markers.
  for (const auto& e : fs::directory_iterator(fs::path(LITELINT_SOURCE_ROOT) / "tests" / "rules" / "tflite")) {
    std::ifstream in(e.path());
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (auto at = text.find("RULE: LL"); at != std::string::npos; at = text.find("RULE: LL", at + 1)) {
      with_fixture.insert(text.substr(at + 6, 5));
    }
  }
  for (const auto& r : lr::all_rules()) {
    INFO(r->info().code);
    CHECK(with_fixture.count(std::string(r->info().code)) == 1);
  }
}
