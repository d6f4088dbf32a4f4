#pragma once

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <span>
#include <string_view>

#include "analyzer/support/expected.h"

namespace litelint::cli {

/// A file written in two steps so that a reader (or a failed run) never sees a partial one:
/// write() (or append() piece by piece) puts the bytes in a temporary file beside the target,
/// commit() renames it over the target. Dropped without commit(), it removes the temporary
/// file and leaves the target as it was; several outputs can thus all be written before any of
/// them replaces its target.
class StagedFile {
 public:
  /// `what` words the errors: "<path>: cannot write <what>: <strerror>".
  explicit StagedFile(std::filesystem::path path, std::string_view what = "file");
  ~StagedFile();
  StagedFile(const StagedFile&) = delete;
  StagedFile& operator=(const StagedFile&) = delete;

  /// Writes the whole temporary file. Call once, instead of append().
  Expected<void> write(std::span<const std::uint8_t> bytes);
  /// Adds bytes to the temporary file, creating it on the first call.
  Expected<void> append(std::span<const std::uint8_t> bytes);
  /// Closes the temporary file (creating it empty if nothing was appended) and renames it
  /// over the target.
  Expected<void> commit();

 private:
  Error failure() const;
  Expected<void> close();

  std::filesystem::path path_;
  std::filesystem::path tmp_;
  std::string_view what_;
  std::FILE* file_ = nullptr;
  bool staged_ = false;
};

/// Writes a whole file through a StagedFile. Errors name the file and say "cannot write <what>".
Expected<void> write_file_atomically(const std::filesystem::path& path,
                                     std::span<const std::uint8_t> bytes,
                                     std::string_view what = "file");

/// A report's text, written as above.
Expected<void> write_file_atomically(const std::filesystem::path& path, std::string_view content);

/// The bytes of a string, for write().
inline std::span<const std::uint8_t> as_bytes(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

}  // namespace litelint::cli
