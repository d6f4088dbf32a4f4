#include "cli/baseline.h"

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analyzer/support/file.h"

namespace litelint::cli {
namespace {

constexpr std::uint64_t kMaxBaselineBytes = 512ull << 20;

// json::value throws when the key holds another type; a baseline is user input, so read
// strings leniently instead.
std::string string_at(const nlohmann::json& obj, const char* key) {
  const auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// Path "" stands for "the only model" of a single-model baseline.
void add_model(const nlohmann::json& doc, const std::string& path, std::set<std::tuple<std::string, std::string, std::string, std::string>>& keys) {
  const auto findings = doc.find("findings");
  if (findings == doc.end() || !findings->is_array()) return;
  for (const auto& f : *findings) {
    if (!f.is_object()) continue;
    const std::string code = string_at(f, "code");
    const std::string op = string_at(f, "op");
    const auto nodes = f.find("nodes");
    if (nodes == f.end() || !nodes->is_array()) continue;
    // A graph-level finding without nodes is keyed by node name "".
    if (nodes->empty()) keys.emplace(path, code, op, "");
    for (const auto& n : *nodes) {
      if (n.is_object()) keys.emplace(path, code, op, string_at(n, "name"));
    }
  }
}

// The finding's message after some of its nodes were baselined: it must not name them. Same
// wording as the engine's grouped messages (rules/engine/engine.cc group_message).
// TODO(#6): share one message builder with the engine instead of repeating its format.
std::string message_for(const std::vector<rules::FindingNode>& nodes, const std::string& op,
                        const std::string& cause) {
  constexpr std::size_t kNamedNodes = 3;
  if (nodes.size() == 1) return "node '" + nodes[0].name + "' (" + op + "): " + cause;
  std::string names;
  for (std::size_t i = 0; i < nodes.size() && i < kNamedNodes; ++i) {
    names += (i > 0 ? ", '" : "'") + nodes[i].name + "'";
  }
  if (nodes.size() > kNamedNodes) names += " and " + std::to_string(nodes.size() - kNamedNodes) + " more";
  return "nodes " + names + " (" + op + "): " + cause;
}

std::string model_path(const nlohmann::json& doc) {
  const auto model = doc.find("model");
  if (model == doc.end() || !model->is_object()) return "";
  return string_at(*model, "path");
}

}  // namespace

Expected<Baseline> Baseline::read(const std::filesystem::path& file) {
  auto text = read_file(file, kMaxBaselineBytes);
  if (!text) return tl::unexpected(text.error());
  nlohmann::json doc = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  const auto bad = [&](const std::string& reason) {
    return tl::unexpected<Error>(Error(ErrorCode::Usage, "baseline: " + reason).in_file(file.string()));
  };
  if (doc.is_discarded() || !doc.is_object()) return bad("not a litelint JSON report");
  Baseline b;
  if (const auto models = doc.find("models"); models != doc.end() && models->is_array()) {
    for (const auto& m : *models) {
      if (m.is_object()) add_model(m, model_path(m), b.keys_);
    }
  } else if (doc.contains("findings")) {
    b.single_model_ = true;
    add_model(doc, "", b.keys_);
  } else {
    return bad("no 'findings' or 'models' (not a litelint check --format json report)");
  }
  return b;
}

void Baseline::apply(reports::ModelReport& model, bool single_model_run) const {
  if (!model.ok()) return;
  const std::string path = single_model_ && single_model_run ? "" : model.path;
  if (single_model_ && !single_model_run) return;
  auto& result = model.result;
  std::vector<rules::Finding> kept;
  for (auto& f : result.findings) {
    if (f.nodes.empty()) {
      if (keys_.count({path, f.code, f.op, ""}) > 0) {
        ++model.baseline_suppressed;
      } else {
        kept.push_back(std::move(f));
      }
      continue;
    }
    std::vector<rules::FindingNode> nodes;
    for (auto& n : f.nodes) {
      if (keys_.count({path, f.code, f.op, n.name}) > 0) {
        ++model.baseline_suppressed;
      } else {
        nodes.push_back(std::move(n));
      }
    }
    if (nodes.empty()) continue;
    if (nodes.size() != f.nodes.size()) f.message = message_for(nodes, f.op, f.cause);
    f.nodes = std::move(nodes);
    kept.push_back(std::move(f));
  }
  result.findings = std::move(kept);
  result.counts = {0, 0, 0};
  for (const auto& f : result.findings) ++result.counts[static_cast<std::size_t>(f.severity)];
}

}  // namespace litelint::cli
