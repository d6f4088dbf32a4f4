#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "converter/tfl/model.h"

namespace litelint::converter {

/// How often each tensor of a subgraph is read: as an operator input, or as a subgraph
/// output (which counts as a read no fusion may remove).
std::vector<int> use_counts(const tfl::Subgraph& sg);

/// The index of the operator that writes `tensor`, or -1.
int producer_of(const tfl::Subgraph& sg, std::int32_t tensor);

/// The constant bytes of a tensor, or an empty span when it is not constant.
std::span<const std::byte> constant_bytes(const tfl::Model& model, const tfl::Subgraph& sg,
                                          std::int32_t tensor);

/// The value of a one-element float32 constant tensor, or nullopt.
std::optional<float> scalar_f32(const tfl::Model& model, const tfl::Subgraph& sg, std::int32_t tensor);

}  // namespace litelint::converter
