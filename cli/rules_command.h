#pragma once

#include "cli/commands.h"

namespace litelint::cli {

/// `litelint rules` lists every rule; `litelint explain CODE` prints one rule's docs.
void register_rules(CLI::App& app, CommandSet& commands);

}  // namespace litelint::cli
