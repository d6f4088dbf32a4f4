#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "analyzer/ir/tflite_model.h"
#include "rules/engine/opdb.h"

namespace litelint::rules {

/// Where one operator of a .tflite model runs under a delegate.
struct OpPlacement {
  bool supported = false;  ///< the delegate accepts the node on its own
  bool delegated = false;  ///< it lies in a partition the delegate takes
  /// Why it runs on the CPU: the node's own problem (generic text, no tensor names, so equal
  /// causes group), or the partitioning rule that left a supported node out.
  std::string reason;
  int partition = -1;  ///< index of its delegated partition in the subgraph, -1 = CPU
};

/// The placement of one subgraph's operators.
struct SubgraphPlacement {
  std::vector<OpPlacement> ops;
  std::size_t supported_partitions = 0;  ///< runs of supported nodes the interpreter forms
  std::size_t delegated_partitions = 0;  ///< those the delegate takes (GPU: the largest one)
  std::size_t delegated_ops = 0;
};

/// What a delegate takes of a whole model, as the runtime (or the Edge TPU compiler) would.
struct DelegatePlacement {
  Delegate delegate = Delegate::Xnnpack;
  std::vector<SubgraphPlacement> subgraphs;  ///< indexed like TfliteModel::subgraphs
};

/// Predicts, from the model alone, which operators `delegate` runs: the op tables of
/// rules/opdb/delegates/, the per-tensor rules of ../shared/reference/delegates.md (types,
/// quantization, ranks, constant weights, fused activations) and each delegate's
/// partitioning (XNNPACK: every partition; GPU: the largest; NNAPI: the 3 largest; Edge TPU:
/// the ops before the first unmapped one). Never fails.
DelegatePlacement place_ops(const ir::TfliteModel& model, Delegate delegate);

}  // namespace litelint::rules
