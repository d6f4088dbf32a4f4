#pragma once

#include <memory>
#include <utility>

namespace litelint::ir {

/// A value of type T kept on the heap, with value semantics (copies copy the T). Used for the
/// large alternatives of AttrValue: std::variant is as big as its largest member, and a
/// list-valued attr (eight vectors) made every attribute of every node 216 bytes; boxed, the
/// common scalar attrs take 40 and a large model's graph about half the memory.
template <typename T>
class Box {
 public:
  Box(T value) : ptr_(std::make_unique<T>(std::move(value))) {}  // NOLINT: implicit, as T
  Box(const Box& other) : ptr_(std::make_unique<T>(*other)) {}
  Box(Box&&) noexcept = default;
  Box& operator=(const Box& other) {
    if (this != &other) ptr_ = std::make_unique<T>(*other);
    return *this;
  }
  Box& operator=(Box&&) noexcept = default;
  ~Box() = default;

  /// Null only after the Box was moved from.
  const T* get() const { return ptr_.get(); }
  T* get() { return ptr_.get(); }
  const T& operator*() const { return *ptr_; }
  T& operator*() { return *ptr_; }
  const T* operator->() const { return ptr_.get(); }
  T* operator->() { return ptr_.get(); }

 private:
  std::unique_ptr<T> ptr_;
};

}  // namespace litelint::ir
