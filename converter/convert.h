#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "analyzer/ir/model.h"
#include "analyzer/ir/shape.h"
#include "analyzer/support/expected.h"
#include "converter/writer/byte_sink.h"

namespace litelint::converter {

/// How weights are stored (TFLiteConverter's `optimizations` / `supported_types`).
enum class Optimize { None, DynamicRange, Float16 };

/// Everything `convert()` needs besides the model; cli/ fills it from flags and config.
struct ConvertOptions {
  bool select_tf_ops = false;     ///< --target select-tf-ops: leftover TF ops become Flex ops
  bool allow_custom_ops = false;  ///< ops outside the allowlist become CUSTOM ops
  /// Signatures to convert (SavedModel); empty: every signature, as from_saved_model.
  std::vector<std::string> signatures;
  /// GraphDef input/output arrays ("node" or "node:1"), as from_frozen_graph.
  std::vector<std::string> inputs;
  std::vector<std::string> outputs;
  /// --input-shape NAME=1,224,224,3: fixes unknown dims of these inputs.
  std::map<std::string, ir::Shape> input_shapes;
  Optimize optimize = Optimize::None;
};

/// One TF node and the TFLite operators it became (for --report).
struct NodeMapping {
  std::string subgraph;
  std::string tf_node;
  std::string tf_op;
  std::vector<std::string> tflite_ops;  ///< empty: folded into a constant or removed
};

/// What a conversion did, for the JSON report.
struct ConvertReport {
  std::vector<std::string> passes;  ///< in the order they ran
  std::vector<NodeMapping> nodes;
  std::vector<std::string> fusions;  ///< one line per fusion applied ("CONV_2D+ADD+RELU -> CONV_2D")
  /// One line per composite function TensorFlow's converter would fuse that was left as it is,
  /// with why ("Keras LSTM f: it takes 7 arguments; ..."): its loop is converted instead.
  std::vector<std::string> fusions_declined;
  std::vector<std::string> quantized;  ///< one line per weight tensor stored quantized
  std::map<std::string, std::map<std::string, int>> ops_per_subgraph;
  std::map<std::string, std::uint64_t> bytes_per_section;  ///< "buffers", "operators", ...
  std::vector<std::string> custom_ops;  ///< ops the app must register (--allow-custom-ops)
  std::vector<std::string> flex_ops;
  std::string min_runtime_version;
  std::map<std::string, double> milliseconds;  ///< per stage
};

/// A converted model: the .tflite bytes (unless streamed to a sink) and what was done.
struct Conversion {
  std::vector<std::uint8_t> tflite;  ///< empty when convert() was given a sink
  std::uint64_t tflite_size = 0;     ///< bytes of the .tflite, in `tflite` or streamed
  std::uint32_t signature_defs = 0;  ///< SignatureDefs in the .tflite
  ConvertReport report;
  /// Set (and `tflite` empty) when the model cannot be converted as given for want of
  /// something only the user knows, e.g. the shape of an input of unknown rank: the CLI
  /// prints this one line and exits 1, as for a model `check` rejects.
  std::string refused;
};

/// Converts a loaded TensorFlow model (that `lint` accepted under the same target) to a
/// .tflite FlatBuffer, in memory or, given a `sink`, handed to it piece by piece as it is
/// serialized (the sink is called only once the model has converted; its error is returned
/// as is). Fails with a one-line reason naming the node when a graph needs something the
/// converter does not implement; never throws.
Expected<Conversion> convert(const ir::Model& model, const ConvertOptions& options,
                             const writer::ByteSink& sink = {});

}  // namespace litelint::converter
