#include "analyzer/loaders/variables.h"

#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace litelint::analyzer {
namespace {

// Identity chains longer than this are not followed (they do not occur in saved graphs; the
// bound keeps a cyclic malformed graph from looping).
constexpr int kMaxIdentityHops = 32;

bool is_variable_op(const std::string& op) {
  return op == "VarHandleOp" || op == "VariableV2" || op == "Variable";
}

bool is_call_op(const std::string& op) {
  return op == "StatefulPartitionedCall" || op == "PartitionedCall";
}

// The n-th data input of a node, if it has that many.
const ir::TensorRef* data_input(const ir::Node& node, std::size_t n) {
  if (n >= node.inputs.size() || node.inputs[n].control) return nullptr;
  return &node.inputs[n];
}

// Follows Identity nodes in `nodes` from `ref` to the tensor that feeds them.
ir::TensorRef skip_identities(const ir::NodeList& nodes, ir::TensorRef ref) {
  for (int hop = 0; hop < kMaxIdentityHops; ++hop) {
    const ir::Node* node = nodes.find(ref.node);
    if (node == nullptr || node->op != "Identity") break;
    const ir::TensorRef* in = data_input(*node, 0);
    if (in == nullptr) break;
    ref = *in;
  }
  return ref;
}

// The top-level variable node a graph tensor comes from, through Identity nodes.
const ir::Node* top_level_variable(const ir::Graph& graph, const ir::TensorRef& ref) {
  const ir::Node* node = graph.nodes.find(skip_identities(graph.nodes, ref).node);
  return node != nullptr && is_variable_op(node->op) ? node : nullptr;
}

// The tensor names a RestoreV2 node reads: its `tensor_names` input must be a string Const.
std::optional<std::vector<std::string>> restore_names(const ir::NodeList& nodes,
                                                      const ir::Node& restore) {
  const ir::TensorRef* names_ref = data_input(restore, 1);
  if (names_ref == nullptr) return std::nullopt;
  const ir::Node* names = nodes.find(skip_identities(nodes, *names_ref).node);
  if (names == nullptr || names->op != "Const") return std::nullopt;
  const ir::AttrValue* value = names->attr("value");
  const ir::Tensor* tensor = value != nullptr ? value->as_tensor() : nullptr;
  if (tensor == nullptr || tensor->dtype() != ir::DType::String) return std::nullopt;
  auto bytes = tensor->load();
  if (!bytes) return std::nullopt;  // a broken Const is reported by whoever reads it for real
  return bytes->strings;
}

// Scans `nodes` for Assign/AssignVariableOp nodes fed (through Identity) by a RestoreV2
// output, and reports (resource input, checkpoint key) pairs: what the restore code restores.
template <typename Report>
void scan_restores(const ir::NodeList& nodes, Report&& report) {
  std::map<std::string, std::vector<std::string>> names_by_restore;
  for (const ir::Node& node : nodes.nodes()) {
    if (node.op != "RestoreV2") continue;
    if (auto names = restore_names(nodes, node)) {
      names_by_restore.emplace(node.name, std::move(*names));
    }
  }
  if (names_by_restore.empty()) return;
  for (const ir::Node& node : nodes.nodes()) {
    if (node.op != "AssignVariableOp" && node.op != "Assign") continue;
    const ir::TensorRef* target = data_input(node, 0);
    const ir::TensorRef* value = data_input(node, 1);
    if (target == nullptr || value == nullptr) continue;
    const ir::TensorRef source = skip_identities(nodes, *value);
    auto it = names_by_restore.find(source.node);
    if (it == names_by_restore.end()) continue;
    // Graph syntax "RestoreV2:3"; function-body syntax "RestoreV2:tensors:3".
    if (!source.output_arg.empty() && source.output_arg != "tensors") continue;
    if (source.index < 0 || static_cast<std::size_t>(source.index) >= it->second.size()) continue;
    report(*target, it->second[static_cast<std::size_t>(source.index)]);
  }
}

// Route B: variable node name -> checkpoint key, from the restore code of the graph (TF1
// `save/restore_all`) and from restore functions the graph calls (TF2 `_traced_restore`).
std::unordered_map<std::string, std::string> keys_from_restore_code(const ir::Graph& graph) {
  std::unordered_map<std::string, std::string> keys;
  scan_restores(graph.nodes, [&](const ir::TensorRef& target, const std::string& key) {
    if (const ir::Node* var = top_level_variable(graph, target)) keys.emplace(var->name, key);
  });
  for (const ir::Node& call : graph.nodes.nodes()) {
    if (!is_call_op(call.op)) continue;
    const ir::AttrValue* f = call.attr("f");
    const ir::FuncRef* ref = f != nullptr ? f->as_func() : nullptr;
    const ir::Function* fn = ref != nullptr ? graph.find_function(ref->name) : nullptr;
    if (fn == nullptr) continue;
    scan_restores(fn->body, [&](const ir::TensorRef& target, const std::string& key) {
      // The resource is a function argument; the caller's input at its position is the handle.
      if (!target.output_arg.empty()) return;
      for (std::size_t i = 0; i < fn->inputs.size(); ++i) {
        if (fn->inputs[i].name != target.node) continue;
        if (const ir::TensorRef* in = data_input(call, i)) {
          if (const ir::Node* var = top_level_variable(graph, *in)) keys.emplace(var->name, key);
        }
        return;
      }
    });
  }
  return keys;
}

// What the object graphs say about one SavedObjectGraph variable node.
struct SavedVariableInfo {
  std::string key;
  std::string path;
};

// Route A, first half: walks the SavedObjectGraph and the checkpoint's TrackableObjectGraph
// together from the root, matching children by local name (as TensorFlow's loader does; the
// node ids usually agree but are not relied on), and returns the VARIABLE_VALUE key and
// object path of every variable node.
std::map<int, SavedVariableInfo> saved_variables(const tensorflow::SavedObjectGraph& saved,
                                                 const tensorflow::TrackableObjectGraph& trackable) {
  std::map<int, SavedVariableInfo> out;
  if (saved.nodes_size() == 0 || trackable.nodes_size() == 0) return out;
  struct Visit {
    int saved_id;
    int trackable_id;
    std::string path;
  };
  std::deque<Visit> queue{{0, 0, ""}};
  std::set<int> seen_trackable{0};
  while (!queue.empty()) {
    const Visit visit = std::move(queue.front());
    queue.pop_front();
    const auto& saved_node = saved.nodes(visit.saved_id);
    const auto& trackable_node = trackable.nodes(visit.trackable_id);
    if (saved_node.kind_case() == tensorflow::SavedObject::kVariable) {
      for (const auto& attribute : trackable_node.attributes()) {
        if (attribute.name() == "VARIABLE_VALUE") {
          out.emplace(visit.saved_id, SavedVariableInfo{attribute.checkpoint_key(), visit.path});
          break;
        }
      }
    }
    for (const auto& child : trackable_node.children()) {
      const int t = child.node_id();
      if (t < 0 || t >= trackable.nodes_size() || !seen_trackable.insert(t).second) continue;
      for (const auto& saved_child : saved_node.children()) {
        if (saved_child.local_name() != child.local_name()) continue;
        const int s = saved_child.node_id();
        if (s >= 0 && s < saved.nodes_size()) {
          queue.push_back({s, t, visit.path.empty() ? child.local_name()
                                                   : visit.path + "/" + child.local_name()});
        }
        break;
      }
    }
  }
  return out;
}

// Route A, second half: variable node name -> SavedObjectGraph node id, from calls to concrete
// functions whose captured (bound) inputs are variables: the last len(bound_inputs) inputs of
// the call are the captures, in order.
std::unordered_map<std::string, int> saved_ids_from_captures(
    const ir::Graph& graph, const tensorflow::SavedObjectGraph& saved) {
  std::unordered_map<std::string, int> ids;
  for (const ir::Node& call : graph.nodes.nodes()) {
    if (!is_call_op(call.op)) continue;
    const ir::AttrValue* f = call.attr("f");
    const ir::FuncRef* ref = f != nullptr ? f->as_func() : nullptr;
    if (ref == nullptr) continue;
    auto it = saved.concrete_functions().find(ref->name);
    if (it == saved.concrete_functions().end()) continue;
    const auto& bound = it->second.bound_inputs();
    const std::size_t data_inputs = call.data_input_count();
    const auto captured = static_cast<std::size_t>(bound.size());
    if (captured > data_inputs) continue;
    for (std::size_t j = 0; j < captured; ++j) {
      const ir::TensorRef* in = data_input(call, data_inputs - captured + j);
      if (in == nullptr) continue;
      if (const ir::Node* var = top_level_variable(graph, *in)) {
        ids.emplace(var->name, bound[static_cast<int>(j)]);
      }
    }
  }
  return ids;
}

bool shapes_compatible(const ir::Shape& declared, const ir::Shape& stored) {
  if (!declared.has_rank()) return true;
  if (declared.rank() != stored.rank()) return false;
  for (std::size_t i = 0; i < declared.rank(); ++i) {
    if (declared.dim(i) >= 0 && declared.dim(i) != stored.dim(i)) return false;
  }
  return true;
}

}  // namespace

Expected<void> attach_variables(ir::Graph& graph, const tensorflow::SavedObjectGraph* object_graph,
                                const TensorBundle& bundle) {
  // Every variable node gets an entry; the SavedModel loader may have made some already.
  std::unordered_map<std::string, std::size_t> entry_of;
  for (std::size_t i = 0; i < graph.variables.size(); ++i) {
    entry_of.emplace(graph.variables[i].node_name, i);
  }
  for (const ir::Node& node : graph.nodes.nodes()) {
    if (!is_variable_op(node.op)) continue;
    auto [it, added] = entry_of.emplace(node.name, graph.variables.size());
    if (added) {
      ir::Variable fresh;
      fresh.node_name = node.name;
      graph.variables.push_back(std::move(fresh));
    }
    ir::Variable& v = graph.variables[it->second];
    if (v.dtype == ir::DType::Invalid) {
      if (const ir::AttrValue* a = node.attr("dtype"); a != nullptr && a->as_type() != nullptr) {
        v.dtype = *a->as_type();
      }
    }
    if (!v.shape.has_rank()) {
      if (const ir::AttrValue* a = node.attr("shape"); a != nullptr && a->as_shape() != nullptr) {
        v.shape = *a->as_shape();
      }
    }
  }
  if (graph.variables.empty()) return {};

  const auto restore_keys = keys_from_restore_code(graph);

  std::map<int, SavedVariableInfo> saved_info;
  std::unordered_map<std::string, int> saved_ids;
  std::unordered_map<std::string, std::string> path_of_key;
  if (object_graph != nullptr) {
    auto trackable = bundle.object_graph();
    if (!trackable) return unexpected(std::move(trackable.error()));
    if (trackable->has_value()) {
      saved_info = saved_variables(*object_graph, **trackable);
      saved_ids = saved_ids_from_captures(graph, *object_graph);
      for (const auto& [id, info] : saved_info) path_of_key.emplace(info.key, info.path);
    }
  }

  for (ir::Variable& v : graph.variables) {
    std::vector<std::string> candidates;
    if (auto it = restore_keys.find(v.node_name); it != restore_keys.end()) {
      candidates.push_back(it->second);
    }
    if (auto it = saved_ids.find(v.node_name); it != saved_ids.end()) {
      if (auto info = saved_info.find(it->second); info != saved_info.end()) {
        candidates.push_back(info->second.key);
      }
    }
    candidates.push_back(v.node_name);
    if (const ir::Node* node = graph.nodes.find(v.node_name)) {
      const ir::AttrValue* shared = node->attr("shared_name");
      if (shared != nullptr && shared->as_string() != nullptr && !shared->as_string()->empty()) {
        candidates.push_back(*shared->as_string());
      }
    }
    const BundleEntry* entry = nullptr;
    for (const std::string& key : candidates) {
      if ((entry = bundle.find(key)) != nullptr) break;
    }
    if (entry == nullptr) continue;  // uninitialized or not saved: no value, not an error

    auto mismatch = [&](const std::string& what, const std::string& declared,
                        const std::string& stored) {
      return unexpected(Error(ErrorCode::BadInput, "variable '" + v.node_name + "' " + what + " " +
                                                       declared + " but its checkpoint tensor '" +
                                                       entry->key + "' " + what + " " + stored)
                            .in_file(bundle.index_path().string()));
    };
    if (v.dtype != ir::DType::Invalid && ir::base_dtype(v.dtype) != entry->dtype) {
      return mismatch("is", ir::dtype_name(ir::base_dtype(v.dtype)), ir::dtype_name(entry->dtype));
    }
    if (!shapes_compatible(v.shape, entry->shape)) {
      return mismatch("has shape", v.shape.to_string(), entry->shape.to_string());
    }
    v.checkpoint_key = entry->key;
    v.dtype = entry->dtype;
    v.shape = entry->shape;
    if (auto it = path_of_key.find(entry->key); it != path_of_key.end()) v.object_path = it->second;
    // Partitioned tensors and dtypes litelint cannot read keep their key but get no value.
    if (auto tensor = bundle.tensor(entry->key)) v.value = std::move(*tensor);
  }
  return {};
}

}  // namespace litelint::analyzer
