#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "reports/report.h"
#include "reports/text_report.h"

namespace litelint::reports {

/// Every output `litelint check --format` can write; each has one renderer file in reports/.
enum class ReportFormat : std::uint8_t {
  Text,
  Json,
  Html,
  ModelExplorer,
  Sarif,
  Markdown,
  Github,
};

/// All formats, in the order `--help` lists them.
std::span<const ReportFormat> all_report_formats();
/// The `--format` spelling: "text", "json", ...
std::string_view to_string(ReportFormat format);
std::optional<ReportFormat> parse_report_format(std::string_view name);
/// The file name `--output-dir` writes the format to: "litelint.json", ...
std::string_view default_file_name(ReportFormat format);

/// Renders the run in one format. Pure: no analysis, no I/O.
std::string render(ReportFormat format, const RunReport& run, const TextStyle& style = {});

}  // namespace litelint::reports
