#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/ir/dtype.h"
#include "analyzer/support/file.h"

namespace litelint::ir {

/// Element types as numbered in the .tflite schema (FLOAT32 = 0; not TfLiteType, not DType).
/// Numbers from newer schemas are kept as-is.
enum class TfliteType : std::int8_t {
  Float32 = 0,
  Float16 = 1,
  Int32 = 2,
  UInt8 = 3,
  Int64 = 4,
  String = 5,
  Bool = 6,
  Int16 = 7,
  Complex64 = 8,
  Int8 = 9,
  Float64 = 10,
  Complex128 = 11,
  UInt64 = 12,
  Resource = 13,
  Variant = 14,
  UInt32 = 15,
  UInt16 = 16,
  Int4 = 17,
  BFloat16 = 18,
  Int2 = 19,
  UInt4 = 20,
  Float8E4M3FN = 21,
  Float8E5M2 = 22,
};

/// The schema's spelling: "FLOAT32", "INT8"; "TYPE(<n>)" for numbers litelint does not know.
std::string tflite_type_name(TfliteType t);
/// The TensorFlow dtype with the same element type, if there is one.
std::optional<DType> to_dtype(TfliteType t);
/// Bits per element of a fixed-size type (4 for INT4, 2 for INT2); nullopt for STRING,
/// RESOURCE, VARIANT and unknown numbers.
std::optional<std::size_t> tflite_type_bits(TfliteType t);

/// What a tensor's QuantizationParameters say, kept whole: the scales are what a delegate
/// check needs (per-tensor vs per-axis) and are bounded by the file size.
struct TfliteQuantization {
  /// Which member of the QuantizationDetails union is set; it overrides the affine fields.
  enum class Details : std::uint8_t { None, Custom, Blockwise, MultiAxis, Unknown };

  std::vector<float> scale;            ///< 1 entry = per-tensor, N = per-axis
  std::vector<std::int64_t> zero_point;
  /// Not validated: real files carry out-of-range values (TFLM person_detect has 3 on rank-1
  /// biases), so check it against the shape before indexing.
  std::int32_t quantized_dimension = 0;
  bool has_min_max = false;            ///< float range recorded (informational)
  Details details = Details::None;

  /// True when the tensor is quantized: a scale is present or a details table is set.
  bool is_quantized() const { return !scale.empty() || details != Details::None; }
};

/// One tensor of a subgraph.
struct TfliteTensor {
  std::string name;
  TfliteType type = TfliteType::Float32;
  std::vector<std::int32_t> shape;            ///< empty for scalars and unknown rank
  std::vector<std::int32_t> shape_signature;  ///< -1 marks a dynamic dimension; may be empty
  bool has_shape_signature = false;
  bool has_shape = false;        ///< the `shape` vector is present (absent skips size checks)
  bool has_rank = false;         ///< the schema's has_rank flag (false + empty shape = unknown)
  std::uint32_t buffer = 0;      ///< index into TfliteModel::buffers; 0 = no data
  std::uint32_t external_buffer = 0;  ///< rev 3d ExternalBuffer id; 0 = none
  std::optional<TfliteQuantization> quantization;  ///< only when the file has the table
  bool is_variable = false;
  bool is_sparse = false;        ///< has SparsityParameters
};

/// One operator; indices are into its subgraph's tensors (-1 = omitted optional input).
struct TfliteOperator {
  std::uint32_t opcode_index = 0;  ///< index into TfliteModel::operator_codes
  std::vector<std::int32_t> inputs;
  std::vector<std::int32_t> outputs;
  std::vector<std::int32_t> intermediates;
  std::uint8_t builtin_options_type = 0;    ///< BuiltinOptions union ordinal, 0 = NONE
  std::uint8_t builtin_options_2_type = 0;  ///< BuiltinOptions2 union ordinal, 0 = NONE
  /// Subgraphs this op runs (IF, WHILE, CALL_ONCE, CALL and StableHLO region ops), in the
  /// order the options name them.
  std::vector<std::int32_t> called_subgraphs;
  std::uint64_t custom_options_bytes = 0;
  bool custom_options_outside_flatbuffer = false;  ///< rev 3c large_custom_options_*
};

/// One subgraph; subgraph 0 is the main graph.
struct TfliteSubgraph {
  std::string name;  ///< empty when the file has none
  std::vector<TfliteTensor> tensors;
  std::vector<std::int32_t> inputs;
  std::vector<std::int32_t> outputs;
  std::vector<TfliteOperator> operators;
};

/// One entry of Model.operator_codes, with the effective builtin code already resolved.
struct TfliteOperatorCode {
  /// max(deprecated_builtin_code, builtin_code), the rule every reader applies.
  std::int32_t builtin_code = 0;
  std::int8_t deprecated_builtin_code = 0;  ///< as stored, for version-skew checks
  std::string custom_code;                  ///< for CUSTOM (32) ops: the op's name
  std::int32_t version = 1;

  bool is_custom() const { return builtin_code == kCustomCode; }
  static constexpr std::int32_t kCustomCode = 32;
};

/// Where a Buffer's bytes are. Offsets are absolute file offsets in both cases.
struct TfliteBuffer {
  enum class Location : std::uint8_t {
    Empty,     ///< no data (non-constant tensors, the sentinel entry 0)
    Inline,    ///< Buffer.data inside the FlatBuffer
    External,  ///< rev 3c: after the FlatBuffer, at Buffer.offset (models over 2 GB)
  };
  Location location = Location::Empty;
  std::uint64_t offset = 0;  ///< file offset of the first data byte
  std::uint64_t size = 0;    ///< bytes of data

  bool has_data() const { return location != Location::Empty; }
};

/// A signature input or output: alias -> tensor of the signature's subgraph.
struct TfliteTensorMap {
  std::string name;
  std::uint32_t tensor_index = 0;
};

/// One SignatureDef.
struct TfliteSignatureDef {
  std::string signature_key;
  std::uint32_t subgraph_index = 0;
  std::vector<TfliteTensorMap> inputs;
  std::vector<TfliteTensorMap> outputs;
};

/// One Model.metadata entry.
struct TfliteMetadata {
  std::string name;
  std::uint32_t buffer = 0;
  std::uint64_t bytes = 0;    ///< size of the value
  /// Short text for `inspect`: the decoded string for min_runtime_version and other short
  /// printable values, a decoded summary for CONVERSION_METADATA, else "<N bytes>".
  std::string value_summary;
};

/// The decodable part of the `CONVERSION_METADATA` entry (a nested FlatBuffer).
struct TfliteConversionMetadata {
  std::string tensorflow_version;
  std::uint32_t api_version = 0;
  std::int32_t model_type = 0;   ///< ModelType: 1 SavedModel, 2 Keras, 3 concrete functions, ...
  std::vector<std::int32_t> optimization_modes;  ///< ModelOptimizationMode numbers (1001, ...)
  bool allow_custom_ops = false;
  bool enable_select_tf_ops = false;
  bool force_select_tf_ops = false;
};

/// A .tflite model as read from its FlatBuffer: every fact `inspect` and the delegate checks
/// need, copied out of the file, plus the mapping so constant bytes can be read on demand.
struct TfliteModel {
  std::uint32_t version = 0;  ///< schema version (3; some old files say 2)
  std::string description;
  std::vector<TfliteOperatorCode> operator_codes;
  std::vector<TfliteSubgraph> subgraphs;
  std::vector<TfliteBuffer> buffers;
  std::vector<TfliteSignatureDef> signature_defs;
  std::vector<TfliteMetadata> metadata;
  /// Decoded `min_runtime_version` metadata ("1.14.0"); empty when absent or all zeros.
  std::string min_runtime_version;
  std::optional<TfliteConversionMetadata> conversion_metadata;
  /// Sorted distinct custom_code of the CUSTOM operator codes that some operator uses.
  std::vector<std::string> custom_ops;
  std::uint64_t total_buffer_bytes = 0;  ///< sum of every buffer's data bytes
  std::uint64_t flatbuffer_bytes = 0;    ///< bytes the FlatBuffer itself may span (file size, at most 2 GiB)
  bool buffers_outside_flatbuffer = false;  ///< some Buffer or custom options use rev 3c offsets
  std::shared_ptr<const MappedFile> file;   ///< keeps buffer bytes readable
};

/// The schema name of a builtin op code ("CONV_2D"); "UNKNOWN_BUILTIN_<n>" for codes newer
/// than litelint's schema.
std::string builtin_op_name(std::int32_t builtin_code);
/// The BuiltinOptions or BuiltinOptions2 member a builtin op's options belong in
/// ("Conv2DOptions", "ReducerOptions" for MEAN); empty when the op has no options table.
std::string_view builtin_options_table(std::int32_t builtin_code);
/// The options member an operator carries: "NONE", a member name, or "UNKNOWN(<n>)" for
/// union ordinals newer than litelint's schema.
std::string options_name(const TfliteOperator& op);
/// "CONV_2D" for a builtin, "CUSTOM:<custom_code>" for a custom op (the corpus manifest's
/// spelling).
std::string tflite_op_name(const TfliteOperatorCode& code);
/// Sorted distinct tflite_op_name of the operator codes that at least one operator in any
/// subgraph uses (declared but unused codes are not counted).
std::vector<std::string> op_types(const TfliteModel& model);
/// The bytes of buffer `index`; empty for an empty buffer or an index out of range.
std::span<const std::byte> buffer_data(const TfliteModel& model, std::uint32_t index);

}  // namespace litelint::ir
