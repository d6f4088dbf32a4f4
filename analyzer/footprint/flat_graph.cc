#include "analyzer/footprint/flat_graph.h"

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace litelint::footprint {
namespace {

// Calls nest a few levels in real models (signature wrapper -> model -> layer); a library
// that calls itself would otherwise inline forever.
constexpr int kMaxCallDepth = 32;

// Ops whose output is their first input's memory (TFLite's arena shares reshaped buffers, and
// the converter removes identities).
bool is_alias(std::string_view op) {
  return op == "Identity" || op == "Reshape" || op == "Squeeze" || op == "ExpandDims" ||
         op == "StopGradient" || op == "Snapshot" || op == "PreventGradient" ||
         op == "EnsureShape" || op == "CheckNumerics";
}

// Ops that make new values from constant inputs only at run time, so the converter cannot
// fold them: random draws and anything with state.
bool never_folded(std::string_view op) {
  return op.find("Random") != std::string_view::npos || op.starts_with("Stateless") ||
         op == "Placeholder" || op == "PlaceholderWithDefault" || op.starts_with("Tensor") ||
         op == "While" || op == "StatelessWhile" || op == "If" || op == "StatelessIf";
}

const ir::Function* called_function(const ir::Graph& graph, const ir::Node& node) {
  if (node.op == "PartitionedCall" || node.op == "StatefulPartitionedCall") {
    if (const auto* f = node.attr("f")) {
      if (const auto* ref = f->as_func()) return graph.find_function(ref->name);
    }
    return nullptr;
  }
  return graph.find_function(node.op);
}

struct NodeState {
  std::uint8_t status = 0;  // 0 new, 1 visiting, 2 done
  std::vector<std::int32_t> outputs;
};

struct Scope {
  const ir::NodeList* nodes = nullptr;
  const ir::Function* fn = nullptr;
  std::vector<std::int32_t> args;
  int depth = 0;
  std::unordered_map<const ir::Node*, NodeState> state;
};

struct Frame {
  std::size_t scope;
  const ir::Node* node;
  int stage;
  std::size_t callee = 0;
};

class Flattener {
 public:
  explicit Flattener(const ir::Graph& graph) : graph_(graph) {}

  FlatGraph run(const MeasureOptions& options) {
    scopes_.push_back(Scope{&graph_.nodes, nullptr, {}, 0, {}});
    std::vector<ir::TensorRef> roots = root_tensors(options);
    if (roots.empty()) {
      // No outputs known: every node, as from_frozen_graph would need them named.
      for (const auto& n : graph_.nodes.nodes()) visit(0, &n);
    } else {
      for (const auto& ref : roots) {
        if (const auto* n = graph_.nodes.find(ref.node)) visit(0, n);
      }
      for (const auto& ref : roots) {
        const std::int32_t v = resolve(0, ref);
        if (v >= 0) out_.results.push_back(v);
      }
    }
    return std::move(out_);
  }

 private:
  std::vector<ir::TensorRef> root_tensors(const MeasureOptions& options) const {
    std::vector<ir::TensorRef> out;
    auto add = [&](std::string_view tensor) {
      if (auto ref = ir::TensorRef::parse(tensor); ref && !ref->control) out.push_back(*ref);
    };
    auto add_signature = [&](const ir::Signature& sig) {
      for (const auto& t : sig.outputs) {
        if (!t.tensor_name.empty()) add(t.tensor_name);
      }
    };
    if (!options.signature.empty()) {
      if (const auto* sig = graph_.find_signature(options.signature)) add_signature(*sig);
      return out;
    }
    if (!options.outputs.empty()) {
      for (const auto& t : options.outputs) add(t);
      return out;
    }
    if (const auto* sig = graph_.find_signature("serving_default")) {
      add_signature(*sig);
      return out;
    }
    for (const auto& sig : graph_.signatures) {
      if (!sig.key.starts_with("__")) add_signature(sig);
    }
    return out;
  }

  // Function argument names -> index, built once per function.
  const std::unordered_map<std::string_view, std::size_t>& arg_index(const ir::Function* fn) {
    auto [it, inserted] = arg_indexes_.try_emplace(fn);
    if (inserted) {
      for (std::size_t i = 0; i < fn->inputs.size(); ++i) it->second.emplace(fn->inputs[i].name, i);
    }
    return it->second;
  }

  // The producer node of `ref` in `scope`, or nullptr for arguments and missing names.
  const ir::Node* producer(std::size_t scope, const ir::TensorRef& ref) {
    const Scope& s = scopes_[scope];
    if (s.fn && ref.output_arg.empty() && arg_index(s.fn).count(ref.node)) return nullptr;
    return s.nodes->find(ref.node);
  }

  // The value `ref` names in `scope`, once its producer is done; -1 when unknown.
  std::int32_t resolve(std::size_t scope, const ir::TensorRef& ref) {
    Scope& s = scopes_[scope];
    if (s.fn && ref.output_arg.empty()) {
      const auto& args = arg_index(s.fn);
      if (auto it = args.find(ref.node); it != args.end()) {
        return it->second < s.args.size() ? s.args[it->second] : -1;
      }
    }
    const ir::Node* p = s.nodes->find(ref.node);
    if (p == nullptr) return -1;
    auto it = s.state.find(p);
    if (it == s.state.end() || it->second.status != 2) return -1;
    // "node:arg:i" is output i of one output argument; for the single-argument ops that
    // carry activations that is the flat index.
    const auto index = static_cast<std::size_t>(std::max(ref.index, 0));
    return index < it->second.outputs.size() ? it->second.outputs[index] : -1;
  }

  void visit(std::size_t scope, const ir::Node* root) {
    if (scopes_[scope].state[root].status != 0) return;
    std::vector<Frame> stack{{scope, root, 0}};
    while (!stack.empty()) {
      Frame f = stack.back();
      stack.pop_back();
      NodeState& st = scopes_[f.scope].state[f.node];
      if (f.stage == 0) {
        if (st.status != 0) continue;
        st.status = 1;
        stack.push_back({f.scope, f.node, 1});
        const std::size_t n = f.node->data_input_count();
        for (std::size_t i = n; i-- > 0;) push_producer(stack, f.scope, f.node->inputs[i]);
      } else if (f.stage == 1) {
        std::vector<std::int32_t> inputs;
        inputs.reserve(f.node->data_input_count());
        for (std::size_t i = 0; i < f.node->data_input_count(); ++i) {
          inputs.push_back(resolve(f.scope, f.node->inputs[i]));
        }
        const ir::Function* callee = called_function(graph_, *f.node);
        if (callee && callee->body_loaded && scopes_[f.scope].depth < kMaxCallDepth) {
          const std::size_t c = scopes_.size();
          scopes_.push_back(Scope{&callee->body, callee, std::move(inputs), scopes_[f.scope].depth + 1, {}});
          stack.push_back({f.scope, f.node, 2, c});
          for (const auto& out : callee->outputs) {
            auto ret = callee->ret.find(out.name);
            if (ret == callee->ret.end()) continue;
            if (auto ref = ir::TensorRef::parse(ret->second)) push_producer(stack, c, *ref);
          }
        } else {
          // `st` may have moved while children were added to the map; look it up again.
          scopes_[f.scope].state[f.node].outputs = add_op(f.scope, *f.node, std::move(inputs));
          scopes_[f.scope].state[f.node].status = 2;
        }
      } else {
        const ir::Function* callee = scopes_[f.callee].fn;
        std::vector<std::int32_t> outputs;
        for (const auto& out : callee->outputs) {
          auto ret = callee->ret.find(out.name);
          auto ref = ret == callee->ret.end() ? std::nullopt : ir::TensorRef::parse(ret->second);
          outputs.push_back(ref ? resolve(f.callee, *ref) : -1);
        }
        NodeState& done = scopes_[f.scope].state[f.node];
        done.outputs = std::move(outputs);
        done.status = 2;
      }
    }
  }

  void push_producer(std::vector<Frame>& stack, std::size_t scope, const ir::TensorRef& ref) {
    if (ref.control) return;
    const ir::Node* p = producer(scope, ref);
    if (p == nullptr) return;
    // A node still being visited closes a cycle (a TF1 loop back edge): that input stays unknown.
    if (scopes_[scope].state[p].status == 0) stack.push_back({scope, p, 0});
  }

  std::vector<std::int32_t> add_op(std::size_t scope, const ir::Node& node,
                                   std::vector<std::int32_t> inputs) {
    const auto op_index = static_cast<std::int32_t>(out_.ops.size());
    FlatOp op{&node, scopes_[scope].fn, std::move(inputs), {}};
    // Constant when every data input is (the converter folds it), never for run-time sources.
    bool constant = !op.inputs.empty() && !never_folded(node.op);
    for (std::int32_t v : op.inputs) {
      if (v < 0 || out_.values[static_cast<std::size_t>(v)].kind == ValueKind::Activation) constant = false;
    }
    const ir::Node* variable = nullptr;
    ValueKind kind = constant ? ValueKind::Constant : ValueKind::Activation;
    if (node.op == "Const") {
      kind = ValueKind::Constant;
    } else if (node.op == "VarHandleOp") {
      kind = ValueKind::Resource;
      variable = &node;
    } else if (node.op == "VariableV2" || node.op == "Variable") {
      kind = ValueKind::Constant;  // frozen as a constant; read directly in TF1 graphs
      variable = &node;
    } else if (node.op == "ReadVariableOp" && !op.inputs.empty() && op.inputs[0] >= 0) {
      const FlatValue& handle = out_.values[static_cast<std::size_t>(op.inputs[0])];
      if (handle.kind == ValueKind::Resource && handle.variable) {
        kind = ValueKind::Constant;
        variable = handle.variable;
      }
    } else if (node.op == "Shape" || node.op == "Size" || node.op == "Rank") {
      // Known statically when the input's shape is (the converter folds it).
      if (!op.inputs.empty() && op.inputs[0] >= 0 &&
          out_.values[static_cast<std::size_t>(op.inputs[0])].type.shape.is_fully_defined()) {
        kind = ValueKind::Constant;
      }
    }
    std::int32_t alias = -1;
    if (kind == ValueKind::Activation && is_alias(node.op) && !op.inputs.empty() && op.inputs[0] >= 0) {
      alias = out_.values[static_cast<std::size_t>(op.inputs[0])].buffer;
    }
    if (kind == ValueKind::Constant && (node.op == "Identity" || node.op == "Snapshot") &&
        !op.inputs.empty() && op.inputs[0] >= 0) {
      variable = out_.values[static_cast<std::size_t>(op.inputs[0])].variable;
    }
    std::vector<std::int32_t> outputs;
    const std::size_t count = std::max<std::size_t>(node.outputs.size(), 1);
    for (std::size_t i = 0; i < count; ++i) {
      FlatValue v;
      if (i < node.outputs.size()) v.type = node.outputs[i];
      v.kind = kind;
      v.producer = op_index;
      v.output = static_cast<std::int32_t>(i);
      v.variable = variable;
      if (kind == ValueKind::Activation) v.buffer = (i == 0 && alias >= 0) ? alias : out_.buffers++;
      outputs.push_back(static_cast<std::int32_t>(out_.values.size()));
      out_.values.push_back(std::move(v));
    }
    op.outputs = outputs;
    out_.ops.push_back(std::move(op));
    return outputs;
  }

  const ir::Graph& graph_;
  std::vector<Scope> scopes_;
  std::unordered_map<const ir::Function*, std::unordered_map<std::string_view, std::size_t>> arg_indexes_;
  FlatGraph out_;
};

}  // namespace

FlatGraph flatten(const ir::Graph& graph, const MeasureOptions& options) {
  return Flattener(graph).run(options);
}

}  // namespace litelint::footprint
