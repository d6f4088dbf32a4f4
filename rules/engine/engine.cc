#include "rules/engine/engine.h"

#include <algorithm>
#include <deque>
#include <map>
#include <string>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include <fmt/format.h>

#include "analyzer/ir/function_refs.h"
#include "analyzer/passes/dead_code.h"
#include "rules/engine/fusions.h"
#include "rules/engine/registry.h"
#include "rules/engine/rule.h"
#include "rules/engine/rule_context.h"

namespace litelint::rules {
namespace {

// A grouped message names this many nodes, then "and N more".

// The signature whose outputs define the converted graph, as TFLiteConverter picks it.
const ir::Signature* chosen_signature(const ir::Graph& graph, const LintOptions& options) {
  if (!options.signature.empty()) return graph.find_signature(options.signature);
  return nullptr;
}

std::string node_of_tensor(std::string_view tensor) {
  auto ref = ir::TensorRef::parse(tensor);
  return ref ? ref->node : std::string(tensor);
}

// Main-graph nodes the outputs depend on (data and control edges), in graph order. Every
// node when no outputs are known or none of them exists. `results` gets the output tensors.
std::vector<const ir::Node*> reachable_main_nodes(const ir::Graph& graph,
                                                  const LintOptions& options,
                                                  std::vector<std::string>& results) {
  std::vector<std::string> roots;
  auto add_output = [&](const std::string& tensor) {
    results.push_back(tensor);
    roots.push_back(node_of_tensor(tensor));
  };
  auto add_signature = [&](const ir::Signature& sig) {
    for (const auto& out : sig.outputs) {
      if (!out.tensor_name.empty()) add_output(out.tensor_name);
    }
  };
  if (const auto* sig = chosen_signature(graph, options)) {
    add_signature(*sig);
  } else if (!options.outputs.empty()) {
    for (const auto& out : options.outputs) add_output(out);
  } else if (options.signature.empty()) {
    // from_saved_model without signature_keys converts every signature.
    // "__saved_model_init_op" and friends are initializers, not signatures users convert.
    for (const auto& sig : graph.signatures) {
      if (!sig.key.starts_with("__")) add_signature(sig);
    }
  }
  std::unordered_set<const ir::Node*> seen;
  std::deque<const ir::Node*> queue;
  for (const auto& name : roots) {
    if (const auto* n = graph.nodes.find(name); n && seen.insert(n).second) queue.push_back(n);
  }
  std::vector<const ir::Node*> result;
  if (queue.empty()) {
    for (const auto& n : graph.nodes.nodes()) result.push_back(&n);
    return result;
  }
  while (!queue.empty()) {
    const ir::Node* n = queue.front();
    queue.pop_front();
    for (const auto& in : n->inputs) {
      if (const auto* p = graph.nodes.find(in.node); p && seen.insert(p).second) {
        queue.push_back(p);
      }
    }
  }
  for (const auto& n : graph.nodes.nodes()) {
    if (seen.count(&n)) result.push_back(&n);
  }
  return result;
}

struct Walk {
  std::vector<VisitedNode> visited;
  std::vector<std::vector<std::string>> paths;  // paths[0] is the main graph
  std::size_t functions = 0;
};

// The single traversal: main graph first, then functions breadth-first so that each function
// is reached by its shortest call path and visited once.
Walk walk(const ir::Graph& graph, const LintOptions& options) {
  Walk w;
  w.paths.emplace_back();
  std::unordered_map<std::string_view, const ir::Function*> functions;
  for (const auto& f : graph.functions) functions.emplace(f.name, &f);
  std::unordered_set<const ir::Function*> queued;
  std::deque<std::pair<const ir::Function*, std::uint32_t>> queue;
  auto enqueue_calls = [&](const ir::Node& node, std::uint32_t parent_path) {
    for (const auto& name : ir::function_refs(node)) {
      auto it = functions.find(name);
      if (it == functions.end() || ir::is_fused_composite(*it->second) ||
          !queued.insert(it->second).second) {
        continue;
      }
      auto path = w.paths[parent_path];
      path.push_back(it->second->name);
      w.paths.push_back(std::move(path));
      queue.emplace_back(it->second, static_cast<std::uint32_t>(w.paths.size() - 1));
    }
  };
  // Nodes a fusion absorbs become part of one builtin and need no kernel of their own.
  auto visit_scope = [&](const ir::NodeList& nodes, const std::vector<const ir::Node*>& live,
                         const std::vector<std::string>& results, const ir::Function* fn,
                         std::uint32_t path) {
    const auto fused = fused_nodes({nodes, live, results});
    for (const ir::Node* n : live) {
      if (fused.count(n)) continue;
      w.visited.push_back({n, fn, path});
      enqueue_calls(*n, path);
    }
  };
  std::vector<std::string> main_results;
  auto main_nodes = reachable_main_nodes(graph, options, main_results);
  visit_scope(graph.nodes, main_nodes, main_results, nullptr, 0);
  while (!queue.empty()) {
    auto [fn, path] = queue.front();
    queue.pop_front();
    ++w.functions;
    // Dead code never reaches legalization, and neither do the functions only it calls.
    const auto is_live = passes::live_body_nodes(*fn);
    const auto& body = fn->body.nodes();
    std::vector<const ir::Node*> live;
    for (std::size_t i = 0; i < body.size(); ++i) {
      if (is_live[i]) live.push_back(&body[i]);
    }
    std::vector<std::string> results;
    for (const auto& [arg, tensor] : fn->ret) results.push_back(tensor);
    visit_scope(fn->body, live, results, fn, path);
  }
  return w;
}

bool matches_prefix(const std::vector<std::string>& prefixes, std::string_view code,
                    std::string_view name) {
  for (const auto& p : prefixes) {
    if (code.starts_with(p) || name == p) return true;
  }
  return false;
}


}  // namespace

LintResult lint(const ir::Graph& graph, const LintOptions& options) {
  LintResult result;
  result.profile = make_profile(options.target, options.allow_custom_ops);

  // Rules that apply to the target, and which of them want each op type.
  std::vector<const Rule*> rules;
  std::vector<RuleInfo> infos;
  for (const auto& r : all_rules()) {
    auto info = r->info();
    if (!rule_applies(info.code, result.profile)) continue;
    rules.push_back(r.get());
    infos.push_back(info);
  }
  std::unordered_map<std::string_view, std::vector<std::size_t>> by_op;
  std::vector<std::size_t> every_op;
  std::vector<std::vector<std::string_view>> wanted(rules.size());
  for (std::size_t i = 0; i < rules.size(); ++i) {
    wanted[i] = rules[i]->ops();
    if (wanted[i].empty()) every_op.push_back(i);
    for (auto op : wanted[i]) by_op[op].push_back(i);
  }

  RuleContext ctx(graph, options, result.profile);
  Walk w = walk(graph, options);
  result.nodes_checked = w.visited.size();
  result.functions_checked = w.functions;
  ctx.set_walk(w.visited, std::move(w.paths));

  for (const auto& v : ctx.visited()) {
    ctx.focus(v);
    auto it = by_op.find(v.node->op);
    // Rules run in registry (code) order so findings come out in a stable order.
    std::vector<std::size_t> todo = every_op;
    if (it != by_op.end()) todo.insert(todo.end(), it->second.begin(), it->second.end());
    std::sort(todo.begin(), todo.end());
    for (std::size_t i : todo) {
      ctx.set_rule(i);
      rules[i]->check(*v.node, ctx);
    }
  }
  for (std::size_t i = 0; i < rules.size(); ++i) {
    ctx.focus(VisitedNode{});
    ctx.set_rule(i);
    rules[i]->check_graph(graph, ctx);
  }

  // Group equal causes: one finding per rule, op type, cause and effect.
  using Key = std::tuple<std::size_t, std::string, std::string, std::string, Impact, std::string>;
  std::map<Key, std::size_t> groups;
  std::vector<Finding> all;
  for (auto& raw : ctx.raw_findings()) {
    Key key{raw.rule, raw.op, raw.cause, raw.suggestion, raw.impact, raw.fallback_op};
    auto [it, inserted] = groups.emplace(key, all.size());
    if (inserted) {
      Finding f;
      const RuleInfo& info = infos[raw.rule];
      f.code = std::string(info.code);
      f.rule = std::string(info.name);
      f.severity = severity_for(raw.impact, info.severity, result.profile);
      f.cause = raw.cause;
      f.op = raw.op;
      f.suggestion = raw.suggestion;
      f.impact = raw.impact;
      f.fallback_op = raw.fallback_op;
      all.push_back(std::move(f));
    }
    Finding& f = all[it->second];
    if (std::find(f.nodes.begin(), f.nodes.end(), raw.node) == f.nodes.end()) {
      f.nodes.push_back(std::move(raw.node));
    }
    for (auto flag : raw.flags) {
      if (std::find(f.flags.begin(), f.flags.end(), flag) == f.flags.end()) f.flags.push_back(flag);
    }
  }
  for (auto& f : all) f.message = group_message(f.nodes, f.op, f.cause);
  finish_result(result, std::move(all), options);
  return result;
}

void finish_result(LintResult& result, std::vector<Finding> all, const LintOptions& options) {
  result.verdict = verdict_of(all);
  for (auto m : {Mode::Builtins, Mode::Select, Mode::Custom, Mode::SelectCustom}) {
    result.converts_in_mode[static_cast<std::size_t>(m)] = converts(all, m);
  }
  result.converts = result.converts_in_mode[static_cast<std::size_t>(result.profile.mode())];
  result.plan = make_plan(all, result.profile);

  std::vector<std::size_t> keep;
  for (std::size_t i = 0; i < all.size(); ++i) {
    const auto& f = all[i];
    if (!options.select.empty() && !matches_prefix(options.select, f.code, f.rule)) continue;
    if (matches_prefix(options.ignore, f.code, f.rule)) continue;
    keep.push_back(i);
  }
  // `all` is in first-seen order, which a stable sort keeps within a severity and code.
  std::stable_sort(keep.begin(), keep.end(), [&](std::size_t a, std::size_t b) {
    return std::tie(all[a].severity, all[a].code) < std::tie(all[b].severity, all[b].code);
  });
  for (std::size_t i : keep) {
    ++result.counts[static_cast<std::size_t>(all[i].severity)];
    result.findings.push_back(std::move(all[i]));
  }
}

std::size_t drop_nodes(LintResult& result, const NodeFilter& drop) {
  std::size_t dropped = 0;
  std::vector<Finding> kept;
  for (auto& f : result.findings) {
    if (f.nodes.empty()) {
      if (drop(f, FindingNode{})) {
        ++dropped;
      } else {
        kept.push_back(std::move(f));
      }
      continue;
    }
    std::vector<FindingNode> nodes;
    for (auto& n : f.nodes) {
      if (drop(f, n)) {
        ++dropped;
      } else {
        nodes.push_back(std::move(n));
      }
    }
    if (nodes.empty()) continue;
    const bool changed = nodes.size() != f.nodes.size();
    f.nodes = std::move(nodes);
    if (changed) f.message = result.message_for(f.nodes, f.op, f.cause);
    kept.push_back(std::move(f));
  }
  result.findings = std::move(kept);
  result.counts = {0, 0, 0};
  for (const auto& f : result.findings) ++result.counts[static_cast<std::size_t>(f.severity)];
  return dropped;
}

}  // namespace litelint::rules
