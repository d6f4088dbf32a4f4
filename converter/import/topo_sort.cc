// Orders a flat graph producers-first, so that legalization can walk it once. Among the nodes
// that are ready, the signature's inputs come first (in signature order), then the others in
// their previous order, which keeps the result close to the model's own node order.
#include <cstddef>
#include <functional>
#include <queue>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "converter/import/steps.h"

namespace litelint::converter::import {

Expected<void> topo_sort(FlatGraph& flat) {
  auto& nodes = flat.nodes.mutable_nodes();
  const std::size_t count = nodes.size();
  std::unordered_map<std::string, std::size_t> input_rank;
  for (std::size_t i = 0; i < flat.inputs.size(); ++i) input_rank.emplace(flat.inputs[i], i);

  std::vector<std::size_t> priority(count);
  std::vector<std::size_t> pending(count, 0);
  std::vector<std::vector<std::size_t>> consumers(count);
  for (std::size_t i = 0; i < count; ++i) {
    auto r = input_rank.find(nodes[i].name);
    priority[i] = r != input_rank.end() ? r->second : flat.inputs.size() + i;
    for (const auto& in : nodes[i].inputs) {
      const ir::Node* p = flat.nodes.find(in.node);
      // NextIteration feeds a TF1 loop's Merge from the end of the loop: a back edge.
      if (!p || p->op == "NextIteration" || p->op == "RefNextIteration") continue;
      consumers[static_cast<std::size_t>(p - nodes.data())].push_back(i);
      ++pending[i];
    }
  }

  using Entry = std::pair<std::size_t, std::size_t>;  // (priority, node index)
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> ready;
  for (std::size_t i = 0; i < count; ++i) {
    if (pending[i] == 0) ready.emplace(priority[i], i);
  }
  std::vector<std::size_t> order;
  order.reserve(count);
  while (!ready.empty()) {
    std::size_t v = ready.top().second;
    ready.pop();
    order.push_back(v);
    for (std::size_t c : consumers[v]) {
      if (--pending[c] == 0) ready.emplace(priority[c], c);
    }
  }
  if (order.size() != count) {
    // Every node left waits for another node left; walking producers from any of them for
    // `count` steps must end on the cycle itself, which is the node worth naming.
    std::size_t v = 0;
    while (pending[v] == 0) ++v;
    for (std::size_t step = 0; step < count; ++step) {
      for (const auto& in : nodes[v].inputs) {
        const ir::Node* p = flat.nodes.find(in.node);
        if (!p || p->op == "NextIteration" || p->op == "RefNextIteration") continue;
        auto i = static_cast<std::size_t>(p - nodes.data());
        if (pending[i] != 0) {
          v = i;
          break;
        }
      }
    }
    return bad_input("node '" + nodes[v].name + "' (" + nodes[v].op +
                     ") is on a cycle that is not a TF1 loop (no NextIteration closes it)");
  }
  std::vector<ir::Node> sorted;
  sorted.reserve(count);
  for (std::size_t i : order) sorted.push_back(std::move(nodes[i]));
  nodes = std::move(sorted);
  flat.nodes.reindex();
  return {};
}

}  // namespace litelint::converter::import
