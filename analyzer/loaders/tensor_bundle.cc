#include "analyzer/loaders/tensor_bundle.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <limits>
#include <map>
#include <mutex>
#include <system_error>

#include "analyzer/loaders/sstable.h"
#include "analyzer/proto/tensor_bundle.pb.h"
#include "analyzer/support/crc32c.h"
#include "analyzer/support/file.h"

namespace litelint::analyzer {
namespace fs = std::filesystem;

namespace {

// The bundle format version this reader implements (TensorFlow's kTensorBundleVersion) and
// the oldest writer it accepts (kTensorBundleMinProducer).
constexpr std::int32_t kBundleVersion = 1;
constexpr std::int32_t kBundleMinProducer = 0;

tl::unexpected<Error> error_in(ErrorCode code, const fs::path& file, std::string reason) {
  return tl::unexpected<Error>(Error(code, std::move(reason)).in_file(file.string()));
}

std::string printable_key(std::string_view key) {
  std::string out;
  for (char c : key) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7F) {
      out += c;
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", u);
      out += buf;
    }
  }
  return out;
}

// Decodes the tensor name from a slice key (TensorFlow's EncodeTensorNameSlice): byte 0x00,
// then the name in OrderedCode string form (0x00 escaped as 00 FF, 0xFF as FF 00, terminated
// by 00 01), then rank and extents, which litelint does not need.
std::optional<std::string> decode_slice_key(std::string_view key) {
  if (key.empty() || key[0] != '\0') return std::nullopt;
  std::string name;
  for (std::size_t i = 1; i + 1 < key.size(); ++i) {
    const char c = key[i];
    const char next = key[i + 1];
    if (c == '\0' && next == '\x01') return name;
    if (c == '\0' && next == '\xff') {
      name += '\0';
      ++i;
    } else if (c == '\xff' && next == '\0') {
      name += '\xff';
      ++i;
    } else {
      name += c;
    }
  }
  return std::nullopt;
}

std::optional<std::uint64_t> read_varint64(std::string_view& in) {
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < 10 && i < in.size(); ++i) {
    const auto byte = static_cast<unsigned char>(in[i]);
    const std::uint64_t chunk = byte & 0x7Fu;
    if (i == 9 && chunk > 1) return std::nullopt;
    value |= chunk << (7 * i);
    if ((byte & 0x80u) == 0) {
      in.remove_prefix(i + 1);
      return value;
    }
  }
  return std::nullopt;
}

std::uint32_t load_le32(const char* p) {
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

std::string le_bytes(std::uint64_t v, std::size_t width) {
  std::string out(width, '\0');
  for (std::size_t i = 0; i < width; ++i) out[i] = static_cast<char>((v >> (8 * i)) & 0xFFu);
  return out;
}

// Decodes a DT_STRING tensor (TensorFlow's WriteStringTensor layout) and checks both its
// length checksum and the entry checksum.
Expected<std::vector<std::string>> decode_strings(std::string_view data, std::uint64_t count,
                                                  const BundleEntry& entry,
                                                  const fs::path& shard) {
  auto bad = [&](std::string reason) {
    return tl::unexpected<Error>(
        Error(ErrorCode::BadInput, "string tensor '" + printable_key(entry.key) + "': " + reason)
            .in_file(shard.string())
            .at_offset(entry.offset));
  };
  // Each length takes at least one byte, so `count` is bounded by the data size.
  if (count > data.size()) return bad("more elements than bytes");
  std::vector<std::uint64_t> lengths;
  lengths.reserve(static_cast<std::size_t>(count));
  std::uint32_t crc = 0;
  std::string_view rest = data;
  std::uint64_t total = 0;
  for (std::uint64_t i = 0; i < count; ++i) {
    const auto len = read_varint64(rest);
    if (!len) return bad("truncated or overlong length varint");
    lengths.push_back(*len);
    // The checksum covers each length as a fixed-width integer, not its varint bytes.
    const std::size_t width = *len <= std::numeric_limits<std::uint32_t>::max() ? 4 : 8;
    crc = crc32c_extend(crc, le_bytes(*len, width));
    if (*len > data.size() - total) return bad("string lengths exceed the tensor size");
    total += *len;
  }
  if (rest.size() < 4) return bad("missing length checksum");
  const std::string_view stored_length_crc = rest.substr(0, 4);
  if (crc32c_unmask(load_le32(stored_length_crc.data())) != crc) {
    return bad("length checksum mismatch");
  }
  rest.remove_prefix(4);
  if (total != rest.size()) {
    return bad(std::to_string(rest.size()) + " bytes of string data, lengths add up to " +
               std::to_string(total));
  }
  crc = crc32c_extend(crc32c_extend(crc, stored_length_crc), rest);
  if (crc != crc32c_unmask(entry.crc32c)) {
    return tl::unexpected<Error>(
        Error(ErrorCode::BadInput, "checksum mismatch for tensor '" + printable_key(entry.key) + "'")
            .in_file(shard.string())
            .at_offset(entry.offset));
  }
  std::vector<std::string> out;
  out.reserve(lengths.size());
  for (std::uint64_t len : lengths) {
    out.emplace_back(rest.substr(0, static_cast<std::size_t>(len)));
    rest.remove_prefix(static_cast<std::size_t>(len));
  }
  return out;
}

// Byte size of the unit to swap for a big-endian writer: complex numbers swap per component.
std::size_t swap_unit(ir::DType dtype, std::size_t element_size) {
  if (dtype == ir::DType::Complex64 || dtype == ir::DType::Complex128) return element_size / 2;
  return element_size;
}

}  // namespace

struct TensorBundle::Shards {
  fs::path prefix;
  std::int32_t num_shards = 0;
  std::mutex mu;
  std::map<std::int32_t, std::shared_ptr<const MappedFile>> mapped;

  Expected<std::shared_ptr<const MappedFile>> get(std::int32_t shard_id) {
    std::lock_guard<std::mutex> lock(mu);
    if (auto it = mapped.find(shard_id); it != mapped.end()) return it->second;
    auto file = MappedFile::open(shard_path(prefix, shard_id, num_shards), MappedFile::Access::Random);
    if (!file) return unexpected(std::move(file.error()));
    mapped.emplace(shard_id, *file);
    return *file;
  }
};

fs::path TensorBundle::shard_path(const fs::path& prefix, std::int32_t shard_id,
                                  std::int32_t num_shards) {
  char suffix[64];
  std::snprintf(suffix, sizeof suffix, ".data-%05d-of-%05d", shard_id, num_shards);
  fs::path out = prefix;
  out += suffix;
  return out;
}

fs::path TensorBundle::index_path() const {
  fs::path out = prefix_;
  out += ".index";
  return out;
}

fs::path TensorBundle::shard_path(std::int32_t shard_id) const {
  return shard_path(prefix_, shard_id, num_shards_);
}

Expected<TensorBundle> TensorBundle::open(const fs::path& prefix) {
  TensorBundle bundle;
  bundle.prefix_ = prefix;
  const fs::path index = bundle.index_path();
  auto table = SSTable::open(index);
  if (!table) return unexpected(std::move(table.error()));

  bool have_header = false;
  auto read = table->for_each([&](std::string_view key, std::string_view value) -> Expected<void> {
    if (!have_header) {
      if (!key.empty()) {
        return error_in(ErrorCode::BadInput, index, "checkpoint index has no header entry");
      }
      tensorflow::BundleHeaderProto header;
      if (value.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()) ||
          !header.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
        return error_in(ErrorCode::BadInput, index, "cannot parse the checkpoint header");
      }
      if (header.num_shards() <= 0) {
        return error_in(ErrorCode::BadInput, index,
                        "checkpoint header has " + std::to_string(header.num_shards()) + " shards");
      }
      if (header.endianness() != tensorflow::BundleHeaderProto::LITTLE &&
          header.endianness() != tensorflow::BundleHeaderProto::BIG) {
        return error_in(ErrorCode::BadInput, index,
                        "checkpoint header has unknown endianness " +
                            std::to_string(static_cast<int>(header.endianness())));
      }
      if (header.has_version()) {
        const auto& v = header.version();
        const auto& bad = v.bad_consumers();
        if (v.producer() < kBundleMinProducer || v.min_consumer() > kBundleVersion ||
            std::find(bad.begin(), bad.end(), kBundleVersion) != bad.end()) {
          return error_in(ErrorCode::Unsupported, index,
                          "checkpoint format version " + std::to_string(v.producer()) +
                              " (needs a reader of version " + std::to_string(v.min_consumer()) +
                              " or newer); litelint reads version " +
                              std::to_string(kBundleVersion));
        }
      }
      bundle.num_shards_ = header.num_shards();
      bundle.big_endian_ = header.endianness() == tensorflow::BundleHeaderProto::BIG;
      have_header = true;
      return {};
    }

    const std::string shown = printable_key(key);
    auto bad = [&](std::string reason) {
      return error_in(ErrorCode::BadInput, index, "tensor '" + shown + "': " + reason);
    };
    if (value.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
      return bad("index entry is too large");
    }
    tensorflow::BundleEntryProto proto;
    if (!proto.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
      return bad("cannot parse its index entry");
    }
    BundleEntry entry;
    entry.key = std::string(key);
    entry.dtype = static_cast<ir::DType>(proto.dtype());
    const auto& shape = proto.shape();
    if (shape.unknown_rank() || static_cast<std::size_t>(shape.dim_size()) > ir::Shape::kMaxRank) {
      return bad("invalid tensor shape");
    }
    std::vector<std::int64_t> dims;
    for (const auto& d : shape.dim()) {
      if (d.size() < 0) return bad("invalid tensor shape (negative dimension)");
      dims.push_back(d.size());
    }
    entry.shape = ir::Shape(std::move(dims));
    const auto num_elements = entry.shape.num_elements();
    if (!num_elements) return bad("invalid tensor shape (too many elements)");
    entry.slice_of = decode_slice_key(key);
    if (proto.slices_size() > 0) {
      entry.num_slices = static_cast<std::size_t>(proto.slices_size());
      bundle.entries_.push_back(std::move(entry));
      return {};
    }
    if (proto.shard_id() < 0 || proto.shard_id() >= bundle.num_shards_) {
      return bad("shard " + std::to_string(proto.shard_id()) + " is not one of the " +
                 std::to_string(bundle.num_shards_) + " shards");
    }
    if (proto.offset() < 0 || proto.size() < 0) return bad("negative offset or size");
    entry.shard_id = proto.shard_id();
    entry.offset = static_cast<std::uint64_t>(proto.offset());
    entry.size = static_cast<std::uint64_t>(proto.size());
    entry.crc32c = proto.crc32c();
    const auto n = static_cast<std::uint64_t>(*num_elements);
    if (const auto element_size = ir::dtype_size(entry.dtype)) {
      if (n > std::numeric_limits<std::uint64_t>::max() / *element_size ||
          n * *element_size != entry.size) {
        return bad("invalid size in bundle entry: " + std::to_string(entry.size) + " bytes for " +
                   std::to_string(n) + " " + ir::dtype_name(entry.dtype) + " elements");
      }
    } else if (entry.dtype == ir::DType::String && entry.size < n) {
      return bad("invalid size in bundle entry: " + std::to_string(entry.size) + " bytes for " +
                 std::to_string(n) + " strings");
    }
    bundle.entries_.push_back(std::move(entry));
    return {};
  });
  if (!read) return unexpected(std::move(read.error()));
  if (!have_header) return error_in(ErrorCode::BadInput, index, "checkpoint index is empty");

  // Stat (not read) every shard an entry uses, so that a missing or short shard is reported
  // when the model is opened rather than when a pass first needs a value.
  std::map<std::int32_t, std::uint64_t> shard_sizes;
  for (const BundleEntry& entry : bundle.entries_) {
    if (entry.is_partitioned()) continue;
    auto it = shard_sizes.find(entry.shard_id);
    const fs::path shard = bundle.shard_path(entry.shard_id);
    if (it == shard_sizes.end()) {
      std::error_code ec;
      const auto size = fs::file_size(shard, ec);
      if (ec) {
        const bool missing = ec == std::errc::no_such_file_or_directory;
        const std::string what = missing ? "missing checkpoint data shard"
                                         : "cannot read checkpoint data shard: " + ec.message();
        return error_in(missing ? ErrorCode::NotFound : ErrorCode::Io, shard,
                        what + " (needed by tensor '" + printable_key(entry.key) + "')");
      }
      it = shard_sizes.emplace(entry.shard_id, size).first;
    }
    if (entry.offset > it->second || entry.size > it->second - entry.offset) {
      return error_in(ErrorCode::BadInput, shard,
                      "tensor '" + printable_key(entry.key) + "' at bytes [" +
                          std::to_string(entry.offset) + ", " +
                          std::to_string(entry.offset + entry.size) + ") lies outside the " +
                          std::to_string(it->second) + "-byte shard");
    }
  }

  bundle.shards_ = std::make_shared<Shards>();
  bundle.shards_->prefix = prefix;
  bundle.shards_->num_shards = bundle.num_shards_;
  return bundle;
}

const BundleEntry* TensorBundle::find(std::string_view key) const {
  auto it = std::lower_bound(entries_.begin(), entries_.end(), key,
                             [](const BundleEntry& e, std::string_view k) { return e.key < k; });
  if (it == entries_.end() || it->key != key) return nullptr;
  return &*it;
}

std::size_t TensorBundle::variable_count() const {
  std::size_t count = 0;
  for (const BundleEntry& e : entries_) count += e.key != kObjectGraphKey && !e.is_slice();
  return count;
}

std::uint64_t TensorBundle::variable_bytes() const {
  std::uint64_t total = 0;
  for (const BundleEntry& e : entries_) {
    if (e.key != kObjectGraphKey && !e.is_partitioned()) total += e.size;
  }
  return total;
}

std::uint64_t TensorBundle::data_bytes() const {
  std::uint64_t total = 0;
  for (const BundleEntry& e : entries_) {
    if (!e.is_partitioned()) total += e.size;
  }
  return total;
}

Expected<ir::Tensor> TensorBundle::tensor(std::string_view key) const {
  const BundleEntry* found = find(key);
  if (found == nullptr) {
    return error_in(ErrorCode::NotFound, index_path(),
                    "no tensor '" + printable_key(key) + "' in the checkpoint");
  }
  const BundleEntry& entry = *found;
  if (entry.is_partitioned()) {
    return error_in(ErrorCode::Unsupported, index_path(),
                    "tensor '" + printable_key(key) + "' is partitioned into " +
                        std::to_string(entry.num_slices) +
                        " slices; litelint does not reassemble partitioned variables");
  }
  const auto element_size = ir::dtype_size(entry.dtype);
  if (!element_size && entry.dtype != ir::DType::String) {
    return error_in(ErrorCode::Unsupported, index_path(),
                    "tensor '" + printable_key(key) + "' has dtype " + ir::dtype_name(entry.dtype) +
                        ", which litelint does not read from checkpoints");
  }

  // The loader owns copies of everything it needs, so tensors outlive the bundle object.
  struct LoadState {
    std::mutex mu;
    bool verified = false;                 // CRC checked once per tensor, not per load
    std::optional<ir::TensorBytes> cached;  // decoded strings / swapped bytes
  };
  auto state = std::make_shared<LoadState>();
  const std::shared_ptr<Shards> shards = shards_;
  const fs::path shard = shard_path(entry.shard_id);
  const bool big_endian = big_endian_;
  const std::uint64_t count = static_cast<std::uint64_t>(entry.shape.num_elements().value_or(0));
  ir::Tensor::Loader loader = [entry, shards, shard, state, big_endian, element_size,
                               count]() -> Expected<ir::TensorBytes> {
    std::lock_guard<std::mutex> lock(state->mu);
    if (state->cached) return *state->cached;
    auto file = shards->get(entry.shard_id);
    if (!file) return unexpected(std::move(file.error()));
    const MappedFile& f = **file;
    // The shard was stat'ed at open; it may have changed since.
    if (entry.offset > f.size() || entry.size > f.size() - entry.offset) {
      return error_in(ErrorCode::BadInput, shard,
                      "tensor '" + printable_key(entry.key) + "' lies outside the shard");
    }
    f.will_need(static_cast<std::size_t>(entry.offset), static_cast<std::size_t>(entry.size));
    const std::string_view data = f.view().substr(static_cast<std::size_t>(entry.offset),
                                                  static_cast<std::size_t>(entry.size));
    if (entry.dtype == ir::DType::String) {
      auto strings = decode_strings(data, count, entry, shard);
      if (!strings) return unexpected(std::move(strings.error()));
      ir::TensorBytes out;
      out.strings = std::move(*strings);
      state->cached = out;
      return out;
    }
    if (!state->verified) {
      if (crc32c(data) != crc32c_unmask(entry.crc32c)) {
        return tl::unexpected<Error>(
            Error(ErrorCode::BadInput,
                  "checksum mismatch for tensor '" + printable_key(entry.key) + "'")
                .in_file(shard.string())
                .at_offset(entry.offset));
      }
      state->verified = true;
    }
    const auto* bytes = reinterpret_cast<const std::byte*>(data.data());
    if (!big_endian || *element_size == 1) {
      return ir::TensorBytes{std::span<const std::byte>(bytes, data.size()), *file, {}};
    }
    auto owned = std::make_shared<std::vector<std::byte>>(bytes, bytes + data.size());
    const std::size_t unit = swap_unit(entry.dtype, *element_size);
    for (std::size_t i = 0; i + unit <= owned->size(); i += unit) {
      std::reverse(owned->begin() + static_cast<std::ptrdiff_t>(i),
                   owned->begin() + static_cast<std::ptrdiff_t>(i + unit));
    }
    ir::TensorBytes out{std::span<const std::byte>(owned->data(), owned->size()), owned, {}};
    state->cached = out;
    return out;
  };
  ir::Tensor tensor(entry.dtype, entry.shape, std::move(loader));
  tensor.set_byte_size(entry.size);
  return tensor;
}

Expected<std::optional<tensorflow::TrackableObjectGraph>> TensorBundle::object_graph() const {
  const BundleEntry* entry = find(kObjectGraphKey);
  if (entry == nullptr) return std::optional<tensorflow::TrackableObjectGraph>{};
  if (entry->dtype != ir::DType::String || entry->shape.rank() != 0 || entry->is_partitioned()) {
    return error_in(ErrorCode::BadInput, index_path(),
                    "checkpoint object graph is not a string scalar (dtype " +
                        ir::dtype_name(entry->dtype) + ", shape " + entry->shape.to_string() + ")");
  }
  auto tensor = this->tensor(kObjectGraphKey);
  if (!tensor) return unexpected(std::move(tensor.error()));
  auto bytes = tensor->load();
  if (!bytes) return unexpected(std::move(bytes.error()));
  if (bytes->strings.size() != 1) {
    return error_in(ErrorCode::BadInput, shard_path(entry->shard_id),
                    "checkpoint object graph is not a single string");
  }
  tensorflow::TrackableObjectGraph graph;
  if (!graph.ParseFromString(bytes->strings[0])) {
    return error_in(ErrorCode::BadInput, shard_path(entry->shard_id),
                    "cannot parse the checkpoint object graph (_CHECKPOINTABLE_OBJECT_GRAPH)");
  }
  return std::optional<tensorflow::TrackableObjectGraph>(std::move(graph));
}

}  // namespace litelint::analyzer
