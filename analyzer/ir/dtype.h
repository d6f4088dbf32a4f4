#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace litelint::ir {

/// A TensorFlow element type, numbered as TensorFlow's DataType enum so that values read from
/// protobufs convert without a table. Unknown numbers from newer TensorFlow are kept as-is.
enum class DType : std::int32_t {
  Invalid = 0,
  Float = 1,
  Double = 2,
  Int32 = 3,
  UInt8 = 4,
  Int16 = 5,
  Int8 = 6,
  String = 7,
  Complex64 = 8,
  Int64 = 9,
  Bool = 10,
  QInt8 = 11,
  QUInt8 = 12,
  QInt32 = 13,
  BFloat16 = 14,
  QInt16 = 15,
  QUInt16 = 16,
  UInt16 = 17,
  Complex128 = 18,
  Half = 19,
  Resource = 20,
  Variant = 21,
  UInt32 = 22,
  UInt64 = 23,
  Float8E5M2 = 24,
  Float8E4M3FN = 25,
  Float8E4M3FNUZ = 26,
  Float8E4M3B11FNUZ = 27,
  Float8E5M2FNUZ = 28,
  Int4 = 29,
  UInt4 = 30,
  Int2 = 31,
  UInt2 = 32,
  Float4E2M1FN = 33,
};

/// Reference dtypes (TF1 `VariableV2` outputs) are the base dtype plus this offset.
inline constexpr std::int32_t kRefOffset = 100;

/// Drops the _REF marker: DT_FLOAT_REF -> DT_FLOAT.
DType base_dtype(DType t);
/// True for the *_REF variants.
bool is_ref(DType t);
/// TensorFlow's spelling without the DT_ prefix, lower-case as in Python: "float32", "int64",
/// "resource"; "dtype(<n>)" for numbers litelint does not know.
std::string dtype_name(DType t);
/// The enum spelling used in text protos: "DT_FLOAT".
std::string dtype_enum_name(DType t);
/// Parses "DT_FLOAT" (as in text protos and TF.js JSON).
std::optional<DType> parse_dtype_enum_name(std::string_view name);
/// Bytes per element for fixed-size dtypes; nullopt for string, variant, resource and the
/// sub-byte types.
std::optional<std::size_t> dtype_size(DType t);

}  // namespace litelint::ir
