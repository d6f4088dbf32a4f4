#pragma once

#include <filesystem>

#include "analyzer/ir/model.h"
#include "analyzer/support/expected.h"

namespace litelint::analyzer {

/// What detection found: the format and the file that holds the graph.
struct Detected {
  ir::Format format;
  std::filesystem::path main_file;
};

/// Decides the format from file content and directory layout, never from the extension alone.
Expected<Detected> detect_format(const std::filesystem::path& path);

}  // namespace litelint::analyzer
