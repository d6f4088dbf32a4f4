#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>

#include "analyzer/support/expected.h"

namespace litelint {

/// A read-only memory mapping of a whole file. Model bytes are mapped, not copied, so that
/// loading a large model costs page faults only for the parts a pass actually reads.
class MappedFile {
 public:
  /// How the caller will touch the mapping.
  enum class Access {
    Normal,  ///< the kernel's usual readahead around each page touched
    Random,  ///< single ranges on demand (checkpoint shards): no readahead past them
  };

  /// Maps `path` read-only. Empty files map to an empty span.
  static Expected<std::shared_ptr<const MappedFile>> open(const std::filesystem::path& path,
                                                          Access access = Access::Normal);

  /// Asks the kernel to read [offset, offset + size) now, in one request, before the caller
  /// touches it; for a Random mapping that is a few large reads instead of one per page.
  void will_need(std::size_t offset, std::size_t size) const;

  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  std::span<const std::byte> bytes() const { return {data_, size_}; }
  std::string_view view() const { return {reinterpret_cast<const char*>(data_), size_}; }
  std::size_t size() const { return size_; }
  const std::filesystem::path& path() const { return path_; }

 private:
  MappedFile() = default;
  const std::byte* data_ = nullptr;
  std::size_t size_ = 0;
  std::filesystem::path path_;
};

/// Reads up to `max_bytes` of a file into a string; a larger file is an error, so a hostile
/// input cannot make litelint allocate without bound.
Expected<std::string> read_file(const std::filesystem::path& path,
                                std::uint64_t max_bytes = std::uint64_t{4} << 30);

/// Reads the first `n` bytes of a file (fewer if it is shorter).
Expected<std::string> read_prefix(const std::filesystem::path& path, std::size_t n);

}  // namespace litelint
