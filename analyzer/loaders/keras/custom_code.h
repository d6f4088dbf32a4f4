#pragma once

#include <optional>
#include <string>

#include "analyzer/loaders/keras/model_config.h"

namespace litelint::analyzer::keras {

/// Code a layer needs that the Keras file does not hold: a custom layer class, a Lambda's
/// function, a custom activation function named in the config.
struct MissingCode {
  std::string name;         ///< the class or function as the config names it ("Scale", "cube")
  std::string description;  ///< "custom layer class 'Scale'", "custom activation function 'cube'"
};

/// What code `layer` (and a layer it wraps) needs that the file does not hold, if any. Keras
/// built-in classes litelint does not expand are not custom code: they are litelint's gap.
std::optional<MissingCode> find_missing_code(const Layer& layer);

/// True for an activation name Keras (2 or 3) defines itself ("relu", "gelu", "celu").
bool is_keras_activation(std::string_view name);

}  // namespace litelint::analyzer::keras
