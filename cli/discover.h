#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace litelint::cli {

/// Every model under `root`, for `check DIR --recursive`: SavedModel and TF.js directories
/// (not descended into further), and files whose content is a model format (GraphDef,
/// MetaGraphDef, .tflite, Keras). Sorted by path so a batch's order is stable. A file whose
/// content litelint cannot sniff (README, checkpoints, data) is skipped, not reported.
/// Symlinked directories are not followed, so a link cycle cannot hang the walk.
std::vector<std::string> discover_models(const std::filesystem::path& root);

}  // namespace litelint::cli
