#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/ir/dtype.h"
#include "analyzer/ir/shape.h"
#include "analyzer/ir/tensor.h"
#include "analyzer/proto/trackable_object_graph.pb.h"
#include "analyzer/support/expected.h"

namespace litelint::analyzer {

/// Key of the serialized TrackableObjectGraph in object-based (TF2) checkpoints.
inline constexpr std::string_view kObjectGraphKey = "_CHECKPOINTABLE_OBJECT_GRAPH";

/// One tensor listed in a checkpoint's `.index` (a BundleEntryProto, decoded and checked).
struct BundleEntry {
  std::string key;
  ir::DType dtype = ir::DType::Invalid;
  ir::Shape shape;  ///< always fully defined
  std::int32_t shard_id = 0;
  std::uint64_t offset = 0;  ///< in the shard file
  std::uint64_t size = 0;    ///< bytes in the shard file
  std::uint32_t crc32c = 0;  ///< masked CRC32C of those bytes, as stored
  /// > 0 for a partitioned (TF1 sliced) tensor: its bytes live in `num_slices` slice entries
  /// and offset/size/crc32c of this entry mean nothing.
  std::size_t num_slices = 0;
  /// For a slice entry (key starts with a 0x00 byte): the name of the partitioned tensor.
  std::optional<std::string> slice_of;

  bool is_partitioned() const { return num_slices > 0; }
  bool is_slice() const { return slice_of.has_value(); }
};

/// A TensorFlow V2 checkpoint ("tensor bundle"): `<prefix>.index` plus data shards
/// `<prefix>.data-NNNNN-of-MMMMM`. Opening reads only the index and stats the shards; tensor
/// bytes are mapped when a Tensor is loaded, each shard once, shared by all its tensors.
/// Copies share the shard mappings.
class TensorBundle {
 public:
  /// Reads `<prefix>.index` (e.g. prefix `<savedmodel>/variables/variables`) and checks every
  /// entry against the header and the shard files' sizes: a missing shard, an entry outside its
  /// shard or a size that does not match dtype × shape is an Error naming the file.
  static Expected<TensorBundle> open(const std::filesystem::path& prefix);

  /// `<prefix>.data-<shard_id>-of-<num_shards>`, both numbers printed as %05d.
  static std::filesystem::path shard_path(const std::filesystem::path& prefix,
                                          std::int32_t shard_id, std::int32_t num_shards);

  const std::filesystem::path& prefix() const { return prefix_; }
  std::filesystem::path index_path() const;
  std::filesystem::path shard_path(std::int32_t shard_id) const;
  std::int32_t num_shards() const { return num_shards_; }
  /// True when the writer was big-endian (tensor bytes are swapped on load).
  bool big_endian() const { return big_endian_; }

  /// Every entry except the header, in key order (slice entries, whose keys start with 0x00,
  /// come first).
  const std::vector<BundleEntry>& entries() const { return entries_; }
  /// The entry stored under `key`, or nullptr.
  const BundleEntry* find(std::string_view key) const;

  /// Number of stored tensors that hold model state: every entry except the object graph and
  /// slice entries (a partitioned tensor counts once).
  std::size_t variable_count() const;
  /// Bytes of those tensors in the shards (a partitioned tensor counts its slices); computed
  /// from the index alone.
  std::uint64_t variable_bytes() const;
  /// Bytes of every stored tensor, the object graph included: what the shards hold apart from
  /// alignment padding.
  std::uint64_t data_bytes() const;

  /// The tensor stored under `key`, with a loader that maps its shard, checks the bytes'
  /// CRC32C ("checksum mismatch for tensor '<key>'", naming the shard) and, for DT_STRING,
  /// decodes the elements into TensorBytes::strings. Partitioned tensors, DT_VARIANT and
  /// sub-byte dtypes are Unsupported errors.
  Expected<ir::Tensor> tensor(std::string_view key) const;

  /// The TrackableObjectGraph of an object-based (TF2) checkpoint; nullopt when the bundle has
  /// no `_CHECKPOINTABLE_OBJECT_GRAPH` entry (TF1 name-based checkpoints). Reads its shard.
  Expected<std::optional<tensorflow::TrackableObjectGraph>> object_graph() const;

 private:
  struct Shards;  // lazily mapped shard files, shared with the tensors' loaders

  TensorBundle() = default;

  std::filesystem::path prefix_;
  std::int32_t num_shards_ = 0;
  bool big_endian_ = false;
  std::vector<BundleEntry> entries_;
  std::shared_ptr<Shards> shards_;
};

}  // namespace litelint::analyzer
