#include "reports/sarif_report.h"

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "analyzer/support/sha256.h"
#include "rules/engine/registry.h"

namespace litelint::reports {
namespace {

using nlohmann::json;

constexpr const char* kSarifSchema =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
// Relative model and source paths are relative to where litelint ran, which in CI is the
// repository root; GitHub resolves %SRCROOT% to the checkout.
constexpr const char* kSrcRoot = "%SRCROOT%";
// A result names this many of its nodes as related locations; GitHub shows at most 100, and
// 300 identical entries help nobody.
constexpr std::size_t kRelatedNodes = 50;
// A grouped message names this many nodes, then "and N more" (as the engine does).
constexpr std::size_t kNamedNodes = 3;

std::string_view level(rules::Severity s) {
  switch (s) {
    case rules::Severity::Error: return "error";
    case rules::Severity::Warning: return "warning";
    case rules::Severity::Note: return "note";
  }
  return "note";
}

// SARIF messages are sentences: capitalised, ending in a period (validator rule SARIF2001).
std::string sentence(std::string_view text) {
  std::string out(text);
  while (!out.empty() && (out.back() == ' ' || out.back() == '\n')) out.pop_back();
  if (out.empty()) return out;
  // Capitalise a leading word ("node 'x'" -> "Node 'x'"), never a leading path or name.
  const auto word_end = std::min(out.find(' '), out.size());
  bool word = true;
  for (std::size_t i = 0; i < word_end; ++i) word = word && std::isalpha(static_cast<unsigned char>(out[i]));
  if (word && std::islower(static_cast<unsigned char>(out.front()))) {
    out.front() = static_cast<char>(std::toupper(static_cast<unsigned char>(out.front())));
  }
  if (out.back() != '.' && out.back() != '!' && out.back() != '?') out += '.';
  return out;
}

bool is_absolute_path(std::string_view path) {
  if (path.starts_with('/') || path.starts_with('\\')) return true;
  return path.size() >= 2 && std::isalpha(static_cast<unsigned char>(path[0])) && path[1] == ':';
}

// RFC 3986 path: unreserved characters and '/' stay, everything else is percent-encoded;
// Windows separators become '/'.
std::string encode_uri_path(std::string_view path) {
  std::string out;
  for (char ch : path) {
    const auto c = static_cast<unsigned char>(ch);
    if (ch == '\\') {
      out += '/';
    } else if (std::isalnum(c) || ch == '-' || ch == '.' || ch == '_' || ch == '~' || ch == '/' ||
               (ch == ':' && out.size() == 2 && out.front() == '/')) {  // the ':' of /C:
      out += ch;
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

// artifactLocation of a file path: a file:// URI when absolute, else a relative reference
// against %SRCROOT%.
json artifact_location(std::string_view path) {
  if (is_absolute_path(path)) {
    std::string p(path);
    if (!p.starts_with('/') && !p.starts_with('\\')) p = "/" + p;  // C:\x -> /C:/x
    return {{"uri", "file://" + encode_uri_path(p)}};
  }
  std::string_view rel = path;
  while (rel.starts_with("./")) rel.remove_prefix(2);
  return {{"uri", encode_uri_path(rel)}, {"uriBaseId", kSrcRoot}};
}

std::string joined_path(const std::vector<std::string>& path, std::size_t count) {
  std::string out;
  for (std::size_t i = 0; i < count && i < path.size(); ++i) {
    if (i) out += "::";
    out += path[i];
  }
  return out;
}

// run.logicalLocations: each function on a node's path once, then the node as its member.
class LogicalLocations {
 public:
  /// Index of the node's entry, adding it and its functions when new.
  std::size_t add(const rules::FindingNode& node) {
    std::vector<std::string> path = node.path;
    if (path.empty()) path.push_back(node.name);
    std::ptrdiff_t parent = -1;
    for (std::size_t depth = 1; depth <= path.size(); ++depth) {
      const bool leaf = depth == path.size();
      std::string fqn = joined_path(path, depth);
      auto [it, inserted] = index_.try_emplace(fqn, entries_.size());
      if (inserted) {
        json entry = {{"name", path[depth - 1]},
                      {"fullyQualifiedName", fqn},
                      {"kind", leaf ? "member" : "function"}};
        if (parent >= 0) entry["parentIndex"] = parent;
        entries_.push_back(std::move(entry));
      }
      parent = static_cast<std::ptrdiff_t>(it->second);
    }
    return static_cast<std::size_t>(parent);
  }
  const json& entry(std::size_t i) const { return entries_.at(i); }
  json take() { return std::move(entries_); }

 private:
  std::map<std::string, std::size_t> index_;
  json entries_ = json::array();
};

std::string rule_help_uri(std::string_view code, std::string_view name) {
  return fmt::format("{}/blob/main/docs/rules/{}-{}.md", kRepositoryUrl, code, name);
}

// The rule doc without Markdown headings, for clients that show only plain text.
std::string doc_text(std::string_view doc) {
  std::string out;
  while (!doc.empty()) {
    const auto nl = doc.find('\n');
    std::string_view line = doc.substr(0, nl);
    if (line.starts_with("## ")) {
      if (!out.empty()) out += '\n';
      line.remove_prefix(3);
    }
    if (!(out.empty() && line.empty())) {
      out += line;
      out += '\n';
    }
    if (nl == std::string_view::npos) break;
    doc.remove_prefix(nl + 1);
  }
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

// The "## What it does" paragraph on one line: the rule's full description.
std::string what_it_does(std::string_view doc, std::string_view fallback) {
  const auto start = doc.find("## What it does\n");
  if (start == std::string_view::npos) return std::string(fallback);
  doc.remove_prefix(start + 16);
  const auto end = doc.find("\n## ");
  doc = doc.substr(0, end);
  std::string out;
  for (char ch : doc) {
    if (ch == '\n') ch = ' ';
    if (ch == ' ' && (out.empty() || out.back() == ' ')) continue;
    out += ch;
  }
  return out.empty() ? std::string(fallback) : out;
}

std::string_view trim_newlines(std::string_view text) {
  while (text.starts_with('\n')) text.remove_prefix(1);
  return text;
}

json rule_json(const rules::RuleInfo& info) {
  json rule = {
      {"id", info.code},
      {"name", info.name},
      {"shortDescription", {{"text", sentence(info.summary)}}},
      {"fullDescription", {{"text", sentence(what_it_does(info.doc, info.summary))}}},
      {"helpUri", rule_help_uri(info.code, info.name)},
      {"help",
       {{"text", doc_text(info.doc)},
        {"markdown", fmt::format("# {} {}\n\n{}", info.code, info.name, trim_newlines(info.doc))}}},
      {"defaultConfiguration", {{"level", level(info.severity)}}},
      {"properties", {{"tags", {"tflite", "compatibility"}}}},
  };
  return rule;
}

std::string fingerprint(const ModelReport& model, const rules::Finding& f,
                        const rules::FindingNode& node) {
  return support::sha256_hex(
      fmt::format("{}\x1f{}\x1f{}", model.path, f.code, joined_path(node.path, node.path.size())));
}

json source_location(const rules::SourceLocation& loc) {
  json physical = {{"artifactLocation", artifact_location(loc.file)}};
  if (loc.line > 0) physical["region"] = {{"startLine", loc.line}};
  return physical;
}

struct RunBuilder {
  const RunReport& run;
  std::map<std::string_view, std::size_t> rule_index;
  json rules = json::array();
  json artifacts = json::array();
  json results = json::array();
  json notifications = json::array();
  LogicalLocations logical;
  std::map<std::string, int> fingerprints_seen;

  explicit RunBuilder(const RunReport& r) : run(r) {
    for (const auto& rule : rules::all_rules()) {
      const auto info = rule->info();
      rule_index.emplace(info.code, rules.size());
      rules.push_back(rule_json(info));
    }
  }

  // A location: the Python line when known, else the model file; and the node.
  json location(const json& model_physical, const rules::FindingNode& node) {
    const std::size_t index = logical.add(node);
    json loc = {{"physicalLocation", node.location ? source_location(*node.location) : model_physical},
                {"logicalLocations",
                 json::array({{{"index", index},
                               {"fullyQualifiedName", logical.entry(index)["fullyQualifiedName"]}}})}};
    return loc;
  }

  void add_result(const ModelReport& model, const json& model_physical, const rules::Finding& f,
                  const NodeGroup& group) {
    const rules::FindingNode& first = *group.nodes.front();
    std::string text = sentence(group_message(f, group));
    if (!f.suggestion.empty()) text += " Suggestion: " + sentence(f.suggestion);
    json result = {{"ruleId", f.code}, {"level", level(f.severity)}, {"message", {{"text", text}}}};
    if (auto it = rule_index.find(f.code); it != rule_index.end()) result["ruleIndex"] = it->second;
    result["locations"] = json::array({location(model_physical, first)});
    json related = json::array();
    for (std::size_t i = 1; i < group.nodes.size() && i <= kRelatedNodes; ++i) {
      json loc = location(model_physical, *group.nodes[i]);
      loc["id"] = i;
      loc["message"] = {{"text", fmt::format("Node '{}'.", group.nodes[i]->name)}};
      related.push_back(std::move(loc));
    }
    if (!related.empty()) result["relatedLocations"] = std::move(related);
    // Stable across runs as long as the model path, rule and first node stay; a second group
    // keyed the same (one node, two causes of one code) is numbered so GitHub keeps both.
    std::string key = fingerprint(model, f, first);
    if (const int seen = fingerprints_seen[key]++; seen > 0) key += fmt::format(":{}", seen);
    result["partialFingerprints"] = {{"litelintFinding/v1", key}};
    json props = {{"model", model.path},
                  {"rule", f.rule},
                  {"nodeCount", group.nodes.size()},
                  {"impact", std::string(rules::to_string(f.impact))}};
    if (!f.op.empty()) props["op"] = f.op;
    if (!f.fallback_op.empty()) props["fallbackOp"] = f.fallback_op;
    result["properties"] = std::move(props);
    results.push_back(std::move(result));
  }

  void add_model(const ModelReport& model) {
    const std::size_t artifact_index = artifacts.size();
    const std::string file = model.ok() ? model_main_file(model) : model.path;
    json artifact = {{"location", artifact_location(file)}, {"roles", {"analysisTarget"}}};
    if (!model.sha256.empty()) artifact["hashes"] = {{"sha-256", model.sha256}};
    if (!model.format.empty()) artifact["properties"] = {{"format", model.format}};
    artifacts.push_back(std::move(artifact));

    // GitHub code scanning needs a line (region.startLine) on every result; a finding about
    // the model as a whole sits on its first line.
    json physical = {{"artifactLocation", artifact_location(file)}, {"region", {{"startLine", 1}}}};
    physical["artifactLocation"]["index"] = artifact_index;
    if (!model.ok()) {
      notifications.push_back({{"level", "error"},
                               {"message", {{"text", sentence(model.error)}}},
                               {"locations", {{{"physicalLocation", physical}}}}});
      return;
    }
    for (const auto& f : model.result.findings) {
      if (f.nodes.empty()) continue;
      for (const auto& group : group_by_source_line(f)) add_result(model, physical, f, group);
    }
  }

  json build() {
    for (const auto& m : run.models) add_model(m);
    const int exit = exit_code(run);
    json invocation = {{"executionSuccessful", exit != 2}, {"exitCode", exit}};
    if (!notifications.empty()) invocation["toolExecutionNotifications"] = std::move(notifications);
    json driver = {{"name", "litelint"},
                   {"version", run.tool_version},
                   {"semanticVersion", run.tool_version},
                   {"informationUri", kRepositoryUrl},
                   {"rules", std::move(rules)}};
    json run_json = {{"tool", {{"driver", std::move(driver)}}},
                     {"invocations", json::array({std::move(invocation)})},
                     {"artifacts", std::move(artifacts)},
                     {"results", std::move(results)},
                     {"columnKind", "unicodeCodePoints"},
                     {"properties",
                      {{"target", std::string(rules::to_string(run.profile.target))},
                       {"allowCustomOps", run.profile.allow_custom_ops}}}};
    json logical_entries = logical.take();
    if (!logical_entries.empty()) run_json["logicalLocations"] = std::move(logical_entries);
    return {{"$schema", kSarifSchema}, {"version", "2.1.0"}, {"runs", json::array({std::move(run_json)})}};
  }
};

std::string_view file_name_of(std::string_view path) {
  const auto slash = path.find_last_of("/\\");
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

}  // namespace

std::string model_main_file(const ModelReport& model) {
  std::string_view main;
  if (model.format == "savedmodel") main = "saved_model.pb";
  if (model.format == "savedmodel-text") main = "saved_model.pbtxt";
  if (model.format == "savedmodel-chunked") main = "saved_model.cpb";
  if (model.format == "graph-model" && !model.path.ends_with(".json")) main = "model.json";
  if (main.empty() || file_name_of(model.path) == main) return model.path;
  std::string dir = model.path;
  while (dir.size() > 1 && (dir.back() == '/' || dir.back() == '\\')) dir.pop_back();
  return dir + "/" + std::string(main);
}

std::vector<NodeGroup> group_by_source_line(const rules::Finding& finding) {
  std::vector<NodeGroup> groups;
  std::map<std::pair<std::string, std::int32_t>, std::size_t> by_line;
  std::ptrdiff_t unlocated = -1;
  for (const auto& node : finding.nodes) {
    if (!node.location) {
      if (unlocated < 0) {
        unlocated = static_cast<std::ptrdiff_t>(groups.size());
        groups.push_back({});
      }
      groups[static_cast<std::size_t>(unlocated)].nodes.push_back(&node);
      continue;
    }
    auto [it, inserted] = by_line.try_emplace({node.location->file, node.location->line}, groups.size());
    if (inserted) groups.push_back({&*node.location, {}});
    groups[it->second].nodes.push_back(&node);
  }
  return groups;
}

std::string group_message(const rules::Finding& f, const NodeGroup& group) {
  if (group.nodes.size() == f.nodes.size()) return f.message;
  const std::string op = f.op.empty() ? "" : fmt::format(" ({})", f.op);
  if (group.nodes.size() == 1) {
    return fmt::format("node '{}'{}: {}", group.nodes[0]->name, op, f.cause);
  }
  std::string names;
  for (std::size_t i = 0; i < group.nodes.size() && i < kNamedNodes; ++i) {
    if (i) names += ", ";
    names += fmt::format("'{}'", group.nodes[i]->name);
  }
  if (group.nodes.size() > kNamedNodes) {
    names += fmt::format(" and {} more", group.nodes.size() - kNamedNodes);
  }
  return fmt::format("nodes {}{}: {}", names, op, f.cause);
}

std::string render_sarif(const RunReport& run) {
  // Node names and paths come from the model: invalid UTF-8 becomes U+FFFD instead of an
  // exception from dump().
  return RunBuilder(run).build().dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace litelint::reports
