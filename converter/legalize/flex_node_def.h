#pragma once

#include <cstdint>
#include <vector>

#include "analyzer/ir/node.h"
#include "analyzer/support/expected.h"

namespace litelint::converter {

/// The custom_options of a Flex op as TensorFlow's converter writes them: a FlexBuffer
/// vector [op name, serialized tensorflow.NodeDef of the node].
Expected<std::vector<std::uint8_t>> flex_custom_options(const ir::Node& node);

}  // namespace litelint::converter
