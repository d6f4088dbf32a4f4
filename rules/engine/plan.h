#pragma once

#include <string>
#include <vector>

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
  /// The converter settings as ready-to-paste Python (empty when defaults work).
  std::string converter_snippet;
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

/// The fallback plan implied by the findings (all rules, unfiltered) under the profile.
Plan make_plan(const std::vector<Finding>& findings, const Profile& profile);

}  // namespace litelint::rules
