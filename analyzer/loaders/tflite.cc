#include "analyzer/loaders/tflite.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <set>
#include <string_view>
#include <tuple>

#include "analyzer/ir/shape.h"
#include "analyzer/support/input_limits.h"
#include "analyzer/tflite/schema.h"

namespace litelint::analyzer {
namespace {

constexpr std::string_view kIdentifier = "TFL3";
constexpr std::uint32_t kNewestSchemaVersion = 3;
constexpr std::size_t kMaxRank = ir::Shape::kMaxRank;
// Offsets of at most 1 are "no data": 1 is the placeholder the converter writes before it
// knows where the data will go (schema rev 3c).
constexpr std::uint64_t kFirstRealOffset = 2;
// Metadata values up to this size are summarised as text when they are printable.
constexpr std::size_t kMaxTextMetadata = 256;
// A nested CONVERSION_METADATA blob larger than this is not decoded (real ones are ~100 B).
constexpr std::size_t kMaxConversionMetadata = std::size_t{1} << 20;

using Int32Vector = flatbuffers::Vector<std::int32_t>;

std::string printable(std::string_view bytes) {
  std::string out;
  for (char c : bytes) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7f && c != '\'' && c != '\\') {
      out += c;
    } else {
      out += fmt::format("\\x{:02x}", u);
    }
  }
  return out;
}

std::string quoted_name(std::string_view what, std::size_t index, std::string_view name) {
  if (name.empty()) return fmt::format("{} {}", what, index);
  return fmt::format("{} {} ('{}')", what, index, printable(name));
}

// Reads the verified FlatBuffer into the IR and checks what the verifier cannot. Everything
// copied out of the file is charged to a budget proportional to the file size: the verifier
// lets many tables share one vector, and copying a shared vector once per reference would
// otherwise let a small file allocate without bound.
class Reader {
 public:
  Reader(std::shared_ptr<const MappedFile> file, const tflite::Model& root)
      : file_(std::move(file)), root_(root), budget_(2 * file_->size() + (1u << 20)) {}

  Expected<ir::TfliteModel> read() {
    model_.version = root_.version();
    if (model_.version == 0 || model_.version > kNewestSchemaVersion) {
      return bad_input(fmt::format("unsupported TFLite schema version {} (litelint reads 1 to {})",
                                   model_.version, kNewestSchemaVersion));
    }
    model_.file = file_;
    model_.flatbuffer_bytes = std::min<std::uint64_t>(file_->size(), FLATBUFFERS_MAX_BUFFER_SIZE - 1);
    if (const auto* d = root_.description()) {
      if (!copy_string(*d, model_.description)) return over_budget();
    }
    if (auto r = read_buffers(); !r) return unexpected(r.error());
    if (auto r = read_operator_codes(); !r) return unexpected(r.error());
    if (const auto* subgraphs = root_.subgraphs()) {
      model_.subgraphs.reserve(subgraphs->size());
      for (flatbuffers::uoffset_t i = 0; i < subgraphs->size(); ++i) {
        auto sg = read_subgraph(i, *subgraphs->Get(i));
        if (!sg) return unexpected(sg.error());
        model_.subgraphs.push_back(std::move(*sg));
      }
    }
    for (std::size_t i = 0; i < model_.subgraphs.size(); ++i) {
      if (auto r = check_subgraph(i); !r) return unexpected(r.error());
    }
    if (auto r = read_signatures(); !r) return unexpected(r.error());
    if (auto r = read_metadata(); !r) return unexpected(r.error());
    collect_custom_ops();
    return std::move(model_);
  }

 private:
  tl::unexpected<Error> over_budget() const {
    return bad_input("the FlatBuffer refers to the same data so many times that reading it would "
                     "need more than " + std::to_string(2 * file_->size() + (1u << 20)) +
                     " elements; it is not a converter-written model");
  }

  bool charge(std::size_t n) {
    if (n > budget_) return false;
    budget_ -= n;
    return true;
  }

  bool copy_string(const flatbuffers::String& s, std::string& out) {
    if (!charge(s.size())) return false;
    out.assign(s.c_str(), s.size());
    return true;
  }

  template <typename T, typename U>
  bool copy_vector(const flatbuffers::Vector<U>* v, std::vector<T>& out) {
    if (v == nullptr) return true;
    if (!charge(v->size())) return false;
    out.assign(v->begin(), v->end());
    return true;
  }

  // Whether [offset, offset + size) lies inside the file, without overflow.
  bool in_file(std::uint64_t offset, std::uint64_t size) const {
    return offset <= file_->size() && size <= file_->size() - offset;
  }

  Expected<void> read_buffers() {
    const auto* buffers = root_.buffers();
    if (buffers == nullptr) return {};
    const auto* base = reinterpret_cast<const std::uint8_t*>(file_->bytes().data());
    model_.buffers.reserve(buffers->size());
    for (flatbuffers::uoffset_t i = 0; i < buffers->size(); ++i) {
      const auto& b = *buffers->Get(i);
      ir::TfliteBuffer out;
      // Inline data wins over an offset, as in the runtime.
      if (const auto* data = b.data(); data != nullptr && data->size() > 0) {
        out.location = ir::TfliteBuffer::Location::Inline;
        out.offset = static_cast<std::uint64_t>(data->data() - base);
        out.size = data->size();
      } else if (b.offset() >= kFirstRealOffset) {
        if (!in_file(b.offset(), b.size())) {
          return bad_input(fmt::format(
              "buffer {}: data at offset {} with size {} ends past the end of the file ({} bytes)",
              i, b.offset(), b.size(), file_->size()));
        }
        out.location = ir::TfliteBuffer::Location::External;
        out.offset = b.offset();
        out.size = b.size();
        model_.buffers_outside_flatbuffer = true;
      }
      model_.total_buffer_bytes += out.size;
      model_.buffers.push_back(out);
    }
    return {};
  }

  Expected<void> read_operator_codes() {
    const auto* codes = root_.operator_codes();
    if (codes == nullptr) return {};
    model_.operator_codes.reserve(codes->size());
    for (flatbuffers::uoffset_t i = 0; i < codes->size(); ++i) {
      const auto& c = *codes->Get(i);
      ir::TfliteOperatorCode out;
      out.deprecated_builtin_code = c.deprecated_builtin_code();
      // Old files only have the 8-bit code (builtin_code reads as 0 = ADD); new ones store 127
      // in the byte for codes >= 127. The larger of the two is right in both cases.
      out.builtin_code = std::max<std::int32_t>(out.deprecated_builtin_code,
                                                static_cast<std::int32_t>(c.builtin_code()));
      out.version = c.version();
      if (const auto* custom = c.custom_code()) {
        if (!copy_string(*custom, out.custom_code)) return over_budget();
      }
      if (out.builtin_code < 0) {
        return bad_input(fmt::format("operator code {}: negative builtin code {}", i,
                                     out.builtin_code));
      }
      if (out.is_custom() && out.custom_code.empty()) {
        return bad_input(fmt::format("operator code {}: CUSTOM op without a custom_code", i));
      }
      model_.operator_codes.push_back(std::move(out));
    }
    return {};
  }

  Expected<void> check_shape(const std::string& where, std::string_view what,
                             const std::vector<std::int32_t>& dims, std::int32_t min_dim) {
    for (std::size_t d = 0; d < dims.size(); ++d) {
      if (dims[d] < min_dim) {
        return bad_input(fmt::format("{}: {} dimension {} is {}", where, what, d, dims[d]));
      }
    }
    return {};
  }

  Expected<ir::TfliteTensor> read_tensor(const std::string& sg_where, std::size_t index,
                                         const tflite::Tensor& t) {
    ir::TfliteTensor out;
    if (const auto* name = t.name()) {
      if (!copy_string(*name, out.name)) return over_budget();
    }
    const std::string where = sg_where + ", " + quoted_name("tensor", index, out.name);
    out.type = static_cast<ir::TfliteType>(static_cast<std::int8_t>(t.type()));
    const auto* shape = t.shape();
    const auto* signature = t.shape_signature();
    for (const auto* dims : {shape, signature}) {
      if (dims != nullptr && dims->size() > kMaxRank) {
        return bad_input(fmt::format("{}: rank {} is over the limit of {}", where, dims->size(),
                                     kMaxRank));
      }
    }
    out.has_shape = shape != nullptr;
    out.has_shape_signature = signature != nullptr;
    if (!copy_vector(shape, out.shape) || !copy_vector(signature, out.shape_signature)) {
      return over_budget();
    }
    // -1 marks a dimension only known at run time. It belongs in shape_signature, but old
    // writers also put it in shape (lstm_calibrated2's unused layer-norm weights).
    if (auto r = check_shape(where, "shape", out.shape, -1); !r) return unexpected(r.error());
    if (auto r = check_shape(where, "shape_signature", out.shape_signature, -1); !r) {
      return unexpected(r.error());
    }
    out.has_rank = t.has_rank();
    out.buffer = t.buffer();
    out.external_buffer = t.external_buffer();
    out.is_variable = t.is_variable();
    out.is_sparse = t.sparsity() != nullptr;
    if (out.buffer >= std::max<std::size_t>(model_.buffers.size(), 1)) {
      return bad_input(fmt::format("{}: buffer index {} is out of range ({} buffers)", where,
                                   out.buffer, model_.buffers.size()));
    }
    if (const auto* q = t.quantization()) {
      ir::TfliteQuantization quant;
      if (!copy_vector(q->scale(), quant.scale) || !copy_vector(q->zero_point(), quant.zero_point)) {
        return over_budget();
      }
      quant.quantized_dimension = q->quantized_dimension();
      quant.has_min_max = q->min() != nullptr || q->max() != nullptr;
      switch (q->details_type()) {
        case tflite::QuantizationDetails::NONE: quant.details = ir::TfliteQuantization::Details::None; break;
        case tflite::QuantizationDetails::CustomQuantization: quant.details = ir::TfliteQuantization::Details::Custom; break;
        case tflite::QuantizationDetails::BlockwiseQuantization: quant.details = ir::TfliteQuantization::Details::Blockwise; break;
        case tflite::QuantizationDetails::MultiAxisQuantization: quant.details = ir::TfliteQuantization::Details::MultiAxis; break;
        default: quant.details = ir::TfliteQuantization::Details::Unknown; break;
      }
      out.quantization = std::move(quant);
    }
    if (auto r = check_buffer_size(where, out); !r) return unexpected(r.error());
    return out;
  }

  // The verifier's rule for constant data: bytes == elements x element size (sub-byte types
  // packed), and a well-formed offset table for STRING. A tensor without a shape vector, a
  // sparse tensor (its element count comes from the sparsity table) and non-constant tensors
  // are not checked. This is what makes segment_sum_invalid_buffer's kind of model fail early.
  Expected<void> check_buffer_size(const std::string& where, const ir::TfliteTensor& t) {
    if (!t.has_shape || t.is_sparse || t.buffer >= model_.buffers.size()) return {};
    const auto& b = model_.buffers[t.buffer];
    if (!b.has_data()) return {};
    if (t.type == ir::TfliteType::Resource || t.type == ir::TfliteType::Variant) {
      return bad_input(fmt::format("{}: a {} tensor cannot have constant data (buffer {})", where,
                                   ir::tflite_type_name(t.type), t.buffer));
    }
    if (t.type == ir::TfliteType::String) return check_string_buffer(where, t);
    const auto bits = ir::tflite_type_bits(t.type);
    if (!bits) return {};  // a type newer than litelint: nothing to compare with
    if (std::find(t.shape.begin(), t.shape.end(), -1) != t.shape.end()) {
      return bad_input(fmt::format("{}: constant (buffer {}) with an unknown dimension in shape [{}]",
                                   where, t.buffer, fmt::join(t.shape, ",")));
    }
    std::uint64_t elements = 1;
    for (auto d : t.shape) {
      elements *= static_cast<std::uint64_t>(d);
      if (elements > std::numeric_limits<std::uint32_t>::max()) {
        return bad_input(fmt::format("{}: shape [{}] has more than 2^32 elements", where,
                                     fmt::join(t.shape, ",")));
      }
    }
    const std::uint64_t expected = (elements * *bits + 7) / 8;
    if (b.size != expected) {
      return bad_input(fmt::format(
          "{}: buffer {} holds {} bytes, but shape [{}] of {} needs {}", where, t.buffer, b.size,
          fmt::join(t.shape, ","), ir::tflite_type_name(t.type), expected));
    }
    return {};
  }

  // STRING data: int32 count N, N+1 int32 offsets from the start of the buffer (the first is
  // 4 * (N + 2), the last the buffer size), then the bytes.
  Expected<void> check_string_buffer(const std::string& where, const ir::TfliteTensor& t) {
    const auto bytes = ir::buffer_data(model_, t.buffer);
    auto read_i32 = [&](std::uint64_t at) {
      std::int32_t v;
      std::memcpy(&v, bytes.data() + at, sizeof v);
      return v;
    };
    auto bad = [&](std::string_view why) {
      return bad_input(fmt::format("{}: STRING buffer {} is malformed: {}", where, t.buffer, why));
    };
    if (bytes.size() < 4) return bad("shorter than 4 bytes");
    const std::int32_t count = read_i32(0);
    if (count < 0) return bad("negative string count");
    const std::uint64_t header = 4 * (static_cast<std::uint64_t>(count) + 2);
    if (header > bytes.size()) return bad("offset table runs past the end");
    std::uint64_t previous = header;
    for (std::int32_t i = 0; i <= count; ++i) {
      const std::int32_t offset = read_i32(4 * (static_cast<std::uint64_t>(i) + 1));
      if (offset < 0 || static_cast<std::uint64_t>(offset) < previous ||
          static_cast<std::uint64_t>(offset) > bytes.size() || (i == 0 && offset != static_cast<std::int64_t>(header))) {
        return bad(fmt::format("string offset {} is {}", i, offset));
      }
      previous = static_cast<std::uint64_t>(offset);
    }
    if (previous != bytes.size()) return bad("last offset is not the buffer size");
    return {};
  }

  std::string op_name(std::uint32_t opcode_index) const {
    if (opcode_index >= model_.operator_codes.size()) return "?";
    return ir::tflite_op_name(model_.operator_codes[opcode_index]);
  }

  // An options table that belongs to another op means the op code was changed after the
  // model was written (segment_sum_invalid_buffer is a SUB model whose code says
  // SEGMENT_SUM); the runtime would silently run the op with zeroed parameters. Ordinals
  // newer than litelint's schema are not judged.
  Expected<void> check_options(const std::string& where, const ir::TfliteOperator& op) {
    const auto& code = model_.operator_codes[op.opcode_index];
    if (code.is_custom()) return {};
    const bool known1 = op.builtin_options_type <= static_cast<std::uint8_t>(tflite::BuiltinOptions::MAX);
    const bool known2 = op.builtin_options_2_type <= static_cast<std::uint8_t>(tflite::BuiltinOptions2::MAX);
    if (!known1 || !known2 || (op.builtin_options_type == 0 && op.builtin_options_2_type == 0)) {
      return {};
    }
    if (op.builtin_options_type != 0 && op.builtin_options_2_type != 0) {
      return bad_input(fmt::format("{}: has both builtin_options ({}) and builtin_options_2 ({})",
                                   where,
                                   tflite::EnumNameBuiltinOptions(static_cast<tflite::BuiltinOptions>(op.builtin_options_type)),
                                   tflite::EnumNameBuiltinOptions2(static_cast<tflite::BuiltinOptions2>(op.builtin_options_2_type))));
    }
    const auto expected = ir::builtin_options_table(code.builtin_code);
    const auto actual = ir::options_name(op);
    // Codes newer than the schema have no known table; nothing to compare with.
    if (code.builtin_code > static_cast<std::int32_t>(tflite::BuiltinOperator::MAX) || actual == expected) {
      return {};
    }
    return bad_input(fmt::format("{}: carries {}, which belong to another op ({} takes {})", where,
                                 actual, ir::builtin_op_name(code.builtin_code),
                                 expected.empty() ? std::string("no options") : std::string(expected)));
  }

  // Subgraph indices in control-flow options, checked here because a pass that follows
  // them would otherwise index out of range.
  Expected<void> read_called_subgraphs(const std::string& where, const tflite::Operator& op,
                                       ir::TfliteOperator& out) {
    auto& called = out.called_subgraphs;
    if (const auto* o = op.builtin_options_as_IfOptions()) {
      called.insert(called.end(), {o->then_subgraph_index(), o->else_subgraph_index()});
    } else if (const auto* o = op.builtin_options_as_WhileOptions()) {
      called.insert(called.end(), {o->cond_subgraph_index(), o->body_subgraph_index()});
    } else if (const auto* o = op.builtin_options_as_CallOnceOptions()) {
      called.push_back(o->init_subgraph_index());
    } else if (const auto* o = op.builtin_options_as_CallOptions()) {
      // CallOptions.subgraph is unsigned; anything over INT32_MAX is out of range anyway.
      called.push_back(static_cast<std::int32_t>(
          std::min<std::uint32_t>(o->subgraph(), std::numeric_limits<std::int32_t>::max())));
    }
    if (const auto* o = op.builtin_options_2_as_StablehloWhileOptions()) {
      called.insert(called.end(), {o->cond_subgraph_index(), o->body_subgraph_index()});
    } else if (const auto* o = op.builtin_options_2_as_StablehloSortOptions()) {
      called.push_back(o->comparator_subgraph_index());
    } else if (const auto* o = op.builtin_options_2_as_StablehloReduceOptions()) {
      called.push_back(o->body_subgraph_index());
    } else if (const auto* o = op.builtin_options_2_as_StablehloReduceWindowOptions()) {
      called.push_back(o->body_subgraph_index());
    } else if (const auto* o = op.builtin_options_2_as_StablehloScatterOptions()) {
      called.push_back(o->update_computation_subgraph_index());
    } else if (const auto* o = op.builtin_options_2_as_StableHLOCompositeOptions()) {
      called.push_back(o->decomposition_subgraph_index());
    } else if (const auto* o = op.builtin_options_2_as_StablehloCaseOptions()) {
      if (!copy_vector(o->branch_subgraph_indices(), called)) return over_budget();
    } else if (const auto* o = op.builtin_options_2_as_StablehloCustomCallOptions()) {
      if (!copy_vector(o->called_computations(), called)) return over_budget();
    }
    const auto* subgraphs = root_.subgraphs();
    const std::size_t count = subgraphs == nullptr ? 0 : subgraphs->size();
    for (auto s : called) {
      if (s < 0 || static_cast<std::size_t>(s) >= count) {
        return bad_input(fmt::format("{}: refers to subgraph {}, but the model has {} subgraphs",
                                     where, s, count));
      }
    }
    return {};
  }

  Expected<ir::TfliteOperator> read_operator(const std::string& sg_where, std::size_t index,
                                             const tflite::Operator& op, std::size_t tensors) {
    ir::TfliteOperator out;
    out.opcode_index = op.opcode_index();
    if (out.opcode_index >= model_.operator_codes.size()) {
      return bad_input(fmt::format("{}, operator {}: opcode_index {} is out of range ({} operator codes)",
                                   sg_where, index, out.opcode_index, model_.operator_codes.size()));
    }
    const std::string where =
        fmt::format("{}, operator {} ({})", sg_where, index, op_name(out.opcode_index));
    if (!copy_vector(op.inputs(), out.inputs) || !copy_vector(op.outputs(), out.outputs) ||
        !copy_vector(op.intermediates(), out.intermediates)) {
      return over_budget();
    }
    // -1 marks an omitted optional tensor.
    for (auto [what, list] : {std::pair<std::string_view, const std::vector<std::int32_t>*>{"input", &out.inputs},
                              {"output", &out.outputs}, {"intermediate", &out.intermediates}}) {
      for (std::size_t k = 0; k < list->size(); ++k) {
        const auto t = (*list)[k];
        if (t < -1 || (t >= 0 && static_cast<std::size_t>(t) >= tensors)) {
          return bad_input(fmt::format("{}: {} {} refers to tensor {}, but the subgraph has {} tensors",
                                       where, what, k, t, tensors));
        }
      }
    }
    out.builtin_options_type = static_cast<std::uint8_t>(op.builtin_options_type());
    out.builtin_options_2_type = static_cast<std::uint8_t>(op.builtin_options_2_type());
    if (const auto* custom = op.custom_options()) out.custom_options_bytes = custom->size();
    if (out.custom_options_bytes == 0 && op.large_custom_options_offset() >= kFirstRealOffset) {
      if (!in_file(op.large_custom_options_offset(), op.large_custom_options_size())) {
        return bad_input(fmt::format(
            "{}: custom options at offset {} with size {} end past the end of the file ({} bytes)",
            where, op.large_custom_options_offset(), op.large_custom_options_size(), file_->size()));
      }
      out.custom_options_bytes = op.large_custom_options_size();
      out.custom_options_outside_flatbuffer = true;
      model_.buffers_outside_flatbuffer = true;
    }
    if (auto r = check_options(where, out); !r) return unexpected(r.error());
    if (auto r = read_called_subgraphs(where, op, out); !r) return unexpected(r.error());
    return out;
  }

  Expected<ir::TfliteSubgraph> read_subgraph(std::size_t index, const tflite::SubGraph& sg) {
    ir::TfliteSubgraph out;
    if (const auto* name = sg.name()) {
      if (!copy_string(*name, out.name)) return over_budget();
    }
    const std::string where = quoted_name("subgraph", index, out.name);
    if (const auto* tensors = sg.tensors()) {
      out.tensors.reserve(tensors->size());
      for (flatbuffers::uoffset_t i = 0; i < tensors->size(); ++i) {
        auto t = read_tensor(where, i, *tensors->Get(i));
        if (!t) return unexpected(t.error());
        out.tensors.push_back(std::move(*t));
      }
    }
    if (!copy_vector(sg.inputs(), out.inputs) || !copy_vector(sg.outputs(), out.outputs)) {
      return over_budget();
    }
    for (auto [what, list] : {std::pair<std::string_view, const std::vector<std::int32_t>*>{"input", &out.inputs},
                              {"output", &out.outputs}}) {
      for (std::size_t k = 0; k < list->size(); ++k) {
        const auto t = (*list)[k];
        if (t < 0 || static_cast<std::size_t>(t) >= out.tensors.size()) {
          return bad_input(fmt::format("{}: {} {} refers to tensor {}, but the subgraph has {} tensors",
                                       where, what, k, t, out.tensors.size()));
        }
      }
    }
    if (const auto* ops = sg.operators()) {
      // Operator tables may be shared, so the verifier's table count does not bound this.
      operator_count_ += ops->size();
      if (auto within = check_input_limit(InputLimit::Nodes, "the model's operator count", operator_count_);
          !within) {
        return unexpected(within.error());
      }
      out.operators.reserve(ops->size());
      for (flatbuffers::uoffset_t i = 0; i < ops->size(); ++i) {
        auto op = read_operator(where, i, *ops->Get(i), out.tensors.size());
        if (!op) return unexpected(op.error());
        out.operators.push_back(std::move(*op));
      }
    }
    return out;
  }

  // Part of the verifier's graph-consistency rule: no operator may write a constant, whose
  // bytes are the read-only file. The rest of that rule (inputs defined before use, no
  // output aliasing a subgraph input or an earlier output) is left to the linter: the
  // corpus has loadable test models that break it (add_shared_tensors,
  // while_op_with_forwarding_input), and delegate ops such as Vela's ethos-u take their
  // scratch areas as undefined inputs.
  Expected<void> check_subgraph(std::size_t index) {
    const auto& sg = model_.subgraphs[index];
    for (std::size_t i = 0; i < sg.operators.size(); ++i) {
      const auto& op = sg.operators[i];
      for (auto t : op.outputs) {
        if (t < 0) continue;
        const auto& tensor = sg.tensors[static_cast<std::size_t>(t)];
        if (tensor.buffer < model_.buffers.size() && model_.buffers[tensor.buffer].has_data()) {
          return bad_input(fmt::format("{}, operator {} ({}): output {} is a constant (buffer {})",
                                       quoted_name("subgraph", index, sg.name), i,
                                       op_name(op.opcode_index),
                                       quoted_name("tensor", static_cast<std::size_t>(t), tensor.name),
                                       tensor.buffer));
        }
      }
    }
    return {};
  }

  Expected<void> read_signatures() {
    const auto* sigs = root_.signature_defs();
    if (sigs == nullptr) return {};
    for (flatbuffers::uoffset_t i = 0; i < sigs->size(); ++i) {
      const auto& s = *sigs->Get(i);
      ir::TfliteSignatureDef out;
      if (const auto* key = s.signature_key()) {
        if (!copy_string(*key, out.signature_key)) return over_budget();
      }
      out.subgraph_index = s.subgraph_index();
      const std::string where = quoted_name("signature", i, out.signature_key);
      if (out.subgraph_index >= model_.subgraphs.size()) {
        return bad_input(fmt::format("{}: subgraph_index {} is out of range ({} subgraphs)", where,
                                     out.subgraph_index, model_.subgraphs.size()));
      }
      const std::size_t tensors = model_.subgraphs[out.subgraph_index].tensors.size();
      for (auto [what, maps, dest] :
           {std::tuple{"input", s.inputs(), &out.inputs}, std::tuple{"output", s.outputs(), &out.outputs}}) {
        if (maps == nullptr) continue;
        if (!charge(maps->size())) return over_budget();
        for (flatbuffers::uoffset_t k = 0; k < maps->size(); ++k) {
          const auto& m = *maps->Get(k);
          ir::TfliteTensorMap map;
          if (const auto* name = m.name()) {
            if (!copy_string(*name, map.name)) return over_budget();
          }
          map.tensor_index = m.tensor_index();
          if (map.tensor_index >= tensors) {
            return bad_input(fmt::format(
                "{}: {} '{}' refers to tensor {}, but subgraph {} has {} tensors", where, what,
                printable(map.name), map.tensor_index, out.subgraph_index, tensors));
          }
          dest->push_back(std::move(map));
        }
      }
      model_.signature_defs.push_back(std::move(out));
    }
    return {};
  }

  static bool is_text(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) {
      const auto u = static_cast<unsigned char>(c);
      return (u >= 0x20 && u < 0x7f) || c == '\n' || c == '\t';
    });
  }

  // The value of `min_runtime_version` is a zero-padded string; an all-zero buffer means
  // the converter could not compute it.
  static std::string nul_terminated(std::span<const std::byte> bytes) {
    std::string_view s(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    return std::string(s.substr(0, s.find('\0')));
  }

  std::optional<ir::TfliteConversionMetadata> decode_conversion_metadata(std::span<const std::byte> bytes) {
    if (bytes.empty() || bytes.size() > kMaxConversionMetadata) return std::nullopt;
    // Copied into 8-byte-aligned storage: generated accessors read scalars in place.
    std::vector<std::uint64_t> storage((bytes.size() + 7) / 8);
    std::memcpy(storage.data(), bytes.data(), bytes.size());
    const auto* data = reinterpret_cast<const std::uint8_t*>(storage.data());
    flatbuffers::Verifier verifier(data, bytes.size());
    if (!verifier.VerifyBuffer<tflite::ConversionMetadata>(nullptr)) return std::nullopt;
    const auto* root = flatbuffers::GetRoot<tflite::ConversionMetadata>(data);
    ir::TfliteConversionMetadata out;
    if (const auto* env = root->environment()) {
      if (const auto* v = env->tensorflow_version()) out.tensorflow_version = v->str();
      out.api_version = env->api_version();
      out.model_type = static_cast<std::int32_t>(env->model_type());
    }
    if (const auto* opts = root->options()) {
      if (const auto* modes = opts->model_optimization_modes()) {
        for (auto m : *modes) out.optimization_modes.push_back(static_cast<std::int32_t>(m));
      }
      out.allow_custom_ops = opts->allow_custom_ops();
      out.enable_select_tf_ops = opts->enable_select_tf_ops();
      out.force_select_tf_ops = opts->force_select_tf_ops();
    }
    return out;
  }

  static std::string summarize(const ir::TfliteConversionMetadata& m) {
    std::vector<std::string> parts;
    if (!m.tensorflow_version.empty()) parts.push_back("TensorFlow " + m.tensorflow_version);
    if (m.api_version != 0) parts.push_back(fmt::format("converter API v{}", m.api_version));
    const char* type = tflite::EnumNameModelType(static_cast<tflite::ModelType>(m.model_type));
    if (m.model_type != 0) parts.push_back(fmt::format("from {}", *type ? type : std::to_string(m.model_type)));
    for (auto mode : m.optimization_modes) {
      const char* name = tflite::EnumNameModelOptimizationMode(static_cast<tflite::ModelOptimizationMode>(mode));
      parts.push_back(*name ? name : std::to_string(mode));
    }
    if (m.allow_custom_ops) parts.push_back("allow_custom_ops");
    if (m.enable_select_tf_ops) parts.push_back("select TF ops");
    if (m.force_select_tf_ops) parts.push_back("force select TF ops");
    return fmt::format("{}", fmt::join(parts, ", "));
  }

  Expected<void> read_metadata() {
    const auto* entries = root_.metadata();
    if (entries == nullptr) return {};
    for (flatbuffers::uoffset_t i = 0; i < entries->size(); ++i) {
      const auto& e = *entries->Get(i);
      ir::TfliteMetadata out;
      if (const auto* name = e.name()) {
        if (!copy_string(*name, out.name)) return over_budget();
      }
      out.buffer = e.buffer();
      if (out.buffer >= model_.buffers.size()) {
        return bad_input(fmt::format("{}: buffer index {} is out of range ({} buffers)",
                                     quoted_name("metadata", i, out.name), out.buffer,
                                     model_.buffers.size()));
      }
      const auto bytes = ir::buffer_data(model_, out.buffer);
      out.bytes = bytes.size();
      // Short printable values (buffer_location, reduced_precision_support, ...) are shown
      // as text, without the zero padding writers add.
      std::string_view text(reinterpret_cast<const char*>(bytes.data()),
                            std::min(bytes.size(), kMaxTextMetadata));
      text = text.substr(0, text.find_last_not_of('\0') + 1);
      if (out.name == "min_runtime_version") {
        model_.min_runtime_version = nul_terminated(bytes.first(std::min(bytes.size(), kMaxTextMetadata)));
        if (!is_text(model_.min_runtime_version)) model_.min_runtime_version.clear();
        out.value_summary = model_.min_runtime_version.empty() ? "<unset>" : model_.min_runtime_version;
      } else if (out.name == "CONVERSION_METADATA") {
        model_.conversion_metadata = decode_conversion_metadata(bytes);
        out.value_summary = model_.conversion_metadata ? summarize(*model_.conversion_metadata)
                                                       : fmt::format("<{} bytes, not decodable>", bytes.size());
      } else if (bytes.size() <= kMaxTextMetadata && !text.empty() && is_text(text)) {
        out.value_summary = std::string(text);
      } else {
        out.value_summary = fmt::format("<{} bytes>", bytes.size());
      }
      if (out.name == "buffer_location") model_.buffers_outside_flatbuffer = true;
      model_.metadata.push_back(std::move(out));
    }
    return {};
  }

  void collect_custom_ops() {
    std::set<std::string> names;
    for (const auto& sg : model_.subgraphs) {
      for (const auto& op : sg.operators) {
        const auto& code = model_.operator_codes[op.opcode_index];
        if (code.is_custom()) names.insert(code.custom_code);
      }
    }
    model_.custom_ops.assign(names.begin(), names.end());
  }

  std::shared_ptr<const MappedFile> file_;
  const tflite::Model& root_;
  std::uint64_t budget_;
  std::uint64_t operator_count_ = 0;  // over all subgraphs so far
  ir::TfliteModel model_;
};

}  // namespace

Expected<ir::TfliteModel> parse_tflite(std::shared_ptr<const MappedFile> file) {
  const std::size_t size = file->size();
  if (size < 8) {
    return bad_input(fmt::format("file is {} bytes, too short for a TFLite FlatBuffer", size));
  }
  const auto identifier = file->view().substr(4, 4);
  if (identifier != kIdentifier) {
    return bad_input(fmt::format("not a TFLite FlatBuffer: file identifier is '{}', expected 'TFL3'",
                                 printable(identifier)));
  }
  const auto* data = reinterpret_cast<const std::uint8_t*>(file->bytes().data());
  // Data of models over 2 GB lives after the FlatBuffer, which itself stays under 2 GiB; the
  // out-of-FlatBuffer offsets are checked against the file size separately.
  const std::size_t verify_len = std::min<std::size_t>(size, FLATBUFFERS_MAX_BUFFER_SIZE - 1);
  const auto root_offset = flatbuffers::ReadScalar<flatbuffers::uoffset_t>(data);
  if (root_offset >= verify_len) {
    return bad_input(fmt::format("root table offset {} is past the end of the file ({} bytes): "
                                 "truncated or not a FlatBuffer",
                                 root_offset, size));
  }
  flatbuffers::Verifier::Options options;
  options.max_depth = 64;
  // Bounds verification work linearly in the file size even when tables are shared.
  options.max_tables = static_cast<flatbuffers::uoffset_t>(
      std::max<std::size_t>(1'000'000, verify_len / 4));
  flatbuffers::Verifier verifier(data, verify_len, options);
  if (!tflite::VerifyModelBuffer(verifier)) {
    return bad_input("corrupt or truncated TFLite FlatBuffer: the FlatBuffers verifier rejected it");
  }
  Reader reader(file, *tflite::GetModel(data));
  return reader.read();
}

Expected<ir::Model> load_tflite(const Detected& detected, const LoadOptions& options) {
  (void)options;  // a .tflite file has no MetaGraphs or tags to choose from
  const auto& path = detected.main_file;
  auto file = MappedFile::open(path);
  if (!file) return unexpected(file.error());
  auto parsed = parse_tflite(*file);
  if (!parsed) return unexpected(Error(parsed.error()).in_file(path.string()));
  ir::Model model;
  model.format = ir::Format::Tflite;
  model.path = path;
  model.main_file = path;
  model.file_bytes = (*file)->size();
  model.main_mapping = std::move(*file);
  model.tflite = std::make_shared<const ir::TfliteModel>(std::move(*parsed));
  return model;
}

}  // namespace litelint::analyzer
