#include "cli/convert_command.h"

#include <chrono>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "analyzer/ir/shape.h"
#include "cli/analyze_flags.h"
#include "cli/fix_command.h"
#include "cli/input_shapes.h"
#include "cli/keep_until_exit.h"
#include "cli/model_inputs.h"
#include "cli/progress.h"
#include "cli/write_output.h"
#include "converter/convert.h"
#include "reports/convert_report.h"
#include "reports/report.h"
#include "reports/text_report.h"
#include "rules/engine/analyze.h"
#include "rules/engine/profiles.h"

namespace litelint::cli {
namespace {

struct ConvertFlags {
  std::string model;
  std::string output;
  AnalyzeFlags analyze;
  std::vector<std::string> input_shapes;  ///< NAME=1,224,224,3, one per flag
  std::string optimize = "none";
  std::string report;
  std::string plan;  ///< a `litelint fix` plan to replay before converting
};

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

std::optional<converter::Optimize> parse_optimize(std::string_view name) {
  if (name == "none") return converter::Optimize::None;
  if (name == "dynamic-range") return converter::Optimize::DynamicRange;
  if (name == "float16") return converter::Optimize::Float16;
  return std::nullopt;
}

// The .tflite (or the report) must not replace the model being read, a file of it, or each
// other: writing over the input would break "never modifies the input".
bool same_file(const std::filesystem::path& a, const std::filesystem::path& b) {
  std::error_code ec;
  return std::filesystem::equivalent(a, b, ec) && !ec;
}

int run_convert(const ConvertFlags& flags) {
  const auto start = Clock::now();
  const std::string& path = flags.model;
  // Usage errors name the model, as every other line `convert` prints about it does.
  const auto usage_error = [&](const std::string& reason) { return report_input_error(path + ": " + reason); };
  if (flags.output.empty()) return usage_error("-o OUT.tflite is required");
  if (!flags.report.empty() && flags.report == flags.output) {
    return usage_error("--report and -o name the same file");
  }
  const auto optimize = parse_optimize(flags.optimize);
  if (!optimize) {
    return usage_error("--optimize: unknown value '" + flags.optimize + "' (none, dynamic-range, float16)");
  }
  auto input_shapes = parse_input_shapes(flags.input_shapes);
  if (!input_shapes) return usage_error(input_shapes.error().reason());
  Expected<FileConfig> cfg = read_config(flags.analyze.config);
  if (!cfg) return report_input_error(cfg.error().message());
  auto options = merge_options(flags.analyze, *cfg);
  if (!options) return usage_error(options.error().reason());
  const rules::Target target = options->lint.target;
  // Delegate targets are questions about where a model runs; the file is the same.
  if (target != rules::Target::Builtins && target != rules::Target::SelectTfOps) {
    return usage_error("--target: convert writes 'builtins' or 'select-tf-ops', not '" +
                       std::string(rules::to_string(target)) + "' (check --target " +
                       std::string(rules::to_string(target)) + " says whether it runs there)");
  }

  StatusLine status("converting " + path, Progress::wanted());
  status.stage("loading and checking");
  auto analysis = rules::analyze(path, *options);
  if (!analysis) {
    status.finish();
    return report_input_error(analysis.error().message());
  }
  if (!flags.plan.empty() && analysis->model.format != ir::Format::Tflite) {
    // The rewritten model replaces the loaded one; a stale plan converts nothing.
    analysis = replay_plan_file(flags.plan, analysis->model, *options);
    if (!analysis) {
      status.finish();
      return report_input_error(analysis.error().message());
    }
  }
  if (analysis->model.format == ir::Format::Tflite) {
    status.finish();
    return usage_error("already a .tflite model; convert reads TensorFlow models");
  }
  const ir::Model& model = analysis->model;
  for (const auto& out : {flags.output, flags.report}) {
    if (!out.empty() && (same_file(out, model.path) || same_file(out, model.main_file))) {
      status.finish();
      return usage_error("'" + out + "' is the input model; convert never writes over it");
    }
  }
  // Only the JSON report shows the hash; the text report needs format and size alone.
  const rules::ModelFacts facts =
      flags.report.empty()
          ? rules::ModelFacts{.format = std::string(ir::format_name(model.format)),
                              .size = model.file_bytes,
                              .sha256 = {}}
          : rules::model_facts(model);

  reports::RunReport run;
  run.tool_version = LITELINT_VERSION;
  run.profile = rules::make_profile(target, options->lint.allow_custom_ops);
  run.models.push_back(model_report(path, facts, *analysis));
  if (reports::error_count(run.models.front()) > 0) {
    // Exactly what `check` prints for this model and target, and nothing is written.
    status.finish();
    reports::TextStyle style;
    style.color = color_wanted("auto");
    const std::string text = reports::render_text(run, style);
    std::fwrite(text.data(), 1, text.size(), stdout);
    return 1;
  }

  status.stage("converting");
  converter::ConvertOptions convert_options;
  convert_options.select_tf_ops = target == rules::Target::SelectTfOps;
  convert_options.allow_custom_ops = options->lint.allow_custom_ops;
  convert_options.signatures = flags.analyze.signatures;
  convert_options.inputs = flags.analyze.inputs;
  convert_options.outputs = flags.analyze.outputs;
  convert_options.input_shapes = std::move(*input_shapes);
  convert_options.optimize = *optimize;
  // The serializer hands the .tflite to the staged file piece by piece, the weights straight
  // from the model's buffers: no in-memory copy of a file as large as the weights. The
  // temporary file is created by the first piece, so a model that fails to convert leaves
  // nothing behind; StagedFile removes it if anything fails later.
  StagedFile tflite(flags.output, "the .tflite file");
  Clock::duration writing{};
  bool first_piece = true;
  const converter::writer::ByteSink sink = [&](std::span<const std::uint8_t> bytes) {
    if (first_piece) status.stage("writing");
    first_piece = false;
    const auto piece_start = Clock::now();
    auto appended = tflite.append(bytes);
    writing += Clock::now() - piece_start;
    return appended;
  };
  auto conversion = converter::convert(model, convert_options, sink);
  if (!conversion) {
    status.finish();
    return report_input_error(Error(conversion.error()).in_file(path).message());
  }
  if (!conversion->refused.empty()) {
    status.finish();
    std::fprintf(stderr, "litelint: %s: %s\n", path.c_str(), conversion->refused.c_str());
    return 1;
  }
  const auto write_start = Clock::now() - writing;  // write_ms: the file writes, and what follows
  reports::ConvertRun summary;
  summary.tool_version = LITELINT_VERSION;
  summary.input_path = path;
  summary.input_format = facts.format;
  summary.input_sha256 = facts.sha256;
  summary.input_size = facts.size;
  summary.output_path = flags.output;
  summary.target = std::string(rules::to_string(target));
  summary.allow_custom_ops = options->lint.allow_custom_ops;
  summary.optimize = flags.optimize;
  summary.signatures = flags.analyze.signatures;
  summary.conversion = &*conversion;
  // Both files are staged before either replaces its target: a report that cannot be
  // written leaves no .tflite behind, and the reverse.
  std::optional<StagedFile> report_file;
  if (!flags.report.empty()) {
    summary.analysis = run.models.front().timings;
    summary.write_ms = ms_since(write_start);
    summary.total_ms = ms_since(start);
    if (reproducible()) {
      summary.analysis = {};
      summary.write_ms = summary.total_ms = 0;
      for (auto& [stage, ms] : conversion->report.milliseconds) ms = 0;
    }
    report_file.emplace(flags.report, "report");
    if (auto written = report_file->write(as_bytes(reports::render_convert_report(summary))); !written) {
      status.finish();
      return report_input_error(written.error().message());
    }
  }
  auto committed = tflite.commit();
  if (committed && report_file) committed = report_file->commit();
  status.finish();
  if (!committed) return report_input_error(committed.error().message());
  const std::string line = reports::convert_summary(summary);
  std::fwrite(line.data(), 1, line.size(), stdout);
  // As in `check`: destroying the graph node by node buys nothing just before exit.
  keep_until_exit(std::move(analysis->model));
  return 0;
}

}  // namespace

void register_convert(CLI::App& app, CommandSet& commands) {
  auto flags = std::make_shared<ConvertFlags>();
  auto* cmd = app.add_subcommand("convert", "check a model, then write it as a .tflite file");
  cmd->add_option("model", flags->model, model_help(/*for_convert=*/true))
      ->required();
  // Checked by run_convert rather than ->required(), so that the error names the model.
  cmd->add_option("--output,-o", flags->output, "the .tflite file to write (required)");
  cmd->add_option("--target", flags->analyze.target, "builtins (default) or select-tf-ops");
  cmd->add_flag("--allow-custom-ops", flags->analyze.allow_custom_ops,
                "ops outside the Select TF allowlist become custom ops");
  cmd->add_option("--signature", flags->analyze.signatures,
                  "signature key to convert; repeat for several (default: every signature)")
      ->allow_extra_args(false);
  cmd->add_option("--tags", flags->analyze.tags, "MetaGraph tag set (comma-separated, default serve)");
  cmd->add_option("--limit", flags->analyze.limits, "raise an input limit: NAME=N (docs/limits.md)")
      ->allow_extra_args(false);
  cmd->add_option("--inputs", flags->analyze.inputs, "GraphDef input node names (comma-separated)")
      ->allow_extra_args(false);
  cmd->add_option("--outputs", flags->analyze.outputs, "GraphDef output node names (comma-separated)")
      ->allow_extra_args(false);
  cmd->add_option("--input-shape", flags->input_shapes,
                  "fix an input's unknown dimensions: NAME=1,224,224,3 (repeatable)")
      ->allow_extra_args(false);
  cmd->add_option("--optimize", flags->optimize, "weights: none (default), dynamic-range, float16");
  cmd->add_option("--report", flags->report, "write a JSON report of the conversion to FILE");
  cmd->add_option("--plan", flags->plan, "replay a `litelint fix --write-plan` plan before converting");
  cmd->add_option("--config", flags->analyze.config,
                  "config file (default: litelint.toml or pyproject.toml found upward)");
  cmd->callback([flags, &commands] {
    flags->analyze.inputs = split_commas(flags->analyze.inputs);
    flags->analyze.outputs = split_commas(flags->analyze.outputs);
    commands.selected = [flags] { return run_convert(*flags); };
  });
}

}  // namespace litelint::cli
