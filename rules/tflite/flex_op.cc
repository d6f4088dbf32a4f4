#include <memory>
#include <string>

#include <fmt/format.h>

#include "rules/tflite/tflite_rule.h"

namespace litelint::rules {
namespace {

constexpr std::string_view kDoc = R"md(
## What it does
Flags operators of an existing .tflite model that are Select TF ops: custom ops whose name
starts with `Flex` (`FlexAddV2` is TensorFlow's `AddV2`), written by TFLiteConverter with
`SELECT_TF_OPS`.
## Why is this bad?
A stock TFLite (LiteRT) runtime has no kernel for them: the interpreter refuses the model
("Encountered unresolved custom op: FlexAddV2") unless the app links the Flex delegate, which
adds about 20 MB (a selective build with only the listed ops, a few MB), and LiteRT in Google
Play services has no Flex delegate at all. The fallback plan lists the TensorFlow op names.
## Example
    converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS,
                                           tf.lite.OpsSet.SELECT_TF_OPS]
    # the model used tf.math.softplus on float64: FlexSoftplus in the .tflite
## Fix
Link the Select TF ops runtime (Android: `org.tensorflow:tensorflow-lite-select-tf-ops`;
C++: `//tensorflow/lite/delegates/flex:delegate`, or a selective build with only these ops),
or change the TensorFlow model so the op converts to a builtin and convert again
(`litelint check` on the SavedModel says how).
)md";

constexpr std::string_view kFlexPrefix = "Flex";

class TfliteFlexOp final : public TfliteRule {
 public:
  RuleInfo info() const override {
    return {.code = "LL105", .name = "tflite-flex-op", .severity = Severity::Error,
            .summary = "the .tflite has Select TF (Flex) ops that need the Flex delegate",
            .doc = kDoc};
  }
  void check_tflite(TfliteContext& ctx) const override {
    const auto& model = ctx.model();
    for (std::uint32_t s = 0; s < model.subgraphs.size(); ++s) {
      for (std::uint32_t i = 0; i < model.subgraphs[s].operators.size(); ++i) {
        const auto* code = ctx.code_of({s, i});
        if (!code || !code->is_custom() || !code->custom_code.starts_with(kFlexPrefix)) continue;
        const std::string tf_op = code->custom_code.substr(kFlexPrefix.size());
        auto& f = ctx.report({s, i}, fmt::format("Select TF op for TensorFlow's '{}': it runs only "
                                                 "with the Flex delegate (Select TF ops runtime)",
                                                 tf_op));
        f.impact = Impact::Flex;
        f.fallback_op = tf_op;
        f.suggestion = "link the Select TF ops runtime (a selective build with only these ops "
                       "keeps it small), or rewrite the TensorFlow model so the op becomes a "
                       "builtin and convert again";
      }
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_tflite_flex_op() { return std::make_unique<TfliteFlexOp>(); }

}  // namespace litelint::rules
