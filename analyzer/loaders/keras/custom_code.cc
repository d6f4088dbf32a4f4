#include "analyzer/loaders/keras/custom_code.h"

#include <algorithm>
#include <string_view>

#include "analyzer/loaders/keras/expand_util.h"
#include "analyzer/loaders/keras/layer_context.h"

namespace litelint::analyzer::keras {
namespace {

using json = nlohmann::json;

// keras.activations in Keras 3.15 (ALL_OBJECTS_DICT) plus the Keras 2 names; sorted. A name
// outside this list is a function the user wrote, whose code the file does not hold.
constexpr std::string_view kKerasActivations[] = {
    "celu",        "elu",         "exponential", "gelu",           "glu",        "hard_shrink", "hard_sigmoid",
    "hard_silu",   "hard_swish",  "hard_tanh",   "leaky_relu",     "linear",     "log_sigmoid", "log_softmax",
    "mish",        "relu",        "relu6",       "selu",           "sigmoid",    "silu",        "soft_shrink",
    "softmax",     "softplus",    "softsign",    "sparse_plus",    "sparse_sigmoid", "sparsemax", "squareplus",
    "swish",       "tanh",        "tanh_shrink", "threshold"};

// Layer classes of keras.layers (Keras 3.15) and tf.keras 2 that a config may name without a
// module; sorted. Used only to tell a Keras class litelint does not expand from custom code.
constexpr std::string_view kKerasLayers[] = {
    "Activation", "ActivityRegularization", "AdaptiveAveragePooling1D", "AdaptiveAveragePooling2D",
    "AdaptiveAveragePooling3D", "AdaptiveMaxPooling1D", "AdaptiveMaxPooling2D", "AdaptiveMaxPooling3D", "Add",
    "AdditiveAttention", "AlphaDropout", "Attention", "AugMix", "AutoContrast", "Average", "AveragePooling1D",
    "AveragePooling2D", "AveragePooling3D", "AvgPool1D", "AvgPool2D", "AvgPool3D", "BatchNormalization",
    "Bidirectional", "CategoryEncoding", "CenterCrop", "Concatenate", "ContrastLimitedAdaptiveHistogramEqualization",
    "Conv1D", "Conv1DTranspose", "Conv2D", "Conv2DTranspose", "Conv3D", "Conv3DTranspose", "ConvLSTM1D", "ConvLSTM2D",
    "ConvLSTM3D", "Convolution1D", "Convolution1DTranspose", "Convolution2D", "Convolution2DTranspose",
    "Convolution3D", "Convolution3DTranspose", "Cropping1D", "Cropping2D", "Cropping3D", "CuDNNGRU", "CuDNNLSTM",
    "CutMix", "Dense", "DenseFeatures", "DepthwiseConv1D", "DepthwiseConv2D", "Discretization", "Dot", "Dropout",
    "ELU", "EinsumDense", "Embedding", "Equalization", "Flatten", "FlaxLayer", "GRU", "GRUCell", "GaussianDropout",
    "GaussianNoise", "GlobalAveragePooling1D", "GlobalAveragePooling2D", "GlobalAveragePooling3D",
    "GlobalAvgPool1D", "GlobalAvgPool2D", "GlobalAvgPool3D", "GlobalMaxPool1D", "GlobalMaxPool2D",
    "GlobalMaxPool3D", "GlobalMaxPooling1D", "GlobalMaxPooling2D", "GlobalMaxPooling3D", "GroupNormalization",
    "GroupQueryAttention", "HashedCrossing", "Hashing", "Identity", "InputLayer", "IntegerLookup", "JaxLayer",
    "LSTM", "LSTMCell", "Lambda", "Layer", "LayerNormalization", "LeakyReLU", "LocallyConnected1D",
    "LocallyConnected2D", "Masking", "MaxNumBoundingBoxes", "MaxPool1D", "MaxPool2D", "MaxPool3D",
    "MaxPooling1D", "MaxPooling2D", "MaxPooling3D", "Maximum", "MelSpectrogram", "Minimum", "MixUp",
    "MultiHeadAttention", "Multiply", "Normalization", "PReLU", "Permute", "Pipeline", "RMSNormalization", "RNN",
    "RandAugment", "RandomBrightness", "RandomColorDegeneration", "RandomColorJitter", "RandomContrast",
    "RandomCrop", "RandomElasticTransform", "RandomErasing", "RandomFlip", "RandomGaussianBlur",
    "RandomGrayscale", "RandomHeight", "RandomHue", "RandomInvert", "RandomPerspective", "RandomPosterization",
    "RandomRotation", "RandomSaturation", "RandomSharpness", "RandomShear", "RandomTranslation", "RandomWidth",
    "RandomZoom", "ReLU", "RepeatVector", "Rescaling", "Reshape", "Resizing", "ReversibleEmbedding",
    "STFTSpectrogram", "SeparableConv1D", "SeparableConv2D", "SeparableConvolution1D", "SeparableConvolution2D",
    "SimpleRNN", "SimpleRNNCell", "Softmax", "Solarization", "SpatialDropout1D", "SpatialDropout2D",
    "SpatialDropout3D", "SpectralNormalization", "StackedRNNCells", "StringLookup", "Subtract",
    "SyncBatchNormalization", "TFSMLayer", "TextVectorization", "ThresholdedReLU", "TimeDistributed",
    "TorchModuleWrapper", "UnitNormalization", "UpSampling1D", "UpSampling2D", "UpSampling3D", "Wrapper",
    "ZeroPadding1D", "ZeroPadding2D", "ZeroPadding3D"};
static_assert(std::ranges::is_sorted(kKerasActivations) && std::ranges::is_sorted(kKerasLayers),
              "binary_search needs the name lists sorted");

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// "zoo>cube" (Keras 3 registered name) and "Custom>cube" (tf.keras) name the package first.
std::string_view without_package(std::string_view name) {
  const auto p = name.rfind('>');
  return p == std::string_view::npos ? name : name.substr(p + 1);
}

// Where a serialized class comes from, as far as the config says: Keras 3 writes `module`
// ("keras.layers") and `registered_name` ("zoo>Scale"); Keras 2 only the class name.
struct Origin {
  std::string_view module;
  std::string_view registered;
};

std::string_view string_field(const json& obj, const char* key) {
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? std::string_view(it->get_ref<const std::string&>()) : std::string_view();
}

bool is_custom_class(const Origin& o, std::string_view class_name) {
  if (o.registered.find('>') != std::string_view::npos && !starts_with(o.registered, "keras")) return true;
  if (!o.module.empty()) return !starts_with(o.module, "keras");
  return !std::ranges::binary_search(kKerasLayers, without_package(class_name));
}

std::optional<MissingCode> custom_activation(const json& cfg) {
  for (const std::string_view key : {"activation", "recurrent_activation"}) {
    auto it = cfg.find(key);
    if (it == cfg.end() || it->is_null()) continue;
    // A layer object as the activation (Keras 3 allows it) is judged as a layer.
    if (it->is_object() && it->contains("config") && (*it)["config"].is_object()) {
      const std::string_view cls = without_package(string_field(*it, "class_name"));
      if (is_custom_class({string_field(*it, "module"), string_field(*it, "registered_name")}, cls)) {
        return MissingCode{std::string(cls), "custom layer class '" + std::string(cls) + "' (its " + std::string(key) + ")"};
      }
      continue;
    }
    const std::string name(without_package(activation_name(*it)));
    if (name.empty() || is_keras_activation(name)) continue;
    return MissingCode{name, std::string(key == "activation" ? "custom activation" : "custom recurrent activation") +
                                 " function '" + name + "'"};
  }
  return std::nullopt;
}

std::optional<MissingCode> missing_in(std::string_view class_name, const Origin& origin, const json& cfg, int depth) {
  const std::string cls(without_package(class_name));
  if (cls == "Lambda") return MissingCode{"Lambda", "Lambda layer's Python function"};
  if (find_expander(cls) == nullptr && !is_inference_identity(cls) && !is_model_class(cls) &&
      is_custom_class(origin, class_name)) {
    return MissingCode{cls, "custom layer class '" + cls + "'"};
  }
  if (!cfg.is_object()) return std::nullopt;
  if (auto a = custom_activation(cfg)) return a;
  // Wrappers hold their layers as serialized objects; depth bounds hostile nesting.
  if (depth >= 8) return std::nullopt;
  for (const char* key : {"layer", "forward_layer", "backward_layer"}) {
    auto it = cfg.find(key);
    if (it == cfg.end() || !it->is_object()) continue;
    static const json kNone;
    auto inner = it->find("config");
    const json& inner_cfg = inner == it->end() ? kNone : *inner;
    if (auto m = missing_in(string_field(*it, "class_name"), {string_field(*it, "module"), string_field(*it, "registered_name")},
                            inner_cfg, depth + 1)) {
      return m;
    }
  }
  return std::nullopt;
}

}  // namespace

bool is_keras_activation(std::string_view name) {
  return std::ranges::binary_search(kKerasActivations, name);
}

std::optional<MissingCode> find_missing_code(const Layer& layer) {
  return missing_in(layer.class_name, {layer.module, layer.registered_name}, layer.config, 0);
}

}  // namespace litelint::analyzer::keras
