#pragma once

#include <memory>

#include "analyzer/ir/tflite_model.h"
#include "analyzer/loaders/detect.h"
#include "analyzer/loaders/load.h"
#include "analyzer/support/expected.h"
#include "analyzer/support/file.h"

namespace litelint::analyzer {

/// Reads a .tflite FlatBuffer: runs the FlatBuffers verifier, then checks what the verifier
/// cannot (indices in range, shapes, buffer sizes, out-of-FlatBuffer data within the file,
/// every operator input defined before use). Never throws; errors name the file.
Expected<ir::Model> load_tflite(const Detected& detected, const LoadOptions& options);

/// The same checks on an already mapped file; the result keeps `file` alive.
Expected<ir::TfliteModel> parse_tflite(std::shared_ptr<const MappedFile> file);

}  // namespace litelint::analyzer
