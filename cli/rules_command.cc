#include "cli/rules_command.h"

#include <fmt/format.h>

#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/did_you_mean.h"
#include "rules/engine/fix.h"
#include "rules/engine/registry.h"
#include "rules/engine/rule.h"

namespace litelint::cli {
namespace {

// "narrow-float64 (unsafe) — compute in float32 ...; changes: <tolerance>": one fix as `rules`
// and `explain` print it, so that a user sees what accepting it costs before running `fix`.
std::string fix_line(const rules::Fix& fix) {
  const auto info = fix.info();
  std::string line = fmt::format("{} ({}) — {}", info.id, rules::to_string(info.safety), info.title);
  if (!info.change.empty()) line += fmt::format("; changes: {}", info.change);
  return line;
}

nlohmann::json fixes_json(std::string_view code) {
  nlohmann::json out = nlohmann::json::array();
  for (const rules::Fix* fix : rules::fixes_for(code)) {
    const auto info = fix->info();
    out.push_back({{"id", info.id},
                   {"safety", rules::to_string(info.safety)},
                   {"title", info.title},
                   {"change", info.change}});
  }
  return out;
}

int run_rules(const std::string& format) {
  std::string out;
  if (format == "json") {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& rule : rules::all_rules()) {
      const auto info = rule->info();
      list.push_back({{"code", info.code},
                      {"name", info.name},
                      {"severity", rules::to_string(info.severity)},
                      {"summary", info.summary},
                      {"fixes", fixes_json(info.code)}});
    }
    out = list.dump(2) + "\n";
  } else {
    for (const auto& rule : rules::all_rules()) {
      const auto info = rule->info();
      out += fmt::format("{}  {:<28} {:<8} {}\n", info.code, info.name, rules::to_string(info.severity),
                         info.summary);
      // Indented under the rule: the fix ids and their safety, one per line.
      for (const rules::Fix* fix : rules::fixes_for(info.code)) out += "       fix: " + fix_line(*fix) + "\n";
    }
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}

int run_explain(const std::string& code) {
  const rules::Rule* rule = rules::find_rule(code);
  if (rule == nullptr) {
    std::vector<std::string> known;
    for (const auto& r : rules::all_rules()) {
      known.emplace_back(r->info().code);
      known.emplace_back(r->info().name);
    }
    return report_input_error(unknown_name_message("rule", code, known, "see litelint rules"));
  }
  const auto info = rule->info();
  std::string out = fmt::format("# {} {}\n\n{} (default severity: {})\n{}", info.code, info.name,
                                info.summary, rules::to_string(info.severity), info.doc);
  // From the fix registry rather than the doc, so a new fix shows here (and in docs/rules/,
  // which is this text) without editing the rule.
  const auto fixes = rules::fixes_for(info.code);
  if (!fixes.empty()) {
    out += "## Fixes offered by `litelint fix`\n";
    for (const rules::Fix* fix : fixes) out += "- Fix: " + fix_line(*fix) + "\n";
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}

}  // namespace

void register_rules(CLI::App& app, CommandSet& commands) {
  auto format = std::make_shared<std::string>("text");
  auto* list = app.add_subcommand("rules", "list every rule with its code, name, default severity and fixes");
  list->add_option("--format", *format, "output format")->check(CLI::IsMember({"text", "json"}));
  list->callback([format, &commands] { commands.selected = [format] { return run_rules(*format); }; });

  auto code = std::make_shared<std::string>();
  auto* explain = app.add_subcommand("explain", "print a rule's documentation");
  explain->add_option("code", *code, "rule code (LL101) or name")->required();
  explain->callback([code, &commands] { commands.selected = [code] { return run_explain(*code); }; });
}

}  // namespace litelint::cli
