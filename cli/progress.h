#pragma once

#include <cstddef>
#include <mutex>
#include <string>

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

}  // namespace litelint::cli
