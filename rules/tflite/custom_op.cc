#include <memory>
#include <string>

#include <fmt/format.h>

#include "rules/tflite/tflite_rule.h"

namespace litelint::rules {
namespace {

constexpr std::string_view kDoc = R"md(
## What it does
Flags custom operators of an existing .tflite model, other than Select TF (`Flex*`) ops:
TFLiteConverter wrote them with `allow_custom_ops = True` (or another tool did: the Edge TPU
compiler's `edgetpu-custom-op`, Arm Vela's `ethos-u`, MediaPipe's
`Convolution2DTransposeBias`).
## Why is this bad?
The runtime has no kernel for a custom op: the interpreter refuses the model ("Encountered
unresolved custom op") unless the app registers one (`resolver.AddCustom(...)`) or applies
the delegate that owns the op. Every app that loads the model must ship that code.
## Example
    converter.allow_custom_ops = True
    # tf.math.sinh has no builtin: CUSTOM:Sinh in the .tflite
## Fix
Register a kernel for each listed op (the fallback plan has the resolver lines), or apply the
delegate that provides it; or change the TensorFlow model so the op converts to builtins.
)md";

constexpr std::string_view kFlexPrefix = "Flex";

// Custom ops that belong to a delegate or accelerator toolchain rather than to the app.
std::string owner_note(std::string_view name) {
  if (name == "edgetpu-custom-op") {
    return "; it is the part compiled for the Edge TPU and runs only with the Edge TPU "
           "delegate (libedgetpu)";
  }
  if (name == "ethos-u") return "; it is the part compiled by Vela and runs only on an Arm Ethos-U NPU";
  return "";
}

class TfliteCustomOp final : public TfliteRule {
 public:
  RuleInfo info() const override {
    return {.code = "LL106", .name = "tflite-custom-op", .severity = Severity::Error,
            .summary = "the .tflite has custom ops the app must register",
            .doc = kDoc};
  }
  void check_tflite(TfliteContext& ctx) const override {
    const auto& model = ctx.model();
    const auto delegate = ctx.profile().delegate;
    for (std::uint32_t s = 0; s < model.subgraphs.size(); ++s) {
      for (std::uint32_t i = 0; i < model.subgraphs[s].operators.size(); ++i) {
        const auto* code = ctx.code_of({s, i});
        if (!code || !code->is_custom() || code->custom_code.starts_with(kFlexPrefix)) continue;
        std::string cause = fmt::format(
            "custom op '{}' is not a TFLite builtin: the app must register a kernel for it{}",
            code->custom_code, owner_note(code->custom_code));
        if (delegate) {
          for (const auto& c : delegate_info(*delegate).custom_ops) {
            if (c.op == code->custom_code && c.supported) {
              cause += fmt::format(" (the {} delegate runs it, but the interpreter needs the "
                                   "registration to load the model)",
                                   to_string(*delegate));
            }
          }
        }
        auto& f = ctx.report({s, i}, std::move(cause));
        f.impact = Impact::Custom;
        f.fallback_op = code->custom_code;
        f.suggestion = "register the op with the interpreter's op resolver (AddCustom), or "
                       "convert again without it";
      }
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_tflite_custom_op() { return std::make_unique<TfliteCustomOp>(); }

}  // namespace litelint::rules
