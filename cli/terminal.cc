#include "cli/terminal.h"

#include <unistd.h>

#include <cstdio>

#include "cli/analyze_flags.h"

namespace litelint::cli {

bool interactive_terminal() { return isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1; }

Style Style::for_stdout() { return Style(color_wanted("auto")); }

std::string Style::wrap(std::string_view sgr, std::string_view s) const {
  if (!color_ || s.empty()) return std::string(s);
  return "\033[" + std::string(sgr) + "m" + std::string(s) + "\033[0m";
}

std::optional<std::string> ask(std::string_view prompt) {
  std::fwrite(prompt.data(), 1, prompt.size(), stdout);
  std::fflush(stdout);
  std::string line;
  // A line at a time (the terminal's own editing works, as in `git add -p`); stdin is a
  // terminal here, so a line is short.
  for (int c = std::fgetc(stdin); c != '\n'; c = std::fgetc(stdin)) {
    if (c == EOF) {
      if (line.empty()) return std::nullopt;
      break;
    }
    line.push_back(static_cast<char>(c));
  }
  const auto first = line.find_first_not_of(" \t\r");
  if (first == std::string::npos) return std::string();
  const auto last = line.find_last_not_of(" \t\r");
  return line.substr(first, last - first + 1);
}

}  // namespace litelint::cli
