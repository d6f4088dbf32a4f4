#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <string>
#include <thread>

namespace litelint::cli {

/// A one-line progress bar on stderr for batch runs: "[=====>    ] 12/80 path". Only on a
/// terminal and never in CI (CI set), so logs stay clean. Thread-safe.
class Progress {
 public:
  Progress(std::size_t total, bool enabled);
  /// Records one finished model.
  void tick(const std::string& label);
  /// Clears the bar.
  void finish();

  /// True when stderr is a terminal and CI is not set.
  static bool wanted();

 private:
  std::mutex mutex_;
  std::size_t total_;
  std::size_t done_ = 0;
  bool enabled_;
};

/// A status line for one long command, "litelint: converting model.pb: writing (2.4 s)", on
/// stderr: it appears only once the command has run for a second, so quick runs print
/// nothing, and only where Progress::wanted() (a terminal, CI unset). A thread of its own
/// redraws the elapsed time; none is started when disabled.
class StatusLine {
 public:
  StatusLine(std::string label, bool enabled);
  ~StatusLine();
  StatusLine(const StatusLine&) = delete;
  StatusLine& operator=(const StatusLine&) = delete;

  /// Names the stage now running.
  void stage(std::string name);
  /// Clears the line (if it was shown) and stops the thread; the destructor does it too.
  void finish();

 private:
  void run();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::string label_;
  std::string stage_;
  bool done_ = false;
  bool shown_ = false;
  std::chrono::steady_clock::time_point start_;
  std::thread thread_;
};

}  // namespace litelint::cli
