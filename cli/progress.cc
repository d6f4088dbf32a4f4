#include "cli/progress.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <utility>

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

StatusLine::StatusLine(std::string label, bool enabled)
    : label_(std::move(label)), start_(std::chrono::steady_clock::now()) {
  if (enabled) thread_ = std::thread([this] { run(); });
}

StatusLine::~StatusLine() { finish(); }

void StatusLine::stage(std::string name) {
  std::lock_guard lock(mutex_);
  stage_ = std::move(name);
}

void StatusLine::finish() {
  {
    std::lock_guard lock(mutex_);
    done_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void StatusLine::run() {
  using namespace std::chrono_literals;
  std::unique_lock lock(mutex_);
  // Models that take under a second print nothing at all.
  if (wake_.wait_until(lock, start_ + 1s, [this] { return done_; })) return;
  while (!done_) {
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start_;
    std::fprintf(stderr, "\r\x1b[2Klitelint: %s: %s (%.1f s)", label_.c_str(), stage_.c_str(),
                 elapsed.count());
    std::fflush(stderr);
    shown_ = true;
    wake_.wait_for(lock, 200ms, [this] { return done_; });
  }
  if (shown_) {
    std::fprintf(stderr, "\r\x1b[2K");
    std::fflush(stderr);
  }
}

}  // namespace litelint::cli
