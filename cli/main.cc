// litelint: wires command-line arguments to the stages; holds no analysis logic.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "cli/commands.h"

namespace {

constexpr int kExitUsage = 2;

// Ends the process once a command has written everything, without running static
// destructors (protobuf's default instances, iostreams, locales): they only free memory the
// OS takes back anyway, and paging their code in costs more than the rest of a small run's
// shutdown. lld ends the same way (lld::exitLld). Sanitized builds return normally so that
// LeakSanitizer still checks at exit.
int finish(int code) {
#if defined(__SANITIZE_ADDRESS__)
  return code;
#else
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  std::_Exit(code);
#endif
}

}  // namespace

int main(int argc, char** argv) {
  try {
    CLI::App app{"litelint: will this TensorFlow model run on TensorFlow Lite (LiteRT)?", "litelint"};
    app.set_version_flag("--version", std::string("litelint ") + LITELINT_VERSION);
    app.require_subcommand(1);
    litelint::cli::CommandSet commands;
    litelint::cli::register_commands(app, commands, argc > 1 ? argv[1] : "");
    // CLI11 would show the top-level help for `litelint convert --help`; an unknown command
    // must say so, so that scripts can tell which commands this build has.
    const auto known = app.get_subcommands([&](CLI::App* sub) { return argc > 1 && sub->check_name(argv[1]); });
    if (argc > 1 && argv[1][0] != '-' && known.empty()) {
      std::fprintf(stderr, "litelint: error: unknown command '%s' (see litelint --help)\n", argv[1]);
      return kExitUsage;
    }
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
    return finish(commands.run());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "litelint: internal error: %s\n", e.what());
    return kExitUsage;
  }
}
