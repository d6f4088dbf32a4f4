#pragma once

// Every layer expander by family; expand_table.cc maps Keras class names to them.
#include "analyzer/loaders/keras/expand_conv.h"
#include "analyzer/loaders/keras/layer_context.h"

namespace litelint::analyzer::keras {

#define LITELINT_KERAS_EXPANDER(fn) \
  Expected<std::vector<Value>> fn(LayerContext& ctx, const std::vector<Value>& inputs)

// expand_core.cc
LITELINT_KERAS_EXPANDER(expand_dense);
LITELINT_KERAS_EXPANDER(expand_activation);
LITELINT_KERAS_EXPANDER(expand_relu);
LITELINT_KERAS_EXPANDER(expand_leaky_relu);
LITELINT_KERAS_EXPANDER(expand_elu);
LITELINT_KERAS_EXPANDER(expand_softmax);
LITELINT_KERAS_EXPANDER(expand_prelu);
LITELINT_KERAS_EXPANDER(expand_reshape);
LITELINT_KERAS_EXPANDER(expand_flatten);
LITELINT_KERAS_EXPANDER(expand_permute);
LITELINT_KERAS_EXPANDER(expand_repeat_vector);
LITELINT_KERAS_EXPANDER(expand_embedding);
LITELINT_KERAS_EXPANDER(expand_rescaling);
// expand_pool.cc
LITELINT_KERAS_EXPANDER(expand_max_pool1d);
LITELINT_KERAS_EXPANDER(expand_max_pool2d);
LITELINT_KERAS_EXPANDER(expand_max_pool3d);
LITELINT_KERAS_EXPANDER(expand_avg_pool1d);
LITELINT_KERAS_EXPANDER(expand_avg_pool2d);
LITELINT_KERAS_EXPANDER(expand_avg_pool3d);
LITELINT_KERAS_EXPANDER(expand_global_avg_pool1d);
LITELINT_KERAS_EXPANDER(expand_global_avg_pool2d);
LITELINT_KERAS_EXPANDER(expand_global_avg_pool3d);
LITELINT_KERAS_EXPANDER(expand_global_max_pool1d);
LITELINT_KERAS_EXPANDER(expand_global_max_pool2d);
LITELINT_KERAS_EXPANDER(expand_global_max_pool3d);
LITELINT_KERAS_EXPANDER(expand_zero_pad1d);
LITELINT_KERAS_EXPANDER(expand_zero_pad2d);
LITELINT_KERAS_EXPANDER(expand_zero_pad3d);
LITELINT_KERAS_EXPANDER(expand_crop1d);
LITELINT_KERAS_EXPANDER(expand_crop2d);
LITELINT_KERAS_EXPANDER(expand_upsampling1d);
LITELINT_KERAS_EXPANDER(expand_upsampling2d);
// expand_norm.cc
LITELINT_KERAS_EXPANDER(expand_batch_norm);
LITELINT_KERAS_EXPANDER(expand_layer_norm);
// expand_merge.cc
LITELINT_KERAS_EXPANDER(expand_add);
LITELINT_KERAS_EXPANDER(expand_subtract);
LITELINT_KERAS_EXPANDER(expand_multiply);
LITELINT_KERAS_EXPANDER(expand_average);
LITELINT_KERAS_EXPANDER(expand_maximum);
LITELINT_KERAS_EXPANDER(expand_minimum);
LITELINT_KERAS_EXPANDER(expand_concatenate);
// expand_rnn.cc
LITELINT_KERAS_EXPANDER(expand_lstm);
LITELINT_KERAS_EXPANDER(expand_gru);
LITELINT_KERAS_EXPANDER(expand_simple_rnn);
LITELINT_KERAS_EXPANDER(expand_bidirectional);
// expand_wrappers.cc
LITELINT_KERAS_EXPANDER(expand_time_distributed);

#undef LITELINT_KERAS_EXPANDER

}  // namespace litelint::analyzer::keras
