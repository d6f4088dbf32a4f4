#include "cli/check_command.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <thread>
#include <string>
#include <vector>

#include "analyzer/loaders/load.h"
#include "analyzer/passes/infer_shapes.h"
#include "analyzer/support/sha256.h"
#include "cli/baseline.h"
#include "cli/config.h"
#include "cli/discover.h"
#include "cli/keep_until_exit.h"
#include "cli/progress.h"
#include "cli/write_output.h"
#include "reports/formats.h"
#include "reports/report.h"
#include "rules/engine/engine.h"
#include "rules/engine/op_coverage.h"
#include "rules/engine/profiles.h"
#include "rules/tflite/tflite_lint.h"

namespace litelint::cli {
namespace {


struct CheckFlags {
  std::vector<std::string> paths;
  std::string target;
  bool allow_custom_ops = false;
  std::vector<std::string> formats;
  std::string output;
  std::string output_dir;
  bool recursive = false;
  unsigned jobs = 0;
  std::string baseline;
  std::string color = "auto";
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
  std::vector<std::string> inputs;  ///< --inputs, checked against the graph
  bool sketch_graph = false;        ///< a requested report draws the graph (HTML, Model Explorer)
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
  if (!parsed) return fail(ErrorCode::Usage, "--target: unknown target '" + target + "' (builtins, select-tf-ops, gpu, xnnpack, nnapi, edgetpu)");
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
  s.lint.inputs = flags.inputs;
  s.inputs = flags.inputs;
  s.per_node_ignores = cfg.per_node_ignores;
  return s;
}

// Per-node suppressions from the config: a node matching a glob drops findings of the listed
// codes; a finding whose every node is suppressed disappears. Verdict and plan stay: they are
// facts about the model, not about what the team chose to look at.
void apply_per_node_ignores(rules::LintResult& result,
                            const std::map<std::string, std::vector<std::string>>& ignores) {
  if (ignores.empty()) return;
  rules::drop_nodes(result, [&](const rules::Finding& f, const rules::FindingNode& n) {
    if (n.name.empty()) return false;  // a graph-level finding names no node to match
    for (const auto& [glob, codes] : ignores) {
      if (has_prefix_in(f.code, codes) && glob_match(glob, n.name)) return true;
    }
    return false;
  });
}

// --inputs/--outputs must name tensors of the main graph, as TFLiteConverter.from_frozen_graph
// requires: a name that matches nothing is a usage error, not an empty analysis.
std::optional<std::string> check_arrays(const ir::Graph& graph, const std::vector<std::string>& names,
                                        std::string_view flag) {
  for (const auto& name : names) {
    const auto ref = ir::TensorRef::parse(name);
    if (!ref || ref->control) return std::string(flag) + ": '" + name + "' is not a tensor name";
    // from_frozen_graph names output 0 of node X 'X', never 'X:0', and rejects the latter
    // ("Invalid tensors 'X:0' were found"), so litelint does too rather than analyse a graph
    // the converter refuses.
    if (name.ends_with(":0")) {
      return std::string(flag) + ": '" + name + "': TFLiteConverter names output 0 of a node '" +
             ref->node + "', without ':0' (it rejects '" + name + "' as an invalid tensor)";
    }
    const ir::Node* node = graph.nodes.find(ref->node);
    if (node == nullptr) return std::string(flag) + ": no node named '" + ref->node + "' in the graph";
    // `outputs` may be shorter than the real count for ops inference does not know; only ops
    // with exactly one output are certain.
    const bool single_output =
        ir::is_placeholder(node->op) || node->op == "Const" || node->op == "Identity";
    if (single_output && ref->index >= 1) {
      return std::string(flag) + ": '" + name + "': node '" + ref->node + "' (" + node->op +
             ") has one output";
    }
  }
  return std::nullopt;
}

// `keep_model`: a run of one model leaves it to the process (keep_until_exit.h).
reports::ModelReport check_one(const std::string& path, const Settings& settings, bool keep_model) {
  using Clock = std::chrono::steady_clock;
  const auto ms = [](Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); };
  reports::ModelReport report;
  report.path = path;
  const auto start = Clock::now();
  auto model = analyzer::load(path, settings.load);
  if (!model) {
    report.error = model.error().message();
    return report;
  }
  report.format = std::string(ir::format_name(model->format));
  report.size = model->file_bytes;
  if (model->main_mapping) {
    report.sha256 = support::sha256_hex(model->main_mapping->view());
  } else if (auto digest = support::sha256_file(model->main_file)) {
    report.sha256 = *digest;
  }
  const auto loaded = Clock::now();
  if (model->format == ir::Format::Tflite) {  // an existing .tflite: runtime and delegate checks
    report.result = rules::lint_tflite(*model->tflite, settings.lint);
    apply_per_node_ignores(report.result, settings.per_node_ignores);
    report.op_coverage = rules::op_coverage_tflite(*model->tflite);
    const auto linted = Clock::now();
    report.timings = {ms(loaded - start), 0.0, ms(linted - loaded), ms(linted - start)};
    return report;
  }
  ir::Graph& graph = model->graph();
  rules::LintOptions options = settings.lint;
  // The engine walks only what the main graph reaches; functions nothing calls need no types.
  options.shape_diagnostics =
      passes::infer_shapes(graph, {.uncalled_functions = false}).diagnostics;
  if (auto bad = check_arrays(graph, settings.inputs, "--inputs")) {
    report.error = path + ": " + *bad;
    return report;
  }
  if (auto bad = check_arrays(graph, options.outputs, "--outputs")) {
    report.error = path + ": " + *bad;
    return report;
  }
  const auto shaped = Clock::now();
  report.result = rules::lint(graph, options);
  apply_per_node_ignores(report.result, settings.per_node_ignores);
  report.op_coverage = rules::op_coverage(graph);
  const auto linted = Clock::now();
  report.timings = {ms(loaded - start), ms(shaped - loaded), ms(linted - shaped), ms(linted - start)};
  if (settings.sketch_graph) report.graph = reports::sketch_graph(graph, options, report.result);
  if (keep_model) keep_until_exit(std::move(*model));
  return report;
}

// Expands directories under --recursive; keeps every other path as given.
std::vector<std::string> model_paths(const CheckFlags& flags) {
  std::vector<std::string> out;
  for (const auto& path : flags.paths) {
    std::error_code ec;
    if (flags.recursive && std::filesystem::is_directory(path, ec)) {
      for (auto& found : discover_models(path)) out.push_back(std::move(found));
    } else {
      out.push_back(path);
    }
  }
  return out;
}

// Analyzes every model on `jobs` threads; reports keep the input order.
std::vector<reports::ModelReport> check_all(const std::vector<std::string>& paths,
                                            const Settings& settings, unsigned jobs) {
  std::vector<reports::ModelReport> out(paths.size());
  Progress progress(paths.size(), Progress::wanted());
  std::atomic<std::size_t> next{0};
  const auto worker = [&] {
    for (std::size_t i = next++; i < paths.size(); i = next++) {
      out[i] = check_one(paths[i], settings, paths.size() == 1);
      progress.tick(paths[i]);
    }
  };
  jobs = std::max(1U, std::min<unsigned>(jobs, static_cast<unsigned>(paths.size())));
  std::vector<std::thread> threads;
  for (unsigned t = 1; t < jobs; ++t) threads.emplace_back(worker);
  worker();
  for (auto& t : threads) t.join();
  progress.finish();
  return out;
}

bool color_wanted(const std::string& mode) {
  if (mode == "always") return true;
  if (mode == "never") return false;
  const char* no_color = std::getenv("NO_COLOR");
  return isatty(STDOUT_FILENO) == 1 && (no_color == nullptr || *no_color == '\0');
}

int run_check(const CheckFlags& flags) {
  Expected<FileConfig> cfg = flags.config.empty() ? find_config(std::filesystem::current_path())
                                                  : parse_config_file(flags.config);
  if (!cfg) return report_input_error(cfg.error().message());
  auto settings = merge(flags, *cfg);
  if (!settings) return report_input_error(settings.error().message());

  std::vector<reports::ReportFormat> formats;
  for (const auto& name : flags.formats) {
    auto format = reports::parse_report_format(name);
    if (!format) return report_input_error("--format: unknown format '" + name + "'");
    if (std::find(formats.begin(), formats.end(), *format) == formats.end()) formats.push_back(*format);
  }
  if (formats.empty()) formats.push_back(reports::ReportFormat::Text);
  for (auto format : formats) {
    settings->sketch_graph = settings->sketch_graph || format == reports::ReportFormat::Html ||
                             format == reports::ReportFormat::ModelExplorer;
  }
  if (formats.size() > 1 && flags.output_dir.empty()) {
    return report_input_error("several --format values need --output-dir DIR");
  }
  if (!flags.output.empty() && (formats.size() > 1 || !flags.output_dir.empty())) {
    return report_input_error("--output FILE takes one --format; use --output-dir for several");
  }
  std::optional<Baseline> baseline;
  if (!flags.baseline.empty()) {
    auto read = Baseline::read(flags.baseline);
    if (!read) return report_input_error(read.error().message());
    baseline = std::move(*read);
  }

  const std::vector<std::string> paths = model_paths(flags);
  if (paths.empty()) return report_input_error(flags.paths.front() + ": no models found");
  reports::RunReport run;
  run.tool_version = LITELINT_VERSION;
  run.profile = rules::make_profile(settings->lint.target, settings->lint.allow_custom_ops);
  run.batch = paths.size() > 1 || flags.recursive;
  run.baseline = flags.baseline;
  // One model needs no count of the cores (reading /sys costs a small run ~1%).
  const unsigned jobs = flags.jobs > 0         ? flags.jobs
                        : paths.size() == 1    ? 1U
                                               : std::max(1U, std::thread::hardware_concurrency());
  run.models = check_all(paths, *settings, jobs);
  // Golden-file tests and reproducible CI artifacts want byte-identical reports.
  const char* reproducible = std::getenv("LITELINT_REPRODUCIBLE");
  const bool zero_timings = reproducible != nullptr && *reproducible != '\0' && *reproducible != '0';
  for (auto& m : run.models) {
    if (zero_timings) m.timings = {};
    if (!m.ok()) report_input_error(m.error);
    if (baseline) baseline->apply(m, !run.batch);
  }

  // A single model that cannot be read gets its one-line error and no report at all.
  if (!run.batch && !run.models.front().ok()) return reports::exit_code(run);
  if (!flags.output_dir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(flags.output_dir, ec);
    if (ec) return report_input_error(flags.output_dir + ": cannot create output directory: " + ec.message());
  }
  for (auto format : formats) {
    const bool to_stdout = flags.output.empty() && flags.output_dir.empty();
    reports::TextStyle style;
    style.color = to_stdout && color_wanted(flags.color);
    const std::string text = reports::render(format, run, style);
    if (to_stdout) {
      std::fwrite(text.data(), 1, text.size(), stdout);
      continue;
    }
    const std::filesystem::path file = !flags.output.empty()
        ? std::filesystem::path(flags.output)
        : std::filesystem::path(flags.output_dir) / reports::default_file_name(format);
    if (auto written = write_file_atomically(file, text); !written) {
      return report_input_error(written.error().message());
    }
  }
  return reports::exit_code(run);
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
  cmd->add_option("--target", flags->target, "builtins (default), select-tf-ops, gpu, xnnpack, nnapi or edgetpu");
  cmd->add_flag("--allow-custom-ops", flags->allow_custom_ops, "convert with allow_custom_ops = True");
  std::string format_names;
  for (auto f : reports::all_report_formats()) {
    format_names += (format_names.empty() ? "" : ", ") + std::string(reports::to_string(f));
  }
  cmd->add_option("--format", flags->formats, "output formats, comma-separated: " + format_names)
      ->allow_extra_args(false);
  cmd->add_option("--output,-o", flags->output, "write the report to FILE (one format)");
  cmd->add_option("--output-dir", flags->output_dir, "write each format to DIR/litelint.<ext>");
  cmd->add_flag("--recursive,-r", flags->recursive, "find every model under the given directories");
  cmd->add_option("--jobs,-j", flags->jobs, "models analyzed at once (default: every core)");
  cmd->add_option("--baseline", flags->baseline, "report only findings not in this earlier JSON report");
  cmd->add_option("--color", flags->color, "colour text output: auto, always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  cmd->add_option("--select", flags->select, "only report these code prefixes (comma-separated)")
      ->allow_extra_args(false);
  cmd->add_option("--ignore", flags->ignore, "do not report these code prefixes (comma-separated)")
      ->allow_extra_args(false);
  cmd->add_option("--config", flags->config, "config file (default: litelint.toml or pyproject.toml found upward)");
  cmd->add_option("--tags", flags->tags, "MetaGraph tag set (comma-separated, default serve)");
  cmd->add_option("--signature", flags->signature, "signature key (default serving_default)");
  cmd->add_option("--inputs", flags->inputs, "GraphDef input node names (comma-separated)")
      ->allow_extra_args(false);
  cmd->add_option("--outputs", flags->outputs, "GraphDef output node names (comma-separated)")
      ->allow_extra_args(false);
  cmd->callback([flags, &commands] {
    flags->formats = split_commas(flags->formats);
    flags->select = split_commas(flags->select);
    flags->ignore = split_commas(flags->ignore);
    flags->inputs = split_commas(flags->inputs);
    flags->outputs = split_commas(flags->outputs);
    commands.selected = [flags] { return run_check(*flags); };
  });
}

}  // namespace litelint::cli
