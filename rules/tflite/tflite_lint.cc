#include "rules/tflite/tflite_lint.h"

#include <algorithm>
#include <map>
#include <string>
#include <tuple>
#include <utility>

#include <fmt/format.h>

#include "rules/engine/opdb.h"
#include "rules/engine/plan.h"
#include "rules/engine/registry.h"
#include "rules/engine/verdict.h"
#include "rules/tflite/tflite_rule.h"

namespace litelint::rules {
namespace {

// A grouped message names this many operators, then "and N more" (as the TF engine does).
constexpr std::size_t kNamedNodes = 3;

std::string tflite_group_message(const std::vector<FindingNode>& nodes, const std::string& op,
                                 const std::string& cause) {
  if (op.empty()) return fmt::format("{}: {}", nodes.front().name, cause);
  if (nodes.size() == 1) return fmt::format("{}: {}", nodes[0].name, cause);
  // The op is said once: "3 ADD ops (subgraph 0 / op 1, subgraph 0 / op 4, ...): cause".
  const std::string suffix = fmt::format(" ({})", op);
  std::string names;
  for (std::size_t i = 0; i < nodes.size() && i < kNamedNodes; ++i) {
    if (i) names += ", ";
    std::string_view name = nodes[i].name;
    if (name.ends_with(suffix)) name.remove_suffix(suffix.size());
    names += name;
  }
  if (nodes.size() > kNamedNodes) names += fmt::format(" and {} more", nodes.size() - kNamedNodes);
  return fmt::format("{} {} ops ({}): {}", nodes.size(), op, names, cause);
}

}  // namespace

LintResult lint_tflite(const ir::TfliteModel& model, const LintOptions& options) {
  LintResult result;
  result.profile = make_profile(options.target, options.allow_custom_ops);

  std::vector<const TfliteRule*> rules;
  std::vector<RuleInfo> infos;
  for (const auto& r : all_rules()) {
    const auto* rule = dynamic_cast<const TfliteRule*>(r.get());
    if (rule == nullptr) continue;
    auto info = rule->info();
    if (!rule_applies(info.code, result.profile)) continue;
    rules.push_back(rule);
    infos.push_back(info);
  }
  TfliteContext ctx(model, options, result.profile);
  for (std::size_t i = 0; i < rules.size(); ++i) {
    ctx.set_rule(i);
    rules[i]->check_tflite(ctx);
  }
  for (const auto& sg : model.subgraphs) result.nodes_checked += sg.operators.size();
  result.functions_checked = model.subgraphs.empty() ? 0 : model.subgraphs.size() - 1;

  // One finding per rule, op code, cause and effect, as for TensorFlow graphs.
  using Key = std::tuple<std::size_t, std::string, std::string, std::string, Impact, std::string>;
  std::map<Key, std::size_t> groups;
  std::vector<Finding> all;
  for (auto& raw : ctx.raw_findings()) {
    Key key{raw.rule, raw.op, raw.cause, raw.suggestion, raw.impact, raw.fallback_op};
    auto [it, inserted] = groups.emplace(key, all.size());
    if (inserted) {
      Finding f;
      const RuleInfo& info = infos[raw.rule];
      f.code = std::string(info.code);
      f.rule = std::string(info.name);
      f.severity = raw.severity ? *raw.severity
                                : severity_for(raw.impact, info.severity, result.profile);
      f.cause = raw.cause;
      f.op = raw.op;
      f.suggestion = raw.suggestion;
      f.impact = raw.impact;
      f.fallback_op = raw.fallback_op;
      all.push_back(std::move(f));
    }
    Finding& f = all[it->second];
    if (std::find(f.nodes.begin(), f.nodes.end(), raw.node) == f.nodes.end()) {
      f.nodes.push_back(std::move(raw.node));
    }
  }
  result.message_for = tflite_group_message;
  for (auto& f : all) f.message = tflite_group_message(f.nodes, f.op, f.cause);
  finish_result(result, std::move(all), options);
  // The model is converted already: what remains is what the runtime needs, not converter
  // settings.
  result.plan.converter_snippet.clear();
  return result;
}

std::vector<OpCoverage> op_coverage_tflite(const ir::TfliteModel& model) {
  std::map<std::string, OpCoverage> by_name;
  for (const auto& sg : model.subgraphs) {
    for (const auto& op : sg.operators) {
      if (op.opcode_index >= model.operator_codes.size()) continue;
      const auto& code = model.operator_codes[op.opcode_index];
      const auto name = ir::tflite_op_name(code);
      auto [it, inserted] = by_name.try_emplace(name);
      OpCoverage& c = it->second;
      ++c.count;
      if (!inserted) continue;
      c.op = name;
      if (!code.is_custom()) {
        c.status = "builtin";
        c.builtins = {ir::builtin_op_name(code.builtin_code)};
      } else if (code.custom_code.starts_with("Flex")) {
        c.status = "flex-only";
        c.flex_allowlisted = on_flex_allowlist(std::string_view(code.custom_code).substr(4));
      } else {
        c.status = "custom";
      }
    }
  }
  std::vector<OpCoverage> out;
  out.reserve(by_name.size());
  for (auto& [name, c] : by_name) out.push_back(std::move(c));
  return out;
}

}  // namespace litelint::rules
