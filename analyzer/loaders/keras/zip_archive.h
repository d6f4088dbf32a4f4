#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "analyzer/support/expected.h"
#include "analyzer/support/file.h"

namespace litelint::analyzer::keras {

/// One member of a zip archive, as its central directory describes it.
struct ZipMember {
  std::string name;
  std::uint16_t method = 0;  ///< 0 stored, 8 deflate
  std::uint64_t compressed_size = 0;
  std::uint64_t size = 0;
  std::uint64_t local_header_offset = 0;
};

/// A memory-mapped zip archive read through its central directory. Keras writes `.keras`
/// files uncompressed (ZIP_STORED), so a member's bytes are a view into the mapping and the
/// weights file inside is never copied. Every offset is checked against the file size.
class ZipArchive {
 public:
  static Expected<ZipArchive> open(const std::filesystem::path& path);

  const std::vector<ZipMember>& members() const { return members_; }
  const ZipMember* find(std::string_view name) const;
  /// The bytes of a stored member; a compressed member is an Unsupported error.
  Expected<std::span<const std::byte>> bytes(const ZipMember& member) const;
  const std::shared_ptr<const MappedFile>& mapping() const { return file_; }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  std::shared_ptr<const MappedFile> file_;
  std::vector<ZipMember> members_;
};

}  // namespace litelint::analyzer::keras
