#include "reports/markdown_report.h"

#include <algorithm>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "reports/aggregate.h"
#include "reports/footprint_report.h"
#include "reports/sarif_report.h"

namespace litelint::reports {
namespace {

// Room kept free for closing tags and the truncation note, so both always fit.
constexpr std::size_t kReserve = 512;

// Plain text inside Markdown: characters that start emphasis, links, code, HTML or table
// cells are backslash-escaped, so a node named "<b>|x" shows as written. Newlines become
// spaces (one list item or table cell each).
std::string text(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    switch (ch) {
      case '\\': case '`': case '*': case '_': case '[': case ']': case '<': case '>':
      case '|': case '~': case '#': case '!':
        out += '\\';
        out += ch;
        break;
      case '&': out += "&amp;"; break;
      case '\n': case '\r': out += ' '; break;
      default: out += ch;
    }
  }
  return out;
}

// A code span that survives backticks in the text and, in tables, '|'.
std::string code(std::string_view s) {
  std::string body;
  for (char ch : s) {
    if (ch == '\n' || ch == '\r') ch = ' ';
    if (ch == '|') body += '\\';
    body += ch;
  }
  if (body.find('`') == std::string::npos) return "`" + body + "`";
  return "`` " + body + " ``";
}

std::string_view severity_name(rules::Severity s) { return rules::to_string(s); }

std::string_view icon(const ModelReport& m) {
  if (!m.ok()) return "⚠️";
  return m.result.converts ? "✅" : "❌";
}

std::string plural(std::size_t n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

std::string counts_line(const rules::LintResult& r) {
  return fmt::format("{}, {}, {}", plural(r.counts[0], "error", "errors"),
                     plural(r.counts[1], "warning", "warnings"), plural(r.counts[2], "note", "notes"));
}

std::string target_name(const rules::Profile& p) {
  return fmt::format("{}{}", rules::to_string(p.target), p.allow_custom_ops ? " + custom ops" : "");
}

std::string joined_code(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + code(n);
  return out;
}

std::string rule_link(std::string_view code_id, std::string_view rule) {
  return fmt::format("[{}]({}/blob/main/docs/rules/{}-{}.md)", code_id, kRepositoryUrl, code_id, rule);
}

// Appends pieces while they fit under the limit; remembers what it had to leave out.
class Budget {
 public:
  Budget(std::string& out, std::size_t limit) : out_(out), limit_(limit > kReserve ? limit - kReserve : 0) {}
  /// Appends the piece if it fits. After the first piece that does not, nothing more is
  /// added (a later, smaller piece would make the cut look arbitrary).
  bool add(std::string_view piece) {
    if (full_ || out_.size() + piece.size() > limit_) {
      full_ = true;
      return false;
    }
    out_ += piece;
    return true;
  }
  /// Appends regardless: the closing tag, "N more" lines and the note, for which the reserve
  /// keeps room (each is forced at most once, since nothing is added after the first cut).
  void force(std::string_view piece) { out_ += piece; }

 private:
  std::string& out_;
  std::size_t limit_;
  bool full_ = false;
};

struct CodeCount {
  std::string rule;
  rules::Severity severity = rules::Severity::Note;
  std::size_t findings = 0;
  std::size_t nodes = 0;
};

std::string findings_by_code_table(const std::vector<const ModelReport*>& models, bool count_models) {
  std::map<std::string, CodeCount> by_code;
  std::map<std::string, std::size_t> models_per_code;
  for (const auto* m : models) {
    if (!m->ok()) continue;
    std::map<std::string, bool> seen;
    for (const auto& f : m->result.findings) {
      auto& c = by_code[f.code];
      c.rule = f.rule;
      c.severity = std::min(c.severity, f.severity);  // Error < Warning < Note
      ++c.findings;
      c.nodes += f.nodes.size();
      if (!seen[f.code]) {
        seen[f.code] = true;
        ++models_per_code[f.code];
      }
    }
  }
  if (by_code.empty()) return "";
  std::string out = count_models ? "| Code | Rule | Severity | Findings | Nodes | Models |\n|---|---|---|--:|--:|--:|\n"
                                 : "| Code | Rule | Severity | Findings | Nodes |\n|---|---|---|--:|--:|\n";
  for (const auto& [code_id, c] : by_code) {
    out += fmt::format("| {} | {} | {} | {} | {} |", rule_link(code_id, c.rule), text(c.rule),
                       severity_name(c.severity), c.findings, c.nodes);
    if (count_models) out += fmt::format(" {} |", models_per_code[code_id]);
    out += "\n";
  }
  return out + "\n";
}

std::string plan_lines(const rules::LintResult& r) {
  const auto& p = r.plan;
  std::string out;
  if (!p.flex_ops.empty()) {
    out += fmt::format("**Flex ops needed** (SELECT_TF_OPS): {}", joined_code(p.flex_ops));
    if (!p.binary_size_note.empty()) out += " — " + text(p.binary_size_note);
    out += "\n\n";
  }
  if (!p.custom_ops.empty()) out += fmt::format("**Custom ops needed**: {}\n\n", joined_code(p.custom_ops));
  if (!p.runs_in_play_services) {
    out += "LiteRT in Google Play services cannot run it (no Flex delegate).\n\n";
  }
  if (!p.converter_snippet.empty()) {
    std::string fence = "```";
    while (p.converter_snippet.find(fence) != std::string::npos) fence += '`';
    std::string_view snippet = p.converter_snippet;
    while (snippet.ends_with('\n')) snippet.remove_suffix(1);
    out += fmt::format("<details><summary>Converter settings</summary>\n\n{}{}\n{}\n{}\n\n</details>\n\n",
                       fence, p.snippet_is_shell ? "sh" : "python", snippet, fence);
  }
  return out;
}

std::string finding_item(const rules::Finding& f) {
  std::string out = fmt::format("- **{}** {} {}: {}", severity_name(f.severity), code(f.code),
                                text(f.rule), text(f.message));
  const auto& first = f.nodes.front();
  if (first.location) {
    out += fmt::format(" — at {}", code(fmt::format("{}:{}", first.location->file, first.location->line)));
  }
  out += "\n";
  if (first.path.size() > 1) {
    std::string path;
    for (const auto& p : first.path) path += (path.empty() ? "" : " › ") + p;
    out += fmt::format("  - in {}\n", code(path));
  }
  if (!f.suggestion.empty()) out += fmt::format("  - fix: {}\n", text(f.suggestion));
  return out;
}

// One model's section; false when not even its heading fitted.
// `heading` is "## {icon} litelint:" for a single model, "### {icon}" in a batch.
bool model_section(Budget& budget, const ModelReport& m, std::string_view heading,
                   const rules::Profile& profile) {
  const std::string prefix = fmt::format(fmt::runtime(heading), fmt::arg("icon", icon(m)));
  if (!m.ok()) {
    return budget.add(fmt::format("{} {}: unreadable\n\n{}\n\n", prefix, code(m.path), text(m.error)));
  }
  const auto& r = m.result;
  std::string head = fmt::format("{} {} {} under {}\n\n", prefix, code(m.path),
                                 r.converts ? "converts" : "does not convert", code(target_name(profile)));
  head += fmt::format("**{}** · {} · {}", rules::to_string(r.verdict), text(m.format), counts_line(r));
  if (m.baseline_suppressed > 0) head += fmt::format(" · {} in the baseline", m.baseline_suppressed);
  head += "\n\n";
  head += findings_by_code_table({&m}, false);
  head += plan_lines(r);
  if (m.footprint.measured) head += footprint_markdown(m.footprint, text);
  if (!budget.add(head)) return false;
  if (r.findings.empty()) return true;

  const std::string close = "\n</details>\n\n";
  if (!budget.add(fmt::format("<details><summary>{}</summary>\n\n",
                              plural(r.findings.size(), "finding", "findings")))) {
    return true;
  }
  std::size_t shown = 0;
  for (const auto& f : r.findings) {
    if (f.nodes.empty()) continue;
    if (!budget.add(finding_item(f))) break;
    ++shown;
  }
  if (shown < r.findings.size()) {
    budget.force(fmt::format("- … {} more not shown (length limit); see the JSON or SARIF report\n",
                             r.findings.size() - shown));
  }
  budget.force(close);
  return true;
}

std::string batch_title(const RunReport& run, const Aggregate& a) {
  const std::size_t failing = a.models - a.converting - a.unreadable;
  const std::string target = code(target_name(run.profile));
  if (a.unreadable == 0 && failing == 0) {
    return fmt::format("## ✅ litelint: all {} convert under {}\n\n", plural(a.models, "model", "models"), target);
  }
  if (failing == 0) {
    return fmt::format("## ⚠️ litelint: {} of {} convert under {}, {} unreadable\n\n", a.converting,
                       plural(a.models, "model", "models"), target, a.unreadable);
  }
  std::string title = fmt::format("## ❌ litelint: {} of {} do not convert under {}", failing,
                                  plural(a.models, "model", "models"), target);
  if (a.unreadable > 0) title += fmt::format(", {} unreadable", a.unreadable);
  return title + "\n\n";
}

std::string summary_row(const ModelReport& m) {
  if (!m.ok()) {
    return fmt::format("| ⚠️ | {} | | unreadable: {} | | | | | | | |\n", code(m.path), text(m.error));
  }
  const auto& r = m.result;
  const auto& fp = m.footprint;
  return fmt::format("| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n", icon(m), code(m.path),
                     text(m.format), rules::to_string(r.verdict), r.counts[0], r.counts[1], r.counts[2],
                     text(macs_cell(fp)), fp.measured ? footprint::byte_size(fp.weight_bytes) : "",
                     fp.measured ? footprint::byte_size(fp.peak_activation_bytes) : "",
                     joined_code(r.plan.flex_ops));
}

}  // namespace

std::string render_markdown(const RunReport& run, std::size_t limit) {
  std::string out;
  Budget budget(out, limit);
  std::size_t omitted_rows = 0;
  std::size_t omitted_models = 0;

  if (!run.batch && run.models.size() == 1) {
    const auto& m = run.models.front();
    if (!model_section(budget, m, "## {icon} litelint:", run.profile)) ++omitted_models;
  } else {
    const Aggregate a = aggregate(run);
    budget.add(batch_title(run, a));
    budget.add("| | Model | Format | Verdict | Errors | Warnings | Notes | MACs | Weights | Peak activations | Flex ops |\n"
               "|---|---|---|---|--:|--:|--:|--:|--:|--:|---|\n");
    for (const auto& m : run.models) {
      if (!budget.add(summary_row(m))) ++omitted_rows;
    }
    if (omitted_rows > 0) budget.force(fmt::format("| | … {} more | | | | | | | | | |\n", omitted_rows));
    budget.add(fmt::format("\n{}: {} convert, {} unreadable; {}, {}, {}; {:.0f}% of {} op types convert "
                           "without a fallback\n\n",
                           plural(a.models, "model", "models"), a.converting, a.unreadable,
                           plural(a.errors, "error", "errors"), plural(a.warnings, "warning", "warnings"),
                           plural(a.notes, "note", "notes"), a.op_coverage * 100, a.ops.size()));
    std::vector<const ModelReport*> all;
    for (const auto& m : run.models) all.push_back(&m);
    if (std::string table = findings_by_code_table(all, true); !table.empty()) {
      budget.add("### Findings by code\n\n" + table);
    }
    if (!a.flex_ops.empty()) {
      std::string flex = "### Flex ops needed\n\n";
      for (const auto& [op, n] : a.flex_ops) {
        flex += fmt::format("- {} ({})\n", code(op), plural(n, "model", "models"));
      }
      budget.add(flex + "\n");
    }
    // Clean models are complete in the table; sections only for the ones with something to say.
    for (const auto& m : run.models) {
      if (m.ok() && m.result.findings.empty()) continue;
      if (!model_section(budget, m, "### {icon}", run.profile)) ++omitted_models;
    }
  }
  if (omitted_models > 0 || omitted_rows > 0) {
    budget.force(fmt::format("\n> [!NOTE]\n> Truncated to stay under GitHub's {}-character comment limit: "
                             "{} left out. The JSON and SARIF reports have everything.\n",
                             limit, plural(omitted_models + omitted_rows, "model", "models")));
  }
  return out;
}

}  // namespace litelint::reports
