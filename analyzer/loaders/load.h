#pragma once

#include <filesystem>
#include <string>

#include "analyzer/ir/model.h"
#include "analyzer/support/expected.h"

namespace litelint::analyzer {

/// How to read a model: which MetaGraph and signature the user asked for.
struct LoadOptions {
  std::string tags = "serve";                   ///< comma-separated tag set, as TensorFlow
  std::string signature = "serving_default";    ///< signature key
  bool tags_given = false;                      ///< --tags was passed explicitly
};

/// Detects the format of `path` from its content (a directory is a SavedModel or a TF.js
/// model) and loads it. Never throws; every problem is an Error naming the file.
Expected<ir::Model> load(const std::filesystem::path& path, const LoadOptions& options = {});

}  // namespace litelint::analyzer
