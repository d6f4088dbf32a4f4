#include "rules/engine/opdb.h"

#include <algorithm>
#include <charconv>
#include <system_error>

#include "rules/engine/op_signatures.h"
#include "rules/engine/opdb_operands.h"

namespace litelint::rules {
namespace {

// The generator guarantees every table is sorted by name (byte order), so lookups are
// binary searches over constant data.
template <typename T, typename Key>
const T* find_sorted(std::span<const T> table, std::string_view name, Key key) {
  auto it = std::lower_bound(table.begin(), table.end(), name,
                             [&](const T& e, std::string_view n) { return key(e) < n; });
  if (it == table.end() || key(*it) != name) return nullptr;
  return &*it;
}

bool in_sorted(std::span<const std::string_view> list, std::string_view name) {
  return std::binary_search(list.begin(), list.end(), name);
}

}  // namespace

const Condition* TfOpInfo::condition(ConditionKey key) const {
  for (const Condition& c : when) {
    if (c.key == key) return &c;
  }
  return nullptr;
}

bool TfOpInfo::allows(std::string_view attr, std::string_view value) const {
  for (const AllowedAttrValues& a : allowed_attrs) {
    if (a.attr != attr) continue;
    for (const auto& v : a.values) {
      if (v == value) return true;
    }
    return false;
  }
  return true;
}

std::string_view TfliteBuiltinInfo::min_runtime(int version) const {
  for (const BuiltinVersion& v : versions) {
    if (v.version == version) return v.min_runtime;
  }
  return {};
}

const TfOpInfo* find_tf_op(std::string_view name) {
  return find_sorted(detail::tf_op_table(), name, [](const TfOpInfo& e) { return e.name; });
}

const TfliteBuiltinInfo* find_builtin(std::string_view name) {
  return find_sorted(detail::builtin_table(), name,
                     [](const TfliteBuiltinInfo& e) { return e.name; });
}

const TfliteBuiltinInfo* find_builtin(int code) {
  for (const TfliteBuiltinInfo& b : detail::builtin_table()) {
    if (b.code == code) return &b;
  }
  return nullptr;
}

FlexList flex_list_of(std::string_view tf_op) {
  for (FlexList list : {FlexList::Main, FlexList::TfText, FlexList::SentencePiece}) {
    // Each section is sorted on its own (the generator checks it).
    if (in_sorted(detail::flex_table(list), tf_op)) return list;
  }
  return FlexList::None;
}

bool on_flex_allowlist(std::string_view tf_op) {
  return in_sorted(detail::flex_table(FlexList::Main), tf_op);
}

bool builtin_accepts(std::string_view tf_op, ir::DType dtype) {
  const TfOpInfo* op = find_tf_op(tf_op);
  if (op == nullptr || !op->converts_to_builtins()) return false;
  auto t = elem_type_of(dtype);
  return t && op->accepts(*t);
}

std::span<const TfOpInfo> all_tf_ops() { return detail::tf_op_table(); }
std::span<const TfliteBuiltinInfo> all_builtins() { return detail::builtin_table(); }
std::span<const std::string_view> flex_allowlist(FlexList list) {
  return detail::flex_table(list);
}

std::span<const DelegateInfo> all_delegates() { return detail::delegate_table(); }

const DelegateInfo& delegate_info(Delegate d) {
  // The generator emits the delegates in enum order.
  return detail::delegate_table()[static_cast<std::size_t>(d)];
}

std::optional<Delegate> parse_delegate(std::string_view name) {
  for (const DelegateInfo& d : detail::delegate_table()) {
    if (d.name == name) return d.id;
  }
  return std::nullopt;
}

const DelegateOpInfo* find_delegate_op(Delegate d, std::string_view builtin) {
  return find_sorted(delegate_info(d).ops, builtin, [](const DelegateOpInfo& e) { return e.op; });
}

bool delegate_supports(Delegate d, std::string_view builtin, int version) {
  const DelegateOpInfo* op = find_delegate_op(d, builtin);
  if (op == nullptr || !op->supported) return false;
  return version == 0 || op->max_version == 0 || version <= op->max_version;
}

std::optional<ElemType> elem_type_of(ir::DType dtype) {
  using ir::DType;
  switch (ir::base_dtype(dtype)) {
    case DType::Float: return ElemType::F32;
    case DType::Double: return ElemType::F64;
    case DType::Half: return ElemType::F16;
    case DType::BFloat16: return ElemType::BF16;
    case DType::Int8: return ElemType::I8;
    case DType::Int16: return ElemType::I16;
    case DType::Int32: return ElemType::I32;
    case DType::Int64: return ElemType::I64;
    case DType::UInt8: return ElemType::U8;
    case DType::UInt16: return ElemType::U16;
    case DType::UInt32: return ElemType::U32;
    case DType::UInt64: return ElemType::U64;
    case DType::Bool: return ElemType::Bool;
    case DType::String: return ElemType::String;
    case DType::Complex64: return ElemType::Complex64;
    case DType::Complex128: return ElemType::Complex128;
    case DType::Resource: return ElemType::Resource;
    case DType::Variant: return ElemType::Variant;
    case DType::QUInt8: return ElemType::TfQuint8;  // the converter keeps TF's quint8 as is
    case DType::Int4: return ElemType::I4;
    case DType::UInt4: return ElemType::U4;
    case DType::Int2: return ElemType::I2;
    case DType::Float8E4M3FN: return ElemType::F8E4M3FN;
    case DType::Float8E5M2: return ElemType::F8E5M2;
    default: return std::nullopt;
  }
}

std::string_view to_string(TfOpStatus s) {
  switch (s) {
    case TfOpStatus::Builtin: return "builtin";
    case TfOpStatus::Lowered: return "lowered";
    case TfOpStatus::Removed: return "removed";
    case TfOpStatus::Io: return "io";
    case TfOpStatus::ControlFlow: return "control-flow";
    case TfOpStatus::ControlFlowV1: return "control-flow-v1";
    case TfOpStatus::Variable: return "variable";
    case TfOpStatus::HashTable: return "hash-table";
    case TfOpStatus::TensorList: return "tensor-list";
    case TfOpStatus::Training: return "training";
    case TfOpStatus::FlexOnly: return "flex-only";
    case TfOpStatus::Unsupported: return "unsupported";
    case TfOpStatus::Unregistered: return "unregistered";
    case TfOpStatus::Internal: return "internal";
  }
  return "?";
}

std::string_view to_string(Fallback f) {
  switch (f) {
    case Fallback::None: return "none";
    case Fallback::StaysTf: return "stays-tf";
    case Fallback::TransposeInserted: return "transpose-inserted";
    case Fallback::BroadcastToInserted: return "broadcast-to-inserted";
    case Fallback::ConvertError: return "convert-error";
  }
  return "?";
}

std::string_view to_string(FlexList f) {
  switch (f) {
    case FlexList::None: return "none";
    case FlexList::Main: return "main";
    case FlexList::TfText: return "tf-text";
    case FlexList::SentencePiece: return "sentencepiece";
  }
  return "?";
}

std::string_view to_string(Confidence c) {
  switch (c) {
    case Confidence::Reference: return "reference";
    case Confidence::Derived: return "derived";
    case Confidence::Unverified: return "unverified";
    case Confidence::Measured: return "measured";
  }
  return "?";
}

std::string_view to_string(ConditionKey k) {
  switch (k) {
    case ConditionKey::DataFormat: return "data_format";
    case ConditionKey::Strides: return "strides";
    case ConditionKey::Dilations: return "dilations";
    case ConditionKey::Ksize: return "ksize";
    case ConditionKey::Padding: return "padding";
    case ConditionKey::ConstOperands: return "const_operands";
    case ConditionKey::MaxRank: return "max_rank";
    case ConditionKey::MinRank: return "min_rank";
    case ConditionKey::MaxEffectiveRank: return "max_effective_rank";
    case ConditionKey::BroadcastMaxRank: return "broadcast_max_rank";
    case ConditionKey::StaticShape: return "static_shape";
    case ConditionKey::Attr: return "attr";
    case ConditionKey::Lowering: return "lowering";
  }
  return "?";
}

std::string_view to_string(ElemType t) {
  // Same order as the enum and as ELEM_TYPES in gen_opdb.py.
  static constexpr std::string_view kNames[kElemTypeCount] = {
      "f16", "bf16", "f32", "f64", "i2", "i4", "i8", "i16", "i32", "i64", "u4",
      "u8", "u16", "u32", "u64", "bool", "string", "complex64", "complex128", "resource",
      "variant", "qi2", "qi4", "qi8", "qi16", "qi32", "qui4", "qui8", "qui16", "qui32",
      "tf_quint8", "f8e4m3fn", "f8e5m2"};
  auto i = static_cast<std::size_t>(t);
  return i < std::size(kNames) ? kNames[i] : "?";
}

std::string_view to_string(Delegate d) { return delegate_info(d).name; }

// Per-operand type lists (opdb_operands.h).
namespace {

std::optional<ir::DType> data_type(std::optional<ir::DType> t) {
  if (!t || *t == ir::DType::Invalid) return std::nullopt;
  const ir::DType base = ir::base_dtype(*t);
  if (base == ir::DType::Resource || base == ir::DType::Variant) return std::nullopt;
  return base;
}

std::optional<ir::DType> attr_type(const ir::Node& node, std::string_view attr) {
  if (attr.empty()) return std::nullopt;
  const ir::AttrValue* a = node.attr(attr);
  if (a == nullptr || a->as_type() == nullptr) return std::nullopt;
  return *a->as_type();
}

// How many tensors an OpDef argument takes at this node: 1, N, or the length of a type
// list; nullopt when the node does not say.
std::optional<std::size_t> arg_width(const ir::Node& node, const OpArgSig& arg) {
  if (!arg.number_attr.empty()) {
    const ir::AttrValue* n = node.attr(arg.number_attr);
    if (n == nullptr || n->as_int() == nullptr || *n->as_int() < 0) return std::nullopt;
    return static_cast<std::size_t>(*n->as_int());
  }
  if (!arg.type_list_attr.empty()) {
    const ir::AttrValue* l = node.attr(arg.type_list_attr);
    if (l == nullptr || l->as_list() == nullptr) return std::nullopt;
    return l->as_list()->type.size();
  }
  return 1;
}

// The type of result `name` ("" = the first): its type attr or fixed type, else the
// inferred type of the node's output there.
std::optional<ir::DType> result_type(const ir::Node& node, const OpSignature* sig,
                                     std::string_view name) {
  std::size_t flat = 0;
  const OpArgSig* arg = nullptr;
  if (sig != nullptr) {
    for (const OpArgSig& out : sig->outputs) {
      if (name.empty() || out.name == name) {
        arg = &out;
        break;
      }
      const auto width = arg_width(node, out);
      if (!width) return std::nullopt;
      flat += *width;
    }
    if (arg == nullptr && !name.empty()) return std::nullopt;
  } else if (!name.empty()) {
    return std::nullopt;
  }
  if (arg != nullptr) {
    if (arg->type != ir::DType::Invalid) return arg->type;
    if (auto t = attr_type(node, arg->type_attr)) return t;
  }
  if (flat < node.outputs.size() && node.outputs[flat].dtype != ir::DType::Invalid) {
    return node.outputs[flat].dtype;
  }
  return std::nullopt;
}

bool listed(std::span<const OperandTypes> lists, std::string_view operand, ElemType t) {
  for (const OperandTypes& l : lists) {
    if (l.operand == operand && l.types.contains(t)) return true;
  }
  return false;
}

}  // namespace

std::optional<ir::DType> operand_dtype(const ir::Node& node, std::string_view operand,
                                       const InputDtypeFn& input_dtype) {
  const OpSignature* sig = find_op_signature(node.op);
  if (operand == "output") return data_type(result_type(node, sig, {}));
  if (operand.starts_with("output:")) {
    return data_type(result_type(node, sig, operand.substr(std::string_view("output:").size())));
  }
  std::size_t index = 0;
  if (auto [end, ec] = std::from_chars(operand.data(), operand.data() + operand.size(), index);
      ec == std::errc() && end == operand.data() + operand.size()) {
    return data_type(input_dtype(index));
  }
  if (sig == nullptr) return std::nullopt;
  std::size_t flat = 0;  // the node's input index of the argument's first tensor
  for (const OpArgSig& arg : sig->inputs) {
    if (arg.name == operand) {
      if (arg.type != ir::DType::Invalid) return data_type(arg.type);
      // The type attr is what TensorFlow checks every edge against; the input's inferred
      // type is the fallback for nodes written without it.
      if (auto t = attr_type(node, arg.type_attr)) return data_type(t);
      return data_type(input_dtype(flat));
    }
    const auto width = arg_width(node, arg);
    if (!width) return std::nullopt;
    flat += *width;
  }
  return std::nullopt;
}

std::optional<OperandMismatch> unaccepted_operand(const TfOpInfo& info, const ir::Node& node,
                                                  const InputDtypeFn& input_dtype) {
  for (std::size_t i = 0; i < info.operand_types.size(); ++i) {
    const OperandTypes& list = info.operand_types[i];
    if (list.types.is_any()) continue;
    const auto dtype = operand_dtype(node, list.operand, input_dtype);
    if (!dtype) continue;
    const auto elem = elem_type_of(*dtype);
    if (!elem || list.types.contains(*elem)) continue;
    return OperandMismatch{&list, *dtype, i == 0, listed(info.fails_types, list.operand, *elem)};
  }
  return std::nullopt;
}

}  // namespace litelint::rules
