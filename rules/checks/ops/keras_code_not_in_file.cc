#include <memory>
#include <string>

#include <fmt/format.h>

#include "rules/checks/common.h"
#include "rules/engine/rule.h"

namespace litelint::rules {
namespace {

constexpr std::string_view kDoc = R"md(
## What it does
Flags Keras layers that need Python code the model file does not hold: a custom layer
class, a custom activation function named in a layer's config, a Lambda layer's function,
a subclassed model's `call()`.
## Why is this bad?
A `.keras` or `.h5` file stores a custom object by name only. `keras.models.load_model`
fails ("Could not locate class 'Scale'" / "Unknown activation function") unless the code is
imported and registered in the converting process, and litelint cannot see what the code
computes, so it neither guesses its ops nor converts the layer.
## Example
    @keras.saving.register_keras_serializable(package="zoo")
    def cube(x):
        return x * x * x
    y = keras.layers.Dense(8, activation=cube)(x)
Use instead:
    y = keras.layers.Dense(8)(x)
    y = keras.layers.Multiply()([y, y, y])   # the same computation from Keras layers
## Fix
Rebuild the layer from built-in Keras layers and activations, or load the model where its
code is registered and convert with `TFLiteConverter.from_keras_model`.
)md";

class KerasCodeNotInFile final : public Rule {
 public:
  RuleInfo info() const override {
    return {.code = "LL107", .name = "keras-code-not-in-file", .severity = Severity::Error,
            .summary = "a Keras layer needs Python code that the model file does not hold",
            .doc = kDoc};
  }
  void check(const ir::Node& node, RuleContext& ctx) const override {
    // The Keras loader marks the node standing for the layer (analyzer/loaders/keras).
    const ir::AttrValue* a = node.attr("_keras_missing_code");
    const std::string* what = a ? a->as_string() : nullptr;
    if (what == nullptr) return;
    ctx.report(node, fmt::format("the {} is not in the file: Keras can load the model only where "
                                 "that code is registered, and litelint does not know what it "
                                 "computes",
                                 *what))
        .impact(Impact::Fails)
        .suggestion("rebuild the layer from built-in Keras layers and activations, or convert with "
                    "TFLiteConverter.from_keras_model where the code is registered");
  }
};

}  // namespace

std::unique_ptr<Rule> make_keras_code_not_in_file() { return std::make_unique<KerasCodeNotInFile>(); }

}  // namespace litelint::rules
