#pragma once

#include "cli/commands.h"

namespace litelint::cli {

/// `litelint check MODEL... [--target T] [--format text|json] ...`: will it convert, and why not.
void register_check(CLI::App& app, CommandSet& commands);

}  // namespace litelint::cli
