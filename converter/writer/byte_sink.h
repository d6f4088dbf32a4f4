#pragma once

#include <cstdint>
#include <functional>
#include <span>

#include "analyzer/support/expected.h"

namespace litelint::converter::writer {

/// Receives a serialized model's bytes in file order, one piece per call (FlatBuffer tables
/// between constants, then each constant as it is stored); an error stops the writer and is
/// returned from it. Lets the CLI write the .tflite straight to its file, so that a large
/// model's weights are not copied once more into an in-memory result first.
using ByteSink = std::function<Expected<void>(std::span<const std::uint8_t>)>;

}  // namespace litelint::converter::writer
