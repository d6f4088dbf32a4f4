#pragma once

#include <functional>
#include <string>
#include <vector>

#include "analyzer/ir/model.h"
#include "analyzer/support/expected.h"
#include "rules/engine/analyze.h"
#include "rules/engine/fix.h"

namespace litelint::rules {

/// What the user, or the policy standing in for one, says about a proposed rewrite.
enum class FixDecision { Accept, Decline, Quit };

/// One rewrite offered for one finding, as a decision callback sees it.
struct FixProposal {
  const Finding* finding = nullptr;  ///< the finding it answers, in the current analysis
  const Fix* fix = nullptr;
  FixMatch match;
  GraphEdit preview;  ///< what applying it would remove and add (computed on a scratch copy)
  /// The model as it stands before this rewrite, linted; nullptr from proposals_for.
  const Analysis* current = nullptr;
  /// The graph with this rewrite applied (the scratch copy), so that a caller can show the
  /// rewritten nodes and lint the result before deciding; nullptr from proposals_for.
  const ir::Graph* rewritten = nullptr;
};

/// Asked once per proposal that the policy allows; the interactive mode (-i) supplies one
/// that prompts, the non-interactive run one that accepts.
using DecideFn = std::function<FixDecision(const FixProposal&)>;

/// Which fixes a run may apply (flags of `litelint fix`).
struct FixPolicy {
  bool unsafe_fixes = false;         ///< --unsafe-fixes
  std::vector<std::string> select;   ///< rule-code prefixes whose fixes run; empty = all
  std::vector<std::string> ignore;   ///< rule-code prefixes whose fixes never run
  FixOptions options;
};

/// One decision of a run, in order: the plan is these records.
struct FixRecord {
  std::string code;  ///< the rule code the fix answers
  FixMatch match;
  std::string fingerprint;  ///< subgraph_fingerprint of match.nodes before the rewrite
  bool accepted = false;
  /// Why a declined proposal was declined ("unsafe; needs --unsafe-fixes", "declined").
  std::string reason;
  Applicability safety = Applicability::Safe;
  GraphEdit edit;  ///< empty for declined records
};

/// A finding no fix answered, and why.
struct Unfixed {
  std::string code;
  std::string message;
  std::string why;  ///< "no fix for LL101 on 'Angle'" or the fix's own reason
};

/// The outcome of `litelint fix` on one model.
struct FixRun {
  LintResult before;
  std::vector<FixRecord> records;
  std::vector<Unfixed> unfixed;  ///< over the final analysis
  Analysis after;                ///< the rewritten model, linted again
  bool quit = false;             ///< the decision callback said Quit
};

/// The rewrites `litelint fix` would propose for `finding` on `graph`, in the order it proposes
/// them (registry order, then each fix's matches), applying nothing: `preview` stays empty.
/// Reports use it to show a finding's fix without running one.
std::vector<FixProposal> proposals_for(const Finding& finding, const ir::Graph& graph,
                                       const FixOptions& options);

/// Applies fixes to a copy of `model` (the loaded model is never touched) until no allowed
/// fix matches: after each accepted rewrite the rules run again, so later proposals see the
/// rewritten graph and a fix that makes things worse shows in the findings. Fails only when
/// re-analysis fails or a rewrite that matched cannot be applied (a bug, reported as a value).
Expected<FixRun> run_fixes(const ir::Model& model, const AnalyzeOptions& options,
                           const FixPolicy& policy, const DecideFn& decide);

/// Replays recorded decisions on a copy of `model`, in order, with the same re-analysis
/// between them as run_fixes. Accepted records are applied, declined ones only checked. Any
/// record whose nodes are missing or digest differently (the model changed) makes the whole
/// replay fail (ErrorCode::BadInput) naming every such entry by its 1-based index, fix id and
/// anchor node: never a silent partial application.
Expected<FixRun> replay_fixes(const ir::Model& model, const AnalyzeOptions& options,
                              const std::vector<FixRecord>& records);

/// True when `code` is one `select`/`ignore` (rule-code prefixes) keep.
bool code_selected(std::string_view code, const std::vector<std::string>& select,
                   const std::vector<std::string>& ignore);

}  // namespace litelint::rules
