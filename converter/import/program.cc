// The import driver: chooses the signatures, runs the steps of steps.h on each, and imports
// the functions that control-flow ops run as bodies of their own.
#include "converter/import/program.h"

#include <cstddef>
#include <deque>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "analyzer/passes/infer_shapes.h"
#include "converter/import/functionalize.h"
#include "converter/import/keras_lstm_composite.h"
#include "converter/import/steps.h"

namespace litelint::converter {
namespace {

using import::BodyVariants;
using import::FlatGraph;
using import::VariableValues;

/// One entry to build: its signature with graph tensors from the main graph.
struct EntrySpec {
  ir::Signature signature;
  bool from_signature_def = false;  ///< false: a GraphDef pseudo-signature
};

std::string join_keys(const std::vector<ir::Signature>& signatures) {
  std::string out;
  for (const auto& s : signatures) out += (out.empty() ? "" : ", ") + s.key;
  return out.empty() ? "none" : out;
}

/// Ops a GraphDef's unconsumed nodes may be without being an output: they produce nothing a
/// caller would fetch (initializers, savers, assertions).
bool is_effect_only(const ir::Node& n) {
  return n.op == "NoOp" || n.op == "Assert" || n.op == "PrintV2" || n.op == "SaveV2" || n.op == "Save" ||
         n.op == "SaveSlices" || n.op == "MergeV2Checkpoints" || ir::is_placeholder(n.op) ||
         import::is_variable_write_op(n.op);
}

/// The GraphDef pseudo-signature: the given arrays, else the Placeholders and the nodes that
/// nothing consumes (as TensorFlow's converter CLI suggests them).
Expected<EntrySpec> graphdef_spec(const ir::Graph& graph, const ImportOptions& options) {
  EntrySpec spec;
  spec.signature.key = "serving_default";
  std::vector<std::string> inputs = options.inputs;
  std::vector<std::string> outputs = options.outputs;
  if (inputs.empty()) {
    for (const auto& n : graph.nodes.nodes()) {
      if (n.op == "Placeholder" || n.op == "PlaceholderV2") inputs.push_back(n.name);
    }
  }
  if (outputs.empty()) {
    std::set<std::string, std::less<>> consumed;
    for (const auto& n : graph.nodes.nodes()) {
      for (const auto& in : n.inputs) consumed.insert(in.node);
    }
    for (const auto& n : graph.nodes.nodes()) {
      if (!consumed.count(n.name) && !is_effect_only(n)) outputs.push_back(n.name);
    }
    if (outputs.empty()) return fail(ErrorCode::Usage, "the graph has no node that could be an output; name the outputs");
  }
  for (const auto& name : inputs) spec.signature.inputs.push_back({name, name, {}});
  for (const auto& name : outputs) spec.signature.outputs.push_back({name, name, {}});
  return spec;
}

Expected<std::vector<EntrySpec>> entry_specs(const ir::Graph& graph, const ImportOptions& options) {
  std::vector<EntrySpec> specs;
  if (!options.inputs.empty() || !options.outputs.empty() || graph.signatures.empty()) {
    if (!options.signatures.empty()) {
      return fail(ErrorCode::Usage, "no signature '" + options.signatures.front() + "'; available: " +
                                        join_keys(graph.signatures));
    }
    auto spec = graphdef_spec(graph, options);
    if (!spec) return unexpected(spec.error());
    specs.push_back(std::move(*spec));
    return specs;
  }
  std::vector<const ir::Signature*> chosen;
  if (options.signatures.empty()) {
    for (const auto& s : graph.signatures) {
      // The SavedModel's init (and legacy train) op rides in the signature map but is no
      // signature: TFLiteConverter runs it to initialize tables and never converts it.
      if (s.key == "__saved_model_init_op" || s.key == "__saved_model_train_op") continue;
      chosen.push_back(&s);
    }
    if (chosen.empty()) return fail(ErrorCode::Usage, "the model has no signature to convert; name inputs and outputs");
  } else {
    for (const auto& key : options.signatures) {
      const ir::Signature* s = graph.find_signature(key);
      if (!s) return fail(ErrorCode::Usage, "no signature '" + key + "'; available: " + join_keys(graph.signatures));
      chosen.push_back(s);
    }
  }
  for (const auto* s : chosen) {
    EntrySpec spec;
    spec.signature = *s;
    spec.from_signature_def = true;
    specs.push_back(std::move(spec));
  }
  return specs;
}

/// Parses a signature tensor name of the main graph.
Expected<ir::TensorRef> signature_tensor(const ir::Signature& sig, const ir::SignatureTensor& t, const char* what) {
  if (t.tensor_name.empty()) {
    return bad_input("signature '" + sig.key + "' " + what + " '" + t.key +
                     "' is a composite tensor (no single graph tensor), which cannot be converted");
  }
  auto ref = ir::TensorRef::parse(t.tensor_name);
  if (!ref || ref->control || !ref->output_arg.empty()) {
    return bad_input("signature '" + sig.key + "' " + what + " '" + t.key + "' names '" + t.tensor_name +
                     "', which is not a tensor name");
  }
  return *ref;
}

/// Turns an input that is not a Placeholder (a GraphDef cut inside, or a fed
/// PlaceholderWithDefault) into one, typed as the tensor it replaces.
Expected<void> make_placeholder(ir::Node& n, const std::string& key) {
  if (n.op == "Placeholder") return {};
  ir::TensorType type;
  if (!n.outputs.empty()) type = n.outputs[0];
  for (const char* attr : {"dtype", "T"}) {
    if (type.dtype != ir::DType::Invalid) break;
    if (const ir::AttrValue* v = n.attr(attr); v && v->as_type()) type.dtype = *v->as_type();
  }
  if (type.dtype == ir::DType::Invalid) {
    return bad_input("input '" + key + "' is node '" + n.name + "' (" + n.op +
                     "), whose dtype is not known; it cannot become a graph input");
  }
  ir::Node p;
  p.name = n.name;
  p.op = "Placeholder";
  p.attrs["dtype"].value = type.dtype;
  p.attrs["shape"].value = type.shape;
  p.outputs = {type};
  p.stack = std::move(n.stack);
  n = std::move(p);
  return {};
}

/// Runs the steps after inlining, shared by entries and bodies.
Expected<void> clean(const ir::Graph& graph, const VariableValues& values, BodyVariants& variants, FlatGraph& flat) {
  import::remove_identities(flat);
  if (auto r = import::freeze_variables(graph, values, variants, flat); !r) return r;
  import::prune(flat);
  return import::topo_sort(flat);
}

/// An ir::Graph holding a cleaned flat graph, with the source graph's header fields.
ir::Graph assemble(const ir::Graph& source, FlatGraph&& flat) {
  ir::Graph g;
  g.tags = source.tags;
  g.tf_version = source.tf_version;
  g.tf_git_version = source.tf_git_version;
  g.producer = source.producer;
  g.min_consumer = source.min_consumer;
  g.nodes = std::move(flat.nodes);
  // Mutable variables stay as VarHandleOps; their initial values go with them.
  for (const auto& v : source.variables) {
    if (g.nodes.find(v.node_name)) g.variables.push_back(v);
  }
  return g;
}

/// Fills the signature's tensor names and types from the typed graph.
void finish_signature(ir::Graph& g, ir::Signature& sig, const FlatGraph& flat) {
  for (std::size_t i = 0; i < sig.inputs.size(); ++i) {
    auto& t = sig.inputs[i];
    t.tensor_name = flat.inputs[i] + ":0";
    if (const ir::Node* n = g.nodes.find(flat.inputs[i]); n && !n->outputs.empty()) t.type = n->outputs[0];
  }
  for (std::size_t j = 0; j < sig.outputs.size(); ++j) {
    auto& t = sig.outputs[j];
    const auto& ref = flat.outputs[j];
    t.tensor_name = ref.node + ":" + std::to_string(ref.index);
    const ir::Node* n = g.nodes.find(ref.node);
    if (n && static_cast<std::size_t>(ref.index) < n->outputs.size()) t.type = n->outputs[static_cast<std::size_t>(ref.index)];
  }
  g.signatures = {sig};
}

Expected<ir::Graph> import_entry(const ir::Graph& graph, EntrySpec spec, const ImportOptions& options,
                                 BodyVariants& variants, std::set<std::string>& used_shape_keys) {
  ir::Signature& sig = spec.signature;
  std::vector<std::string> input_nodes;
  std::vector<ir::TensorRef> outputs;
  for (const auto& t : sig.inputs) {
    auto ref = signature_tensor(sig, t, "input");
    if (!ref) return unexpected(ref.error());
    if (!graph.nodes.find(ref->node)) {
      return fail(spec.from_signature_def ? ErrorCode::BadInput : ErrorCode::Usage,
                  "input '" + t.key + "' of signature '" + sig.key + "' names '" + t.tensor_name +
                      "', which is not a node of the graph");
    }
    if (ref->index != 0) {
      return fail(ErrorCode::Unsupported, "input '" + t.key + "' of signature '" + sig.key + "' is output " +
                                              std::to_string(ref->index) + " of node '" + ref->node +
                                              "'; only a node's first output can become an input");
    }
    input_nodes.push_back(ref->node);
  }
  for (const auto& t : sig.outputs) {
    auto ref = signature_tensor(sig, t, "output");
    if (!ref) return unexpected(ref.error());
    if (!graph.nodes.find(ref->node)) {
      return fail(spec.from_signature_def ? ErrorCode::BadInput : ErrorCode::Usage,
                  "output '" + t.key + "' of signature '" + sig.key + "' names '" + t.tensor_name +
                      "', which is not a node of the graph");
    }
    outputs.push_back(*ref);
  }

  auto flat = import::inline_main_graph(graph, input_nodes, outputs);
  if (!flat) return unexpected(flat.error());
  for (std::size_t i = 0; i < input_nodes.size(); ++i) {
    ir::Node* n = flat->nodes.find(input_nodes[i]);
    if (!n) return fail(ErrorCode::Internal, "input node '" + input_nodes[i] + "' was lost while inlining");
    if (auto r = make_placeholder(*n, sig.inputs[i].key); !r) return unexpected(r.error());
  }
  VariableValues values;
  for (const auto& v : graph.variables) {
    if (v.value.has_value()) values.emplace(v.node_name, import::VariableValue{v.value, v.node_name});
  }
  if (auto r = clean(graph, values, variants, *flat); !r) return unexpected(r.error());

  // TF.js models often list only a signature's outputs; their inputs are then the
  // Placeholders the outputs need, named by node.
  const bool adopt_inputs = sig.inputs.empty();
  std::set<std::string> inputs(input_nodes.begin(), input_nodes.end());
  for (const auto& n : flat->nodes.nodes()) {
    if ((n.op != "Placeholder" && n.op != "PlaceholderV2") || inputs.count(n.name)) continue;
    if (!adopt_inputs) {
      return bad_input("node '" + n.name + "' (" + n.op + ") feeds the outputs of signature '" + sig.key +
                       "' but is not one of its inputs");
    }
    sig.inputs.push_back({n.name, n.name + ":0", {}});
    input_nodes.push_back(n.name);
    flat->inputs.push_back(n.name);
  }
  if (adopt_inputs && !input_nodes.empty()) {
    if (auto r = import::topo_sort(*flat); !r) return unexpected(r.error());
  }

  ir::Graph g = assemble(graph, std::move(*flat));
  std::map<std::string, ir::Shape> shapes;
  for (std::size_t i = 0; i < sig.inputs.size(); ++i) {
    for (const auto& name : {sig.inputs[i].key, input_nodes[i]}) {
      if (auto it = options.input_shapes.find(name); it != options.input_shapes.end()) {
        shapes[input_nodes[i]] = it->second;
        used_shape_keys.insert(name);
      }
    }
  }
  if (!shapes.empty()) {
    if (auto r = passes::set_input_shapes(g, shapes); !r) return unexpected(r.error());
  }
  passes::infer_shapes(g);
  finish_signature(g, sig, *flat);
  return g;
}

/// The control-flow bodies a graph's nodes name.
void collect_bodies(const ir::Graph& g, std::deque<std::pair<std::string, const ir::Node*>>& queue) {
  for (const auto& n : g.nodes.nodes()) {
    if (!import::is_control_flow_op(n.op)) continue;
    for (const auto& [key, value] : n.attrs) {
      if (const auto* f = value.as_func()) queue.emplace_back(f->name, &n);
      if (const auto* l = value.as_list()) {
        for (const auto& f : l->func) queue.emplace_back(f.name, &n);
      }
    }
  }
}

/// The type a control-flow node gives argument `i` of the function it runs.
ir::TensorType caller_arg_type(const ir::Node& caller, std::size_t i) {
  ir::TensorType type;
  const bool is_while = caller.op == "While" || caller.op == "StatelessWhile";
  if (const ir::AttrValue* t = caller.attr(is_while ? "T" : "Tin"); t && t->as_list() && i < t->as_list()->type.size()) {
    type.dtype = t->as_list()->type[i];
  }
  if (const ir::AttrValue* s = caller.attr("output_shapes");
      is_while && s && s->as_list() && i < s->as_list()->shape.size()) {
    type.shape = s->as_list()->shape[i];
  }
  return type;
}

Expected<ir::Graph> import_body(const ir::Graph& graph, const std::string& name, const ir::Node& caller,
                                BodyVariants& variants) {
  const import::BodyVariant* variant = variants.find(name);
  const std::string& fn_name = variant ? variant->function : name;
  const ir::Function* fn = graph.find_function(fn_name);
  if (!fn) {
    return bad_input("node '" + caller.name + "' (" + caller.op + ") runs function '" + fn_name +
                     "', which the library does not define");
  }
  if (!fn->body_loaded) return fail(ErrorCode::Internal, "function '" + name + "' was not loaded");
  std::vector<ir::Node> args;
  for (std::size_t i = 0; i < fn->inputs.size(); ++i) {
    const ir::ArgDef& arg = fn->inputs[i];
    if (!arg.number_attr.empty() || !arg.type_list_attr.empty()) {
      return bad_input("function '" + name + "' takes a list argument '" + arg.name +
                       "'; a control-flow body must take one tensor per argument");
    }
    // The caller no longer passes frozen arguments, so its type lists skip them.
    std::size_t passed = i;
    if (variant) {
      for (const auto& [k, value] : variant->frozen_args) passed -= k < i ? 1 : 0;
    }
    ir::TensorType type = caller_arg_type(caller, passed);
    if (arg.type != ir::DType::Invalid) type.dtype = arg.type;
    if (auto a = fn->arg_attrs.find(static_cast<std::int32_t>(i)); a != fn->arg_attrs.end()) {
      auto s = a->second.find("_output_shapes");
      if (s != a->second.end() && s->second.as_list() && !s->second.as_list()->shape.empty()) {
        type.shape = s->second.as_list()->shape[0];
      }
    }
    ir::Node p;
    p.name = arg.name;
    p.op = "Placeholder";
    p.attrs["dtype"].value = type.dtype;
    p.attrs["shape"].value = type.shape;
    p.outputs = {type};
    args.push_back(std::move(p));
  }
  // A frozen resource argument becomes a variable of the body with a known value, which
  // freezing then turns into Consts where the body reads it.
  VariableValues values;
  if (variant) {
    for (const auto& [i, value] : variant->frozen_args) {
      if (i >= args.size()) return fail(ErrorCode::Internal, "variant '" + name + "' freezes a missing argument");
      ir::Node& p = args[i];
      p.op = "VarHandleOp";
      p.attrs.clear();
      p.attrs["dtype"].value = value.value.dtype();
      p.attrs["shape"].value = value.value.shape();
      p.outputs = {ir::TensorType{ir::DType::Resource, ir::Shape::scalar()}};
    }
  }
  auto flat = import::inline_function_body(graph, *fn, std::move(args));
  if (!flat) return unexpected(flat.error());

  ir::Signature sig;
  sig.key = name;
  std::vector<std::string> inputs;
  for (std::size_t i = 0; i < fn->inputs.size(); ++i) {
    if (variant && variant->frozen_args.count(i)) {
      values.emplace(flat->inputs[i], variant->frozen_args.at(i));
      continue;
    }
    sig.inputs.push_back({fn->inputs[i].name, "", {}});
    inputs.push_back(flat->inputs[i]);
  }
  flat->inputs = std::move(inputs);
  std::vector<ir::TensorRef> outputs;
  for (std::size_t j = 0; j < fn->outputs.size(); ++j) {
    if (variant && variant->drop_frozen_results && variant->frozen_args.count(j)) continue;
    sig.outputs.push_back({fn->outputs[j].name, "", {}});
    outputs.push_back(flat->outputs[j]);
  }
  flat->outputs = std::move(outputs);
  if (auto r = clean(graph, values, variants, *flat); !r) return unexpected(r.error());

  ir::Graph g = assemble(graph, std::move(*flat));
  passes::infer_shapes(g);
  finish_signature(g, sig, *flat);
  return g;
}

}  // namespace

Expected<Program> import_program(const ir::Model& model, const ImportOptions& options) {
  if (model.graphs.empty()) {
    return fail(ErrorCode::Usage, "'" + model.path.string() + "' holds no TensorFlow graph to convert");
  }
  // TF1 control flow becomes If/While first, on a copy: the steps below know only those.
  std::optional<ir::Graph> functionalized;
  if (import::has_v1_control_flow(model.graph())) {
    functionalized = model.graph();
    if (auto r = import::functionalize_control_flow(*functionalized); !r) return unexpected(r.error());
  }
  // Composite functions become their fused op before inlining, as in TensorFlow's converter;
  // a declined one stays a loop, which the steps below handle or reject.
  std::vector<import::CompositeDecline> declined;
  if (import::has_keras_lstm_composites(functionalized ? *functionalized : model.graph())) {
    if (!functionalized) functionalized = model.graph();
    declined = import::fuse_keras_lstm_composites(*functionalized);
  }
  const ir::Graph& graph = functionalized ? *functionalized : model.graph();
  auto specs = entry_specs(graph, options);
  if (!specs) return unexpected(specs.error());

  Program program;
  for (const auto& d : declined) {
    program.fusions_declined.push_back("Keras LSTM " + d.function + ": " + d.reason);
  }
  BodyVariants variants;
  std::set<std::string> used_shape_keys;
  for (auto& spec : *specs) {
    auto entry = import_entry(graph, std::move(spec), options, variants, used_shape_keys);
    if (!entry) return unexpected(entry.error());
    program.entries.push_back(std::move(*entry));
  }
  for (const auto& [key, shape] : options.input_shapes) {
    if (used_shape_keys.count(key)) continue;
    std::string available;
    for (const auto& e : program.entries) {
      for (const auto& t : e.signatures[0].inputs) available += (available.empty() ? "" : ", ") + t.key;
    }
    return fail(ErrorCode::Usage, "--input-shape names '" + key + "', which is not an input; inputs: " +
                                      (available.empty() ? "none" : available));
  }

  // Bodies are imported once each, breadth-first; a body naming itself (or an ancestor) is
  // already in the map or the queue, so this ends.
  std::deque<std::pair<std::string, const ir::Node*>> queue;
  for (const auto& e : program.entries) collect_bodies(e, queue);
  std::set<std::string> queued;
  while (!queue.empty()) {
    auto [name, caller] = queue.front();
    queue.pop_front();
    if (!queued.insert(name).second) continue;
    auto body = import_body(graph, name, *caller, variants);
    if (!body) return unexpected(body.error());
    auto [it, inserted] = program.bodies.emplace(name, std::move(*body));
    collect_bodies(it->second, queue);
  }
  import::lower_tensor_lists(program);
  return program;
}

}  // namespace litelint::converter
