#include "reports/github_report.h"

#include <string>
#include <string_view>

#include <fmt/format.h>

#include "reports/sarif_report.h"

namespace litelint::reports {
namespace {

// The message after "::" (actions/toolkit `escapeData`).
std::string escape_data(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    switch (ch) {
      case '%': out += "%25"; break;
      case '\r': out += "%0D"; break;
      case '\n': out += "%0A"; break;
      default: out += ch;
    }
  }
  return out;
}

// A property value such as file= or title= (`escapeProperty`): ':' and ',' would end it.
std::string escape_property(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    switch (ch) {
      case '%': out += "%25"; break;
      case '\r': out += "%0D"; break;
      case '\n': out += "%0A"; break;
      case ':': out += "%3A"; break;
      case ',': out += "%2C"; break;
      default: out += ch;
    }
  }
  return out;
}

std::string_view command(rules::Severity s) {
  switch (s) {
    case rules::Severity::Error: return "error";
    case rules::Severity::Warning: return "warning";
    case rules::Severity::Note: return "notice";
  }
  return "notice";
}

std::string annotation(std::string_view cmd, std::string_view file, std::int32_t line,
                       std::string_view title, std::string_view message) {
  std::string out = fmt::format("::{} file={}", cmd, escape_property(file));
  if (line > 0) out += fmt::format(",line={}", line);
  out += fmt::format(",title={}::{}\n", escape_property(title), escape_data(message));
  return out;
}

}  // namespace

std::string render_github(const RunReport& run) {
  std::string out;
  for (const auto& m : run.models) {
    if (!m.ok()) {
      out += annotation("error", m.path, 0, "litelint: unreadable model", m.error);
      continue;
    }
    const std::string model_file = model_main_file(m);
    for (const auto& f : m.result.findings) {
      for (const auto& group : group_by_source_line(f)) {
        std::string message = group_message(f, group);
        // Annotations on a Python line do not say which model they are about.
        if (group.location) message += fmt::format("\nmodel: {}", m.path);
        if (!f.suggestion.empty()) message += fmt::format("\nfix: {}", f.suggestion);
        const std::string_view file = group.location ? std::string_view(group.location->file)
                                                     : std::string_view(model_file);
        out += annotation(command(f.severity), file, group.location ? group.location->line : 0,
                          fmt::format("{} {}", f.code, f.rule), message);
      }
    }
  }
  return out;
}

}  // namespace litelint::reports
