#pragma once

#include <filesystem>
#include <string_view>

#include "analyzer/support/expected.h"

namespace litelint::cli {

/// Writes a report file all at once: to a temporary file beside it, then renamed over it, so
/// a reader (or a failed run) never sees a partial report. Errors name the file.
Expected<void> write_file_atomically(const std::filesystem::path& path, std::string_view content);

}  // namespace litelint::cli
