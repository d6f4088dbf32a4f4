#include "reports/graph_sketch.h"

#include <algorithm>
#include <deque>
#include <map>
#include <set>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "analyzer/ir/function_refs.h"

namespace litelint::reports {
namespace {

// A model with thousands of (even empty) function bodies must not make the report unbounded.
constexpr std::size_t kMaxSketchGraphs = 1000;

std::string node_of_tensor(std::string_view tensor) {
  auto ref = ir::TensorRef::parse(tensor);
  return ref ? ref->node : std::string(tensor);
}

// The main-graph nodes lint() walks: what the chosen signature's outputs (or the given
// outputs, or every user-facing signature) depend on; every node when no root exists.
// Mirrors rules/engine/engine.cc so the drawing shows exactly what was checked.
std::vector<const ir::Node*> reachable_main_nodes(const ir::Graph& graph,
                                                  const rules::LintOptions& options) {
  std::vector<std::string> roots;
  auto add_signature = [&](const ir::Signature& sig) {
    for (const auto& out : sig.outputs) {
      if (!out.tensor_name.empty()) roots.push_back(node_of_tensor(out.tensor_name));
    }
  };
  const ir::Signature* chosen =
      options.signature.empty() ? nullptr : graph.find_signature(options.signature);
  if (chosen != nullptr) {
    add_signature(*chosen);
  } else if (!options.outputs.empty()) {
    for (const auto& out : options.outputs) roots.push_back(node_of_tensor(out));
  } else if (options.signature.empty()) {
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
      if (const auto* p = graph.nodes.find(in.node); p && seen.insert(p).second) queue.push_back(p);
    }
  }
  for (const auto& n : graph.nodes.nodes()) {
    if (seen.count(&n)) result.push_back(&n);
  }
  return result;
}


// One graph to sketch: the main graph (fn == nullptr) or a function body.
struct Candidate {
  const ir::Function* fn = nullptr;
  std::vector<const ir::Node*> nodes;  // in graph order
};

// Names of the nodes findings point at, per graph ("" = main graph).
std::map<std::string, std::set<std::string>, std::less<>> finding_nodes(
    const rules::LintResult& result) {
  std::map<std::string, std::set<std::string>, std::less<>> out;
  for (const auto& f : result.findings) {
    for (const auto& n : f.nodes) {
      const std::string fn = n.path.size() >= 2 ? n.path[n.path.size() - 2] : std::string();
      out[fn].insert(n.name);
    }
  }
  return out;
}

// Picks at most `budget` nodes of `all` (graph order): offending nodes first, then their
// direct producers and consumers, then the rest in graph order. Returns them in graph order.
std::vector<const ir::Node*> choose_nodes(const std::vector<const ir::Node*>& all,
                                          const std::set<std::string>* offending,
                                          std::size_t budget) {
  if (all.size() <= budget) return all;
  std::unordered_map<std::string_view, std::size_t> position;
  for (std::size_t i = 0; i < all.size(); ++i) position.emplace(all[i]->name, i);
  std::vector<char> keep(all.size(), 0);
  std::size_t kept = 0;
  auto take = [&](std::size_t i) {
    if (kept < budget && !keep[i]) {
      keep[i] = 1;
      ++kept;
    }
  };
  if (offending != nullptr) {
    for (std::size_t i = 0; i < all.size(); ++i) {
      if (offending->count(all[i]->name)) take(i);
    }
    // Neighbours give the offending nodes their context in the drawing.
    std::vector<char> is_offending = keep;
    for (std::size_t i = 0; i < all.size() && kept < budget; ++i) {
      for (const auto& in : all[i]->inputs) {
        auto it = position.find(in.node);
        if (it == position.end()) continue;
        if (is_offending[i]) take(it->second);
        if (is_offending[it->second]) take(i);
      }
    }
  }
  for (std::size_t i = 0; i < all.size() && kept < budget; ++i) take(i);
  std::vector<const ir::Node*> out;
  out.reserve(kept);
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (keep[i]) out.push_back(all[i]);
  }
  return out;
}

}  // namespace

GraphSketch sketch_graph(const ir::Graph& graph, const rules::LintOptions& options,
                         const rules::LintResult& result) {
  // 1. What lint() walked: the reachable main-graph nodes, then function bodies breadth-first.
  std::unordered_map<std::string_view, const ir::Function*> functions;
  for (const auto& f : graph.functions) functions.emplace(f.name, &f);
  std::vector<Candidate> candidates;
  candidates.push_back({nullptr, reachable_main_nodes(graph, options)});
  std::unordered_set<const ir::Function*> queued;
  for (std::size_t c = 0; c < candidates.size(); ++c) {
    for (const ir::Node* n : candidates[c].nodes) {
      for (const auto& name : ir::function_refs(*n)) {
        auto it = functions.find(name);
        if (it == functions.end() || ir::is_fused_composite(*it->second) ||
            !queued.insert(it->second).second) {
          continue;
        }
        Candidate next{it->second, {}};
        for (const auto& body_node : it->second->body.nodes()) next.nodes.push_back(&body_node);
        candidates.push_back(std::move(next));
      }
    }
  }

  // 2. Budgets: graphs with findings first, then the others in walk order.
  const auto offending = finding_nodes(result);
  auto offending_in = [&](const Candidate& c) -> const std::set<std::string>* {
    auto it = offending.find(c.fn ? std::string_view(c.fn->name) : std::string_view());
    return it == offending.end() ? nullptr : &it->second;
  };
  std::vector<std::size_t> order;
  for (std::size_t c = 0; c < candidates.size(); ++c) {
    if (offending_in(candidates[c])) order.push_back(c);
  }
  for (std::size_t c = 0; c < candidates.size(); ++c) {
    if (!offending_in(candidates[c])) order.push_back(c);
  }
  std::vector<std::vector<const ir::Node*>> chosen(candidates.size());
  std::vector<char> included(candidates.size(), 0);
  std::size_t remaining = kMaxSketchNodes;
  std::size_t graphs = 0;
  for (std::size_t c : order) {
    const std::size_t want = std::min(candidates[c].nodes.size(), kMaxSketchGraphNodes);
    if (graphs >= kMaxSketchGraphs || (want > 0 && remaining == 0)) continue;
    chosen[c] = choose_nodes(candidates[c].nodes, offending_in(candidates[c]),
                             std::min(want, remaining));
    remaining -= chosen[c].size();
    included[c] = 1;
    ++graphs;
  }

  // 3. Emit in walk order, so the main graph comes first and indices are stable.
  GraphSketch sketch;
  std::unordered_map<std::string_view, std::uint32_t> graph_index;
  for (std::size_t c = 0; c < candidates.size(); ++c) {
    if (!included[c]) {
      ++sketch.omitted_graphs;
      continue;
    }
    const auto index = static_cast<std::uint32_t>(sketch.graphs.size());
    if (candidates[c].fn) graph_index.emplace(candidates[c].fn->name, index);
    SketchGraph g;
    g.function = candidates[c].fn ? candidates[c].fn->name : std::string();
    g.total_nodes = candidates[c].nodes.size();
    sketch.graphs.push_back(std::move(g));
  }
  std::size_t out = 0;
  for (std::size_t c = 0; c < candidates.size(); ++c) {
    if (!included[c]) continue;
    SketchGraph& g = sketch.graphs[out++];
    const ir::NodeList& list = candidates[c].fn ? candidates[c].fn->body : graph.nodes;
    const ir::Node* base = list.nodes().data();
    std::unordered_map<std::string_view, std::uint32_t> local;
    for (const ir::Node* n : chosen[c]) {
      local.emplace(n->name, static_cast<std::uint32_t>(g.nodes.size()));
      SketchNode node{n->name, n->op, static_cast<std::uint32_t>(n - base), {}};
      for (const auto& name : ir::function_refs(*n)) {
        auto it = graph_index.find(name);
        if (it != graph_index.end() &&
            std::find(node.calls.begin(), node.calls.end(), it->second) == node.calls.end()) {
          node.calls.push_back(it->second);
        }
      }
      g.nodes.push_back(std::move(node));
    }
    std::set<std::tuple<std::uint32_t, std::uint32_t, bool>> edges;
    for (std::size_t to = 0; to < chosen[c].size(); ++to) {
      for (const auto& in : chosen[c][to]->inputs) {
        // In function bodies an input may name a function argument, which is not a node.
        auto it = local.find(in.node);
        if (it != local.end()) edges.emplace(it->second, static_cast<std::uint32_t>(to), in.control);
      }
    }
    for (const auto& [from, to, control] : edges) g.edges.push_back({from, to, control});
  }
  return sketch;
}

}  // namespace litelint::reports
