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
/// One constant per-channel MUL (or DIV) folded into the weights and bias of the CONV_2D /
/// DEPTHWISE_CONV_2D / FULLY_CONNECTED before it (mul_into_weights.cc).
bool fuse_mul_into_weights(tfl::Model& model, std::size_t subgraph, ConvertReport& report);
/// One zero PAD that equals SAME padding folded into the VALID CONV_2D / DEPTHWISE_CONV_2D
/// after it (pad_into_conv.cc).
bool fuse_pad_into_conv(tfl::Model& model, std::size_t subgraph, ConvertReport& report);
/// One per-channel constant ADD after a BATCH_TO_SPACE_ND of a convolution moved before it,
/// where bias_add folds it (bias_before_batch_to_space.cc).
bool move_bias_before_batch_to_space(tfl::Model& model, std::size_t subgraph, ConvertReport& report);
/// One step of cancelling a TRANSPOSE against its inverse further down, across element-wise
/// operators (transpose_pairs.cc): a move of the first one down, or the removal of the pair.
bool fuse_transpose_pairs(tfl::Model& model, std::size_t subgraph, ConvertReport& report);
/// One RESHAPE of a RESHAPE merged, or one RESHAPE to its input's static shape removed
/// (redundant_reshape.cc).
bool remove_redundant_reshape(tfl::Model& model, std::size_t subgraph, ConvertReport& report);
/// One ADD/SUB of 0 or MUL/DIV by 1 (float constants that do not broadcast) removed, its
/// readers reading its operand; false when there was none left.
bool remove_identity_arithmetic(tfl::Model& model, std::size_t subgraph, ConvertReport& report);
/// One STRIDED_SLICE / SLICE of a whole tensor (from 0, unit strides, same static shape)
/// removed, its readers reading its input (identity_slice.cc).
bool remove_identity_slice(tfl::Model& model, std::size_t subgraph, ConvertReport& report);
/// One operator whose results nobody reads and that has no other effect, removed; false when
/// there was none left.
bool remove_dead_operators(tfl::Model& model, std::size_t subgraph, ConvertReport& report);
/// One x * relu6(x + 3) / 6 (scaled by DIV 6 or MUL 1/6, before or after the MUL by x)
/// replaced by HARD_SWISH(x) (hard_swish.cc).
bool fuse_hard_swish(tfl::Model& model, std::size_t subgraph, ConvertReport& report);
/// One 0.5 * x * erfc(-x * sqrt(1/2)) replaced by GELU(x) (gelu.cc).
bool fuse_gelu(tfl::Model& model, std::size_t subgraph, ConvertReport& report);
/// Makes operators read one tensor for all constant tensors of a subgraph with equal type,
/// shape and bytes, as TensorFlow's converter writes them (duplicate_constants.cc).
void merge_duplicate_constants(tfl::Model& model);
/// Drops subgraphs no entry reaches through WHILE / IF / CALL_ONCE, tensors nothing reads or
/// writes (except subgraph inputs/outputs) and buffers no tensor uses, renumbering everything
/// that refers to them.
void remove_unused(tfl::Model& model);

}  // namespace litelint::converter
