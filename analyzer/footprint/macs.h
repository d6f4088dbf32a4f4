#pragma once

#include <cstdint>

#include "analyzer/footprint/flat_graph.h"

// Multiply-accumulate counts per op, as TensorFlow's profiler counts float ops (its
// `flops` statistics) halved: a conv's MAC is one multiply and one add.
namespace litelint::footprint {

/// An op's estimated cost.
struct OpCost {
  std::uint64_t macs = 0;
  bool unknown_dims = false;  ///< some dimension was unknown and counted as 1
  bool counted = true;        ///< false: the cost could not be estimated (unknown rank, control flow)
};

/// Elements of a shape with unknown dimensions counted as 1; `ranked` is false for an
/// unknown rank. Saturates instead of overflowing.
struct ElementCount {
  std::uint64_t n = 0;
  bool unknown_dims = false;
  bool ranked = false;
};
ElementCount element_count(const ir::Shape& shape);

/// a * b, saturating at the largest uint64.
std::uint64_t mul_sat(std::uint64_t a, std::uint64_t b);

/// MACs of one op of `graph`: convolutions (plain, depthwise, transposed, 3-D), MatMul and
/// BatchMatMul, Einsum; pooling, elementwise arithmetic, activations, normalizations and
/// reductions cost one float operation (half a MAC) per element, as the profiler counts
/// them. Data movement (Reshape, Concat, Gather, ...), Relu and Relu6 (fused by TFLite) cost
/// 0, and so does anything computed from constants only (the converter folds it).
OpCost op_macs(const FlatGraph& graph, const FlatOp& op);

}  // namespace litelint::footprint
