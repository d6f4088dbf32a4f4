#include <algorithm>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "rules/checks/common.h"
#include "rules/engine/opdb_operands.h"
#include "rules/engine/rule.h"

namespace litelint::rules {
namespace {

constexpr std::string_view kDoc = R"md(
## What it does
Flags ops whose TFLite builtin exists but has no kernel for the element type of one of
their operands, e.g. float64 math, int64 or complex values where the builtin takes
float32/int32, or int16 indices where it takes int32/int64. The op database lists the types
per operand (the updates of ScatterNd, the values of OneHot), measured against
TFLiteConverter for every op and element type (docs/op-types.md).
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

// TensorFlow's spelling of an unquantized element type, for messages: "float32", "int64".
std::string_view tf_type_name(ElemType t) {
  switch (t) {
    case ElemType::F16: return "float16";
    case ElemType::BF16: return "bfloat16";
    case ElemType::F32: return "float32";
    case ElemType::F64: return "float64";
    case ElemType::I8: return "int8";
    case ElemType::I16: return "int16";
    case ElemType::I32: return "int32";
    case ElemType::I64: return "int64";
    case ElemType::U8: return "uint8";
    case ElemType::U16: return "uint16";
    case ElemType::U32: return "uint32";
    case ElemType::Bool: return "bool";
    case ElemType::String: return "string";
    case ElemType::Complex64: return "complex64";
    default: return {};  // quantized and exotic types: not something a user casts to
  }
}

// "int32 or int64": the TensorFlow types in a set.
std::string accepted_types(ElemTypeSet set) {
  std::vector<std::string_view> names;
  for (int i = 0; i < kElemTypeCount; ++i) {
    const auto t = static_cast<ElemType>(i);
    if (set.contains(t) && !tf_type_name(t).empty()) names.push_back(tf_type_name(t));
  }
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    out += i == 0 ? "" : (i + 1 == names.size() ? " or " : ", ");
    out += names[i];
  }
  return out;
}

// The builtin of a lowering that has no kernel for `t` at all (no operand of it takes `t`), or
// "" when every step could take it and only the rewrite's own type check rejects it.
std::string_view failing_step(const TfOpInfo& info, ElemType t) {
  for (auto name : info.builtins) {
    const TfliteBuiltinInfo* b = find_builtin(name);
    if (b == nullptr || b->operands.empty()) continue;
    const bool takes = std::any_of(b->operands.begin(), b->operands.end(),
                                   [&](const OperandInfo& o) { return o.types.contains(t); });
    if (!takes) return name;
  }
  return {};
}

// A lowered op (the converter rewrites one TF op into several builtins) is named as the user
// wrote it: "ONE_HOT has no float32 kernel" on a loss function is about an op they never made.
std::string lowering_message(const ir::Node& node, const TfOpInfo& info, ElemType elem,
                             ir::DType dtype, Impact impact) {
  std::string steps;
  for (auto b : info.builtins) steps += (steps.empty() ? "" : " + ") + std::string(b);
  const std::string_view step = failing_step(info, elem);
  const std::string why =
      step.empty()
          ? fmt::format("a rewrite that matches only {} operands, so on {} it is not applied",
                        accepted_types(info.dtypes), ir::dtype_name(dtype))
          : fmt::format("and its {} step has no {} kernel, so the rewrite is not applied", step,
                        ir::dtype_name(dtype));
  return fmt::format("'{}' has no single TFLite builtin: the converter lowers it to {}, {}; {}",
                     node.op, steps, why, checks::consequence(impact));
}

// The fix for a lowered op, in TensorFlow terms: the op database's hint for it, else a cast
// of its inputs to a type the lowering takes.
std::string lowering_fix(const ir::Node& node, const TfOpInfo& info, ir::DType dtype) {
  if (!info.hint.empty()) return std::string(info.hint);
  if (dtype == ir::DType::Double && info.accepts(ElemType::F32)) {
    return fmt::format("compute '{}' in float32: tf.cast its inputs to tf.float32 (or "
                       "set_floatx('float32')) so the converter can lower it",
                       node.op);
  }
  return fmt::format("tf.cast the inputs of '{}' to {} (the types its lowering takes) before it",
                     node.op, accepted_types(info.dtypes));
}

// Stateful ops whose builtin takes constant inputs: constant folding skips them.
bool stateful(std::string_view op) {
  if (op.starts_with("Stateless")) return false;
  return op.find("Random") != std::string_view::npos || op == "Multinomial" ||
         op == "TruncatedNormal" || op == "Empty";
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
    if (!info || !info->converts_to_builtins() || info->operand_types.empty()) return;
    // TensorFlow never folds stateful ops (random numbers, Empty), whatever their inputs.
    if (!stateful(node.op) && checks::folds(ctx, node)) return;
    // Each list names the operand it describes (the updates of ScatterNd, not its indices;
    // the values of OneHot, not its depth), so the node is checked operand by operand.
    const auto miss = unaccepted_operand(*info, node, [&](std::size_t i) {
      auto t = ctx.input_type(node, i);
      return t ? std::optional<ir::DType>(t->dtype) : std::nullopt;
    });
    if (!miss) return;
    const ir::DType dtype = miss->dtype;
    const auto elem = elem_type_of(dtype);
    if (!elem) return;
    // A lowering that emits a TF op rejecting the type fails the conversion in every mode.
    const Impact impact =
        miss->fails ? Impact::Fails : checks::impact_of(info->otherwise, node.op);
    if (miss->main && info->status == TfOpStatus::Lowered && info->builtins.size() > 1) {
      ctx.report(node, lowering_message(node, *info, *elem, dtype, impact))
          .impact(impact)
          .suggestion(lowering_fix(node, *info, dtype));
      return;
    }
    std::string builtin(checks::main_builtin(*info));
    if (builtin.empty()) builtin = "the builtin";
    if (miss->main) {
      ctx.report(node, fmt::format("{} has no {} kernel; {}", builtin, ir::dtype_name(dtype),
                                   checks::consequence(impact)))
          .impact(impact)
          .suggestion(suggestion_for(dtype));
      return;
    }
    const std::string_view operand = miss->list->operand;
    ctx.report(node, fmt::format("{} takes {} '{}' but not {}; {}", builtin,
                                 accepted_types(miss->list->types), operand,
                                 ir::dtype_name(dtype), checks::consequence(impact)))
        .impact(impact)
        .suggestion(fmt::format("tf.cast '{}' to {} before this op", operand,
                                accepted_types(miss->list->types)));
  }
};

}  // namespace

std::unique_ptr<Rule> make_unsupported_dtype() { return std::make_unique<UnsupportedDtype>(); }

}  // namespace litelint::rules
