#pragma once

#include <cstddef>

#include "converter/convert.h"
#include "converter/tfl/model.h"

// Internal to converter/fuse: one fusion per file; fuse.cc runs them to a fixed point.
namespace litelint::converter {

/// One constant bias ADD folded into the CONV_2D / DEPTHWISE_CONV_2D / FULLY_CONNECTED /
/// TRANSPOSE_CONV before it; false when there was none left.
bool fuse_bias_add(tfl::Model& model, std::size_t subgraph, ConvertReport& report);
/// One RELU / RELU6 / RELU_N1_TO_1 folded into the fused activation of the float operator
/// before it; false when there was none left.
bool fuse_activation(tfl::Model& model, std::size_t subgraph, ConvertReport& report);
/// Drops tensors nothing reads or writes (except subgraph inputs/outputs) and buffers no
/// tensor uses, renumbering everything that refers to them.
void remove_unused(tfl::Model& model);

}  // namespace litelint::converter
