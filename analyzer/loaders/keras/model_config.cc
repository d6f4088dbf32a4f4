#include "analyzer/loaders/keras/model_config.h"

#include <cctype>
#include <map>

namespace litelint::analyzer::keras {
namespace {

using json = nlohmann::json;

tl::unexpected<Error> bad(std::string what) { return fail(ErrorCode::BadInput, std::move(what)); }

// "keras.layers>Dense" (Keras 3 registered names) and "Custom>Foo" keep the part after '>'.
std::string plain_class(const json& layer) {
  auto it = layer.find("class_name");
  if (it == layer.end() || !it->is_string()) return {};
  std::string c = it->get<std::string>();
  if (auto p = c.rfind('>'); p != std::string::npos) c = c.substr(p + 1);
  return c;
}

std::optional<TensorRef> ref_from_triple(const json& t) {
  if (!t.is_array() || t.size() < 3 || !t[0].is_string() || !t[1].is_number_integer() ||
      !t[2].is_number_integer()) {
    return std::nullopt;
  }
  return TensorRef{t[0].get<std::string>(), t[1].get<int>(), t[2].get<int>()};
}

// A Keras 3 `__keras_tensor__` object's history.
std::optional<TensorRef> ref_from_keras_tensor(const json& obj) {
  if (!obj.is_object() || obj.value("class_name", "") != "__keras_tensor__") return std::nullopt;
  auto cfg = obj.find("config");
  if (cfg == obj.end() || !cfg->is_object()) return std::nullopt;
  auto h = cfg->find("keras_history");
  if (h == cfg->end()) return std::nullopt;
  return ref_from_triple(*h);
}

void collect_tensors(const json& v, std::vector<TensorRef>& out) {
  if (auto r = ref_from_keras_tensor(v)) {
    out.push_back(*r);
  } else if (v.is_array()) {
    for (const json& e : v) collect_tensors(e, out);
  } else if (v.is_object()) {
    for (const auto& [k, e] : v.items()) collect_tensors(e, out);
  }
}

// `inbound_nodes` in either spelling: Keras 2 / TF.js lists of [layer, node, tensor, kwargs],
// Keras 3 {"args": [...], "kwargs": {...}} with `__keras_tensor__` markers.
Expected<std::vector<LayerCall>> parse_calls(const json& inbound, const std::string& layer) {
  std::vector<LayerCall> calls;
  if (inbound.is_null()) return calls;
  if (!inbound.is_array()) return bad("layer '" + layer + "': inbound_nodes is not a list");
  for (const json& node : inbound) {
    LayerCall call;
    if (node.is_object()) {
      collect_tensors(node.value("args", json::array()), call.inputs);
      if (auto kw = node.find("kwargs"); kw != node.end() && kw->is_object()) {
        for (const auto& [k, v] : kw->items()) {
          std::vector<TensorRef> refs;
          collect_tensors(v, refs);
          if (refs.empty()) {
            call.kwargs[k] = v;
          } else {
            for (auto& r : refs) call.kwarg_inputs.emplace_back(k, std::move(r));
          }
        }
      }
    } else if (node.is_array()) {
      for (const json& t : node) {
        auto r = ref_from_triple(t);
        if (!r) return bad("layer '" + layer + "': malformed inbound node");
        call.inputs.push_back(*r);
        if (t.size() >= 4 && t[3].is_object()) {
          for (const auto& [k, v] : t[3].items()) call.kwargs[k] = v;
        }
      }
    } else {
      return bad("layer '" + layer + "': malformed inbound node");
    }
    calls.push_back(std::move(call));
  }
  return calls;
}

// input_layers / output_layers: a list of triples, or one bare triple (Keras 3, one tensor).
Expected<std::vector<TensorRef>> parse_endpoints(const json& v, const char* what) {
  std::vector<TensorRef> out;
  if (v.is_null()) return out;
  if (auto one = ref_from_triple(v)) return std::vector<TensorRef>{*one};
  if (!v.is_array()) return bad(std::string(what) + " is not a list");
  for (const json& t : v) {
    auto r = ref_from_triple(t);
    if (!r) return bad(std::string(what) + " holds a malformed entry");
    out.push_back(*r);
  }
  return out;
}

std::string layer_name(const json& layer) {
  if (auto n = layer.find("name"); n != layer.end() && n->is_string()) return n->get<std::string>();
  if (auto c = layer.find("config"); c != layer.end() && c->is_object()) {
    if (auto n = c->find("name"); n != c->end() && n->is_string()) return n->get<std::string>();
  }
  return {};
}

}  // namespace

bool is_model_class(std::string_view c) {
  return c == "Sequential" || c == "Functional" || c == "Model";
}

std::string to_snake_case(std::string_view in) {
  // Keras: re.sub("(.)([A-Z][a-z]+)", r"\1_\2"), then re.sub("([a-z])([A-Z])", r"\1_\2"), lower.
  std::string s;
  for (char c : in) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '_') s += c;
  }
  auto upper = [](char c) { return std::isupper(static_cast<unsigned char>(c)) != 0; };
  auto lower = [](char c) { return std::islower(static_cast<unsigned char>(c)) != 0; };
  std::string a;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i > 0 && upper(s[i]) && i + 1 < s.size() && lower(s[i + 1])) a += '_';
    a += s[i];
  }
  std::string b;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (i > 0 && lower(a[i - 1]) && upper(a[i])) b += '_';
    b += a[i];
  }
  for (char& c : b) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return b;
}

const Layer* ModelConfig::find(std::string_view layer_name) const {
  for (const Layer& l : layers) {
    if (l.name == layer_name) return &l;
  }
  return nullptr;
}

Expected<ModelConfig> parse_model_config(const json& root) {
  if (!root.is_object()) return bad("model config is not a JSON object");
  ModelConfig model;
  model.class_name = plain_class(root);
  const json* cfg = root.contains("config") ? &root["config"] : nullptr;
  if (!is_model_class(model.class_name)) {
    if (cfg == nullptr || !cfg->is_object() || !cfg->contains("layers")) {
      return fail(ErrorCode::Unsupported,
                  "the model is a subclassed Keras model (class '" + model.class_name +
                      "'): its architecture is Python code that the file does not hold; "
                      "rebuild it as a Functional or Sequential model, or export a SavedModel "
                      "with model.export()");
    }
  }
  if (cfg == nullptr) return bad("model config has no \"config\"");
  const json* layers = nullptr;
  if (cfg->is_array()) {
    layers = cfg;  // Keras 2.0-2.2 Sequential: config is the layer list itself
  } else if (cfg->is_object()) {
    model.name = cfg->value("name", "");
    if (auto it = cfg->find("layers"); it != cfg->end()) layers = &*it;
  }
  if (layers == nullptr || !layers->is_array()) return bad("model config has no layer list");
  model.sequential = model.class_name == "Sequential" ||
                     (cfg->is_object() && !cfg->contains("input_layers") && !cfg->contains("output_layers"));

  std::map<std::string, int> key_counts;
  for (const json& lj : *layers) {
    if (!lj.is_object()) return bad("a layer entry is not an object");
    Layer layer;
    layer.class_name = plain_class(lj);
    layer.name = layer_name(lj);
    if (layer.class_name.empty()) return bad("a layer has no class_name");
    if (layer.name.empty()) return bad("a '" + layer.class_name + "' layer has no name");
    if (auto c = lj.find("config"); c != lj.end() && c->is_object()) layer.config = *c;
    if (auto m = lj.find("module"); m != lj.end() && m->is_string()) layer.module = m->get<std::string>();
    if (auto r = lj.find("registered_name"); r != lj.end() && r->is_string()) {
      layer.registered_name = r->get<std::string>();
    } else if (const std::string c = lj.value("class_name", ""); c.find('>') != std::string::npos) {
      layer.registered_name = c;
    }
    if (auto in = lj.find("inbound_nodes"); in != lj.end()) {
      auto calls = parse_calls(*in, layer.name);
      if (!calls) return unexpected(calls.error());
      layer.calls = std::move(*calls);
    }
    if (is_model_class(layer.class_name) ||
        (layer.config.is_object() && layer.config.contains("layers") && layer.config.contains("name") &&
         layer.config["layers"].is_array())) {
      json inner = {{"class_name", layer.class_name}, {"config", layer.config}};
      auto sub = parse_model_config(inner);
      if (!sub) {
        return unexpected(Error(sub.error()).with_context("nested model '" + layer.name + "'"));
      }
      layer.model = std::make_shared<const ModelConfig>(std::move(*sub));
    }
    const std::string base = to_snake_case(layer.class_name);
    const int n = key_counts[base]++;
    layer.v3_key = n == 0 ? base : base + "_" + std::to_string(n);
    layer.v3_base = base;
    layer.v3_ordinal = n;
    model.layers.push_back(std::move(layer));
  }
  if (!model.sequential && cfg->is_object()) {
    auto ins = parse_endpoints(cfg->value("input_layers", json()), "input_layers");
    if (!ins) return unexpected(ins.error());
    auto outs = parse_endpoints(cfg->value("output_layers", json()), "output_layers");
    if (!outs) return unexpected(outs.error());
    model.inputs = std::move(*ins);
    model.outputs = std::move(*outs);
    for (const TensorRef& r : model.inputs) {
      if (model.find(r.layer) == nullptr) return bad("input_layers names layer '" + r.layer + "', which the config does not define");
    }
    for (const TensorRef& r : model.outputs) {
      if (model.find(r.layer) == nullptr) return bad("output_layers names layer '" + r.layer + "', which the config does not define");
    }
  }
  return model;
}

}  // namespace litelint::analyzer::keras
