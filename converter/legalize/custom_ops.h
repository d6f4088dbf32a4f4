#pragma once

#include "converter/legalize/context.h"

namespace litelint::converter {

/// How a TF op without a lowering is kept.
enum class CustomKind {
  Flex,    ///< custom op "Flex<Op>" with custom_options FlexBuffer [op name, NodeDef]
  Custom,  ///< custom op named after the TF op (--allow-custom-ops); the app registers it
};

/// Emits the node as one custom operator with the node's inputs and outputs.
Expected<void> lower_as_custom_op(LoweringContext& ctx, CustomKind kind);

}  // namespace litelint::converter
