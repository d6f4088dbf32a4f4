#pragma once

#include "cli/commands.h"

namespace litelint::cli {

/// `litelint inspect MODEL [--format text|json]`: what a model contains.
void register_inspect(CLI::App& app, CommandSet& commands);

}  // namespace litelint::cli
