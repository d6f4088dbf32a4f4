#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace litelint::cli {

/// True when stdin and stdout are both terminals: a person can read the questions of
/// `fix -i` and answer them.
bool interactive_terminal();

/// ANSI colours for text a person reads on a terminal, or plain text.
class Style {
 public:
  explicit Style(bool color) : color_(color) {}
  /// Colours when stdout is a TTY and NO_COLOR is unset or empty (no-color.org).
  static Style for_stdout();

  bool color() const { return color_; }
  std::string bold(std::string_view s) const { return wrap("1", s); }
  std::string dim(std::string_view s) const { return wrap("2", s); }
  std::string red(std::string_view s) const { return wrap("31", s); }
  std::string green(std::string_view s) const { return wrap("32", s); }
  std::string yellow(std::string_view s) const { return wrap("33", s); }
  std::string blue(std::string_view s) const { return wrap("1;34", s); }

 private:
  std::string wrap(std::string_view sgr, std::string_view s) const;
  bool color_;
};

/// Prints `prompt` without a newline, flushes stdout, and reads one line from stdin,
/// without its line end and surrounding blanks. nullopt at end of input (Ctrl-D) or on a
/// read error: the caller treats it as "quit".
std::optional<std::string> ask(std::string_view prompt);

}  // namespace litelint::cli
