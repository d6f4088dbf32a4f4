#include "analyzer/loaders/keras/build_graph.h"

#include <map>
#include <optional>

#include "analyzer/loaders/keras/custom_code.h"
#include "analyzer/loaders/keras/expand_util.h"
#include "analyzer/loaders/keras/graph_builder.h"
#include "analyzer/loaders/keras/layer_context.h"

namespace litelint::analyzer::keras {
namespace {

using json = nlohmann::json;

ir::DType parse_dtype(const json& v) {
  std::string name = "float32";
  if (v.is_string()) {
    name = v.get<std::string>();
  } else if (v.is_object()) {
    // Keras 3 DTypePolicy {"config": {"name": "float32"}}.
    if (auto c = v.find("config"); c != v.end() && c->is_object()) name = c->value("name", "float32");
  }
  static const std::pair<const char*, ir::DType> kNames[] = {
      {"float32", ir::DType::Float}, {"float16", ir::DType::Half},   {"float64", ir::DType::Double},
      {"int32", ir::DType::Int32},   {"int64", ir::DType::Int64},    {"uint8", ir::DType::UInt8},
      {"int8", ir::DType::Int8},     {"bool", ir::DType::Bool},      {"string", ir::DType::String},
      {"bfloat16", ir::DType::BFloat16}, {"mixed_float16", ir::DType::Float}};
  for (const auto& [n, t] : kNames) {
    if (name == n) return t;
  }
  return ir::DType::Float;
}

// batch_shape (Keras 3), batch_input_shape (Keras 2, TF.js); else input_shape without batch.
std::optional<ir::Shape> input_shape(const json& cfg) {
  for (const char* key : {"batch_shape", "batch_input_shape"}) {
    auto it = cfg.find(key);
    if (it != cfg.end() && it->is_array()) {
      std::vector<std::int64_t> d;
      for (const json& e : *it) d.push_back(e.is_number_integer() ? e.get<std::int64_t>() : -1);
      return ir::Shape(d);
    }
  }
  if (auto it = cfg.find("input_shape"); it != cfg.end() && it->is_array()) {
    std::vector<std::int64_t> d{cfg.value("batch_size", json()).is_number_integer() ? cfg["batch_size"].get<std::int64_t>() : -1};
    for (const json& e : *it) d.push_back(e.is_number_integer() ? e.get<std::int64_t>() : -1);
    return ir::Shape(d);
  }
  return std::nullopt;
}

using Produced = std::map<std::pair<std::string, int>, std::vector<Value>>;

// tf.keras 2.2-2.4 numbered a nested model's calls from 1 (its own construction was node 0)
// without renumbering them in the outer config: a missing node index falls back to the one
// before it.
Produced::const_iterator find_output(const ModelConfig& m, const Produced& produced, const TensorRef& r) {
  auto it = produced.find({r.layer, r.node_index});
  if (it != produced.end() || r.node_index == 0) return it;
  const Layer* layer = m.find(r.layer);
  if (layer != nullptr && static_cast<std::size_t>(r.node_index) >= layer->calls.size()) {
    it = produced.find({r.layer, r.node_index - 1});
  }
  return it;
}

class Builder {
 public:
  Builder(ir::Graph& graph, const WeightStore* weights) : b_(graph), weights_(weights) {}

  Expected<std::vector<Value>> run(const ModelConfig& m, const std::vector<const Layer*>& chain,
                                   const std::string& scope, const std::vector<Value>* given) {
    return m.sequential ? run_sequential(m, chain, scope, given) : run_functional(m, chain, scope, given);
  }

  std::vector<std::string> input_names;

 private:
  Value make_input(const Layer& layer, const json& cfg, const std::string& name) {
    const ir::Shape shape = input_shape(cfg).value_or(ir::Shape());
    b_.set_layer("", layer.name, layer.class_name);
    Value v = b_.placeholder(name, parse_dtype(cfg.value("dtype", json("float32"))), shape);
    input_names.push_back(name);
    return v;
  }

  Expected<std::vector<Value>> run_sequential(const ModelConfig& m, const std::vector<const Layer*>& chain,
                                              const std::string& scope, const std::vector<Value>* given) {
    if (m.layers.empty()) return fail(ErrorCode::BadInput, "Sequential model '" + m.name + "' has no layers");
    std::vector<Value> x;
    std::size_t start = 0;
    if (given != nullptr) {
      x = *given;
      if (m.layers[0].class_name == "InputLayer") start = 1;
    } else if (m.layers[0].class_name == "InputLayer") {
      x = {make_input(m.layers[0], m.layers[0].config, m.layers[0].name)};
      start = 1;
    } else {
      const Layer& first = m.layers[0];
      // Keras 2 puts the input on the first layer and names the placeholder after it.
      const json* cfg = &first.config;
      if (first.model && !first.model->layers.empty()) cfg = &first.model->layers[0].config;
      if (!input_shape(*cfg)) {
        return fail(ErrorCode::BadInput,
                    "Sequential model '" + m.name + "' was never built: its config gives no input shape");
      }
      x = {make_input(first, *cfg, first.name + "_input")};
    }
    for (std::size_t i = start; i < m.layers.size(); ++i) {
      auto y = call_layer(m.layers[i], chain, scope, x, nullptr);
      if (!y) return y;
      x = std::move(*y);
    }
    return x;
  }

  Expected<std::vector<Value>> run_functional(const ModelConfig& m, const std::vector<const Layer*>& chain,
                                              const std::string& scope, const std::vector<Value>* given) {
    Produced produced;
    for (std::size_t i = 0; i < m.inputs.size(); ++i) {
      const Layer* layer = m.find(m.inputs[i].layer);
      if (given != nullptr) {
        if (i >= given->size()) return fail(ErrorCode::BadInput, "model '" + m.name + "' gets fewer inputs than it declares");
        produced[{layer->name, 0}] = {(*given)[i]};
      } else {
        produced[{layer->name, 0}] = {make_input(*layer, layer->config, layer->name)};
      }
    }
    // Layers are listed in topological order by Keras; a pass that makes no progress means a
    // call names a tensor no layer produces.
    std::vector<std::pair<const Layer*, std::size_t>> pending;
    for (const Layer& l : m.layers) {
      if (l.class_name == "InputLayer") continue;
      for (std::size_t k = 0; k < l.calls.size(); ++k) pending.emplace_back(&l, k);
    }
    while (!pending.empty()) {
      std::vector<std::pair<const Layer*, std::size_t>> later;
      for (const auto& [layer, k] : pending) {
        const LayerCall& call = layer->calls[k];
        std::vector<Value> args;
        bool ready = true;
        for (const TensorRef& r : call.inputs) {
          auto it = find_output(m, produced, r);
          if (it == produced.end()) {
            ready = false;
            break;
          }
          if (r.tensor_index < 0 || static_cast<std::size_t>(r.tensor_index) >= it->second.size()) {
            return fail(ErrorCode::BadInput, "layer '" + layer->name + "' takes output " + std::to_string(r.tensor_index) +
                                                 " of layer '" + r.layer + "', which has " +
                                                 std::to_string(it->second.size()));
          }
          args.push_back(it->second[static_cast<std::size_t>(r.tensor_index)]);
        }
        if (!ready) {
          later.emplace_back(layer, k);
          continue;
        }
        auto y = call_layer(*layer, chain, scope, args, &call);
        if (!y) return unexpected(y.error());
        produced[{layer->name, static_cast<int>(k)}] = std::move(*y);
      }
      if (later.size() == pending.size()) {
        const Layer* stuck = later.front().first;
        const LayerCall& call = stuck->calls[later.front().second];
        std::string missing;
        for (const TensorRef& r : call.inputs) {
          if (find_output(m, produced, r) == produced.end()) missing = r.layer;
        }
        return fail(ErrorCode::BadInput, "layer '" + stuck->name + "' takes the output of '" + missing +
                                             "', which no layer of model '" + m.name + "' produces");
      }
      pending = std::move(later);
    }
    std::vector<Value> outs;
    for (const TensorRef& r : m.outputs) {
      auto it = find_output(m, produced, r);
      if (it == produced.end() || r.tensor_index < 0 || static_cast<std::size_t>(r.tensor_index) >= it->second.size()) {
        return fail(ErrorCode::BadInput, "output_layers names an output of '" + r.layer + "' that is never computed");
      }
      outs.push_back(it->second[static_cast<std::size_t>(r.tensor_index)]);
    }
    return outs;
  }

  // A node standing for a layer litelint does not turn into ops. When the reason is code the
  // file does not hold, the node's op is that class or function and `_keras_missing_code`
  // describes it (rule keras-code-not-in-file); otherwise its op is the layer's class.
  // `after` names missing code upstream of this layer (see after_missing_), if any.
  std::vector<Value> opaque(const Layer& layer, const std::string& scope, const std::vector<Value>& args,
                            const std::string& why, const MissingCode* missing = nullptr,
                            const std::string& after = "") {
    b_.set_layer(scope, layer.name, layer.class_name);
    ir::AttrMap attrs;
    attrs["_keras_unmodelled"] = attr_string(why);
    if (missing != nullptr) attrs["_keras_missing_code"] = attr_string(missing->description);
    if (!after.empty()) attrs["_keras_after_missing_code"] = attr_string(after);
    auto outs = b_.multi_op(missing != nullptr ? missing->name : layer.class_name, args, std::move(attrs),
                            {ir::TensorType{ir::DType::Float, ir::Shape()}}, layer.class_name);
    if (missing != nullptr) {
      for (const Value& v : outs) after_missing_.emplace(v.ref, "the " + missing->description + " of layer '" + layer.name + "'");
    }
    return outs;
  }

  Expected<std::vector<Value>> call_layer(const Layer& layer, std::vector<const Layer*> chain,
                                          const std::string& outer_scope, const std::vector<Value>& args,
                                          const LayerCall* call) {
    std::string after;
    for (const Value& a : args) {
      if (auto it = after_missing_.find(a.ref); it != after_missing_.end()) {
        after = it->second;
        break;
      }
    }
    auto y = call_layer_once(layer, std::move(chain), outer_scope, args, call, after);
    if (y && !after.empty()) {
      for (const Value& v : *y) after_missing_.emplace(v.ref, after);
    }
    return y;
  }

  Expected<std::vector<Value>> call_layer_once(const Layer& layer, std::vector<const Layer*> chain,
                                               const std::string& outer_scope, const std::vector<Value>& args,
                                               const LayerCall* call, const std::string& after) {
    chain.push_back(&layer);
    const std::string scope = outer_scope.empty() ? layer.name : outer_scope + "/" + layer.name;
    if (layer.model) return run(*layer.model, chain, scope, &args);
    if (is_inference_identity(layer.class_name)) return args;
    // Before expanding: a Dense with a custom activation must name the function, not fail
    // half-way through its ops.
    if (const auto missing = find_missing_code(layer)) {
      return opaque(layer, scope, args, "uses a " + missing->description + ": its code is not in the file", &*missing);
    }
    const Expander expand = find_expander(layer.class_name);
    if (expand == nullptr) {
      return opaque(layer, scope, args, "a Keras layer class that litelint does not turn into TensorFlow ops",
                    nullptr, after);
    }
    b_.set_layer(scope, layer.name, layer.class_name);
    LayerContext ctx{b_, layer, chain, weights_, call, &weight_cache_, "", ""};
    auto y = expand(ctx, args);
    if (!y && y.error().code() == ErrorCode::Unsupported) {
      return opaque(layer, scope, args, y.error().reason(), nullptr, after);
    }
    return y;
  }

  GraphBuilder b_;
  const WeightStore* weights_;
  std::map<std::string, std::vector<Value>> weight_cache_;
  // Tensors computed from a layer whose code the file lacks, and that code: their shapes are
  // unknown, so a later layer that cannot be modelled is a consequence, not a finding of its own.
  std::map<std::string, std::string> after_missing_;
};

}  // namespace

Expected<ir::Graph> build_graph(const ModelConfig& model, const WeightStore* weights) {
  ir::Graph graph;
  Builder builder(graph, weights);
  auto outs = builder.run(model, {}, model.name, nullptr);
  if (!outs) return unexpected(outs.error());
  ir::Signature sig;
  sig.key = "serving_default";
  sig.method_name = "tensorflow/serving/predict";
  for (const std::string& name : builder.input_names) {
    const ir::Node* n = graph.nodes.find(name);
    sig.inputs.push_back({name, name + ":0", n != nullptr && !n->outputs.empty() ? n->outputs[0] : ir::TensorType{}});
  }
  for (std::size_t i = 0; i < outs->size(); ++i) {
    const Value& v = (*outs)[i];
    sig.outputs.push_back({"output_" + std::to_string(i), v.ref.find(':') == std::string::npos ? v.ref + ":0" : v.ref,
                           ir::TensorType{v.dtype, v.shape}});
  }
  graph.signatures.push_back(std::move(sig));
  return graph;
}

ir::Graph opaque_model_graph(const std::string& class_name) {
  ir::Graph graph;
  GraphBuilder b(graph);
  const std::string name = to_snake_case(class_name);
  b.set_layer("", name, class_name);
  ir::AttrMap attrs;
  attrs["_keras_unmodelled"] = attr_string("a subclassed model: its call() is Python code that the file does not hold");
  attrs["_keras_missing_code"] = attr_string("subclassed model class '" + class_name + "' (its call())");
  b.multi_op(class_name, {}, std::move(attrs), {ir::TensorType{ir::DType::Float, ir::Shape()}}, name);
  return graph;
}

}  // namespace litelint::analyzer::keras
