#pragma once

// Builds the nodes a fix inserts into one body: constants, ops with their `T` filled in, and
// references to their outputs in the syntax of that body (function bodies name an output by
// its OpDef argument, found in the op signatures). Every node it adds is listed in the edit
// (what --diff prints) and inserted before an anchor, so producers stay before readers.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "analyzer/ir/graph.h"
#include "analyzer/ir/tensor.h"
#include "rules/engine/fix.h"
#include "rules/engine/fix_builder.h"
#include "rules/engine/fix_graph.h"
#include "rules/engine/op_signatures.h"

namespace litelint::rules {

/// The static type of the tensor `ref` names in `body`: its producer's output, or for a function
/// argument the type and traced shape (`_output_shapes`) its signature records; nullopt if unknown.
inline std::optional<ir::TensorType> tensor_type_of(const ir::Graph& graph, std::string_view body,
                                                    const ir::TensorRef& ref) {
  const ir::NodeList* nodes = body_nodes(graph, body);
  if (nodes == nullptr) return std::nullopt;
  if (const ir::Node* p = nodes->find(ref.node)) {
    const auto i = static_cast<std::size_t>(ref.index);
    if (i < p->outputs.size()) return p->outputs[i];
    return std::nullopt;
  }
  const ir::Function* f = body.empty() ? nullptr : graph.find_function(body);
  if (f == nullptr) return std::nullopt;
  for (std::size_t i = 0; i < f->inputs.size(); ++i) {
    if (f->inputs[i].name != ref.node) continue;
    ir::TensorType t{f->inputs[i].type, ir::Shape()};
    if (auto a = f->arg_attrs.find(static_cast<std::int32_t>(i)); a != f->arg_attrs.end()) {
      if (auto s = a->second.find("_output_shapes"); s != a->second.end() && s->second.as_list() &&
                                                      !s->second.as_list()->shape.empty())
        t.shape = s->second.as_list()->shape[0];
    }
    return t;
  }
  return std::nullopt;
}

/// Adds the nodes of one rewrite to a body; see the file comment.
class NodeBuilder {
 public:
  /// Nodes get names `base/<suffix>` and `device`; `t` is the `T` attr of ops that take one.
  NodeBuilder(ir::NodeList& nodes, std::string body, std::string base, std::string device,
             ir::AttrValue t, GraphEdit& edit)
      : nodes_(nodes), body_(std::move(body)), base_(std::move(base)), device_(std::move(device)),
        t_(std::move(t)), edit_(edit) {}

  const std::string& body() const { return body_; }

  /// A float32 Const; `dims` empty for a scalar.
  ir::TensorRef f32(const std::string& suffix, std::vector<float> values, std::vector<std::int64_t> dims = {}) {
    return constant(suffix, ir::DType::Float, float_tensor(ir::Shape(std::move(dims)), std::move(values)));
  }
  /// An int32 Const; `dims` empty for a scalar.
  ir::TensorRef i32(const std::string& suffix, std::vector<std::int32_t> values, std::vector<std::int64_t> dims = {}) {
    return constant(suffix, ir::DType::Int32, int32_tensor(ir::Shape(std::move(dims)), std::move(values)));
  }
  /// A Const holding `value`.
  ir::TensorRef constant(const std::string& suffix, ir::DType dtype, ir::Tensor value) {
    ir::Node c = make(suffix, "Const");
    c.attrs["dtype"] = ir::AttrValue{dtype};
    c.attrs["value"].value = ir::Box<ir::Tensor>(std::move(value));
    return out(push(std::move(c)));
  }

  /// A node of `op` reading `inputs`; `T` is set when the op has that attr and `attrs` does not.
  /// Returns its name (out() refers to its outputs).
  std::string node(const std::string& suffix, const std::string& op, std::vector<ir::TensorRef> inputs,
                   ir::AttrMap attrs = {}) {
    ir::Node x = make(suffix, op);
    x.inputs = std::move(inputs);
    x.attrs = std::move(attrs);
    if (const OpSignature* sig = find_op_signature(op); sig != nullptr && !x.attrs.contains("T")) {
      for (const auto& a : sig->attrs) {
        if (a.name == "T" && a.kind == "type") x.attrs["T"] = t_;
      }
    }
    return push(std::move(x));
  }
  /// node() and a reference to its first output.
  ir::TensorRef op(const std::string& suffix, const std::string& op, std::vector<ir::TensorRef> inputs,
                   ir::AttrMap attrs = {}) {
    return out(node(suffix, op, std::move(inputs), std::move(attrs)));
  }

  /// Output `index` of an added node, counting over its OpDef's output arguments (a list
  /// argument such as Unpack's `output` takes the indices from its position on).
  ir::TensorRef out(const std::string& name, std::int32_t index = 0) const {
    const ir::Node* n = nodes_of(name);
    const OpSignature* sig = n ? find_op_signature(n->op) : nullptr;
    if (sig == nullptr || sig->outputs.empty()) return output_ref(body_, name, "output", index);
    std::int32_t k = index;
    for (const auto& arg : sig->outputs) {
      const bool list = !arg.number_attr.empty() || !arg.type_list_attr.empty();
      if (list || k == 0) return body_.empty() ? output_ref(body_, name, arg.name, index) : output_ref(body_, name, arg.name, k);
      --k;
    }
    return output_ref(body_, name, sig->outputs.back().name, index);
  }

  /// Inserts every node built so far before `anchor` (or at the end).
  void insert_before(std::string_view anchor) {
    rules::insert_before(nodes_, anchor, std::move(added_));
    added_.clear();
  }

 private:
  ir::Node make(const std::string& suffix, const std::string& op) const {
    ir::Node x;
    std::string name = unique_name(nodes_, base_ + "/" + suffix);
    // Names already handed out but not yet inserted are taken too.
    for (int i = 1; taken(name); ++i) name = unique_name(nodes_, base_ + "/" + suffix + "_" + std::to_string(i));
    x.name = std::move(name);
    x.op = op;
    x.device = device_;
    return x;
  }
  bool taken(const std::string& name) const {
    for (const auto& a : added_) {
      if (a.name == name) return true;
    }
    return false;
  }
  const ir::Node* nodes_of(const std::string& name) const {
    for (const auto& a : added_) {
      if (a.name == name) return &a;
    }
    return nodes_.find(name);
  }
  std::string push(ir::Node x) {
    edit_.added.push_back(describe(x));
    std::string name = x.name;
    added_.push_back(std::move(x));
    return name;
  }

  ir::NodeList& nodes_;
  std::string body_;
  std::string base_;
  std::string device_;
  ir::AttrValue t_;
  GraphEdit& edit_;
  std::vector<ir::Node> added_;
};

}  // namespace litelint::rules
