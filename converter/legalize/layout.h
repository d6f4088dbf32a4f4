#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "converter/legalize/context.h"

// Helpers shared by the convolution, pooling and batch-norm lowerings: TFLite's spatial
// kernels are NHWC only, so NCHW operands go through TRANSPOSE and constant filters are
// permuted once, here, at conversion time.
namespace litelint::converter::lowerings {

/// `value` with its axes permuted: out.shape[i] = in.shape[perm[i]] (element bytes copied).
ConstValue permute_constant(const ConstValue& value, std::span<const int> perm);

/// `type` with its axes permuted like permute_constant (unknown rank stays unknown).
ir::TensorType permute_type(const ir::TensorType& type, std::span<const int> perm);

/// NCHW -> NHWC and back, for 4-D tensors.
inline constexpr int kToNhwc[] = {0, 2, 3, 1};
inline constexpr int kToNchw[] = {0, 3, 1, 2};

/// Emits TRANSPOSE(tensor, perm) into a new tensor of `type` permuted; returns it.
std::int32_t emit_transpose(LoweringContext& ctx, std::string_view suffix, std::int32_t tensor,
                            const ir::TensorType& type, std::span<const int> perm);

/// Emits TRANSPOSE(tensor, perm) into the existing tensor `output`.
void emit_transpose_into(LoweringContext& ctx, std::int32_t tensor, std::span<const int> perm,
                         std::int32_t output);

/// The data_format attribute of the node is NCHW (NCDHW for 3-D ops); fails on formats no
/// lowering here handles.
Expected<bool> is_channels_first(const LoweringContext& ctx);

/// The TFLite padding of a "SAME"/"VALID" padding attribute; nullopt for anything else.
std::optional<tflite::Padding> tfl_padding(std::string_view padding);

}  // namespace litelint::converter::lowerings
