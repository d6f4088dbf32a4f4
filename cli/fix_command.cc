#include "cli/fix_command.h"
#include "cli/input_shapes.h"

#include <charconv>
#include <cstdio>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "analyzer/support/file.h"
#include "cli/analyze_flags.h"
#include "cli/fix_graphdef.h"
#include "cli/fix_interactive.h"
#include "cli/keep_until_exit.h"
#include "cli/write_output.h"
#include "converter/convert.h"
#include "rules/engine/fix_apply.h"
#include "rules/engine/fix_plan.h"
#include "rules/engine/profiles.h"
#include "rules/engine/verdict.h"

namespace litelint::cli {
namespace {

struct FixFlags {
  std::string model;
  AnalyzeFlags analyze;
  bool unsafe_fixes = false;
  bool diff = false;
  bool interactive = false;  ///< -i: ask about each fix on the terminal
  std::string plan;
  std::string write_plan;
  std::string output;
  std::string write_model;
  std::vector<std::string> input_shapes;  ///< NAME=1,224,224,3
};

void print_edit(const rules::FixRecord& r) {
  std::printf("--- %s %s: %s\n", r.code.c_str(), r.match.fix_id.c_str(), r.match.summary.c_str());
  for (const auto& n : r.edit.removed) std::printf("  - %s\n", n.c_str());
  for (const auto& n : r.edit.added) std::printf("  + %s\n", n.c_str());
  for (const auto& n : r.edit.changed) std::printf("  ~ %s\n", n.c_str());
}

// What Ruff's --fix prints: what was applied, what was not and why, what is left.
void print_summary(const std::string& path, const rules::FixRun& run) {
  std::size_t applied = 0, unsafe_skipped = 0;
  for (const auto& r : run.records) {
    if (r.accepted) ++applied;
    if (!r.accepted && r.reason.find("--unsafe-fixes") != std::string::npos) ++unsafe_skipped;
  }
  std::printf("%s: %zu fix(es) applied\n", path.c_str(), applied);
  for (const auto& r : run.records) {
    std::printf("  %s %s %s (%s): %s%s\n", r.accepted ? "applied " : "skipped ", r.code.c_str(),
                r.match.fix_id.c_str(), std::string(rules::to_string(r.safety)).c_str(), r.match.summary.c_str(),
                r.accepted ? "" : (" [" + r.reason + "]").c_str());
  }
  if (!run.unfixed.empty()) {
    std::printf("%zu finding(s) remain:\n", run.unfixed.size());
    for (const auto& u : run.unfixed) {
      std::printf("  %s: %s\n    no fix: %s\n", u.code.c_str(), u.message.c_str(), u.why.c_str());
    }
  }
  std::printf("verdict: %s -> %s\n", std::string(rules::to_string(run.before.verdict)).c_str(),
              std::string(rules::to_string(run.after.result.verdict)).c_str());
  if (unsafe_skipped > 0) {
    std::printf("%zu unsafe fix(es) not applied; --unsafe-fixes applies them\n", unsafe_skipped);
  }
}

rules::FixPlan plan_of(const rules::FixRun& run, const std::string& path, const ir::Model& model,
                       const rules::AnalyzeOptions& options) {
  rules::FixPlan plan;
  plan.tool_version = LITELINT_VERSION;
  plan.model_path = path;
  const rules::ModelFacts facts = rules::model_facts(model);
  plan.model_format = facts.format;
  plan.model_sha256 = facts.sha256;
  plan.target = std::string(rules::to_string(options.lint.target));
  plan.decisions = run.records;
  return plan;
}

Expected<rules::FixPlan> read_plan(const std::string& path) {
  auto text = read_file(path, std::uint64_t{64} << 20);
  if (!text) return tl::unexpected(Error(text.error()).in_file(path));
  auto plan = rules::parse_fix_plan(*text);
  if (!plan) return tl::unexpected(Error(plan.error()).in_file(path));
  return plan;
}

int run_fix(FixFlags flags) {
  const std::string& path = flags.model;
  const auto usage_error = [&](const std::string& reason) { return report_input_error(path + ": " + reason); };
  if (flags.diff && (!flags.output.empty() || !flags.write_plan.empty() || !flags.write_model.empty())) {
    return usage_error("--diff only shows the rewrites; it writes nothing (drop -o, --write-plan, --write-model)");
  }
  if (flags.interactive) {
    if (const std::string why = interactive_usage_error(flags.diff, !flags.plan.empty()); !why.empty()) {
      return report_input_error(why);
    }
  }
  auto input_shapes = parse_input_shapes(flags.input_shapes);
  if (!input_shapes) return usage_error(input_shapes.error().reason());
  Expected<FileConfig> cfg = read_config(flags.analyze.config);
  if (!cfg) return report_input_error(cfg.error().message());
  auto options = merge_options(flags.analyze, *cfg);
  if (!options) return usage_error(options.error().reason());
  const rules::Target target = options->lint.target;
  if (!flags.output.empty() && target != rules::Target::Builtins && target != rules::Target::SelectTfOps) {
    return usage_error("-o: fix converts for 'builtins' or 'select-tf-ops', not '" +
                       std::string(rules::to_string(target)) + "'");
  }
  auto model = analyzer::load(path, options->load);
  if (!model) return report_input_error(model.error().message());
  if (model->format == ir::Format::Tflite) return usage_error("already a .tflite model; fix rewrites TensorFlow models");

  Expected<rules::FixRun> run = fail(ErrorCode::Internal, "no run");
  if (!flags.plan.empty()) {
    auto plan = read_plan(flags.plan);
    if (!plan) return report_input_error(plan.error().message());
    if (plan->target != rules::to_string(target)) {
      return report_input_error(flags.plan + ": the plan was made for target '" + plan->target + "', not '" +
                                std::string(rules::to_string(target)) + "'");
    }
    run = rules::replay_fixes(*model, *options, plan->decisions);
  } else {
    rules::FixPolicy policy;
    // Interactively, unsafe fixes are offered marked as such: accepting one is the consent.
    policy.unsafe_fixes = flags.unsafe_fixes || flags.interactive;
    policy.select = options->lint.select;
    policy.ignore = options->lint.ignore;
    policy.options.input_shapes = std::move(*input_shapes);
    // The non-interactive run accepts every proposal the policy allows; -i asks.
    FixPrompter prompter(*options, Style::for_stdout());
    rules::DecideFn decide = [](const rules::FixProposal&) { return rules::FixDecision::Accept; };
    if (flags.interactive) decide = [&prompter](const rules::FixProposal& p) { return prompter.decide(p); };
    run = rules::run_fixes(*model, *options, policy, decide);
  }
  if (!run) return report_input_error(Error(run.error()).in_file(path).message());
  // Quitting half-way keeps the model as it was: no plan, no .tflite, no GraphDef.
  const auto quit = [&] {
    std::printf("quit: nothing written\n");
    return run->before.counts[0] > 0 ? 1 : 0;
  };
  if (run->quit) return quit();

  if (flags.diff) {
    for (const auto& r : run->records) {
      if (r.accepted) print_edit(r);
    }
  }
  print_summary(path, *run);
  if (flags.diff) return run->after.result.counts[0] > 0 ? 1 : 0;
  if (flags.interactive) {
    const InteractiveWrites writes = ask_writes(path, *run, flags.output, flags.write_plan, Style::for_stdout());
    if (writes.quit) return quit();
    flags.output = writes.output;
    flags.write_plan = writes.write_plan;
  }

  std::optional<StagedFile> plan_file, tflite_file;
  if (!flags.write_plan.empty()) {
    plan_file.emplace(flags.write_plan, "the fix plan");
    const std::string text = rules::render_fix_plan(plan_of(*run, path, *model, *options));
    if (auto w = plan_file->write(as_bytes(text)); !w) return report_input_error(w.error().message());
  }
  if (!flags.write_model.empty()) {
    auto frozen = write_frozen_graph(run->after.model, flags.write_model, flags.analyze.signatures,
                                     flags.analyze.inputs, flags.analyze.outputs);
    if (!frozen) return report_input_error(Error(frozen.error()).in_file(path).message());
    std::string inputs, outputs;
    for (const auto& i : frozen->inputs) inputs += (inputs.empty() ? "" : ",") + i;
    for (const auto& o : frozen->outputs) outputs += (outputs.empty() ? "" : ",") + o;
    std::printf("wrote %s (--inputs %s --outputs %s)\n", frozen->file.string().c_str(), inputs.c_str(),
                outputs.c_str());
  }
  const bool errors_left = run->after.result.counts[0] > 0;
  if (!flags.output.empty()) {
    // The verdict uses every rule, also those --select leaves out of the fixing.
    if (!run->after.result.converts) {
      std::printf("not converted: %zu error(s) remain under target %s\n", run->after.result.counts[0],
                  std::string(rules::to_string(target)).c_str());
    } else {
      converter::ConvertOptions convert_options;
      convert_options.select_tf_ops = target == rules::Target::SelectTfOps;
      convert_options.allow_custom_ops = options->lint.allow_custom_ops;
      convert_options.signatures = flags.analyze.signatures;
      convert_options.inputs = flags.analyze.inputs;
      convert_options.outputs = flags.analyze.outputs;
      auto conversion = converter::convert(run->after.model, convert_options);
      if (!conversion) return report_input_error(Error(conversion.error()).in_file(path).message());
      if (!conversion->refused.empty()) {  // as convert: the user must say more (exit 1, nothing written)
        std::fprintf(stderr, "litelint: %s: %s\n", path.c_str(), conversion->refused.c_str());
        return 1;
      }
      if (conversion->tflite.empty()) return usage_error("the converter wrote nothing for the fixed model");
      tflite_file.emplace(flags.output, "the .tflite file");
      if (auto w = tflite_file->write(conversion->tflite); !w) return report_input_error(w.error().message());
    }
  }
  if (plan_file) {
    if (auto c = plan_file->commit(); !c) return report_input_error(c.error().message());
    std::printf("wrote plan %s\n", flags.write_plan.c_str());
  }
  if (tflite_file) {
    if (auto c = tflite_file->commit(); !c) return report_input_error(c.error().message());
    std::printf("wrote %s\n", flags.output.c_str());
  }
  keep_until_exit(std::move(run->after.model));
  return errors_left ? 1 : 0;
}

}  // namespace

Expected<rules::Analysis> replay_plan_file(const std::string& plan_path, const ir::Model& model,
                                           const rules::AnalyzeOptions& options) {
  auto plan = read_plan(plan_path);
  if (!plan) return tl::unexpected(plan.error());
  if (plan->target != rules::to_string(options.lint.target)) {
    return tl::unexpected(Error(ErrorCode::Usage, "the plan was made for target '" + plan->target + "', not '" +
                                                      std::string(rules::to_string(options.lint.target)) + "'")
                              .in_file(plan_path));
  }
  auto run = rules::replay_fixes(model, options, plan->decisions);
  if (!run) return tl::unexpected(Error(run.error()).in_file(plan_path));
  return std::move(run->after);
}

void register_fix(CLI::App& app, CommandSet& commands) {
  auto flags = std::make_shared<FixFlags>();
  auto* cmd = app.add_subcommand("fix", "rewrite a model so that it converts: apply fixes, check again, convert");
  cmd->add_option("model", flags->model, "SavedModel directory, GraphDef, MetaGraphDef or TF.js model")->required();
  cmd->add_option("--target", flags->analyze.target, "builtins (default), select-tf-ops, or a delegate profile");
  cmd->add_flag("-i,--interactive", flags->interactive,
                "ask about each fix on the terminal (as git add -p), then whether to convert");
  cmd->add_flag("--unsafe-fixes", flags->unsafe_fixes,
                "also apply fixes that change numbers or the model's interface");
  cmd->add_option("--select", flags->analyze.select, "rule codes or prefixes whose fixes run (comma-separated)")
      ->allow_extra_args(false);
  cmd->add_option("--ignore", flags->analyze.ignore, "rule codes or prefixes whose fixes never run")
      ->allow_extra_args(false);
  cmd->add_option("--plan", flags->plan, "replay the decisions of a plan instead of deciding");
  cmd->add_option("--write-plan", flags->write_plan, "save the decisions as a plan (JSON) for convert --plan");
  cmd->add_flag("--diff", flags->diff, "print the nodes each fix removes and adds; write nothing");
  cmd->add_option("--output,-o", flags->output, "convert the fixed model to this .tflite file");
  cmd->add_option("--write-model", flags->write_model,
                  "write the fixed graph as a frozen GraphDef, OUT_DIR/frozen_graph.pb");
  cmd->add_option("--input-shape", flags->input_shapes, "static shape for an input: NAME=1,224,224,3 (repeatable)")
      ->allow_extra_args(false);
  cmd->add_option("--signature", flags->analyze.signatures, "signature key to fix and convert")
      ->allow_extra_args(false);
  cmd->add_option("--tags", flags->analyze.tags, "MetaGraph tag set (comma-separated, default serve)");
  cmd->add_option("--inputs", flags->analyze.inputs, "GraphDef input node names (comma-separated)")
      ->allow_extra_args(false);
  cmd->add_option("--outputs", flags->analyze.outputs, "GraphDef output node names (comma-separated)")
      ->allow_extra_args(false);
  cmd->add_option("--config", flags->analyze.config, "config file (default: litelint.toml or pyproject.toml found upward)");
  cmd->callback([flags, &commands] {
    flags->analyze.inputs = split_commas(flags->analyze.inputs);
    flags->analyze.outputs = split_commas(flags->analyze.outputs);
    flags->analyze.select = split_commas(flags->analyze.select);
    flags->analyze.ignore = split_commas(flags->analyze.ignore);
    commands.selected = [flags] { return run_fix(*flags); };
  });
}

}  // namespace litelint::cli
