#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "reports/report.h"

namespace litelint::reports {

/// Version of the JSON report's schema (reports/schema/check-report.schema.json). Bump the
/// minor version for added keys, the major version for removed or changed ones, and note
/// every change in reports/schema/CHANGELOG.md.
inline constexpr const char* kJsonSchemaVersion = "1.2.0";

/// One model's document: `model` (path, format, sha256, size), `target`, `verdict`,
/// `converts`, `modes`, `findings`, `plan`, `op_stats`, `timings`, `summary`; or `model` and
/// `error` for a model that could not be read.
nlohmann::json model_json(const ModelReport& model);

/// `--format json`: for one model its document with `schema_version` and `tool` added; for a
/// batch {schema_version, tool, target, models: [...], aggregate: {...}}.
nlohmann::json run_json(const RunReport& run);

/// Pretty-printed JSON ending in a newline. Node and file names from a model need not be
/// valid UTF-8; invalid bytes become U+FFFD instead of an exception.
std::string dump_json(const nlohmann::json& doc);

/// run_json, pretty-printed, ending in a newline.
std::string render_json(const RunReport& run);

}  // namespace litelint::reports
