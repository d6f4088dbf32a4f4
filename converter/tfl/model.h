#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "analyzer/tflite/schema.h"

// The converter's in-memory .tflite: what legalization builds, fusion rewrites and the writer
// serializes. Builtin options use flatc's object API (tflite::BuiltinOptionsUnion), so an
// operator carries exactly the table the schema defines; everything else is plain data.
namespace litelint::converter::tfl {

/// Constant bytes of one buffer: owned, or borrowed from a mapped file that `keep_alive` pins
/// (weights read from a checkpoint shard are never copied before the writer).
struct Buffer {
  std::vector<std::byte> owned;
  std::span<const std::byte> borrowed;
  std::shared_ptr<const void> keep_alive;

  std::span<const std::byte> bytes() const {
    return owned.empty() ? borrowed : std::span<const std::byte>(owned);
  }
  bool empty() const { return bytes().empty(); }
};

/// Per-tensor or per-axis affine quantization (scale, zero point).
struct Quantization {
  std::vector<float> scale;
  std::vector<std::int64_t> zero_point;
  std::int32_t quantized_dimension = 0;
};

/// One tensor of a subgraph.
struct Tensor {
  std::string name;
  tflite::TensorType type = tflite::TensorType::FLOAT32;
  /// Static shape with 1 where a dimension is dynamic; `signature` has -1 there.
  std::vector<std::int32_t> shape;
  std::vector<std::int32_t> signature;
  bool has_rank = true;
  std::uint32_t buffer = 0;  ///< index into Model::buffers; 0 is the empty buffer
  bool is_variable = false;
  std::optional<Quantization> quantization;

  /// True when some dimension is only known at run time.
  bool is_dynamic() const;
};

/// One operator: a builtin (by name, as in the op database) or a custom op.
struct Operator {
  tflite::BuiltinOperator builtin = tflite::BuiltinOperator::CUSTOM;
  std::string custom_code;  ///< only for CUSTOM ("FlexMatrixInverse", a user op name)
  std::int32_t version = 1;
  std::vector<std::int32_t> inputs;  ///< -1 marks an omitted optional operand
  std::vector<std::int32_t> outputs;
  std::vector<std::int32_t> intermediates;
  tflite::BuiltinOptionsUnion options;
  tflite::BuiltinOptions2Union options2;
  std::vector<std::uint8_t> custom_options;
  /// The TF nodes this operator came from (reports map TF node -> TFLite operators).
  std::vector<std::string> origin;
};

/// One subgraph (the main one, or the body of a WHILE/IF/CALL_ONCE).
struct Subgraph {
  std::string name;
  std::vector<Tensor> tensors;
  std::vector<std::int32_t> inputs;
  std::vector<std::int32_t> outputs;
  std::vector<Operator> operators;

  /// Appends a tensor and returns its index.
  std::int32_t add_tensor(Tensor t);
};

/// A SignatureDef: names the user sees for a subgraph's inputs and outputs.
struct SignatureDef {
  std::string key;
  std::uint32_t subgraph = 0;
  std::vector<std::pair<std::string, std::int32_t>> inputs;   ///< name -> tensor index
  std::vector<std::pair<std::string, std::int32_t>> outputs;
};

/// A whole .tflite model before serialization.
struct Model {
  std::string description = "litelint";
  std::vector<Subgraph> subgraphs;
  std::vector<Buffer> buffers = std::vector<Buffer>(1);  ///< buffer 0 is always empty
  std::vector<SignatureDef> signatures;

  /// Adds a constant buffer and returns its index.
  std::uint32_t add_buffer(Buffer b);
  std::uint32_t add_buffer(std::vector<std::byte> bytes);
};

/// Element bytes of a tflite::TensorType (0 for STRING and other variable-size types).
std::size_t type_size(tflite::TensorType t);
/// The builtin enum for an op-database name ("CONV_2D"), or nullopt.
std::optional<tflite::BuiltinOperator> builtin_by_name(std::string_view name);
/// "CONV_2D" for the enum, or the custom code for CUSTOM.
std::string op_name(const Operator& op);

}  // namespace litelint::converter::tfl
