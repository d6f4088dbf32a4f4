#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace litelint::cli {

/// The subcommand the user picked, ready to run once parsing succeeded.
struct CommandSet {
  std::function<int()> selected;
  int run() const { return selected ? selected() : 2; }
};

/// Adds every subcommand (inspect, ...) to `app`; each sets `commands.selected` when chosen.
void register_commands(CLI::App& app, CommandSet& commands);

/// Prints "litelint: error: <message>" on stderr and returns exit code 2.
int report_input_error(const std::string& message);

}  // namespace litelint::cli
