#include <memory>
#include <string>

#include "rules/checks/common.h"
#include "rules/engine/rule.h"

namespace litelint::rules {
namespace {

constexpr std::string_view kDoc = R"md(
## What it does
Notes stateful random ops (RandomUniform, RandomStandardNormal, TruncatedNormal,
Multinomial, ...) on the path of an output.
## Why is this bad?
TFLite has builtins for some of them (RANDOM_UNIFORM, RANDOM_STANDARD_NORMAL, MULTINOMIAL)
and others stay TensorFlow ops. Either way the numbers differ from TensorFlow's run for run:
seeds and generator state are not carried over, so outputs cannot be compared with the
TensorFlow model and are not reproducible across runs.
## Example
    noise = tf.random.normal(tf.shape(x))      # inside the exported function
## Fix
Generate randomness in the app and pass it in as an input, use the stateless
`tf.random.stateless_*` ops with an explicit seed input, or drop training-only noise
(dropout, augmentation) from the inference function (`training=False`).
)md";

bool is_stateful_random(std::string_view op) {
  if (op.starts_with("Stateless") || op.starts_with("Anonymous")) return false;
  return op.starts_with("Random") || op == "TruncatedNormal" || op == "Multinomial" ||
         op == "ParameterizedTruncatedNormal" || op.starts_with("StatefulUniform") ||
         op == "StatefulStandardNormalV2" || op == "StatefulTruncatedNormal";
}

class StatefulRandomOp final : public Rule {
 public:
  RuleInfo info() const override {
    return {.code = "LL405", .name = "stateful-random-op", .severity = Severity::Note,
            .summary = "stateful random op: results differ from TensorFlow run for run",
            .doc = kDoc};
  }
  void check(const ir::Node& node, RuleContext& ctx) const override {
    if (!is_stateful_random(node.op)) return;
    ctx.report(node, "draws random numbers from hidden state; TFLite's results differ from "
                     "TensorFlow's and between runs")
        .suggestion("pass randomness in as an input, or use tf.random.stateless_* with an "
                    "explicit seed; drop training-only noise with training=False");
  }
};

}  // namespace

std::unique_ptr<Rule> make_stateful_random_op() { return std::make_unique<StatefulRandomOp>(); }

}  // namespace litelint::rules
