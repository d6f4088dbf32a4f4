#pragma once

#include "analyzer/ir/model.h"
#include "analyzer/loaders/detect.h"
#include "analyzer/loaders/load.h"
#include "analyzer/support/expected.h"

namespace litelint::analyzer {

/// Reads a SavedModel directory (Format::SavedModel: saved_model.pb, or
/// Format::SavedModelText: saved_model.pbtxt; `detected.main_file` is that file) into a Model
/// with one Graph per MetaGraphDef. `selected_graph` is the MetaGraph whose tag set equals
/// `options.tags`; when none matches, tags were not given explicitly and there is exactly one
/// MetaGraph, that one. Variables are read lazily from variables/ (TensorBundle); a missing
/// variables/ directory is not an error (graph-only models exist) and is noted in
/// Model::metadata under "variables", but a damaged index or shard is. Stack traces come from
/// debug/saved_model_debug_info.pb when present. Format::SavedModelChunked (saved_model.cpb
/// alone) is an Unsupported error. Never throws; errors name the file.
Expected<ir::Model> load_saved_model(const Detected& detected, const LoadOptions& options);

}  // namespace litelint::analyzer
