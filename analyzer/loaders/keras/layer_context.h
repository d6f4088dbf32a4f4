#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analyzer/loaders/keras/graph_builder.h"
#include "analyzer/loaders/keras/model_config.h"
#include "analyzer/loaders/keras/weight_store.h"
#include "analyzer/support/expected.h"

namespace litelint::analyzer::keras {

/// Everything an expander sees while it turns one call of one layer into TensorFlow ops.
struct LayerContext {
  GraphBuilder& b;
  const Layer& layer;
  std::vector<const Layer*> chain;  ///< root model's layer down to `layer` (inclusive)
  const WeightStore* weights = nullptr;  ///< null when the model has no weights to read
  const LayerCall* call = nullptr;       ///< null for a Sequential layer
  /// Const nodes of weights already emitted, so a shared layer's second call reuses them.
  std::map<std::string, std::vector<Value>>* weight_cache = nullptr;
  /// For a layer wrapped in another (Bidirectional, TimeDistributed): its object path below
  /// the wrapper in a Keras v3 file ("forward_layer", "layer") and its name in Keras 2 weight
  /// names ("forward_lstm"). Prepended to / defaulting what variables() is given.
  std::string sub_prefix;
  std::string sub_name;

  const nlohmann::json& cfg() const { return layer.config; }
  /// The layer's variables as Const nodes, in the order of `names` (see WeightRequest).
  Expected<std::vector<Value>> variables(const std::vector<std::string>& names, const std::string& sub_path = "",
                                         const std::string& sub_name = "");
  /// "layer 'dense_1' (Dense): <what>" as a BadInput error.
  tl::unexpected<Error> error(const std::string& what) const;
  /// Same, as an Unsupported error (a Keras feature litelint does not model).
  tl::unexpected<Error> unsupported(const std::string& what) const;
};

/// Turns one call of a layer into ops. `inputs` are the call's tensors in argument order.
using Expander = Expected<std::vector<Value>> (*)(LayerContext& ctx, const std::vector<Value>& inputs);

/// The expander for a Keras class name, or null when litelint does not know the layer.
Expander find_expander(std::string_view class_name);

/// Layers that are the identity at inference (Dropout, noise, regularizers): no ops at all.
bool is_inference_identity(std::string_view class_name);

}  // namespace litelint::analyzer::keras
