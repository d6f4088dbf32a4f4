#include "analyzer/passes/infer_shapes.h"

#include <algorithm>
#include <deque>
#include <set>
#include <unordered_map>

#include "analyzer/ir/function_refs.h"
#include "analyzer/passes/shape_context.h"

namespace litelint::passes {
namespace {

using ir::DType;
using ir::Shape;
using ir::TensorType;
using shape_inference::InferenceContext;
using shape_inference::Value;

// Nested function calls deeper than this are typed from their Tout attrs only; a hostile
// file could otherwise nest calls without end.
constexpr int kMaxCallDepth = 16;
// Distinct argument types a function is specialized for before the joined types are used.
constexpr int kMaxSpecializations = 8;
// Passes over a graph with v1 loops before loop-carried shapes are given up as unknown.
constexpr int kMaxLoopPasses = 4;

/// Where a data input's value comes from.
struct Source {
  enum Kind { Node, Arg, Missing } kind = Missing;
  std::size_t index = 0;   ///< producer node index or function arg index
  std::size_t output = 0;  ///< flat output index of the producer
};

/// Per-body structure computed once: evaluation order, resolved inputs, seeds.
struct BodyPlan {
  std::vector<std::size_t> order;
  std::vector<std::vector<Source>> inputs;  ///< data inputs per node
  std::vector<std::size_t> referenced;      ///< outputs consumers refer to, per node
  std::vector<std::vector<TensorType>> seeds;
  bool has_back_edges = false;
};

bool is_next_iteration(const ir::Node& n) { return n.op == "NextIteration" || n.op == "RefNextIteration"; }

/// Shapes recorded by the producer of the file: what a loader put into `outputs`, refined by
/// the `_output_shapes` attr.
std::vector<TensorType> seeds_of(const ir::Node& node) {
  std::vector<TensorType> seeds = node.outputs;
  if (const auto* a = node.attr("_output_shapes"); a && a->as_list()) {
    const auto& shapes = a->as_list()->shape;
    if (shapes.size() > seeds.size() && shapes.size() <= 4096) seeds.resize(shapes.size());
    for (std::size_t i = 0; i < shapes.size() && i < seeds.size(); ++i) {
      seeds[i].shape = shape_inference::refine(shapes[i], seeds[i].shape);
    }
  }
  return seeds;
}

Value refine_value(const TensorType& seed, Value v) {
  if (v.type.dtype == DType::Invalid) v.type.dtype = seed.dtype;
  v.type.shape = shape_inference::refine(seed.shape, v.type.shape);
  return v;
}

std::string value_key(const std::vector<Value>& args) {
  std::string key;
  for (const auto& a : args) {
    key += std::to_string(static_cast<int>(a.type.dtype)) + a.type.shape.to_string();
    if (a.ints) {
      key += "=";
      for (auto x : *a.ints) key += std::to_string(x) + ",";
    }
    if (a.handle) key += "h" + std::to_string(static_cast<int>(a.handle->dtype)) + a.handle->shape.to_string();
    key += ";";
  }
  return key;
}

Value join_values(const Value& a, const Value& b) {
  Value out;
  out.type.dtype = a.type.dtype == b.type.dtype ? a.type.dtype : DType::Invalid;
  out.type.shape = shape_inference::join(a.type.shape, b.type.shape);
  if (a.ints && b.ints && *a.ints == *b.ints) out.ints = a.ints;
  if (a.handle && b.handle && a.handle->dtype == b.handle->dtype) {
    out.handle = TensorType{a.handle->dtype, shape_inference::join(a.handle->shape, b.handle->shape)};
  }
  return out;
}

class Inferrer {
 public:
  Inferrer(ir::Graph& graph, const InferOptions& options) : graph_(graph), options_(options) {
    for (std::size_t i = 0; i < graph_.functions.size(); ++i) fn_index_.emplace(graph_.functions[i].name, i);
    fn_state_.resize(graph_.functions.size());
    main_plan_ = plan(graph_.nodes, nullptr);
    seed_signatures();
    fn_plans_.reserve(graph_.functions.size());
    for (auto& f : graph_.functions) fn_plans_.push_back(plan(f.body, &f));
  }

  ShapeReport run() {
    infer_body(graph_.nodes, main_plan_, nullptr, nullptr, /*collect=*/true);
    // Final pass over each function with the join of every call site's argument types, callers
    // before callees so that a callee sees all its call sites.
    std::vector<bool> done(graph_.functions.size(), false);
    std::deque<std::size_t> queue;
    auto enqueue_refs = [&](const ir::NodeList& nodes) {
      for (const auto& n : nodes.nodes()) {
        ir::for_each_function_ref(n, [&](const std::string& name) {
          auto it = fn_index_.find(name);
          if (it != fn_index_.end() && !done[it->second]) {
            done[it->second] = true;
            queue.push_back(it->second);
          }
        });
      }
    };
    enqueue_refs(graph_.nodes);
    std::size_t scan = 0;
    for (;;) {
      if (queue.empty()) {
        if (!options_.uncalled_functions) break;
        // Functions nothing calls (gradients, dead code): typed from their declarations.
        while (scan < done.size() && done[scan]) ++scan;
        if (scan >= done.size()) break;
        done[scan] = true;
        queue.push_back(scan);
      }
      const std::size_t f = queue.front();
      queue.pop_front();
      final_pass(f);
      enqueue_refs(graph_.functions[f].body);
    }
    // A caller's final pass may specialize a callee after the callee's own final pass, which
    // leaves the callee's body typed for that one call; redo those (rarely more than once).
    for (int round = 0; round < 3; ++round) {
      bool any = false;
      for (std::size_t f = 0; f < fn_state_.size(); ++f) {
        if (!fn_state_[f].dirty) continue;
        any = true;
        final_pass(f);
      }
      if (!any) break;
    }
    report_.diagnostics.assign(diags_.begin(), diags_.end());
    report_.unmodeled_ops.assign(unmodeled_.begin(), unmodeled_.end());
    count(graph_.nodes);
    for (const auto& f : graph_.functions) count(f.body);
    return std::move(report_);
  }

 private:
  void final_pass(std::size_t f) {
    auto& fn = graph_.functions[f];
    auto& state = fn_state_[f];
    std::vector<Value> args = state.joined_args ? *state.joined_args : declared_args(fn);
    state.on_stack = true;
    infer_body(fn.body, fn_plans_[f], &fn, &args, /*collect=*/true);
    state.on_stack = false;
    state.final_done = true;
    state.dirty = false;
  }


  BodyPlan plan(const ir::NodeList& nodes, const ir::Function* fn) {
    BodyPlan p;
    const auto& ns = nodes.nodes();
    const std::size_t n = ns.size();
    p.inputs.resize(n);
    p.referenced.assign(n, 0);
    p.seeds.resize(n);
    std::unordered_map<std::string_view, std::size_t> arg_index;
    if (fn) {
      for (std::size_t i = 0; i < fn->inputs.size(); ++i) arg_index.emplace(fn->inputs[i].name, i);
    }
    std::vector<std::vector<std::size_t>> consumers(n);
    std::vector<std::size_t> indegree(n, 0);
    for (std::size_t i = 0; i < n; ++i) {
      p.seeds[i] = seeds_of(ns[i]);
      for (const auto& ref : ns[i].inputs) {
        // The body's own name index (a second one built here was ~3% of a vision model's check).
        const ir::Node* producer = nodes.find(ref.node);
        Source src;
        if (producer != nullptr && !(fn && ref.output_arg.empty() && arg_index.count(ref.node))) {
          const auto at = static_cast<std::size_t>(producer - ns.data());
          src.kind = Source::Node;
          src.index = at;
          if (!ref.control) {
            if (fn && !ref.output_arg.empty()) {
              auto flat = shape_inference::flat_output_index(*producer, ref.output_arg, ref.index);
              if (flat) src.output = *flat;
              else src.kind = Source::Missing;
            } else {
              src.output = static_cast<std::size_t>(ref.index);
            }
          }
          // Loop back edges do not order evaluation; the loop passes settle them.
          if (is_next_iteration(*producer)) {
            p.has_back_edges = true;
          } else if (at != i) {
            consumers[at].push_back(i);
            ++indegree[i];
          }
        } else if (fn && !ref.control) {
          auto a = arg_index.find(ref.node);
          if (a != arg_index.end()) {
            src.kind = Source::Arg;
            src.index = a->second + static_cast<std::size_t>(ref.index);
          }
        }
        if (ref.control) continue;
        if (src.kind == Source::Node) {
          p.referenced[src.index] = std::max(p.referenced[src.index], std::min<std::size_t>(src.output + 1, 4096));
        }
        p.inputs[i].push_back(src);
      }
    }
    // Kahn's algorithm in file order; nodes left on a cycle (malformed graphs) go last.
    std::deque<std::size_t> ready;
    for (std::size_t i = 0; i < n; ++i) {
      if (indegree[i] == 0) ready.push_back(i);
    }
    std::vector<bool> placed(n, false);
    while (!ready.empty()) {
      const auto i = ready.front();
      ready.pop_front();
      placed[i] = true;
      p.order.push_back(i);
      for (auto c : consumers[i]) {
        if (--indegree[c] == 0) ready.push_back(c);
      }
    }
    for (std::size_t i = 0; i < n; ++i) {
      if (!placed[i]) {
        p.order.push_back(i);
        p.has_back_edges = true;
      }
    }
    return p;
  }

  /// Signature inputs name main-graph tensors with a declared type. Outputs are not seeds:
  /// they are what inference is checked against.
  void seed_signatures() {
    for (const auto& sig : graph_.signatures) {
      for (const auto* list : {&sig.inputs}) {
        for (const auto& t : *list) {
          if (t.tensor_name.empty()) continue;
          auto ref = ir::TensorRef::parse(t.tensor_name);
          if (!ref || ref->control || ref->index < 0 || ref->index >= 4096) continue;
          const auto* node = graph_.nodes.find(ref->node);
          if (!node) continue;
          const auto i = static_cast<std::size_t>(node - graph_.nodes.nodes().data());
          auto& seeds = main_plan_.seeds[i];
          const auto k = static_cast<std::size_t>(ref->index);
          if (seeds.size() <= k) seeds.resize(k + 1);
          if (seeds[k].dtype == DType::Invalid) seeds[k].dtype = t.type.dtype;
          seeds[k].shape = shape_inference::refine(t.type.shape, seeds[k].shape);
        }
      }
    }
  }

  std::vector<Value> declared_args(const ir::Function& fn) const {
    std::vector<Value> args(fn.inputs.size());
    for (std::size_t i = 0; i < fn.inputs.size(); ++i) {
      args[i].type.dtype = fn.inputs[i].type;
      if (fn.inputs[i].type == DType::Invalid && !fn.inputs[i].type_attr.empty()) {
        auto a = fn.attrs.find(fn.inputs[i].type_attr);
        if (a != fn.attrs.end() && a->second.as_type()) args[i].type.dtype = *a->second.as_type();
      }
      auto attrs = fn.arg_attrs.find(static_cast<std::int32_t>(i));
      if (attrs == fn.arg_attrs.end()) continue;
      auto shapes = attrs->second.find("_output_shapes");
      if (shapes != attrs->second.end() && shapes->second.as_list() && !shapes->second.as_list()->shape.empty()) {
        args[i].type.shape = shapes->second.as_list()->shape[0];
      }
      // Resource arguments (captured variables) may carry what they hold.
      auto hd = attrs->second.find("_handle_dtypes");
      auto hs = attrs->second.find("_handle_shapes");
      if (hd != attrs->second.end() && hd->second.as_list() && hd->second.as_list()->type.size() == 1) {
        TensorType h{hd->second.as_list()->type[0], Shape()};
        if (hs != attrs->second.end() && hs->second.as_list() && hs->second.as_list()->shape.size() == 1) {
          h.shape = hs->second.as_list()->shape[0];
        }
        args[i].handle = h;
      }
    }
    return args;
  }

  std::optional<std::vector<Value>> call(const std::string& name, const std::vector<Value>& call_args) {
    auto it = fn_index_.find(name);
    if (it == fn_index_.end()) return std::nullopt;
    const std::size_t f = it->second;
    auto& state = fn_state_[f];
    if (state.on_stack || depth_ >= kMaxCallDepth) return std::nullopt;
    auto& fn = graph_.functions[f];
    std::vector<Value> args = declared_args(fn);
    for (std::size_t i = 0; i < args.size() && i < call_args.size(); ++i) {
      Value v = call_args[i];
      v.pending = false;
      if (v.type.dtype == DType::Invalid) v.type.dtype = args[i].type.dtype;
      v.type.shape = shape_inference::refine(args[i].type.shape, v.type.shape);
      if (!v.handle) v.handle = args[i].handle;
      args[i] = std::move(v);
    }
    if (state.joined_args) {
      for (std::size_t i = 0; i < args.size(); ++i) (*state.joined_args)[i] = join_values((*state.joined_args)[i], args[i]);
    } else {
      state.joined_args = args;
    }
    if (state.specializations >= kMaxSpecializations) args = *state.joined_args;
    const auto key = value_key(args);
    if (auto m = state.memo.find(key); m != state.memo.end()) return m->second;
    ++state.specializations;
    state.on_stack = true;
    ++depth_;
    auto values = infer_body(fn.body, fn_plans_[f], &fn, &args, /*collect=*/false);
    --depth_;
    state.on_stack = false;
    if (state.final_done) state.dirty = true;
    std::vector<Value> result;
    for (const auto& out : fn.outputs) {
      auto r = fn.ret.find(out.name);
      Value t;
      t.type = TensorType{out.type, Shape()};
      if (r != fn.ret.end()) {
        if (auto v = resolve_ret(fn, fn_plans_[f], values, args, r->second)) {
          t = refine_value(TensorType{out.type, Shape()}, *v);
          t.handle.reset();
          t.pending = false;
        }
      }
      result.push_back(std::move(t));
    }
    state.memo.emplace(key, result);
    return result;
  }

  std::optional<Value> resolve_ret(const ir::Function& fn, const BodyPlan&, const std::vector<std::vector<Value>>& values,
                                   const std::vector<Value>& args, const std::string& text) const {
    auto ref = ir::TensorRef::parse(text);
    if (!ref || ref->control) return std::nullopt;
    if (ref->output_arg.empty()) {
      for (std::size_t i = 0; i < fn.inputs.size(); ++i) {
        if (fn.inputs[i].name == ref->node) {
          const auto k = i + static_cast<std::size_t>(ref->index);
          return k < args.size() ? std::optional<Value>(args[k]) : std::nullopt;
        }
      }
    }
    const auto* node = fn.body.find(ref->node);
    if (!node) return std::nullopt;
    const auto idx = static_cast<std::size_t>(node - fn.body.nodes().data());
    std::optional<std::size_t> flat = ref->output_arg.empty()
                                          ? std::optional<std::size_t>(static_cast<std::size_t>(ref->index))
                                          : shape_inference::flat_output_index(*node, ref->output_arg, ref->index);
    if (!flat || idx >= values.size() || *flat >= values[idx].size()) return std::nullopt;
    return values[idx][*flat];
  }

  /// Evaluates every node of a body, writes `Node::outputs` and returns the per-node values.
  std::vector<std::vector<Value>> infer_body(ir::NodeList& nodes, const BodyPlan& p, const ir::Function* fn,
                                             const std::vector<Value>* args, bool collect) {
    auto& ns = nodes.mutable_nodes();
    std::vector<std::vector<Value>> values(ns.size());
    std::vector<ShapeDiagnostic> pass_diags;
    std::vector<TensorType> previous_merges;
    const int passes = p.has_back_edges ? kMaxLoopPasses + 1 : 1;
    for (int pass = 0; pass < passes; ++pass) {
      const bool widen = p.has_back_edges && pass == kMaxLoopPasses;
      std::vector<bool> evaluated(ns.size(), false);
      pass_diags.clear();
      for (auto i : p.order) {
        std::vector<Value> inputs;
        inputs.reserve(p.inputs[i].size());
        for (const auto& src : p.inputs[i]) {
          Value v;
          if (src.kind == Source::Node) {
            if (!evaluated[src.index] && values[src.index].empty()) v.pending = true;
            else if (src.output < values[src.index].size()) v = values[src.index][src.output];
          } else if (src.kind == Source::Arg && args && src.index < args->size()) {
            v = (*args)[src.index];
          }
          inputs.push_back(std::move(v));
        }
        values[i] = evaluate(ns[i], std::move(inputs), p.seeds[i], p.referenced[i], collect ? &pass_diags : nullptr,
                             fn);
        if (widen && (ns[i].op == "Merge" || ns[i].op == "RefMerge") && !values[i].empty()) {
          values[i][0].type.shape = Shape();
          values[i][0].ints.reset();
        }
        evaluated[i] = true;
      }
      if (!p.has_back_edges) break;
      std::vector<TensorType> merges;
      for (std::size_t i = 0; i < ns.size(); ++i) {
        if ((ns[i].op == "Merge" || ns[i].op == "RefMerge") && !values[i].empty()) merges.push_back(values[i][0].type);
      }
      if (pass > 0 && merges == previous_merges) break;
      previous_merges = std::move(merges);
    }
    for (auto& d : pass_diags) diags_.insert(std::move(d));
    for (std::size_t i = 0; i < ns.size(); ++i) {
      auto& outs = ns[i].outputs;
      outs.resize(values[i].size());
      for (std::size_t k = 0; k < outs.size(); ++k) outs[k] = values[i][k].type;
    }
    return values;
  }

  std::vector<Value> evaluate(const ir::Node& node, std::vector<Value> inputs, const std::vector<TensorType>& seeds,
                              std::size_t referenced, std::vector<ShapeDiagnostic>* diags, const ir::Function* fn) {
    InferenceContext ctx(node, std::move(inputs),
                         [this](const std::string& name, const std::vector<Value>& args) { return call(name, args); });
    std::vector<Value> outs;
    if (auto shape_fn = shape_inference::find_shape_fn(node.op)) {
      shape_fn(ctx);
      outs = ctx.take_outputs();
      // Graphs from producer <= 21 wrote "shape {}" for a Placeholder of unconstrained shape;
      // TensorFlow reads a scalar shape there as unknown.
      if (graph_.producer <= 21 && (node.op == "Placeholder" || node.op == "PlaceholderV2") && !outs.empty() &&
          outs[0].type.shape.has_rank() && outs[0].type.shape.rank() == 0) {
        outs[0].type.shape = Shape();
      }
    } else if (fn_index_.count(node.op)) {
      // A node whose op is a library function is a direct call of it.
      if (auto r = call(node.op, ctx.inputs())) {
        for (const auto& t : *r) outs.push_back(Value{t.type, std::nullopt, std::nullopt, false});
      }
    } else {
      unmodeled_.insert(node.op);
      outs = generic_outputs(node, std::max(referenced, seeds.size()));
    }
    if (diags) {
      for (const auto& e : ctx.errors()) {
        diags->push_back(ShapeDiagnostic{fn ? fn->name : std::string(), node.name, node.op, e});
      }
    }
    const std::size_t n = std::max({outs.size(), seeds.size(), referenced});
    outs.resize(n);
    for (std::size_t k = 0; k < seeds.size(); ++k) outs[k] = refine_value(seeds[k], std::move(outs[k]));
    return outs;
  }

  /// Types for an op without a shape function: dtypes from the usual attrs, unknown shapes.
  static std::vector<Value> generic_outputs(const ir::Node& node, std::size_t known_count) {
    std::vector<Value> outs;
    for (auto key : {"Tout", "output_types", "component_types", "dtypes", "OutT", "Tresults"}) {
      const auto* a = node.attr(key);
      if (a && a->as_list() && !a->as_list()->type.empty()) {
        for (auto t : a->as_list()->type) outs.push_back(Value{TensorType{t, Shape()}, std::nullopt, std::nullopt, false});
        return outs;
      }
    }
    // A single type attr names the output type only when there is one output.
    if (known_count > 1) return outs;
    for (auto key : {"dtype", "out_type", "DstT", "Tout", "output_type", "T"}) {
      const auto* a = node.attr(key);
      if (a && a->as_type()) {
        outs.push_back(Value{TensorType{*a->as_type(), Shape()}, std::nullopt, std::nullopt, false});
        return outs;
      }
    }
    return outs;
  }

  void count(const ir::NodeList& nodes) {
    for (const auto& n : nodes.nodes()) {
      for (const auto& o : n.outputs) {
        ++report_.outputs;
        if (o.dtype != DType::Invalid) ++report_.dtype_known;
        if (o.shape.has_rank()) ++report_.rank_known;
        if (o.shape.is_fully_defined()) ++report_.fully_defined;
      }
    }
  }

  struct FnState {
    bool on_stack = false;
    bool final_done = false;
    bool dirty = false;
    int specializations = 0;
    std::optional<std::vector<Value>> joined_args;
    std::unordered_map<std::string, std::vector<Value>> memo;
  };

  ir::Graph& graph_;
  InferOptions options_;
  std::unordered_map<std::string, std::size_t> fn_index_;
  std::vector<FnState> fn_state_;
  BodyPlan main_plan_;
  std::vector<BodyPlan> fn_plans_;
  std::set<ShapeDiagnostic> diags_;
  std::set<std::string> unmodeled_;
  ShapeReport report_;
  int depth_ = 0;
};

}  // namespace

ShapeReport infer_shapes(ir::Graph& graph, const InferOptions& options) {
  return Inferrer(graph, options).run();
}

Expected<void> set_input_shapes(ir::Graph& graph, const std::map<std::string, ir::Shape>& shapes) {
  for (const auto& [name, shape] : shapes) {
    const auto* node = graph.nodes.find(name);
    if (!node) return fail(ErrorCode::Usage, "input '" + name + "' is not a node of the graph");
    if (!ir::is_placeholder(node->op)) {
      return fail(ErrorCode::Usage, "input '" + name + "' is a " + node->op + ", not a Placeholder");
    }
    if (shape.has_rank() && shape.rank() > Shape::kMaxRank) {
      return fail(ErrorCode::Usage, "input '" + name + "' has a shape of rank " + std::to_string(shape.rank()));
    }
  }
  // Recorded shapes were computed for the old inputs; only dtypes survive.
  for (auto& n : graph.nodes.mutable_nodes()) {
    n.attrs.erase("_output_shapes");
    for (auto& o : n.outputs) o.shape = Shape();
  }
  for (const auto& [name, shape] : shapes) {
    auto* node = graph.nodes.find(name);
    node->attrs["shape"] = ir::AttrValue{shape};
    if (node->outputs.empty()) node->outputs.resize(1);
    node->outputs[0].shape = shape;
  }
  // Signature inputs that name an overridden placeholder take its new shape.
  for (auto& sig : graph.signatures) {
    for (auto& t : sig.inputs) {
      auto ref = ir::TensorRef::parse(t.tensor_name);
      if (!ref) continue;
      auto it = shapes.find(ref->node);
      if (it != shapes.end() && ref->index == 0) t.type.shape = it->second;
    }
  }
  return {};
}

}  // namespace litelint::passes
