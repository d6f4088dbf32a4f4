#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string_view>

namespace litelint::cli {

/// The subcommand the user picked, ready to run once parsing succeeded.
struct CommandSet {
  std::function<int()> selected;
  int run() const { return selected ? selected() : 2; }
};

/// Adds the subcommands (check, inspect, ...) to `app`; each sets `commands.selected` when
/// chosen. Only the one `first_arg` names, when it names one (argv[1]); else all of them.
void register_commands(CLI::App& app, CommandSet& commands, std::string_view first_arg = {});

/// Prints "litelint: error: <message>" on stderr and returns exit code 2.
int report_input_error(const std::string& message);

}  // namespace litelint::cli
