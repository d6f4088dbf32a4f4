#pragma once

#include "analyzer/ir/model.h"
#include "analyzer/loaders/detect.h"
#include "analyzer/loaders/load.h"
#include "analyzer/support/expected.h"

namespace litelint::analyzer {

/// Reads a GraphDef or MetaGraphDef file (Format::GraphDefBinary, GraphDefText,
/// MetaGraphDefBinary, MetaGraphDefText; gzip-compressed text too) into a Model with one
/// validated Graph. A text GraphDef's `<file>.debug` (GraphDebugInfo text) is applied when
/// present. Never throws; errors name the file.
Expected<ir::Model> load_graphdef(const Detected& detected, const LoadOptions& options);

}  // namespace litelint::analyzer
