#pragma once

#include "analyzer/ir/graph.h"
#include "analyzer/loaders/keras/model_config.h"
#include "analyzer/loaders/keras/weight_store.h"
#include "analyzer/support/expected.h"

namespace litelint::analyzer::keras {

/// Builds the TensorFlow graph Keras traces for `model`: a Placeholder per model input, every
/// layer call expanded into its ops (nested models inlined, shared layers expanded once per
/// call, their weights shared), and a `serving_default` signature with the input layer names
/// and `output_0`, `output_1`, ... as TFLiteConverter.from_keras_model names them. A layer
/// whose code is not in the file (Lambda, custom classes) becomes one node whose op is the
/// class name, so that `check` reports it. Damaged weights and weight shapes that contradict
/// the config are errors.
Expected<ir::Graph> build_graph(const ModelConfig& model, const WeightStore* weights);

/// The graph of a subclassed model: one node named after the model whose op is its class.
ir::Graph opaque_model_graph(const std::string& class_name);

}  // namespace litelint::analyzer::keras
