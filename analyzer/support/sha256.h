#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "analyzer/support/expected.h"

namespace litelint::support {

/// Lower-case hex SHA-256 of bytes (Nettle).
std::string sha256_hex(std::string_view bytes);

/// SHA-256 of a file's content, read through a memory map.
Expected<std::string> sha256_file(const std::filesystem::path& path);

}  // namespace litelint::support
