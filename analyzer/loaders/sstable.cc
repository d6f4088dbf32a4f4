#include "analyzer/loaders/sstable.h"

#include <cstring>
#include <optional>

#include "analyzer/support/crc32c.h"

namespace litelint::analyzer {
namespace {

constexpr std::size_t kFooterSize = 48;
constexpr std::size_t kHandlesSize = 40;  // two BlockHandles of at most 20 bytes, zero padded
constexpr std::size_t kTrailerSize = 5;   // compression type byte + masked CRC32C
constexpr std::uint64_t kTableMagic = 0xdb4775248b80fb57ull;
constexpr std::uint8_t kNoCompression = 0;
constexpr std::uint8_t kSnappyCompression = 1;

tl::unexpected<Error> corrupt(const MappedFile& file, std::uint64_t offset, std::string reason) {
  return tl::unexpected<Error>(
      Error(ErrorCode::BadInput, std::move(reason)).in_file(file.path().string()).at_offset(offset));
}

std::uint32_t load_le32(const char* p) {
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

// Decodes a little-endian base-128 varint of at most `max_bytes` bytes from `in`, advancing it.
// nullopt when the bytes run out, the varint is too long, or it overflows `bits`.
std::optional<std::uint64_t> read_varint(std::string_view& in, int bits) {
  std::uint64_t value = 0;
  const std::size_t max_bytes = static_cast<std::size_t>((bits + 6) / 7);
  for (std::size_t i = 0; i < max_bytes && i < in.size(); ++i) {
    const auto byte = static_cast<unsigned char>(in[i]);
    const std::uint64_t chunk = byte & 0x7Fu;
    const int shift = static_cast<int>(7 * i);
    if (shift + 7 > bits && (chunk >> (bits - shift)) != 0) return std::nullopt;  // overflow
    value |= chunk << shift;
    if ((byte & 0x80u) == 0) {
      in.remove_prefix(i + 1);
      return value;
    }
  }
  return std::nullopt;
}

// Decompresses a raw Snappy buffer (the format of snappy::RawCompress: varint32 length, then
// literal and copy elements). Output is bounded by the declared length, which is itself
// bounded by what `compressed` can expand to, so a hostile block cannot force a huge buffer.
Expected<std::string> snappy_uncompress(const MappedFile& file, std::uint64_t at,
                                        std::string_view compressed) {
  auto bad = [&](const std::string& why) {
    return corrupt(file, at, "corrupt Snappy-compressed block: " + why);
  };
  std::string_view in = compressed;
  const auto length = read_varint(in, 32);
  if (!length) return bad("bad length");
  // No element expands more than 64 bytes out of 3 bytes in.
  if (*length > 22 * std::uint64_t{compressed.size()}) return bad("implausible length");
  std::string out;
  out.reserve(static_cast<std::size_t>(*length));
  while (!in.empty()) {
    const auto tag = static_cast<unsigned char>(in[0]);
    in.remove_prefix(1);
    std::size_t len = 0;
    std::size_t offset = 0;
    auto take_le = [&](std::size_t n) -> std::optional<std::size_t> {
      if (in.size() < n) return std::nullopt;
      std::size_t v = 0;
      for (std::size_t i = 0; i < n; ++i) {
        v |= std::size_t{static_cast<unsigned char>(in[i])} << (8 * i);
      }
      in.remove_prefix(n);
      return v;
    };
    switch (tag & 3u) {
      case 0: {  // literal
        len = (tag >> 2) + 1u;
        if (len > 60) {
          const auto extra = take_le(len - 60);
          if (!extra) return bad("truncated literal length");
          len = *extra + 1;
        }
        if (len > in.size() || len > *length - out.size()) return bad("literal runs past the end");
        out.append(in.substr(0, len));
        in.remove_prefix(len);
        continue;
      }
      case 1: {
        const auto lo = take_le(1);
        if (!lo) return bad("truncated copy");
        len = ((tag >> 2) & 7u) + 4u;
        offset = ((std::size_t{tag} >> 5) << 8) | *lo;
        break;
      }
      case 2: {
        const auto v = take_le(2);
        if (!v) return bad("truncated copy");
        len = (tag >> 2) + 1u;
        offset = *v;
        break;
      }
      default: {
        const auto v = take_le(4);
        if (!v) return bad("truncated copy");
        len = (tag >> 2) + 1u;
        offset = *v;
        break;
      }
    }
    if (offset == 0 || offset > out.size()) return bad("copy from before the start");
    if (len > *length - out.size()) return bad("copy runs past the end");
    // Copies may overlap their own output (run-length style), so go byte by byte.
    const std::size_t from = out.size() - offset;
    for (std::size_t i = 0; i < len; ++i) out.push_back(out[from + i]);
  }
  if (out.size() != *length) return bad("decompressed size differs from the declared one");
  return out;
}

// One block's contents (without trailer), located in the file for error offsets. A
// decompressed block owns its bytes; a raw one views the mapping.
class Block {
 public:
  // Checks the restart array; the entries themselves are checked while iterating.
  static Expected<Block> parse(const MappedFile& file, std::uint64_t file_offset,
                               std::string_view mapped,
                               std::optional<std::string> decompressed = std::nullopt) {
    Block block;
    block.is_owned_ = decompressed.has_value();
    if (decompressed) block.owned_ = std::move(*decompressed);
    block.mapped_ = mapped;
    const std::string_view contents = block.contents();
    // Offsets inside a decompressed block are reported as the block's own offset.
    auto at = [&](std::size_t pos) { return file_offset + (block.is_owned_ ? 0 : pos); };
    if (contents.size() < 4) {
      return corrupt(file, at(0), "bad block contents: " + std::to_string(contents.size()) +
                                            " bytes cannot hold a restart count");
    }
    const std::uint32_t num_restarts = load_le32(contents.data() + contents.size() - 4);
    const std::size_t max_restarts = (contents.size() - 4) / 4;
    if (num_restarts > max_restarts) {
      return corrupt(file, at(contents.size() - 4),
                     "bad block contents: " + std::to_string(num_restarts) +
                         " restart points do not fit in a block of " +
                         std::to_string(contents.size()) + " bytes");
    }
    const std::size_t entries_end = contents.size() - 4 * (std::size_t{num_restarts} + 1);
    for (std::uint32_t i = 0; i < num_restarts; ++i) {
      const std::size_t where = entries_end + 4 * std::size_t{i};
      const std::uint32_t restart = load_le32(contents.data() + where);
      if (restart > entries_end || (restart == entries_end && entries_end != 0)) {
        return corrupt(file, at(where),
                       "bad block contents: restart point " + std::to_string(restart) +
                           " is outside the " + std::to_string(entries_end) + " entry bytes");
      }
    }
    block.file_offset_ = file_offset;
    block.entries_size_ = num_restarts == 0 ? 0 : entries_end;
    return block;
  }

  // Calls visit(key, value, file_offset_of_entry) for each entry in order.
  template <typename F>
  Expected<void> for_each(const MappedFile& file, F&& visit) const {
    std::string key;
    const std::string_view entries = contents().substr(0, entries_size_);
    std::string_view rest = entries;
    while (!rest.empty()) {
      const std::uint64_t at = file_offset_ + (is_owned_ ? 0 : entries.size() - rest.size());
      const auto shared = read_varint(rest, 32);
      const auto non_shared = shared ? read_varint(rest, 32) : std::nullopt;
      const auto value_length = non_shared ? read_varint(rest, 32) : std::nullopt;
      if (!value_length) return corrupt(file, at, "bad block entry: truncated or overlong varint");
      if (*shared > key.size()) {
        return corrupt(file, at, "bad block entry: shares " + std::to_string(*shared) +
                                     " bytes with a previous key of " +
                                     std::to_string(key.size()) + " bytes");
      }
      if (*non_shared > rest.size() || *value_length > rest.size() - *non_shared) {
        return corrupt(file, at, "bad block entry: key and value run past the end of the block");
      }
      key.resize(static_cast<std::size_t>(*shared));
      key.append(rest.substr(0, static_cast<std::size_t>(*non_shared)));
      const std::string_view value = rest.substr(static_cast<std::size_t>(*non_shared),
                                                 static_cast<std::size_t>(*value_length));
      rest.remove_prefix(static_cast<std::size_t>(*non_shared + *value_length));
      if (auto r = visit(std::string_view(key), value, at); !r) return r;
    }
    return {};
  }

 private:
  std::string_view contents() const { return is_owned_ ? std::string_view(owned_) : mapped_; }

  std::uint64_t file_offset_ = 0;
  bool is_owned_ = false;
  std::string owned_;
  std::string_view mapped_;
  std::size_t entries_size_ = 0;
};

// Decodes a BlockHandle and checks that the block and its trailer lie before `limit`.
Expected<SSTable::BlockHandle> decode_handle(const MappedFile& file, std::uint64_t at,
                                             std::string_view& in, std::uint64_t limit) {
  const auto offset = read_varint(in, 64);
  const auto size = offset ? read_varint(in, 64) : std::nullopt;
  if (!size) return corrupt(file, at, "bad block handle: truncated or overlong varint");
  if (*offset > limit || *size > limit - *offset || kTrailerSize > limit - *offset - *size) {
    return corrupt(file, at, "bad block handle: block at " + std::to_string(*offset) + " of " +
                                 std::to_string(*size) + " bytes runs past byte " +
                                 std::to_string(limit));
  }
  return SSTable::BlockHandle{*offset, *size};
}

// Reads a block, verifies its trailer CRC and compression type.
Expected<Block> read_block(const MappedFile& file, const SSTable::BlockHandle& handle) {
  const std::string_view all = file.view();
  const auto offset = static_cast<std::size_t>(handle.offset);
  const auto size = static_cast<std::size_t>(handle.size);
  const std::string_view contents = all.substr(offset, size);
  const std::string_view trailer = all.substr(offset + size, kTrailerSize);
  const auto type = static_cast<std::uint8_t>(trailer[0]);
  const std::uint32_t stored = crc32c_unmask(load_le32(trailer.data() + 1));
  const std::uint32_t actual = crc32c_extend(crc32c(contents), trailer.substr(0, 1));
  if (stored != actual) {
    return corrupt(file, handle.offset,
                   "block checksum mismatch (block at byte " + std::to_string(handle.offset) +
                       ", " + std::to_string(handle.size) + " bytes)");
  }
  if (type == kSnappyCompression) {
    auto raw = snappy_uncompress(file, handle.offset, contents);
    if (!raw) return unexpected(std::move(raw.error()));
    return Block::parse(file, handle.offset, {}, std::move(*raw));
  }
  if (type != kNoCompression) {
    return tl::unexpected<Error>(Error(ErrorCode::Unsupported, "unsupported compression: block type " +
                                                                   std::to_string(type))
                                     .in_file(file.path().string())
                                     .at_offset(offset + size));
  }
  return Block::parse(file, handle.offset, contents);
}

}  // namespace

Expected<SSTable> SSTable::open(const std::filesystem::path& path) {
  auto file = MappedFile::open(path);
  if (!file) return unexpected(std::move(file.error()));
  return open(std::move(*file));
}

Expected<SSTable> SSTable::open(std::shared_ptr<const MappedFile> file) {
  const MappedFile& f = *file;
  const std::string_view all = f.view();
  if (all.size() < kFooterSize) {
    return corrupt(f, 0, "file is too short to be an sstable (" + std::to_string(all.size()) +
                             " bytes, the footer alone is 48)");
  }
  const std::uint64_t footer_at = all.size() - kFooterSize;
  const std::string_view footer = all.substr(footer_at);
  const std::uint64_t magic = std::uint64_t{load_le32(footer.data() + kHandlesSize)} |
                              (std::uint64_t{load_le32(footer.data() + kHandlesSize + 4)} << 32);
  if (magic != kTableMagic) {
    return corrupt(f, footer_at + kHandlesSize, "not an sstable (bad magic number)");
  }
  std::string_view handles = footer.substr(0, kHandlesSize);
  auto metaindex = decode_handle(f, footer_at, handles, footer_at);
  if (!metaindex) return unexpected(std::move(metaindex.error()));
  const std::uint64_t index_at = footer_at + (kHandlesSize - handles.size());
  auto index_handle = decode_handle(f, index_at, handles, footer_at);
  if (!index_handle) return unexpected(std::move(index_handle.error()));

  // The metaindex is always empty in TensorFlow's tables; nothing in it is needed.
  auto index_block = read_block(f, *index_handle);
  if (!index_block) return unexpected(std::move(index_block.error()));

  SSTable table(std::move(file));
  std::string previous;
  auto indexed = index_block->for_each(
      f, [&](std::string_view key, std::string_view value, std::uint64_t at) -> Expected<void> {
        if (!table.index_.empty() && key <= previous) {
          return corrupt(f, at, "bad index block: keys are not in increasing order");
        }
        auto handle = decode_handle(f, at, value, footer_at);
        if (!handle) return unexpected(std::move(handle.error()));
        previous.assign(key);
        table.index_.push_back(IndexEntry{std::string(key), *handle});
        return {};
      });
  if (!indexed) return unexpected(std::move(indexed.error()));
  return table;
}

Expected<void> SSTable::for_each(const Visitor& visit) const {
  const MappedFile& f = *file_;
  std::string previous;
  bool first = true;
  for (const IndexEntry& entry : index_) {
    auto block = read_block(f, entry.block);
    if (!block) return unexpected(std::move(block.error()));
    auto r = block->for_each(
        f, [&](std::string_view key, std::string_view value, std::uint64_t at) -> Expected<void> {
          // Lookup relies on the order; a table that breaks it is corrupt, not merely odd.
          if (!first && key <= previous) {
            return corrupt(f, at, "bad block entry: keys are not in increasing order");
          }
          if (key > entry.last_key) {
            return corrupt(f, at, "bad block entry: key is past its index entry");
          }
          first = false;
          previous.assign(key);
          return visit(key, value);
        });
    if (!r) return r;
  }
  return {};
}

Expected<std::vector<std::pair<std::string, std::string>>> SSTable::entries() const {
  std::vector<std::pair<std::string, std::string>> out;
  auto r = for_each([&](std::string_view key, std::string_view value) -> Expected<void> {
    out.emplace_back(std::string(key), std::string(value));
    return {};
  });
  if (!r) return unexpected(std::move(r.error()));
  return out;
}

Expected<std::optional<std::string>> SSTable::find(std::string_view key) const {
  // The first block whose index key is >= `key` is the only one that can hold it.
  for (const IndexEntry& entry : index_) {
    if (entry.last_key < key) continue;
    auto block = read_block(*file_, entry.block);
    if (!block) return unexpected(std::move(block.error()));
    std::optional<std::string> found;
    auto r = block->for_each(*file_, [&](std::string_view k, std::string_view value,
                                         std::uint64_t) -> Expected<void> {
      if (!found && k == key) found = std::string(value);
      return {};
    });
    if (!r) return unexpected(std::move(r.error()));
    return found;
  }
  return std::optional<std::string>{};
}

}  // namespace litelint::analyzer
