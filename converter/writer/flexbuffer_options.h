#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace litelint::converter::writer {

/// The custom_options of a Flex (Select TF) op, as TensorFlow's converter writes them: a
/// FlexBuffer vector of two strings, [0] the TF op type ("MatrixInverse"), [1] the binary
/// serialized NodeDef. The Flex delegate reads [0] as the op name and parses [1].
std::vector<std::uint8_t> flex_custom_options(std::string_view tf_op,
                                              std::string_view serialized_node_def);

}  // namespace litelint::converter::writer
