#include "rules/tflite/delegate_placement.h"

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string_view>

#include <fmt/format.h>

#include "rules/tflite/op_options.h"

// The per-op checks below follow ../shared/reference/delegates.md. The op tables (which
// builtins, which versions) come from the op database; what is coded here is the part the
// tables keep as prose: tensor types, quantization granularity, ranks, constness.

namespace litelint::rules {
namespace {

using ir::TfliteType;

// ActivationFunctionType values (schema.fbs).
constexpr int kActTanh = 4;
constexpr int kActSignBit = 5;

// Partition caps: how many partitions of supported nodes each delegate takes.
constexpr std::size_t kGpuMaxPartitions = 1;    // max_delegated_partitions default
constexpr std::size_t kNnapiMaxPartitions = 3;  // max_number_delegated_partitions default

constexpr std::size_t kXnnpackMaxRank = 6;  // XNN_MAX_TENSOR_DIMS
constexpr std::size_t kGpuMaxRank = 4;      // rank >= 5 fails the tensor filter
constexpr int kMaxUnpackDepth = 4;          // DENSIFY/DEQUANTIZE chain length followed

bool one_of(std::string_view s, std::initializer_list<std::string_view> names) {
  return std::find(names.begin(), names.end(), s) != names.end();
}

// Everything the checks ask about one subgraph.
class Graph {
 public:
  Graph(const ir::TfliteModel& model, const ir::TfliteSubgraph& sg,
        const std::vector<TfliteOpOptions>& options)
      : model_(model), sg_(sg), options_(options), producer_(sg.tensors.size(), -1),
        consumers_(sg.tensors.size()) {
    for (std::size_t i = 0; i < sg.operators.size(); ++i) {
      for (auto t : sg.operators[i].outputs) {
        if (valid(t)) producer_[static_cast<std::size_t>(t)] = static_cast<int>(i);
      }
      for (auto t : sg.operators[i].inputs) {
        if (valid(t)) consumers_[static_cast<std::size_t>(t)].push_back(i);
      }
    }
  }

  const ir::TfliteSubgraph& sg() const { return sg_; }
  std::size_t size() const { return sg_.operators.size(); }
  const ir::TfliteOperator& op(std::size_t i) const { return sg_.operators[i]; }
  const TfliteOpOptions& options(std::size_t i) const {
    static const TfliteOpOptions kNone;
    return i < options_.size() ? options_[i] : kNone;
  }
  bool valid(std::int32_t t) const {
    return t >= 0 && static_cast<std::size_t>(t) < sg_.tensors.size();
  }
  const ir::TfliteTensor* tensor(std::int32_t t) const {
    return valid(t) ? &sg_.tensors[static_cast<std::size_t>(t)] : nullptr;
  }
  /// The tensor of input `k` of op `i`, or nullptr (absent or -1).
  const ir::TfliteTensor* input(std::size_t i, std::size_t k) const {
    const auto& in = op(i).inputs;
    return k < in.size() ? tensor(in[k]) : nullptr;
  }
  int producer(std::int32_t t) const { return valid(t) ? producer_[static_cast<std::size_t>(t)] : -1; }
  const std::vector<std::size_t>& consumers(std::int32_t t) const {
    static const std::vector<std::size_t> kNone;
    return valid(t) ? consumers_[static_cast<std::size_t>(t)] : kNone;
  }
  /// Data in the file: the delegate sees it as static (kTfLiteMmapRo).
  bool is_const(const ir::TfliteTensor& t) const {
    if (t.external_buffer != 0) return true;
    return t.buffer != 0 && t.buffer < model_.buffers.size() &&
           model_.buffers[t.buffer].has_data();
  }
  bool is_const_input(std::size_t i, std::size_t k) const {
    const auto* t = input(i, k);
    return t != nullptr && is_const(*t);
  }
  /// The builtin name ("CONV_2D") or the custom code of op `i`; "" for a bad opcode index.
  std::string name(std::size_t i) const {
    const auto idx = op(i).opcode_index;
    if (idx >= model_.operator_codes.size()) return {};
    const auto& code = model_.operator_codes[idx];
    return code.is_custom() ? code.custom_code : ir::builtin_op_name(code.builtin_code);
  }
  bool is_custom(std::size_t i) const {
    const auto idx = op(i).opcode_index;
    return idx < model_.operator_codes.size() && model_.operator_codes[idx].is_custom();
  }
  int version(std::size_t i) const {
    const auto idx = op(i).opcode_index;
    return idx < model_.operator_codes.size() ? model_.operator_codes[idx].version : 1;
  }
  /// A weight that is constant, or "quasi-static": made from a constant by DEQUANTIZE or
  /// DENSIFY nodes (fp16 or int8 weights, sparse weights, or a sparse fp16 weight that is
  /// densified and then dequantized).
  bool is_static_weight(std::int32_t t, int depth = 0) const {
    const auto* ten = tensor(t);
    if (ten == nullptr) return true;  // omitted optional input
    if (is_const(*ten)) return true;
    const int p = producer(t);
    // Real chains are at most DENSIFY -> DEQUANTIZE; the bound keeps recursion finite.
    if (p < 0 || depth > kMaxUnpackDepth) return false;
    const auto i = static_cast<std::size_t>(p);
    const auto n = name(i);
    return (n == "DEQUANTIZE" || n == "DENSIFY") && !op(i).inputs.empty() &&
           is_static_weight(op(i).inputs[0], depth + 1);
  }
  /// A DEQUANTIZE or DENSIFY of a (quasi-)static tensor: delegates absorb it as weight
  /// unpacking instead of running it as a node.
  bool is_weight_unpacking(std::size_t i) const {
    const auto n = name(i);
    return (n == "DEQUANTIZE" || n == "DENSIFY") && !op(i).inputs.empty() &&
           is_static_weight(op(i).inputs[0]);
  }
  bool is_const_dequantize(std::size_t i) const {
    return name(i) == "DEQUANTIZE" && is_const_input(i, 0);
  }

 private:
  const ir::TfliteModel& model_;
  const ir::TfliteSubgraph& sg_;
  const std::vector<TfliteOpOptions>& options_;
  std::vector<int> producer_;
  std::vector<std::vector<std::size_t>> consumers_;
};

bool per_tensor(const ir::TfliteTensor& t) {
  return t.quantization && t.quantization->scale.size() == 1 &&
         t.quantization->details == ir::TfliteQuantization::Details::None;
}
bool per_axis(const ir::TfliteTensor& t) {
  return t.quantization && t.quantization->scale.size() > 1;
}
bool is_float(const ir::TfliteTensor& t) {
  return t.type == TfliteType::Float32 || t.type == TfliteType::Float16;
}
bool is_8bit(const ir::TfliteTensor& t) {
  return t.type == TfliteType::Int8 || t.type == TfliteType::UInt8;
}
bool has_zero_dim(const ir::TfliteTensor& t) {
  return std::any_of(t.shape.begin(), t.shape.end(), [](std::int32_t d) { return d == 0; });
}
std::string type_name(const ir::TfliteTensor& t) { return ir::tflite_type_name(t.type); }

// Which inputs of a builtin are parameters rather than data, by what XNNPACK (and the other
// delegates) require of them.
struct InputRoles {
  std::vector<std::size_t> weights;  ///< must be static or quasi-static
  std::vector<std::size_t> params;   ///< must be constant (shapes, axes, paddings, ...)
};

InputRoles roles_of(std::string_view op) {
  if (one_of(op, {"CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED"})) return {{1, 2}, {}};
  if (op == "TRANSPOSE_CONV") return {{1, 3}, {0}};
  if (op == "PRELU") return {{1}, {}};
  if (one_of(op, {"RESHAPE", "MEAN", "SUM", "REDUCE_MAX", "REDUCE_MIN", "REDUCE_PROD", "PAD",
                  "PADV2", "MIRROR_PAD", "TRANSPOSE", "RESIZE_BILINEAR",
                  "RESIZE_NEAREST_NEIGHBOR", "TILE"})) {
    return {{}, {1}};
  }
  if (op == "SLICE") return {{}, {1, 2}};
  if (op == "STRIDED_SLICE") return {{}, {1, 2, 3}};
  if (op == "SPLIT") return {{}, {0}};
  return {};
}

bool contains(const std::vector<std::size_t>& v, std::size_t k) {
  return std::find(v.begin(), v.end(), k) != v.end();
}

// The op's table entry: builtins by name, custom ops in the delegate's custom list.
const DelegateOpInfo* table_entry(Delegate d, const Graph& g, std::size_t i) {
  const auto n = g.name(i);
  if (!g.is_custom(i)) return find_delegate_op(d, n);
  for (const auto& c : delegate_info(d).custom_ops) {
    if (c.op == n) return &c;
  }
  return nullptr;
}

// Table lookup shared by every delegate: listed, supported, version within the limit.
std::optional<std::string> table_reason(Delegate d, const Graph& g, std::size_t i,
                                        const DelegateOpInfo*& entry) {
  entry = table_entry(d, g, i);
  const auto n = g.name(i);
  if (n.empty()) return "the operator's opcode index is out of range";
  if (entry == nullptr) {
    return fmt::format("the {} delegate has no kernel for {}{}", to_string(d),
                       g.is_custom(i) ? "custom op " : "", n);
  }
  if (!entry->supported) {
    return fmt::format("the {} delegate does not run {} ({})", to_string(d), n, entry->constraints);
  }
  if (entry->max_version > 0 && g.version(i) > entry->max_version) {
    return fmt::format("{} version {} is newer than the {} delegate takes (at most {})", n,
                       g.version(i), to_string(d), entry->max_version);
  }
  return std::nullopt;
}

// ---- XNNPACK (delegates.md section 2) ----

std::string xnnpack_reason(const Graph& g, std::size_t i) {
  const DelegateOpInfo* entry = nullptr;
  if (auto r = table_reason(Delegate::Xnnpack, g, i, entry)) return *r;
  const auto n = g.name(i);
  const auto& o = g.options(i);
  const auto& op = g.op(i);
  if (n == "FULLY_CONNECTED" && (g.version(i) == 8 || o.weights_format != 0)) {
    return "FULLY_CONNECTED with shuffled weights (version 8) is not taken by XNNPACK";
  }
  if (o.activation == kActTanh || o.activation == kActSignBit) {
    return fmt::format("fused {} activation is not taken by XNNPACK",
                       o.activation == kActTanh ? "TANH" : "SIGN_BIT");
  }
  // The types column says which quantized forms the op takes ("as CONV_2D; ..." refers to
  // another row).
  std::string_view types = entry->types;
  if (types.starts_with("as ")) {
    const auto other = types.substr(3, types.find_first_of(";, ", 3) - 3);
    if (const auto* row = find_delegate_op(Delegate::Xnnpack, other)) types = row->types;
  }
  const bool qs8 = types.find("QS8") != std::string_view::npos;
  const bool qu8 = types.find("QU8") != std::string_view::npos;
  const auto roles = roles_of(n);
  const bool conv_like = one_of(n, {"CONV_2D", "DEPTHWISE_CONV_2D", "TRANSPOSE_CONV"});
  const bool resource = one_of(n, {"VAR_HANDLE", "READ_VARIABLE", "ASSIGN_VARIABLE"});

  auto check_data = [&](const ir::TfliteTensor& t) -> std::optional<std::string> {
    if (resource && t.type == TfliteType::Resource) return std::nullopt;
    if (t.shape.size() > kXnnpackMaxRank) {
      return fmt::format("a {}-D tensor: XNNPACK takes at most {} dimensions", t.shape.size(),
                         kXnnpackMaxRank);
    }
    if (has_zero_dim(t)) return std::string("a zero-sized tensor: XNNPACK needs every dim > 0");
    if (is_float(t)) return std::nullopt;
    if ((t.type == TfliteType::Int8 && qs8) || (t.type == TfliteType::UInt8 && qu8)) {
      if (per_tensor(t)) return std::nullopt;
      if (per_axis(t)) return std::string("a per-channel quantized activation: XNNPACK takes "
                                          "only per-tensor quantized activations");
      return fmt::format("an unquantized {} tensor: XNNPACK takes only float32/float16 or "
                         "quantized int8/uint8 tensors", type_name(t));
    }
    return fmt::format("a {} tensor: XNNPACK runs {} only on {}", type_name(t), n,
                       qs8 || qu8 ? "float and per-tensor quantized 8-bit tensors"
                                  : "float32/float16 tensors");
  };

  if (g.is_weight_unpacking(i)) return {};  // absorbed; decided with its consumers
  if (n == "READ_VARIABLE" && !op.outputs.empty()) {
    const auto* out = g.tensor(op.outputs[0]);
    if (out != nullptr && out->shape.empty()) return "READ_VARIABLE of a 0-D (scalar) variable";
  }
  if (n == "QUANTIZE" || n == "DEQUANTIZE") {
    const auto* in = g.input(i, 0);
    const auto* out = op.outputs.empty() ? nullptr : g.tensor(op.outputs[0]);
    if (in == nullptr || out == nullptr) return "missing input or output";
    if (n == "DEQUANTIZE") {
      if (is_8bit(*in) && per_tensor(*in) && out->type == TfliteType::Float32) return {};
      return fmt::format("DEQUANTIZE from {} is not taken by XNNPACK (only per-tensor "
                         "int8/uint8 to float32)", type_name(*in));
    }
    const bool ok = (is_float(*in) && is_8bit(*out) && per_tensor(*out)) ||
                    (is_8bit(*in) && in->type == out->type && per_tensor(*in) && per_tensor(*out));
    if (ok) return {};
    return fmt::format("QUANTIZE from {} to {} is not taken by XNNPACK", type_name(*in),
                       type_name(*out));
  }

  for (std::size_t k = 0; k < op.inputs.size(); ++k) {
    const auto* t = g.tensor(op.inputs[k]);
    if (t == nullptr) continue;
    if (contains(roles.params, k)) {
      if (!g.is_const(*t)) {
        return fmt::format("a runtime (non-constant) shape/axis/size operand: XNNPACK needs "
                           "{} parameters in the model", n);
      }
      continue;
    }
    if (contains(roles.weights, k)) {
      if (!g.is_static_weight(op.inputs[k])) {
        return fmt::format("runtime {} weights: XNNPACK needs constant filter and bias", n);
      }
      continue;
    }
    if (auto r = check_data(*t)) return *r;
  }
  for (auto out : op.outputs) {
    if (const auto* t = g.tensor(out)) {
      if (auto r = check_data(*t)) return *r;
    }
  }
  // Per-op rules from the table's constraints column.
  if (conv_like) {
    const auto* in = g.input(i, n == "TRANSPOSE_CONV" ? 2 : 0);
    if (in != nullptr && in->shape.size() != 4) return fmt::format("{} input is not 4-D", n);
  }
  if ((n == "CONV_2D" || n == "DEPTHWISE_CONV_2D") && (op.inputs.size() < 3 || op.inputs[2] < 0)) {
    return fmt::format("{} without a bias: XNNPACK needs the bias input", n);
  }
  if (n == "FULLY_CONNECTED") {
    const auto* w = g.input(i, 1);
    if (w != nullptr && w->shape.size() != 2) return "FULLY_CONNECTED filter is not 2-D";
  }
  if (n == "SOFTMAX" && o.beta != 1.0F) return "SOFTMAX with beta != 1";
  if (n == "STRIDED_SLICE" && (o.ellipsis_mask || o.new_axis_mask || o.shrink_axis_mask)) {
    return "STRIDED_SLICE with an ellipsis, new-axis or shrink-axis mask";
  }
  if ((n == "DEPTH_TO_SPACE" || n == "SPACE_TO_DEPTH") && o.block_size <= 1) {
    return fmt::format("{} with block_size {}", n, o.block_size);
  }
  if (n == "AVERAGE_POOL_2D" || n == "MAX_POOL_2D") {
    if (o.filter_w <= 0 || o.filter_h <= 0 || o.stride_w <= 0 || o.stride_h <= 0 ||
        o.stride_w > o.filter_w || o.stride_h > o.filter_h) {
      return fmt::format("{} with a stride larger than its filter", n);
    }
  }
  if (n == "CONCATENATION" && (op.inputs.size() < 2 || op.inputs.size() > 5)) {
    return fmt::format("CONCATENATION of {} inputs: XNNPACK takes 2 to 5", op.inputs.size());
  }
  if (n == "SPLIT" && (op.outputs.size() < 2 || op.outputs.size() > 4)) {
    return fmt::format("SPLIT into {} outputs: XNNPACK takes 2 to 4", op.outputs.size());
  }
  if (n == "BATCH_MATMUL") {
    const auto* a = g.input(i, 0);
    const auto* b = g.input(i, 1);
    if (a == nullptr || b == nullptr || a->shape.size() < 2 || b->shape.size() < 2) {
      return "BATCH_MATMUL operand of rank below 2";
    }
  }
  return {};
}

// ---- GPU (delegates.md section 1) ----

std::string gpu_reason(const Graph& g, std::size_t i) {
  const DelegateOpInfo* entry = nullptr;
  if (auto r = table_reason(Delegate::Gpu, g, i, entry)) return *r;
  const auto n = g.name(i);
  const auto& o = g.options(i);
  const auto& op = g.op(i);
  if (o.activation == kActSignBit) return "fused SIGN_BIT activation is not taken by the GPU";
  if (n == "FULLY_CONNECTED" && o.weights_format != 0) return "FULLY_CONNECTED with shuffled weights";
  if (n == "SOFTMAX" && o.beta != 1.0F) return "SOFTMAX with beta != 1";
  if (n == "STRIDED_SLICE" && (o.ellipsis_mask || o.new_axis_mask || o.shrink_axis_mask)) {
    return "STRIDED_SLICE with an ellipsis, new-axis or shrink-axis mask";
  }
  const bool comparison =
      one_of(n, {"EQUAL", "NOT_EQUAL", "GREATER", "GREATER_EQUAL", "LESS", "LESS_EQUAL"});
  auto allowed_runtime = [&](const ir::TfliteTensor& t, bool is_output) {
    if (is_float(t) || is_8bit(t)) return true;
    if (t.type == TfliteType::Bool) {
      return (comparison && is_output) || n == "CAST" || n == "LOGICAL_AND" ||
             ((n == "SELECT" || n == "SELECT_V2") && !is_output);
    }
    if (t.type == TfliteType::Int32) {
      return n == "CAST" || ((n == "ONE_HOT" || n == "GATHER") && !is_output);
    }
    return false;
  };
  const auto roles = roles_of(n);
  for (std::size_t k = 0; k < op.inputs.size(); ++k) {
    const auto* t = g.tensor(op.inputs[k]);
    if (t == nullptr) continue;
    if (t->shape.size() > kGpuMaxRank) {
      return fmt::format("a {}-D tensor: the GPU delegate takes at most 4 dimensions",
                         t->shape.size());
    }
    if (contains(roles.params, k) && !g.is_const(*t)) {
      return fmt::format("a runtime shape/axis operand: the GPU delegate needs {} parameters "
                         "in the model", n);
    }
    if (!g.is_const(*t) && !allowed_runtime(*t, false)) {
      return fmt::format("a runtime {} tensor: the GPU delegate takes float and 8-bit tensors",
                         type_name(*t));
    }
  }
  for (auto out : op.outputs) {
    const auto* t = g.tensor(out);
    if (t == nullptr) continue;
    if (t->shape.size() > kGpuMaxRank) {
      return fmt::format("a {}-D tensor: the GPU delegate takes at most 4 dimensions",
                         t->shape.size());
    }
    if (!allowed_runtime(*t, true)) {
      return fmt::format("a runtime {} tensor: the GPU delegate takes float and 8-bit tensors",
                         type_name(*t));
    }
  }
  if (comparison && !op.outputs.empty()) {
    const auto& users = g.consumers(op.outputs[0]);
    const bool ok = users.size() == 1 && one_of(g.name(users[0]), {"CAST", "SELECT", "SELECT_V2"});
    if (!ok) return "a comparison whose result is not read by exactly one CAST or SELECT";
  }
  return {};
}

// ---- NNAPI (delegates.md section 3) ----

std::string nnapi_reason(const Graph& g, std::size_t i) {
  const DelegateOpInfo* entry = nullptr;
  if (auto r = table_reason(Delegate::Nnapi, g, i, entry)) return *r;
  const auto& op = g.op(i);
  const auto n = g.name(i);
  const auto& text = entry->constraints;
  const bool rank4 = text.find("rank ≤ 4") != std::string_view::npos ||
                     text.find("ranks ≤ 4") != std::string_view::npos;
  const bool float_only = text.starts_with("float") &&
                          text.find("quant8") == std::string_view::npos &&
                          text.find("u8") == std::string_view::npos;
  const auto roles = roles_of(n);
  for (std::size_t k = 0; k < op.inputs.size(); ++k) {
    const auto* t = g.tensor(op.inputs[k]);
    if (t == nullptr || contains(roles.weights, k) || contains(roles.params, k)) continue;
    if (rank4 && t->shape.size() > 4) {
      return fmt::format("a {}-D tensor: NNAPI runs {} on at most 4 dimensions", t->shape.size(), n);
    }
    if (t->type == TfliteType::Int16 || t->type == TfliteType::Int64 ||
        t->type == TfliteType::String || t->type == TfliteType::Float64) {
      return fmt::format("a {} tensor: NNAPI has no such operand type", type_name(*t));
    }
    if (float_only && !g.is_const(*t) && t->type != TfliteType::Float32) {
      return fmt::format("a {} tensor: NNAPI runs {} on float32 only", type_name(*t), n);
    }
  }
  return {};
}

// ---- Edge TPU compiler (delegates.md section 4) ----

std::string edgetpu_reason(const Graph& g, std::size_t i) {
  const auto n = g.name(i);
  // A model already compiled for the Edge TPU carries the mapped part as this custom op.
  if (g.is_custom(i) && n == "edgetpu-custom-op") return {};
  const DelegateOpInfo* entry = nullptr;
  if (auto r = table_reason(Delegate::EdgeTpu, g, i, entry)) return *r;
  const auto& op = g.op(i);
  const auto& o = g.options(i);
  const auto roles = roles_of(n);
  const bool has_bias = one_of(n, {"CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED"});
  auto check = [&](const ir::TfliteTensor& t, bool params,
                   bool weights) -> std::optional<std::string> {
    if (params || t.type == TfliteType::Int32) return std::nullopt;  // shapes, axes, biases
    if (!is_8bit(t) || !t.quantization || !t.quantization->is_quantized()) {
      return fmt::format("a {} tensor: the Edge TPU runs only int8/uint8-quantized ops "
                         "(quantize the whole model to 8-bit integers)", type_name(t));
    }
    // More than 3 dims: only the 3 innermost may be larger than 1 (activations; filters are
    // laid out by the compiler).
    if (!weights && t.shape.size() > 3) {
      for (std::size_t d = 0; d + 3 < t.shape.size(); ++d) {
        if (t.shape[d] > 1) {
          return std::string("a tensor with a batch or 4th-from-last dimension > 1: the Edge "
                             "TPU maps only tensors whose 3 innermost dims exceed 1");
        }
      }
    }
    return std::nullopt;
  };
  for (std::size_t k = 0; k < op.inputs.size(); ++k) {
    const auto* t = g.tensor(op.inputs[k]);
    if (t == nullptr) continue;
    if (n == "QUANTIZE" && k == 0) continue;  // float input quantized on the way in
    const bool params = contains(roles.params, k) || (has_bias && k == 2);
    if (!params && !contains(roles.weights, k) && !g.is_const(*t) && t->shape_signature.size() &&
        std::any_of(t->shape_signature.begin(), t->shape_signature.end(),
                    [](std::int32_t d) { return d < 0; })) {
      return "a dynamic-shaped tensor: the Edge TPU needs static shapes";
    }
    if (auto r = check(*t, params, contains(roles.weights, k))) return *r;
  }
  for (auto out : op.outputs) {
    if (const auto* t = g.tensor(out)) {
      if (auto r = check(*t, false, false)) return *r;
    }
  }
  if (one_of(n, {"AVERAGE_POOL_2D", "MAX_POOL_2D", "CONCATENATION"}) && o.activation != 0) {
    return fmt::format("{} with a fused activation", n);
  }
  if (n == "FULLY_CONNECTED" && o.weights_format != 0) return "FULLY_CONNECTED with shuffled weights";
  if (n == "STRIDED_SLICE" && (o.ellipsis_mask || o.new_axis_mask)) {
    return "STRIDED_SLICE with an ellipsis or new-axis mask";
  }
  if ((n == "CONV_2D" || n == "DEPTHWISE_CONV_2D") && o.dilation_w != o.dilation_h) {
    return fmt::format("{} with different x and y dilation", n);
  }
  return {};
}

std::string reason_for(Delegate d, const Graph& g, std::size_t i) {
  switch (d) {
    case Delegate::Xnnpack: return xnnpack_reason(g, i);
    case Delegate::Gpu: return gpu_reason(g, i);
    case Delegate::Nnapi: return nnapi_reason(g, i);
    case Delegate::EdgeTpu: return edgetpu_reason(g, i);
  }
  return "unknown delegate";
}

// The interpreter's partitioning (PartitionGraphIntoIndependentNodeSubsets): repeatedly
// take, in execution order, every node of one kind (supported or not) whose inputs are
// ready, until none is left; then switch kinds. Each run of supported nodes is a partition.
std::vector<std::vector<std::size_t>> supported_partitions(const Graph& g,
                                                           const std::vector<bool>& supported) {
  const std::size_t n = g.size();
  std::vector<bool> ready(g.sg().tensors.size(), false);
  for (std::size_t t = 0; t < ready.size(); ++t) ready[t] = g.producer(static_cast<std::int32_t>(t)) < 0;
  std::vector<bool> done(n, false);
  std::size_t left = n;
  std::vector<std::vector<std::size_t>> parts;
  auto inputs_ready = [&](std::size_t i) {
    for (auto t : g.op(i).inputs) {
      if (g.valid(t) && !ready[static_cast<std::size_t>(t)]) return false;
    }
    return true;
  };
  while (left > 0) {
    std::optional<bool> kind;
    std::vector<std::size_t> subset;
    for (bool progress = true; progress;) {
      progress = false;
      for (std::size_t i = 0; i < n; ++i) {
        if (done[i] || !inputs_ready(i)) continue;
        if (!kind) kind = supported[i];
        if (supported[i] != *kind) continue;
        done[i] = true;
        --left;
        subset.push_back(i);
        for (auto t : g.op(i).outputs) {
          if (g.valid(t)) ready[static_cast<std::size_t>(t)] = true;
        }
        progress = true;
      }
    }
    if (subset.empty()) break;  // a cycle or an input nobody produces: stop, never loop
    if (*kind) parts.push_back(std::move(subset));
  }
  return parts;
}

SubgraphPlacement place_subgraph(Delegate d, const Graph& g) {
  SubgraphPlacement out;
  out.ops.resize(g.size());
  std::vector<bool> supported(g.size(), false);
  for (std::size_t i = 0; i < g.size(); ++i) {
    out.ops[i].reason = reason_for(d, g, i);
    supported[i] = out.ops[i].reason.empty();
  }
  // Constant DEQUANTIZE nodes (fp16/int8 weights) go with their consumers: XNNPACK absorbs
  // them when every consumer is delegated; the GPU only when the whole graph is.
  const bool all_others = [&] {
    for (std::size_t i = 0; i < g.size(); ++i) {
      if (!supported[i] && !g.is_const_dequantize(i)) return false;
    }
    return true;
  }();
  // Consumers come later in execution order, so walking backwards settles a DENSIFY after
  // the DEQUANTIZE that reads it.
  for (std::size_t i = g.size(); i-- > 0;) {
    if (d != Delegate::Xnnpack || !g.is_weight_unpacking(i)) continue;
    bool ok = !g.op(i).outputs.empty();
    for (auto t : g.op(i).outputs) {
      for (auto c : g.consumers(t)) ok = ok && supported[c];
    }
    if (!ok && out.ops[i].reason.empty()) {
      out.ops[i].reason = fmt::format("weight {} whose consumer runs on the CPU", g.name(i));
    }
    supported[i] = ok;
  }
  for (std::size_t i = 0; i < g.size(); ++i) {
    if (d == Delegate::Xnnpack || !g.is_const_dequantize(i)) continue;
    bool ok = false;
    if (d == Delegate::Gpu || d == Delegate::Nnapi) {
      ok = supported[i] && (d == Delegate::Nnapi || all_others);
      if (!ok && out.ops[i].reason.empty()) {
        out.ops[i].reason = "fp16 weight DEQUANTIZE kept on the CPU because the graph is only "
                            "partly delegated";
      }
    } else {
      ok = supported[i];
    }
    supported[i] = ok;
  }
  for (std::size_t i = 0; i < g.size(); ++i) out.ops[i].supported = supported[i];

  std::vector<std::vector<std::size_t>> parts;
  if (d == Delegate::EdgeTpu) {
    // The compiler maps one contiguous run from the start: the first unmapped op and
    // everything after it stay on the CPU.
    std::vector<std::size_t> run;
    std::size_t i = 0;
    for (; i < g.size() && supported[i]; ++i) run.push_back(i);
    for (std::size_t j = i; j < g.size(); ++j) {
      if (supported[j]) {
        out.ops[j].reason = "after the first op the Edge TPU does not map, every op runs on the "
                            "CPU (the compiler maps one subgraph; see -a)";
      }
    }
    out.supported_partitions = std::count(supported.begin(), supported.end(), true) > 0 ? 1 : 0;
    if (!run.empty()) parts.push_back(std::move(run));
  } else {
    parts = supported_partitions(g, supported);
    out.supported_partitions = parts.size();
    const std::size_t cap = d == Delegate::Gpu     ? kGpuMaxPartitions
                            : d == Delegate::Nnapi ? kNnapiMaxPartitions
                                                   : parts.size();
    if (parts.size() > cap) {
      // The largest partitions win; ties keep graph order (stable sort).
      std::stable_sort(parts.begin(), parts.end(),
                       [](const auto& a, const auto& b) { return a.size() > b.size(); });
      for (std::size_t p = cap; p < parts.size(); ++p) {
        for (auto i : parts[p]) {
          out.ops[i].reason = fmt::format(
              "supported, but the {} delegate takes only the {} largest partition(s) and this "
              "one is smaller",
              to_string(d), cap);
        }
      }
      parts.resize(cap);
      std::sort(parts.begin(), parts.end());
    }
  }
  for (std::size_t p = 0; p < parts.size(); ++p) {
    for (auto i : parts[p]) {
      out.ops[i].delegated = true;
      out.ops[i].partition = static_cast<int>(p);
      out.ops[i].reason.clear();
      ++out.delegated_ops;
    }
  }
  out.delegated_partitions = parts.size();
  return out;
}

}  // namespace

DelegatePlacement place_ops(const ir::TfliteModel& model, Delegate delegate) {
  DelegatePlacement out;
  out.delegate = delegate;
  const auto options = read_op_options(model);
  for (std::size_t s = 0; s < model.subgraphs.size(); ++s) {
    Graph g(model, model.subgraphs[s], options[s]);
    if (delegate == Delegate::EdgeTpu && s > 0) {
      // The compiler maps the main graph only; called subgraphs (IF/WHILE bodies) stay.
      SubgraphPlacement sp;
      sp.ops.resize(g.size());
      for (auto& op : sp.ops) op.reason = "the Edge TPU compiler maps only the main subgraph";
      out.subgraphs.push_back(std::move(sp));
      continue;
    }
    out.subgraphs.push_back(place_subgraph(delegate, g));
  }
  return out;
}

}  // namespace litelint::rules
