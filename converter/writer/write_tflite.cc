#include "converter/writer/write_tflite.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>
#include <functional>
#include <span>
#include <string_view>
#include <unordered_map>
#include <utility>

#include <fmt/format.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "analyzer/ir/tflite_model.h"
#include "analyzer/support/assert.h"
#include "analyzer/tflite/schema.h"
#include "rules/engine/opdb.h"

namespace litelint::converter::writer {
namespace {

namespace fb = flatbuffers;

// The schema's force_align on Buffer.data: kernels and delegates read weights in place with
// SIMD loads, and the >2 GB tail keeps the same alignment.
constexpr std::uint64_t kBufferAlign = 16;
// min_runtime_version is a 16-byte zero-padded string, the buffer alignment, so it costs no
// padding (the converter's reason for the size).
constexpr std::size_t kRuntimeVersionBytes = 16;
// A FlatBuffer addresses itself with signed 32-bit offsets.
constexpr std::uint64_t kMaxFlatBuffer = FLATBUFFERS_MAX_BUFFER_SIZE;
// What Model.version must say (TFLITE_SCHEMA_VERSION); the runtime refuses anything else.
constexpr std::uint32_t kSchemaVersion = 3;
// builtin codes from here on do not fit the 8-bit deprecated_builtin_code.
constexpr std::int32_t kPlaceholderForGreaterOpCodes = 127;

std::uint64_t align_up(std::uint64_t n, std::uint64_t a) { return (n + a - 1) / a * a; }

std::string_view as_chars(std::span<const std::byte> bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

// TensorFlow's CompareRuntimeVersion: numeric, component by component; a prefix is older.
bool older_runtime(std::string_view a, std::string_view b) {
  auto next = [](std::string_view& s, int& value) {
    const std::size_t dot = s.find('.');
    const std::string_view part = s.substr(0, dot);
    s = dot == std::string_view::npos ? std::string_view() : s.substr(dot + 1);
    return std::from_chars(part.data(), part.data() + part.size(), value).ec == std::errc();
  };
  while (!a.empty() && !b.empty()) {
    int va = 0;
    int vb = 0;
    const bool ok_a = next(a, va);
    const bool ok_b = next(b, vb);
    if (ok_a && ok_b && va != vb) return va < vb;
  }
  return a.empty() && !b.empty();
}

struct OpcodeKey {
  tflite::BuiltinOperator builtin;
  std::string custom_code;
  auto operator<=>(const OpcodeKey&) const = default;
};

struct OpcodeEntry {
  OpcodeKey key;
  std::int32_t version = 1;
};

// A place in the finished FlatBuffer, counted from its end (FlatBufferBuilder grows downwards,
// so only end-relative positions survive until Finish), where a constant's bytes go.
struct Hole {
  std::uint64_t from_end = 0;
  std::span<const std::byte> bytes;
  std::size_t unique = 0;  // index into Serializer::unique_
};

Expected<void> check_index(std::int64_t index, std::size_t count, bool allow_omitted,
                           const std::string& what) {
  if (allow_omitted && index == -1) return {};
  if (index < 0 || static_cast<std::uint64_t>(index) >= count) {
    return fail(ErrorCode::Internal, fmt::format("{} is {}, outside [0, {})", what, index, count));
  }
  return {};
}

class Serializer {
 public:
  Serializer(const tfl::Model& model, const WriteOptions& opts) : model_(model), opts_(opts) {}
  // The consuming form: each constant is freed once its bytes are in the result (or, with a
  // sink, handed to it).
  Serializer(tfl::Model& model, const WriteOptions& opts, const ByteSink* sink = nullptr)
      : model_(model), opts_(opts), consumed_(&model), sink_(sink) {}

  Expected<WrittenModel> run();

 private:
  Expected<void> validate() const;
  void plan_buffers();
  void plan_opcodes();
  std::vector<std::uint8_t> conversion_metadata() const;
  std::uint64_t estimate_structure_bytes() const;
  // Builds the whole FlatBuffer; `tail_start` is the file offset of the first byte after it
  // (only used in the rev 3c layout). Constant data is left for `assemble` to copy.
  void build(fb::FlatBufferBuilder& fbb, std::uint64_t tail_start);
  fb::Offset<tflite::Tensor> build_tensor(fb::FlatBufferBuilder& fbb, const tfl::Tensor& t);
  fb::Offset<tflite::Operator> build_operator(fb::FlatBufferBuilder& fbb, const tfl::Operator& op);

  // Appends to the result, or passes the bytes to the sink.
  Expected<void> emit(WrittenModel& out, std::span<const std::uint8_t> bytes);
  Expected<void> emit_zeros(WrittenModel& out, std::uint64_t n);
  // Frees unique_[i]'s storage (the consuming form only).
  void release(std::size_t unique);
  void trim_heap();

  const tfl::Model& model_;
  const WriteOptions& opts_;
  tfl::Model* consumed_ = nullptr;
  const ByteSink* sink_ = nullptr;
  std::uint64_t released_since_trim_ = 0;

  std::vector<std::uint32_t> buffer_index_;          // model buffer -> written buffer (0: none)
  std::vector<std::span<const std::byte>> unique_;   // written buffers 1..n, by index - 1
  std::vector<std::uint32_t> unique_source_;         // the model buffer each unique_ entry is
  std::vector<std::uint64_t> tail_offset_;           // rev 3c: offset of unique_[i] in the tail
  std::uint64_t tail_bytes_ = 0;
  std::uint32_t deduplicated_ = 0;
  bool outside_ = false;

  std::vector<OpcodeEntry> opcodes_;
  std::map<OpcodeKey, std::uint32_t> opcode_index_;
  std::string min_runtime_;
  std::vector<std::uint8_t> conversion_metadata_;

  std::vector<Hole> holes_;
  std::map<std::string, std::uint64_t> sections_;
};

Expected<void> Serializer::validate() const {
  const std::size_t num_subgraphs = model_.subgraphs.size();
  if (num_subgraphs == 0) return fail(ErrorCode::Internal, "model has no subgraph");
  if (model_.buffers.empty() || !model_.buffers[0].empty()) {
    return fail(ErrorCode::Internal, "buffer 0 must exist and be empty");
  }
  for (std::size_t s = 0; s < num_subgraphs; ++s) {
    const tfl::Subgraph& sg = model_.subgraphs[s];
    const std::string where = fmt::format("subgraph {} ('{}')", s, sg.name);
    const std::size_t n = sg.tensors.size();
    for (std::size_t i = 0; i < sg.tensors.size(); ++i) {
      const tfl::Tensor& t = sg.tensors[i];
      const std::string tw = fmt::format("{}: tensor {} ('{}')", where, i, t.name);
      if (auto ok = check_index(t.buffer, model_.buffers.size(), false, tw + ": buffer"); !ok) return ok;
      if (t.has_rank && !t.signature.empty() && t.signature.size() != t.shape.size()) {
        return fail(ErrorCode::Internal, fmt::format("{}: shape has rank {} but its signature {}", tw,
                                                     t.shape.size(), t.signature.size()));
      }
      if (!t.has_rank && !t.shape.empty()) {
        return fail(ErrorCode::Internal, tw + ": a tensor of unknown rank has a shape");
      }
      if (t.is_variable && !model_.buffers[t.buffer].empty()) {
        // The verifier rejects it: a variable's initial value comes from an assignment.
        return fail(ErrorCode::Internal, tw + ": a variable tensor has constant data");
      }
    }
    for (std::int32_t i : sg.inputs) {
      if (auto ok = check_index(i, n, false, where + ": input"); !ok) return ok;
    }
    for (std::int32_t i : sg.outputs) {
      if (auto ok = check_index(i, n, false, where + ": output"); !ok) return ok;
    }
    for (std::size_t k = 0; k < sg.operators.size(); ++k) {
      const tfl::Operator& op = sg.operators[k];
      const std::string ow = fmt::format("{}: operator {} ({})", where, k, tfl::op_name(op));
      const auto code = static_cast<std::int32_t>(op.builtin);
      if (code < 0 || code > static_cast<std::int32_t>(tflite::BuiltinOperator::MAX)) {
        return fail(ErrorCode::Internal, fmt::format("{}: builtin code {} is not in the schema", ow, code));
      }
      if (op.version < 1) return fail(ErrorCode::Internal, fmt::format("{}: version {}", ow, op.version));
      const bool custom = op.builtin == tflite::BuiltinOperator::CUSTOM;
      if (custom && op.custom_code.empty()) return fail(ErrorCode::Internal, ow + ": CUSTOM op without a name");
      if (!custom && !op.custom_code.empty()) {
        return fail(ErrorCode::Internal, ow + ": a builtin op has a custom code");
      }
      if (!custom && !op.custom_options.empty()) {
        return fail(ErrorCode::Internal, ow + ": a builtin op has custom options");
      }
      // The runtime reads options through typed accessors and silently zero-fills its
      // parameters on a mismatch (strides 0, dilations 0), so a wrong member is a bug to stop here.
      const std::string_view expected = ir::builtin_options_table(code);
      if (op.options.type != tflite::BuiltinOptions::NONE &&
          tflite::EnumNameBuiltinOptions(op.options.type) != expected) {
        return fail(ErrorCode::Internal,
                    fmt::format("{}: options are {}, the op reads {}", ow,
                                tflite::EnumNameBuiltinOptions(op.options.type),
                                expected.empty() ? "none" : expected));
      }
      if (op.options2.type != tflite::BuiltinOptions2::NONE &&
          tflite::EnumNameBuiltinOptions2(op.options2.type) != expected) {
        return fail(ErrorCode::Internal,
                    fmt::format("{}: options are {}, the op reads {}", ow,
                                tflite::EnumNameBuiltinOptions2(op.options2.type),
                                expected.empty() ? "none" : expected));
      }
      for (std::int32_t i : op.inputs) {
        if (auto ok = check_index(i, n, true, ow + ": input"); !ok) return ok;
      }
      for (std::int32_t i : op.outputs) {
        if (auto ok = check_index(i, n, false, ow + ": output"); !ok) return ok;
      }
      for (std::int32_t i : op.intermediates) {
        if (auto ok = check_index(i, n, false, ow + ": intermediate"); !ok) return ok;
      }
    }
  }
  for (const tfl::SignatureDef& sig : model_.signatures) {
    const std::string sw = fmt::format("signature '{}'", sig.key);
    if (sig.key.empty()) return fail(ErrorCode::Internal, "a signature has no key");
    if (auto ok = check_index(sig.subgraph, num_subgraphs, false, sw + ": subgraph"); !ok) return ok;
    const std::size_t n = model_.subgraphs[sig.subgraph].tensors.size();
    for (const auto& [name, index] : sig.inputs) {
      if (auto ok = check_index(index, n, false, sw + ": input '" + name + "'"); !ok) return ok;
    }
    for (const auto& [name, index] : sig.outputs) {
      if (auto ok = check_index(index, n, false, sw + ": output '" + name + "'"); !ok) return ok;
    }
  }
  return {};
}

// Keeps the buffers some tensor uses, each distinct content once (constant folding and shared
// weights produce equal constants; the converter deduplicates them too).
void Serializer::plan_buffers() {
  std::vector<bool> used(model_.buffers.size(), false);
  for (const tfl::Subgraph& sg : model_.subgraphs) {
    for (const tfl::Tensor& t : sg.tensors) used[t.buffer] = true;
  }
  // Only buffers of equal size can be equal: hash just those, so a model whose weights all
  // differ in size is never read before the copy into the output.
  std::unordered_map<std::size_t, std::uint32_t> same_size;
  for (std::size_t i = 1; i < model_.buffers.size(); ++i) {
    if (used[i] && !model_.buffers[i].empty()) ++same_size[model_.buffers[i].bytes().size()];
  }
  buffer_index_.assign(model_.buffers.size(), 0);
  // Keyed by a fingerprint of the ends, not a hash of all the bytes: hashing every weight of
  // ResNet50 (its blocks repeat sizes) cost ~3% of a conversion. Equal bytes have equal
  // fingerprints, and candidates are compared in full, so the result is the same.
  std::unordered_multimap<std::size_t, std::uint32_t> by_hash;
  const std::hash<std::string_view> hasher;
  const auto fingerprint = [&](std::span<const std::byte> bytes) {
    const std::size_t n = std::min<std::size_t>(bytes.size(), 64);
    return hasher(as_chars(bytes.first(n))) ^ (hasher(as_chars(bytes.last(n))) * 31);
  };
  for (std::size_t i = 1; i < model_.buffers.size(); ++i) {
    const std::span<const std::byte> bytes = model_.buffers[i].bytes();
    if (!used[i] || bytes.empty()) continue;
    if (same_size[bytes.size()] == 1) {
      unique_.push_back(bytes);
      unique_source_.push_back(static_cast<std::uint32_t>(i));
      buffer_index_[i] = static_cast<std::uint32_t>(unique_.size());
      continue;
    }
    const std::size_t h = fingerprint(bytes);
    auto [first, last] = by_hash.equal_range(h);
    auto same = std::find_if(first, last, [&](const auto& entry) {
      const std::span<const std::byte> other = unique_[entry.second - 1];
      return other.size() == bytes.size() && std::memcmp(other.data(), bytes.data(), bytes.size()) == 0;
    });
    if (same != last) {
      buffer_index_[i] = same->second;
      ++deduplicated_;
      continue;
    }
    unique_.push_back(bytes);
    unique_source_.push_back(static_cast<std::uint32_t>(i));
    buffer_index_[i] = static_cast<std::uint32_t>(unique_.size());
    by_hash.emplace(h, buffer_index_[i]);
  }
  std::uint64_t total = 0;
  for (const auto& bytes : unique_) total += align_up(bytes.size(), kBufferAlign);
  // Past 2 GiB the FlatBuffer cannot hold the data, whatever the option says.
  const std::uint64_t threshold = std::min(opts_.buffers_outside_threshold, kMaxInlineBufferBytes);
  outside_ = total > threshold;
  if (outside_) {
    tail_offset_.reserve(unique_.size());
    for (const auto& bytes : unique_) {
      tail_offset_.push_back(tail_bytes_);
      tail_bytes_ += align_up(bytes.size(), kBufferAlign);
    }
  }
}

// One OperatorCode per builtin (or custom name), at the highest version any of its operators
// needs, in order of first use: what the converter's UpdateOpVersion leaves.
void Serializer::plan_opcodes() {
  for (const tfl::Subgraph& sg : model_.subgraphs) {
    for (const tfl::Operator& op : sg.operators) {
      OpcodeKey key{op.builtin, op.custom_code};
      auto [it, inserted] = opcode_index_.try_emplace(key, static_cast<std::uint32_t>(opcodes_.size()));
      if (inserted) {
        opcodes_.push_back({std::move(key), op.version});
      } else {
        opcodes_[it->second].version = std::max(opcodes_[it->second].version, op.version);
      }
    }
  }
}

std::vector<std::uint8_t> Serializer::conversion_metadata() const {
  const ConversionInfo& info = opts_.conversion;
  fb::FlatBufferBuilder fbb(256);
  std::vector<tflite::ModelOptimizationMode> modes;
  for (std::int32_t m : info.optimization_modes) modes.push_back(static_cast<tflite::ModelOptimizationMode>(m));
  auto options = tflite::CreateConversionOptions(fbb, modes.empty() ? 0 : fbb.CreateVector(modes),
                                                 info.allow_custom_ops, info.enable_select_tf_ops);
  auto environment = tflite::CreateEnvironment(fbb, fbb.CreateString(info.producer), info.api_version,
                                               static_cast<tflite::ModelType>(info.model_type));
  fbb.Finish(tflite::CreateConversionMetadata(fbb, environment, options));
  return {fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize()};
}

// An upper bound on everything but the constant data, so the builder allocates once: a
// reallocation would copy (and so touch) every reserved constant hole.
std::uint64_t Serializer::estimate_structure_bytes() const {
  std::uint64_t n = 4096 + model_.description.size() + conversion_metadata_.size();
  n += 64 * (model_.buffers.size() + 4) + 48 * unique_.size();
  for (const tfl::Subgraph& sg : model_.subgraphs) {
    n += 128 + sg.name.size() + 4 * (sg.inputs.size() + sg.outputs.size());
    for (const tfl::Tensor& t : sg.tensors) {
      n += 160 + t.name.size() + 4 * (t.shape.size() + t.signature.size());
      if (t.quantization) n += 96 + 4 * t.quantization->scale.size() + 8 * t.quantization->zero_point.size();
    }
    for (const tfl::Operator& op : sg.operators) {
      // 512 covers the largest options tables; ops with vectors in their options
      // (StableHLO) are rare enough that a reallocation there costs nothing.
      n += 512 + op.custom_options.size() + 4 * (op.inputs.size() + op.outputs.size() + op.intermediates.size());
    }
  }
  n += 64 * opcodes_.size();
  for (const OpcodeEntry& e : opcodes_) n += e.key.custom_code.size();
  for (const tfl::SignatureDef& sig : model_.signatures) {
    n += 96 + sig.key.size();
    for (const auto& [name, index] : sig.inputs) n += 32 + name.size();
    for (const auto& [name, index] : sig.outputs) n += 32 + name.size();
  }
  return n;
}

fb::Offset<tflite::Tensor> Serializer::build_tensor(fb::FlatBufferBuilder& fbb, const tfl::Tensor& t) {
  auto name = fbb.CreateString(t.name);
  auto shape = fbb.CreateVector(t.shape);
  // As the converter does: shape_signature only when a dimension is dynamic, so static models
  // stay byte-identical to older writers.
  fb::Offset<fb::Vector<std::int32_t>> signature = 0;
  if (t.has_rank && std::any_of(t.signature.begin(), t.signature.end(), [](std::int32_t d) { return d < 0; })) {
    signature = fbb.CreateVector(t.signature);
  }
  fb::Offset<tflite::QuantizationParameters> quantization = 0;
  if (t.quantization) {
    const tfl::Quantization& q = *t.quantization;
    quantization = tflite::CreateQuantizationParameters(
        fbb, 0, 0, fbb.CreateVector(q.scale), fbb.CreateVector(q.zero_point),
        tflite::QuantizationDetails::NONE, 0, q.quantized_dimension);
  }
  return tflite::CreateTensor(fbb, shape, t.type, buffer_index_[t.buffer], name, quantization,
                              t.is_variable, 0, signature, t.has_rank);
}

fb::Offset<tflite::Operator> Serializer::build_operator(fb::FlatBufferBuilder& fbb,
                                                       const tfl::Operator& op) {
  auto inputs = fbb.CreateVector(op.inputs);
  auto outputs = fbb.CreateVector(op.outputs);
  fb::Offset<fb::Vector<std::int32_t>> intermediates = 0;
  if (!op.intermediates.empty()) intermediates = fbb.CreateVector(op.intermediates);
  fb::Offset<fb::Vector<std::uint8_t>> custom_options = 0;
  if (!op.custom_options.empty()) custom_options = fbb.CreateVector(op.custom_options);
  auto options = op.options.Pack(fbb);
  auto options2 = op.options2.Pack(fbb);
  return tflite::CreateOperator(fbb, opcode_index_.at(OpcodeKey{op.builtin, op.custom_code}), inputs,
                                outputs, op.options.type, options, custom_options,
                                tflite::CustomOptionsFormat::FLEXBUFFERS, 0, intermediates, 0, 0,
                                op.options2.type, options2);
}

void Serializer::build(fb::FlatBufferBuilder& fbb, std::uint64_t tail_start) {
  holes_.clear();
  sections_.clear();
  auto section = [&](const char* name, auto&& body) {
    const std::uint64_t before = fbb.GetSize();
    auto result = body();
    sections_[name] += fbb.GetSize() - before;
    return result;
  };

  // Constant data first, so it ends up at the end of the file, after everything a loader
  // parses: the same layout as the converter's, which keeps the header pages together.
  std::vector<fb::Offset<tflite::Buffer>> buffers = section("buffers", [&] {
    std::vector<fb::Offset<tflite::Buffer>> out;
    out.reserve(unique_.size() + 4);
    out.push_back(tflite::CreateBuffer(fbb));
    for (std::size_t i = 0; i < unique_.size(); ++i) {
      const std::span<const std::byte> bytes = unique_[i];
      if (outside_) {
        out.push_back(tflite::CreateBuffer(fbb, 0, tail_start + tail_offset_[i], bytes.size()));
        continue;
      }
      fbb.ForceVectorAlignment(bytes.size(), 1, kBufferAlign);
      std::uint8_t* unused = nullptr;
      const fb::uoffset_t vector_end = fbb.CreateUninitializedVector(bytes.size(), 1, &unused);
      // The length prefix was pushed last; the data starts right after it.
      holes_.push_back({vector_end - sizeof(fb::uoffset_t), bytes, i});
      out.push_back(tflite::CreateBuffer(fbb, fb::Offset<fb::Vector<std::uint8_t>>(vector_end)));
    }
    return out;
  });

  auto metadata = section("metadata", [&] {
    std::vector<fb::Offset<tflite::Metadata>> entries;
    auto add = [&](std::string_view name, std::span<const std::uint8_t> value) {
      fbb.ForceVectorAlignment(value.size(), 1, kBufferAlign);
      auto data = fbb.CreateVector(value.data(), value.size());
      buffers.push_back(tflite::CreateBuffer(fbb, data));
      entries.push_back(tflite::CreateMetadata(fbb, fbb.CreateString(name.data(), name.size()),
                                               static_cast<std::uint32_t>(buffers.size() - 1)));
    };
    std::array<std::uint8_t, kRuntimeVersionBytes> version{};
    // The converter leaves the buffer all zeros when the string would not fit.
    if (min_runtime_.size() < kRuntimeVersionBytes) std::memcpy(version.data(), min_runtime_.data(), min_runtime_.size());
    add("min_runtime_version", version);
    if (outside_) {
      // The runtime and our loader key the rev 3c layout on this entry's presence.
      constexpr std::string_view kOutside = "outside flatbuffers";
      add("buffer_location", {reinterpret_cast<const std::uint8_t*>(kOutside.data()), kOutside.size()});
    }
    if (opts_.conversion_metadata) add("CONVERSION_METADATA", conversion_metadata_);
    return fbb.CreateVector(entries);
  });
  auto buffer_vector = section("buffers", [&] { return fbb.CreateVector(buffers); });

  std::vector<fb::Offset<tflite::SubGraph>> subgraphs;
  for (const tfl::Subgraph& sg : model_.subgraphs) {
    auto tensors = section("tensors", [&] {
      std::vector<fb::Offset<tflite::Tensor>> out;
      out.reserve(sg.tensors.size());
      for (const tfl::Tensor& t : sg.tensors) out.push_back(build_tensor(fbb, t));
      return fbb.CreateVector(out);
    });
    auto operators = section("operators", [&] {
      std::vector<fb::Offset<tflite::Operator>> out;
      out.reserve(sg.operators.size());
      for (const tfl::Operator& op : sg.operators) out.push_back(build_operator(fbb, op));
      return fbb.CreateVector(out);
    });
    auto name = sg.name.empty() ? 0 : fbb.CreateString(sg.name);
    subgraphs.push_back(tflite::CreateSubGraph(fbb, tensors, fbb.CreateVector(sg.inputs),
                                               fbb.CreateVector(sg.outputs), operators, name));
  }
  auto subgraph_vector = fbb.CreateVector(subgraphs);

  auto opcodes = section("operators", [&] {
    std::vector<fb::Offset<tflite::OperatorCode>> out;
    for (const OpcodeEntry& e : opcodes_) {
      const auto code = static_cast<std::int32_t>(e.key.builtin);
      auto custom = e.key.custom_code.empty() ? 0 : fbb.CreateString(e.key.custom_code);
      out.push_back(tflite::CreateOperatorCode(
          fbb, static_cast<std::int8_t>(std::min(code, kPlaceholderForGreaterOpCodes)), custom,
          e.version, e.key.builtin));
    }
    return fbb.CreateVector(out);
  });

  auto signatures = section("signature_defs", [&] {
    // TensorMaps sorted by alias, as the converter writes them.
    auto maps = [&](std::vector<std::pair<std::string, std::int32_t>> list) {
      std::sort(list.begin(), list.end());
      std::vector<fb::Offset<tflite::TensorMap>> out;
      for (const auto& [name, index] : list) {
        out.push_back(tflite::CreateTensorMap(fbb, fbb.CreateString(name), static_cast<std::uint32_t>(index)));
      }
      return fbb.CreateVector(out);
    };
    std::vector<fb::Offset<tflite::SignatureDef>> out;
    for (const tfl::SignatureDef& sig : model_.signatures) {
      auto inputs = maps(sig.inputs);
      auto outputs = maps(sig.outputs);
      out.push_back(tflite::CreateSignatureDef(fbb, inputs, outputs, fbb.CreateString(sig.key), sig.subgraph));
    }
    return out.empty() ? fb::Offset<fb::Vector<fb::Offset<tflite::SignatureDef>>>(0) : fbb.CreateVector(out);
  });

  auto description = fbb.CreateString(model_.description);
  auto root = tflite::CreateModel(fbb, kSchemaVersion, opcodes, subgraph_vector, description,
                                  buffer_vector, 0, metadata, signatures);
  tflite::FinishModelBuffer(fbb, root);
}

Expected<WrittenModel> Serializer::run() {
  if (auto ok = validate(); !ok) return unexpected(ok.error());
  plan_buffers();
  plan_opcodes();
  min_runtime_ = min_runtime_version(model_);
  if (opts_.conversion_metadata) conversion_metadata_ = conversion_metadata();

  const std::uint64_t structure = estimate_structure_bytes();
  std::uint64_t inline_data = 0;
  if (!outside_) {
    for (const auto& bytes : unique_) inline_data += align_up(bytes.size(), kBufferAlign) + kBufferAlign;
  }
  if (structure + inline_data >= kMaxFlatBuffer) {
    return fail(ErrorCode::Unsupported,
                fmt::format("the model's tables alone need about {} bytes, more than a FlatBuffer holds",
                            structure));
  }

  fb::FlatBufferBuilder fbb(structure + inline_data);
  std::uint64_t tail_start = 0;
  if (outside_) {
    // Buffer.offset is absolute, so the tail's start depends on the FlatBuffer's size, and
    // that does not depend on the offsets' values (fixed-size scalars, all non-zero): build
    // once to measure, then again with the real offsets.
    build(fbb, kBufferAlign);
    // The converter always pads: 1..16 zero bytes between the FlatBuffer and the data.
    tail_start = align_up(fbb.GetSize() + 1, kBufferAlign);
    const std::uint64_t measured = fbb.GetSize();
    fbb.Clear();
    build(fbb, tail_start);
    LITELINT_ASSERT(fbb.GetSize() == measured);
  } else {
    build(fbb, 0);
  }

  WrittenModel out;
  const std::uint64_t fb_size = fbb.GetSize();
  const std::uint64_t file_size = outside_ ? tail_start + tail_bytes_ : fb_size;
  if (sink_ == nullptr) {
    if (consumed_ != nullptr) trim_heap();  // what fusion freed, before the result grows
    out.bytes.reserve(file_size);
  }
  const std::uint8_t* fb_bytes = fbb.GetBufferPointer();
  // The FlatBuffer around the holes and each constant into its hole, so that every weight
  // byte is copied once, into the result or the sink (the builder never touches the holes).
  std::sort(holes_.begin(), holes_.end(), [](const Hole& a, const Hole& b) { return a.from_end > b.from_end; });
  std::uint64_t copied = 0;
  for (const Hole& hole : holes_) {
    const std::uint64_t at = fb_size - hole.from_end;
    if (auto ok = emit(out, {fb_bytes + copied, fb_bytes + at}); !ok) return unexpected(ok.error());
    const auto* data = reinterpret_cast<const std::uint8_t*>(hole.bytes.data());
    if (auto ok = emit(out, {data, hole.bytes.size()}); !ok) return unexpected(ok.error());
    copied = at + hole.bytes.size();
    release(hole.unique);
  }
  if (auto ok = emit(out, {fb_bytes + copied, fb_bytes + fb_size}); !ok) return unexpected(ok.error());
  if (outside_) {
    for (std::size_t i = 0; i < unique_.size(); ++i) {
      if (auto ok = emit_zeros(out, tail_start + tail_offset_[i] - out.size); !ok) return unexpected(ok.error());
      const auto* data = reinterpret_cast<const std::uint8_t*>(unique_[i].data());
      if (auto ok = emit(out, {data, unique_[i].size()}); !ok) return unexpected(ok.error());
      release(i);
    }
    if (auto ok = emit_zeros(out, file_size - out.size); !ok) return unexpected(ok.error());
    sections_["buffers"] += out.size - fb_size;
  }
  LITELINT_ASSERT(out.size == file_size);

  std::uint64_t accounted = 0;
  for (const auto& [name, bytes] : sections_) accounted += bytes;
  for (const char* name : {"buffers", "tensors", "operators", "metadata", "signature_defs"}) sections_[name] += 0;
  sections_["other"] = out.size - accounted;
  out.bytes_per_section = std::move(sections_);
  out.min_runtime_version = min_runtime_;
  out.constant_buffers = static_cast<std::uint32_t>(unique_.size());
  out.deduplicated_buffers = deduplicated_;
  out.buffers_outside_flatbuffer = outside_;
  out.signature_defs = static_cast<std::uint32_t>(model_.signatures.size());
  return out;
}

Expected<void> Serializer::emit(WrittenModel& out, std::span<const std::uint8_t> bytes) {
  out.size += bytes.size();
  if (sink_ == nullptr) {
    out.bytes.insert(out.bytes.end(), bytes.data(), bytes.data() + bytes.size());
    return {};
  }
  if (bytes.empty()) return {};
  return (*sink_)(bytes);
}

Expected<void> Serializer::emit_zeros(WrittenModel& out, std::uint64_t n) {
  // Padding between constants in the rev 3c tail is below the 16-byte alignment.
  static constexpr std::array<std::uint8_t, kBufferAlign> kZeros{};
  LITELINT_ASSERT(n <= kZeros.size());
  return emit(out, {kZeros.data(), static_cast<std::size_t>(n)});
}

void Serializer::release(std::size_t unique) {
  if (consumed_ == nullptr) return;
  tfl::Buffer& buffer = consumed_->buffers[unique_source_[unique]];
  released_since_trim_ += buffer.owned.size();
  buffer = tfl::Buffer{};
  unique_[unique] = {};
  // Folded and transposed weights are freed here one by one while the result grows, so the
  // process holds each weight about once; glibc keeps freed heap chunks below its (adaptive)
  // mmap threshold, so hand them back every so often. Streamed to a sink nothing grows, and
  // malloc_trim's walk over the heap would only cost time.
  if (sink_ == nullptr && released_since_trim_ >= (std::uint64_t{16} << 20)) trim_heap();
}

void Serializer::trim_heap() {
  released_since_trim_ = 0;
#if defined(__GLIBC__)
  ::malloc_trim(0);
#endif
}

}  // namespace

std::string min_runtime_version(const tfl::Model& model) {
  std::string result;
  for (const tfl::Subgraph& sg : model.subgraphs) {
    for (const tfl::Operator& op : sg.operators) {
      if (op.builtin == tflite::BuiltinOperator::CUSTOM) continue;
      const rules::TfliteBuiltinInfo* info = rules::find_builtin(static_cast<int>(op.builtin));
      // Versions missing from the runtime table are skipped, as in the converter.
      const std::string_view runtime = info == nullptr ? std::string_view() : info->min_runtime(op.version);
      if (!runtime.empty() && older_runtime(result, runtime)) result = runtime;
    }
  }
  return result;
}

Expected<WrittenModel> write_tflite(const tfl::Model& model, const WriteOptions& opts) {
  return Serializer(model, opts).run();
}

Expected<WrittenModel> write_tflite(tfl::Model&& model, const WriteOptions& opts) {
  return Serializer(model, opts).run();
}

Expected<WrittenModel> write_tflite(tfl::Model&& model, const WriteOptions& opts, const ByteSink& sink) {
  return Serializer(model, opts, &sink).run();
}

}  // namespace litelint::converter::writer
