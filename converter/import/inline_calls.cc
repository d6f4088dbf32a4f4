// Inlines function calls into one flat graph, as TensorFlow's function inliner does before
// the converter imports a signature: each call is replaced by a copy of the callee's live body,
// whose nodes are named "<call>/<body node>", arguments read the call's inputs and the call's
// outputs are the callee's results.
#include <algorithm>
#include <cstddef>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <variant>
#include <vector>

#include "analyzer/passes/dead_code.h"
#include "analyzer/support/input_limits.h"
#include "analyzer/passes/shape_context.h"
#include "converter/import/steps.h"

namespace litelint::converter::import {
namespace {

// A function called from many places is copied once per call; this bounds the blow-up.
constexpr std::size_t kMaxNodes = 4'000'000;

/// What an inlined call left behind: its outputs and the nodes a control edge on it means.
struct CallResult {
  std::vector<ir::TensorRef> outputs;
  std::vector<std::string> anchors;
};

/// The main graph or one function body being copied into the flat graph.
struct Scope {
  const ir::NodeList* body = nullptr;
  const ir::Function* fn = nullptr;  ///< null for the main graph
  std::string prefix;                ///< "" at the top, "call/" inside a call
  std::vector<std::vector<ir::TensorRef>> args;  ///< flat tensors of each argument
  std::unordered_map<std::string, std::size_t> arg_index;
  ir::AttrMap call_attrs;                    ///< resolves "$T" attr placeholders of the body
  std::vector<ir::TensorRef> call_controls;  ///< control inputs of the call
  std::unordered_map<std::string, std::string> flat_name;  ///< body node -> flat node
  std::unordered_map<std::string, CallResult> calls;       ///< call node -> what it became

  std::string where() const { return fn ? "in function '" + fn->name + "'" : "in the main graph"; }
};

ir::TensorRef control_on(const std::string& node) {
  ir::TensorRef ref;
  ref.node = node;
  ref.control = true;
  return ref;
}

ir::TensorRef tensor(const std::string& node, std::size_t index) {
  ir::TensorRef ref;
  ref.node = node;
  ref.index = static_cast<std::int32_t>(index);
  return ref;
}

/// Replaces "$T"-style placeholders by the call's attr values.
ir::AttrMap substitute(const ir::AttrMap& attrs, const ir::AttrMap& call_attrs) {
  ir::AttrMap out = attrs;
  if (call_attrs.empty()) return out;
  for (auto& [key, value] : out) {
    if (const auto* ph = std::get_if<ir::AttrPlaceholder>(&value.value)) {
      if (auto it = call_attrs.find(ph->name); it != call_attrs.end()) value = it->second;
    }
  }
  return out;
}

/// How many tensors one argument of a function stands for, given the call's attrs.
std::optional<std::size_t> arg_count(const ir::ArgDef& arg, const ir::AttrMap& attrs) {
  if (!arg.number_attr.empty()) {
    auto it = attrs.find(arg.number_attr);
    if (it == attrs.end() || !it->second.as_int() || *it->second.as_int() < 0 ||
        *it->second.as_int() > 65536) {
      return std::nullopt;
    }
    return static_cast<std::size_t>(*it->second.as_int());
  }
  if (!arg.type_list_attr.empty()) {
    auto it = attrs.find(arg.type_list_attr);
    if (it == attrs.end() || !it->second.as_list()) return std::nullopt;
    return it->second.as_list()->type.size();
  }
  return 1;
}

class Inliner {
 public:
  explicit Inliner(const ir::Graph& graph) : graph_(graph) {
    for (const auto& f : graph.functions) functions_.emplace(f.name, &f);
  }

  FlatGraph flat;

  /// Reserves a flat name: `want` when free, else `want_1`, `want_2`, ...
  std::string unique_name(const std::string& want) {
    if (taken_.insert(want).second) return want;
    for (std::size_t k = 1;; ++k) {
      std::string candidate = want + "_" + std::to_string(k);
      if (taken_.insert(candidate).second) return candidate;
    }
  }

  /// Copies the `live` nodes of a scope, inlining the calls among them.
  Expected<void> run_scope(Scope& s, const std::vector<bool>& live) {
    const auto& nodes = s.body->nodes();
    auto order = producers_first(*s.body, live);
    // Names first, so that a reference along a TF1 loop's back edge finds its producer.
    for (std::size_t i : order) {
      auto callee = find_callee(s, nodes[i]);
      if (!callee) return unexpected(callee.error());
      if (!*callee) s.flat_name.emplace(nodes[i].name, unique_name(s.prefix + nodes[i].name));
    }
    for (std::size_t i : order) {
      const ir::Node& n = nodes[i];
      auto callee = find_callee(s, n);
      if (*callee) {
        auto result = inline_call(s, n, **callee);
        if (!result) return unexpected(result.error());
        s.calls.emplace(n.name, std::move(*result));
      } else if (auto r = emit(s, n); !r) {
        return r;
      }
      if (flat.nodes.size() > kMaxNodes) {
        return bad_input("inlining calls " + s.where() + " makes more than " +
                         std::to_string(kMaxNodes) + " nodes");
      }
    }
    return {};
  }

  /// The flat tensor a data reference of scope `s` names.
  Expected<ir::TensorRef> resolve_data(Scope& s, const ir::TensorRef& ref, const std::string& user) {
    if (s.fn && ref.output_arg.empty()) {
      if (auto a = s.arg_index.find(ref.node); a != s.arg_index.end()) {
        const auto& tensors = s.args[a->second];
        if (static_cast<std::size_t>(ref.index) >= tensors.size()) {
          return bad_input("node '" + user + "' " + s.where() + " reads element " +
                           std::to_string(ref.index) + " of argument '" + ref.node + "', which has " +
                           std::to_string(tensors.size()));
        }
        return tensors[static_cast<std::size_t>(ref.index)];
      }
    }
    const ir::Node* producer = s.body->find(ref.node);
    if (!producer) {
      return bad_input("node '" + user + "' " + s.where() + " reads '" + ref.to_string() +
                       "', but there is no such node");
    }
    std::size_t index = static_cast<std::size_t>(ref.index);
    if (!ref.output_arg.empty()) {
      auto flat_index = output_index(*producer, ref.output_arg, ref.index);
      if (!flat_index) {
        return bad_input("node '" + user + "' " + s.where() + " reads '" + ref.to_string() +
                         "', an output that node '" + producer->name + "' (" + producer->op +
                         ") does not have");
      }
      index = *flat_index;
    }
    if (auto c = s.calls.find(producer->name); c != s.calls.end()) {
      if (index >= c->second.outputs.size()) {
        return bad_input("node '" + user + "' " + s.where() + " reads output " +
                         std::to_string(index) + " of call '" + producer->name + "', which has " +
                         std::to_string(c->second.outputs.size()));
      }
      return c->second.outputs[index];
    }
    if (auto f = s.flat_name.find(producer->name); f != s.flat_name.end()) {
      return tensor(f->second, index);
    }
    // Only a call can be missing here: non-call nodes are named before anything is copied.
    return bad_input("node '" + user + "' " + s.where() + " reads call '" + producer->name +
                     "' on a cycle; a call's result cannot feed back into its own inputs");
  }

  /// Appends the control inputs that a control reference of scope `s` becomes. A reference
  /// to nothing is dropped: after inlining it no longer orders anything.
  void resolve_control(Scope& s, const ir::TensorRef& ref, std::vector<ir::TensorRef>& out) {
    if (s.fn) {
      if (auto a = s.arg_index.find(ref.node); a != s.arg_index.end()) {
        for (const auto& t : s.args[a->second]) out.push_back(control_on(t.node));
        return;
      }
    }
    if (auto c = s.calls.find(ref.node); c != s.calls.end()) {
      for (const auto& anchor : c->second.anchors) out.push_back(control_on(anchor));
    } else if (auto f = s.flat_name.find(ref.node); f != s.flat_name.end()) {
      out.push_back(control_on(f->second));
    }
  }

  /// Sets up the top scope of a function body imported on its own (a control-flow body).
  static void bind_args(Scope& s, const ir::Function& fn, std::vector<std::vector<ir::TensorRef>> args) {
    s.fn = &fn;
    s.body = &fn.body;
    s.args = std::move(args);
    for (std::size_t i = 0; i < fn.inputs.size(); ++i) s.arg_index.emplace(fn.inputs[i].name, i);
  }

  /// The results of `fn` (in `fn.outputs` order) and its control anchors, resolved in `s`.
  Expected<CallResult> results(Scope& s, const ir::Function& fn, const std::string& user) {
    CallResult result;
    for (const auto& out : fn.outputs) {
      auto it = fn.ret.find(out.name);
      if (it == fn.ret.end()) return bad_input("function '" + fn.name + "' has no result for output '" + out.name + "'");
      auto ref = ir::TensorRef::parse(it->second);
      if (!ref || ref->control) {
        return bad_input("function '" + fn.name + "' returns '" + it->second + "' for output '" + out.name +
                         "', which is not a tensor reference");
      }
      auto t = resolve_data(s, *ref, user);
      if (!t) return unexpected(t.error());
      result.outputs.push_back(std::move(*t));
      result.anchors.push_back(result.outputs.back().node);
    }
    for (const auto& [name, node] : fn.control_ret) {
      std::vector<ir::TensorRef> controls;
      resolve_control(s, control_on(node), controls);
      for (auto& c : controls) result.anchors.push_back(std::move(c.node));
    }
    return result;
  }

  void push_function(const std::string& name) { stack_.push_back(name); }

 private:
  /// The function node `n` calls: nullptr when it calls none, an error when it names an
  /// unknown one through `f`.
  Expected<const ir::Function*> find_callee(const Scope& s, const ir::Node& n) const {
    if (is_call_op(n.op)) {
      const ir::AttrValue* f = n.attr("f");
      const ir::FuncRef* ref = f ? f->as_func() : nullptr;
      if (!ref) return bad_input("node '" + n.name + "' (" + n.op + ") " + s.where() + " has no function attr 'f'");
      auto it = functions_.find(ref->name);
      if (it == functions_.end()) {
        return bad_input("node '" + n.name + "' (" + n.op + ") " + s.where() + " calls function '" + ref->name +
                         "', which the library does not define");
      }
      return it->second;
    }
    auto it = functions_.find(n.op);
    return it == functions_.end() ? nullptr : it->second;
  }

  /// Flat output index of output argument `arg` (element `index`) of `node`.
  std::optional<std::size_t> output_index(const ir::Node& node, const std::string& arg, std::int32_t index) const {
    if (index < 0) return std::nullopt;
    if (is_call_op(node.op)) return arg == "output" ? std::optional<std::size_t>(index) : std::nullopt;
    if (auto it = functions_.find(node.op); it != functions_.end()) {
      std::size_t offset = 0;
      for (const auto& out : it->second->outputs) {
        auto count = arg_count(out, node.attrs);
        if (!count) return std::nullopt;
        if (out.name == arg) {
          if (static_cast<std::size_t>(index) >= *count) return std::nullopt;
          return offset + static_cast<std::size_t>(index);
        }
        offset += *count;
      }
      return std::nullopt;
    }
    return passes::shape_inference::flat_output_index(node, arg, index);
  }

  /// Indices of the live nodes of `body`, each after its producers, except along a cycle's
  /// back edge (TF1 loops). Iterative: main graphs can be long chains.
  static std::vector<std::size_t> producers_first(const ir::NodeList& body, const std::vector<bool>& live) {
    const auto& nodes = body.nodes();
    std::vector<std::size_t> order;
    std::vector<char> state(nodes.size(), 0);  // 0 new, 1 on the stack, 2 done
    std::vector<std::pair<std::size_t, std::size_t>> stack;
    for (std::size_t root = 0; root < nodes.size(); ++root) {
      if (!live[root] || state[root]) continue;
      state[root] = 1;
      stack.emplace_back(root, 0);
      while (!stack.empty()) {
        auto& [v, next] = stack.back();
        if (next < nodes[v].inputs.size()) {
          const ir::Node* p = body.find(nodes[v].inputs[next++].node);
          if (!p) continue;
          auto i = static_cast<std::size_t>(p - nodes.data());
          if (live[i] && state[i] == 0) {
            state[i] = 1;
            stack.emplace_back(i, 0);
          }
        } else {
          state[v] = 2;
          order.push_back(v);
          stack.pop_back();
        }
      }
    }
    return order;
  }

  Expected<void> emit(Scope& s, const ir::Node& n) {
    ir::Node out;
    out.name = s.flat_name.at(n.name);
    out.op = n.op;
    out.device = n.device;
    out.attrs = substitute(n.attrs, s.call_attrs);
    out.outputs = n.outputs;
    out.stack = n.stack;
    std::vector<ir::TensorRef> controls;
    for (const auto& in : n.inputs) {
      if (in.control) {
        resolve_control(s, in, controls);
        continue;
      }
      auto t = resolve_data(s, in, n.name);
      if (!t) return unexpected(t.error());
      out.inputs.push_back(std::move(*t));
    }
    // A body node without inputs (a Const, a VarHandleOp) runs after the call's control
    // inputs, as TensorFlow's inliner orders it.
    if (n.inputs.empty()) controls = s.call_controls;
    for (auto& c : controls) out.inputs.push_back(std::move(c));
    if (!flat.nodes.add(std::move(out))) {
      return fail(ErrorCode::Internal, "inlining made two nodes named '" + s.flat_name.at(n.name) + "'");
    }
    return {};
  }

  Expected<CallResult> inline_call(Scope& outer, const ir::Node& call, const ir::Function& fn) {
    if (std::find(stack_.begin(), stack_.end(), fn.name) != stack_.end()) {
      std::string chain;
      for (const auto& f : stack_) chain += f + " -> ";
      return bad_input("node '" + call.name + "' " + outer.where() + " calls function '" + fn.name +
                       "' recursively (" + chain + fn.name + "); recursive functions cannot be inlined");
    }
    // Real models nest calls a handful of levels deep; the bound turns a hostile (or mutually
    // recursive, through different call nodes) library into an error instead of a stack
    // overflow.
    if (stack_.size() >= input_limit(InputLimit::FunctionDepth)) {
      return unexpected(input_limit_error(InputLimit::FunctionDepth,
                                          "node '" + call.name + "' " + outer.where() + " nests calls; the depth",
                                          stack_.size() + 1));
    }
    if (!fn.body_loaded) {
      return fail(ErrorCode::Internal, "function '" + fn.name + "' that node '" + call.name + "' calls was not loaded");
    }
    Scope inner;
    inner.prefix = outer.prefix + call.name + "/";
    if (is_call_op(call.op)) {
      inner.call_attrs = substitute(call.attr("f")->as_func()->attrs, outer.call_attrs);
    } else {
      inner.call_attrs = substitute(call.attrs, outer.call_attrs);
    }

    std::vector<ir::TensorRef> inputs;
    for (const auto& in : call.inputs) {
      if (in.control) {
        resolve_control(outer, in, inner.call_controls);
        continue;
      }
      auto t = resolve_data(outer, in, call.name);
      if (!t) return unexpected(t.error());
      inputs.push_back(std::move(*t));
    }
    std::vector<std::vector<ir::TensorRef>> args;
    std::size_t next = 0;
    for (const auto& arg : fn.inputs) {
      auto count = arg_count(arg, inner.call_attrs);
      if (!count) {
        return bad_input("node '" + call.name + "' calls function '" + fn.name + "' without the attr that sizes its argument '" +
                         arg.name + "'");
      }
      if (next + *count > inputs.size()) break;
      args.emplace_back(inputs.begin() + static_cast<std::ptrdiff_t>(next),
                        inputs.begin() + static_cast<std::ptrdiff_t>(next + *count));
      next += *count;
    }
    if (args.size() != fn.inputs.size() || next != inputs.size()) {
      return bad_input("node '" + call.name + "' " + outer.where() + " passes " + std::to_string(inputs.size()) +
                       " inputs to function '" + fn.name + "', which takes " + std::to_string(fn.inputs.size()) +
                       " arguments");
    }
    bind_args(inner, fn, std::move(args));

    stack_.push_back(fn.name);
    auto ran = run_scope(inner, passes::live_body_nodes(fn));
    if (!ran) return unexpected(ran.error());
    auto result = results(inner, fn, call.name);
    stack_.pop_back();
    return result;
  }

  const ir::Graph& graph_;
  std::unordered_map<std::string, const ir::Function*> functions_;
  std::unordered_set<std::string> taken_;
  std::vector<std::string> stack_;  ///< functions being inlined, outermost first
};

}  // namespace

Expected<FlatGraph> inline_main_graph(const ir::Graph& graph, const std::vector<std::string>& inputs,
                                      const std::vector<ir::TensorRef>& outputs) {
  const auto& nodes = graph.nodes.nodes();
  std::vector<bool> live(nodes.size(), false);
  std::vector<std::size_t> stack;
  auto visit = [&](const std::string& name) {
    const ir::Node* n = graph.nodes.find(name);
    if (!n) return;
    auto i = static_cast<std::size_t>(n - nodes.data());
    if (!live[i]) {
      live[i] = true;
      stack.push_back(i);
    }
  };
  for (const auto& name : inputs) visit(name);
  for (const auto& ref : outputs) visit(ref.node);
  while (!stack.empty()) {
    std::size_t i = stack.back();
    stack.pop_back();
    for (const auto& in : nodes[i].inputs) visit(in.node);
  }

  Inliner inliner(graph);
  Scope top;
  top.body = &graph.nodes;
  if (auto r = inliner.run_scope(top, live); !r) return unexpected(r.error());
  inliner.flat.inputs = inputs;
  for (const auto& ref : outputs) {
    auto t = inliner.resolve_data(top, ref, ref.to_string());
    if (!t) return unexpected(t.error());
    inliner.flat.outputs.push_back(std::move(*t));
  }
  return std::move(inliner.flat);
}

Expected<FlatGraph> inline_function_body(const ir::Graph& graph, const ir::Function& fn,
                                         std::vector<ir::Node> arg_placeholders) {
  if (!fn.body_loaded) return fail(ErrorCode::Internal, "function '" + fn.name + "' was not loaded");
  if (arg_placeholders.size() != fn.inputs.size()) {
    return fail(ErrorCode::Internal, "function '" + fn.name + "' got the wrong number of arguments");
  }
  Inliner inliner(graph);
  std::vector<std::vector<ir::TensorRef>> args;
  for (auto& p : arg_placeholders) {
    p.name = inliner.unique_name(p.name);
    args.push_back({tensor(p.name, 0)});
    inliner.flat.inputs.push_back(p.name);
    inliner.flat.nodes.add(std::move(p));
  }
  Scope top;
  Inliner::bind_args(top, fn, std::move(args));
  // A body that (through calls) reaches itself is recursive, as for any other call.
  inliner.push_function(fn.name);
  if (auto r = inliner.run_scope(top, passes::live_body_nodes(fn)); !r) return unexpected(r.error());
  auto result = inliner.results(top, fn, fn.name);
  if (!result) return unexpected(result.error());
  inliner.flat.outputs = std::move(result->outputs);
  return std::move(inliner.flat);
}

}  // namespace litelint::converter::import
