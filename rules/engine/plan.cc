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

std::string snippet(const Plan& p) {
  std::string s = "converter = tf.lite.TFLiteConverter.from_saved_model(saved_model_dir)\n";
  if (p.select_tf_ops) {
    s += "converter.target_spec.supported_ops = [\n"
         "    tf.lite.OpsSet.TFLITE_BUILTINS,  # TFLite builtin ops\n"
         "    tf.lite.OpsSet.SELECT_TF_OPS,    # TensorFlow ops through the Flex delegate\n"
         "]\n";
  }
  if (p.keep_tensor_list_ops) s += "converter._experimental_lower_tensor_list_ops = False\n";
  if (p.enable_resource_variables) s += "converter.experimental_enable_resource_variables = True\n";
  if (p.allow_custom_ops) s += "converter.allow_custom_ops = True\n";
  s += "tflite_model = converter.convert()\n";
  return s;
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
    p.converter_snippet = snippet(p);
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

}  // namespace litelint::rules
