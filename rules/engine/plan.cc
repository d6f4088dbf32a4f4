#include "rules/engine/plan.h"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

namespace litelint::rules {
namespace {

// Published sizes: the full Flex delegate adds about 20 MB to an arm64 app; a selective build
// with a handful of kernels adds a few MB (the TensorFlow runtime core is always in it).
constexpr double kFullFlexMb = 20.0;
constexpr double kSelectiveBaseMb = 2.0;
constexpr double kSelectivePerOpMb = 0.1;

bool has_flag(const Finding& f, ConverterFlag flag) {
  return std::find(f.flags.begin(), f.flags.end(), flag) != f.flags.end();
}

// A Python string literal for a path or name (double quotes, backslashes escaped).
std::string py(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '\\' || c == '"') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string py_list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + py(items[i]);
  return out + "]";
}

// The settings after `converter = ...`, indented by `indent`.
std::string settings(const Plan& p, std::string_view indent) {
  std::string s;
  const auto line = [&](std::string_view text) { s += std::string(indent) + std::string(text) + "\n"; };
  if (p.select_tf_ops) {
    line("converter.target_spec.supported_ops = [");
    line("    tf.lite.OpsSet.TFLITE_BUILTINS,  # TFLite builtin ops");
    line("    tf.lite.OpsSet.SELECT_TF_OPS,    # TensorFlow ops through the Flex delegate");
    line("]");
  }
  if (p.keep_tensor_list_ops) line("converter._experimental_lower_tensor_list_ops = False");
  if (p.enable_resource_variables) line("converter.experimental_enable_resource_variables = True");
  if (p.allow_custom_ops) line("converter.allow_custom_ops = True");
  line("tflite_model = converter.convert()");
  return s;
}

// A tensor name as a TF1 graph spells it: output 0 of node "x" is "x:0".
std::string tensor_name(const std::string& array) {
  return array.find(':') == std::string::npos ? array + ":0" : array;
}

std::string snippet(const Plan& p, const ConverterSource& src) {
  using Kind = ConverterSource::Kind;
  switch (src.kind) {
    case Kind::SavedModel: {
      // No path yet (lint() without a model file): the variable the TensorFlow docs use.
      std::string args = src.path.empty() ? "saved_model_dir" : py(src.path);
      if (!src.signature.empty()) args += ", signature_keys=" + py_list({src.signature});
      if (!src.tags.empty()) args += ", tags=set(" + py_list(src.tags) + ")";
      return "converter = tf.lite.TFLiteConverter.from_saved_model(" + args + ")\n" + settings(p, "");
    }
    case Kind::FrozenGraph:
      // from_frozen_graph reads binary and text GraphDefs; only the v1 API has it.
      return "converter = tf.compat.v1.lite.TFLiteConverter.from_frozen_graph(\n    " + py(src.path) +
             ",\n    input_arrays=" + py_list(src.input_arrays) + ",\n    output_arrays=" +
             py_list(src.output_arrays) + ")\n" + settings(p, "");
    case Kind::MetaGraph: {
      // A MetaGraphDef is a graph plus a saver: import it into a session, restore the
      // checkpoint beside it when it has variables, and convert the session (which freezes).
      std::string prefix = src.path;
      if (prefix.ends_with(".meta")) prefix.resize(prefix.size() - 5);
      std::vector<std::string> inputs, outputs;
      for (const auto& a : src.input_arrays) inputs.push_back(tensor_name(a));
      for (const auto& a : src.output_arrays) outputs.push_back(tensor_name(a));
      std::string s = "graph = tf.Graph()\n"
                      "with graph.as_default(), tf.compat.v1.Session(graph=graph) as sess:\n";
      s += "    saver = tf.compat.v1.train.import_meta_graph(" + py(src.path) + ", clear_devices=True";
      if (!src.tags.empty()) s += ", tags=" + py_list(src.tags);
      s += ")\n";
      s += "    if saver is not None:  # it has variables: their values are in the checkpoint\n"
           "        saver.restore(sess, " + py(prefix) + ")\n";
      s += "    converter = tf.compat.v1.lite.TFLiteConverter.from_session(\n"
           "        sess,\n"
           "        [graph.get_tensor_by_name(t) for t in " + py_list(inputs) + "],\n"
           "        [graph.get_tensor_by_name(t) for t in " + py_list(outputs) + "])\n";
      return s + settings(p, "    ");
    }
    case Kind::KerasFile:
    case Kind::KerasJson: {
      // tf.keras is Keras 3 since TensorFlow 2.16, which cannot load every file Keras 2 wrote
      // (LSTM's time_major, DepthwiseConv2D's groups, HDF5 files named .keras); tf_keras is
      // Keras 2 and loads them. compile=False: the optimizer plays no part in conversion.
      const bool keras2 = src.keras_version.starts_with("1.") || src.keras_version.starts_with("2.");
      std::string s = keras2 ? "import tf_keras  # the file is from Keras 2 (tf.keras); pip install tf_keras\n" : "";
      const std::string keras = keras2 ? "tf_keras" : "tf.keras";
      if (src.kind == Kind::KerasFile) {
        s += "model = " + keras + ".models.load_model(" + py(src.path) + ", compile=False)\n";
      } else {
        // An architecture JSON holds no weights: the loader paired it with the file beside it.
        s += "with open(" + py(src.path) + ") as f:\n"
             "    model = " + keras + ".models.model_from_json(f.read())\n"
             "model.load_weights(" + py(src.weights_path) + ")\n";
      }
      return s + "converter = tf.lite.TFLiteConverter.from_keras_model(model)\n" + settings(p, "");
    }
    case Kind::TfjsLayersModel: {
      // Unlike a graph model, a layers model goes back to Keras with tensorflowjs_converter.
      std::string flags;
      if (p.select_tf_ops) flags += " --target select-tf-ops";
      if (p.allow_custom_ops) flags += " --allow-custom-ops";
      std::string s =
          "# TensorFlow's converter cannot read a TF.js layers model (model.json + weight shards).\n"
          "# Either turn it back into a Keras file (pip install tensorflowjs), load that with\n"
          "# tf.keras.models.load_model and convert it with TFLiteConverter.from_keras_model:\n"
          "#   tensorflowjs_converter --input_format=tfjs_layers_model --output_format=keras \\\n"
          "#       " + src.path + " model.h5\n"
          "# or let litelint write the .tflite from these files (shell):\n";
      s += "litelint convert " + src.path + " -o model.tflite" + flags + "\n";
      return s;
    }
    case Kind::TfjsGraphModel: {
      // Neither TFLiteConverter nor tensorflowjs_converter reads a graph model back into
      // TensorFlow, so the only route from these files is litelint's own converter.
      std::string flags;
      if (p.select_tf_ops) flags += " --target select-tf-ops";
      if (p.allow_custom_ops) flags += " --allow-custom-ops";
      std::string s =
          "# TensorFlow's converter cannot read a TF.js graph model (model.json + weight shards),\n"
          "# and tensorflowjs_converter cannot turn one back into a SavedModel. Either convert\n"
          "# the SavedModel it was exported from with tf.lite.TFLiteConverter.from_saved_model,\n"
          "# or let litelint write the .tflite from these files (shell):\n";
      s += "litelint convert " + src.path + " -o model.tflite" + flags + "\n";
      return s;
    }
  }
  return {};
}

std::string registration(const std::vector<std::string>& custom_ops) {
  if (custom_ops.empty()) return {};
  std::string s =
      "// Implement a TfLiteRegistration (init/prepare/invoke) per op, then register it:\n"
      "tflite::ops::builtin::BuiltinOpResolver resolver;\n";
  for (const auto& op : custom_ops) {
    s += fmt::format("resolver.AddCustom(\"{}\", Register_{}());\n", op, op);
  }
  return s;
}

}  // namespace

Plan make_plan(const std::vector<Finding>& findings, const Profile& profile) {
  Plan p;
  // Under builtins + allow_custom_ops (without SELECT_TF_OPS) every left-over TF op becomes a
  // custom op; otherwise the plan is the Select TF ops fallback with custom ops beside it.
  const bool as_custom = profile.mode() == Mode::Custom;
  std::set<std::string> flex;
  std::map<std::string, std::string> custom;
  for (const auto& f : findings) {
    const std::string& op = f.fallback_op.empty() ? f.op : f.fallback_op;
    switch (f.impact) {
      case Impact::Flex:
        if (as_custom) {
          custom.emplace(op, "on the Select TF ops allowlist, but SELECT_TF_OPS is off");
        } else {
          flex.insert(op);
        }
        break;
      case Impact::FlexOrFail:
        if (!as_custom) flex.insert(op);
        break;
      case Impact::Custom:
        custom.emplace(op, f.cause);
        break;
      case Impact::None:
      case Impact::Fails:
        break;
    }
    if (has_flag(f, ConverterFlag::KeepTensorListOps) && !as_custom) p.keep_tensor_list_ops = true;
    if (has_flag(f, ConverterFlag::EnableResourceVariables)) p.enable_resource_variables = true;
  }
  p.flex_ops.assign(flex.begin(), flex.end());
  for (const auto& [name, reason] : custom) {
    p.custom_ops.push_back(name);
    p.custom_op_details.push_back({name, reason});
  }
  p.select_tf_ops = !p.flex_ops.empty();
  p.allow_custom_ops = !p.custom_ops.empty();
  if (p.select_tf_ops || p.allow_custom_ops || p.keep_tensor_list_ops ||
      p.enable_resource_variables) {
    p.converter_snippet = snippet(p, ConverterSource{});
  }
  p.selective_build_ops = p.flex_ops;
  if (p.select_tf_ops) {
    p.binary_size_mb = kFullFlexMb;
    p.binary_size_note = fmt::format(
        "the full Flex delegate adds about {:.0f} MB; a selective build with only these {} "
        "op(s) adds about {:.1f} MB",
        kFullFlexMb, p.flex_ops.size(),
        kSelectiveBaseMb + kSelectivePerOpMb * static_cast<double>(p.flex_ops.size()));
    p.runs_in_play_services = false;
  }
  p.custom_op_registration = registration(p.custom_ops);
  return p;
}

ConverterSource converter_source(const ir::Model& model, const std::vector<std::string>& inputs,
                                 const std::vector<std::string>& outputs,
                                 const std::vector<std::string>& tags, const std::string& signature) {
  using Kind = ConverterSource::Kind;
  ConverterSource src;
  src.path = model.path.string();
  switch (model.format) {
    case ir::Format::GraphDefBinary:
    case ir::Format::GraphDefText: src.kind = Kind::FrozenGraph; break;
    case ir::Format::MetaGraphDefBinary:
    case ir::Format::MetaGraphDefText: src.kind = Kind::MetaGraph; break;
    case ir::Format::GraphModel: src.kind = Kind::TfjsGraphModel; break;
    case ir::Format::LayersModel: src.kind = Kind::TfjsLayersModel; break;
    case ir::Format::KerasH5:
    case ir::Format::KerasV3: src.kind = Kind::KerasFile; break;
    case ir::Format::KerasJson: src.kind = Kind::KerasJson; break;
    default: src.kind = Kind::SavedModel; break;
  }
  if (src.kind == Kind::KerasFile || src.kind == Kind::KerasJson ||
      src.kind == Kind::TfjsLayersModel) {
    for (const auto& [key, value] : model.metadata) {
      if (key == "weights_file") src.weights_path = (model.path.parent_path() / value).string();
      if (key == "keras_version") src.keras_version = value;
    }
    return src;
  }
  if (src.kind == Kind::SavedModel) {
    src.tags = tags;
    src.signature = signature;
    return src;
  }
  if (src.kind == Kind::MetaGraph) src.tags = tags;
  if (src.kind == Kind::TfjsGraphModel || model.graphs.empty()) return src;
  // The arrays as converter/import/program.cc's graphdef_spec picks them (and TensorFlow's
  // converter CLI suggests them): Placeholders in, and the nodes nothing consumes out, minus
  // those that only have effects (initializers, savers, assertions).
  const ir::Graph& graph = model.graph();
  src.input_arrays = inputs;
  src.output_arrays = outputs;
  if (src.input_arrays.empty()) {
    for (const auto& n : graph.nodes.nodes()) {
      if (n.op == "Placeholder" || n.op == "PlaceholderV2") src.input_arrays.push_back(n.name);
    }
  }
  if (src.output_arrays.empty()) {
    std::set<std::string, std::less<>> consumed;
    for (const auto& n : graph.nodes.nodes()) {
      for (const auto& in : n.inputs) consumed.insert(in.node);
    }
    static const std::set<std::string, std::less<>> kEffectOnly = {
        "Assert", "Assign", "AssignAdd", "AssignSub", "AssignVariableOp", "MergeV2Checkpoints",
        "NoOp", "PrintV2", "Save", "SaveSlices", "SaveV2"};
    for (const auto& n : graph.nodes.nodes()) {
      if (consumed.contains(n.name) || kEffectOnly.contains(n.op) || ir::is_placeholder(n.op)) continue;
      src.output_arrays.push_back(n.name);
    }
  }
  return src;
}

void set_converter_source(Plan& plan, const ConverterSource& source) {
  const bool needs_settings = plan.select_tf_ops || plan.allow_custom_ops ||
                              plan.keep_tensor_list_ops || plan.enable_resource_variables;
  const bool tfjs = source.kind == ConverterSource::Kind::TfjsGraphModel ||
                    source.kind == ConverterSource::Kind::TfjsLayersModel;
  if (!needs_settings && !tfjs) {
    plan.converter_snippet.clear();
    return;
  }
  plan.converter_snippet = snippet(plan, source);
  plan.snippet_is_shell = tfjs;
}

}  // namespace litelint::rules
