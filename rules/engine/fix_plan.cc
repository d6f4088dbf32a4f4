#include "rules/engine/fix_plan.h"

#include <nlohmann/json.hpp>

namespace litelint::rules {
namespace {

using nlohmann::json;

std::optional<Applicability> parse_safety(std::string_view s) {
  if (s == "safe") return Applicability::Safe;
  if (s == "unsafe") return Applicability::Unsafe;
  if (s == "display-only") return Applicability::DisplayOnly;
  return std::nullopt;
}

Expected<FixRecord> parse_decision(const json& d, std::size_t index) {
  const std::string where = "decisions[" + std::to_string(index) + "]";
  const auto bad = [&](const std::string& why) { return fail(ErrorCode::BadInput, "fix plan: " + where + ": " + why); };
  if (!d.is_object()) return bad("not an object");
  for (const char* key : {"rule", "fix", "body", "nodes", "fingerprint", "parameters", "decision", "safety"}) {
    if (!d.contains(key)) return bad("missing '" + std::string(key) + "'");
  }
  FixRecord r;
  if (!d["rule"].is_string() || !d["fix"].is_string() || !d["body"].is_string() || !d["fingerprint"].is_string() ||
      !d["decision"].is_string() || !d["safety"].is_string()) {
    return bad("rule, fix, body, fingerprint, decision and safety must be strings");
  }
  r.code = d["rule"].get<std::string>();
  r.match.fix_id = d["fix"].get<std::string>();
  r.match.body = d["body"].get<std::string>();
  r.fingerprint = d["fingerprint"].get<std::string>();
  const std::string decision = d["decision"].get<std::string>();
  if (decision != "accepted" && decision != "declined") return bad("decision must be 'accepted' or 'declined'");
  r.accepted = decision == "accepted";
  auto safety = parse_safety(d["safety"].get<std::string>());
  if (!safety) return bad("unknown safety '" + d["safety"].get<std::string>() + "'");
  r.safety = *safety;
  if (!d["nodes"].is_array() || d["nodes"].empty()) return bad("'nodes' must be a non-empty array");
  for (const auto& n : d["nodes"]) {
    if (!n.is_string()) return bad("'nodes' must hold strings");
    r.match.nodes.push_back(n.get<std::string>());
  }
  if (!d["parameters"].is_object()) return bad("'parameters' must be an object");
  for (const auto& [key, value] : d["parameters"].items()) {
    if (!value.is_string()) return bad("parameter '" + key + "' must be a string");
    r.match.params[key] = value.get<std::string>();
  }
  if (d.contains("reason") && d["reason"].is_string()) r.reason = d["reason"].get<std::string>();
  if (d.contains("summary") && d["summary"].is_string()) r.match.summary = d["summary"].get<std::string>();
  return r;
}

}  // namespace

std::string render_fix_plan(const FixPlan& plan) {
  json doc;
  doc["schema_version"] = std::string(kFixPlanVersion);
  doc["kind"] = "litelint-fix-plan";
  doc["tool"] = {{"name", "litelint"}, {"version", plan.tool_version}};
  doc["model"] = {{"path", plan.model_path}, {"format", plan.model_format}, {"sha256", plan.model_sha256}};
  doc["target"] = plan.target;
  json decisions = json::array();
  for (const auto& r : plan.decisions) {
    json d;
    d["rule"] = r.code;
    d["fix"] = r.match.fix_id;
    d["safety"] = std::string(to_string(r.safety));
    d["body"] = r.match.body;
    d["nodes"] = r.match.nodes;
    d["fingerprint"] = r.fingerprint;
    d["parameters"] = json::object();
    for (const auto& [key, value] : r.match.params) d["parameters"][key] = value;
    d["decision"] = r.accepted ? "accepted" : "declined";
    if (!r.reason.empty()) d["reason"] = r.reason;
    d["summary"] = r.match.summary;
    decisions.push_back(std::move(d));
  }
  doc["decisions"] = std::move(decisions);
  return doc.dump(2) + "\n";
}

Expected<FixPlan> parse_fix_plan(std::string_view text) {
  // nlohmann throws on bad JSON; the plan is user input, so the error becomes a value here.
  json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return fail(ErrorCode::BadInput, "fix plan: not valid JSON");
  if (!doc.is_object()) return fail(ErrorCode::BadInput, "fix plan: not a JSON object");
  if (!doc.contains("kind") || doc["kind"] != "litelint-fix-plan") {
    return fail(ErrorCode::BadInput, "fix plan: 'kind' is not 'litelint-fix-plan'");
  }
  if (!doc.contains("schema_version") || !doc["schema_version"].is_string()) {
    return fail(ErrorCode::BadInput, "fix plan: no 'schema_version'");
  }
  const std::string version = doc["schema_version"].get<std::string>();
  // Minor versions only add keys: a 1.x plan is read by this 1.0 reader.
  if (!version.starts_with("1.")) {
    return fail(ErrorCode::BadInput, "fix plan: schema_version " + version + " is not 1.x");
  }
  FixPlan plan;
  const auto str = [&](const json& obj, const char* key) {
    return obj.is_object() && obj.contains(key) && obj[key].is_string() ? obj[key].get<std::string>() : std::string();
  };
  if (doc.contains("tool")) plan.tool_version = str(doc["tool"], "version");
  if (doc.contains("model")) {
    plan.model_path = str(doc["model"], "path");
    plan.model_format = str(doc["model"], "format");
    plan.model_sha256 = str(doc["model"], "sha256");
  }
  plan.target = str(doc, "target");
  if (plan.target.empty()) return fail(ErrorCode::BadInput, "fix plan: no 'target'");
  if (!doc.contains("decisions") || !doc["decisions"].is_array()) {
    return fail(ErrorCode::BadInput, "fix plan: 'decisions' must be an array");
  }
  for (std::size_t i = 0; i < doc["decisions"].size(); ++i) {
    auto r = parse_decision(doc["decisions"][i], i);
    if (!r) return tl::unexpected(r.error());
    plan.decisions.push_back(std::move(*r));
  }
  return plan;
}

}  // namespace litelint::rules
