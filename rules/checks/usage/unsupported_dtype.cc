#include <memory>
#include <string>

#include <fmt/format.h>

#include "rules/checks/common.h"
#include "rules/engine/rule.h"

namespace litelint::rules {
namespace {

constexpr std::string_view kDoc = R"md(
## What it does
Flags ops whose TFLite builtin exists but has no kernel for the element type of the main
operand, e.g. float64 math, int64 or complex values where the builtin takes float32/int32.
## Why is this bad?
The converter's pattern does not match, so the op stays a TensorFlow op: a Select TF op
(larger binary, slower kernel) if it is allowlisted, otherwise a custom op or an error.
## Example
    y = tf.math.sqrt(tf.cast(x, tf.float64))
Use instead:
    y = tf.math.sqrt(x)   # float32 end to end
## Fix
Compute in a type the builtin takes (usually float32 or int32): cast at the borders of the
island, or build the model with `tf.keras.backend.set_floatx("float32")`.
)md";

std::string suggestion_for(ir::DType t) {
  switch (t) {
    case ir::DType::Double:
      return "compute in float32 (tf.cast at the borders, or set_floatx('float32'))";
    case ir::DType::Int64: return "use int32 values (tf.cast to tf.int32 before this op)";
    case ir::DType::Complex64:
    case ir::DType::Complex128:
      return "split complex values into real and imaginary float32 tensors";
    default: return fmt::format("cast the operand to a type the builtin takes before this op");
  }
}

class UnsupportedDtype final : public Rule {
 public:
  RuleInfo info() const override {
    return {.code = "LL201", .name = "unsupported-dtype", .severity = Severity::Error,
            .summary = "the op's TFLite builtin has no kernel for this element type",
            .doc = kDoc};
  }
  void check(const ir::Node& node, RuleContext& ctx) const override {
    const TfOpInfo* info = ctx.op_info(node);
    if (!info || !info->converts_to_builtins() || info->dtypes.is_any() || info->dtypes.empty()) {
      return;
    }
    if (checks::folds(ctx, node)) return;
    auto dtype = checks::main_dtype(ctx, node);
    if (!dtype) return;
    auto elem = elem_type_of(*dtype);
    if (!elem || info->accepts(*elem)) return;
    // Input 0 is not always the data operand (RandomUniform's shape, Fill's dims,
    // ResourceGather's handle); the result type then tells the kernel's type.
    if (auto out = checks::result_dtype(node)) {
      if (auto e = elem_type_of(*out); e && info->accepts(*e)) return;
    }
    Impact impact = checks::impact_of(info->otherwise, node.op);
    std::string builtin(checks::main_builtin(*info));
    ctx.report(node, fmt::format("{} has no {} kernel; {}", builtin.empty() ? "the builtin" : builtin,
                                 ir::dtype_name(*dtype), checks::consequence(impact)))
        .impact(impact)
        .suggestion(suggestion_for(*dtype));
  }
};

}  // namespace

std::unique_ptr<Rule> make_unsupported_dtype() { return std::make_unique<UnsupportedDtype>(); }

}  // namespace litelint::rules
