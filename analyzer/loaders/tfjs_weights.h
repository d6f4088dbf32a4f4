#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "analyzer/ir/dtype.h"
#include "analyzer/ir/tensor.h"
#include "analyzer/support/expected.h"
#include "analyzer/support/file.h"

namespace litelint::analyzer::tfjs {

/// How the elements of one TF.js weight are laid out in the shard bytes.
enum class StoredType { Float32, Int32, Bool, String, Complex64, UInt8, UInt16, Float16 };

/// The manifest spelling of a stored type ("float32", "uint8", ...).
std::string_view stored_type_name(StoredType t);

/// The `quantization` object of a manifest entry: affine uint8/uint16 (`q * scale + min`) or
/// IEEE half (no scale/min).
struct Quantization {
  StoredType stored = StoredType::UInt8;  ///< UInt8, UInt16 or Float16
  double scale = 1.0;
  double min = 0.0;
};

/// One entry of `weightsManifest[*].weights` and, after layout_weights(), its bytes' place in
/// the concatenated shards.
struct WeightSpec {
  std::string name;
  std::vector<std::int64_t> shape;
  std::uint64_t num_elements = 1;
  /// Element type after decoding: the entry's `dtype`, or `quantization.original_dtype` when
  /// quantized. One of Float, Int32, Bool, String, Complex64.
  ir::DType dtype = ir::DType::Float;
  StoredType stored = StoredType::Float32;
  std::optional<Quantization> quantization;
  std::uint64_t offset = 0;       ///< set by layout_weights()
  std::uint64_t byte_length = 0;  ///< set by layout_weights()
};

/// A parsed `weightsManifest`: every group's shard paths and weights, flattened in manifest
/// order, which is the order the bytes are packed in.
struct WeightsManifest {
  std::vector<std::string> paths;
  std::vector<WeightSpec> weights;
};

/// Parses and validates `weightsManifest` (dtypes, quantization, shapes with non-negative dims
/// whose element count fits in 63 bits). Does not touch the shard files. Never throws.
Expected<WeightsManifest> parse_weights_manifest(const nlohmann::json& manifest);

/// The shard files of a model, memory-mapped and read as one concatenated byte string.
class ShardSet {
 public:
  /// Maps `paths` (relative to `dir`) in order; a missing file is a NotFound error naming it.
  static Expected<std::shared_ptr<const ShardSet>> open(const std::filesystem::path& dir,
                                                        const std::vector<std::string>& paths);

  /// Total bytes of all shards.
  std::uint64_t size() const { return total_; }
  std::size_t shard_count() const { return shards_.size(); }
  const MappedFile& shard(std::size_t i) const { return *shards_[i]; }
  /// Index of the shard holding byte `offset` (the last shard for offset == size()).
  std::size_t shard_at(std::uint64_t offset) const;
  /// Bytes [offset, offset + length): a view into one shard, or a copy when the range
  /// straddles shards. The range must lie inside size().
  ir::TensorBytes read(std::uint64_t offset, std::uint64_t length) const;
  /// The shard that best explains a shortfall: the only shard, or a non-last shard shorter
  /// than another non-last one (writers make all but the last shard the same size); nullopt
  /// when the sizes do not tell.
  std::optional<std::size_t> likely_truncated_shard() const;

 private:
  std::vector<std::shared_ptr<const MappedFile>> shards_;
  std::vector<std::uint64_t> starts_;  // byte offset of each shard in the concatenation
  std::uint64_t total_ = 0;
};

/// Assigns each weight its offset and byte length (weights are packed back to back with no
/// padding; strings are walked element by element) and checks that every weight fits inside
/// the shards. A shortfall is a BadInput error listing the shards and their sizes, in the file
/// of the shard that is likely truncated when the sizes tell (else without a file).
Expected<void> layout_weights(WeightsManifest& manifest, const ShardSet& shards);

/// The dtype a weight is decoded to when it feeds a Const node of `node_dtype`: TF.js narrows
/// float64 to float32 and int64 to int32 on write, so those are widened back (losslessly);
/// otherwise the weight's own dtype.
ir::DType decoded_dtype(const WeightSpec& spec, ir::DType node_dtype);

/// Decodes a weight's raw shard bytes (exactly spec.byte_length of them) to `target`
/// (a decoded_dtype() result): dequantizes affine uint8/uint16 and float16, rounds to int32
/// when the original dtype is int32, splits strings, and widens float32/int32/complex64.
/// Output is little-endian, row-major.
Expected<ir::TensorBytes> decode_weight(const WeightSpec& spec, std::span<const std::byte> raw,
                                        ir::DType target);

/// A lazy tensor for one laid-out weight: reads and decodes its bytes on the first load() and
/// caches the result; copies share the cache.
ir::Tensor make_weight_tensor(std::shared_ptr<const ShardSet> shards, const WeightSpec& spec,
                              ir::DType target);

/// IEEE 754 half to float, exact for every input (subnormals, infinities, NaN payloads).
float half_to_float(std::uint16_t bits);

}  // namespace litelint::analyzer::tfjs
