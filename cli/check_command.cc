#include "cli/check_command.h"

#include <unistd.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "analyzer/loaders/load.h"
#include "analyzer/passes/infer_shapes.h"
#include "cli/config.h"
#include "reports/check_json.h"
#include "reports/check_text.h"
#include "rules/engine/engine.h"
#include "rules/engine/profiles.h"

namespace litelint::cli {
namespace {

constexpr int kExitClean = 0;
constexpr int kExitFindings = 1;
constexpr int kExitBadInput = 2;

struct CheckFlags {
  std::vector<std::string> paths;
  std::string target;
  bool allow_custom_ops = false;
  std::string format = "text";
  std::vector<std::string> select;
  std::vector<std::string> ignore;
  std::string config;
  std::string tags;
  std::string signature;
  std::vector<std::string> inputs;
  std::vector<std::string> outputs;
};

// Settings after merging: flags win over the config file, which wins over defaults.
struct Settings {
  rules::LintOptions lint;
  analyzer::LoadOptions load;
  std::map<std::string, std::vector<std::string>> per_node_ignores;
};

bool has_prefix_in(const std::string& code, const std::vector<std::string>& prefixes) {
  for (const auto& p : prefixes) {
    if (code.rfind(p, 0) == 0) return true;
  }
  return false;
}

Expected<Settings> merge(const CheckFlags& flags, const FileConfig& cfg) {
  Settings s;
  const std::string target = !flags.target.empty() ? flags.target : cfg.target.value_or("builtins");
  auto parsed = rules::parse_target(target);
  if (!parsed) return fail(ErrorCode::Usage, "--target: unknown target '" + target + "' (builtins, select-tf-ops, gpu)");
  s.lint.target = *parsed;
  s.lint.allow_custom_ops = flags.allow_custom_ops || cfg.allow_custom_ops.value_or(false);
  s.lint.select = !flags.select.empty() ? flags.select : cfg.select.value_or(std::vector<std::string>{});
  s.lint.ignore = !flags.ignore.empty() ? flags.ignore : cfg.ignore.value_or(std::vector<std::string>{});
  if (!flags.tags.empty()) {
    s.load.tags = flags.tags;
    s.load.tags_given = true;
  } else if (cfg.tags) {
    s.load.tags = *cfg.tags;
    s.load.tags_given = true;
  }
  const std::string signature = !flags.signature.empty() ? flags.signature : cfg.signature.value_or("");
  if (!signature.empty()) s.load.signature = signature;
  s.lint.signature = signature;
  s.lint.outputs = flags.outputs;
  s.per_node_ignores = cfg.per_node_ignores;
  return s;
}

// Per-node suppressions from the config: a node matching a glob drops findings of the listed
// codes; a finding whose every node is suppressed disappears. Verdict and plan stay: they are
// facts about the model, not about what the team chose to look at.
void apply_per_node_ignores(rules::LintResult& result,
                            const std::map<std::string, std::vector<std::string>>& ignores) {
  if (ignores.empty()) return;
  std::vector<rules::Finding> kept;
  for (auto& f : result.findings) {
    std::vector<rules::FindingNode> nodes;
    for (auto& n : f.nodes) {
      bool drop = false;
      for (const auto& [glob, codes] : ignores) {
        if (has_prefix_in(f.code, codes) && glob_match(glob, n.name)) drop = true;
      }
      if (!drop) nodes.push_back(std::move(n));
    }
    if (nodes.empty() && !f.nodes.empty()) continue;
    f.nodes = std::move(nodes);
    kept.push_back(std::move(f));
  }
  result.findings = std::move(kept);
  result.counts = {0, 0, 0};
  for (const auto& f : result.findings) ++result.counts[static_cast<std::size_t>(f.severity)];
}

struct ModelOutcome {
  int exit_code = kExitClean;
  nlohmann::json json;
  std::string text;
};

ModelOutcome check_one(const std::string& path, const Settings& settings) {
  ModelOutcome out;
  auto model = analyzer::load(path, settings.load);
  if (!model) {
    report_input_error(model.error().message());
    out.exit_code = kExitBadInput;
    return out;
  }
  if (model->format == ir::Format::Tflite) {
    report_input_error(path + ": check reads TensorFlow models; delegate checks of existing .tflite "
                              "files are not supported yet (use litelint inspect)");
    out.exit_code = kExitBadInput;
    return out;
  }
  ir::Graph& graph = model->graph();
  rules::LintOptions options = settings.lint;
  options.shape_diagnostics = passes::infer_shapes(graph).diagnostics;
  rules::LintResult result = rules::lint(graph, options);
  apply_per_node_ignores(result, settings.per_node_ignores);
  out.json = reports::check_json(result);
  out.json["model"] = {{"path", path}, {"format", std::string(ir::format_name(model->format))},
                       {"size", model->file_bytes}};
  out.text = reports::check_text(result, path);
  out.exit_code = result.counts[static_cast<std::size_t>(rules::Severity::Error)] > 0 ? kExitFindings : kExitClean;
  return out;
}

int run_check(const CheckFlags& flags) {
  Expected<FileConfig> cfg = flags.config.empty() ? find_config(std::filesystem::current_path())
                                                  : parse_config_file(flags.config);
  if (!cfg) return report_input_error(cfg.error().message());
  auto settings = merge(flags, *cfg);
  if (!settings) return report_input_error(settings.error().message());

  int exit_code = kExitClean;
  nlohmann::json documents = nlohmann::json::array();
  for (const auto& path : flags.paths) {
    ModelOutcome outcome = check_one(path, *settings);
    exit_code = std::max(exit_code, outcome.exit_code);
    if (outcome.exit_code == kExitBadInput) continue;
    if (flags.format == "json") {
      documents.push_back(std::move(outcome.json));
    } else {
      std::fwrite(outcome.text.data(), 1, outcome.text.size(), stdout);
    }
  }
  if (flags.format == "json" && !documents.empty()) {
    // One model: its document; several: {"models": [...]} (the batch format of issue #6).
    const nlohmann::json doc = documents.size() == 1 && flags.paths.size() == 1
                                   ? documents[0]
                                   : nlohmann::json{{"models", documents}};
    const std::string text = doc.dump(2) + "\n";
    std::fwrite(text.data(), 1, text.size(), stdout);
  }
  return exit_code;
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

}  // namespace

void register_check(CLI::App& app, CommandSet& commands) {
  auto flags = std::make_shared<CheckFlags>();
  auto* cmd = app.add_subcommand("check", "will this model convert to TFLite? findings, verdict and fallback plan");
  cmd->add_option("model", flags->paths, "SavedModel directory, GraphDef, MetaGraphDef or TF.js model")->required();
  cmd->add_option("--target", flags->target, "builtins (default), select-tf-ops or gpu");
  cmd->add_flag("--allow-custom-ops", flags->allow_custom_ops, "convert with allow_custom_ops = True");
  cmd->add_option("--format", flags->format, "output format")->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--select", flags->select, "only report these code prefixes (comma-separated)");
  cmd->add_option("--ignore", flags->ignore, "do not report these code prefixes (comma-separated)");
  cmd->add_option("--config", flags->config, "config file (default: litelint.toml or pyproject.toml found upward)");
  cmd->add_option("--tags", flags->tags, "MetaGraph tag set (comma-separated, default serve)");
  cmd->add_option("--signature", flags->signature, "signature key (default serving_default)");
  cmd->add_option("--inputs", flags->inputs, "GraphDef input node names (comma-separated)");
  cmd->add_option("--outputs", flags->outputs, "GraphDef output node names (comma-separated)");
  cmd->callback([flags, &commands] {
    flags->select = split_commas(flags->select);
    flags->ignore = split_commas(flags->ignore);
    flags->inputs = split_commas(flags->inputs);
    flags->outputs = split_commas(flags->outputs);
    commands.selected = [flags] { return run_check(*flags); };
  });
}

}  // namespace litelint::cli
