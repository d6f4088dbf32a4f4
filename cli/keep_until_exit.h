#pragma once

#include <memory>
#include <mutex>
#include <utility>
#include <vector>

namespace litelint::cli {

/// Hands `value` to the process: it is never destroyed, and the OS takes its memory back at
/// exit. For one-shot runs only, like clang's -disable-free: destroying a loaded graph node by
/// node (attr maps, strings, shapes) is ~10% of a `litelint check` of a vision model and buys
/// nothing just before exit. Batches do not use it, or their memory would add up.
template <class T>
void keep_until_exit(T&& value) {
  // Held from a never-destroyed list, so leak checkers see the objects as reachable.
  static auto* kept = new std::vector<std::shared_ptr<void>>();
  static std::mutex mutex;
  auto held = std::make_shared<std::decay_t<T>>(std::forward<T>(value));
  std::lock_guard lock(mutex);
  kept->push_back(std::move(held));
}

}  // namespace litelint::cli
