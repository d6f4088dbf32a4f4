// Keeps only what the signature computes. After inlining and freezing, a tf.function's
// bookkeeping (VarHandleOps of frozen variables, unused results of a called function) is dead.
#include <cstddef>
#include <string>
#include <unordered_set>
#include <vector>

#include "converter/import/steps.h"

namespace litelint::converter::import {
namespace {

/// True for the nodes a control edge on means nothing: they have no effect to wait for.
bool without_effects(const ir::Node& n) { return n.op == "Const" || ir::is_placeholder(n.op); }

}  // namespace

void prune(FlatGraph& flat) {
  for (auto& n : flat.nodes.mutable_nodes()) {
    std::unordered_set<std::string> seen;
    std::erase_if(n.inputs, [&](const ir::TensorRef& in) {
      if (!in.control) return false;
      const ir::Node* p = flat.nodes.find(in.node);
      return !p || without_effects(*p) || !seen.insert(in.node).second;
    });
  }

  std::unordered_set<std::string> keep;
  std::vector<std::string> stack;
  auto visit = [&](const std::string& name) {
    if (flat.nodes.find(name) && keep.insert(name).second) stack.push_back(name);
  };
  for (const auto& ref : flat.outputs) visit(ref.node);
  for (const auto& name : flat.inputs) visit(name);
  // A variable write is an effect of the signature even when no output reads it.
  for (const auto& n : flat.nodes.nodes()) {
    if (is_variable_write_op(n.op)) visit(n.name);
  }
  while (!stack.empty()) {
    const ir::Node* n = flat.nodes.find(stack.back());
    stack.pop_back();
    for (const auto& in : n->inputs) visit(in.node);
  }
  std::erase_if(flat.nodes.mutable_nodes(), [&](const ir::Node& n) { return !keep.count(n.name); });
  flat.nodes.reindex();
}

}  // namespace litelint::converter::import
