#include "reports/text_report.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <string_view>
#include <vector>

#include "reports/aggregate.h"
#include "reports/footprint_report.h"

namespace litelint::reports {
namespace {

// ANSI SGR sequences, or nothing when colour is off.
struct Palette {
  const char* bold;
  const char* red;
  const char* yellow;
  const char* cyan;
  const char* green;
  const char* reset;
};

Palette palette(const TextStyle& style) {
  if (!style.color) return {"", "", "", "", "", ""};
  return {"\x1b[1m", "\x1b[1;31m", "\x1b[1;33m", "\x1b[1;36m", "\x1b[1;32m", "\x1b[0m"};
}

const char* severity_color(rules::Severity s, const Palette& p) {
  switch (s) {
    case rules::Severity::Error: return p.red;
    case rules::Severity::Warning: return p.yellow;
    case rules::Severity::Note: return p.cyan;
  }
  return "";
}

void append_indented(std::string& out, std::string_view text, std::string_view indent) {
  while (!text.empty()) {
    const auto nl = text.find('\n');
    out += fmt::format("{}{}\n", indent, text.substr(0, nl));
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
}

void append_plan(std::string& out, const rules::LintResult& r, const Palette& c) {
  const auto& p = r.plan;
  if (r.converts_in_mode[0] || (p.flex_ops.empty() && p.custom_ops.empty())) return;
  out += fmt::format("\n{}fallback plan:{}\n", c.bold, c.reset);
  if (!p.flex_ops.empty()) out += fmt::format("  Select TF ops: {}\n", fmt::join(p.flex_ops, ", "));
  if (!p.custom_ops.empty()) out += fmt::format("  custom ops: {}\n", fmt::join(p.custom_ops, ", "));
  if (!p.binary_size_note.empty()) out += fmt::format("  size: {}\n", p.binary_size_note);
  if (!p.runs_in_play_services) {
    out += "  LiteRT in Google Play services cannot run it (no Flex delegate)\n";
  }
  if (!p.converter_snippet.empty()) {
    out += "  converter settings:\n";
    append_indented(out, p.converter_snippet, "    ");
  }
}

std::string short_verdict(const ModelReport& m) {
  return m.ok() ? std::string(rules::to_string(m.result.verdict)) : "unreadable";
}

// The deepest directory every model path lies under ("" when they share none): the table
// names models relative to it, so a --recursive run over DIR lists the paths below DIR.
std::filesystem::path common_dir(const RunReport& run) {
  std::optional<std::filesystem::path> common;
  for (const auto& m : run.models) {
    const auto dir = std::filesystem::path(m.path).parent_path();
    if (!common) {
      common = dir;
      continue;
    }
    std::filesystem::path shared;
    for (auto a = common->begin(), b = dir.begin(); a != common->end() && b != dir.end() && *a == *b;
         ++a, ++b) {
      shared /= *a;
    }
    common = shared;
  }
  return common.value_or(std::filesystem::path());
}

// An unreadable model's reason without the model's own path in front (the row names it).
std::string_view reason(const ModelReport& m) {
  std::string_view e = m.error;
  if (e.starts_with(m.path) && e.substr(m.path.size()).starts_with(": ")) e.remove_prefix(m.path.size() + 2);
  return e;
}

std::string batch_table(const RunReport& run, const Palette& c) {
  const std::filesystem::path root = common_dir(run);
  std::vector<std::string> names;
  std::size_t width = 5;
  for (const auto& m : run.models) {
    // Whole paths, never cut: a name longer than the others just pushes its row's columns.
    names.push_back(root.empty() ? m.path
                                 : std::filesystem::path(m.path).lexically_relative(root).string());
    width = std::max(width, std::min<std::size_t>(names.back().size(), 60));
  }
  std::string out = "\n";
  if (!root.empty()) out += fmt::format("models under {}/:\n", root.string());
  out += fmt::format("{}{:<{}}  {:<16} {:<22} {:>6} {:>8} {:>9} {:>10} {:>10}  {}{}\n", c.bold, "model",
                     width, "format", "verdict", "errors", "warnings", "MACs", "weights", "peak act", "flex ops",
                     c.reset);
  for (std::size_t i = 0; i < run.models.size(); ++i) {
    const auto& m = run.models[i];
    if (!m.ok()) {
      // The reason is no column's value: it gets the rest of the row.
      out += fmt::format("{:<{}}  {}unreadable:{} {}\n", names[i], width, c.red, c.reset, reason(m));
      continue;
    }
    const auto& fp = m.footprint;
    out += fmt::format("{:<{}}  {:<16} {:<22} {:>6} {:>8} {:>9} {:>10} {:>10}  {}\n", names[i], width, m.format,
                       short_verdict(m), m.result.counts[0], m.result.counts[1], macs_cell(fp),
                       fp.measured ? footprint::byte_size(fp.weight_bytes) : "",
                       fp.measured ? footprint::byte_size(fp.peak_activation_bytes) : "",
                       fmt::join(m.result.plan.flex_ops, ","));
  }
  const Aggregate a = aggregate(run);
  out += fmt::format("{} model(s): {} convert under {}, {} unreadable; {} error(s), {} warning(s), "
                     "{} note(s); {:.0f}% of {} op types convert without a fallback\n",
                     a.models, a.converting, rules::to_string(run.profile.target), a.unreadable,
                     a.errors, a.warnings, a.notes, a.op_coverage * 100, a.ops.size());
  return out;
}

}  // namespace

std::string model_text(const ModelReport& m, const TextStyle& style) {
  const Palette c = palette(style);
  if (!m.ok()) return fmt::format("{}: {}error:{} {}\n", m.path, c.red, c.reset, m.error);
  const auto& r = m.result;
  std::string out;
  for (auto severity : {rules::Severity::Error, rules::Severity::Warning, rules::Severity::Note}) {
    for (const auto& f : r.findings) {
      if (f.severity != severity) continue;
      out += fmt::format("{}{}:{} {}{}[{}]{}: {}\n", c.bold, m.path, c.reset,
                         severity_color(f.severity, c), rules::to_string(f.severity), f.code,
                         c.reset, f.message);
      const auto& first = f.nodes.front();
      if (first.path.size() > 1) out += fmt::format("  in: {}\n", fmt::join(first.path, " > "));
      if (first.location) {
        out += fmt::format("  at: {}:{}\n", first.location->file, first.location->line);
      }
      if (!f.suggestion.empty()) out += fmt::format("  {}help:{} {}\n", c.green, c.reset, f.suggestion);
    }
  }
  append_plan(out, r, c);
  if (m.footprint.measured) out += footprint_text(m.footprint);
  out += fmt::format("{}{}{}: {} ({} under {}{}): {} error(s), {} warning(s), {} note(s)", c.bold,
                     m.path, c.reset, rules::to_string(r.verdict),
                     // A .tflite is already converted: the question is whether it runs.
                     m.format == "tflite" ? (r.converts ? "runs" : "does not run")
                                          : (r.converts ? "converts" : "does not convert"),
                     rules::to_string(r.profile.target),
                     r.profile.allow_custom_ops ? " with custom ops" : "", r.counts[0], r.counts[1],
                     r.counts[2]);
  if (m.baseline_suppressed > 0) out += fmt::format(" ({} in the baseline)", m.baseline_suppressed);
  out += "\n";
  return out;
}

std::string render_text(const RunReport& run, const TextStyle& style) {
  std::string out;
  for (const auto& m : run.models) {
    // Unreadable models were already named on stderr; the batch table lists them again.
    if (m.ok()) out += model_text(m, style);
  }
  if (run.batch) out += batch_table(run, palette(style));
  return out;
}

}  // namespace litelint::reports
