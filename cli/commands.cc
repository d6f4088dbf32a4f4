#include "cli/commands.h"

#include <array>
#include <cstdio>

#include "cli/check_command.h"
#include "cli/convert_command.h"
#include "cli/fix_command.h"
#include "cli/inspect_command.h"
#include "cli/ops_command.h"
#include "cli/rules_command.h"

namespace litelint::cli {

int report_input_error(const std::string& message) {
  std::fprintf(stderr, "litelint: error: %s\n", message.c_str());
  return 2;
}

void register_commands(CLI::App& app, CommandSet& commands, std::string_view first_arg) {
  struct Entry {
    std::array<std::string_view, 2> names;  // the subcommands `add` defines
    void (*add)(CLI::App&, CommandSet&);
  };
  static constexpr Entry kCommands[] = {
      {{"check"}, register_check},
      {{"convert"}, register_convert},
      {{"fix"}, register_fix},
      {{"inspect"}, register_inspect},
      {{"ops"}, register_ops},
      {{"rules", "explain"}, register_rules},
  };
  // Building every command's options was ~5% of a small model's `check`; when the first
  // argument picks a command, the others are not needed (help for the whole tool, an unknown
  // command or a top-level flag still get them all).
  for (const auto& entry : kCommands) {
    for (const auto name : entry.names) {
      if (!name.empty() && name == first_arg) {
        entry.add(app, commands);
        return;
      }
    }
  }
  for (const auto& entry : kCommands) entry.add(app, commands);
}

}  // namespace litelint::cli
