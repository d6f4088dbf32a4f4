#include "cli/check_command.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <thread>
#include <string>
#include <vector>

#include "analyzer/loaders/load.h"
#include "cli/analyze_flags.h"
#include "cli/baseline.h"
#include "cli/config.h"
#include "cli/did_you_mean.h"
#include "cli/discover.h"
#include "cli/input_shapes.h"
#include "cli/keep_until_exit.h"
#include "cli/model_inputs.h"
#include "cli/progress.h"
#include "cli/write_output.h"
#include "reports/formats.h"
#include "reports/report.h"
#include "rules/engine/analyze.h"
#include "rules/engine/profiles.h"

namespace litelint::cli {
namespace {

struct CheckFlags {
  std::vector<std::string> paths;
  AnalyzeFlags analyze;
  std::string signature;  ///< check takes one; goes to analyze.signatures
  std::vector<std::string> formats;
  std::string output;
  std::string output_dir;
  bool recursive = false;
  unsigned jobs = 0;
  std::string baseline;
  std::string color = "auto";
  std::vector<std::string> input_shapes;  ///< NAME=1,224,224,3, one per flag
};

// Settings after merging: flags win over the config file, which wins over defaults.
struct Settings {
  rules::AnalyzeOptions analyze;
  bool sketch_graph = false;  ///< a requested report draws the graph (HTML, Model Explorer)
};

// `keep_model`: a run of one model leaves it to the process (keep_until_exit.h).
reports::ModelReport check_one(const std::string& path, const Settings& settings, bool keep_model) {
  using Clock = std::chrono::steady_clock;
  const auto ms = [](Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); };
  const auto start = Clock::now();
  // Loaded here rather than by analyze(path): a batch reports the format and hash of a model
  // whose --inputs/--outputs are wrong, and those come from the loaded file.
  auto model = analyzer::load(path, settings.analyze.load);
  if (!model) {
    reports::ModelReport report;
    report.path = path;
    report.error = model.error().message();
    return report;
  }
  const rules::ModelFacts facts = rules::model_facts(*model);
  const double load_ms = ms(Clock::now() - start);
  auto analysis = rules::analyze(std::move(*model), settings.analyze);
  if (!analysis) {
    reports::ModelReport report;
    report.path = path;
    report.format = facts.format;
    report.size = facts.size;
    report.sha256 = facts.sha256;
    report.error = analysis.error().message();
    return report;
  }
  analysis->times.load_ms = load_ms;
  analysis->times.total_ms += load_ms;
  reports::ModelReport report = model_report(path, facts, *analysis);
  if (analysis->model.format == ir::Format::Tflite) return report;
  if (settings.sketch_graph) {
    report.graph = reports::sketch_graph(analysis->model.graph(), analysis->lint, report.result);
  }
  if (keep_model) keep_until_exit(std::move(analysis->model));
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

int run_check(const CheckFlags& flags) {
  Expected<FileConfig> cfg = read_config(flags.analyze.config);
  if (!cfg) return report_input_error(cfg.error().message());
  auto options = merge_options(flags.analyze, *cfg);
  if (!options) return report_input_error(options.error().message());
  Settings settings{.analyze = std::move(*options)};
  auto input_shapes = parse_input_shapes(flags.input_shapes);
  if (!input_shapes) return report_input_error(input_shapes.error().message());
  settings.analyze.input_shapes = std::move(*input_shapes);

  std::vector<reports::ReportFormat> formats;
  for (const auto& name : flags.formats) {
    auto format = reports::parse_report_format(name);
    if (!format) {
      std::vector<std::string> known;
      for (auto f : reports::all_report_formats()) known.emplace_back(reports::to_string(f));
      std::string list;
      for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
      return report_input_error("--format: " + unknown_name_message("format", name, known, list));
    }
    if (std::find(formats.begin(), formats.end(), *format) == formats.end()) formats.push_back(*format);
  }
  if (formats.empty()) formats.push_back(reports::ReportFormat::Text);
  for (auto format : formats) {
    settings.sketch_graph = settings.sketch_graph || format == reports::ReportFormat::Html ||
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
  run.profile = rules::make_profile(settings.analyze.lint.target,
                                    settings.analyze.lint.allow_custom_ops);
  run.batch = paths.size() > 1 || flags.recursive;
  run.baseline = flags.baseline;
  // One model needs no count of the cores (reading /sys costs a small run ~1%).
  const unsigned jobs = flags.jobs > 0         ? flags.jobs
                        : paths.size() == 1    ? 1U
                                               : std::max(1U, std::thread::hardware_concurrency());
  run.models = check_all(paths, settings, jobs);
  // Golden-file tests and reproducible CI artifacts want byte-identical reports.
  const bool zero_timings = reproducible();
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

}  // namespace

void register_check(CLI::App& app, CommandSet& commands) {
  auto flags = std::make_shared<CheckFlags>();
  auto* cmd = app.add_subcommand("check", "will this model convert to TFLite? findings, verdict and fallback plan");
  cmd->add_option("model", flags->paths, model_help())->required();
  cmd->add_option("--target", flags->analyze.target, "builtins (default), select-tf-ops, gpu, xnnpack, nnapi or edgetpu");
  cmd->add_flag("--allow-custom-ops", flags->analyze.allow_custom_ops, "convert with allow_custom_ops = True");
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
  cmd->add_option("--select", flags->analyze.select, "only report these code prefixes (comma-separated)")
      ->allow_extra_args(false);
  cmd->add_option("--ignore", flags->analyze.ignore, "do not report these code prefixes (comma-separated)")
      ->allow_extra_args(false);
  cmd->add_option("--config", flags->analyze.config, "config file (default: litelint.toml or pyproject.toml found upward)");
  cmd->add_option("--tags", flags->analyze.tags, "MetaGraph tag set (comma-separated, default serve)");
  cmd->add_option("--limit", flags->analyze.limits, "raise an input limit: NAME=N (docs/limits.md)")
      ->allow_extra_args(false);
  cmd->add_option("--signature", flags->signature, "signature key (default serving_default)");
  cmd->add_option("--inputs", flags->analyze.inputs, "GraphDef input node names (comma-separated)")
      ->allow_extra_args(false);
  cmd->add_option("--outputs", flags->analyze.outputs, "GraphDef output node names (comma-separated)")
      ->allow_extra_args(false);
  cmd->add_option("--max-weight-bytes", flags->analyze.max_weight_bytes,
                  "warn (LL501) when the weights exceed this: 20MiB, 5000000");
  cmd->add_option("--max-macs", flags->analyze.max_macs, "warn (LL502) when one run needs more MACs: 300M, 1.5G");
  cmd->add_option("--max-activation-bytes", flags->analyze.max_activation_bytes,
                  "warn (LL503) when peak activation memory exceeds this: 8MiB");
  cmd->add_option("--input-shape", flags->input_shapes,
                  "static shape for an input, for MACs and activation sizes: NAME=1,224,224,3 (repeatable)")
      ->allow_extra_args(false);
  cmd->callback([flags, &commands] {
    flags->formats = split_commas(flags->formats);
    flags->analyze.select = split_commas(flags->analyze.select);
    flags->analyze.ignore = split_commas(flags->analyze.ignore);
    flags->analyze.inputs = split_commas(flags->analyze.inputs);
    flags->analyze.outputs = split_commas(flags->analyze.outputs);
    if (!flags->signature.empty()) flags->analyze.signatures = {flags->signature};
    commands.selected = [flags] { return run_check(*flags); };
  });
}

}  // namespace litelint::cli
