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
  model.baseline_suppressed += rules::drop_nodes(
      model.result, [&](const rules::Finding& f, const rules::FindingNode& n) {
        return keys_.count({path, f.code, f.op, n.name}) > 0;
      });
}

}  // namespace litelint::cli
