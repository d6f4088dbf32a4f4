#include "reports/formats.h"

#include <array>

#include "reports/github_report.h"
#include "reports/html_report.h"
#include "reports/json_report.h"
#include "reports/markdown_report.h"
#include "reports/model_explorer_report.h"
#include "reports/sarif_report.h"
#include "reports/text_report.h"

namespace litelint::reports {
namespace {

struct FormatEntry {
  ReportFormat format;
  std::string_view name;
  std::string_view file_name;
};

// One line per format; keep in the enum's order.
constexpr std::array kFormats = {
    FormatEntry{ReportFormat::Text, "text", "litelint.txt"},
    FormatEntry{ReportFormat::Json, "json", "litelint.json"},
    FormatEntry{ReportFormat::Html, "html", "litelint.html"},
    FormatEntry{ReportFormat::ModelExplorer, "model-explorer", "litelint.model-explorer.json"},
    FormatEntry{ReportFormat::Sarif, "sarif", "litelint.sarif"},
    FormatEntry{ReportFormat::Markdown, "markdown", "litelint.md"},
    FormatEntry{ReportFormat::Github, "github", "litelint.github.txt"},
};

constexpr std::array<ReportFormat, kFormats.size()> format_list() {
  std::array<ReportFormat, kFormats.size()> out{};
  for (std::size_t i = 0; i < kFormats.size(); ++i) out[i] = kFormats[i].format;
  return out;
}
constexpr auto kFormatList = format_list();

const FormatEntry& entry(ReportFormat format) {
  for (const auto& e : kFormats) {
    if (e.format == format) return e;
  }
  return kFormats.front();
}

}  // namespace

std::span<const ReportFormat> all_report_formats() { return kFormatList; }

std::string_view to_string(ReportFormat format) { return entry(format).name; }

std::optional<ReportFormat> parse_report_format(std::string_view name) {
  for (const auto& e : kFormats) {
    if (e.name == name) return e.format;
  }
  return std::nullopt;
}

std::string_view default_file_name(ReportFormat format) { return entry(format).file_name; }

std::string render(ReportFormat format, const RunReport& run, const TextStyle& style) {
  switch (format) {
    case ReportFormat::Text: return render_text(run, style);
    case ReportFormat::Json: return render_json(run);
    case ReportFormat::Html: return render_html(run);
    case ReportFormat::ModelExplorer: return render_model_explorer(run);
    case ReportFormat::Sarif: return render_sarif(run);
    case ReportFormat::Markdown: return render_markdown(run);
    case ReportFormat::Github: return render_github(run);
  }
  return {};
}

}  // namespace litelint::reports
