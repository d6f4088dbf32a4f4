#include "converter/legalize/context.h"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "analyzer/support/assert.h"

namespace litelint::converter {
namespace {

std::string slot_key(std::string_view node, std::int32_t output) {
  return fmt::format("{}:{}", node, output);
}

}  // namespace

std::optional<tflite::TensorType> tfl_type(ir::DType dtype) {
  using ir::DType;
  using T = tflite::TensorType;
  switch (ir::base_dtype(dtype)) {
    case DType::Float: return T::FLOAT32;
    case DType::Half: return T::FLOAT16;
    case DType::Double: return T::FLOAT64;
    case DType::BFloat16: return T::BFLOAT16;
    case DType::Int32: return T::INT32;
    case DType::Int64: return T::INT64;
    case DType::Int16: return T::INT16;
    case DType::Int8: return T::INT8;
    case DType::UInt8: return T::UINT8;
    case DType::UInt16: return T::UINT16;
    case DType::UInt32: return T::UINT32;
    case DType::UInt64: return T::UINT64;
    case DType::Bool: return T::BOOL;
    case DType::String: return T::STRING;
    case DType::Complex64: return T::COMPLEX64;
    case DType::Complex128: return T::COMPLEX128;
    case DType::Resource: return T::RESOURCE;
    case DType::Variant: return T::VARIANT;
    case DType::Int4: return T::INT4;
    default: return std::nullopt;
  }
}

SubgraphBuilder::SubgraphBuilder(tfl::Model& model, std::size_t subgraph_index, std::string name_prefix)
    : model_(model), index_(subgraph_index), prefix_(std::move(name_prefix)) {}

TensorSlot& SubgraphBuilder::slot(std::string_view node, std::int32_t output) {
  auto key = slot_key(node, output);
  auto it = slots_.find(key);
  if (it == slots_.end()) it = slots_.emplace(std::move(key), TensorSlot{}).first;
  return it->second;
}

const TensorSlot* SubgraphBuilder::find_slot(std::string_view node, std::int32_t output) const {
  auto it = slots_.find(slot_key(node, output));
  return it == slots_.end() ? nullptr : &it->second;
}

std::string SubgraphBuilder::unique_name(std::string_view base) {
  auto [it, inserted] = names_.try_emplace(std::string(base), 0);
  if (inserted) return std::string(base);
  for (;;) {
    std::string candidate = fmt::format("{}_{}", base, ++it->second);
    if (names_.try_emplace(candidate, 0).second) return candidate;
  }
}

// Import names an inlined node "<call>/<body node>"; TensorFlow's converter keeps the body's
// own names, and so do tensor names here: the call prefixes ("StatefulPartitionedCall/",
// "PartitionedCall_1/") tell a reader nothing and cost ~50 bytes a tensor in the file.
static std::string_view without_call_prefixes(std::string_view name) {
  for (;;) {
    const auto slash = name.find('/');
    if (slash == std::string_view::npos) return name;
    std::string_view head = name.substr(0, slash);
    if (head.starts_with("Stateful")) head.remove_prefix(8);
    if (!head.starts_with("PartitionedCall")) return name;
    head.remove_prefix(15);
    if (!head.empty() && (head[0] != '_' || head.size() == 1 ||
                          head.find_first_not_of("0123456789", 1) != std::string_view::npos)) {
      return name;
    }
    name.remove_prefix(slash + 1);
  }
}

std::int32_t SubgraphBuilder::add_tensor(std::string name, const ir::TensorType& type) {
  tfl::Tensor t;
  t.name = unique_name(prefix_ + std::string(without_call_prefixes(name)));
  t.type = tfl_type(type.dtype).value_or(tflite::TensorType::FLOAT32);
  if (type.shape.has_rank()) {
    for (auto d : type.shape.dims()) {
      t.shape.push_back(d < 0 ? 1 : static_cast<std::int32_t>(d));
      t.signature.push_back(d < 0 ? -1 : static_cast<std::int32_t>(d));
    }
  } else {
    t.has_rank = false;
  }
  return subgraph().add_tensor(std::move(t));
}

Expected<std::int32_t> SubgraphBuilder::add_constant(std::string name, const ConstValue& value) {
  const auto type = tfl_type(value.dtype);
  if (!type) return fail(ErrorCode::Unsupported, "constant of type " + ir::dtype_name(value.dtype) + " has no TFLite type");
  tfl::Buffer buffer;
  if (value.dtype == ir::DType::String) {
    // TFLite string tensors: int32 count, count+1 int32 offsets, then the bytes.
    const auto n = value.strings.size();
    std::size_t total = 4 * (n + 2);
    for (const auto& s : value.strings) total += s.size();
    buffer.owned.resize(total);
    auto put = [&](std::size_t at, std::int32_t v) { std::memcpy(buffer.owned.data() + at, &v, 4); };
    put(0, static_cast<std::int32_t>(n));
    std::size_t offset = 4 * (n + 2);
    for (std::size_t i = 0; i < n; ++i) {
      put(4 * (i + 1), static_cast<std::int32_t>(offset));
      std::memcpy(buffer.owned.data() + offset, value.strings[i].data(), value.strings[i].size());
      offset += value.strings[i].size();
    }
    put(4 * (n + 1), static_cast<std::int32_t>(offset));
  } else if (!value.owned.empty()) {
    buffer.owned = value.owned;
  } else {
    buffer.borrowed = value.borrowed;
    buffer.keep_alive = value.keep_alive;
  }
  const auto index = add_tensor(std::move(name), {value.dtype, value.shape});
  if (!buffer.empty()) subgraph().tensors[index].buffer = model_.add_buffer(std::move(buffer));
  if (subgraph().tensors[index].buffer == 0) {
    // An empty constant still needs a buffer of its own so that the runtime does not treat
    // it as an activation tensor.
    subgraph().tensors[index].buffer = model_.add_buffer(tfl::Buffer{});
  }
  subgraph().tensors[index].type = *type;
  return index;
}

Expected<std::int32_t> SubgraphBuilder::add_constant(std::string name, ConstValue&& value) {
  // A permuted filter or folded result is built once and only ever read from the buffer, so
  // its bytes move there (ResNet50's filters are ~100 MB), and stay owned so that a fusion
  // may rewrite them in place.
  if (value.dtype == ir::DType::String || value.owned.empty()) return add_constant(std::move(name), value);
  const auto type = tfl_type(value.dtype);
  if (!type) return fail(ErrorCode::Unsupported, "constant of type " + ir::dtype_name(value.dtype) + " has no TFLite type");
  const auto index = add_tensor(std::move(name), {value.dtype, value.shape});
  subgraph().tensors[index].buffer = model_.add_buffer(std::move(value.owned));
  subgraph().tensors[index].type = *type;
  return index;
}

Expected<std::int32_t> SubgraphBuilder::body_subgraph(std::string_view function) const {
  if (!body_resolver_) return fail(ErrorCode::Internal, "no control-flow bodies in this context");
  return body_resolver_(function);
}

Expected<std::int32_t> SubgraphBuilder::materialize(TensorSlot& slot, const std::string& name) {
  if (slot.tfl >= 0) return slot.tfl;
  if (slot.constant) {
    // The slot keeps its value alive (later readers may need it); the buffer shares those
    // bytes instead of copying them.
    const ConstValue& c = *slot.constant;
    Expected<std::int32_t> t;
    if (c.dtype != ir::DType::String && !c.owned.empty()) {
      ConstValue view;
      view.dtype = c.dtype;
      view.shape = c.shape;
      view.borrowed = std::span<const std::byte>(c.owned);
      view.keep_alive = slot.constant;
      t = add_constant(name, view);
    } else {
      t = add_constant(name, c);
    }
    if (!t) return t;
    slot.tfl = *t;
    return slot.tfl;
  }
  slot.tfl = add_tensor(name, slot.type);
  return slot.tfl;
}

LoweringContext::LoweringContext(SubgraphBuilder& builder, const ir::Node& node)
    : builder_(builder), node_(node) {
  for (const auto& ref : node.inputs) {
    if (!ref.control) inputs_.push_back(ref);
  }
}

TensorSlot& LoweringContext::input_slot(std::size_t i) const {
  return builder_.slot(inputs_.at(i).node, inputs_.at(i).index);
}

const ir::TensorType& LoweringContext::input_type(std::size_t i) const {
  return input_slot(i).type;
}

ir::TensorType LoweringContext::output_type(std::size_t i) const {
  if (i < node_.outputs.size()) return node_.outputs[i];
  return {};
}

const ConstValue* LoweringContext::constant(std::size_t i) const {
  if (i >= inputs_.size()) return nullptr;
  return input_slot(i).constant.get();
}

std::optional<std::int64_t> LoweringContext::attr_int(std::string_view key) const {
  const auto* a = node_.attr(key);
  if (a == nullptr || a->as_int() == nullptr) return std::nullopt;
  return *a->as_int();
}

std::int64_t LoweringContext::attr_int(std::string_view key, std::int64_t fallback) const {
  return attr_int(key).value_or(fallback);
}

std::optional<float> LoweringContext::attr_float(std::string_view key) const {
  const auto* a = node_.attr(key);
  if (a == nullptr || a->as_float() == nullptr) return std::nullopt;
  return *a->as_float();
}

bool LoweringContext::attr_bool(std::string_view key, bool fallback) const {
  const auto* a = node_.attr(key);
  if (a == nullptr || a->as_bool() == nullptr) return fallback;
  return *a->as_bool();
}

std::string LoweringContext::attr_string(std::string_view key, std::string_view fallback) const {
  const auto* a = node_.attr(key);
  if (a == nullptr || a->as_string() == nullptr) return std::string(fallback);
  return *a->as_string();
}

std::vector<std::int64_t> LoweringContext::attr_ints(std::string_view key) const {
  const auto* a = node_.attr(key);
  if (a == nullptr || a->as_list() == nullptr) return {};
  return a->as_list()->i;
}

std::optional<ir::DType> LoweringContext::attr_type(std::string_view key) const {
  const auto* a = node_.attr(key);
  if (a == nullptr || a->as_type() == nullptr) return std::nullopt;
  return *a->as_type();
}

Expected<std::int32_t> LoweringContext::input(std::size_t i) {
  if (i >= inputs_.size()) return fail(fmt::format("has no input {}", i));
  const auto& ref = inputs_[i];
  return builder_.materialize(input_slot(i), ref.index == 0 ? ref.node : slot_key(ref.node, ref.index));
}

std::int32_t LoweringContext::output(std::size_t i) {
  TensorSlot& s = builder_.slot(node_.name, static_cast<std::int32_t>(i));
  if (s.tfl >= 0) return s.tfl;
  if (s.type.dtype == ir::DType::Invalid) s.type = output_type(i);
  s.tfl = builder_.add_tensor(i == 0 ? node_.name : slot_key(node_.name, static_cast<std::int32_t>(i)), s.type);
  return s.tfl;
}

void LoweringContext::forward(std::size_t i, std::int32_t tensor) {
  builder_.slot(node_.name, static_cast<std::int32_t>(i)).tfl = tensor;
}

void LoweringContext::set_constant(std::size_t i, ConstValue value) {
  TensorSlot& s = builder_.slot(node_.name, static_cast<std::int32_t>(i));
  s.type = {value.dtype, value.shape};
  s.constant = std::make_shared<const ConstValue>(std::move(value));
}

std::int32_t LoweringContext::add_tensor(std::string_view suffix, const ir::TensorType& type) {
  return builder_.add_tensor(fmt::format("{}/{}", node_.name, suffix), type);
}

Expected<std::int32_t> LoweringContext::add_constant(std::string_view suffix, const ConstValue& value) {
  return builder_.add_constant(fmt::format("{}/{}", node_.name, suffix), value);
}

Expected<std::int32_t> LoweringContext::add_constant(std::string_view suffix, ConstValue&& value) {
  return builder_.add_constant(fmt::format("{}/{}", node_.name, suffix), std::move(value));
}

std::int32_t LoweringContext::add_i32(std::string_view suffix, std::span<const std::int32_t> values,
                                      std::optional<std::vector<std::int64_t>> shape) {
  std::vector<std::int64_t> v(values.begin(), values.end());
  auto c = ConstValue::from_ints(ir::DType::Int32,
                                 ir::Shape(shape.value_or(std::vector<std::int64_t>{
                                     static_cast<std::int64_t>(values.size())})),
                                 v);
  return *builder_.add_constant(fmt::format("{}/{}", node_.name, suffix), std::move(c));
}

std::int32_t LoweringContext::add_f32(std::string_view suffix, std::span<const float> values,
                                      std::vector<std::int64_t> shape) {
  std::vector<double> v(values.begin(), values.end());
  auto c = ConstValue::from_doubles(ir::DType::Float, ir::Shape(std::move(shape)), v);
  return *builder_.add_constant(fmt::format("{}/{}", node_.name, suffix), std::move(c));
}

tfl::Operator& LoweringContext::emit(std::string_view builtin, std::vector<std::int32_t> inputs,
                                     std::vector<std::int32_t> outputs) {
  tfl::Operator op;
  const auto code = tfl::builtin_by_name(builtin);
  LITELINT_ASSERT(code.has_value());
  op.builtin = *code;
  op.inputs = std::move(inputs);
  op.outputs = std::move(outputs);
  op.origin.push_back(node_.name);
  auto& ops = builder_.subgraph().operators;
  ops.push_back(std::move(op));
  return ops.back();
}

tfl::Operator& LoweringContext::emit_custom(std::string custom_code, std::vector<std::int32_t> inputs,
                                            std::vector<std::int32_t> outputs) {
  tfl::Operator op;
  op.builtin = tflite::BuiltinOperator::CUSTOM;
  op.custom_code = std::move(custom_code);
  op.inputs = std::move(inputs);
  op.outputs = std::move(outputs);
  op.origin.push_back(node_.name);
  auto& ops = builder_.subgraph().operators;
  ops.push_back(std::move(op));
  return ops.back();
}

tl::unexpected<Error> LoweringContext::fail(std::string_view reason) const {
  return litelint::fail(ErrorCode::Unsupported,
                        fmt::format("node '{}' ({}): {}", node_.name, node_.op, reason));
}

}  // namespace litelint::converter
