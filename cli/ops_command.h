#pragma once

#include "cli/commands.h"

namespace litelint::cli {

/// `litelint ops [NAME] [--format text|json]`: is this TF op or TFLite builtin supported?
void register_ops(CLI::App& app, CommandSet& commands);

}  // namespace litelint::cli
