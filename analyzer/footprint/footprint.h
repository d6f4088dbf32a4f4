#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "analyzer/ir/dtype.h"
#include "analyzer/ir/graph.h"

// "Is this model a good fit for a phone?": sizes and costs estimated from a shape-inferred
// graph, before anything is converted. One linear pass; nothing here reads weight bytes.
namespace litelint::footprint {

/// Weights of one element type.
struct DTypeWeights {
  ir::DType dtype = ir::DType::Invalid;
  std::uint64_t elements = 0;
  std::uint64_t bytes = 0;
};

/// One op's estimated multiply-accumulates.
struct OpMacs {
  std::string node;      ///< node name (in its function body when the call was inlined)
  std::string op;        ///< TensorFlow op type
  std::string shape;     ///< its first output's shape, "[1,112,112,32]"
  std::uint64_t macs = 0;
  bool unknown_dims = false;  ///< some dimension was unknown and counted as 1
};

/// MACs summed over every op of one type.
struct OpTypeMacs {
  std::string op;
  std::uint64_t macs = 0;
  std::size_t count = 0;  ///< nodes of this type
};

/// One intermediate tensor (activation) and its size.
struct TensorSize {
  std::string tensor;  ///< "node:0", the producing node's name and output index
  std::string op;      ///< the producing op type
  std::string shape;
  std::uint64_t bytes = 0;
  bool unknown_dims = false;
};

/// What the footprint pass estimated for one model.
struct Footprint {
  bool measured = false;  ///< false for models the pass does not read (.tflite)
  /// Elements of the model's variables, or, in a graph without variables (frozen GraphDefs,
  /// Keras files), of its non-scalar floating-point constants: what Keras's count_params() says.
  std::uint64_t parameters = 0;
  /// Bytes of the constant tensors the run-time ops read, by element type (sorted by dtype):
  /// the converted model's buffers, with what the converter folds (batch-norm statistics into
  /// a scale and an offset) counted as the folded result.
  std::vector<DTypeWeights> weights;
  std::uint64_t weight_bytes = 0;
  /// The five largest of those tensors: "node:0" of the node making each, shape and bytes.
  std::vector<TensorSize> largest_weights;
  /// The .tflite file under builtins: the weights plus the FlatBuffer's per-op and per-tensor
  /// overhead, before any optimization that folds constants.
  std::uint64_t tflite_bytes = 0;

  std::uint64_t macs = 0;
  /// Ops whose shapes had unknown dimensions, each counted as 1 (e.g. a batch of ?).
  std::size_t macs_unknown_dim_ops = 0;
  /// Ops whose cost is not estimated: unknown rank, or control flow (While, If) bodies.
  std::vector<std::string> uncounted_ops;
  std::vector<OpTypeMacs> macs_by_op;  ///< sorted by MACs, largest first
  std::vector<OpMacs> top_ops;         ///< the five costliest ops

  /// The largest set of intermediate tensors alive at once in execution order (TFLite's
  /// arena planner must hold at least this much), graph inputs and outputs included.
  std::uint64_t peak_activation_bytes = 0;
  bool peak_unknown_dims = false;  ///< some live tensor had unknown dims counted as 1
  std::string peak_at;             ///< the node running when the peak is reached
  std::vector<TensorSize> peak_tensors;    ///< the largest tensors alive at the peak (five)
  std::vector<TensorSize> largest_tensors;  ///< the five largest activations of the model
};

/// What to measure: the converted part of the graph.
struct MeasureOptions {
  /// Signature whose outputs define the converted graph; "" picks serving_default when the
  /// model has it (TFLiteConverter.from_saved_model's default), else every signature.
  std::string signature;
  /// GraphDef output tensors ("node" or "node:1"), as given to from_frozen_graph.
  std::vector<std::string> outputs;
};

/// How many entries the top lists keep.
inline constexpr std::size_t kTopCount = 5;

/// Measures a graph whose shapes were inferred (passes::infer_shapes): function calls are
/// inlined, control-flow bodies are opaque (named in `uncounted_ops`). Never fails.
Footprint measure(const ir::Graph& graph, const MeasureOptions& options);

/// "1.2 G", "340 M", "12 k", "87": a count in SI steps, for text and Markdown.
std::string si_count(std::uint64_t n);
/// "94.3 MiB", "512 B": a byte count in binary steps.
std::string byte_size(std::uint64_t n);

}  // namespace litelint::footprint
