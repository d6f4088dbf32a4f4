// Keras class name -> expander: one sorted table, looked up by name (as the rule registry).
#include <algorithm>
#include <array>
#include <string_view>

#include "analyzer/loaders/keras/expanders.h"

namespace litelint::analyzer::keras {
namespace {

struct Entry {
  std::string_view class_name;
  Expander expand;
};

// Keras 2 and Keras 3 spellings (MaxPool2D is an alias of MaxPooling2D). Sorted by name.
constexpr auto kTable = std::to_array<Entry>({
    {"Activation", expand_activation},
    {"Add", expand_add},
    {"AveragePooling1D", expand_avg_pool1d},
    {"AveragePooling2D", expand_avg_pool2d},
    {"AveragePooling3D", expand_avg_pool3d},
    {"Average", expand_average},
    {"AvgPool1D", expand_avg_pool1d},
    {"AvgPool2D", expand_avg_pool2d},
    {"AvgPool3D", expand_avg_pool3d},
    {"BatchNormalization", expand_batch_norm},
    {"Bidirectional", expand_bidirectional},
    {"Concatenate", expand_concatenate},
    {"Conv1D", expand_conv1d},
    {"Conv1DTranspose", expand_conv1d_transpose},
    {"Conv2D", expand_conv2d},
    {"Conv2DTranspose", expand_conv2d_transpose},
    {"Conv3D", expand_conv3d},
    {"Convolution1D", expand_conv1d},
    {"Convolution2D", expand_conv2d},
    {"Cropping1D", expand_crop1d},
    {"Cropping2D", expand_crop2d},
    {"Dense", expand_dense},
    {"DepthwiseConv1D", expand_depthwise_conv1d},
    {"DepthwiseConv2D", expand_depthwise_conv2d},
    {"ELU", expand_elu},
    {"Embedding", expand_embedding},
    {"Flatten", expand_flatten},
    {"GRU", expand_gru},
    {"GlobalAveragePooling1D", expand_global_avg_pool1d},
    {"GlobalAveragePooling2D", expand_global_avg_pool2d},
    {"GlobalAveragePooling3D", expand_global_avg_pool3d},
    {"GlobalAvgPool1D", expand_global_avg_pool1d},
    {"GlobalAvgPool2D", expand_global_avg_pool2d},
    {"GlobalMaxPool1D", expand_global_max_pool1d},
    {"GlobalMaxPool2D", expand_global_max_pool2d},
    {"GlobalMaxPooling1D", expand_global_max_pool1d},
    {"GlobalMaxPooling2D", expand_global_max_pool2d},
    {"GlobalMaxPooling3D", expand_global_max_pool3d},
    {"LSTM", expand_lstm},
    {"LayerNormalization", expand_layer_norm},
    {"LeakyReLU", expand_leaky_relu},
    {"MaxPool1D", expand_max_pool1d},
    {"MaxPool2D", expand_max_pool2d},
    {"MaxPool3D", expand_max_pool3d},
    {"MaxPooling1D", expand_max_pool1d},
    {"MaxPooling2D", expand_max_pool2d},
    {"MaxPooling3D", expand_max_pool3d},
    {"Maximum", expand_maximum},
    {"Minimum", expand_minimum},
    {"Multiply", expand_multiply},
    {"PReLU", expand_prelu},
    {"Permute", expand_permute},
    {"ReLU", expand_relu},
    {"RepeatVector", expand_repeat_vector},
    {"Rescaling", expand_rescaling},
    {"Reshape", expand_reshape},
    {"SeparableConv1D", expand_separable_conv1d},
    {"SeparableConv2D", expand_separable_conv2d},
    {"SimpleRNN", expand_simple_rnn},
    {"Softmax", expand_softmax},
    {"Subtract", expand_subtract},
    {"TimeDistributed", expand_time_distributed},
    {"UpSampling1D", expand_upsampling1d},
    {"UpSampling2D", expand_upsampling2d},
    {"ZeroPadding1D", expand_zero_pad1d},
    {"ZeroPadding2D", expand_zero_pad2d},
    {"ZeroPadding3D", expand_zero_pad3d},
});

constexpr std::array<std::string_view, 9> kIdentity = {
    "ActivityRegularization", "AlphaDropout", "Dropout", "GaussianDropout", "GaussianNoise",
    "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "InputSpec"};

}  // namespace

Expander find_expander(std::string_view class_name) {
  auto it = std::find_if(kTable.begin(), kTable.end(), [&](const Entry& e) { return e.class_name == class_name; });
  return it == kTable.end() ? nullptr : it->expand;
}

bool is_inference_identity(std::string_view class_name) {
  return std::find(kIdentity.begin(), kIdentity.end(), class_name) != kIdentity.end();
}

}  // namespace litelint::analyzer::keras
