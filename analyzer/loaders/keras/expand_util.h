#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analyzer/loaders/keras/layer_context.h"

namespace litelint::analyzer::keras {

/// A config value that is an int or a list of ints (kernel_size, strides), as `n` ints.
std::vector<std::int64_t> int_list(const nlohmann::json& cfg, const char* key, std::size_t n, std::int64_t dflt);

/// The activation a config names ("relu", or a serialized function object); "linear" if none.
std::string activation_name(const nlohmann::json& activation);

/// Applies a Keras activation function by name as the ops TensorFlow traces for it.
Expected<Value> apply_activation(LayerContext& ctx, Value x, const std::string& name);

/// `shape` with its last dimension replaced.
ir::Shape with_last_dim(const ir::Shape& shape, std::int64_t dim);

/// Dimension `i` of a shape, or unknown.
std::int64_t dim_or_unknown(const ir::Shape& shape, std::size_t i);

/// Output length of a convolution or pool along one axis (unknown stays unknown).
std::int64_t conv_out_dim(std::int64_t in, std::int64_t k, std::int64_t stride, std::int64_t dilation,
                          bool same);

/// Checks that a weight has the shape the config implies (unknown dims match anything).
Expected<void> expect_shape(const LayerContext& ctx, const Value& weight, const std::string& what,
                            const std::vector<std::int64_t>& dims);

/// Reshape with a constant target (-1 allowed).
Value reshape_to(GraphBuilder& b, const Value& x, std::vector<std::int32_t> target, ir::Shape out);

/// ExpandDims / Squeeze at `axis`.
Value expand_dims(GraphBuilder& b, const Value& x, int axis);
Value squeeze(GraphBuilder& b, const Value& x, int axis);

/// The channels-last flag of a conv or pool config.
bool channels_first(const nlohmann::json& cfg);

}  // namespace litelint::analyzer::keras
