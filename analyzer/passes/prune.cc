#include "analyzer/passes/prune.h"

#include <deque>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "analyzer/ir/function_refs.h"

namespace litelint::passes {
namespace {

/// Node name of a tensor name ("x:0" -> "x", "^x" -> "x"); nullopt when malformed.
std::optional<std::string> node_of(const std::string& tensor) {
  auto ref = ir::TensorRef::parse(tensor);
  if (!ref) return std::nullopt;
  return ref->node;
}

/// Removes every main-graph node not in `keep`, then functions not reachable from kept nodes
/// (or from `extra_functions`), then variables and assets of removed nodes.
void apply(ir::Graph& graph, const std::unordered_set<std::string>& keep,
           const std::vector<std::string>& extra_functions) {
  std::unordered_set<std::string> removed;
  auto& nodes = graph.nodes.mutable_nodes();
  std::vector<ir::Node> kept;
  kept.reserve(keep.size());
  for (auto& n : nodes) {
    if (keep.count(n.name)) kept.push_back(std::move(n));
    else removed.insert(n.name);
  }
  nodes = std::move(kept);
  graph.nodes.reindex();

  std::unordered_set<std::string> library;
  for (const auto& f : graph.functions) library.insert(f.name);
  std::unordered_set<std::string> reachable;
  std::deque<std::string> queue;
  auto visit = [&](const std::string& name) {
    if (library.count(name) && reachable.insert(name).second) queue.push_back(name);
  };
  for (const auto& n : graph.nodes.nodes()) ir::for_each_function_ref(n, visit);
  for (const auto& f : extra_functions) visit(f);
  while (!queue.empty()) {
    const auto* fn = graph.find_function(queue.front());
    queue.pop_front();
    if (!fn) continue;
    ir::for_each_function_ref(*fn, visit);
    for (const auto& n : fn->body.nodes()) ir::for_each_function_ref(n, visit);
  }
  std::erase_if(graph.functions, [&](const ir::Function& f) { return !reachable.count(f.name); });
  std::erase_if(graph.variables, [&](const ir::Variable& v) { return removed.count(v.node_name) > 0; });
  std::erase_if(graph.assets, [&](const ir::Asset& a) {
    auto n = node_of(a.tensor_name);
    return n && removed.count(*n) > 0;
  });
}

/// Backward closure over data and control inputs from `roots`, not crossing `stops`.
std::unordered_set<std::string> reach_back(const ir::NodeList& nodes, const std::vector<std::string>& roots,
                                           const std::unordered_set<std::string>& stops) {
  std::unordered_set<std::string> seen;
  std::vector<const ir::Node*> stack;
  for (const auto& r : roots) {
    const auto* n = nodes.find(r);
    if (n && seen.insert(n->name).second) stack.push_back(n);
  }
  while (!stack.empty()) {
    const auto* n = stack.back();
    stack.pop_back();
    if (stops.count(n->name)) continue;
    for (const auto& in : n->inputs) {
      const auto* p = nodes.find(in.node);
      if (p && seen.insert(p->name).second) stack.push_back(p);
    }
  }
  return seen;
}

}  // namespace

Expected<void> prune_to_signature(ir::Graph& graph, std::string_view signature_key) {
  const ir::Signature* sig = graph.find_signature(signature_key);
  if (!sig) {
    std::string available;
    for (const auto& s : graph.signatures) available += (available.empty() ? "" : ", ") + s.key;
    return fail(ErrorCode::Usage, "no signature '" + std::string(signature_key) + "'; available: " +
                                      (available.empty() ? "none" : available));
  }
  std::vector<std::string> roots;
  for (const auto* list : {&sig->outputs, &sig->inputs}) {
    for (const auto& t : *list) {
      if (t.tensor_name.empty()) continue;  // composite tensors have no single graph tensor
      auto n = node_of(t.tensor_name);
      if (!n || !graph.nodes.find(*n)) {
        return bad_input("signature '" + sig->key + "' names tensor '" + t.tensor_name + "' for '" + t.key +
                         "', but the graph has no such node");
      }
      roots.push_back(*n);
    }
  }
  auto keep = reach_back(graph.nodes, roots, {});
  std::vector<std::string> extra;
  if (!sig->function_name.empty()) extra.push_back(sig->function_name);
  ir::Signature chosen = *sig;
  apply(graph, keep, extra);
  graph.signatures = {std::move(chosen)};
  return {};
}

Expected<void> prune_to_outputs(ir::Graph& graph, const std::vector<std::string>& inputs,
                                const std::vector<std::string>& outputs) {
  std::vector<std::string> roots;
  std::unordered_set<std::string> stops;
  for (const auto& t : outputs) {
    auto n = node_of(t);
    if (!n || !graph.nodes.find(*n)) return fail(ErrorCode::Usage, "output '" + t + "' is not a node of the graph");
    roots.push_back(*n);
  }
  for (const auto& t : inputs) {
    auto n = node_of(t);
    if (!n || !graph.nodes.find(*n)) return fail(ErrorCode::Usage, "input '" + t + "' is not a node of the graph");
    stops.insert(*n);
    roots.push_back(*n);
  }
  auto keep = reach_back(graph.nodes, roots, stops);
  apply(graph, keep, {});
  std::erase_if(graph.signatures, [&](const ir::Signature& s) {
    for (const auto* list : {&s.inputs, &s.outputs}) {
      for (const auto& t : *list) {
        auto n = node_of(t.tensor_name);
        if (n && !keep.count(*n)) return true;
      }
    }
    return false;
  });
  return {};
}

}  // namespace litelint::passes
