#pragma once

#include <cstddef>
#include <map>
#include <string>

#include "cli/terminal.h"
#include "rules/engine/analyze.h"
#include "rules/engine/fix_apply.h"

namespace litelint::cli {

/// The one-line reason `fix -i` cannot run: no terminal on stdin or stdout, or a flag that
/// decides without asking (`--diff` shows, `--plan` replays). "" when it can run.
std::string interactive_usage_error(bool diff, bool replay);

/// Asks about each rewrite of `litelint fix -i`, one at a time, as `git add -p` asks about
/// hunks: the finding, the rewrite's before/after, its safety, what it does to the verdict and
/// the op counts, then y/n/a/d/q/?. Unsafe rewrites are offered too, marked: accepting one is
/// the consent --unsafe-fixes gives.
class FixPrompter {
 public:
  FixPrompter(const rules::AnalyzeOptions& options, Style style) : options_(options), style_(style) {}

  /// The decision callback for rules::run_fixes.
  rules::FixDecision decide(const rules::FixProposal& proposal);

 private:
  void show(const rules::FixProposal& proposal) const;
  void show_effect(const rules::Analysis& current, const rules::Analysis& after) const;

  const rules::AnalyzeOptions& options_;
  Style style_;
  /// "a" and "d" answers, by rule code: later proposals of that rule are decided without asking.
  std::map<std::string, rules::FixDecision> rule_answers_;
  std::size_t count_ = 0;
};

/// Where an interactive run writes, decided after its last proposal.
struct InteractiveWrites {
  bool quit = false;
  std::string output;      ///< the .tflite to convert to; "" for none
  std::string write_plan;  ///< where the plan goes; "" for none
};

/// After the last proposal: prints the Select TF ops left, then asks whether to convert the
/// fixed model (when it converts under the target) and where, and where to save the plan
/// unless --write-plan named it. Defaults: `output` (-o), else `MODEL.fixed.tflite` and
/// `MODEL.fix-plan.json` beside the model. A "q" (or end of input) quits: nothing is written.
InteractiveWrites ask_writes(const std::string& model_path, const rules::FixRun& run, const std::string& output,
                             const std::string& write_plan, const Style& style);

/// A file name beside the model: `dir/model.pb` -> `dir/model<suffix>`, a SavedModel
/// directory `dir/sm/` -> `dir/sm<suffix>`.
std::string beside_model(const std::string& model_path, const std::string& suffix);

}  // namespace litelint::cli
