// litelint: wires command-line arguments to the stages; holds no analysis logic.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "cli/commands.h"

namespace {

constexpr int kExitUsage = 2;

}  // namespace

int main(int argc, char** argv) {
  try {
    CLI::App app{"litelint: will this TensorFlow model run on TensorFlow Lite (LiteRT)?", "litelint"};
    app.set_version_flag("--version", std::string("litelint ") + LITELINT_VERSION);
    app.require_subcommand(1);
    litelint::cli::CommandSet commands;
    litelint::cli::register_commands(app, commands);
    try {
      app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
      return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
      return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
      return app.exit(e);
    } catch (const CLI::ParseError& e) {
      std::fprintf(stderr, "litelint: error: %s\n", e.what());
      return kExitUsage;
    }
    return commands.run();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "litelint: internal error: %s\n", e.what());
    return kExitUsage;
  }
}
