// Removes the ops that only forward tensors or order execution (Identity, IdentityN, NoOp,
// Snapshot, StopGradient, PreventGradient). After inlining every tf.function leaves a chain of
// them around each call (argument Identities, result Identities, the NoOp that collects its
// side effects); TFLite has no operator for them and the converter drops them too.
#include <cstddef>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "converter/import/steps.h"

namespace litelint::converter::import {
namespace {

/// Data inputs a forwarding node needs to be removable: Identity and friends forward input 0,
/// IdentityN forwards each input to the output of the same index, NoOp forwards nothing.
bool removable(const ir::Node& n) {
  if (!is_forwarding_op(n.op)) return false;
  if (n.op == "NoOp" || n.op == "IdentityN") return true;
  return n.data_input_count() == 1;
}

class Forwarder {
 public:
  explicit Forwarder(ir::NodeList& nodes) : nodes_(nodes) {}

  /// Follows `ref` through removable nodes to the tensor it really reads. Where the chain
  /// cannot continue (an index past IdentityN's inputs), the node stays.
  ir::TensorRef forward(ir::TensorRef ref) {
    // A chain longer than the graph is a cycle of Identities; stop rather than loop.
    for (std::size_t steps = 0; steps <= nodes_.size(); ++steps) {
      const ir::Node* n = nodes_.find(ref.node);
      if (!n || !removable(*n)) return ref;
      if (n->op == "NoOp" || static_cast<std::size_t>(ref.index) >= n->data_input_count()) {
        keep.insert(n->name);
        return ref;
      }
      ref = n->inputs[static_cast<std::size_t>(ref.index)];
    }
    keep.insert(ref.node);
    return ref;
  }

  /// The control inputs that a control edge on `name` becomes once removed nodes are gone.
  void expand_control(const std::string& name, std::vector<std::string>& out) {
    std::vector<std::string> stack{name};
    std::unordered_set<std::string> seen{name};
    while (!stack.empty()) {
      std::string current = std::move(stack.back());
      stack.pop_back();
      const ir::Node* n = nodes_.find(current);
      if (!n) continue;  // dangling: prune drops it anyway
      if (!removable(*n) || keep.count(current)) {
        out.push_back(current);
        continue;
      }
      for (const auto& in : n->inputs) {
        if (seen.insert(in.node).second) stack.push_back(in.node);
      }
    }
  }

  std::unordered_set<std::string> keep;

 private:
  ir::NodeList& nodes_;
};

}  // namespace

void remove_identities(FlatGraph& flat) {
  Forwarder fwd(flat.nodes);
  std::unordered_set<std::string> input_nodes(flat.inputs.begin(), flat.inputs.end());

  // Outputs first: an output that would collapse onto a graph input or onto another output
  // keeps the forwarding node it names, so that the signature still has distinct tensors.
  std::set<std::pair<std::string, std::int32_t>> named;
  for (auto& out : flat.outputs) {
    ir::TensorRef target = fwd.forward(out);
    const ir::Node* first = flat.nodes.find(out.node);
    bool collapses = input_nodes.count(target.node) > 0 || named.count({target.node, target.index}) > 0;
    if (collapses && first && removable(*first) && target.node != out.node) {
      fwd.keep.insert(out.node);
      named.insert({out.node, out.index});
      continue;
    }
    out = target;
    named.insert({out.node, out.index});
  }

  // Data inputs of every node, the forwarding ones included: control expansion below reads
  // a removed node's data inputs as the nodes its control consumers must wait for.
  for (auto& n : flat.nodes.mutable_nodes()) {
    for (auto& in : n.inputs) {
      if (!in.control) in = fwd.forward(in);
    }
  }
  for (auto& n : flat.nodes.mutable_nodes()) {
    if (removable(n) && !fwd.keep.count(n.name)) continue;
    std::vector<ir::TensorRef> rewritten;
    std::unordered_set<std::string> controls;
    for (const auto& in : n.inputs) {
      if (!in.control) {
        rewritten.push_back(in);
        continue;
      }
      std::vector<std::string> expanded;
      fwd.expand_control(in.node, expanded);
      for (auto& c : expanded) {
        if (c == n.name || !controls.insert(c).second) continue;
        ir::TensorRef ref;
        ref.node = std::move(c);
        ref.control = true;
        rewritten.push_back(std::move(ref));
      }
    }
    n.inputs = std::move(rewritten);
  }

  auto& nodes = flat.nodes.mutable_nodes();
  std::erase_if(nodes, [&](const ir::Node& n) { return removable(n) && !fwd.keep.count(n.name); });
  flat.nodes.reindex();
}

}  // namespace litelint::converter::import
