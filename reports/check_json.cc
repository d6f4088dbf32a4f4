#include "reports/check_json.h"

#include <string>

namespace litelint::reports {
namespace {

using nlohmann::json;

json finding_json(const rules::Finding& f) {
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
              {"op", f.op},
              {"nodes", std::move(nodes)},
              {"impact", std::string(rules::to_string(f.impact))}};
  if (!f.suggestion.empty()) out["suggestion"] = f.suggestion;
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

}  // namespace

json check_json(const rules::LintResult& r) {
  json findings = json::array();
  for (const auto& f : r.findings) findings.push_back(finding_json(f));
  json modes = json::object();
  for (auto m : {rules::Mode::Builtins, rules::Mode::Select, rules::Mode::Custom,
                 rules::Mode::SelectCustom}) {
    modes[std::string(rules::to_string(m))] = r.converts_in_mode[static_cast<std::size_t>(m)];
  }
  return {{"verdict", std::string(rules::to_string(r.verdict))},
          {"converts", r.converts},
          {"target", std::string(rules::to_string(r.profile.target))},
          {"allow_custom_ops", r.profile.allow_custom_ops},
          {"modes", std::move(modes)},
          {"findings", std::move(findings)},
          {"plan", plan_json(r.plan)},
          {"summary",
           {{"errors", r.counts[0]},
            {"warnings", r.counts[1]},
            {"notes", r.counts[2]},
            {"nodes_checked", r.nodes_checked},
            {"functions_checked", r.functions_checked}}}};
}

}  // namespace litelint::reports
