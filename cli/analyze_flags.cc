#include "cli/analyze_flags.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <tuple>
#include <string_view>
#include <filesystem>
#include <utility>

#include "analyzer/support/input_limits.h"
#include "cli/did_you_mean.h"
#include "rules/engine/fix_apply.h"
#include "rules/engine/registry.h"

namespace litelint::cli {
namespace {

// --select/--ignore entries are code prefixes ("LL2", "LL201") or rule names; one that matches
// no rule is a typo that would silently select nothing, so it is a usage error.
std::optional<std::string> unknown_rule_selector(const std::vector<std::string>& selectors,
                                                 std::string_view flag) {
  std::vector<std::string> known;
  for (const auto& rule : rules::all_rules()) {
    known.emplace_back(rule->info().code);
    known.emplace_back(rule->info().name);
  }
  for (const auto& sel : selectors) {
    const bool matches = std::any_of(known.begin(), known.end(), [&](const std::string& k) {
      return k.starts_with("LL") ? k.starts_with(sel) : k == sel;
    });
    if (!matches) {
      return std::string(flag) + ": " +
             unknown_name_message("rule code or name", sel, known, "see litelint rules");
    }
  }
  return std::nullopt;
}

// The fix `litelint fix` would propose first for each finding (with its default options), so
// that reports show what fixing would do; .tflite models have no fixes (fix rewrites TF graphs).
std::vector<reports::FindingFix> finding_fixes(const rules::Analysis& analysis) {
  std::vector<reports::FindingFix> out;
  if (analysis.model.graphs.empty() || analysis.model.format == ir::Format::Tflite) return out;
  for (const auto& f : analysis.result.findings) {
    const auto proposals = rules::proposals_for(f, analysis.model.graph(), rules::FixOptions{});
    if (proposals.empty()) continue;
    const auto& p = proposals.front();
    const rules::FixInfo info = p.fix->info();
    reports::FindingFix fix{f.code, {}, p.match.fix_id, info.safety, std::string(info.title),
                            std::string(info.change), p.match.summary};
    for (const auto& n : f.nodes) fix.nodes.push_back(n.name);
    out.push_back(std::move(fix));
  }
  return out;
}

}  // namespace

Expected<FileConfig> read_config(const std::string& config_flag) {
  return config_flag.empty() ? find_config(std::filesystem::current_path())
                             : parse_config_file(config_flag);
}

Expected<rules::AnalyzeOptions> merge_options(const AnalyzeFlags& flags, const FileConfig& cfg) {
  rules::AnalyzeOptions s;
  if (auto set = set_input_limits(flags.limits); !set) return unexpected(set.error());
  const std::string target = !flags.target.empty() ? flags.target : cfg.target.value_or("builtins");
  auto parsed = rules::parse_target(target);
  if (!parsed) {
    const std::vector<std::string> targets = {"builtins", "select-tf-ops", "gpu", "xnnpack", "nnapi", "edgetpu"};
    return fail(ErrorCode::Usage, "--target: " + unknown_name_message("target", target, targets,
                                                                      "builtins, select-tf-ops, gpu, xnnpack, nnapi, edgetpu"));
  }
  s.lint.target = *parsed;
  s.lint.allow_custom_ops = flags.allow_custom_ops || cfg.allow_custom_ops.value_or(false);
  s.lint.select = !flags.select.empty() ? flags.select : cfg.select.value_or(std::vector<std::string>{});
  s.lint.ignore = !flags.ignore.empty() ? flags.ignore : cfg.ignore.value_or(std::vector<std::string>{});
  if (auto bad = unknown_rule_selector(s.lint.select, "--select")) return fail(ErrorCode::Usage, *bad);
  if (auto bad = unknown_rule_selector(s.lint.ignore, "--ignore")) return fail(ErrorCode::Usage, *bad);
  if (!flags.tags.empty()) {
    s.load.tags = flags.tags;
    s.load.tags_given = true;
  } else if (cfg.tags) {
    s.load.tags = *cfg.tags;
    s.load.tags_given = true;
  }
  // One signature is linted alone; several (convert's repeated --signature) are linted
  // together as "every signature", a superset the converter then narrows to those named.
  const std::string signature = flags.signatures.size() == 1 ? flags.signatures.front()
                                : flags.signatures.empty()   ? cfg.signature.value_or("")
                                                             : "";
  if (!signature.empty()) s.load.signature = signature;
  s.lint.signature = signature;
  s.lint.outputs = flags.outputs;
  s.lint.inputs = flags.inputs;
  s.per_node_ignores = cfg.per_node_ignores;
  s.lint.budgets = cfg.budgets;
  for (auto [flag, text, budget] : {std::tuple{"--max-weight-bytes", &flags.max_weight_bytes, &s.lint.budgets.max_weight_bytes},
                                    std::tuple{"--max-macs", &flags.max_macs, &s.lint.budgets.max_macs},
                                    std::tuple{"--max-activation-bytes", &flags.max_activation_bytes,
                                               &s.lint.budgets.max_activation_bytes}}) {
    if (text->empty()) continue;
    auto value = footprint::parse_budget(*text, flag);
    if (!value) return unexpected(value.error());
    *budget = *value;  // flags win over the config file
  }
  return s;
}

std::vector<std::string> split_commas(const std::vector<std::string>& values) {
  std::vector<std::string> out;
  for (const auto& v : values) {
    std::size_t start = 0;
    while (start <= v.size()) {
      const auto comma = v.find(',', start);
      const auto piece = v.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      if (!piece.empty()) out.push_back(piece);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  return out;
}

reports::ModelReport model_report(const std::string& path, const rules::ModelFacts& facts,
                                  rules::Analysis& analysis) {
  reports::ModelReport report;
  report.path = path;
  report.format = facts.format;
  report.size = facts.size;
  report.sha256 = facts.sha256;
  report.fixes = finding_fixes(analysis);
  report.result = std::move(analysis.result);
  report.op_coverage = std::move(analysis.op_coverage);
  report.footprint = std::move(analysis.footprint);
  const auto& t = analysis.times;
  report.timings = {t.load_ms, t.shapes_ms, t.lint_ms, t.total_ms};
  return report;
}

bool reproducible() {
  const char* value = std::getenv("LITELINT_REPRODUCIBLE");
  return value != nullptr && *value != '\0' && *value != '0';
}

bool color_wanted(const std::string& mode) {
  if (mode == "always") return true;
  if (mode == "never") return false;
  const char* no_color = std::getenv("NO_COLOR");
  return isatty(STDOUT_FILENO) == 1 && (no_color == nullptr || *no_color == '\0');
}

}  // namespace litelint::cli
