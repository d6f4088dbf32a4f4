#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "rules/checks/common.h"
#include "rules/engine/rule.h"

namespace litelint::rules {
namespace {

constexpr std::string_view kDoc = R"md(
## What it does
Flags ops whose TFLite builtin needs an operand to be a constant (the op database's
`const_operands`), when that operand is computed from a model input.
## Why is this bad?
The converter's pattern only matches constant operands (the axis of a ConcatV2, the
`fft_length` of an RFFT, the `min`/`max` of a FakeQuant); otherwise the op stays a
TensorFlow op: a Select TF op if allowlisted, else a custom op or an error.
## Example
    y = tf.roll(x, shift=n, axis=1)     # n is a model input
Use instead:
    y = tf.roll(x, shift=3, axis=1)
## Fix
Make the operand a Python constant at trace time (pass it as a Python int, not a tensor),
or compute it from static shapes only.
)md";

// Where TensorFlow's OpDef puts each named operand (input index; -1 = the last input).
// This is TensorFlow's op signature, not TFLite support knowledge, which stays in the DB.
struct OperandIndex {
  std::string_view op;
  std::string_view operand;
  int index;
};
constexpr OperandIndex kOperandIndex[] = {
    {"ConcatV2", "axis", -1},
    {"DynamicStitch", "indices", 0},
    {"FakeQuantWithMinMaxVars", "max", 2},
    {"FakeQuantWithMinMaxVars", "min", 1},
    {"FakeQuantWithMinMaxVarsPerChannel", "max", 2},
    {"FakeQuantWithMinMaxVarsPerChannel", "min", 1},
    {"GatherV2", "axis", 2},
    {"MatrixDiagV2", "k", 1},
    {"MatrixDiagV2", "num_cols", 3},
    {"MatrixDiagV2", "num_rows", 2},
    {"MatrixDiagV2", "padding_value", 4},
    {"MatrixDiagV3", "k", 1},
    {"MatrixDiagV3", "num_cols", 3},
    {"MatrixDiagV3", "num_rows", 2},
    {"MatrixDiagV3", "padding_value", 4},
    {"MatrixSetDiagV2", "k", 2},
    {"MatrixSetDiagV3", "k", 2},
    {"ParallelDynamicStitch", "indices", 0},
    {"QuantizeAndDequantizeV4", "input_max", 2},
    {"QuantizeAndDequantizeV4", "input_min", 1},
    {"RFFT", "fft_length", 1},
    {"RFFT2D", "fft_length", 1},
    {"RFFT3D", "fft_length", 1},
    {"Roll", "axis", 2},
    {"Roll", "shift", 1},
};

std::optional<std::size_t> operand_index(const ir::Node& node, std::string_view operand) {
  for (const auto& e : kOperandIndex) {
    if (e.op != node.op || e.operand != operand) continue;
    const std::size_t n = node.data_input_count();
    if (e.index < 0) return n ? std::optional<std::size_t>(n - 1) : std::nullopt;
    if (static_cast<std::size_t>(e.index) < n) return static_cast<std::size_t>(e.index);
  }
  return std::nullopt;
}

std::vector<std::string_view> split(std::string_view list) {
  std::vector<std::string_view> out;
  while (!list.empty()) {
    auto comma = list.find(',');
    auto item = list.substr(0, comma);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!item.empty()) out.push_back(item);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return out;
}

class NonConstantOperand final : public Rule {
 public:
  RuleInfo info() const override {
    return {.code = "LL203", .name = "non-constant-operand", .severity = Severity::Error,
            .summary = "operand that the TFLite builtin needs as a constant is computed at run time",
            .doc = kDoc};
  }
  void check(const ir::Node& node, RuleContext& ctx) const override {
    const TfOpInfo* info = ctx.op_info(node);
    if (!info || !info->converts_to_builtins()) return;
    const Condition* c = info->condition(ConditionKey::ConstOperands);
    if (!c) return;
    for (auto operand : split(c->value)) {
      auto index = operand_index(node, operand);
      if (!index || ctx.is_constant(node, *index)) continue;
      Fallback fb = c->otherwise == Fallback::None ? info->otherwise : c->otherwise;
      Impact impact = checks::impact_of(fb, node.op);
      ctx.report(node, fmt::format("operand '{}' is not a constant, but the builtin needs it "
                                   "to be one; {}",
                                   operand, checks::consequence(impact)))
          .impact(impact)
          .suggestion(fmt::format("make '{}' a Python constant when the function is traced, or "
                                  "compute it from static shapes only",
                                  operand));
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_non_constant_operand() {
  return std::make_unique<NonConstantOperand>();
}

}  // namespace litelint::rules
