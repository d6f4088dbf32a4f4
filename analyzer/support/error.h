#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace litelint {

/// What kind of problem an Error reports; the CLI maps every input problem to exit code 2.
enum class ErrorCode {
  BadInput,     ///< the file exists but its content is not a valid model
  NotFound,     ///< a file the model needs is missing
  Unsupported,  ///< a recognised format that litelint does not read (yet)
  Io,           ///< the operating system refused a read
  Usage,        ///< bad command-line or configuration value
  Internal,     ///< a litelint bug surfaced as a value
};

/// One-line description of why an operation failed, with the place it failed at.
class Error {
 public:
  Error(ErrorCode code, std::string reason) : code_(code), reason_(std::move(reason)) {}

  ErrorCode code() const { return code_; }
  const std::string& reason() const { return reason_; }
  const std::string& file() const { return file_; }
  std::optional<std::uint64_t> offset() const { return offset_; }

  /// Attaches the file the problem is in, unless a more specific one is already set.
  Error&& in_file(const std::string& file) && {
    if (file_.empty()) file_ = file;
    return std::move(*this);
  }
  /// Attaches a byte offset inside the file.
  Error&& at_offset(std::uint64_t offset) && {
    if (!offset_) offset_ = offset;
    return std::move(*this);
  }
  /// Prefixes the reason with context, e.g. "node 'x': ".
  Error&& with_context(const std::string& context) && {
    reason_ = context + ": " + reason_;
    return std::move(*this);
  }

  /// "<file>: <reason>" (plus " (at byte N)"), the form the CLI prints.
  std::string message() const;

 private:
  ErrorCode code_;
  std::string reason_;
  std::string file_;
  std::optional<std::uint64_t> offset_;
};

}  // namespace litelint
