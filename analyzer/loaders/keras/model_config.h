#pragma once

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analyzer/support/expected.h"

namespace litelint::analyzer::keras {

/// One output of one call of a layer: Keras' `keras_history` triple.
struct TensorRef {
  std::string layer;
  int node_index = 0;
  int tensor_index = 0;
};

/// One call of a layer (a Keras "inbound node"): the tensors in its arguments, flattened in
/// order, and tensors passed by keyword (e.g. MultiHeadAttention's `value`).
struct LayerCall {
  std::vector<TensorRef> inputs;
  std::vector<std::pair<std::string, TensorRef>> kwarg_inputs;
  nlohmann::json kwargs = nlohmann::json::object();  ///< non-tensor keyword arguments
};

struct ModelConfig;

/// One layer of a model config.
struct Layer {
  std::string class_name;  ///< registered name without package ("Dense", "LSTM")
  std::string name;
  std::string module;           ///< Keras 3 `module` ("keras.layers"); empty in Keras 2 configs
  std::string registered_name;  ///< "zoo>Scale" (Keras 3) or a "Custom>Scale" class_name; else empty
  nlohmann::json config = nlohmann::json::object();
  std::vector<LayerCall> calls;  ///< Functional models; Sequential layers are chained
  std::shared_ptr<const ModelConfig> model;  ///< set when the layer is itself a model
  /// Its key in a Keras v3 weights file: snake_case class name, de-duplicated with `_1`, ...
  /// in layer order ("dense", "dense_1", "conv2d").
  std::string v3_key;
  /// How many layers of the same class come before it in its model: Keras 2.13 numbered the
  /// keys differently (conv2d, conv2d_2, conv2d_4, ...), so the store falls back to rank.
  int v3_ordinal = 0;
  std::string v3_base;  ///< v3_key without the `_N` suffix
};

/// A Sequential or Functional model config (Keras 2, Keras 3 or TF.js layers).
struct ModelConfig {
  std::string class_name;
  std::string name;
  bool sequential = false;
  std::vector<Layer> layers;
  std::vector<TensorRef> inputs;   ///< Functional only
  std::vector<TensorRef> outputs;  ///< Functional only
  const Layer* find(std::string_view layer_name) const;
};

/// Parses `{"class_name": ..., "config": ...}` (what `model_config`, `config.json`,
/// `model.to_json()` and TF.js `modelTopology.model_config` hold). A subclassed model, whose
/// config does not list its layers, is an Unsupported error naming the class.
Expected<ModelConfig> parse_model_config(const nlohmann::json& root);

/// Keras' `to_snake_case`: "Conv2D" -> "conv2d", "BatchNormalization" -> "batch_normalization".
std::string to_snake_case(std::string_view name);

/// True for the class names Keras uses for models that can be layers of other models.
bool is_model_class(std::string_view class_name);

}  // namespace litelint::analyzer::keras
