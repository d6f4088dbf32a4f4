#include "analyzer/ir/dtype.h"

#include <array>
#include <utility>

namespace litelint::ir {
namespace {

struct DTypeInfo {
  DType dtype;
  std::string_view enum_name;
  std::string_view name;
  std::size_t size;  // 0 = not fixed-size
};

constexpr std::array kDTypes = {
    DTypeInfo{DType::Invalid, "DT_INVALID", "invalid", 0},
    DTypeInfo{DType::Float, "DT_FLOAT", "float32", 4},
    DTypeInfo{DType::Double, "DT_DOUBLE", "float64", 8},
    DTypeInfo{DType::Int32, "DT_INT32", "int32", 4},
    DTypeInfo{DType::UInt8, "DT_UINT8", "uint8", 1},
    DTypeInfo{DType::Int16, "DT_INT16", "int16", 2},
    DTypeInfo{DType::Int8, "DT_INT8", "int8", 1},
    DTypeInfo{DType::String, "DT_STRING", "string", 0},
    DTypeInfo{DType::Complex64, "DT_COMPLEX64", "complex64", 8},
    DTypeInfo{DType::Int64, "DT_INT64", "int64", 8},
    DTypeInfo{DType::Bool, "DT_BOOL", "bool", 1},
    DTypeInfo{DType::QInt8, "DT_QINT8", "qint8", 1},
    DTypeInfo{DType::QUInt8, "DT_QUINT8", "quint8", 1},
    DTypeInfo{DType::QInt32, "DT_QINT32", "qint32", 4},
    DTypeInfo{DType::BFloat16, "DT_BFLOAT16", "bfloat16", 2},
    DTypeInfo{DType::QInt16, "DT_QINT16", "qint16", 2},
    DTypeInfo{DType::QUInt16, "DT_QUINT16", "quint16", 2},
    DTypeInfo{DType::UInt16, "DT_UINT16", "uint16", 2},
    DTypeInfo{DType::Complex128, "DT_COMPLEX128", "complex128", 16},
    DTypeInfo{DType::Half, "DT_HALF", "float16", 2},
    DTypeInfo{DType::Resource, "DT_RESOURCE", "resource", 0},
    DTypeInfo{DType::Variant, "DT_VARIANT", "variant", 0},
    DTypeInfo{DType::UInt32, "DT_UINT32", "uint32", 4},
    DTypeInfo{DType::UInt64, "DT_UINT64", "uint64", 8},
    DTypeInfo{DType::Float8E5M2, "DT_FLOAT8_E5M2", "float8_e5m2", 1},
    DTypeInfo{DType::Float8E4M3FN, "DT_FLOAT8_E4M3FN", "float8_e4m3fn", 1},
    DTypeInfo{DType::Float8E4M3FNUZ, "DT_FLOAT8_E4M3FNUZ", "float8_e4m3fnuz", 1},
    DTypeInfo{DType::Float8E4M3B11FNUZ, "DT_FLOAT8_E4M3B11FNUZ", "float8_e4m3b11fnuz", 1},
    DTypeInfo{DType::Float8E5M2FNUZ, "DT_FLOAT8_E5M2FNUZ", "float8_e5m2fnuz", 1},
    DTypeInfo{DType::Int4, "DT_INT4", "int4", 0},
    DTypeInfo{DType::UInt4, "DT_UINT4", "uint4", 0},
    DTypeInfo{DType::Int2, "DT_INT2", "int2", 0},
    DTypeInfo{DType::UInt2, "DT_UINT2", "uint2", 0},
    DTypeInfo{DType::Float4E2M1FN, "DT_FLOAT4_E2M1FN", "float4_e2m1fn", 0},
};

const DTypeInfo* find(DType t) {
  const auto v = static_cast<std::int32_t>(t);
  if (v < 0 || v >= static_cast<std::int32_t>(kDTypes.size())) return nullptr;
  return &kDTypes[static_cast<std::size_t>(v)];
}

}  // namespace

bool is_ref(DType t) {
  const auto v = static_cast<std::int32_t>(t);
  return v > kRefOffset && v < 2 * kRefOffset;
}

DType base_dtype(DType t) {
  return is_ref(t) ? static_cast<DType>(static_cast<std::int32_t>(t) - kRefOffset) : t;
}

std::string dtype_name(DType t) {
  const DType base = base_dtype(t);
  const DTypeInfo* info = find(base);
  std::string out = info ? std::string(info->name)
                         : "dtype(" + std::to_string(static_cast<std::int32_t>(base)) + ")";
  if (is_ref(t)) out += "_ref";
  return out;
}

std::string dtype_enum_name(DType t) {
  const DType base = base_dtype(t);
  const DTypeInfo* info = find(base);
  std::string out = info ? std::string(info->enum_name)
                         : "DT_" + std::to_string(static_cast<std::int32_t>(base));
  if (is_ref(t)) out += "_REF";
  return out;
}

std::optional<DType> parse_dtype_enum_name(std::string_view name) {
  bool ref = false;
  if (name.size() > 4 && name.substr(name.size() - 4) == "_REF") {
    ref = true;
    name.remove_suffix(4);
  }
  for (const auto& info : kDTypes) {
    if (info.enum_name == name) {
      auto v = static_cast<std::int32_t>(info.dtype);
      return static_cast<DType>(ref ? v + kRefOffset : v);
    }
  }
  return std::nullopt;
}

std::optional<std::size_t> dtype_size(DType t) {
  const DTypeInfo* info = find(base_dtype(t));
  if (info == nullptr || info->size == 0) return std::nullopt;
  return info->size;
}

}  // namespace litelint::ir
