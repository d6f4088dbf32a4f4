#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>

#include "rules/checks/graph/graph_import.h"
#include "rules/engine/rule.h"

namespace litelint::rules {
namespace {

constexpr std::string_view kDoc = R"md(
## What it does
Flags cycles in the main graph or in a function body it calls that are not TF1 loop back
edges. The only cycle TensorFlow accepts goes through a `NextIteration` -> `Merge` edge (a
`tf.compat.v1.while_loop`); any other edge that closes a cycle is an error.
## Why is this bad?
TensorFlow's GraphConstructor builds nodes in topological order and lets only a `Merge`
fed by a `NextIteration` start before all its inputs exist. Nodes on any other cycle never
become ready, and the import fails with "N nodes in a cycle" (for a function body, when the
call is instantiated) before the converter sees the graph.
## Example
    node { name: "a" op: "Add" input: "x" input: "b" ... }
    node { name: "b" op: "Mul" input: "a" input: "y" ... }   # a -> b -> a
## Fix
Re-export the graph from the program that built it; a cycle comes from editing a GraphDef
by hand or from a broken graph transformation. Loops belong in `tf.while_loop`.
)md";

bool is_merge(std::string_view op) { return op == "Merge" || op == "RefMerge" || op == "_XlaMerge"; }
bool is_next_iteration(std::string_view op) { return op == "NextIteration" || op == "RefNextIteration"; }

// One body as TensorFlow's GraphConstructor orders it (InitFromEdges, Convert).
class BodyOrder {
 public:
  explicit BodyOrder(const std::vector<ir::Node>& nodes) : nodes_(nodes) {
    const std::size_t n = nodes.size();
    for (std::size_t i = 0; i < n; ++i) index_.emplace(nodes[i].name, i);
    consumers_.resize(n);
    pending_.assign(n, 0);
    for (std::size_t i = 0; i < n; ++i) {
      const ir::Node& node = nodes[i];
      std::size_t pending = 0;
      std::size_t controls = 0;
      bool back_edge = false;
      for (const auto& ref : node.inputs) {
        auto it = index_.find(ref.node);
        if (it == index_.end()) continue;  // a function argument: available from the start
        ++pending;
        consumers_[it->second].push_back(i);
        if (ref.control) {
          ++controls;
        } else if (is_next_iteration(nodes[it->second].op)) {
          back_edge = true;
        }
      }
      // A loop's Merge waits for one data input only (its entry); the back edge comes later.
      if (is_merge(node.op) && back_edge) pending = controls + 1;
      pending_[i] = pending;
    }
  }

  /// Indexes of the nodes TensorFlow never gets to.
  std::vector<bool> stuck() {
    std::vector<std::size_t> ready;
    for (std::size_t i = 0; i < pending_.size(); ++i) {
      if (pending_[i] == 0) ready.push_back(i);
    }
    std::vector<bool> done(pending_.size(), false);
    while (!ready.empty()) {
      const std::size_t i = ready.back();
      ready.pop_back();
      done[i] = true;
      const bool from_next_iteration = is_next_iteration(nodes_[i].op);
      for (std::size_t c : consumers_[i]) {
        if (from_next_iteration && is_merge(nodes_[c].op)) continue;  // a back edge
        if (pending_[c] == 0) continue;
        if (--pending_[c] == 0) ready.push_back(c);
      }
    }
    std::vector<bool> out(done.size());
    for (std::size_t i = 0; i < done.size(); ++i) out[i] = !done[i];
    return out;
  }

  /// One cycle through stuck nodes reachable from `start` along edges TensorFlow waits on;
  /// empty when `start` only waits behind a cycle.
  std::vector<std::size_t> cycle_from(std::size_t start, const std::vector<bool>& stuck,
                                      std::vector<int>& color) const {
    // Iterative DFS: color 0 new, 1 on the stack, 2 finished.
    std::vector<std::pair<std::size_t, std::size_t>> stack{{start, 0}};
    color[start] = 1;
    while (!stack.empty()) {
      auto& [node, next] = stack.back();
      const auto& outs = consumers_[node];
      if (next == outs.size()) {
        color[node] = 2;
        stack.pop_back();
        continue;
      }
      const std::size_t c = outs[next++];
      if (!stuck[c] || (is_next_iteration(nodes_[node].op) && is_merge(nodes_[c].op))) continue;
      if (color[c] == 1) {
        std::vector<std::size_t> cycle;
        std::size_t k = stack.size();
        while (k > 0 && stack[k - 1].first != c) --k;
        for (std::size_t j = k - 1; j < stack.size(); ++j) cycle.push_back(stack[j].first);
        return cycle;
      }
      if (color[c] == 0) {
        color[c] = 1;
        stack.emplace_back(c, 0);
      }
    }
    return {};
  }

 private:
  const std::vector<ir::Node>& nodes_;
  std::unordered_map<std::string_view, std::size_t> index_;
  std::vector<std::vector<std::size_t>> consumers_;
  std::vector<std::size_t> pending_;
};

class GraphCycle final : public Rule {
 public:
  RuleInfo info() const override {
    return {.code = "LL411", .name = "graph-cycle", .severity = Severity::Error,
            .summary = "cycle that is not a loop back edge, so TensorFlow cannot import the graph",
            .doc = kDoc};
  }
  void check_graph(const ir::Graph& graph, RuleContext& ctx) const override {
    if (!checks::read_by_tensorflow(ctx)) return;
    check_body(graph.nodes.nodes(), nullptr, ctx);
    for (const ir::Function* f : checks::reachable_functions(graph)) check_body(f->body.nodes(), f, ctx);
  }

 private:
  static void check_body(const std::vector<ir::Node>& nodes, const ir::Function* fn, RuleContext& ctx) {
    BodyOrder order(nodes);
    const std::vector<bool> stuck = order.stuck();
    std::size_t count = 0;
    for (bool s : stuck) count += s ? 1 : 0;
    if (count == 0) return;
    const std::string where = fn ? fmt::format(" of function '{}'", fn->name) : "";
    std::vector<int> color(nodes.size(), 0);
    bool reported = false;
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      if (!stuck[i] || color[i] != 0) continue;
      auto cycle = order.cycle_from(i, stuck, color);
      if (cycle.empty()) continue;
      std::string path;
      for (std::size_t k : cycle) path += "'" + nodes[k].name + "' -> ";
      path += "'" + nodes[cycle.front()].name + "'";
      checks::report_at(ctx, nodes[cycle.front()], fn,
                        fmt::format("is on a cycle{} that is not a NextIteration -> Merge loop back "
                                    "edge ({}); TensorFlow's importer fails with \"{} nodes in a "
                                    "cycle\"", where, path, count))
          .impact(Impact::Fails)
          .suggestion("remove the edge that closes the cycle; loops belong in tf.while_loop");
      reported = true;
    }
    if (reported) return;
    // No cycle among the stuck nodes: a Merge fed only by NextIteration waits forever.
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      if (!stuck[i]) continue;
      checks::report_at(ctx, nodes[i], fn,
                        fmt::format("never gets all its inputs{}: it waits on a loop back edge "
                                    "only; TensorFlow's importer fails with \"{} nodes in a "
                                    "cycle\"", where, count))
          .impact(Impact::Fails)
          .suggestion("give the loop's Merge its entry input (an Enter node)");
      return;
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_graph_cycle() { return std::make_unique<GraphCycle>(); }

}  // namespace litelint::rules
