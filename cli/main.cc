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
#include "cli/did_you_mean.h"

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

// The "Usage: ..." line of the command the user picked (or of the tool), printed after a parse
// error so that a missing or malformed argument shows what the command takes.
std::string usage_line(CLI::App& app, const std::vector<CLI::App*>& picked) {
  CLI::App* target = picked.empty() ? &app : picked.front();
  const std::string help = target->help();
  const auto start = help.find("Usage:");
  if (start == std::string::npos) return {};
  std::string line = help.substr(start, help.find('\n', start) - start);
  // A subcommand's help names only itself ("Usage: check ..."): say the whole command.
  if (target != &app) line.insert(std::string_view("Usage: ").size(), "litelint ");
  return line;
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
      std::vector<std::string> names;
      for (const auto* sub : app.get_subcommands({})) names.push_back(sub->get_name());
      std::fprintf(stderr, "litelint: error: %s\n",
                   litelint::cli::unknown_name_message("command", argv[1], names, "see litelint --help").c_str());
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
      const std::string usage = usage_line(app, known);
      if (!usage.empty()) {
        std::fprintf(stderr, "%s\nRun '%s --help' for more information.\n", usage.c_str(),
                     known.empty() ? "litelint" : ("litelint " + known.front()->get_name()).c_str());
      }
      return kExitUsage;
    }
    return finish(commands.run());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "litelint: internal error: %s\n", e.what());
    return kExitUsage;
  }
}
