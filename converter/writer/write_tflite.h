#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "analyzer/support/expected.h"
#include "converter/tfl/model.h"
#include "converter/writer/byte_sink.h"

namespace litelint::converter::writer {

/// What goes into the `CONVERSION_METADATA` entry (conversion_metadata.fbs), as TensorFlow's
/// Python converter fills it from its arguments.
struct ConversionInfo {
  /// Environment.tensorflow_version: the producer. TensorFlow writes its own version here;
  /// we name ourselves so that nobody mistakes the file for TensorFlow's output.
  std::string producer = std::string("litelint ") + LITELINT_VERSION;
  std::uint32_t api_version = 2;  ///< TFLiteConverterV2
  std::int32_t model_type = 0;    ///< ModelType: 1 SavedModel, 2 Keras, 4 GraphDef, ...
  std::vector<std::int32_t> optimization_modes;  ///< ModelOptimizationMode: 1001 fp16, ...
  bool allow_custom_ops = false;
  bool enable_select_tf_ops = false;
};

/// Constant bytes past which a FlatBuffer (at most 2 GiB) cannot hold them with the rest of the
/// model: TensorFlow's converter switches to the rev 3c layout at 2 GiB - 512 MiB.
inline constexpr std::uint64_t kMaxInlineBufferBytes =
    (std::uint64_t{2} << 30) - (std::uint64_t{512} << 20);

/// How to serialize a model.
struct WriteOptions {
  /// Constant bytes above which they go after the FlatBuffer (schema rev 3c, `Buffer.offset`
  /// and `size`); tests lower it. Larger values act as kMaxInlineBufferBytes.
  std::uint64_t buffers_outside_threshold = kMaxInlineBufferBytes;
  /// Writes CONVERSION_METADATA; off for byte-minimal test models.
  bool conversion_metadata = true;
  ConversionInfo conversion;
};

/// A serialized model and where its bytes went.
struct WrittenModel {
  std::vector<std::uint8_t> bytes;  ///< the whole .tflite file (empty when streamed to a sink)
  std::uint64_t size = 0;           ///< bytes of the .tflite file, in memory or streamed
  std::uint32_t signature_defs = 0;  ///< SignatureDefs written
  /// Bytes per section for the converter's report: "buffers" (constant data and Buffer tables,
  /// including data after the FlatBuffer), "tensors", "operators" (operators and operator
  /// codes), "metadata", "signature_defs", "other" (subgraph and model tables, padding).
  std::map<std::string, std::uint64_t> bytes_per_section;
  std::string min_runtime_version;  ///< as written to the metadata ("" when no op is known)
  std::uint32_t constant_buffers = 0;      ///< distinct non-empty buffers written
  std::uint32_t deduplicated_buffers = 0;  ///< model buffers that reused an identical one
  bool buffers_outside_flatbuffer = false;  ///< the rev 3c layout was used
};

/// Serializes a model to .tflite bytes (schema version 3, file identifier "TFL3"): operator
/// codes from the operators used, identical constant buffers stored once, data 16-byte
/// aligned, `min_runtime_version` and `CONVERSION_METADATA` metadata as TensorFlow writes
/// them. Weight bytes are copied once, straight into the result. Fails on indices out of
/// range (a converter bug, reported as a value) and never throws.
Expected<WrittenModel> write_tflite(const tfl::Model& model, const WriteOptions& opts);

/// The same bytes, consuming `model`: each constant buffer is freed once it is copied into the
/// result, so the weights are not held twice while a large model is written (peak RSS). The
/// model's buffers are left empty; its operators and tensors are untouched.
Expected<WrittenModel> write_tflite(tfl::Model&& model, const WriteOptions& opts);

/// The same bytes, consumed as above, handed to `sink` in file order instead of collected:
/// the constants go from the model's buffers (or the mapped checkpoint) to the sink without
/// another copy. `bytes` of the result stays empty; a sink error is returned as is.
Expected<WrittenModel> write_tflite(tfl::Model&& model, const WriteOptions& opts, const ByteSink& sink);

/// The first runtime that runs every operator of `model` at its version ("1.14.0"), as
/// TensorFlow's UpdateMinimumRuntimeVersionForModel computes it; "" when no operator is in the
/// op database's runtime table (custom ops only).
std::string min_runtime_version(const tfl::Model& model);

}  // namespace litelint::converter::writer
