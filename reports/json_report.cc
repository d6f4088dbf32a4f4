#include "reports/json_report.h"

#include <string>

#include "reports/aggregate.h"
#include "reports/footprint_report.h"
#include "rules/engine/fix.h"

namespace litelint::reports {
namespace {

using nlohmann::json;

json fix_json(const FindingFix& fix) {
  json out = {{"id", fix.id},
              {"safety", std::string(rules::to_string(fix.safety))},
              {"title", fix.title},
              {"summary", fix.summary}};
  if (!fix.change.empty()) out["change"] = fix.change;
  return out;
}

json finding_json(const rules::Finding& f, const FindingFix* fix) {
  json nodes = json::array();
  for (const auto& n : f.nodes) {
    json node = {{"name", n.name}, {"path", n.path}};
    if (n.location) {
      node["source"] = {{"file", n.location->file},
                        {"line", n.location->line},
                        {"function", n.location->function}};
    }
    nodes.push_back(std::move(node));
  }
  json out = {{"code", f.code},
              {"rule", f.rule},
              {"severity", std::string(rules::to_string(f.severity))},
              {"message", f.message},
              {"cause", f.cause},
              {"op", f.op},
              {"nodes", std::move(nodes)},
              {"impact", std::string(rules::to_string(f.impact))}};
  if (!f.suggestion.empty()) out["suggestion"] = f.suggestion;
  if (!f.fallback_op.empty()) out["fallback_op"] = f.fallback_op;
  if (fix != nullptr) out["fix"] = fix_json(*fix);
  return out;
}

json plan_json(const rules::Plan& p) {
  json custom = json::array();
  for (const auto& c : p.custom_op_details) custom.push_back({{"name", c.name}, {"reason", c.reason}});
  return {{"flex_ops", p.flex_ops},
          {"custom_ops", p.custom_ops},
          {"custom_op_details", std::move(custom)},
          {"select_tf_ops", p.select_tf_ops},
          {"allow_custom_ops", p.allow_custom_ops},
          {"lower_tensor_list_ops", !p.keep_tensor_list_ops},
          {"enable_resource_variables", p.enable_resource_variables},
          {"converter_snippet", p.converter_snippet},
          {"selective_build_ops", p.selective_build_ops},
          {"binary_size_mb", p.binary_size_mb},
          {"binary_size_note", p.binary_size_note},
          {"runs_in_play_services", p.runs_in_play_services},
          {"custom_op_registration", p.custom_op_registration}};
}

json op_stats_json(const std::vector<rules::OpCoverage>& ops) {
  json out = json::array();
  for (const auto& op : ops) {
    out.push_back({{"op", op.op},
                   {"count", op.count},
                   {"status", op.status},
                   {"builtins", op.builtins},
                   {"flex_allowlisted", op.flex_allowlisted}});
  }
  return out;
}

json model_info_json(const ModelReport& m) {
  json info = {{"path", m.path}, {"size", m.size}};
  if (!m.format.empty()) info["format"] = m.format;
  if (!m.sha256.empty()) info["sha256"] = m.sha256;
  return info;
}

json target_json(const rules::Profile& p) { return std::string(rules::to_string(p.target)); }

json tool_json(const RunReport& run) {
  return {{"name", "litelint"}, {"version", run.tool_version}};
}

json aggregate_json(const RunReport& run) {
  const Aggregate a = aggregate(run);
  json ops = json::object();
  for (const auto& [op, agg] : a.ops) {
    ops[op] = {{"nodes", agg.nodes}, {"models", agg.models}, {"status", agg.status}};
  }
  return {{"models", a.models},
          {"unreadable", a.unreadable},
          {"converting", a.converting},
          {"verdicts", a.verdicts},
          {"findings_by_code", a.findings_by_code},
          {"errors", a.errors},
          {"warnings", a.warnings},
          {"notes", a.notes},
          {"ops", std::move(ops)},
          {"op_coverage", a.op_coverage},
          {"flex_ops", a.flex_ops},
          {"custom_ops", a.custom_ops},
          {"bytes", a.bytes}};
}

}  // namespace

json model_json(const ModelReport& m) {
  if (!m.ok()) return {{"model", model_info_json(m)}, {"error", m.error}};
  const auto& r = m.result;
  json findings = json::array();
  for (const auto& f : r.findings) findings.push_back(finding_json(f, fix_for(m, f)));
  json modes = json::object();
  for (auto mode : {rules::Mode::Builtins, rules::Mode::Select, rules::Mode::Custom,
                    rules::Mode::SelectCustom}) {
    modes[std::string(rules::to_string(mode))] = r.converts_in_mode[static_cast<std::size_t>(mode)];
  }
  json doc = {{"model", model_info_json(m)},
              {"verdict", std::string(rules::to_string(r.verdict))},
              {"converts", r.converts},
              {"target", target_json(r.profile)},
              {"allow_custom_ops", r.profile.allow_custom_ops},
              {"modes", std::move(modes)},
              {"findings", std::move(findings)},
              {"plan", plan_json(r.plan)},
              {"op_stats", op_stats_json(m.op_coverage)},
              {"timings",
               {{"load_ms", m.timings.load_ms},
                {"shapes_ms", m.timings.shapes_ms},
                {"lint_ms", m.timings.lint_ms},
                {"total_ms", m.timings.total_ms}}},
              {"summary",
               {{"errors", r.counts[0]},
                {"warnings", r.counts[1]},
                {"notes", r.counts[2]},
                {"nodes_checked", r.nodes_checked},
                {"functions_checked", r.functions_checked}}}};
  if (m.baseline_suppressed > 0) doc["summary"]["baseline_suppressed"] = m.baseline_suppressed;
  if (m.footprint.measured) doc["footprint"] = footprint_json(m.footprint);
  return doc;
}

json run_json(const RunReport& run) {
  if (!run.batch && run.models.size() == 1) {
    // The model's own object plus the run's keys (objects keep their keys sorted, so the
    // order of insertion does not show; built in place rather than merged with a copy).
    json doc = model_json(run.models.front());
    doc["schema_version"] = kJsonSchemaVersion;
    doc["tool"] = tool_json(run);
    if (!run.baseline.empty()) doc["baseline"] = run.baseline;
    return doc;
  }
  json models = json::array();
  for (const auto& m : run.models) models.push_back(model_json(m));
  json doc = {{"schema_version", kJsonSchemaVersion},
              {"tool", tool_json(run)},
              {"target", target_json(run.profile)},
              {"allow_custom_ops", run.profile.allow_custom_ops},
              {"models", std::move(models)},
              {"aggregate", aggregate_json(run)}};
  if (!run.baseline.empty()) doc["baseline"] = run.baseline;
  return doc;
}

std::string dump_json(const json& doc) {
  return doc.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

std::string render_json(const RunReport& run) { return dump_json(run_json(run)); }

}  // namespace litelint::reports
