#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "converter/legalize/context.h"

// Operand helpers shared by the shape, slicing, reduction and generator lowerings. TFLite
// wants shape, axis, perm, begin/end and multiples operands as int32 where TensorFlow often
// has int64; TensorFlow's converter rewrites constant ones into int32 constants and casts
// computed ones, and so do these.
namespace litelint::converter::lowerings {

/// The constant integer elements of input i, or nullopt when it is computed at run time.
std::optional<std::vector<std::int64_t>> const_ints(const LoweringContext& ctx, std::size_t i);

/// Input i as an int32 TFLite tensor: a constant becomes an int32 constant of the same shape
/// (values saturated to the int32 range, as TensorFlow's converter does for strided-slice
/// bounds), an int32 tensor is used as is, and any other integer tensor goes through CAST.
Expected<std::int32_t> i32_input(LoweringContext& ctx, std::size_t i);

/// `values` as a new int32 constant of shape [n] (or `shape`) named after the node.
std::int32_t i32_constant(LoweringContext& ctx, std::string_view suffix, const std::vector<std::int64_t>& values,
                          std::optional<std::vector<std::int64_t>> shape = std::nullopt);

/// `axis` in [0, rank) for a possibly negative axis; nullopt when out of range.
std::optional<std::int32_t> normalize_axis(std::int64_t axis, std::int64_t rank);

/// Every data input as a TFLite tensor, in order.
Expected<std::vector<std::int32_t>> all_inputs(LoweringContext& ctx);

/// The builtin the op database names for the node's op type (the first of `builtin` in
/// rules/opdb/tf_ops.toml), or a failure naming the node.
Expected<std::string_view> database_builtin(const LoweringContext& ctx);

/// Emits builtin(inputs) -> outputs, with the options table an ADD / SUB / MUL / DIV kernel
/// reads its fused activation from (TensorFlow's converter always writes it, activation NONE
/// until fusion sets one); other builtins get no options.
tfl::Operator& emit_arithmetic(LoweringContext& ctx, std::string_view builtin,
                               std::vector<std::int32_t> inputs, std::vector<std::int32_t> outputs);

/// Emits RESHAPE(tensor, shape) -> output with the shape as an int32 constant.
tfl::Operator& emit_reshape(LoweringContext& ctx, std::int32_t tensor, const std::vector<std::int64_t>& shape,
                            std::int32_t output);

}  // namespace litelint::converter::lowerings
