#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analyzer/support/expected.h"
#include "analyzer/support/file.h"

namespace litelint::analyzer {

/// A read-only LevelDB-layout table ("SSTable") as TensorFlow writes for checkpoint `.index`
/// files: footer, index block, data blocks with CRC-checked trailers. Blocks may be stored
/// raw or Snappy-compressed (TensorFlow before 1.2 compressed checkpoint indexes).
///
/// Every offset and length read from the file is checked against the mapping, so a corrupt
/// file yields an Error (with its byte offset), never an out-of-bounds read.
class SSTable {
 public:
  /// Receives one entry; both views are valid only during the call.
  using Visitor = std::function<Expected<void>(std::string_view key, std::string_view value)>;

  /// Reads and checks the footer and the index block of `file`.
  static Expected<SSTable> open(std::shared_ptr<const MappedFile> file);
  /// Maps `path` and opens it as a table.
  static Expected<SSTable> open(const std::filesystem::path& path);

  /// Visits every entry in key order, checking each data block's CRC on the way; stops at the
  /// first error the table or `visit` reports.
  Expected<void> for_each(const Visitor& visit) const;
  /// Every entry in key order.
  Expected<std::vector<std::pair<std::string, std::string>>> entries() const;
  /// The value stored under exactly `key`, or nullopt when there is none.
  Expected<std::optional<std::string>> find(std::string_view key) const;

  const std::filesystem::path& path() const { return file_->path(); }
  const std::shared_ptr<const MappedFile>& file() const { return file_; }

  /// Where a block lives: offset from the file start and size without its 5-byte trailer.
  struct BlockHandle {
    std::uint64_t offset = 0;
    std::uint64_t size = 0;
  };

 private:
  struct IndexEntry {
    std::string last_key;  ///< >= every key of the block, < every key of the next one
    BlockHandle block;
  };

  explicit SSTable(std::shared_ptr<const MappedFile> file) : file_(std::move(file)) {}

  std::shared_ptr<const MappedFile> file_;
  std::vector<IndexEntry> index_;
};

}  // namespace litelint::analyzer
