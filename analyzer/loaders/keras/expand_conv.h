#pragma once

#include "analyzer/loaders/keras/layer_context.h"

namespace litelint::analyzer::keras {

/// Conv1D/2D/3D: [ExpandDims] Conv2D|Conv3D [Squeeze], BiasAdd, activation.
Expected<std::vector<Value>> expand_conv1d(LayerContext& ctx, const std::vector<Value>& inputs);
Expected<std::vector<Value>> expand_conv2d(LayerContext& ctx, const std::vector<Value>& inputs);
Expected<std::vector<Value>> expand_conv3d(LayerContext& ctx, const std::vector<Value>& inputs);
/// DepthwiseConv1D/2D: DepthwiseConv2dNative, BiasAdd, activation.
Expected<std::vector<Value>> expand_depthwise_conv1d(LayerContext& ctx, const std::vector<Value>& inputs);
Expected<std::vector<Value>> expand_depthwise_conv2d(LayerContext& ctx, const std::vector<Value>& inputs);
/// SeparableConv1D/2D: DepthwiseConv2dNative, 1x1 Conv2D, BiasAdd, activation.
Expected<std::vector<Value>> expand_separable_conv1d(LayerContext& ctx, const std::vector<Value>& inputs);
Expected<std::vector<Value>> expand_separable_conv2d(LayerContext& ctx, const std::vector<Value>& inputs);
/// Conv1DTranspose/Conv2DTranspose: Conv2DBackpropInput, BiasAdd, activation.
Expected<std::vector<Value>> expand_conv1d_transpose(LayerContext& ctx, const std::vector<Value>& inputs);
Expected<std::vector<Value>> expand_conv2d_transpose(LayerContext& ctx, const std::vector<Value>& inputs);

}  // namespace litelint::analyzer::keras
