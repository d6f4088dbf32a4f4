#include "analyzer/passes/dead_code.h"

#include <cstddef>
#include <string>

namespace litelint::passes {

std::vector<bool> live_body_nodes(const ir::Function& fn) {
  const auto& nodes = fn.body.nodes();
  std::vector<bool> live(nodes.size(), false);
  std::vector<std::size_t> stack;
  // Body node names are unique (NodeList), so a node's index follows from its address.
  auto visit = [&](const std::string& name) {
    const ir::Node* n = fn.body.find(name);
    if (!n) return;  // a function argument, or a dangling name the loader reported
    auto i = static_cast<std::size_t>(n - nodes.data());
    if (!live[i]) {
      live[i] = true;
      stack.push_back(i);
    }
  };
  for (const auto& [arg, tensor] : fn.ret) {
    if (auto ref = ir::TensorRef::parse(tensor)) visit(ref->node);
  }
  for (const auto& [name, node] : fn.control_ret) visit(node);
  while (!stack.empty()) {
    const ir::Node& n = nodes[stack.back()];
    stack.pop_back();
    for (const auto& in : n.inputs) visit(in.node);
  }
  return live;
}

}  // namespace litelint::passes
