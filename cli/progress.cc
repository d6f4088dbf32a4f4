#include "cli/progress.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>

namespace litelint::cli {

Progress::Progress(std::size_t total, bool enabled) : total_(total), enabled_(enabled && total > 1) {}

bool Progress::wanted() {
  const char* ci = std::getenv("CI");
  return isatty(STDERR_FILENO) == 1 && (ci == nullptr || *ci == '\0');
}

void Progress::tick(const std::string& label) {
  std::lock_guard lock(mutex_);
  ++done_;
  if (!enabled_) return;
  constexpr std::size_t kWidth = 30;
  const std::size_t filled = total_ == 0 ? kWidth : done_ * kWidth / total_;
  std::string bar(filled, '=');
  if (filled < kWidth) bar += '>' + std::string(kWidth - filled - 1, ' ');
  std::string shown = label.size() > 40 ? "..." + label.substr(label.size() - 37) : label;
  std::fprintf(stderr, "\r\x1b[2K[%s] %zu/%zu %s", bar.c_str(), done_, total_, shown.c_str());
  std::fflush(stderr);
}

void Progress::finish() {
  std::lock_guard lock(mutex_);
  if (!enabled_) return;
  std::fprintf(stderr, "\r\x1b[2K");
  std::fflush(stderr);
}

}  // namespace litelint::cli
