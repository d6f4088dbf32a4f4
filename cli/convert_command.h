#pragma once

#include "cli/commands.h"

namespace litelint::cli {

/// `litelint convert MODEL -o OUT.tflite [--target T] ...`: check, then write the .tflite.
void register_convert(CLI::App& app, CommandSet& commands);

}  // namespace litelint::cli
