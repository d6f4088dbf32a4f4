#include "analyzer/loaders/keras/zip_archive.h"

#include <algorithm>
#include <cstring>

namespace litelint::analyzer::keras {
namespace {

constexpr std::uint32_t kEndOfCentralDir = 0x06054b50;
constexpr std::uint32_t kCentralHeader = 0x02014b50;
constexpr std::uint32_t kLocalHeader = 0x04034b50;
constexpr std::size_t kEndRecordSize = 22;
constexpr std::uint32_t kZip64Marker = 0xffffffff;

std::uint16_t u16(std::string_view s, std::size_t at) {
  return static_cast<std::uint16_t>(static_cast<unsigned char>(s[at]) |
                                    (static_cast<unsigned char>(s[at + 1]) << 8));
}
std::uint32_t u32(std::string_view s, std::size_t at) {
  return static_cast<std::uint32_t>(u16(s, at)) | (static_cast<std::uint32_t>(u16(s, at + 2)) << 16);
}
std::uint64_t u64(std::string_view s, std::size_t at) {
  return static_cast<std::uint64_t>(u32(s, at)) | (static_cast<std::uint64_t>(u32(s, at + 4)) << 32);
}

tl::unexpected<Error> bad(const std::filesystem::path& path, std::string what) {
  return tl::unexpected<Error>(Error(ErrorCode::BadInput, std::move(what)).in_file(path.string()));
}

// Zip64 extra field (id 1): the 64-bit values for the fields that hold 0xffffffff, in order.
void apply_zip64(std::string_view extra, ZipMember& m, bool size_big, bool csize_big, bool offset_big) {
  std::size_t i = 0;
  while (i + 4 <= extra.size()) {
    const std::uint16_t id = u16(extra, i);
    const std::uint16_t len = u16(extra, i + 2);
    if (i + 4 + len > extra.size()) return;
    if (id == 1) {
      std::size_t at = i + 4;
      const std::size_t end = at + len;
      if (size_big && at + 8 <= end) { m.size = u64(extra, at); at += 8; }
      if (csize_big && at + 8 <= end) { m.compressed_size = u64(extra, at); at += 8; }
      if (offset_big && at + 8 <= end) m.local_header_offset = u64(extra, at);
      return;
    }
    i += 4 + len;
  }
}

}  // namespace

Expected<ZipArchive> ZipArchive::open(const std::filesystem::path& path) {
  auto mapped = MappedFile::open(path);
  if (!mapped) return unexpected(mapped.error());
  ZipArchive zip;
  zip.path_ = path;
  zip.file_ = *mapped;
  const std::string_view s = zip.file_->view();
  if (s.size() < kEndRecordSize) return bad(path, "zip archive is truncated (no end of central directory)");
  // The end record sits in the last 22 bytes plus an optional comment of up to 64 KB.
  std::size_t end = std::string_view::npos;
  const std::size_t lowest = s.size() > kEndRecordSize + 0xffff ? s.size() - kEndRecordSize - 0xffff : 0;
  for (std::size_t i = s.size() - kEndRecordSize + 1; i-- > lowest;) {
    if (u32(s, i) == kEndOfCentralDir) {
      end = i;
      break;
    }
  }
  if (end == std::string_view::npos) {
    return bad(path, "zip archive is truncated or damaged (no end of central directory record)");
  }
  std::uint64_t count = u16(s, end + 10);
  std::uint64_t dir_size = u32(s, end + 12);
  std::uint64_t dir_offset = u32(s, end + 16);
  if (dir_offset == kZip64Marker || count == 0xffff) {
    // Zip64 end locator (20 bytes) right before the end record points at the zip64 record.
    if (end < 20 || u32(s, end - 20) != 0x07064b50) return bad(path, "zip64 archive without its locator");
    const std::uint64_t rec = u64(s, end - 20 + 8);
    if (rec + 56 > s.size() || u32(s, rec) != 0x06064b50) return bad(path, "damaged zip64 end record");
    count = u64(s, rec + 32);
    dir_size = u64(s, rec + 40);
    dir_offset = u64(s, rec + 48);
  }
  if (dir_offset > s.size() || dir_size > s.size() - dir_offset) {
    return bad(path, "zip central directory lies outside the file (truncated archive?)");
  }
  std::size_t at = dir_offset;
  const std::size_t dir_end = dir_offset + dir_size;
  for (std::uint64_t k = 0; k < count; ++k) {
    if (at + 46 > dir_end || u32(s, at) != kCentralHeader) return bad(path, "damaged zip central directory");
    ZipMember m;
    m.method = u16(s, at + 10);
    m.compressed_size = u32(s, at + 20);
    m.size = u32(s, at + 24);
    const std::size_t name_len = u16(s, at + 28);
    const std::size_t extra_len = u16(s, at + 30);
    const std::size_t comment_len = u16(s, at + 32);
    m.local_header_offset = u32(s, at + 42);
    if (at + 46 + name_len + extra_len + comment_len > dir_end) return bad(path, "damaged zip central directory");
    m.name = std::string(s.substr(at + 46, name_len));
    apply_zip64(s.substr(at + 46 + name_len, extra_len), m, m.size == kZip64Marker,
                m.compressed_size == kZip64Marker, m.local_header_offset == kZip64Marker);
    zip.members_.push_back(std::move(m));
    at += 46 + name_len + extra_len + comment_len;
  }
  return zip;
}

const ZipMember* ZipArchive::find(std::string_view name) const {
  auto it = std::find_if(members_.begin(), members_.end(), [&](const ZipMember& m) { return m.name == name; });
  return it == members_.end() ? nullptr : &*it;
}

Expected<std::span<const std::byte>> ZipArchive::bytes(const ZipMember& m) const {
  const std::string_view s = file_->view();
  const std::uint64_t at = m.local_header_offset;
  if (at > s.size() || s.size() - at < 30 || u32(s, at) != kLocalHeader) {
    return bad(path_, "zip member '" + m.name + "' has no local header (truncated archive?)");
  }
  const std::uint64_t data = at + 30 + u16(s, at + 26) + u16(s, at + 28);
  if (data > s.size() || m.compressed_size > s.size() - data) {
    return bad(path_, "zip member '" + m.name + "' runs past the end of the file (truncated archive?)");
  }
  if (m.method != 0) {
    return tl::unexpected<Error>(Error(ErrorCode::Unsupported,
                                       "zip member '" + m.name + "' is compressed (method " +
                                           std::to_string(m.method) +
                                           "); Keras writes .keras archives uncompressed")
                                     .in_file(path_.string()));
  }
  if (m.size != m.compressed_size) return bad(path_, "zip member '" + m.name + "' has inconsistent sizes");
  return file_->bytes().subspan(data, m.compressed_size);
}

}  // namespace litelint::analyzer::keras
