#pragma once

#include <string>
#include <vector>

#include "analyzer/ir/model.h"
#include "rules/engine/finding.h"
#include "rules/engine/profiles.h"

namespace litelint::rules {

/// A custom op the app must provide, and why it is one.
struct CustomOpPlan {
  std::string name;    ///< the custom op's name in the .tflite (the TF op type)
  std::string reason;  ///< why it is not a builtin or a Select TF op
};

/// How to convert the model anyway: the fallback the findings call for.
struct Plan {
  /// TF op types emitted as Select TF (Flex) ops, sorted. Under the builtins target this is
  /// what SELECT_TF_OPS would need; under builtins + allow_custom_ops it is empty because
  /// those ops become custom ops (listed in `custom_ops`).
  std::vector<std::string> flex_ops;
  /// Custom op names, sorted: ops neither builtin nor allowlisted, plus the Flex-capable ops
  /// when the mode is builtins + allow_custom_ops (the converter then names them by TF op).
  std::vector<std::string> custom_ops;
  std::vector<CustomOpPlan> custom_op_details;
  bool select_tf_ops = false;        ///< SELECT_TF_OPS is needed (flex_ops not empty)
  bool allow_custom_ops = false;     ///< allow_custom_ops is needed
  bool keep_tensor_list_ops = false;       ///< _experimental_lower_tensor_list_ops = False
  bool enable_resource_variables = false;  ///< experimental_enable_resource_variables = True
  /// The converter settings as ready-to-paste Python (empty when defaults work); for a TF.js
  /// model, which TensorFlow cannot read, shell commands instead (`snippet_is_shell`).
  std::string converter_snippet;
  bool snippet_is_shell = false;
  /// Ops for a selective build of the Flex delegate (tensorflow/lite/delegates/flex
  /// `tflite_flex_shared_library` with only these kernels), sorted.
  std::vector<std::string> selective_build_ops;
  /// Rough binary size the fallback adds to an app, in MB (0 when none).
  double binary_size_mb = 0;
  std::string binary_size_note;
  /// LiteRT in Google Play services has no Flex delegate: false when flex_ops is not empty.
  bool runs_in_play_services = true;
  /// What the app must register for the custom ops (C++ resolver code), empty if none.
  std::string custom_op_registration;
};

/// What TFLiteConverter reads the model from: the snippet's first lines depend on it.
struct ConverterSource {
  enum class Kind {
    SavedModel,      ///< from_saved_model(dir, signature_keys, tags)
    FrozenGraph,     ///< binary or text GraphDef: v1 from_frozen_graph(path, inputs, outputs)
    MetaGraph,       ///< import_meta_graph into a session, then v1 from_session
    TfjsGraphModel,  ///< TensorFlow's converter cannot read it
    KerasFile,       ///< .keras / .h5: from_keras_model(load_model(path))
    KerasJson,       ///< model_from_json + load_weights, then from_keras_model
    TfjsLayersModel, ///< tensorflowjs_converter back to Keras .h5 first, or litelint convert
  };
  Kind kind = Kind::SavedModel;
  std::string path;  ///< the model path as the user gave it
  std::vector<std::string> input_arrays;   ///< FrozenGraph/MetaGraph: node names ("x", "x:1")
  std::vector<std::string> output_arrays;  ///< FrozenGraph/MetaGraph
  std::vector<std::string> tags;           ///< SavedModel/MetaGraph: --tags when given
  std::string signature;                   ///< SavedModel: --signature when given
  std::string weights_path;                ///< KerasJson: the weights file beside the JSON
  std::string keras_version;               ///< KerasFile/KerasJson: the Keras that wrote it, if known
};

/// The fallback plan implied by the findings (all rules, unfiltered) under the profile. Its
/// snippet reads a SavedModel until set_converter_source() says what the model is.
Plan make_plan(const std::vector<Finding>& findings, const Profile& profile);

/// How TFLiteConverter reads `model`: its kind, and for GraphDefs and MetaGraphs the arrays
/// (`inputs`/`outputs` when given, else the Placeholders and the nodes nothing consumes, as
/// the converter import does).
ConverterSource converter_source(const ir::Model& model, const std::vector<std::string>& inputs,
                                 const std::vector<std::string>& outputs,
                                 const std::vector<std::string>& tags, const std::string& signature);

/// Rewrites the plan's converter snippet for the model's format (nothing when the plan needs
/// no settings, except for a TF.js model, whose route is never the default one).
void set_converter_source(Plan& plan, const ConverterSource& source);

}  // namespace litelint::rules
