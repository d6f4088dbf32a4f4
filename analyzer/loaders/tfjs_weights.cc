#include "analyzer/loaders/tfjs_weights.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <mutex>
#include <string_view>

#include <nlohmann/json.hpp>

namespace litelint::analyzer::tfjs {
namespace {

using nlohmann::json;

constexpr std::int64_t kMaxElements = std::numeric_limits<std::int64_t>::max();

std::string in_quotes(std::string_view s) { return "'" + std::string(s) + "'"; }

std::optional<StoredType> parse_stored_type(std::string_view s) {
  if (s == "float32") return StoredType::Float32;
  if (s == "int32") return StoredType::Int32;
  if (s == "bool") return StoredType::Bool;
  if (s == "string") return StoredType::String;
  if (s == "complex64") return StoredType::Complex64;
  if (s == "uint8") return StoredType::UInt8;
  if (s == "uint16") return StoredType::UInt16;
  if (s == "float16") return StoredType::Float16;
  return std::nullopt;
}

// Bytes per stored element; 0 for strings, whose elements carry their own length.
std::uint64_t stored_width(StoredType t) {
  switch (t) {
    case StoredType::Float32:
    case StoredType::Int32:
      return 4;
    case StoredType::Complex64:
      return 8;
    case StoredType::Bool:
    case StoredType::UInt8:
      return 1;
    case StoredType::UInt16:
    case StoredType::Float16:
      return 2;
    case StoredType::String:
      return 0;
  }
  return 0;
}

std::optional<ir::DType> unquantized_dtype(StoredType t) {
  switch (t) {
    case StoredType::Float32:
      return ir::DType::Float;
    case StoredType::Int32:
      return ir::DType::Int32;
    case StoredType::Bool:
      return ir::DType::Bool;
    case StoredType::String:
      return ir::DType::String;
    case StoredType::Complex64:
      return ir::DType::Complex64;
    default:
      return std::nullopt;  // storage-only types
  }
}

const json* member(const json& obj, const char* key) {
  auto it = obj.find(key);
  return it == obj.end() || it->is_null() ? nullptr : &*it;
}

Expected<std::string> string_member(const json& obj, const char* key, const std::string& where) {
  const json* v = member(obj, key);
  if (v == nullptr) return bad_input(where + ": missing \"" + key + "\"");
  if (!v->is_string()) return bad_input(where + ": \"" + key + "\" is not a string");
  return v->get<std::string>();
}

Expected<double> number_member(const json& obj, const char* key, const std::string& where) {
  const json* v = member(obj, key);
  if (v == nullptr) return bad_input(where + ": missing \"" + key + "\"");
  if (!v->is_number()) return bad_input(where + ": \"" + key + "\" is not a number");
  const double d = v->get<double>();
  if (!std::isfinite(d)) return bad_input(where + ": \"" + key + "\" is not finite");
  return d;
}

Expected<void> parse_shape(const json& entry, WeightSpec& spec, const std::string& where) {
  const json* shape = member(entry, "shape");
  if (shape == nullptr) return bad_input(where + ": missing \"shape\"");
  if (!shape->is_array()) return bad_input(where + ": \"shape\" is not an array");
  if (shape->size() > ir::Shape::kMaxRank) {
    return bad_input(where + ": shape has rank " + std::to_string(shape->size()) + ", over " +
                     std::to_string(ir::Shape::kMaxRank));
  }
  std::int64_t n = 1;
  bool overflow = false;
  for (const json& d : *shape) {
    std::int64_t dim = 0;
    if (d.is_number_unsigned()) {
      const auto u = d.get<std::uint64_t>();
      if (u > static_cast<std::uint64_t>(kMaxElements)) {
        return bad_input(where + ": dimension " + std::to_string(u) + " is too large");
      }
      dim = static_cast<std::int64_t>(u);
    } else if (d.is_number_integer()) {
      dim = d.get<std::int64_t>();
    } else {
      return bad_input(where + ": shape has a dimension that is not an integer: " + d.dump());
    }
    if (dim < 0) return bad_input(where + ": shape has negative dimension " + std::to_string(dim));
    spec.shape.push_back(dim);
    if (__builtin_mul_overflow(n, dim, &n)) overflow = true;
  }
  // A zero dimension after an overflowing prefix still means "too large to describe": TF
  // itself rejects shapes whose full product does not fit.
  if (overflow) return bad_input(where + ": shape's element count overflows 64 bits");
  spec.num_elements = static_cast<std::uint64_t>(n);
  return {};
}

Expected<WeightSpec> parse_entry(const json& entry, const std::string& where_prefix) {
  if (!entry.is_object()) return bad_input(where_prefix + " is not an object");
  WeightSpec spec;
  auto name = string_member(entry, "name", where_prefix);
  if (!name) return unexpected(name.error());
  spec.name = std::move(*name);
  const std::string where = where_prefix + " (weight " + in_quotes(spec.name) + ")";

  auto dtype_name = string_member(entry, "dtype", where);
  if (!dtype_name) return unexpected(dtype_name.error());
  const auto entry_type = parse_stored_type(*dtype_name);
  const auto entry_dtype = entry_type ? unquantized_dtype(*entry_type) : std::nullopt;
  if (!entry_dtype) return bad_input(where + ": unknown dtype " + in_quotes(*dtype_name));
  spec.dtype = *entry_dtype;
  spec.stored = *entry_type;

  if (auto r = parse_shape(entry, spec, where); !r) return unexpected(r.error());

  const json* q = member(entry, "quantization");
  if (q != nullptr) {
    if (!q->is_object()) return bad_input(where + ": \"quantization\" is not an object");
    auto qtype_name = string_member(*q, "dtype", where + ": quantization");
    if (!qtype_name) return unexpected(qtype_name.error());
    const auto qtype = parse_stored_type(*qtype_name);
    if (!qtype || (*qtype != StoredType::UInt8 && *qtype != StoredType::UInt16 &&
                   *qtype != StoredType::Float16)) {
      return bad_input(where + ": unknown quantization dtype " + in_quotes(*qtype_name));
    }
    Quantization quant;
    quant.stored = *qtype;
    if (*qtype != StoredType::Float16) {
      auto scale = number_member(*q, "scale", where + ": quantization");
      if (!scale) return unexpected(scale.error());
      auto min = number_member(*q, "min", where + ": quantization");
      if (!min) return unexpected(min.error());
      quant.scale = *scale;
      quant.min = *min;
    }
    // The Python writer records the dtype before quantization; the TS reader ignores it and
    // uses the entry's dtype, which the writer leaves unchanged, so both normally agree.
    if (const json* orig = member(*q, "original_dtype"); orig != nullptr) {
      if (!orig->is_string()) return bad_input(where + ": \"original_dtype\" is not a string");
      const auto t = parse_stored_type(orig->get<std::string>());
      const auto d = t ? unquantized_dtype(*t) : std::nullopt;
      if (!d) return bad_input(where + ": unknown original_dtype " + in_quotes(orig->get<std::string>()));
      spec.dtype = *d;
    }
    if (spec.dtype != ir::DType::Float && spec.dtype != ir::DType::Int32) {
      return bad_input(where + ": " + ir::dtype_name(spec.dtype) + " weights cannot be quantized");
    }
    spec.stored = quant.stored;
    spec.quantization = quant;
  }
  return spec;
}

template <typename T>
T load_le(const std::byte* p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  static_assert(std::endian::native == std::endian::little, "litelint assumes a little-endian host");
  return v;
}

template <typename T>
void store_le(std::byte* p, T v) {
  std::memcpy(p, &v, sizeof(T));
}

// TF.js rounds dequantized int32 weights with Math.round (halves toward +infinity).
std::int32_t round_to_int32(double v) {
  if (std::isnan(v)) return 0;
  const double r = std::floor(v + 0.5);
  if (r <= static_cast<double>(std::numeric_limits<std::int32_t>::min())) {
    return std::numeric_limits<std::int32_t>::min();
  }
  if (r >= static_cast<double>(std::numeric_limits<std::int32_t>::max())) {
    return std::numeric_limits<std::int32_t>::max();
  }
  return static_cast<std::int32_t>(r);
}

// One element of a quantized or plain numeric weight, as a double (exact for every stored
// type: float32, int32, uint8/uint16 codes and halves all fit a double's mantissa).
double stored_value(const WeightSpec& spec, const std::byte* p) {
  switch (spec.stored) {
    case StoredType::UInt8:
      return static_cast<double>(static_cast<std::uint8_t>(*p)) * spec.quantization->scale +
             spec.quantization->min;
    case StoredType::UInt16:
      return static_cast<double>(load_le<std::uint16_t>(p)) * spec.quantization->scale +
             spec.quantization->min;
    case StoredType::Float16:
      return half_to_float(load_le<std::uint16_t>(p));
    case StoredType::Float32:
      return load_le<float>(p);
    case StoredType::Int32:
      return load_le<std::int32_t>(p);
    default:
      return 0.0;
  }
}

// Which (storage, decoded dtype) pairs decode_weight() knows; the manifest parser only makes
// these, but specs built by hand must not make the decoder read past the raw bytes.
bool can_decode(const WeightSpec& spec, ir::DType target) {
  const bool quantized = spec.stored == StoredType::UInt8 || spec.stored == StoredType::UInt16 ||
                         spec.stored == StoredType::Float16;
  if (quantized != spec.quantization.has_value()) return false;
  const bool numeric = quantized || spec.stored == StoredType::Float32 ||
                       spec.stored == StoredType::Int32;
  switch (target) {
    case ir::DType::Float:
    case ir::DType::Double:
    case ir::DType::Int32:
    case ir::DType::Int64:
      return numeric;
    case ir::DType::Bool:
      return spec.stored == StoredType::Bool;
    case ir::DType::Complex64:
    case ir::DType::Complex128:
      return spec.stored == StoredType::Complex64;
    default:
      return false;
  }
}

struct CachedLoad {
  std::mutex mutex;
  std::optional<Expected<ir::TensorBytes>> result;
};

}  // namespace

std::string_view stored_type_name(StoredType t) {
  switch (t) {
    case StoredType::Float32: return "float32";
    case StoredType::Int32: return "int32";
    case StoredType::Bool: return "bool";
    case StoredType::String: return "string";
    case StoredType::Complex64: return "complex64";
    case StoredType::UInt8: return "uint8";
    case StoredType::UInt16: return "uint16";
    case StoredType::Float16: return "float16";
  }
  return "?";
}

float half_to_float(std::uint16_t bits) {
  const std::uint32_t sign = static_cast<std::uint32_t>(bits & 0x8000u) << 16;
  const std::uint32_t exponent = (bits >> 10) & 0x1fu;
  std::uint32_t mantissa = bits & 0x3ffu;
  std::uint32_t out = 0;
  if (exponent == 0x1f) {
    out = sign | 0x7f800000u | (mantissa << 13);  // inf, or NaN with its payload kept
  } else if (exponent != 0) {
    out = sign | ((exponent + 127 - 15) << 23) | (mantissa << 13);
  } else if (mantissa == 0) {
    out = sign;  // signed zero
  } else {
    // Subnormal half: normalise the mantissa; every one is a normal float.
    std::uint32_t e = 127 - 15 + 1;
    while ((mantissa & 0x400u) == 0) {
      mantissa <<= 1;
      --e;
    }
    out = sign | (e << 23) | ((mantissa & 0x3ffu) << 13);
  }
  return std::bit_cast<float>(out);
}

Expected<WeightsManifest> parse_weights_manifest(const json& manifest) {
  if (!manifest.is_array()) return bad_input("\"weightsManifest\" is not an array");
  WeightsManifest out;
  for (std::size_t g = 0; g < manifest.size(); ++g) {
    const json& group = manifest[g];
    const std::string gwhere = "weightsManifest[" + std::to_string(g) + "]";
    if (!group.is_object()) return bad_input(gwhere + " is not an object");
    const json* paths = member(group, "paths");
    if (paths == nullptr || !paths->is_array()) {
      return bad_input(gwhere + ": \"paths\" is missing or not an array");
    }
    for (const json& p : *paths) {
      if (!p.is_string() || p.get_ref<const std::string&>().empty()) {
        return bad_input(gwhere + ": \"paths\" holds something that is not a file name: " +
                         p.dump());
      }
      const std::string& path = p.get_ref<const std::string&>();
      // Shards are fetched relative to model.json; an absolute path or URL would make a
      // linter read files the model does not ship.
      if (path.front() == '/' || path.find("://") != std::string::npos ||
          path.find('\0') != std::string::npos) {
        return bad_input(gwhere + ": shard path " + in_quotes(path) +
                         " is not relative to model.json");
      }
      out.paths.push_back(path);
    }
    const json* weights = member(group, "weights");
    if (weights == nullptr || !weights->is_array()) {
      return bad_input(gwhere + ": \"weights\" is missing or not an array");
    }
    for (std::size_t w = 0; w < weights->size(); ++w) {
      auto spec = parse_entry((*weights)[w], gwhere + ".weights[" + std::to_string(w) + "]");
      if (!spec) return unexpected(spec.error());
      out.weights.push_back(std::move(*spec));
    }
  }
  return out;
}

Expected<std::shared_ptr<const ShardSet>> ShardSet::open(const std::filesystem::path& dir,
                                                         const std::vector<std::string>& paths) {
  auto set = std::make_shared<ShardSet>();
  for (const std::string& p : paths) {
    auto file = MappedFile::open(dir / p);
    if (!file) {
      return unexpected(std::move(file.error()).with_context("weight shard " + in_quotes(p)));
    }
    set->starts_.push_back(set->total_);
    set->total_ += (*file)->size();
    set->shards_.push_back(std::move(*file));
  }
  return std::shared_ptr<const ShardSet>(std::move(set));
}

std::size_t ShardSet::shard_at(std::uint64_t offset) const {
  if (shards_.empty()) return 0;
  // Last shard whose start is <= offset; empty shards share a start with their successor.
  auto it = std::upper_bound(starts_.begin(), starts_.end(), offset);
  std::size_t i = static_cast<std::size_t>(it - starts_.begin());
  return i == 0 ? 0 : i - 1;
}

ir::TensorBytes ShardSet::read(std::uint64_t offset, std::uint64_t length) const {
  ir::TensorBytes out;
  if (length == 0) return out;
  const std::size_t first = shard_at(offset);
  const std::uint64_t in_first = offset - starts_[first];
  if (in_first + length <= shards_[first]->size()) {
    out.bytes = shards_[first]->bytes().subspan(in_first, length);
    out.keep_alive = shards_[first];
    return out;
  }
  auto copy = std::make_shared<std::vector<std::byte>>(length);
  std::uint64_t done = 0;
  for (std::size_t i = first; i < shards_.size() && done < length; ++i) {
    const std::uint64_t from = i == first ? in_first : 0;
    const std::uint64_t n = std::min<std::uint64_t>(shards_[i]->size() - from, length - done);
    std::memcpy(copy->data() + done, shards_[i]->bytes().data() + from, n);
    done += n;
  }
  out.bytes = std::span<const std::byte>(copy->data(), copy->size());
  out.keep_alive = std::move(copy);
  return out;
}

std::optional<std::size_t> ShardSet::likely_truncated_shard() const {
  if (shards_.size() == 1) return 0;
  // Writers cut every shard but the last at the same size, so a non-last shard shorter than
  // another non-last shard lost its tail.
  std::uint64_t largest = 0;
  for (std::size_t i = 0; i + 1 < shards_.size(); ++i) largest = std::max<std::uint64_t>(largest, shards_[i]->size());
  for (std::size_t i = 0; i + 1 < shards_.size(); ++i) {
    if (shards_[i]->size() < largest) return i;
  }
  return std::nullopt;
}

Expected<void> layout_weights(WeightsManifest& manifest, const ShardSet& shards) {
  const std::uint64_t total = shards.size();
  // `needed` is nullopt when the end offset does not even fit in 64 bits.
  auto shortfall = [&](const WeightSpec& spec, std::optional<std::uint64_t> needed) {
    std::string reason = "weight " + in_quotes(spec.name) + " needs bytes up to " +
                         (needed ? std::to_string(*needed) : std::string("2^64")) +
                         " but the weight shards hold " + std::to_string(total) + ":";
    constexpr std::size_t kListed = 8;
    for (std::size_t i = 0; i < shards.shard_count() && i < kListed; ++i) {
      reason += (i ? ", " : " ") + shards.shard(i).path().filename().string() + " (" +
                std::to_string(shards.shard(i).size()) + " bytes)";
    }
    if (shards.shard_count() > kListed) reason += ", ...";
    reason += "; a shard is truncated or the manifest is wrong";
    Error e(ErrorCode::BadInput, std::move(reason));
    // Without a likely culprit the caller names the manifest's file.
    if (const auto culprit = shards.likely_truncated_shard()) {
      return tl::unexpected<Error>(std::move(e).in_file(shards.shard(*culprit).path().string()));
    }
    return tl::unexpected<Error>(std::move(e));
  };
  std::uint64_t offset = 0;
  for (WeightSpec& spec : manifest.weights) {
    spec.offset = offset;
    if (spec.stored == StoredType::String) {
      std::uint64_t cursor = offset;
      for (std::uint64_t i = 0; i < spec.num_elements; ++i) {
        if (total - cursor < 4) return shortfall(spec, cursor + 4);
        const auto len_bytes = shards.read(cursor, 4);
        const std::uint64_t len = load_le<std::uint32_t>(len_bytes.bytes.data());
        cursor += 4;
        if (total - cursor < len) return shortfall(spec, cursor + len);
        cursor += len;
      }
      spec.byte_length = cursor - offset;
    } else {
      std::uint64_t length = 0;
      const bool too_long = __builtin_mul_overflow(spec.num_elements, stored_width(spec.stored), &length);
      if (too_long || length > total - offset) {
        std::uint64_t end = 0;
        const bool fits = !too_long && !__builtin_add_overflow(offset, length, &end);
        return shortfall(spec, fits ? std::optional(end) : std::nullopt);
      }
      spec.byte_length = length;
    }
    offset += spec.byte_length;
  }
  return {};
}

ir::DType decoded_dtype(const WeightSpec& spec, ir::DType node_dtype) {
  const ir::DType node = ir::base_dtype(node_dtype);
  if (spec.dtype == ir::DType::Float && node == ir::DType::Double) return node;
  if (spec.dtype == ir::DType::Int32 && node == ir::DType::Int64) return node;
  if (spec.dtype == ir::DType::Complex64 && node == ir::DType::Complex128) return node;
  return spec.dtype;
}

Expected<ir::TensorBytes> decode_weight(const WeightSpec& spec, std::span<const std::byte> raw,
                                        ir::DType target) {
  if (raw.size() != spec.byte_length) {
    return fail(ErrorCode::Internal, "weight " + in_quotes(spec.name) + ": got " +
                                         std::to_string(raw.size()) + " bytes, expected " +
                                         std::to_string(spec.byte_length));
  }
  ir::TensorBytes out;
  if (spec.stored == StoredType::String) {
    if (target != ir::DType::String) return fail(ErrorCode::Internal, "string weight decoded to " + ir::dtype_name(target));
    std::size_t cursor = 0;
    out.strings.reserve(static_cast<std::size_t>(spec.num_elements));
    for (std::uint64_t i = 0; i < spec.num_elements; ++i) {
      if (raw.size() - cursor < 4) return bad_input("weight " + in_quotes(spec.name) + ": string data ends early");
      const std::uint32_t len = load_le<std::uint32_t>(raw.data() + cursor);
      cursor += 4;
      if (raw.size() - cursor < len) return bad_input("weight " + in_quotes(spec.name) + ": string data ends early");
      out.strings.emplace_back(reinterpret_cast<const char*>(raw.data() + cursor), len);
      cursor += len;
    }
    return out;
  }
  const auto out_width = ir::dtype_size(target);
  if (!out_width || !can_decode(spec, target)) {
    return fail(ErrorCode::Internal, "weight " + in_quotes(spec.name) + ": cannot decode " +
                                         std::string(stored_type_name(spec.stored)) + " to " +
                                         ir::dtype_name(target));
  }
  const std::size_t n = static_cast<std::size_t>(spec.num_elements);
  const std::size_t in_width = static_cast<std::size_t>(stored_width(spec.stored));
  if (spec.num_elements * in_width != raw.size()) {
    return fail(ErrorCode::Internal, "weight " + in_quotes(spec.name) + ": byte length does not match its shape");
  }
  auto buffer = std::make_shared<std::vector<std::byte>>(n * *out_width);
  std::byte* dst = buffer->data();
  const std::byte* src = raw.data();
  switch (target) {
    case ir::DType::Float:
      for (std::size_t i = 0; i < n; ++i) {
        store_le(dst + 4 * i, static_cast<float>(stored_value(spec, src + in_width * i)));
      }
      break;
    case ir::DType::Double:
      // Widening what the writer narrowed: the float32 value, not the dequantization in double.
      for (std::size_t i = 0; i < n; ++i) {
        store_le(dst + 8 * i,
                 static_cast<double>(static_cast<float>(stored_value(spec, src + in_width * i))));
      }
      break;
    case ir::DType::Int32:
    case ir::DType::Int64:
      for (std::size_t i = 0; i < n; ++i) {
        const std::byte* p = src + in_width * i;
        const std::int32_t v = spec.stored == StoredType::Int32 ? load_le<std::int32_t>(p)
                                                                : round_to_int32(stored_value(spec, p));
        if (target == ir::DType::Int32) {
          store_le(dst + 4 * i, v);
        } else {
          store_le(dst + 8 * i, static_cast<std::int64_t>(v));
        }
      }
      break;
    case ir::DType::Bool:
      for (std::size_t i = 0; i < n; ++i) dst[i] = std::byte{src[i] != std::byte{0}};
      break;
    case ir::DType::Complex64:
      if (n > 0) std::memcpy(dst, src, n * 8);
      break;
    case ir::DType::Complex128:
      for (std::size_t i = 0; i < 2 * n; ++i) {
        store_le(dst + 8 * i, static_cast<double>(load_le<float>(src + 4 * i)));
      }
      break;
    default:
      return fail(ErrorCode::Internal, "cannot decode a weight to " + ir::dtype_name(target));
  }
  out.bytes = std::span<const std::byte>(buffer->data(), buffer->size());
  out.keep_alive = std::move(buffer);
  return out;
}

ir::Tensor make_weight_tensor(std::shared_ptr<const ShardSet> shards, const WeightSpec& spec,
                              ir::DType target) {
  auto cache = std::make_shared<CachedLoad>();
  const bool passthrough = !spec.quantization && target == spec.dtype &&
                           spec.stored != StoredType::String && spec.stored != StoredType::Bool;
  ir::Tensor::Loader loader = [shards, spec, target, cache, passthrough]() -> Expected<ir::TensorBytes> {
    std::lock_guard lock(cache->mutex);
    if (!cache->result) {
      ir::TensorBytes raw = shards->read(spec.offset, spec.byte_length);
      if (passthrough) {
        // Unquantized float32/int32/complex64: the shard bytes are the tensor bytes.
        cache->result = std::move(raw);
      } else {
        auto decoded = decode_weight(spec, raw.bytes, target);
        if (!decoded) {
          std::string file;
          if (shards->shard_count() > 0) file = shards->shard(shards->shard_at(spec.offset)).path().string();
          cache->result = unexpected(std::move(decoded.error()).in_file(file));
        } else {
          cache->result = std::move(decoded);
        }
      }
    }
    return *cache->result;
  };
  std::vector<std::int64_t> dims = spec.shape;
  ir::Tensor tensor(target, ir::Shape(std::move(dims)), std::move(loader));
  if (const auto width = ir::dtype_size(target)) tensor.set_byte_size(spec.num_elements * *width);
  return tensor;
}

}  // namespace litelint::analyzer::tfjs
