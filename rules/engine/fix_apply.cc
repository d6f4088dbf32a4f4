#include "rules/engine/fix_apply.h"

#include <set>
#include <string>
#include <utility>

#include "rules/engine/fix_graph.h"

namespace litelint::rules {
namespace {

// A model with more rewrites than this is looping (a fix re-matching its own output).
constexpr std::size_t kMaxRewrites = 512;

bool has_prefix_in(std::string_view code, const std::vector<std::string>& prefixes) {
  for (const auto& p : prefixes) {
    if (code.starts_with(p)) return true;
  }
  return false;
}

FixRecord record_for(const Finding& finding, const Fix& fix, const FixMatch& match,
                     const ir::Graph& graph) {
  FixRecord rec;
  rec.code = finding.code;
  rec.match = match;
  rec.safety = fix.info().safety;
  if (const ir::NodeList* nodes = body_nodes(graph, match.body)) {
    rec.fingerprint = subgraph_fingerprint(*nodes, match.nodes);
  }
  return rec;
}

// What is left once fixing stops: every reported finding, with the reason no fix took it.
std::vector<Unfixed> unfixed_findings(const Analysis& analysis, const FixPolicy* policy,
                                      const std::vector<FixRecord>& records) {
  std::vector<Unfixed> out;
  if (analysis.model.graphs.empty()) return out;
  const ir::Graph& graph = analysis.model.graph();
  for (const auto& f : analysis.result.findings) {
    Unfixed u{f.code, f.message, {}};
    const auto fixes = fixes_for(f.code);
    if (fixes.empty()) {
      u.why = "no fix for " + f.code + " (" + f.rule + ")";
    } else if (policy && !code_selected(f.code, policy->select, policy->ignore)) {
      u.why = "not selected";
    } else {
      for (const Fix* fix : fixes) {
        std::string why;
        const auto matches =
            fix->match(f, graph, policy ? policy->options : FixOptions{}, why);
        for (const auto& m : matches) {
          for (const auto& r : records) {
            if (r.match.fix_id == m.fix_id && r.match.body == m.body &&
                r.match.nodes.front() == m.nodes.front() && !r.accepted) {
              why = std::string(fix->info().id) + ": " + r.reason;
            }
          }
        }
        if (why.empty() && !matches.empty()) why = std::string(fix->info().id) + ": applied, finding remains";
        if (!why.empty()) u.why += (u.why.empty() ? "" : "; ") + why;
      }
      // The rule has fixes, but for other ops or shapes than this finding's.
      if (u.why.empty()) u.why = "no fix for " + f.code + (f.op.empty() ? std::string() : " on " + f.op);
    }
    out.push_back(std::move(u));
  }
  return out;
}

}  // namespace

bool code_selected(std::string_view code, const std::vector<std::string>& select,
                   const std::vector<std::string>& ignore) {
  if (has_prefix_in(code, ignore)) return false;
  return select.empty() || has_prefix_in(code, select);
}

std::vector<FixProposal> proposals_for(const Finding& finding, const ir::Graph& graph,
                                       const FixOptions& options) {
  std::vector<FixProposal> out;
  for (const Fix* fix : fixes_for(finding.code)) {
    std::string why_not;
    for (auto& match : fix->match(finding, graph, options, why_not)) {
      // run_fixes skips these too: a match with no nodes has nothing to rewrite.
      if (match.nodes.empty()) continue;
      out.push_back({&finding, fix, std::move(match), {}, nullptr, nullptr});
    }
  }
  return out;
}

Expected<FixRun> run_fixes(const ir::Model& model, const AnalyzeOptions& options,
                           const FixPolicy& policy, const DecideFn& decide) {
  FixRun run;
  auto analysis = analyze(ir::Model(model), options);  // a copy: the loaded model stays as read
  if (!analysis) return tl::unexpected(std::move(analysis).error());
  run.before = analysis->result;
  if (analysis->model.format == ir::Format::Tflite) {
    return fail(ErrorCode::Usage, "already a .tflite model; fix rewrites TensorFlow graphs");
  }
  // A proposal is made once per run: declining it (or its being unsafe) is final.
  std::set<std::string> proposed;
  std::size_t applied = 0;
  bool changed = true;
  while (changed && !run.quit && applied < kMaxRewrites) {
    changed = false;
    const ir::Graph& graph = analysis->model.graph();
    for (const Finding& finding : analysis->result.findings) {
      if (changed || run.quit) break;
      if (!code_selected(finding.code, policy.select, policy.ignore)) continue;
      for (const Fix* fix : fixes_for(finding.code)) {
        if (changed || run.quit) break;
        std::string why_not;
        for (const auto& match : fix->match(finding, graph, policy.options, why_not)) {
          if (match.nodes.empty()) continue;
          if (!proposed.insert(match.fix_id + '\n' + match.body + '\n' + match.nodes.front()).second) continue;
          FixRecord rec = record_for(finding, *fix, match, graph);
          const FixInfo info = fix->info();
          if (info.safety == Applicability::DisplayOnly) {
            rec.reason = "display-only";
            run.records.push_back(std::move(rec));
            continue;
          }
          if (info.safety == Applicability::Unsafe && !policy.unsafe_fixes) {
            rec.reason = "unsafe (" + std::string(info.change) + "); needs --unsafe-fixes";
            run.records.push_back(std::move(rec));
            continue;
          }
          // Rewrites run on a scratch copy: a failed or declined one leaves nothing behind.
          ir::Graph scratch = graph;
          auto edit = fix->apply(scratch, match);
          if (!edit) {
            rec.reason = "cannot apply: " + edit.error().reason();
            run.records.push_back(std::move(rec));
            continue;
          }
          const FixDecision decision = decide ? decide({&finding, fix, match, *edit, &*analysis, &scratch}) : FixDecision::Accept;
          if (decision == FixDecision::Quit) {
            run.quit = true;
            break;
          }
          if (decision == FixDecision::Decline) {
            rec.reason = "declined";
            run.records.push_back(std::move(rec));
            continue;
          }
          rec.accepted = true;
          rec.edit = std::move(*edit);
          run.records.push_back(std::move(rec));
          analysis->model.graph() = std::move(scratch);
          changed = true;
          ++applied;
          break;  // `finding` and `graph` describe the old graph now
        }
      }
    }
    if (changed) {
      // The rules run again on the rewritten graph before anything else is proposed.
      auto next = analyze(std::move(analysis->model), options);
      if (!next) return tl::unexpected(std::move(next).error());
      analysis = std::move(next);
    }
  }
  run.unfixed = unfixed_findings(*analysis, &policy, run.records);
  run.after = std::move(*analysis);
  return run;
}

Expected<FixRun> replay_fixes(const ir::Model& model, const AnalyzeOptions& options,
                              const std::vector<FixRecord>& records) {
  FixRun run;
  auto analysis = analyze(ir::Model(model), options);
  if (!analysis) return tl::unexpected(std::move(analysis).error());
  run.before = analysis->result;
  if (analysis->model.format == ir::Format::Tflite) {
    return fail(ErrorCode::Usage, "already a .tflite model; a fix plan rewrites TensorFlow graphs");
  }
  std::vector<std::string> stale;
  for (std::size_t i = 0; i < records.size(); ++i) {
    const FixRecord& rec = records[i];
    const std::string anchor = rec.match.nodes.empty() ? std::string("?") : rec.match.nodes.front();
    const std::string label = "entry " + std::to_string(i + 1) + " (" + rec.match.fix_id + " on '" + anchor + "'" +
                              (rec.match.body.empty() ? "" : " in '" + rec.match.body + "'") + ")";
    const Fix* fix = find_fix(rec.match.fix_id);
    if (fix == nullptr) {
      stale.push_back(label + ": no such fix");
      continue;
    }
    ir::Graph& graph = analysis->model.graph();
    const ir::NodeList* nodes = body_nodes(graph, rec.match.body);
    const std::string now = nodes ? subgraph_fingerprint(*nodes, rec.match.nodes) : std::string();
    if (now.empty()) {
      stale.push_back(label + ": its nodes are not in the model");
      continue;
    }
    if (now != rec.fingerprint) {
      stale.push_back(label + ": its nodes changed (fingerprint " + now + ", plan has " + rec.fingerprint + ")");
      continue;
    }
    FixRecord done = rec;
    if (!rec.accepted) {
      run.records.push_back(std::move(done));
      continue;
    }
    ir::Graph scratch = graph;
    auto edit = fix->apply(scratch, rec.match);
    if (!edit) {
      stale.push_back(label + ": " + edit.error().reason());
      continue;
    }
    done.edit = std::move(*edit);
    run.records.push_back(std::move(done));
    analysis->model.graph() = std::move(scratch);
    auto next = analyze(std::move(analysis->model), options);
    if (!next) return tl::unexpected(std::move(next).error());
    analysis = std::move(next);
  }
  if (!stale.empty()) {
    std::string reason = "fix plan does not match the model: " + std::to_string(stale.size()) + " stale " +
                         (stale.size() == 1 ? "entry" : "entries");
    for (const auto& s : stale) reason += "; " + s;
    return fail(ErrorCode::BadInput, reason);
  }
  run.unfixed = unfixed_findings(*analysis, nullptr, run.records);
  run.after = std::move(*analysis);
  return run;
}

}  // namespace litelint::rules
