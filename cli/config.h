#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/footprint/budgets.h"
#include "analyzer/support/expected.h"

namespace litelint::cli {

/// What a `litelint.toml` or `[tool.litelint]` table of `pyproject.toml` says. Every field is
/// optional: command-line flags win over it, and defaults fill what neither gives.
struct FileConfig {
  std::filesystem::path source;  ///< the file it came from; empty when none was found
  std::optional<std::string> target;
  std::optional<bool> allow_custom_ops;
  std::optional<std::vector<std::string>> select;
  std::optional<std::vector<std::string>> ignore;
  std::optional<std::string> tags;
  std::optional<std::string> signature;
  /// Node-name glob -> code prefixes to drop for nodes matching it (Ruff's per-file-ignores).
  std::map<std::string, std::vector<std::string>> per_node_ignores;
  /// `max-weight-bytes`, `max-macs`, `max-activation-bytes` (LL5xx).
  footprint::Budgets budgets;
};

/// Parses one config file: `litelint.toml` (keys at top level) or `pyproject.toml` (keys under
/// [tool.litelint]). An unknown key or a bad value is an error naming the key and the file.
Expected<FileConfig> parse_config_file(const std::filesystem::path& file);

/// Looks for litelint.toml, then pyproject.toml with a [tool.litelint] table, in `start` and
/// each parent directory; the first found wins. No file is not an error.
Expected<FileConfig> find_config(const std::filesystem::path& start);

}  // namespace litelint::cli
