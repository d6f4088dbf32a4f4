#include "cli/commands.h"

#include <cstdio>

#include "cli/check_command.h"
#include "cli/inspect_command.h"
#include "cli/ops_command.h"
#include "cli/rules_command.h"

namespace litelint::cli {

int report_input_error(const std::string& message) {
  std::fprintf(stderr, "litelint: error: %s\n", message.c_str());
  return 2;
}

void register_commands(CLI::App& app, CommandSet& commands) {
  register_check(app, commands);
  register_inspect(app, commands);
  register_ops(app, commands);
  register_rules(app, commands);
}

}  // namespace litelint::cli
