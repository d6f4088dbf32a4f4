// Freezes read-only variables into constants, as TFLiteConverter does for a SavedModel (the
// converter's "freeze global tensors" step): a variable that nothing in the signature writes
// holds its checkpoint value forever, so its reads are that value.
#include <cstddef>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <variant>
#include <vector>

#include "converter/import/steps.h"

namespace litelint::converter::import {
namespace {

// Bounds the walk through nested functions that a handle is passed into.
constexpr int kMaxFunctionDepth = 32;

bool is_variable_op(std::string_view op) {
  return op == "VarHandleOp" || op == "VariableV2" || op == "Variable";
}

/// The (function, argument) pairs that data input `input` of control-flow node `n` becomes.
std::vector<std::pair<std::string, std::size_t>> control_flow_args(const ir::Node& n, std::size_t input) {
  std::vector<std::pair<std::string, std::size_t>> out;
  auto add = [&](std::string_view attr, std::size_t arg) {
    const ir::AttrValue* v = n.attr(attr);
    if (!v) return;
    if (const auto* f = v->as_func()) out.emplace_back(f->name, arg);
    if (const auto* l = v->as_list()) {
      for (const auto& f : l->func) out.emplace_back(f.name, arg);
    }
  };
  if (n.op == "While" || n.op == "StatelessWhile") {
    add("cond", input);
    add("body", input);
  } else if (input > 0) {  // If and Case: input 0 is the predicate or branch index
    add("then_branch", input - 1);
    add("else_branch", input - 1);
    add("branches", input - 1);
  }
  return out;
}

/// Answers whether a function writes the variable behind one of its resource arguments.
class WriteFinder {
 public:
  explicit WriteFinder(const ir::Graph& graph) {
    for (const auto& f : graph.functions) functions_.emplace(f.name, &f);
  }

  /// True when node `n`, reading a variable handle at data input `input`, may write it.
  bool writes(const ir::Node& n, std::size_t input, int depth = 0) {
    if (is_variable_write_op(n.op)) return input == 0;
    if (depth > kMaxFunctionDepth) return true;  // too deep to tell: keep the variable
    if (is_control_flow_op(n.op)) {
      for (const auto& [fn, arg] : control_flow_args(n, input)) {
        if (function_writes(fn, arg, depth + 1)) return true;
      }
      return false;
    }
    if (is_call_op(n.op)) {
      const ir::AttrValue* f = n.attr("f");
      return f && f->as_func() && function_writes(f->as_func()->name, input, depth + 1);
    }
    if (functions_.count(n.op)) return function_writes(n.op, input, depth + 1);
    return false;
  }

 private:
  bool function_writes(const std::string& name, std::size_t arg, int depth) {
    auto it = functions_.find(name);
    // A function we cannot see might write anything.
    if (it == functions_.end() || !it->second->body_loaded) return true;
    const ir::Function& fn = *it->second;
    if (arg >= fn.inputs.size()) return false;
    auto key = std::make_pair(name, arg);
    if (auto m = memo_.find(key); m != memo_.end()) return m->second;
    memo_[key] = false;  // a recursive path adds nothing new
    // The argument and every Identity of it name the handle inside the body.
    std::unordered_set<std::string> handles{fn.inputs[arg].name};
    bool found = false;
    for (bool grew = true; grew && !found;) {
      grew = false;
      for (const auto& n : fn.body.nodes()) {
        std::size_t data = 0;
        for (const auto& in : n.inputs) {
          if (in.control) continue;
          std::size_t index = data++;
          if (!handles.count(in.node)) continue;
          if (is_forwarding_op(n.op)) {
            grew |= handles.insert(n.name).second;
          } else if (writes(n, index, depth)) {
            found = true;
          }
        }
      }
    }
    memo_[key] = found;
    return found;
  }

  std::unordered_map<std::string, const ir::Function*> functions_;
  std::map<std::pair<std::string, std::size_t>, bool> memo_;
};

ir::Tensor scalar_int32(std::int32_t value) {
  auto bytes = std::make_shared<std::vector<std::byte>>(sizeof value);
  std::memcpy(bytes->data(), &value, sizeof value);
  ir::Tensor t(ir::DType::Int32, ir::Shape::scalar(), [bytes]() -> Expected<ir::TensorBytes> {
    ir::TensorBytes out;
    out.bytes = std::span<const std::byte>(bytes->data(), bytes->size());
    out.keep_alive = bytes;
    return out;
  });
  t.set_byte_size(sizeof value);
  return t;
}

/// True when `ref` (function syntax, in `fn`) is argument `arg`, through forwarding ops.
bool forwards_arg(const ir::Function& fn, const std::string& ref_text, const std::string& arg) {
  auto ref = ir::TensorRef::parse(ref_text);
  for (std::size_t steps = 0; ref && steps <= fn.body.size(); ++steps) {
    if (ref->control) return false;
    if (ref->output_arg.empty() && ref->node == arg) return true;
    const ir::Node* n = fn.body.find(ref->node);
    if (!n || !is_forwarding_op(n->op) || n->op == "NoOp") return false;
    auto index = n->op == "IdentityN" ? static_cast<std::size_t>(ref->index) : 0;
    if (index >= n->inputs.size() || n->inputs[index].control) return false;
    ref = n->inputs[index];
  }
  return false;
}

/// Whether argument `arg` of control-flow node `n` can be frozen inside its functions: a
/// While body must hand the handle on unchanged, and no If/Case branch may return it.
bool can_freeze_arg(const ir::Node& n, std::size_t arg,
                    const std::unordered_map<std::string, const ir::Function*>& functions) {
  const bool is_while = n.op == "While" || n.op == "StatelessWhile";
  bool any = false;
  for (const auto& [attr, value] : n.attrs) {
    std::vector<const ir::FuncRef*> refs;
    if (const auto* f = value.as_func()) refs.push_back(f);
    if (const auto* l = value.as_list()) {
      for (const auto& f : l->func) refs.push_back(&f);
    }
    for (const auto* ref : refs) {
      auto it = functions.find(ref->name);
      if (it == functions.end() || !it->second->body_loaded || arg >= it->second->inputs.size()) return false;
      const ir::Function& fn = *it->second;
      const std::string& name = fn.inputs[arg].name;
      any = true;
      if (is_while && attr == "body") {
        if (arg >= fn.outputs.size()) return false;
        auto ret = fn.ret.find(fn.outputs[arg].name);
        if (ret == fn.ret.end() || !forwards_arg(fn, ret->second, name)) return false;
      } else {
        for (const auto& [out, ret] : fn.ret) {
          if (forwards_arg(fn, ret, name)) return false;
        }
      }
    }
  }
  return any;
}

/// Removes the elements at `positions` (sorted) from a vector.
template <typename T>
void erase_positions(std::vector<T>& v, const std::vector<std::size_t>& positions) {
  for (auto it = positions.rbegin(); it != positions.rend(); ++it) {
    if (*it < v.size()) v.erase(v.begin() + static_cast<std::ptrdiff_t>(*it));
  }
}

/// Removes list elements at `positions` from a type- or shape-list attr, if present.
void erase_list_positions(ir::Node& n, std::string_view attr, const std::vector<std::size_t>& positions) {
  auto it = n.attrs.find(attr);
  if (it == n.attrs.end() || !it->second.as_list()) return;
  ir::AttrList list = *it->second.as_list();
  erase_positions(list.type, positions);
  erase_positions(list.shape, positions);
  it->second.value = std::move(list);
}

ir::Node const_node(std::string name, const ir::Tensor& value) {
  ir::Node c;
  c.name = std::move(name);
  c.op = "Const";
  c.attrs["dtype"].value = value.dtype();
  c.attrs["value"].value = value;
  c.outputs = {ir::TensorType{value.dtype(), value.shape()}};
  return c;
}

}  // namespace

std::string BodyVariants::name_for(BodyVariant variant) {
  if (variant.frozen_args.empty()) return variant.function;
  auto same = [&](const BodyVariant& other) {
    if (other.function != variant.function || other.drop_frozen_results != variant.drop_frozen_results ||
        other.frozen_args.size() != variant.frozen_args.size()) {
      return false;
    }
    for (auto a = other.frozen_args.cbegin(), b = variant.frozen_args.cbegin(); a != other.frozen_args.cend(); ++a, ++b) {
      if (a->first != b->first || a->second.origin != b->second.origin) return false;
    }
    return true;
  };
  for (const auto& [name, existing] : by_name_) {
    if (same(existing)) return name;
  }
  std::string name = variant.function + "/frozen";
  for (std::size_t k = 1; by_name_.count(name); ++k) name = variant.function + "/frozen_" + std::to_string(k);
  by_name_.emplace(name, std::move(variant));
  return name;
}

const BodyVariant* BodyVariants::find(const std::string& name) const {
  auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : &it->second;
}

Expected<void> freeze_variables(const ir::Graph& graph, const VariableValues& values, BodyVariants& variants,
                                FlatGraph& flat) {
  std::unordered_map<std::string, const ir::Function*> functions;
  for (const auto& f : graph.functions) functions.emplace(f.name, &f);

  // The variable behind a handle (or TF1 reference) input: through forwarding ops and
  // through a While, whose output k is its input k for a handle the loop hands on.
  auto variable_of = [&](const ir::TensorRef& start) -> const ir::Node* {
    ir::TensorRef ref = start;
    for (std::size_t steps = 0; steps <= flat.nodes.size(); ++steps) {
      const ir::Node* n = flat.nodes.find(ref.node);
      if (!n) return nullptr;
      if (is_variable_op(n->op)) return n;
      std::size_t index = 0;
      if (n->op == "IdentityN" || n->op == "While" || n->op == "StatelessWhile") {
        index = static_cast<std::size_t>(ref.index);
      } else if (!is_forwarding_op(n->op)) {
        return nullptr;
      }
      if (index >= n->inputs.size() || n->inputs[index].control) return nullptr;
      ref = n->inputs[index];
    }
    return nullptr;
  };

  WriteFinder finder(graph);
  std::set<std::string> mutable_vars;
  for (const auto& n : flat.nodes.nodes()) {
    std::size_t data = 0;
    for (const auto& in : n.inputs) {
      if (in.control) continue;
      std::size_t index = data++;
      const ir::Node* v = variable_of(in);
      if (v && finder.writes(n, index)) mutable_vars.insert(v->name);
    }
  }
  auto frozen_value = [&](const ir::Node* var) -> const VariableValue* {
    if (!var || var->op != "VarHandleOp" || mutable_vars.count(var->name)) return nullptr;
    auto it = values.find(var->name);
    return it == values.end() ? nullptr : &it->second;
  };

  // Control-flow ops first: what a read-only handle input becomes is decided before any
  // node changes, then the ops drop those inputs and run variants of their functions.
  struct Plan {
    std::vector<std::size_t> inputs;  ///< data input positions to drop
    std::vector<std::string> vars;    ///< the variable node of each
    std::vector<VariableValue> values;
  };
  std::unordered_map<std::string, Plan> plans;
  for (const auto& n : flat.nodes.nodes()) {
    if (!is_control_flow_op(n.op)) continue;
    const std::size_t offset = n.op == "While" || n.op == "StatelessWhile" ? 0 : 1;
    Plan plan;
    for (std::size_t i = offset; i < n.inputs.size() && !n.inputs[i].control; ++i) {
      const ir::Node* var = variable_of(n.inputs[i]);
      const VariableValue* value = frozen_value(var);
      if (!value || !can_freeze_arg(n, i - offset, functions)) continue;
      plan.inputs.push_back(i);
      plan.vars.push_back(var->name);
      plan.values.push_back(*value);
    }
    if (!plan.inputs.empty()) plans.emplace(n.name, std::move(plan));
  }
  // While outputs move down as inputs go; a dropped output is the handle itself.
  std::unordered_map<std::string, std::vector<ir::TensorRef>> while_outputs;
  for (auto& n : flat.nodes.mutable_nodes()) {
    auto plan = plans.find(n.name);
    if (plan == plans.end()) continue;
    const bool is_while = n.op == "While" || n.op == "StatelessWhile";
    const std::size_t offset = is_while ? 0 : 1;
    for (auto& [attr, value] : n.attrs) {
      auto rename = [&](ir::FuncRef& ref) {
        BodyVariant variant;
        variant.function = ref.name;
        variant.drop_frozen_results = is_while && attr == "body";
        for (std::size_t k = 0; k < plan->second.inputs.size(); ++k) {
          variant.frozen_args.emplace(plan->second.inputs[k] - offset, plan->second.values[k]);
        }
        ref.name = variants.name_for(std::move(variant));
      };
      if (auto* box = std::get_if<ir::Box<ir::FuncRef>>(&value.value)) rename(**box);
      if (auto* box = std::get_if<ir::Box<ir::AttrList>>(&value.value)) {
        for (auto& f : (*box)->func) rename(f);
      }
    }
    std::vector<std::size_t> args;
    for (std::size_t i : plan->second.inputs) args.push_back(i - offset);
    if (is_while) {
      std::size_t data = n.data_input_count();
      std::vector<ir::TensorRef> outputs;
      for (std::size_t k = 0, kept = 0, dropped = 0; k < data; ++k) {
        if (dropped < plan->second.inputs.size() && plan->second.inputs[dropped] == k) {
          outputs.push_back(ir::TensorRef{plan->second.vars[dropped++], "", 0, false});
        } else {
          outputs.push_back(ir::TensorRef{n.name, "", static_cast<std::int32_t>(kept++), false});
        }
      }
      while_outputs.emplace(n.name, std::move(outputs));
      erase_list_positions(n, "T", args);
      erase_list_positions(n, "output_shapes", args);
      erase_list_positions(n, "_output_shapes", args);
      erase_positions(n.outputs, args);
    } else {
      erase_list_positions(n, "Tin", args);
    }
    erase_positions(n.inputs, plan->second.inputs);
  }
  if (!while_outputs.empty()) {
    auto remap = [&](ir::TensorRef& ref) {
      if (ref.control) return;
      auto it = while_outputs.find(ref.node);
      if (it != while_outputs.end() && static_cast<std::size_t>(ref.index) < it->second.size()) {
        ref = it->second[static_cast<std::size_t>(ref.index)];
      }
    };
    for (auto& n : flat.nodes.mutable_nodes()) {
      for (auto& in : n.inputs) remap(in);
    }
    for (auto& out : flat.outputs) remap(out);
  }

  auto value_of = [&](const ir::Node& var, const ir::Node& reader) -> Expected<ir::Tensor> {
    auto it = values.find(var.name);
    if (it == values.end() || !it->second.value.has_value()) {
      std::string by = reader.name == var.name ? "" : ", read by node '" + reader.name + "',";
      return bad_input("variable '" + var.name + "' (" + var.op + ")" + by + " has no value in the checkpoint");
    }
    return it->second.value;
  };

  std::vector<ir::Node> added;
  std::unordered_set<std::string> taken;
  for (const auto& n : flat.nodes.nodes()) taken.insert(n.name);
  auto unique_name = [&](const std::string& want) {
    std::string name = want;
    for (std::size_t k = 1; !taken.insert(name).second; ++k) name = want + "_" + std::to_string(k);
    return name;
  };

  for (auto& n : flat.nodes.mutable_nodes()) {
    if (n.op == "ReadVariableOp" || n.op == "ResourceGather") {
      if (n.inputs.empty() || n.inputs[0].control) continue;
      const ir::Node* var = variable_of(n.inputs[0]);
      if (!var || var->op != "VarHandleOp" || mutable_vars.count(var->name)) continue;
      auto value = value_of(*var, n);
      if (!value) return unexpected(value.error());
      if (n.op == "ReadVariableOp") {
        ir::Node c = const_node(n.name, *value);
        // Control inputs still order the read after what it waited for.
        for (auto& in : n.inputs) {
          if (in.control) c.inputs.push_back(in);
        }
        c.stack = std::move(n.stack);
        n = std::move(c);
        continue;
      }
      // ResourceGather(var, indices) == GatherV2(value, indices, axis 0) when batch_dims is 0.
      const ir::AttrValue* batch = n.attr("batch_dims");
      if (batch && batch->as_int() && *batch->as_int() != 0) continue;
      if (n.data_input_count() != 2) continue;
      std::string params = unique_name(n.name + "/params");
      std::string axis = unique_name(n.name + "/axis");
      added.push_back(const_node(params, *value));
      added.push_back(const_node(axis, scalar_int32(0)));
      ir::TensorRef indices = n.inputs[1];
      std::vector<ir::TensorRef> inputs{ir::TensorRef{params, "", 0, false}, indices,
                                        ir::TensorRef{axis, "", 0, false}};
      for (auto& in : n.inputs) {
        if (in.control) inputs.push_back(in);
      }
      n.inputs = std::move(inputs);
      n.op = "GatherV2";
      ir::AttrMap attrs;
      attrs["Tparams"].value = value->dtype();
      if (const ir::AttrValue* t = n.attr("Tindices")) attrs["Tindices"] = *t;
      attrs["Taxis"].value = ir::DType::Int32;
      attrs["batch_dims"].value = std::int64_t{0};
      n.attrs = std::move(attrs);
    } else if ((n.op == "VariableV2" || n.op == "Variable") && !mutable_vars.count(n.name)) {
      // A TF1 reference variable is read by using its output directly.
      auto value = value_of(n, n);
      if (!value) return unexpected(value.error());
      ir::Node c = const_node(n.name, *value);
      c.stack = std::move(n.stack);
      n = std::move(c);
    }
  }
  for (auto& c : added) flat.nodes.add(std::move(c));
  flat.nodes.reindex();
  return {};
}

}  // namespace litelint::converter::import
