#pragma once

#include "converter/tfl/model.h"

namespace litelint::converter {

/// The fused activation slot of an operator's options, or nullptr when its options table has
/// none (or the operator has no options yet).
tflite::ActivationFunctionType* fused_activation(tfl::Operator& op);

}  // namespace litelint::converter
