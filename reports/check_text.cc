#include "reports/check_text.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace litelint::reports {

std::string check_text(const rules::LintResult& r, const std::string& model_name) {
  std::string out;
  for (auto severity : {rules::Severity::Error, rules::Severity::Warning, rules::Severity::Note}) {
    for (const auto& f : r.findings) {
      if (f.severity != severity) continue;
      out += fmt::format("{}: {}[{}]: {}\n", model_name, rules::to_string(f.severity), f.code,
                         f.message);
      const auto& first = f.nodes.front();
      if (first.path.size() > 1) {
        out += fmt::format("  in: {}\n", fmt::join(first.path, " > "));
      }
      if (first.location) {
        out += fmt::format("  at: {}:{}\n", first.location->file, first.location->line);
      }
      if (!f.suggestion.empty()) out += fmt::format("  help: {}\n", f.suggestion);
    }
  }
  const auto& p = r.plan;
  if (!r.converts_in_mode[0] && (!p.flex_ops.empty() || !p.custom_ops.empty())) {
    out += "\nfallback plan:\n";
    if (!p.flex_ops.empty()) out += fmt::format("  Select TF ops: {}\n", fmt::join(p.flex_ops, ", "));
    if (!p.custom_ops.empty()) out += fmt::format("  custom ops: {}\n", fmt::join(p.custom_ops, ", "));
    if (!p.binary_size_note.empty()) out += fmt::format("  size: {}\n", p.binary_size_note);
    if (!p.runs_in_play_services) {
      out += "  LiteRT in Google Play services cannot run it (no Flex delegate)\n";
    }
    if (!p.converter_snippet.empty()) {
      out += "  converter settings:\n";
      std::string_view s = p.converter_snippet;
      while (!s.empty()) {
        auto nl = s.find('\n');
        out += fmt::format("    {}\n", s.substr(0, nl));
        if (nl == std::string_view::npos) break;
        s.remove_prefix(nl + 1);
      }
    }
  }
  out += fmt::format("{}: {} ({} under {}{}): {} error(s), {} warning(s), {} note(s)\n",
                     model_name, rules::to_string(r.verdict),
                     r.converts ? "converts" : "does not convert",
                     rules::to_string(r.profile.target),
                     r.profile.allow_custom_ops ? " with custom ops" : "", r.counts[0],
                     r.counts[1], r.counts[2]);
  return out;
}

}  // namespace litelint::reports
