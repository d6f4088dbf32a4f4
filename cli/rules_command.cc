#include "cli/rules_command.h"

#include <fmt/format.h>

#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/did_you_mean.h"
#include "rules/engine/registry.h"
#include "rules/engine/rule.h"

namespace litelint::cli {
namespace {

int run_rules(const std::string& format) {
  std::string out;
  if (format == "json") {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& rule : rules::all_rules()) {
      const auto info = rule->info();
      list.push_back({{"code", info.code},
                      {"name", info.name},
                      {"severity", rules::to_string(info.severity)},
                      {"summary", info.summary}});
    }
    out = list.dump(2) + "\n";
  } else {
    for (const auto& rule : rules::all_rules()) {
      const auto info = rule->info();
      out += fmt::format("{}  {:<28} {:<8} {}\n", info.code, info.name, rules::to_string(info.severity),
                         info.summary);
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
  const std::string out = fmt::format("# {} {}\n\n{} (default severity: {})\n{}", info.code, info.name,
                                      info.summary, rules::to_string(info.severity), info.doc);
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}

}  // namespace

void register_rules(CLI::App& app, CommandSet& commands) {
  auto format = std::make_shared<std::string>("text");
  auto* list = app.add_subcommand("rules", "list every rule with its code, name and default severity");
  list->add_option("--format", *format, "output format")->check(CLI::IsMember({"text", "json"}));
  list->callback([format, &commands] { commands.selected = [format] { return run_rules(*format); }; });

  auto code = std::make_shared<std::string>();
  auto* explain = app.add_subcommand("explain", "print a rule's documentation");
  explain->add_option("code", *code, "rule code (LL101) or name")->required();
  explain->callback([code, &commands] { commands.selected = [code] { return run_explain(*code); }; });
}

}  // namespace litelint::cli
